"""The benchmark's corpus generator keeps to the content contract, and what it showed stays fixed.

A small generated corpus is validated with ``load_corpus`` and built by a real
``mkdocs build --strict``; the relations that the benchmark made linear are compared with
the plain quadratic definition; item pages stay bounded in size whatever the region's size.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ENV, ROOT
from htmlcheck import content, page, section_links

sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402
from esskb import links, xrefs  # noqa: E402
from esskb.corpus import load_corpus  # noqa: E402
from esskb.model import Case, Fiche  # noqa: E402

FICHES, CASES = 20, 90


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bench") / "proj"
    generate.generate(root, FICHES, CASES)
    return root


@pytest.fixture(scope="module")
def built(generated: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=generated, env=ENV, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return generated / "site"


def test_generated_corpus_is_valid_and_has_the_asked_size(generated):
    corpus = load_corpus(generated)
    assert len(corpus.fiches) == FICHES and len(corpus.cases) == CASES
    assert len(corpus.regions) == 18 and len(corpus.themes) >= 10
    assert len({c.region for c in corpus.cases}) >= 10
    kinds = {link.kind for item in corpus.items for link in links.find(item.body, item.body_line)}
    assert kinds == {"fiche", "cas", "theme", "region"}
    words = sorted(len(item.body.split()) for item in corpus.items)
    assert words[len(words) // 2] >= 250, "bodies of a few hundred words"
    assert len({item.date for item in corpus.items}) > len(corpus.items) // 2
    assert corpus.planned, "links to planned fiches are part of a realistic corpus"


def test_generation_is_deterministic(tmp_path, generated):
    again = tmp_path / "again"
    generate.generate(again, FICHES, CASES)
    for path in sorted((generated / "cases").glob("*.md")) + sorted((generated / "fiches").glob("*.md")):
        assert (again / path.relative_to(generated)).read_bytes() == path.read_bytes(), path.name


def test_generated_corpus_builds_strict_with_every_item_page(generated, built):
    corpus = load_corpus(generated)
    for item in corpus.items:
        doc = page(built, item.url)
        assert content(doc).cssselect("h1"), item.url
    plain = generate.plain(generated, generated.parent / "plain")
    assert plain == FICHES + CASES + 1
    text = (generated.parent / "plain" / "docs" / "cas" / f"{corpus.cases[-1].slug}.md").read_text(encoding="utf-8")
    assert "](fiche:" not in text and "](../fiches/" in text


def test_case_page_lists_a_bounded_number_of_region_cases(generated, built):
    corpus = load_corpus(generated)
    by_region = defaultdict(list)
    for case in corpus.cases:
        by_region[case.region].append(case)
    region, cases = max(by_region.items(), key=lambda kv: len(kv[1]))
    assert len(cases) > xrefs.REGION_OTHERS + 1, "the generator must fill one region past the limit"
    newest = sorted(cases, key=lambda c: (-c.last_change.toordinal(), c.slug))
    oldest = newest[-1]
    doc = page(built, oldest.url)
    hrefs = section_links(doc, "esskb-region")
    listed = [h for h in hrefs if h.startswith("../") and h.count("/") == 2]  # ../<case slug>/
    assert len(listed) == xrefs.REGION_OTHERS
    assert {h.rstrip("/").rsplit("/", 1)[-1] for h in listed} == {c.slug for c in newest[: xrefs.REGION_OTHERS]}
    assert any(h.rstrip("/").endswith(f"regions/{region}") for h in hrefs)
    assert f"sur {len(cases) - 1}" in content(doc).text_content()


def test_item_pages_stay_small(built):
    sizes = [p.stat().st_size for d in ("fiches", "cas") for p in (built / d).glob("*/index.html")]
    assert len(sizes) == FICHES + CASES
    assert max(sizes) < 80_000


# -- the linear relations agree with their plain definition ------------------------------------


def _reference_related(item, by_theme, by_scheme, kinds=(Fiche, Case)):
    scores, found = defaultdict(int), {}
    for weight, groups, keys in ((xrefs.THEME_WEIGHT, by_theme, item.themes), (xrefs.SCHEME_WEIGHT, by_scheme, item.schemes)):
        for key in keys:
            for other in groups.get(key, ()):
                if other.key != item.key and isinstance(other, kinds):
                    scores[other.key] += weight
                    found[other.key] = other
    ranked = sorted(found.values(), key=lambda o: (-scores[o.key], -o.last_change.toordinal(), xrefs._sort_key(o)))
    return tuple(ranked[: xrefs.RELATED_COUNT])


def test_related_items_match_the_plain_definition(generated):
    """Related items are ranked when a page first reads them (in the worker writing it):
    nothing before, once each, the plain definition's ranking."""
    corpus = load_corpus(generated)
    rel = xrefs.relate(corpus)
    assert rel.related._done == {} and rel.related_cases._done == {} and rel.pages_of_term._mapping is None
    first = rel.related[corpus.items[0].key]
    assert list(rel.related._done) == [corpus.items[0].key] and rel.related[corpus.items[0].key] is first
    assert len(rel.related) == len(corpus.items) and set(rel.related_cases) == {c.slug for c in corpus.cases}
    with pytest.raises(KeyError):
        rel.related["cas:no-such-case"]
    assert dict(rel.pages_of_term) == xrefs._term_usage(corpus) and rel.pages_of_term._mapping is not None
    by_theme, by_scheme = defaultdict(list), defaultdict(list)
    for item in corpus.items:
        for t in item.themes:
            by_theme[t].append(item)
        for s in item.schemes:
            by_scheme[s].append(item)
    for item in corpus.items:
        assert rel.related[item.key] == _reference_related(item, by_theme, by_scheme), item.key
    for case in corpus.cases:
        assert rel.related_cases[case.slug] == _reference_related(case, by_theme, {}, kinds=(Case,)), case.slug


_REFERENCE_LINK = re.compile(links._LINK.pattern.replace(r"\[(?<![!\\]\[)", r"(?<![!\\])\[", 1))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("[]()!\\`~ \nab:#") + ["fiche:", "cas:", "](", "```", "~~~"]), max_size=40).map("".join))
def test_typed_link_pattern_matches_the_plain_one(text):
    assert _REFERENCE_LINK.pattern != links._LINK.pattern
    found = [(m.start(), m.end(), m.groupdict()) for m in links._LINK.finditer(text)]
    assert found == [(m.start(), m.end(), m.groupdict()) for m in _REFERENCE_LINK.finditer(text)]
    masked = links._mask_code(text)
    assert len(masked) == len(text) and masked.count("\n") == text.count("\n")


def test_parse_cache_returns_unchanged_files_and_sees_every_edit(generated, tmp_path):
    import shutil

    root = tmp_path / "copy"
    shutil.copytree(generated, root, ignore=shutil.ignore_patterns("site"))
    first = load_corpus(root)
    case = first.cases[0]
    path = root / case.path
    text = path.read_text(encoding="utf-8")
    stat = path.stat()
    # same size, same modification time: only the content tells the edit apart
    edited = text.replace(case.title, case.title[::-1], 1)
    assert len(edited.encode()) == len(text.encode()) and edited != text
    path.write_text(edited, encoding="utf-8")
    import os

    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = load_corpus(root)
    assert second.case_by_slug[case.slug].title == case.title[::-1]
    other = first.cases[1]
    assert second.case_by_slug[other.slug].body is other.body, "an unchanged file is not parsed again"


def test_pages_generated_by_forked_workers_are_the_serial_ones(tmp_path):
    """Past ``FORK_AT`` pages, generated pages come from forked processes: the same pages in the
    same order, byte for byte, as from one process (drafts included, as under serve)."""
    from esskb.pages import FORK_AT, site_pages

    root = tmp_path / "proj"
    fiches, cases = 20, FORK_AT  # forked: more pages than FORK_AT
    generate.generate(root, fiches, cases)
    serial = site_pages(load_corpus(root), include_drafts=True, workers=1)[1]
    forked_site, forked = site_pages(load_corpus(root), include_drafts=True, workers=2)
    assert len(serial) > fiches + cases
    assert [p.src for p in forked] == [p.src for p in serial]
    assert [p.markdown for p in forked] == [p.markdown for p in serial]
    assert forked_site.dossiers, "the parent still knows the dossiers after forking"


def problems_read_three_ways(root: Path) -> list[list[str]]:
    """The problems ``load_corpus`` raises: one process; forked readers keeping their parses;
    forked readers without."""
    from esskb import loading
    from esskb.errors import ContentError

    problems = []
    for workers, keep in ((1, True), (2, True), (2, False)):
        loading._PARSED.clear()
        with pytest.raises(ContentError) as caught:
            load_corpus(root, settings={"workers": workers}, keep_parsed=keep)
        problems.append([str(p) for p in caught.value.problems])
    return problems


def test_files_read_by_forked_workers_are_the_serial_ones(tmp_path):
    """Past ``READ_FORK_AT`` content files, each is read, parsed and checked in a forked
    process: the same corpus, the same problems in the same order as from one process, and the
    parse cache filled in the parent (``mkdocs serve`` parses only what changed). A build
    (``keep_parsed=False``) gets no parse back from the workers: a problem across files still
    gets its line."""
    from dataclasses import replace

    from esskb import loading
    from esskb.corpus import READ_FORK_AT

    root = tmp_path / "proj"
    generate.generate(root, 20, READ_FORK_AT)
    corpora = []
    for workers, keep in ((1, True), (2, True), (2, False)):
        loading._PARSED.clear()
        corpora.append(load_corpus(root, settings={"workers": workers}, keep_parsed=keep))
        assert replace(corpora[0], settings={}) == replace(corpora[-1], settings={}) and len(corpora[-1].cases) == READ_FORK_AT
        assert len(loading._PARSED) >= READ_FORK_AT if keep else len(loading._PARSED) == 0
    # the typed links the readers found, handed to the page workers: those a search finds
    from esskb import links

    links.find.cache_clear()
    read = [(c.body, c.body_line, links.find(c.body, c.body_line)) for c in corpora[-1].cases]
    assert len(links._KNOWN) == READ_FORK_AT + 20 and sum(len(found) for *_, found in read) > READ_FORK_AT
    links.know(())
    links.find.cache_clear()
    assert all(links.find(body, line) == found for body, line, found in read)
    loading._PARSED.clear()
    corpora.append(load_corpus(root, settings={"workers": 2}))
    again = load_corpus(root, settings={"workers": 2})
    assert again.cases[5].body is corpora[-1].cases[5].body, "an unchanged file is not parsed again"

    cases = sorted((root / "cases").iterdir())
    cases[3].write_bytes(b"\x89PNG\r\n")
    cases[7].write_text(cases[7].read_text(encoding="utf-8").replace("themes:\n", "themes:\n- logment\n", 1), encoding="utf-8")
    cases[9].write_text(cases[9].read_text(encoding="utf-8").replace("region:", "regoin:"), encoding="utf-8")
    cases[11].write_text(cases[11].read_text(encoding="utf-8").replace("fiches:\n", "fiches:\n- 9999\n", 1), encoding="utf-8")
    problems = problems_read_three_ways(root)
    assert problems[0] == problems[1] == problems[2] and len(problems[1]) >= 4
    assert any("logment" in p for p in problems[1]) and any(p.startswith(f"cases/{cases[3].name}:") for p in problems[1])
    unknown = [p for p in problems[2] if "fiche 9999 inconnue" in p]
    assert unknown and unknown[0].startswith(f"cases/{cases[11].name}:") and not unknown[0].startswith(f"cases/{cases[11].name}:1:")


def test_typed_links_checked_by_the_readers_give_every_problem(tmp_path):
    """Each forked reader checks its file's typed links against the targets the file names
    give; the build checks the rest against all. Broken links are reported once each, at
    their line, whichever way the files were read; a link to a case whose fields fail is not
    broken (one mistake, one message)."""
    from esskb.corpus import READ_FORK_AT

    root = tmp_path / "proj"
    generate.generate(root, 20, READ_FORK_AT)
    cases = sorted((root / "cases").iterdir())
    broken_case = cases[9]
    broken_case.write_text(broken_case.read_text(encoding="utf-8").replace("region:", "regoin:"), encoding="utf-8")
    fiche = sorted((root / "fiches").iterdir())[2]
    number = int(fiche.name.split("-")[0])
    links_added = (
        f"\n\n[cassé](cas:n-existe-pas) [cas aux champs faux](cas:{broken_case.stem}) [fiche](fiche:{number})"
        "\n\n[fiche inconnue](fiche:9998) et [thème](theme:logment) `[code](cas:ignore)`\n"
    )
    for target in (cases[4], cases[40]):
        target.write_text(target.read_text(encoding="utf-8") + links_added, encoding="utf-8")
    problems = problems_read_three_ways(root)
    assert problems[0] == problems[1] == problems[2]
    link_problems = [p for p in problems[1] if "lien vers" in p]
    assert len(link_problems) == 6, link_problems  # three broken links in each of two files
    for target in (cases[4], cases[40]):
        lines = target.read_text(encoding="utf-8").splitlines()
        first = lines.index(links_added.splitlines()[2]) + 1
        mine = [p for p in link_problems if p.startswith(f"cases/{target.name}:")]
        assert [p.split(":")[1] for p in mine] == [str(first), str(first + 2), str(first + 2)]
        assert "cas:n-existe-pas" in mine[0] and {"fiche:9998", "theme:logment"} == {w for p in mine[1:] for w in ("fiche:9998", "theme:logment") if w in p}, mine


@settings(max_examples=100, deadline=None)
@given(shares=st.lists(st.floats(min_value=0.0, max_value=0.3, allow_nan=False), min_size=1, max_size=9))
def test_repeated_builds_report_the_median_run_and_the_spread(shares):
    """``bench/run.py --repeat``: the table shows the run of median share (the lower middle
    one), every run's figures kept beside it; the spread counts the builds over 10 %."""
    import run

    figs = [dict(share=dict(share=share, own=10 * share, load=2 * share, pages=5 * share), build=10.0, wall=11.0, n=i) for i, share in enumerate(shares)]
    chosen = run.median_run(figs)
    assert chosen["share"]["share"] == sorted(shares)[(len(shares) - 1) // 2]
    assert f"notre code {100 * sorted(shares)[(len(shares) - 1) // 2]:.1f} % en médiane" in run.spread({"1000": figs})  # the same run
    assert [r["share"] for r in chosen["repeats"]] == shares
    assert [(r["load"], r["pages"]) for r in chosen["repeats"]] == [(2 * s, 5 * s) for s in shares]  # each build's stages
    summary = run.spread({"1000": figs})
    assert f"sur {len(shares)} constructions ; au-dessus de 10 % : {sum(s > 0.10 for s in shares)}" in summary
    assert f"de {100 * min(shares):.1f} à {100 * max(shares):.1f} %" in summary
