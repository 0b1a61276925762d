"""Property-based fuzzing of the loader: whatever the input, a model or clear errors.

``esskb.loading.split_markdown`` and ``esskb.corpus.load_corpus`` must return a value or
raise ``ContentError`` whose problems are ``path:line: message`` lines; never anything else.
A few thousand examples in CI (CI=true), a few hundred elsewhere.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from markupsafe import Markup
from markupsafe import escape as markupsafe_escape
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import CORPUS

from esskb.corpus import load_corpus
from esskb.errors import ContentError
from esskb.loading import split_markdown
from esskb.model import MATERIAL_KEYS, Corpus
from esskb.htmlblocks import KnownBlocks
from esskb.validation import CASE_KEYS, FICHE_KEYS

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
FUZZ = settings(
    max_examples=1200 if IN_CI else 120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=not IN_CI,  # the same examples on every local run; new ones in CI
)

KEYS = sorted(set(FICHE_KEYS + CASE_KEYS + MATERIAL_KEYS + ("url", "publisher", "label", "slug")))
TRICKY = [
    "javascript:alert(1)", "https://example.org/<script>", "mailto:a@b", "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>", "2026-02-30", "2026-13-01", "0000-00-00", "logement", "bretagne",
    "SRDEII", "ESS", "fiche:1", "cas:bretagne-habitat", "theme:logement", "region:bretagne", "~", "null",
    "yes", "1e999", "-1", "0", "&a", "*a", "!!python/object:os.system", "'", '"', "\t", "\u00a0", "\ufeff",
]
BODY_PARTS = [
    "[lien](fiche:1)", "[lien](fiche:99#ancre)", "[x](cas:", "](cas:inconnu)", "[t](theme:logemnt)", "[r](region:)",
    "](fiche:", "*[ESS]: Économie sociale", "\n---\n", "```\n[code](fiche:404)\n```", "<script>alert(1)</script>",
    "{{ page.title }}", "{% raw %}", "--8<-- \"/etc/passwd\"", "\x00", "\r\n", "\u2028", "# Titre\n", "|a|b|\n|-|-|\n",
]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40), st.sampled_from(TRICKY), st.dates().map(str),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)
# valid front-matters of the fixture corpus, with a few keys changed: reaches the deep checks
VALID = [
    {"number": 1, "title": "Habitat", "description": "D.", "themes": ["logement"], "date": "2026-01-01", "see_also": [2]},
    {"title": "Cas", "description": "D.", "region": "bretagne", "actor": "A", "fiches": [1], "themes": ["logement"], "date": "2026-01-01"},
]
mutated = st.builds(lambda base, changes: {**base, **changes}, st.sampled_from(VALID), st.dictionaries(st.sampled_from(KEYS), values, max_size=3))
front_matters = mutated | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=12) | st.integers(), values, max_size=14)
bodies = st.lists(st.text(max_size=30) | st.sampled_from(BODY_PARTS), max_size=8).map("".join)


@st.composite
def yaml_texts(draw) -> str:
    """A YAML front-matter, well formed or not: a dumped mapping, then maybe corrupted."""
    text = yaml.safe_dump(draw(front_matters), allow_unicode=True, sort_keys=False)
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        garbage = draw(st.sampled_from(["&a ", "*a", "<<: *a\n", "[", "]", "{", ": ", "\n  - ", "\t", "'", '"', "---\n", "!!binary x", "? "]) | st.text(max_size=5))
        text = text[:at] + garbage + text[at:]
    return text


@st.composite
def markdown_files(draw) -> str:
    fm = draw(yaml_texts())
    opening = draw(st.sampled_from(["---\n", "---\r\n", "--- \n", "\ufeff---\n", "", "----\n"]))
    closing = draw(st.sampled_from(["---\n", "...\n", "---", "", "--- #\n"]))
    return opening + fm + closing + draw(bodies)


def _check_problems(exc: ContentError, paths: set[str]) -> None:
    assert exc.problems, "ContentError sans problème"
    for problem in exc.problems:
        assert problem.path in paths, problem
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        assert isinstance(problem.message, str) and problem.message.strip(), problem
        assert str(problem).startswith(f"{problem.path}:{problem.line}: ")
        assert "Traceback" not in problem.message


@FUZZ
@given(text=st.text() | markdown_files())
def test_split_markdown_returns_a_source_or_clear_errors(text):
    try:
        source = split_markdown("fiches/01-x.md", text)
    except ContentError as exc:
        _check_problems(exc, {"fiches/01-x.md"})
    else:
        assert isinstance(source.meta, dict)
        assert source.body_line >= 1


@pytest.fixture(scope="module")
def fuzz_root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(CORPUS / "data", root / "data")
    return root


def _reset(root: Path) -> None:
    for folder in ("fiches", "cases"):
        shutil.rmtree(root / folder, ignore_errors=True)
        (root / folder).mkdir()


def _names(prefix: str) -> st.SearchStrategy[str]:
    odd = st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=20)
    return st.sampled_from([f"{prefix}x.md", "01-habitat.md", "1-a.md", "07-reemploi.md", "bretagne-x.md"]) | odd.map(lambda n: n + ".md")


@FUZZ
@given(files=st.lists(st.tuples(st.sampled_from(["fiches", "cases"]), _names("01-"), markdown_files() | st.binary(max_size=200)), min_size=1, max_size=3))
def test_load_corpus_returns_a_corpus_or_clear_errors(fuzz_root, files):
    _reset(fuzz_root)
    written = set()
    for folder, name, content in files:
        if name in (".md", "..md"):
            continue
        path = fuzz_root / folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", errors="surrogatepass")
        written.add(f"{folder}/{name}")
    try:
        corpus = load_corpus(fuzz_root, docs_dir="docs")
    except ContentError as exc:
        _check_problems(exc, written | {f"data/{p.name}" for p in (fuzz_root / "data").iterdir()})
    else:
        assert isinstance(corpus, Corpus)
        assert len(corpus.fiches) + len(corpus.cases) <= len(written)


@settings(max_examples=2000 if IN_CI else 300, deadline=None)
@given(
    term=st.sampled_from(["ESS", "SCIC", "NOTRe", "PTCE", "CRESS", "SRDEII"]),
    text=st.lists(st.sampled_from(list("ESSCINOTRePTRDabé_ -'().\n0") + ["ESS", "SCIC", "NOTRe"]), max_size=30).map("".join),
    at=st.integers(0, 5),
)
def test_glossary_word_search_matches_python_markdown_word_boundaries(term, text, at):
    """Which glossary definitions a page carries (esskb.glossary): the same whole-word rule
    as the regex ``\\bTERM\\b`` that Python-Markdown's abbr extension applies, whichever
    character of the term is searched first."""
    import re

    from esskb.glossary import whole_word, word_edges

    assert whole_word(text, term, "_", *word_edges(term), at % len(term)) == bool(re.search(r"\b" + re.escape(term) + r"\b", text))


@settings(max_examples=2000 if IN_CI else 300, deadline=None)
@given(
    term=st.sampled_from(["ESS", "SCIC", "NOTRe", "PTCE", "CRESS", "SRDEII", "loi ESS"]),
    text=st.lists(st.sampled_from(list("ESSCINOTRePTRDabé_ -'().\n0l") + ["ESS", "SCIC", "NOTRe", "loi "]), max_size=30).map("".join),
    at=st.integers(0, 6),
)
def test_term_usage_search_matches_the_term_pattern(term, text, at):
    """Which pages use a glossary term (esskb.xrefs, the glossary page): the same rule as
    ``term_pattern``, no word character nor hyphen on either side, whichever character of
    the term is searched first."""
    from esskb.xrefs import term_pattern, uses_term

    assert uses_term(text, term, at % len(term)) == bool(term_pattern({term: None}).search(text))  # type: ignore[arg-type]


_DOCS_PATHS = st.lists(st.sampled_from(["cas", "fiches", "themes", "a", "b"]), max_size=3).flatmap(
    lambda folders: st.sampled_from(["index.md", "x.md", "cas.md", "b.md"]).map(lambda name: "/".join([*folders, name]))
)
# site URLs from the root: a folder URL ("cas/x/", "" for the home page) or a file ("x.pdf")
_URLS = st.lists(st.sampled_from(["cas", "fiches", "themes", "a", "b"]), max_size=3).flatmap(
    lambda folders: st.sampled_from(["", "x.pdf", "feed.xml", "index.html"]).map(lambda name: "".join(f"{f}/" for f in folders) + name)
)


def _relpath_href(here: str, url: str, directory_urls: bool) -> str:
    """The plain definition: ``posixpath.relpath`` between the page's folder and the URL,
    with the trailing ``/`` of folder URLs."""
    import posixpath

    from esskb.pages import url_of

    page = url_of(here, directory_urls)
    folder = page if page.endswith("/") else posixpath.dirname(page)
    href = posixpath.relpath(url or ".", folder.strip("/") or ".")
    return href + "/" if (not url or url.endswith("/")) and not href.endswith("/") else href


@settings(max_examples=2000 if IN_CI else 300, deadline=None)
@given(here=_DOCS_PATHS, target=_DOCS_PATHS, url=_URLS, anchor=st.sampled_from(["", "#x"]), directory_urls=st.booleans())
def test_page_hrefs_are_posixpath_relpath(here, target, url, anchor, directory_urls):
    """Generated pages' hrefs (esskb.pages.Hrefs, cached by page and by target, with
    ``startswith`` instead of relpath's ``abspath`` calls) are what ``posixpath.relpath``
    gives, to a page (docs path, anchor kept) and to any site URL (``Site.raw_href``)."""
    from esskb.pages import Hrefs, url_of

    hrefs = Hrefs(directory_urls)
    for _ in range(2):  # cold, then from its caches
        assert hrefs(here, target + anchor) == _relpath_href(here, url_of(target, directory_urls), directory_urls) + anchor
        assert hrefs.to_url(here, url) == _relpath_href(here, url, directory_urls)


@settings(max_examples=1000 if IN_CI else 200, deadline=None)
@given(
    heres=st.lists(_DOCS_PATHS, min_size=1, max_size=6),
    parts=st.lists(st.one_of(st.sampled_from(["<li>", " · ", "x"]), st.tuples(_DOCS_PATHS, st.sampled_from(["", "#x"]))), max_size=6),
    directory_urls=st.booleans(),
)
@example(heres=["x.md", "b.md"], parts=[("x.md", "")], directory_urls=True)  # a link into the first page's own folder
@example(heres=["b.md", "x.md", "b.md"], parts=["<li>", ("x.md", "#x"), ("themes/index.md", "")], directory_urls=True)
def test_link_markers_resolve_as_from_each_page(heres, parts, directory_urls):
    """Lists are written once with link markers, then resolved for each page
    (``Hrefs.resolve``): every page gets what ``posixpath.relpath`` gives from it, links into
    its own folder and to its own URL included."""
    from esskb.pages import Hrefs, url_of

    hrefs = Hrefs(directory_urls)
    template = "".join(p if isinstance(p, str) else hrefs.marker(p[0] + p[1]) for p in parts)
    for here in heres * 2:
        expected = "".join(p if isinstance(p, str) else _relpath_href(here, url_of(p[0], directory_urls), directory_urls) + p[1] for p in parts)
        assert hrefs.resolve(template, here) == expected


def _html_blocks_by_lines(text: str) -> tuple[tuple[int, int], ...]:
    """``esskb.htmlblocks.html_blocks`` written plainly: paragraph by paragraph, line by line."""
    found, start = [], 0
    for chunk in text.split("\n\n"):
        lead = len(chunk) - len(chunk.lstrip("\n"))
        block = chunk[lead:].rstrip("\n")
        if block.startswith("<") and ">" in block:
            words = block[1:].split(">", 1)[0].split()
            tag = words[0] if words else ""
            if (
                tag in ("ul", "ol", "div", "p", "details", "table", "nav", "dl")
                and block.endswith(f"</{tag}>")
                and "markdown" not in block.split("\n", 1)[0]
                and " id=" not in block
                and " name=" not in block
                and all(line.strip() for line in block.split("\n"))
                and block.count(f"<{tag}>") + block.count(f"<{tag} ") == block.count(f"</{tag}>")
            ):
                found.append((start + lead, start + lead + len(block)))
        start += len(chunk) + 2
    return tuple(found)


_BLOCKS = st.tuples(
    st.sampled_from(["<ul>", "<div>", '<div id="a">', "<p markdown>", '<ul class="x">', "< ul>", "<dl>", "<>", "<ul"]),
    st.lists(st.sampled_from(["<li>a</li>", " ", "\t", "\u00a0", "", "<ul>", "</ul>", '<a name="n">', "text", "\r"]), max_size=3),
    st.sampled_from(["</ul>", "</div>", "</p>", "</dl>", "</ul> ", "</ul>\n"]),
).map(lambda t: "\n".join([t[0], *t[1], t[2]]))


@settings(max_examples=2000 if IN_CI else 300, deadline=None)
@given(
    text=st.lists(
        # each part, then what follows it: a blank line (twice as often), a line break, two blank lines
        st.tuples(st.one_of(_BLOCKS, st.sampled_from(["text", "", "\n", "<p>x</p>", "# T"])), st.sampled_from(["\n\n", "\n\n", "\n", "\n\n\n"])),
        max_size=6,
    ).map(lambda parts: "".join(part + between for part, between in parts)),
)
def test_raw_html_blocks_are_found_as_line_by_line(text):
    """Where generated pages' raw HTML blocks are (handed to Markdown's HTML stash): the
    same as the plain paragraph-by-paragraph, line-by-line reading; the same again with
    the blocks found valid on earlier pages (``KnownBlocks``, shared by every example)."""
    from esskb.htmlblocks import html_blocks

    assert html_blocks(text) == _html_blocks_by_lines(text)
    assert html_blocks(text, _KNOWN) == _html_blocks_by_lines(text)
    assert html_blocks(text, _KNOWN) == _html_blocks_by_lines(text)  # its own blocks known now
    joined = text.rstrip("\n") + "\nx"  # its last block, if any, now goes on with a line
    assert html_blocks(joined, _KNOWN) == _html_blocks_by_lines(joined)


_KNOWN = KnownBlocks(size=8, min_length=0, head=4)


@pytest.fixture(scope="module")
def small_corpus() -> Corpus:
    return load_corpus(CORPUS)


_LIST_PAGES = st.sampled_from(["cas.md", "fiches.md", "x.md", "index.md", "cas/index.md", "cas/a.md", "cas/bretagne-garage.md", "fiches/05-x.md", "themes/t.md", "a/b/c.md"])


@settings(max_examples=400 if IN_CI else 80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pages=st.lists(st.tuples(_LIST_PAGES, st.sampled_from(["item", "case"]), st.lists(st.integers(0, 20), max_size=5)), min_size=1, max_size=8),
    directory_urls=st.booleans(),
)
@example(pages=[("cas.md", "case", [0, 1]), ("cas/a.md", "case", [0, 1]), ("cas.md", "case", [0, 1])], directory_urls=True)
def test_generated_lists_are_those_of_each_page(small_corpus, pages, directory_urls):
    """``Site.html_list`` keeps a list with its links as markers: every page still gets the
    list resolved from itself (a new Site each time), whichever page listed it first, a page
    whose own folder holds the listed items (``cas.md``, with directory URLs) included."""
    from dataclasses import replace as with_settings

    from esskb.pages import Site

    corpus = with_settings(small_corpus, settings={**small_corpus.settings, "use_directory_urls": directory_urls})
    site = Site(corpus)
    items = list(corpus.cases) + list(corpus.fiches)
    for here, style, picks in pages * 2:
        chosen = [items[i % len(items)] for i in picks if style == "item" or isinstance(items[i % len(items)], type(corpus.cases[0]))]
        assert site.html_list(style, chosen, here) == Site(corpus).html_list(style, chosen, here)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_item_views_are_those_a_fresh_site_makes_for_each_page(small_corpus, directory_urls):
    """An item page's links and lists (``itemview``) come from the caches one Site fills page
    after page (lists and links by combination): each view is the one a new Site makes
    for that page alone, and its hrefs are ``posixpath.relpath``'s from the page."""
    from dataclasses import replace as with_settings

    from esskb.itemview import case_view, fiche_view
    from esskb.pages import Site, url_of
    from esskb.xrefs import REGION_OTHERS

    corpus = with_settings(small_corpus, settings={**small_corpus.settings, "use_directory_urls": directory_urls})
    site = Site(corpus)
    for _ in range(2):
        for case in corpus.cases:
            view = case_view(site, case)
            assert view == case_view(Site(corpus), case)
            region = corpus.region_by_slug[case.region]
            assert view.region_href == _relpath_href(case.src, url_of(region.src, directory_urls), directory_urls)
            assert view.index == _relpath_href(case.src, url_of("cas/index.md", directory_urls), directory_urls)
            assert view.regions_index == _relpath_href(case.src, url_of("regions/index.md", directory_urls), directory_urls)
            others = sum(c.region == case.region for c in corpus.cases) - 1  # counted from the corpus
            assert (view.others_count, view.more) == (min(others, REGION_OTHERS), max(others - REGION_OTHERS, 0))
        for fiche in corpus.fiches:
            view = fiche_view(site, fiche)
            assert view == fiche_view(Site(corpus), fiche)
            assert view.home == _relpath_href(fiche.src, url_of("index.md", directory_urls), directory_urls)
            assert view.index == _relpath_href(fiche.src, url_of("fiches/index.md", directory_urls), directory_urls)
            assert view.cases_count == sum(fiche.number in c.fiches for c in corpus.cases)


@settings(max_examples=2000 if IN_CI else 300, deadline=None)
@given(text=st.one_of(
    st.text(alphabet="ab-z09 ÉéœŒ_.", max_size=90),
    st.from_regex(r"[a-z0-9]{1,40}(-[a-z0-9]{1,40}){0,3}", fullmatch=True),
))
def test_slugify_gives_a_slug_back_as_it_is(text):
    """``slugify`` hands a slug back unchanged without normalising it (the case slugs the
    checks across files fold): the result is the full normalisation's, whatever the text."""
    from esskb.slugs import _NON_ALNUM, fold, slugify

    assert slugify(text) == _NON_ALNUM.sub("-", fold(text)).strip("-")[:80].rstrip("-")


class _Html:
    def __html__(self) -> str:
        return "<b>déjà sûr</b>"


@FUZZ
@given(value=st.one_of(st.text(), st.text().map(Markup), st.integers(), st.none(), st.just(_Html()), st.sampled_from(TRICKY)))
def test_templates_escape_as_markupsafe(value):
    """Templates print values through ``render.fast_escape``: the same text and type as
    ``markupsafe.escape``, whatever the value, in a function and in a compiled template."""
    from esskb.render import environment, fast_escape

    expected = markupsafe_escape(value)
    assert type(fast_escape(value)) is Markup and fast_escape(value) == expected
    template = environment().from_string("[{{ value }}]")
    assert template.render(value=value) == f"[{expected}]"


def test_templates_are_compiled_with_fast_escape():
    """Autoescaped output goes through ``fast_escape`` (a change of Jinja's code generator
    would silently bring back ``markupsafe.escape``: as safe, but slower)."""
    from esskb.render import environment

    code = environment().compile("{{ value }}", raw=True)
    assert "environment.fast_escape(" in code and "escape(" not in code.replace("environment.fast_escape(", "")
