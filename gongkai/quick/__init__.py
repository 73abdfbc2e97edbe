"""Quick rebuilds: after edits to document bodies only, remake just what shows those bodies.

Most edits fix the text of a document. Such an edit can change only what is made from that
body: the document's own page, the list summaries on the pages and feeds that show it, its
notice-board print, its search postings and its row of `documents.json`. Everything else in
`site/` is, byte for byte, what the previous build made.

Every successful full build leaves a `Snapshot` in the build cache (`snapshot.py`): the
validated site without bodies, each document's list summary, which outputs read which
documents' bodies (recorded while they were made, `render/deps.py`), the site's manifest and
each file's stat. The next build (`rebuild.py`) looks at the content files (git's racy-stat rule,
as the load cache does) and, when the only files whose bytes changed are documents whose front
matter is byte-for-byte the same, it

1. loads and validates those files: the model must be equal to the previous one; the privacy
   scan, the only rule that reads a body, runs on them; the other diagnostics are the previous
   build's (they depend on the front matter and the day only);
2. renders the outputs that read their bodies, patches the search index (`search.patch_bodies`)
   and `documents.json`, and remakes `data/index.html`;
3. builds the new `site/` as the full build does, atomically, hard-linking every other file from
   the previous `site/` after checking it is untouched (same size, mtime and inode).

Anything else — a new, deleted or renamed file, a changed front matter, `site.yaml`, a village
or the catalogue, the templates or gongkai itself, another day or base URL, a touched `site/`,
any error — means a full build, which is always correct. The output is identical either way
(`tests/test_quick.py` compares the trees).
"""

from .rebuild import quick_build
from .snapshot import save_snapshot

__all__ = ["quick_build", "save_snapshot"]
