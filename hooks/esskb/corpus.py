"""load -> validate: from a project folder to one immutable ``Corpus``, or every problem."""

from __future__ import annotations

from pathlib import Path
from typing import Collection, Mapping

from . import links
from .errors import ContentError, Problem
from .loading import Source, content_files, read_markdown, split_markdown, read_text
from .model import Case, Corpus, DocPage, Fiche
from .settings import setting_problems
from .validation import case_from, check_corpus, fiche_from, template_problems
from .vocabularies import Vocabularies, load_vocabularies

FICHES_DIR = "fiches"
CASES_DIR = "cases"


def load_corpus(
    root: Path | str, docs_dir: str = "docs", settings: Mapping[str, object] | None = None, templates: Collection[str] | None = None
) -> Corpus:
    """Read and validate everything; raise ``ContentError`` with all problems found.
    ``templates``: the theme's templates a page's ``template`` key may name (None: not checked)."""
    root = Path(root)
    problems: list[Problem] = []
    try:
        vocab = load_vocabularies(root)
    except ContentError as exc:
        problems.extend(exc.problems)
        vocab = Vocabularies((), (), (), (), {})

    sources: dict[str, Source] = {}
    for rel in content_files(root, FICHES_DIR) + content_files(root, CASES_DIR):
        try:
            sources[rel] = read_markdown(root, rel)
        except ContentError as exc:
            problems.extend(exc.problems)

    fiches: list[Fiche] = []
    cases: list[Case] = []
    for rel, src in sources.items():
        if rel.startswith(FICHES_DIR + "/"):
            fiche = fiche_from(src, vocab, problems)
            if fiche:
                fiches.append(fiche)
        else:
            case = case_from(src, vocab, problems)
            if case:
                cases.append(case)

    bodies = [(rel, src.body, src.body_line) for rel, src in sources.items()]
    pages = _doc_pages(root, docs_dir, bodies, problems)
    check_corpus(fiches, cases, sources, bodies, vocab, problems)
    if templates is not None:
        problems.extend(template_problems(sources, templates))
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
