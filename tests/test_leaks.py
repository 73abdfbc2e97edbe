"""Canary suite: text that exists only in 不予公开 documents, and in the bodies of 依申请公开
documents, is absent from every byte of site/.

Every file under site/ is searched (pages, prints, feeds, sitemap, robots, search index, data
files, copied attachments), as raw UTF-8 and in the forms text takes on the way: JSON `\\uXXXX`
escapes, HTML/XML character references (hex and decimal), percent-encoding, NFKC-normalised and
lower-cased. Synthetic canaries use characters that occur nowhere else, so a single character of
one (a search-index unigram) or two (a bigram) is a leak too. The example content in content/ is
checked the same way, its withheld documents found by loading it.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from sitekit import TODAY, doc

from gongkai.build import BuildOptions, build
from gongkai.loading import load_content
from gongkai.models import Attribute
from gongkai.validate import validate

REPO = Path(__file__).resolve().parent.parent
BASE_URL = "https://ys.example.gov.cn/gk/"


# ---- the scanner (shared with benchmarks/reliability.py) ------------------------------------------


def forms(needle: str) -> set[bytes]:
    """Byte forms `needle` can take in a site file (compared against lower-cased file bytes)."""
    out = {needle.encode("utf-8"), unicodedata.normalize("NFKC", needle).encode("utf-8")}
    escaped = json.dumps(needle, ensure_ascii=True)[1:-1]
    out.add(escaped.encode("ascii"))
    if any(ord(c) > 127 for c in needle):
        out.add("".join(f"&#x{ord(c):x};" if ord(c) > 127 else c for c in needle).encode())
        out.add("".join(f"&#{ord(c)};" if ord(c) > 127 else c for c in needle).encode())
        out.add(quote(needle, safe="").encode("ascii"))
        out.add(quote(needle, safe="/").encode("ascii"))
    return {f.lower() for f in out if f}


def file_texts(path: Path) -> list[bytes]:
    """The bytes to search for one file: raw (and decompressed), plus an NFKC form of text."""
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    out = [data.lower()]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return out
    norm = unicodedata.normalize("NFKC", text)
    if norm != text:
        out.append(norm.encode("utf-8").lower())
    return out


@dataclass
class Scan:
    files: int
    leaks: list[tuple[str, str, str]]  # (file, canary label, form found)


def scan(site: Path, needles: dict[str, str]) -> Scan:
    """Search every file under `site` for every needle (label -> text), in every form."""
    compiled = {label: forms(text) for label, text in needles.items()}
    leaks = []
    files = 0
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        files += 1
        rel = path.relative_to(site).as_posix()
        name_forms = [rel.lower().encode("utf-8"), quote(rel).lower().encode("ascii")]
        for blob in [*file_texts(path), *name_forms]:
            for label, variants in compiled.items():
                for variant in variants:
                    if variant in blob:
                        leaks.append((rel, label, variant.decode("utf-8", "replace")))
    first: dict[tuple[str, str], tuple[str, str, str]] = {}
    for leak in leaks:  # one hit per (file, canary) is enough to report
        first.setdefault(leak[:2], leak)
    return Scan(files, sorted(first.values()))


# ---- synthetic canaries ----------------------------------------------------------------------------

# Rare characters: not in templates, code or example content (asserted below), so any one of them
# anywhere in site/ can only come from a canary.
RARE = {
    "w_title": "鼋鼍", "w_body": "夔龘", "w_reason": "齉爨", "w_number": "麤灪", "w_issuer": "鼷黌",
    "w_att_name": "籰", "w_att_body": "鬱鬰", "w_summary": "瓛玃", "w_qa": "龖驫", "w_keyword": "靐齾",
    "r_body": "鱻羴", "r_qa": "猋麣", "r_att_body": "嚻䨻", "r_att_name": "灥", "p_comment": "厵",
}


def canary(label: str) -> str:
    return f"zqx{label.replace('_', '')}k7{RARE[label]}"


W_ATT = f"attachments/2026/zqxwattname-{RARE['w_att_name']}.csv"
R_ATT = f"attachments/2026/zqxrattname-{RARE['r_att_name']}.csv"


def canary_files() -> dict[str, str | bytes | None]:
    withheld = doc(
        f"关于{canary('w_title')}问题的内部请示",
        attribute="不予公开",
        reason=f"涉及{canary('w_reason')}个人隐私",
        legal_basis="个人隐私",
        doc_number=f"Zqxwnumber{RARE['w_number']}〔2026〕917号",
        issuer=f"{canary('w_issuer')}办公室",
        summary=f"{canary('w_summary')}摘要",
        keywords=f"[{canary('w_keyword')}]",
        villages="[jingtou]",
        kind="报告",
        attachments=f"['{W_ATT}']",
        body=f"正文：{canary('w_body')}。\n\n| 户主 | 原因 |\n|---|---|\n| 某某 | {canary('w_body')} |\n",
    )
    withheld_qa = doc(
        "低保政策内部问答", attribute="不予公开", reason="过程性信息", legal_basis="过程性信息", kind="解读",
        interprets="2026/dibao", form="简明问答",
        qa=f"\n  - q: 内部问题\n    a: 回答{canary('w_qa')}",
        body=f"解读正文{canary('w_body')}。\n",
    )
    on_request = doc(
        "2026年低保资金分配明细", attribute="依申请公开", reason="涉及第三方信息，依申请提供",
        kind="通知", attachments=f"['{R_ATT}']", form="简明问答",
        qa=f"\n  - q: 分配依据？\n    a: 按{canary('r_qa')}分配",
        body=f"明细：{canary('r_body')}。\n",
    )
    public = doc(
        "关于做好低保工作的通知", kind="公示", published="2026-11-20", valid_until="2026-12-20",
        restates="2026/zqxslug-secret",
        body=f"公开正文 zqxpublicokk7瓟瓞。\n\n<!-- 内部备注 {canary('p_comment')} -->\n\n见附件。\n",
        attachments="['attachments/2026/公开附件.csv']",
    )
    return {
        "documents/2026/dibao.md": public,
        "documents/2026/zqxslug-secret.md": withheld,
        "documents/2026/zqxslug-qa.md": withheld_qa,
        "documents/2026/on-request.md": on_request,
        W_ATT: f"户主,原因\n某某,{canary('w_att_body')}\n",
        R_ATT: f"户主,金额\n某某,{canary('r_att_body')}\n",
        "attachments/2026/公开附件.csv": "户主,金额\n张三,300\n",
    }


def needles() -> dict[str, str]:
    out: dict[str, str] = {}
    for label, chars in RARE.items():
        out[label] = canary(label) if label not in ("w_number", "w_att_name", "r_att_name") else chars
        out[label + ":ascii"] = f"zqx{label.replace('_', '')}"
        for i, ch in enumerate(chars):
            out[f"{label}:char{i}"] = ch  # a unigram in a search index is a leak too
    out["w_slug"] = "zqxslug"
    return out


@pytest.fixture(scope="module")
def canary_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sitekit import make_site

    root = tmp_path_factory.mktemp("canary")
    content = make_site(root, canary_files())
    out = root / "site"
    result = build(BuildOptions(content=content, output=out, templates=REPO / "templates", today=TODAY,
                                jobs=1, project=REPO, base_url=BASE_URL))
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    assert result.attributes == {"主动公开": 1, "依申请公开": 1, "不予公开": 2}
    return out


def test_rare_characters_occur_nowhere_else() -> None:
    """The canary alphabet must not appear in templates, code or example content."""
    chars = "".join(RARE.values())
    for folder in ("templates", "gongkai", "content"):
        for path in (REPO / folder).rglob("*"):
            if path.is_file() and path.suffix in (".html", ".py", ".js", ".css", ".md", ".yaml", ".json"):
                text = path.read_text(encoding="utf-8", errors="ignore")
                assert not set(chars) & set(text), path


def test_no_canary_in_any_file_of_the_site(canary_site: Path) -> None:
    result = scan(canary_site, needles())
    assert result.leaks == []
    assert result.files > 30


def test_the_scanner_finds_public_text_in_every_kind_of_file(canary_site: Path) -> None:
    """Positive control: the same scan does find the public body in pages, prints, feeds-free
    search files and data files, so an empty leak list is not blindness."""
    found = scan(canary_site, {"public": "zqxpublicokk7瓟瓞", "public:char": "瓞"}).leaks
    where = {f.split("/")[0] for f, _, _ in found}
    assert "documents" in where and "search" in where, where
    assert any(f.startswith("print/") for f, _, _ in found) or not (canary_site / "print").exists()


def test_sitemap_and_feeds_exist_and_are_clean(canary_site: Path) -> None:
    sitemap = (canary_site / "sitemap.xml").read_text(encoding="utf-8")
    assert BASE_URL + "documents/2026/dibao.html" in sitemap
    assert "zqxslug" not in sitemap and "on-request.html" in sitemap  # 依申请公开: metadata page only
    assert "zqx" not in (canary_site / "feed.xml").read_text(encoding="utf-8").replace("zqxpublicokk7", "")


def test_withheld_and_on_request_attachments_are_not_copied(canary_site: Path) -> None:
    assert not (canary_site / W_ATT).exists()
    assert not (canary_site / R_ATT).exists()
    assert (canary_site / "attachments/2026/公开附件.csv").is_file()
    copied = sorted(p.relative_to(canary_site).as_posix() for p in (canary_site / "attachments").rglob("*") if p.is_file())
    assert copied == ["attachments/2026/公开附件.csv"]


def test_on_request_page_shows_metadata_and_how_to_apply_only(canary_site: Path) -> None:
    html = (canary_site / "documents/2026/on-request.html").read_text(encoding="utf-8")
    assert "2026年低保资金分配明细" in html and "依申请公开" in html
    assert "明细：" not in html and "分配依据" not in html


def test_links_to_withheld_documents_are_dropped(canary_site: Path) -> None:
    public = (canary_site / "documents/2026/dibao.html").read_text(encoding="utf-8")
    assert "zqxslug" not in public and "内部问答" not in public  # restates / interpretations of it
    village = (canary_site / "villages/jingtou.html").read_text(encoding="utf-8")
    assert "内部请示" not in village


# ---- the example town ---------------------------------------------------------------------------------


MIN_LEN = 6  # shorter fragments are too likely to occur in public text by chance
_MD = re.compile(r"[#>*_`|\[\]()!\-]+|\s+")


def _fragments(text: str) -> list[str]:
    """Lines and table cells of Markdown text, without markup."""
    out = []
    for line in text.split("\n"):
        for cell in line.split("|"):
            frag = _MD.sub(" ", cell).strip()
            if len(frag) >= MIN_LEN:
                out.append(frag)
    return out


def example_canaries(content: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Secret fragments of the example content (found by loading it) and where they came from.

    A fragment counts only if it occurs in no public material (other content files, templates):
    a withheld title that repeats a public title is not a secret.
    """
    raw = load_content(content)
    site, diags = validate(raw, TODAY)
    assert site is not None, [d.text() for d in diags.errors]
    secret: dict[str, str] = {}
    attachments: dict[str, list[str]] = {"withheld": [], "on_request": []}
    secret_paths = set()
    for doc_id, entry in site.documents.items():
        meta = entry.model
        if meta.attribute is Attribute.ACTIVE:
            continue
        secret_paths.add((content / "documents" / f"{doc_id}.md").resolve())
        texts = [entry.body, *(qa.a for qa in meta.qa)]
        if meta.attribute is Attribute.WITHHELD:
            texts += [meta.title, meta.reason or "", meta.doc_number or "", meta.summary or "",
                      *(qa.q for qa in meta.qa)]
            attachments["withheld"] += [a.file for a in meta.attachments]
        else:
            attachments["on_request"] += [a.file for a in meta.attachments]
        for text in texts:
            for frag in _fragments(text):
                secret[f"{doc_id}: {frag[:20]}"] = frag
    public_text = []
    for path in [*content.rglob("*"), *(REPO / "templates").rglob("*")]:
        if path.is_file() and path.resolve() not in secret_paths:
            public_text.append(path.read_text(encoding="utf-8", errors="ignore"))
    # the public parts of 依申请公开 documents (title, number, summary ...) are public text too
    for entry in site.documents.values():
        if entry.model.attribute is Attribute.ON_REQUEST:
            m = entry.model
            public_text += [m.title, m.doc_number or "", m.summary or "", m.reason or "", *(qa.q for qa in m.qa)]
    corpus = unicodedata.normalize("NFKC", "\n".join(public_text))
    return {k: v for k, v in secret.items() if unicodedata.normalize("NFKC", v) not in corpus}, attachments


def test_example_content_leaks_nothing(tmp_path: Path) -> None:
    content = REPO / "content"
    secrets, attachments = example_canaries(content)
    assert len(secrets) >= 5, "the example content should hold 不予公开 and 依申请公开 documents"
    in_sources = {label for _, label, _ in scan(content, secrets).leaks}
    assert in_sources == set(secrets), "positive control: every secret is found in its own source file"
    out = tmp_path / "site"
    result = build(BuildOptions(content=content, output=out, templates=REPO / "templates", today=TODAY,
                                jobs=1, project=REPO, base_url=BASE_URL))
    assert result.ok, [d.text() for d in result.diagnostics.errors]
    found = scan(out, secrets)
    assert found.leaks == []
    shared = {a for a in attachments["withheld"] + attachments["on_request"]}
    public_atts = {
        a.file for e in validate(load_content(content), TODAY)[0].documents.values()  # type: ignore[union-attr]
        if e.model.attribute is Attribute.ACTIVE for a in e.model.attachments
    }
    for att in shared - public_atts:
        assert not (out / att).exists(), f"{att} of a withheld/on-request document was copied"
