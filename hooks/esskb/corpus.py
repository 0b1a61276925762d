"""load -> validate: from a project folder to one immutable ``Corpus``, or every problem."""

from __future__ import annotations

from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Collection, Mapping

from . import links, prerender
from .errors import ContentError, Problem
from .loading import Source, content_files, parsed_entry, read_markdown, read_text, remember, split_markdown
from .model import Case, Corpus, DocPage, Fiche
from .settings import setting_problems
from .validation import case_from, check_corpus, fiche_from, link_targets, template_problem, unresolved_links
from .vocabularies import Vocabularies, load_vocabularies
from .yamlread import Lines

READ_FORK_AT = 500  # content files: below, forking costs more than it saves
READ_CHUNK = 64  # files per job: at 1,000 files, 0.120 s of loading against 0.133 s with 256 (medians of ten, in turns)
FICHES_DIR = "fiches"
CASES_DIR = "cases"


def load_corpus(
    root: Path | str,
    docs_dir: str = "docs",
    settings: Mapping[str, object] | None = None,
    templates: Collection[str] | None = None,
    keep_parsed: bool = True,
) -> Corpus:
    """Read and validate everything; raise ``ContentError`` with all problems found.
    ``templates``: the theme's templates a page's ``template`` key may name (None: not checked).
    ``keep_parsed``: forked readers hand each file's parse back, for the next load (``mkdocs
    serve`` parses again only the files that changed); a one-off build does without."""
    root = Path(root)
    problems: list[Problem] = []
    try:
        vocab = load_vocabularies(root)
    except ContentError as exc:
        problems.extend(exc.problems)
        vocab = Vocabularies((), (), (), (), {})

    rels = content_files(root, FICHES_DIR) + content_files(root, CASES_DIR)
    targets = link_targets(rels, vocab)  # what file names and vocabularies give (finding links was most of the checks across files)
    read = read_sources(root, rels, vocab, prerender.workers_wanted(dict(settings or {})), templates, keep_parsed)
    problems.extend(problem for one in read for problem in one.unreadable)  # as before: reading first,
    problems.extend(problem for one in read for problem in one.problems)  # then each file's fields
    fiches = [one.item for one in read if isinstance(one.item, Fiche)]
    cases = [one.item for one in read if isinstance(one.item, Case)]

    def lines_of(rel: str) -> Lines:  # where a cross-file problem stands (from the parse cache, or parsed again)
        return read_markdown(root, rel).lines

    # the typed links to no target file names give are checked against all; an unreadable
    # file is no target: every link is checked then
    whole = any(one.body is None for one in read)
    found = [(one.rel, links.find(one.body, one.body_line) if whole else unresolved_links(one.link_rows, targets)) for one in read if one.body is not None]
    bodies: list[tuple[str, str, int]] = []
    pages = _doc_pages(root, docs_dir, bodies, problems)
    found += [(rel, links.find(body, body_line)) for rel, body, body_line in bodies]
    check_corpus(fiches, cases, [one.rel for one in read if one.body is not None], lines_of, found, vocab, problems)
    problems.extend(problem for one in read for problem in one.template)
    problems.extend(setting_problems(settings or {}, root))
    if problems:
        raise ContentError(problems)
    return Corpus(
        fiches=tuple(sorted(fiches, key=lambda f: f.number)),
        cases=tuple(sorted(cases, key=lambda c: c.slug)),
        themes=vocab.themes,
        regions=vocab.regions,
        terms=vocab.terms,
        planned=vocab.planned,
        pages=pages,
        settings=dict(settings or {}),
    )


def content_count(root: Path | str) -> int:
    """How many fiches and cases the project holds (files listed, none read)."""
    return len(content_files(Path(root), FICHES_DIR)) + len(content_files(Path(root), CASES_DIR))


@dataclass(frozen=True)
class ReadFile:
    """One content file, read and checked on its own."""

    rel: str
    item: Fiche | Case | None
    unreadable: tuple[Problem, ...]  # why it could not be read
    problems: tuple[Problem, ...]  # what its front matter gets wrong
    template: tuple[Problem, ...] = ()  # a ``template`` the theme does not have
    body: str | None = None  # the author's text (None: unreadable)
    body_line: int = 1
    link_rows: tuple[links.Row, ...] = ()  # every typed link of the body (links.rows)
    parsed: tuple[bytes, Source] | None = None  # for loading's parse cache (mkdocs serve)


def read_sources(
    root: Path, rels: list[str], vocab: Vocabularies, workers: int = 1, templates: Collection[str] | None = None, keep: bool = True
) -> list[ReadFile]:
    """Read, parse and check each file on its own, in ``rels`` order; in forked workers when
    there are enough files (YAML parsing was most of loading 5,000 files). Unless ``keep``,
    workers hand back no parse: sending them back cost the parent half as long as parsing."""
    suggested = sorted(t for t in templates or () if "/" not in t)  # page templates, not partials

    def one(i: int) -> ReadFile:
        rel = rels[i]
        try:
            src = read_markdown(root, rel)
        except ContentError as exc:
            return ReadFile(rel, None, tuple(exc.problems), ())
        parsed = parsed_entry(root, rel)
        problems: list[Problem] = []
        item = fiche_from(src, vocab, problems) if rel.startswith(FICHES_DIR + "/") else case_from(src, vocab, problems)
        template = template_problem(src, templates, suggested) if templates is not None else None
        found = links.rows(links.find(src.body, src.body_line))
        return ReadFile(rel, item, (), tuple(problems), (template,) if template else (), src.body, src.body_line, found, parsed)

    def forked(i: int) -> tuple[int, ReadFile]:
        read = one(i)
        return i, read if keep else replace(read, parsed=None)

    cold = sum(parsed_entry(root, rel) is None for rel in rels) > len(rels) // 2  # not a serve rebuild
    if workers > 1 and len(rels) >= READ_FORK_AT and cold:
        try:
            found = dict(prerender.run_forked(forked, len(rels), workers, chunk=READ_CHUNK))
        except BrokenProcessPool:  # a worker died: one process reads them all
            found = {}
        if len(found) == len(rels):
            for read in found.values():
                if read.parsed is not None:
                    remember(root, read.rel, read.parsed)
            links.know((read.body, read.body_line, read.link_rows) for read in found.values() if read.body is not None)
            return [found[i] for i in range(len(rels))]
    return [one(i) for i in range(len(rels))]


def _doc_pages(root: Path, docs_dir: str, bodies: list[tuple[str, str, int]], problems: list[Problem]) -> tuple[DocPage, ...]:
    """Hand-written pages holding typed links: their links are checked with the rest."""
    base = root / docs_dir
    pages = []
    if not base.is_dir():
        return ()
    for path in sorted(base.rglob("*.md")):
        rel = path.relative_to(root).as_posix()
        try:
            text = read_text(root, rel)
        except ContentError as exc:
            problems.extend(exc.problems)
            continue
        if not any(f"]({kind}:" in text for kind in links.KINDS):
            continue
        body, body_line = text, 1
        if text.startswith("---"):
            try:
                src = split_markdown(rel, text)
                body, body_line = src.body, src.body_line
            except ContentError:
                pass  # MkDocs reports its own pages' front-matter errors
        bodies.append((rel, body, body_line))
        pages.append(DocPage(rel, path.relative_to(base).as_posix(), body_line))
    return tuple(pages)
