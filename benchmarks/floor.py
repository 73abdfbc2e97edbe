"""The floor: the same document pages rendered by the smallest script that could do it.

No validation, no listings, no search: for every document file read it, split the front matter,
load it with PyYAML's libyaml C loader (`yaml.CSafeLoader`, as a minimal script on a machine
with libyaml would), convert the body with Python-Markdown (the extensions gongkai uses), render
one Jinja2 template (a page with the same header, metadata table and footer as gongkai's
document page) and write the file, the documents shared among `--jobs` processes (default 2,
the development machine's cores). Withheld documents are skipped, 依申请公开 ones get their
metadata only, as on the real site. This is what "a minimal static-site script" costs; the
benchmark reports gongkai's full build as a ratio of it. `--jobs 1 --loader pure` is the
earlier, flattering floor (pure-Python YAML on one core), kept for comparison.

    python benchmarks/floor.py --content benchmarks/work/content-10000 --out /tmp/floor [--jobs 2] [--loader c]
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path

import jinja2
import markdown
import yaml

EXTENSIONS = ["tables", "sane_lists", "fenced_code", "def_list", "attr_list"]

TEMPLATE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ meta.title }} - {{ town.name }}</title>
<link rel="stylesheet" href="{{ root }}assets/site.css">
<script src="{{ root }}assets/site.js"></script>
</head>
<body>
<header class="masthead"><div class="wrap">
<p class="brand"><a href="{{ root }}index.html">{{ town.name }}<small>政务公开</small></a></p>
<form class="search-form" action="{{ root }}search.html" role="search">
<input name="q" type="search" placeholder="搜索文件标题、文号、内容"><button type="submit">搜索</button></form>
</div>
<nav class="nav"><ul class="wrap">{% for label, path in nav %}<li><a href="{{ root }}{{ path }}">{{ label }}</a></li>{% endfor %}</ul></nav>
</header>
<main id="main" class="wrap">
<article class="document">
<table class="docmeta"><tbody>
{% for key in fields %}{% if meta[key] %}<tr><th scope="row">{{ key }}</th><td>{{ meta[key] }}</td></tr>{% endif %}
{% endfor %}</tbody></table>
<h1>{{ meta.title }}</h1>
{% if meta.doc_number %}<p class="docnumber">{{ meta.doc_number }}</p>{% endif %}
<p class="attribute-label">{{ meta.attribute }}</p>
{% if body %}<div class="body">{{ body | safe }}</div>{% else %}<p>本文件可依申请公开。</p>{% endif %}
</article>
</main>
<footer class="footer"><div class="wrap"><p><strong>{{ town.name }}</strong></p>
{% for c in town.contacts %}<p>{{ c.name }}{% if c.phone %}　电话：{{ c.phone }}{% endif %}</p>{% endfor %}
</div></footer>
</body>
</html>
"""
NAV = [("首页", "index.html"), ("公开目录", "catalog/index.html"), ("全部信息", "documents/index.html"),
       ("村务公开", "villages/index.html"), ("依申请公开", "apply.html")]
FIELDS = ["created", "published", "doc_number", "item", "kind", "attribute", "issuer", "topic"]


def render(content: Path, out: Path, loader: type = yaml.SafeLoader, share: tuple[int, int] = (0, 1)) -> int:
    """Render the public document pages of `content` into `out` (every `share[1]`-th file from
    `share[0]`, so that processes split the work); returns the page count."""
    town = yaml.load((content / "site.yaml").read_text(encoding="utf-8"), Loader=loader)
    env = jinja2.Environment(autoescape=True)
    template = env.from_string(TEMPLATE)
    md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    base = content / "documents"
    pages = 0
    first, step = share
    for path in sorted(base.rglob("*.md"))[first::step]:
        text = path.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        meta = yaml.load(front, Loader=loader)
        if meta.get("attribute") == "不予公开":
            continue
        html = md.reset().convert(body) if meta.get("attribute") == "主动公开" else ""
        rel = path.relative_to(base).with_suffix(".html")
        target = out / "documents" / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        root = "../" * (len(rel.parts))
        target.write_text(template.render(meta=meta, town=town, body=html, nav=NAV, fields=FIELDS, root=root), encoding="utf-8")
        pages += 1
    return pages


LOADERS = {"c": "CSafeLoader", "pure": "SafeLoader"}


def _share(job: tuple[Path, Path, str, int, int]) -> int:
    content, out, loader, first, step = job
    return render(content, out, getattr(yaml, LOADERS[loader]), (first, step))


def render_all(content: Path, out: Path, jobs: int = 2, loader: str = "c") -> int:
    """Every page, on `jobs` processes (forked, as a minimal script would use a pool)."""
    if loader == "c" and not hasattr(yaml, "CSafeLoader"):
        raise SystemExit("PyYAML has no libyaml C loader here (yaml.CSafeLoader): install libyaml, or use --loader pure")
    shares = [(content, out, loader, i, jobs) for i in range(jobs)]
    if jobs == 1:
        return _share(shares[0])
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return sum(pool.map(_share, shares))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2, help="processes (default 2)")
    parser.add_argument("--loader", choices=sorted(LOADERS), default="c", help="YAML loader: libyaml (c) or pure Python")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    pages = render_all(args.content, args.out, max(1, args.jobs), args.loader)
    print(f"{pages} pages in {time.perf_counter() - start:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
