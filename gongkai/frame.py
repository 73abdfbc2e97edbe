"""`Frame`: what a page shows around a township's own pages when it is not a website of its own.

Two cases (both optional, both from configuration, never from content): the township is a
section of a county area (a bar linking back to the county home), and/or the pages are a column
of the county portal (the portal's name, link and registration marks replace the town's own).
Plain data for the templates; the models know no HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # only named here: a rebuild with nothing to do never imports the models
    from .models.county import Portal


@dataclass(frozen=True)
class Frame:
    county_name: str | None = None  # the county area this township is a section of
    county_title: str = ""  # 基层政务公开
    county_home: str = ""  # from the section root to the county home, e.g. "../index.html"
    portal: Portal | None = None

    def context(self) -> dict[str, Any]:
        portal = self.portal
        return {
            "county": {"name": self.county_name, "title": self.county_title, "home": self.county_home}
            if self.county_name else None,
            "portal": {
                "name": portal.name, "url": portal.url, "column": portal.column,
                "column_url": portal.column_url or portal.url, "identity": portal.identity.model_dump(),
            } if portal is not None else None,
        }
