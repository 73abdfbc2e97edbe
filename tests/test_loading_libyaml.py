"""The C (libyaml) composer and the pure-Python one give the same node trees and marks.

`yamltree.compose` uses libyaml when PyYAML has it and falls back to the pure loader when the C
one raises; so for every input it must give exactly the pure loader's tree (tags, values,
styles, start marks, the end marks of scalars), or raise exactly the pure loader's error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from gongkai.loading import yamltree
from gongkai.loading.yamltree import compose, split_front_matter

REPO = Path(__file__).resolve().parent.parent


def test_this_machine_has_libyaml() -> None:
    """Without it the C path is never exercised and the tests below would prove nothing."""
    assert yaml.__with_libyaml__ and yamltree.WITH_LIBYAML


def tree(n: yaml.Node | None) -> Any:
    if n is None:
        return None
    if isinstance(n, yaml.ScalarNode):
        value: Any = n.value
    elif isinstance(n, yaml.SequenceNode):
        value = [tree(c) for c in n.value]
    else:
        value = [(tree(k), tree(v)) for k, v in n.value]
    # The end of a collection can differ where the text ends without a newline (libyaml: the
    # next line, column 0; the pure loader: the last line's end); gongkai reads only the end of
    # scalars (where a quoted or block scalar stops), so collections are compared by their start.
    ends = (n.end_mark,) if isinstance(n, yaml.ScalarNode) else ()
    marks = tuple((m.line, m.column, m.index) for m in (n.start_mark, *ends))
    # flow_style is left out: libyaml and the pure parser differ on indentless sequences, and
    # gongkai never reads it
    return (type(n).__name__, n.tag, getattr(n, "style", None), marks, value)


def pure(text: str) -> Any:
    try:
        return ("ok", tree(yaml.compose(text, Loader=yaml.BaseLoader)))
    except (yaml.YAMLError, RecursionError) as exc:
        return ("error", type(exc).__name__, str(exc))


def ours(text: str) -> Any:
    try:
        return ("ok", tree(compose(text)))
    except (yaml.YAMLError, RecursionError) as exc:
        return ("error", type(exc).__name__, str(exc))


def c_only(text: str) -> Any:
    """The C composer's tree, as `compose` takes it (None where it takes the pure path)."""
    if "\t" in text:
        return pure(text)  # compose() takes the pure path there
    terminated = text.endswith("\n")
    try:
        node = yaml.compose(text if terminated else text + "\n", Loader=yaml.CBaseLoader)
    except (yaml.YAMLError, RecursionError):
        return None
    if not terminated and not yamltree._ends_cleanly(node, len(text)):
        return None
    yamltree.plain_style(node)
    return ("ok", tree(node))


def example_texts() -> list[tuple[str, str]]:
    out = []
    for path in sorted((REPO / "content").rglob("*")):
        if path.suffix not in (".md", ".yaml", ".yml") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".md":
            split = split_front_matter(text)
            if split is None:
                continue
            text = split[0]
        out.append((path.relative_to(REPO).as_posix(), text))
    return out


def test_the_example_content_composes_identically() -> None:
    texts = example_texts()
    assert len(texts) > 20
    taken = 0
    for name, text in texts:
        expected = pure(text)
        assert expected[0] == "ok", name
        c = c_only(text)
        # the C path itself was taken, and agrees (a front matter that ends with a block scalar,
        # such as a consultation's text, takes the pure path)
        assert c is None or c == expected, name
        taken += c is not None
        assert ours(text) == expected, name
    assert taken >= 0.9 * len(texts)


ATOMS = st.sampled_from([
    "title", "attribute", "item", "标题", "关于做好低保工作的通知", "主动公开", "no", "~", "12", "2026-03-05",
    ":", ": ", "：", "- ", "  ", "    ", "\t", "\u3000", "\n", "[", "]", "{", "}", ",", '"', "'", "#", "&a", "*a",
    "|", "|-", ">", "---", "...", "?", "!!str", "\\", "\u00e9", "\U0001f600", "\r\n", "\x85", "\ufeff",
])

SCALARS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
DATA = st.recursive(
    st.one_of(SCALARS, st.integers(), st.none(), st.booleans(), st.dates()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(SCALARS, inner, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(atoms=st.lists(ATOMS, max_size=50))
@example(atoms=["title", "\ufeff", "\n"])  # a byte-order mark inside the text: libyaml counts it as a column
@example(atoms=["title", "\ufeff", ": ", "12", "\n"])
@example(atoms=["title", ": ", "|", "\n", "  ", "标题"])  # unterminated block scalar: no line break added to its value
@example(atoms=["title", ":"])  # unterminated empty value: where the node is placed
@example(atoms=["- ", "\n", "- "])
def test_random_token_soup_composes_identically(atoms: list[str]) -> None:
    text = "".join(atoms)
    assert ours(text) == pure(text)
    # a front matter never ends with a line break: the same text without it
    assert ours(text.rstrip("\n")) == pure(text.rstrip("\n"))


def test_front_matter_takes_the_c_path() -> None:
    """`split_front_matter` drops the last line break: the usual front matter must still be
    composed by libyaml (it was not, and a 10,000-document build parsed in pure Python)."""
    text = split_front_matter("---\ntitle: 关于做好低保工作的通知\nvillages: [a, b]\npublished: 2026-03-05\n---\n正文\n")[0]
    assert not text.endswith("\n")
    assert c_only(text) is not None and c_only(text) == pure(text)
    calls: list[Any] = []
    real = yaml.compose

    def spy(stream: Any, Loader: Any = None) -> Any:
        calls.append(Loader)
        return real(stream, Loader=Loader)

    expected = pure(text)
    yamltree.yaml.compose = spy  # type: ignore[assignment]
    try:
        assert ours(text) == expected
    finally:
        yamltree.yaml.compose = real  # type: ignore[assignment]
    assert calls == [yaml.CBaseLoader]
    for unsafe in ("title: |\n  x", "title:", "a: b\nc: >\n  long"):
        assert c_only(unsafe) is None and ours(unsafe) == pure(unsafe)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=DATA, flow=st.sampled_from([None, True, False]), unicode=st.booleans(), width=st.sampled_from([20, 80]))
def test_dumped_documents_compose_identically(data: Any, flow: bool | None, unicode: bool, width: int) -> None:
    text = yaml.safe_dump(data, allow_unicode=unicode, default_flow_style=flow, width=width)
    expected = pure(text)
    assert ours(text) == expected
    if expected[0] == "ok":
        assert c_only(text) == expected
