"""County platform: every township of a county in one disclosure area (docs/county.md).

A county repository holds `county.yaml` and `towns/<slug>/` (each a complete content tree).
`config` reads and checks the county; `sections` builds each township into `<slug>/` with the
ordinary township build; `pages` renders the county's own pages; `search` the county-wide index;
`supervision` the 政务公开办's report. The township build knows nothing of counties: it is given
a `Frame` (a bar linking back to the county home) and a callback that hands over its site.
"""

from .build import build_county
from .config import COUNTY_FILE, TOWNS_DIR, CountyConfig, find_county, load_county

__all__ = ["COUNTY_FILE", "TOWNS_DIR", "CountyConfig", "build_county", "find_county", "load_county"]
