"""The front-matter fast path (``yamlread.parse_simple``) against PyYAML (``parse_full``).

Whatever the text, ``parse_simple`` either declines (None) or gives exactly what PyYAML
gives: the same values of the same types, the same line for every key path.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, ROOT

from esskb.loading import _YAML
from esskb.yamlread import YamlProblem, parse_full, parse_simple

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402


def typed(value: object) -> object:
    """``value`` with each scalar's type beside it (True == 1 in Python, not here)."""
    if isinstance(value, dict):
        return {typed(k): typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def same_as_pyyaml(text: str, first_line: int) -> bool:
    """Whether parse_simple took the text; if it did, its result is PyYAML's."""
    simple = parse_simple(text, first_line)
    if simple is None:
        return False
    try:
        full = parse_full(text, first_line)
    except YamlProblem as exc:
        pytest.fail(f"parse_simple accepted what PyYAML refuses ({exc}): {text!r}")
    assert typed(simple[0]) == typed(full[0]), text
    assert simple[1] == full[1], text
    return True


# pieces of front matter, tricky ones included: YAML's indicators, reserved words, quotes,
# comments, characters YAML refuses or reads as line breaks
KEYS = st.sampled_from(["title", "description", "year", "fiches", "themes", "draft", "date", "see_also", "yes", "No", "null", "on", "~", "<<", "a_b", "x-y", "Key1", "_x", "1a", "title "])
CHARS = st.sampled_from(list("aZé9 '\"#:-,[]{}!&*|>%@`?\\~.=+_«»\t\x85\u2028\ufeff\x7f\x00\r") + ["''", ": ", " #", "0x1", "1.5", "1_0", "012", "true", "Off", "null", "<<", "2024-03-10", "- ", "–", "’"])
WORDS = st.lists(CHARS, max_size=8).map("".join)
SCALARS = st.one_of(
    WORDS,
    WORDS.map(lambda w: f"'{w}'"),
    WORDS.map(lambda w: f'"{w}"'),
    st.lists(WORDS, max_size=4).map(lambda ws: "[" + ", ".join(ws) + "]"),
    st.sampled_from(["2025", "-3", "+4", "0", "07", "1e3", "yes", "NO", "~", "null", "", "'it''s'", "'''", "\"a\\\"b\"", "[]", "[3, 11, 12]", "[a, 'b']", "[a,]", "Co-construction et transversalité", "l'ESS : une opportunité ?", "a # comment", "a:b", "a:"]),
)
INDENTS = st.sampled_from(["", "", "  ", "    ", " "])
LINES = st.one_of(
    st.tuples(KEYS, SCALARS).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    st.tuples(KEYS, SCALARS).map(lambda kv: f"{kv[0]}:{kv[1]}"),
    KEYS.map(lambda k: f"{k}:"),
    st.tuples(INDENTS, SCALARS).map(lambda iv: f"{iv[0]}- {iv[1]}"),
    st.tuples(INDENTS, SCALARS).map(lambda iv: f"{iv[0]}-{iv[1]}"),
    st.tuples(INDENTS, KEYS, SCALARS).map(lambda t: f"{t[0]}- {t[1]}: {t[2]}"),
    st.tuples(INDENTS, WORDS).map(lambda iw: f"{iw[0]}# {iw[1]}"),
    st.tuples(INDENTS, SCALARS).map(lambda iv: f"  {iv[0]}{iv[1]}"),
    st.sampled_from(["", "   ", "---", "...", "- ", "-", "? a", "&x a", "*x", "!!str a", "a: &x b", "a: *x", "a: |", "a: >", "a: !!int 3", "a: {b: c}"]),
)
# documents in the fast path's subset (its keys, one-line scalars, lists, comments), and the
# same with one tricky piece put anywhere
SAFE_CHARS = st.sampled_from(list("abcdefghij ABCé0123456789.'-,?:!#[]»"))
SAFE_WORDS = st.lists(SAFE_CHARS, min_size=1, max_size=12).map("".join)
SAFE_SCALARS = st.one_of(
    SAFE_WORDS, SAFE_WORDS.map(lambda w: f"'{w}'"), SAFE_WORDS.map(lambda w: f'"{w}"'),
    st.lists(st.from_regex(r"[a-z0-9][a-z0-9_-]{0,4}", fullmatch=True), max_size=4).map(lambda ws: "[" + ", ".join(ws) + "]"),
)
SAFE_KEYS = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,5}", fullmatch=True)
ENTRIES = st.one_of(
    st.tuples(SAFE_KEYS, SAFE_SCALARS, st.sampled_from(["", "", " "])).map(lambda t: [f"{t[0]}: {t[1]}{t[2]}"]),
    st.tuples(SAFE_KEYS, INDENTS, st.lists(SAFE_SCALARS, max_size=4)).map(lambda t: [f"{t[0]}:"] + [f"{t[1]}- {v}" for v in t[2]]),
    st.sampled_from([[""], ["# commentaire"], ["  # commentaire : oui"], ["   "]]),
)
SUBSET = st.lists(ENTRIES, min_size=1, max_size=6).map(lambda entries: "\n".join(line for entry in entries for line in entry) + "\n")


@st.composite
def near(draw: st.DrawFn) -> str:
    text = draw(SUBSET)
    at = draw(st.integers(0, len(text)))
    return text[:at] + draw(CHARS | LINES.map(lambda line: line + "\n")) + text[at:]


DOCUMENTS = SUBSET | near() | st.lists(LINES, max_size=12).map(lambda lines: "\n".join(lines) + "\n") | st.text(max_size=200)


@settings(max_examples=4000 if IN_CI else 600, deadline=None)
@given(text=DOCUMENTS, first_line=st.sampled_from([1, 2, 5]))
@example(text="title: a\nfiches:\n- 33\n- 320\nthemes:\n  - x\n", first_line=2)
@example(text="a: 'it''s'\nb: \"l'ESS\"\nc: [3, 11]\nd: true\ne:\nf: ~\n", first_line=1)
@example(text="a: b\n  c\n", first_line=1)  # a plain scalar on two lines: PyYAML's
@example(text="a:\n- b\n  - c\n", first_line=1)  # items at two indents: PyYAML's (an error)
@example(text="a: b\na: c\n", first_line=1)  # a key twice: PyYAML's
def test_the_fast_path_gives_what_pyyaml_gives(text, first_line):
    same_as_pyyaml(text, first_line)


def _front_matters(folder: Path) -> list[str]:
    return [_YAML.split(path.read_text(encoding="utf-8"))[0] for path in sorted(folder.glob("*.md"))]


def test_the_fast_path_takes_the_front_matter_authors_write(tmp_path):
    """Every bundled case and the bench's generated cases go the fast way, with PyYAML's
    result; fiches too, but those with resources (maps in a list: PyYAML's)."""
    generate.generate(tmp_path, fiches=20, cases=80)
    texts = _front_matters(ROOT / "cases") + _front_matters(CORPUS / "cases")
    texts += _front_matters(tmp_path / "cases")
    taken = [same_as_pyyaml(text, 2) for text in texts]
    assert all(taken), [text for text, took in zip(texts, taken) if not took][:2]
    fiches = _front_matters(ROOT / "fiches") + _front_matters(CORPUS / "fiches") + _front_matters(tmp_path / "fiches")
    plain = [text for text in fiches if "resources:" not in text]
    assert plain and all(same_as_pyyaml(text, 2) for text in plain)
