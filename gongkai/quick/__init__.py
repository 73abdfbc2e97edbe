"""Quick rebuilds: after edits of what documents show, remake just what shows them.

Most edits fix the text of a document: its body, or its title, summary or keywords. Such an
edit can change only what shows that document: its own page and notice-board print, the list
summaries on the pages and feeds that show it, the pages that link to it by title, its search
postings and its row of `documents.json`. Everything else in `site/` is, byte for byte, what the
previous build made.

Every successful full build leaves a `Snapshot` in the build cache (`snapshot.py`): the
validated site without bodies, each document's list summary and marks, which outputs show which
documents (what the build engine recorded while they were made, `engine.py`), the site's manifest and each
file's stat. The next build (`rebuild.py`) looks at the content files (git's racy-stat rule,
as the load cache does) and, when the only files whose bytes changed are documents whose front
matter differs at most in `title`, `summary` and `keywords` (every value in the same place), it

1. loads and validates those files: the privacy scan runs on them; after a title change the
   rules whose messages quote titles run again over the site; the other diagnostics are the
   previous build's (they depend on the rest of the front matter and the day only);
2. renders the outputs that showed them, patches the search index (`search.patch_bodies`)
   and `documents.json`, and remakes `data/index.html`;
3. builds the new `site/` as the full build does, atomically, hard-linking every other file from
   the previous `site/` after checking it is untouched (same size, mtime and inode) — from the
   stamp's list of `site/` while the snapshot loads, when the stamp vouched for `site/`.

Anything else — a new, deleted or renamed file, another date, item, village, attribute or any
other front-matter field, `site.yaml`, a village or the catalogue, the templates or gongkai
itself, another day or base URL, a touched `site/`, any error — means a full build, which is
always correct. The output is identical either way
(`tests/test_quick.py` compares the trees).
"""

from .rebuild import quick_build
from .snapshot import save_snapshot

__all__ = ["quick_build", "save_snapshot"]
