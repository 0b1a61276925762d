"""Cross-training dossiers ("formations croisées"): one per theme, or a trainer's own selection.

A dossier gathers, for one theme (or a chosen set of fiches, cases and themes), the full
text of each published fiche and case, the glossary entries those texts use, the
resources and the workshop questions. It is rendered twice from one Markdown template:
as a page of the site (``formations/<theme>/``) and as a standalone HTML document, the
source of the PDF. Nothing here imports MkDocs; drafts never enter a dossier because
every selection is made from ``site.corpus``, the published corpus.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Sequence
from urllib.parse import urlsplit, urlunsplit

import markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .glossary import abbreviations
from .model import Case, Content, Fiche, Resource, Term, Theme
from .htmlblocks import html_blocks
from .pages import Page, Site, front_matter, url_of
from .render import md, render
from .settings import dossier_max_items
from .xrefs import term_pattern

FORMATIONS_INDEX = "formations/index.md"
CUSTOM_SLUG = "sur-mesure"
PRINT_CSS = Path(__file__).parent / "assets" / "print.css"
# What the site's pages use (mkdocs.yml and the hook), for the standalone document.
EXTENSIONS = ("abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables", "toc", "pymdownx.details", "pymdownx.superfences")
# Headings of a fiche's or case's text sit below the dossier's own "## Fiche ..." heading.
BODY_TOP_LEVEL = 3
SITE_NAME = "Base de connaissances ESS"

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_ATX = re.compile(r"^( {0,3})(#{1,6})(?=[ \t]|$)")


@dataclass(frozen=True)
class Dossier:
    """What one dossier holds: published fiches and cases only."""

    slug: str  # the theme's slug, or CUSTOM_SLUG
    title: str
    themes: tuple[Theme, ...]
    fiches: tuple[Fiche, ...]
    cases: tuple[Case, ...]

    @property
    def src(self) -> str:
        return f"formations/{self.slug}.md"

    @property
    def url(self) -> str:
        return f"formations/{self.slug}/"

    @property
    def pdf(self) -> str:
        return f"formations/{self.slug}.pdf"

    @property
    def items(self) -> tuple[Content, ...]:
        return self.fiches + self.cases


# -- selection -------------------------------------------------------------


def dossier_title(themes: Sequence[Theme]) -> str:
    if not themes:
        return "Formation croisée : dossier sur mesure"
    labels = [t.label for t in themes]
    joined = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " et " + labels[-1]
    return f"Formation croisée : ESS et {joined}"


def theme_dossier(site: Site, theme: Theme) -> Dossier | None:
    """The dossier of a theme, or None when no published fiche or case carries it."""
    fiches = site.rel.fiches_of_theme.get(theme.slug, ())
    cases = site.rel.cases_of_theme.get(theme.slug, ())
    if not fiches and not cases:
        return None
    return Dossier(theme.slug, dossier_title([theme]), (theme,), tuple(fiches), tuple(cases))


def every_theme_dossier(site: Site) -> list[Dossier]:
    """Every theme's dossier, in vocabulary order; themes without content have none."""
    return [d for d in (theme_dossier(site, t) for t in site.corpus.themes) if d is not None]


def is_full(site: Site, dossier: Dossier) -> bool:
    """Whether the site prints this theme dossier in full (texts, glossary) or lists its items.

    Beyond ``extra.esskb.dossier_max_items`` published items, no reader can use the page nor print
    the document: the page and its PDF list the items; ``esskb dossier`` still composes any
    selection in full.
    """
    return len(dossier.items) <= dossier_max_items(site.corpus.settings)


def custom_dossier(site: Site, numbers: Iterable[int] = (), slugs: Iterable[str] = (), themes: Iterable[str] = (), title: str | None = None) -> Dossier:
    """A trainer's selection: the chosen fiches and cases plus everything of the chosen themes.

    Every key must exist in ``site.corpus`` (the caller checks and explains).
    """
    c = site.corpus
    chosen = tuple(dict.fromkeys(c.theme_by_slug[s] for s in themes))
    fiches = {n: c.fiche_by_number[n] for n in numbers}
    cases = {s: c.case_by_slug[s] for s in slugs}
    for theme in chosen:
        fiches.update((f.number, f) for f in site.rel.fiches_of_theme.get(theme.slug, ()))
        cases.update((k.slug, k) for k in site.rel.cases_of_theme.get(theme.slug, ()))
    return Dossier(
        CUSTOM_SLUG,
        title or dossier_title(chosen),
        chosen,
        tuple(fiches[n] for n in sorted(fiches)),
        tuple(cases[s] for s in sorted(cases)),
    )


def listing(dossiers: list[Dossier]) -> list[dict[str, str | None]]:
    """The dossiers (``every_theme_dossier``) as ``kb.json`` lists them, by theme; ``pdf`` is set
    once the PDF is written."""
    return [{"theme": d.slug, "url": d.url, "pdf": None} for d in sorted(dossiers, key=lambda d: d.slug)]


# -- what a dossier shows --------------------------------------------------


def terms_used(site: Site, dossier: Dossier) -> tuple[Term, ...]:
    """Glossary entries of every term the dossier's texts use, in glossary order."""
    pattern = term_pattern(site.corpus.term_by_name)
    if pattern is None:
        return ()
    texts: list[str] = []
    for theme in dossier.themes:
        texts += [theme.label, theme.description, *theme.workshop]
    for item in dossier.items:
        texts += [item.title, item.description, item.body, *item.schemes, *item.workshop]
        if isinstance(item, Case):
            texts.append(item.actor)
    found = set(pattern.findall("\n".join(texts)))
    return tuple(t for t in site.corpus.terms if t.term in found)


def resources(dossier: Dossier) -> list[tuple[Resource, tuple[Fiche, ...]]]:
    """Each resource once, with the fiches that recommend it."""
    seen: dict[Resource, list[Fiche]] = {}
    for fiche in dossier.fiches:
        for resource in fiche.resources:
            seen.setdefault(resource, []).append(fiche)
    return [(r, tuple(f)) for r, f in seen.items()]


def workshop(dossier: Dossier, with_cases: bool = True) -> list[tuple[str, tuple[str, ...]]]:
    """Workshop questions grouped under where they come from: themes, then fiches, then cases
    (``with_cases=False``: a list dossier keeps only what is bounded by themes and fiches)."""
    groups: list[tuple[str, tuple[str, ...]]] = []
    for theme in dossier.themes:
        if theme.workshop:
            groups.append((f"Thème : {theme.label}", theme.workshop))
    for fiche in dossier.fiches:
        if fiche.workshop:
            groups.append((f"Fiche {fiche.number} – {fiche.title}", fiche.workshop))
    for case in dossier.cases if with_cases else ():
        if case.workshop:
            groups.append((f"Cas pratique : {case.title}", case.workshop))
    return groups


def last_change(dossier: Dossier) -> dt.date | None:
    return max((i.last_change for i in dossier.items), default=None)


def demote_headings(body: str, top: int = BODY_TOP_LEVEL) -> str:
    """ATX headings shifted so that the highest becomes level ``top`` (code blocks untouched)."""
    lines = body.splitlines(keepends=True)
    fence: str | None = None
    headings: list[int] = []
    for index, line in enumerate(lines):
        match = _FENCE.match(line)
        if match and (fence is None or (match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence))):
            fence = match.group(1) if fence is None else None
        elif fence is None and _ATX.match(line):
            headings.append(index)
    if not headings:
        return body
    shift = top - min(len(_ATX.match(lines[i]).group(2)) for i in headings)  # type: ignore[union-attr]
    if shift <= 0:
        return body
    for i in headings:
        lines[i] = _ATX.sub(lambda m: m.group(1) + "#" * min(6, len(m.group(2)) + shift), lines[i], count=1)
    return "".join(lines)


def heading_md(value: object) -> Markup:
    """``md`` for a heading: quotes stay as typed, or the table of contents shows ``&#39;``."""
    return Markup(str(md(value)).replace("&\\#39;", "'").replace("&\\#34;", '"'))


def _body(site: Site, item: Content, here: str) -> Markup:
    return Markup(demote_headings(site.resolve_links(item.body, here, item.body_line)))


def dossier_markdown(site: Site, dossier: Dossier, here: str | None = None, *, full: bool = True, standalone: bool = False, pdf_href: str | None = None) -> str:
    """The dossier's Markdown body (no front-matter), with links relative to ``here``; with
    ``full=False`` (a theme too large to print), its items as a list instead of their texts."""
    here = here or dossier.src
    if full:
        specific: dict[str, object] = dict(
            bodies={item.key: _body(site, item, here) for item in dossier.items},
            terms=terms_used(site, dossier), workshop=workshop(dossier),
        )
    else:
        grouped = site.by_region(dossier.cases)
        cases_by_region = [(r, tuple(grouped[r.slug])) for r in site.corpus.regions if r.slug in grouped]
        specific = dict(cases_by_region=cases_by_region, terms=(), workshop=workshop(dossier, with_cases=False))
    return render(
        "dossier.md.j2", here=here, site=site, c=site.corpus, rel=site.rel, d=dossier, full=full,
        resources=resources(dossier), updated=last_change(dossier), standalone=standalone, pdf_href=pdf_href,
        heading=heading_md, **specific,
    )


# -- pages of the site -------------------------------------------------------


def _with_front(title: str, description: str, body: str, searchable: bool = True) -> str:
    head: dict[str, object] = {"title": title, "description": description}
    if not searchable:  # a dossier repeats full texts: search finds the fiches and cases themselves
        head["search"] = {"exclude": True}
    return f"---\n{front_matter(head)}---\n\n{body}"


def pdfs_wanted(site: Site) -> bool:
    """Whether the PDFs are made: asked for, and WeasyPrint runs.

    Asked for: the ``pdf`` setting (``extra: esskb: pdf``, true by default; the hook turns it
    off under ``mkdocs serve``).
    """
    if not site.corpus.settings.get("pdf", True):
        return False
    from .pdf import usable  # here: pdf imports this module

    return usable()


def describe(dossier: Dossier) -> str:
    parts = []
    if dossier.fiches:
        parts.append(f"{len(dossier.fiches)} fiche{'s' if len(dossier.fiches) > 1 else ''}")
    if dossier.cases:
        parts.append(f"{len(dossier.cases)} cas pratique{'s' if len(dossier.cases) > 1 else ''}")
    return " et ".join(parts)


def dossier_pages(site: Site, dossiers: list[Dossier]) -> list[Callable[[], Page]]:
    """How to make the dossier page of every theme with content (``every_theme_dossier``), and
    the ``formations/`` index (one call each: the pages can be generated in any process, in any
    order)."""
    with_pdf = pdfs_wanted(site)
    makers: list[Callable[[], Page]] = [partial(_dossier_page, site, d, with_pdf) for d in dossiers]
    makers.append(partial(_formations_index, site, dossiers, with_pdf))
    return makers


def _dossier_page(site: Site, d: Dossier, with_pdf: bool) -> Page:
    href = site.raw_href(d.src, d.pdf) if with_pdf else None
    if is_full(site, d):
        description = f"Dossier de formation croisée ESS et {d.themes[0].label} : {describe(d)}, glossaire, ressources et pistes pour l'atelier."
        return Page(d.src, _with_front(d.title, description, dossier_markdown(site, d, full=True, pdf_href=href), searchable=False))
    description = f"Formation croisée ESS et {d.themes[0].label} : liste des {describe(d)}, ressources et pistes pour l'atelier."
    text = _with_front(d.title, description, dossier_markdown(site, d, full=False, pdf_href=href), searchable=False)
    return Page(d.src, text, html_blocks(text))  # a list: no author's text in it


def _formations_index(site: Site, dossiers: list[Dossier], with_pdf: bool) -> Page:
    # (dossier, PDF link from the index, printed in full)
    entries = [(d, site.raw_href(FORMATIONS_INDEX, d.pdf) if with_pdf else None, is_full(site, d)) for d in dossiers]
    without = [t for t in site.corpus.themes if t.slug not in {d.slug for d in dossiers}]
    body = render(
        "formations_index.md.j2", here=FORMATIONS_INDEX, site=site, c=site.corpus, rel=site.rel, entries=entries, without=without,
        describe=describe, max_items=dossier_max_items(site.corpus.settings),
    )
    return Page(FORMATIONS_INDEX, _with_front("Formations croisées", "Un dossier par thème pour préparer une formation croisée entre l'ESS et une autre politique publique.", body))


# -- the standalone document (source of the PDF and of `esskb dossier -o x.html`) --


class _AbsoluteLinks(Treeprocessor):
    """Relative links and images made absolute against the site's URL (as MkDocs would)."""

    def __init__(self, md: markdown.Markdown, here: str, site_url: str, directory_urls: bool):
        super().__init__(md)
        self.here, self.site_url, self.directory_urls = here, site_url, directory_urls

    def run(self, root) -> None:  # type: ignore[override]
        for element in root.iter():
            for attr in ("href", "src"):
                value = element.get(attr)
                if value is not None:
                    element.set(attr, self.absolute(value))

    def absolute(self, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or value.startswith(("#", "/")) or not parts.path:
            return value
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.here), parts.path))
        if target.endswith(".md"):
            target = url_of(target, self.directory_urls)
        if target == ".":
            target = ""
        return urlunsplit(("", "", self.site_url + target, parts.query, parts.fragment))


class _AbsoluteLinksExtension(markdown.Extension):
    def __init__(self, here: str, site_url: str, directory_urls: bool):
        super().__init__()
        self.args = (here, site_url, directory_urls)

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Python-Markdown's API)
        md.treeprocessors.register(_AbsoluteLinks(md, *self.args), "esskb_absolute_links", 0)


def to_html(site: Site, text: str, here: str, site_url: str) -> str:
    directory_urls = bool(site.corpus.settings.get("use_directory_urls", True))
    converter = markdown.Markdown(extensions=[*EXTENSIONS, _AbsoluteLinksExtension(here, site_url, directory_urls)], output_format="html")
    return converter.convert(text + "\n\n" + abbreviations(site.corpus))


def dossier_html(site: Site, dossier: Dossier, site_url: str, site_name: str | None = None, *, full: bool = True) -> str:
    """A self-contained HTML document of the dossier (``full=False``: of its list), inline styles, absolute links."""
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    body = to_html(site, dossier_markdown(site, dossier, full=full, standalone=True), dossier.src, site_url)
    return render(
        "dossier.html.j2", d=dossier, body=Markup(body), css=Markup(PRINT_CSS.read_text(encoding="utf-8")),
        site_name=site_name or str(site.corpus.settings.get("site_name") or SITE_NAME),
        online=site_url + dossier.url if dossier.slug != CUSTOM_SLUG else site_url, updated=last_change(dossier),
    )
