"""Chinese full-text search for generated sites: built here with lunr's format, queried by
``templates/assets/search.js`` with lunr.js 2.3.9, sharded by term so a query downloads only
what it needs, and working from ``file://``.
"""

from gongkai.search.index import SearchRecord, build_search_files
from gongkai.search.tokenize import query_terms, tokenize

__all__ = ["SearchRecord", "build_search_files", "query_terms", "tokenize"]
