"""Chinese full-text search for generated sites: term-sharded postings built here
(``shard_format.py``), turned into lunr.js 2.3.9 indexes and queried by
``templates/assets/search.js``, so a query downloads only what it needs, and working from
``file://``. Rebuilds patch only the shards whose terms changed (``index.build_index``).
"""

from gongkai.search.index import (
    IndexBuild,
    SearchRecord,
    build_index,
    build_search_files,
    patch_bodies,
)
from gongkai.search.shard_format import BLOCK_DIR
from gongkai.search.tokenize import query_terms, tokenize

__all__ = ["BLOCK_DIR", "IndexBuild", "SearchRecord", "build_index", "build_search_files", "patch_bodies", "query_terms", "tokenize"]
