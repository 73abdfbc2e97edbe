"""Reports for staff, written to `reports/` and never into `site/` (`gongkai report ...`).

Each report is a pure function of the validated `Site` returning `{file name: content}`; the
command writes them. The register and the review list contain 不予公开 information: internal only.
"""

from __future__ import annotations

from .annual import annual_files, annual_tables
from .applications import applications_files, outcome_table
from .catalog import area_table, catalog_files, catalog_xlsx
from .register import register_files, register_table
from .review import due_reviews, review_files, review_tables
from .tables import Table, write_files
from .villages import village_files

__all__ = [
    "Table",
    "annual_files",
    "annual_tables",
    "applications_files",
    "area_table",
    "catalog_files",
    "catalog_xlsx",
    "due_reviews",
    "outcome_table",
    "register_files",
    "register_table",
    "review_files",
    "review_tables",
    "village_files",
    "write_files",
]
