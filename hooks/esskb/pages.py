"""Every generated page as plain Markdown, from the model and its relations.

Nothing here imports MkDocs: the hook adds these pages to the build, the exporter
writes them to disk. Links between pages are relative ``.md`` links so that MkDocs
still validates them.
"""

from __future__ import annotations

import json
import posixpath
import re
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Callable, Iterable, NamedTuple

import yaml
from markupsafe import Markup, escape

from . import links, prerender
from .glossary import Abbreviations
from .htmlblocks import KnownBlocks, html_blocks
from .itemview import case_view, fiche_view
from .model import Case, Content, Corpus, Fiche, Theme
from .render import compile_all, md, relative, render
from .xrefs import TERM_PAGES, Relations, relate

if TYPE_CHECKING:  # dossiers imports this module
    from .dossiers import Dossier

HOME_MARKER = "<!-- esskb:accueil -->"
FICHES_INDEX = "fiches/index.md"
CASES_INDEX = "cas/index.md"
THEMES_INDEX = "themes/index.md"
REGIONS_INDEX = "regions/index.md"
SCHEMES_INDEX = "dispositifs/index.md"
GLOSSARY_INDEX = "glossaire/index.md"
NEWEST_COUNT = 5

# Region tiles placed as on a map of France: (column, row); overseas in the last row.
TILES = {
    "hauts-de-france": (2, 0), "bretagne": (0, 1), "normandie": (1, 1), "ile-de-france": (2, 1),
    "grand-est": (3, 1), "pays-de-la-loire": (1, 2), "centre-val-de-loire": (2, 2),
    "bourgogne-franche-comte": (3, 2), "nouvelle-aquitaine": (1, 3), "auvergne-rhone-alpes": (2, 3),
    "occitanie": (1, 4), "provence-alpes-cote-d-azur": (2, 4), "corse": (3, 4),
    "guadeloupe": (0, 6), "martinique": (1, 6), "guyane": (2, 6), "la-reunion": (3, 6), "mayotte": (4, 6),
}
# Tile captions short enough for a 110 px tile; the full label is the link's accessible name.
SHORT_LABELS = {
    "auvergne-rhone-alpes": "Auv.-Rh.-Alpes", "bourgogne-franche-comte": "Bourg.-Fr.-C.",
    "centre-val-de-loire": "Centre-VdL", "hauts-de-france": "Hauts-de-Fr.", "ile-de-france": "Île-de-France",
    "nouvelle-aquitaine": "Nouv.-Aquitaine", "pays-de-la-loire": "Pays de la L.", "provence-alpes-cote-d-azur": "PACA",
}


@dataclass(frozen=True)
class Page:
    src: str  # path in the docs tree, e.g. "fiches/05-co-construction.md"
    markdown: str
    # (start, end) of the raw HTML blocks the templates wrote (lists, meta blocks): a renderer
    # may hand them to Markdown as HTML already parsed (see html_blocks)
    blocks: tuple[tuple[int, int], ...] = field(default=(), compare=False)


class Entry(NamedTuple):
    """One item as generated lists show it (``list_item.html.j2``): texts in HTML, glossary
    terms in ``<abbr>``, links as markers."""

    kind: str
    number: int | None
    href: str
    title: Markup
    description: Markup
    actor: Markup | None
    year: int | None
    region: str | None
    themes: Markup


class PageCache:
    """Generated pages kept across ``mkdocs serve`` rebuilds (the hook keeps one), by a digest of
    what each is made of: what every page reads (the corpus without the authors' texts, the
    relations as item keys, the settings) plus its own part (an item page: its item, text
    included). Pages reading other pages' texts other than through the relations (glossary,
    newsletter, dossiers) are never kept. Saving a case's text regenerates that case's page and
    those, not the thousand others."""

    def __init__(self) -> None:
        self._pages: dict[str, Page] = {}
        self.hits = 0

    def keys(self, site: Site, reads: list[str | None]) -> list[str | None]:
        shared = _shared_digest(site)
        return [None if part is None else prerender.context_digest((shared, part)) for part in reads]

    def get(self, key: str) -> Page | None:
        found = self._pages.get(key)
        self.hits += found is not None
        return found

    def keep(self, pages: dict[str, Page]) -> None:
        self._pages = pages  # this build's pages only


def _shared_digest(site: Site) -> str:
    """What every generated page may read: the corpus but the authors' texts (derived data,
    such as the relations, is included as item keys)."""
    c = site.corpus
    parts = [repr((site.include_drafts, c.themes, c.regions, c.terms, c.planned, c.pages, sorted(c.settings.items(), key=str)))]
    parts += [repr(replace(item, body="", body_line=0)) for item in (*c.fiches, *c.cases)]
    for name in (f.name for f in fields(site.rel)):
        value = getattr(site.rel, name)
        parts.append(name + repr([(k, tuple(getattr(x, "key", x) for x in v)) for k, v in value.items()]))
    return prerender.context_digest(parts)


class Site:
    """The published view of a corpus, with what every page needs to render."""

    def __init__(self, corpus: Corpus, include_drafts: bool = False):
        self.full = corpus
        self.corpus = corpus if include_drafts else corpus.published()
        self.include_drafts = include_drafts
        self.rel: Relations = relate(self.corpus)
        self.newest = self.corpus.newest(NEWEST_COUNT)
        self.abbr = Abbreviations(self.corpus)
        self._list_items: dict[tuple[str, str | None], dict[str, str]] = {}  # (style, after) -> item key -> entry
        self._links_html: dict[tuple[str, tuple[object, ...]], str] = {}  # see links_html
        self._link_templates: dict[tuple[str, object], str] = {}  # see _link_template
        self._html_lists: dict[tuple[str, tuple[str, ...]], str] = {}  # see html_list
        self._entries: dict[str, Entry] = {}  # see _entry
        self._relative = Hrefs(bool(self.corpus.settings.get("use_directory_urls", True)))
        self._known_blocks = KnownBlocks()  # see html_blocks

    # -- typed links -------------------------------------------------------
    def target(self, kind: str, target: str) -> str | None:
        """Docs path of a published target, or None."""
        c = self.corpus
        if kind == "fiche" and target.isdigit() and int(target) in c.fiche_by_number:
            return c.fiche_by_number[int(target)].src
        if kind == "cas" and target in c.case_by_slug:
            return c.case_by_slug[target].src
        if kind == "theme" and target in c.theme_by_slug:
            return c.theme_by_slug[target].src
        if kind == "region" and target in c.region_by_slug:
            return c.region_by_slug[target].src
        return None

    def resolve_links(self, body: str, here: str, body_line: int = 1) -> str:
        def render_link(link: links.TypedLink) -> str:
            src = self.target(link.kind, link.target)
            if src:
                return f"[{link.text}]({relative(here, src)}{link.anchor})"
            if link.kind == "fiche" and link.target.isdigit():
                planned = self.corpus.planned_by_number.get(int(link.target))
                if planned:
                    tip = escape(f"Fiche n° {planned.number} : {planned.title} (à paraître)")
                    return f'<span class="esskb-a-paraitre" title="{tip}">{link.text} (à paraître)</span>'
            return link.text  # a draft in a build: plain text

        return links.rewrite(body, links.find(body, body_line), render_link)

    # -- pages -------------------------------------------------------------
    def pages(self, workers: int = 1, cache: PageCache | None = None) -> list[Page]:
        """Every generated page, each with the glossary definitions it uses; generated by
        ``workers`` forked processes when there are enough pages to pay for it, and taken from
        ``cache`` (``mkdocs serve``) when what a page is made of has not changed."""
        from .dossiers import dossier_pages, every_theme_dossier, listing  # here: dossiers imports this module
        from .newsletter import newsletter_page  # here: newsletter imports this module

        theme_dossiers = every_theme_dossier(self)  # listed in kb.json, made into pages, warmed
        self.dossiers = listing(theme_dossiers)  # kb.json; each "pdf" is set once its PDF is written
        # each page's maker, and what it reads besides what every page reads (None: the authors'
        # texts of other pages, so it is never kept: glossary, newsletter, dossiers)
        makers: list[Callable[[], Page]] = [
            lambda: self._page(FICHES_INDEX, "fiches_index.md.j2", title="Fiches", description="Sommaire du guide : toutes les fiches, écrites et à paraître.", entries=self.fiche_entries()),
            lambda: self._page(CASES_INDEX, "cases_index.md.j2", title="Cas pratiques", description="Les cas pratiques, région par région.", groups=self.cases_by_region()),
            lambda: self._page(THEMES_INDEX, "themes_index.md.j2", title="Thèmes", description="Les politiques publiques croisées avec l'ESS, thème par thème."),
            lambda: self._page(REGIONS_INDEX, "regions_index.md.j2", title="Régions", description="Les cas pratiques sur une carte des régions.", map=Markup(self.regions_map())),
            lambda: self._page(SCHEMES_INDEX, "schemes.md.j2", title="Dispositifs", description="Schémas et programmes régionaux, avec les fiches et cas qui en parlent."),
            lambda: self._page(GLOSSARY_INDEX, "glossary.md.j2", title="Glossaire", description="Les sigles et termes de l'ESS et de l'action régionale.", shown=TERM_PAGES),
        ]
        reads: list[str | None] = [FICHES_INDEX, CASES_INDEX, THEMES_INDEX, REGIONS_INDEX, SCHEMES_INDEX, None]
        makers += [partial(self._page, t.src, "theme.md.j2", title=t.label, description=t.description, theme=t) for t in self.corpus.themes]
        makers += [partial(self._page, r.src, "region.md.j2", title=r.label, description=f"Cas pratiques d'ESS en région {r.label}.", region=r) for r in self.corpus.regions]
        reads += [t.src for t in self.corpus.themes] + [r.src for r in self.corpus.regions]
        makers.append(partial(newsletter_page, self))
        makers += dossier_pages(self, theme_dossiers)
        reads += [None] * (len(makers) - len(reads))
        # pages come out in this order: indexes, fiches, cases, themes, regions, newsletter, dossiers
        count = len(makers) + len(self.corpus.fiches) + len(self.corpus.cases)
        order = list(range(6)) + list(range(len(makers), count)) + list(range(6, len(makers)))
        makers += [partial(self.fiche_page, f) for f in self.corpus.fiches] + [partial(self.case_page, c) for c in self.corpus.cases]
        keys: list[str | None] = [None] * len(makers)
        if cache is not None:  # (not otherwise: the items' repr took 0.47 s at 5,000 items)
            reads += [repr(item) for item in (*self.corpus.fiches, *self.corpus.cases)]  # its own text included
            keys = cache.keys(self, reads)
        made_pages = {i: found for i, key in enumerate(keys) if key is not None and (found := cache.get(key)) is not None}  # type: ignore[union-attr]
        todo = [i for i in range(len(makers)) if i not in made_pages]

        def made(k: int) -> tuple[int, str, str, tuple[tuple[int, int], ...]]:
            # plain tuples: a worker's Page objects took the parent 2.4 times as long to unpickle
            page = makers[todo[k]]()
            return todo[k], page.src, self.with_glossary(page.markdown, page.blocks), page.blocks

        def collected(results: Iterable[tuple[int, str, str, tuple[tuple[int, int], ...]]]) -> dict[int, Page]:
            return {i: Page(src, markdown, blocks) for i, src, markdown, blocks in results}

        fresh: dict[int, Page] = {}
        if workers > 1 and len(todo) >= FORK_AT:
            self._warm(workers, theme_dossiers)  # made once here rather than once in each worker
            # lists (indexes, themes, regions, dossiers) first, a few pages at a time: the
            # workers end together
            try:
                fresh = collected(prerender.run_forked(made, len(todo), workers, chunk=GENERATE_CHUNK))
            except BrokenProcessPool:  # a worker died (memory): one process does it all
                fresh = {}
        if len(fresh) < len(todo):
            fresh = collected(map(made, range(len(todo))))
        made_pages.update(fresh)
        if cache is not None:
            cache.keep({key: made_pages[i] for i, key in enumerate(keys) if key is not None})
        return [made_pages[i] for i in order]

    def _warm(self, workers: int, theme_dossiers: list[Dossier]) -> None:
        """The list entries most pages share (every case's "case" and "item" entries, every
        fiche's, and the "dossier" entries of the dossiers printed as lists) and the compiled
        templates, made before the page workers fork: each worker would otherwise make them all
        again. The entries are made on every core too, every style of a chunk of items in the
        same task (their titles, actors and descriptions are wrapped for the glossary once)."""
        from .dossiers import is_full  # here: dossiers imports this module

        compile_all()
        listed = {item.key for d in theme_dossiers if not is_full(self, d) for item in d.items}
        parts = [
            (styles, items[start : start + WARM_CHUNK])
            for styles, items in ((("case", "item", "dossier"), self.corpus.cases), (("item", "dossier"), self.corpus.fiches))
            for start in range(0, len(items), WARM_CHUNK)
        ]

        def made(k: int) -> list[tuple[str, list[str], list[str]]]:
            styles, items = parts[k]
            out = []
            for style in styles:
                chosen = [item for item in items if item.key in listed] if style == "dossier" else items
                out.append((style, [item.key for item in chosen], self._item_templates(style, chosen) if chosen else []))
            return out

        try:
            for made_styles in prerender.run_forked(made, len(parts), workers, chunk=1):
                for style, keys, entries in made_styles:
                    self._list_items.setdefault((style, None), {}).update(zip(keys, entries))
        except BrokenProcessPool:  # a worker died: the entries are made when first listed
            pass
        for fiche in self.corpus.fiches:
            self._link_template("fiche", fiche.number)

    def _page(self, src: str, template: str, *, title: str, description: str, meta: Iterable[tuple[str, object]] = (), **context: object) -> Page:
        head = {"title": title, "description": description, **dict(meta)}
        top = f"---\n{front_matter(head)}---\n\n"
        body = context.pop("body", None)  # the author's text: its HTML is Markdown's to parse
        text = str(render(template, here=src, site=self, c=self.corpus, rel=self.rel, title=title, body=_BODY if body is not None else None, **context))
        blocks = html_blocks(text, self._known_blocks)
        if body is not None:
            body, at = str(body), text.find(_BODY)
            if at < 0 or text.count(_BODY) != 1:
                return Page(src, top + text.replace(_BODY, body))
            shift = len(body) - len(_BODY)
            blocks = tuple((a + shift, b + shift) if a > at else (a, b) for a, b in blocks)
            text = text[:at] + body + text[at + len(_BODY) :]
        return Page(src, top + text, tuple((a + len(top), b + len(top)) for a, b in blocks))

    def fiche_page(self, fiche: Fiche) -> Page:
        return self._page(
            fiche.src, "fiche.md.j2", title=fiche.title, description=fiche.description,
            meta=_meta(fiche), item=fiche, view=fiche_view(self, fiche), body=Markup(self.resolve_links(fiche.body, fiche.src, fiche.body_line)),
        )

    def case_page(self, case: Case) -> Page:
        return self._page(
            case.src, "case.md.j2", title=case.title, description=case.description,
            meta=_meta(case), item=case, view=case_view(self, case), body=Markup(self.resolve_links(case.body, case.src, case.body_line)),
        )

    def expand(self, markdown: str, here: str) -> str:
        """A hand-written page: typed links resolved, the home block in place of its marker."""
        if HOME_MARKER in markdown:
            markdown = markdown.replace(HOME_MARKER, render("home.md.j2", here=here, site=self, c=self.corpus, rel=self.rel))
        return self.with_glossary(self.resolve_links(markdown, here))

    def with_glossary(self, markdown: str, blocks: tuple[tuple[int, int], ...] = ()) -> str:
        """The page with the glossary definitions it uses, for its ``<abbr>`` tooltips. Terms
        inside its raw HTML ``blocks`` need none: Python-Markdown's abbr never sees inside an
        HTML block, and the templates wrote their ``<abbr>`` already (half of a case page's
        text is such lists)."""
        text = markdown
        if blocks:
            starts = [0] + [b for _, b in blocks]
            ends = [a for a, _ in blocks] + [len(markdown)]
            text = "\n".join(markdown[a:b] for a, b in zip(starts, ends))
        definitions = self.abbr.definitions(text)
        return f"{markdown.rstrip()}\n\n{definitions}" if definitions else markdown

    # -- data for the templates --------------------------------------------
    def fiche_entries(self) -> list[tuple[int, Fiche | None, str]]:
        """Written and planned fiches in number order: (number, fiche or None, title)."""
        entries = [(f.number, f, f.title) for f in self.corpus.fiches]
        entries += [(p.number, None, p.title) for p in self.corpus.planned]
        return sorted(entries, key=lambda e: e[0])

    def cases_by_region(self) -> list[tuple[object, tuple[Case, ...]]]:
        return [(r, self.rel.cases_of_region[r.slug]) for r in self.corpus.regions if r.slug in self.rel.cases_of_region]

    def fiche_ref(self, number: int, here: str) -> Markup:
        """Markdown for a reference to fiche ``number``: a link, or "à paraître"."""
        fiche = self.corpus.fiche_by_number.get(number)
        if fiche:
            return Markup(f"[Fiche {number} – {md(fiche.title)}]({relative(here, fiche.src)})")
        planned = self.corpus.planned_by_number.get(number)
        if planned:
            return Markup(f"Fiche {number} – {md(planned.title)} *(à paraître)*")
        return Markup(f"Fiche {number} *(en préparation)*")  # a draft: its title is not published

    def themes_of(self, item: Content) -> list:
        return [self.corpus.theme_by_slug[s] for s in item.themes]

    def raw_href(self, here: str, target_url: str) -> str:
        """A final relative URL from page ``here`` (docs path) to a site URL, for raw HTML,
        which MkDocs does not rewrite."""
        return self._relative.to_url(here, target_url)

    def href(self, here: str | None, target: str) -> str:
        """``raw_href`` to the page of docs path ``target`` (``#anchor`` kept); with no page
        (``here`` None), a marker that ``list_item`` replaces for each page."""
        if here is None:
            return self._relative.marker(target)
        return self._relative(here, target)

    def list_item(self, style: str, item: Content, here: str, after: str | None = None) -> Markup:
        """One ``<li>`` of a generated list (``list_item.html.j2``). The same item is listed on
        many pages: it is rendered once, with its links as markers, then each page gets the
        markers replaced by its own relative hrefs."""
        return Markup(self._relative.resolve(self._item_template(style, item, after), here))

    def _item_template(self, style: str, item: Content, after: str | None = None) -> str:
        return self._item_templates(style, (item,), after)[0]

    def _item_templates(self, style: str, items: Iterable[Content], after: str | None = None) -> list[str]:
        """The ``list_item`` entries of ``items``, links as markers; those not made yet are
        rendered in one call of the template (a render per entry cost five times as much)."""
        made = self._list_items.get((style, after))
        if made is None:
            made = self._list_items[(style, after)] = {}
        items = items if isinstance(items, (list, tuple)) else tuple(items)
        try:
            return [made[item.key] for item in items]
        except KeyError:  # some not made yet
            pass
        missing = {item.key: item for item in items if item.key not in made}
        html = render("list_item.html.j2", style=style, items=[self._entry(item) for item in missing.values()], after=after, end=_ENTRY_END)
        entries = html.split(_ENTRY_END)[:-1]
        # the separator is a control character, which YAML does not allow in the fields listed
        assert len(entries) == len(missing), "list_item.html.j2: une entrée contient le séparateur"
        made.update((key, entry.strip()) for key, entry in zip(missing, entries))
        return [made[item.key] for item in items]

    def _entry(self, item: Content) -> Entry:
        """What ``list_item.html.j2`` prints of ``item``, made once for every style (the
        template calling ``href`` and ``abbr`` itself took twice as long per entry)."""
        found = self._entries.get(item.key)
        if found is None:
            case = isinstance(item, Case)
            found = self._entries[item.key] = Entry(
                kind=item.kind, number=None if case else item.number, href=self.href(None, item.src), title=self.abbr(item.title),  # type: ignore[union-attr]
                description=self.abbr(item.description), actor=self.abbr(item.actor) if case else None, year=item.year if case else None,  # type: ignore[union-attr]
                region=self.corpus.region_by_slug[item.region].label if case else None, themes=self.links_html("theme", item.themes, None),  # type: ignore[union-attr]
            )
        return found

    def html_list(self, style: str, items: Iterable[Content], here: str) -> Markup:
        """A ``<ul>`` of ``list_item`` entries, one per line (one call instead of a template
        loop over a macro: Jinja's macro calls were a fifth of page generation). The same list
        comes back on many pages (a region's newest cases, on the page of each of its other
        cases): kept with its links as markers, then resolved for each page (``Hrefs.resolve``)."""
        items = items if isinstance(items, (list, tuple)) else tuple(items)
        key = (style, tuple([item.key for item in items]))
        template = self._html_lists.get(key)
        if template is None:
            template = self._html_lists[key] = "<ul>\n" + "".join([entry + "\n" for entry in self._item_templates(style, items)]) + "</ul>"
        return Markup(self._relative.resolve(template, here))

    def links_html(self, kind: str, values: Iterable[object], here: str | None) -> Markup:
        """An item's fiches (``kind`` "fiche": numbers), themes ("theme": slugs) or schemes
        ("scheme": names) as links, `` · `` between them, for raw HTML. Made once per
        combination (items share theirs), links as markers, then resolved for the page (``here``
        None: left as markers, for ``list_item``): the case template took 0.200 ms with a loop
        for each, 0.175 ms with these calls."""
        key = (kind, tuple(values))
        template = self._links_html.get(key)
        if template is None:
            template = self._links_html[key] = " · ".join(self._link_template(kind, value) for value in key[1])
        return Markup(template if here is None else self._relative.resolve(template, here))

    def _link_template(self, kind: str, value: object) -> str:
        """One fiche's, theme's or scheme's link (``links_html``), links as markers: made once
        for the site (``Markup.format`` runs ``string.Formatter`` in Python, 8 µs a call)."""
        key = (kind, int(value) if kind == "fiche" else value)  # type: ignore[call-overload]
        found = self._link_templates.get(key)
        if found is not None:
            return found
        if kind == "fiche":
            number = key[1]
            fiche = self.corpus.fiche_by_number.get(number)
            planned = self.corpus.planned_by_number.get(number)
            if fiche:
                made = Markup('<a href="{}">Fiche {} – {}</a>').format(self.href(None, fiche.src), number, self.abbr(fiche.title))
            elif planned:
                made = Markup("Fiche {} – {} <em>(à paraître)</em>").format(number, self.abbr(planned.title))
            else:
                made = Markup("Fiche {} <em>(en préparation)</em>").format(number)
        elif kind == "theme":
            theme = self.corpus.theme_by_slug[str(value)]
            made = Markup('<a href="{}">{}</a>').format(self.href(None, theme.src), theme.label)
        elif kind == "scheme":
            anchor = str(value).lower().replace(" ", "-")
            made = Markup('<a href="{}">{}</a>').format(self.href(None, f"{SCHEMES_INDEX}#{anchor}"), self.abbr(value))
        else:
            raise ValueError(f"links_html: {kind!r}")
        found = self._link_templates[key] = str(made)
        return found

    def fiche_ref_html(self, number: int, here: str) -> Markup:
        """``fiche_ref`` as raw HTML (made once per fiche, links as markers)."""
        return Markup(self._relative.resolve(self._link_template("fiche", number), here))

    def theme_feed_href(self, theme: Theme) -> str:
        """The theme's RSS feed (``themes/<slug>/feed.xml``) from the theme's page."""
        return self.raw_href(theme.src, f"themes/{theme.slug}/feed.xml")

    def by_region(self, cases: Iterable[Case]) -> dict[str, list[Case]]:
        """``cases`` by region slug, each list in the given order (one pass, where a filter
        per region went through a theme's cases 18 times)."""
        grouped: dict[str, list[Case]] = {}
        for case in cases:
            grouped.setdefault(case.region, []).append(case)
        return grouped

    def theme_counts(self, cases: Iterable[Case]) -> list[tuple[object, int]]:
        """Themes covered by ``cases``, in vocabulary order, with how many cases each."""
        counts: dict[str, int] = {}
        for case in cases:
            for slug in case.themes:
                counts[slug] = counts.get(slug, 0) + 1
        return [(t, counts[t.slug]) for t in self.corpus.themes if t.slug in counts]

    def regions_map(self) -> str:
        counts = {r.slug: len(self.rel.cases_of_region.get(r.slug, ())) for r in self.corpus.regions}
        top = max(counts.values(), default=0) or 1
        directory_urls = bool(self.corpus.settings.get("use_directory_urls", True))
        tiles = []
        for region in self.corpus.regions:
            col, row = TILES.get(region.slug, (4, 5))
            count = counts[region.slug]
            href = self.raw_href(REGIONS_INDEX, url_of(region.src, directory_urls))
            tiles.append(dict(region=region, href=href, x=col * 118 + 4, y=row * 78 + 4, count=count, level=0 if not count else 1 + (3 * count - 1) // top, short=SHORT_LABELS.get(region.slug, region.label)))
        return render("regions_map.svg.j2", tiles=tiles, here=REGIONS_INDEX)


def _meta(item: Content) -> list[tuple[str, object]]:
    meta: list[tuple[str, object]] = list(item.material)
    if item.tags:
        meta.append(("tags", list(item.tags)))
    return meta


# YAML forbids these raw in a double-quoted scalar; JSON leaves them raw.
_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar: JSON's string syntax is a subset of it."""
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def front_matter(head: dict[str, object]) -> str:
    """YAML front-matter for a generated page, in the order given.

    Strings and lists of strings (nearly everything) are written as JSON scalars, which YAML
    reads identically: 21.5 ms for 1,000 item headers where ``yaml.safe_dump`` took 617 ms.
    """
    lines: list[str] = []
    for key, value in head.items():
        if isinstance(value, str):
            lines.append(f"{key}: {_quoted(value)}\n")
        elif isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            lines.append(f"{key}: [{', '.join(_quoted(v) for v in value)}]\n")
        else:
            lines.append(yaml.safe_dump({key: value}, allow_unicode=True, sort_keys=False, width=10_000))
    return "".join(lines)


def site_pages(corpus: Corpus, include_drafts: bool = False, workers: int = 1, cache: PageCache | None = None) -> tuple[Site, list[Page]]:
    site = Site(corpus, include_drafts)
    return site, site.pages(workers, cache)


_ENTRY_END = "\x1f"  # after each entry of list_item.html.j2
_BODY = "\x0eesskb-body\x0f"  # where the author's text goes, while raw HTML blocks are located
# forked page generation: below a few hundred pages, forking and the workers' cold caches cost more
FORK_AT = 200
WARM_CHUNK = 250  # list entries per task (about 20 ms)
GENERATE_CHUNK = 32  # pages per task: a page takes about a millisecond, a task's round trip about as much

_MARK = "\x1e"  # Site.href with no page: a link to resolve later, its site URL after the mark,
_MARK_END = "\x1d"  # then this (then its #anchor, if any)


class Hrefs:
    """Final relative URLs from a page (docs path) to a site URL, for raw HTML, which MkDocs
    does not rewrite: what ``posixpath.relpath`` gives between the two folders, with the
    trailing ``/`` of folder URLs. A few hundred thousand links for 5,000 pages, nearly all met
    once: not computed by pair (relpath's ``abspath`` calls were a fifth of page generation).
    A link is written as a marker made of the target's site URL (``marker``): a page's hrefs
    are then a few ``str.replace`` of a whole text, one per folder of the page (``resolve``),
    and a list is written once for every page (a regex and a Python call per link cost a
    fifth of page generation on list pages). A single link is a text of one marker."""

    def __init__(self, directory_urls: bool) -> None:
        self.directory_urls = directory_urls
        self._in_folder: dict[str, tuple[tuple[str, str], ...]] = {}
        self._markers: dict[str, str] = {}
        self._marks: dict[str, tuple[str | None, tuple[tuple[str, str], ...]]] = {}  # see _replacements
        self._pairs: dict[tuple[str, bool], tuple[tuple[str, str], ...]] = {}
        self._resolved: dict[tuple[tuple[tuple[str, str], ...], str], str] = {}  # (replacements, template) -> hrefs in place

    def __call__(self, here: str, target: str) -> str:
        """To the page of docs path ``target`` (``#anchor`` kept)."""
        return self.resolve(self.marker(target), here)

    def to_url(self, here: str, url: str) -> str:
        """To ``url``, a site URL (from the root, normalised: no ``.`` or ``..``)."""
        return self.resolve(f"{_MARK}{url}{_MARK_END}", here)

    def marker(self, target: str) -> str:
        """The link to the page of docs path ``target`` (``#anchor`` kept) from any page, to
        be replaced by ``resolve``: its site URL between two marks, then its anchor."""
        found = self._markers.get(target)
        if found is None:
            path, _, anchor = target.partition("#")
            found = self._markers[target] = f"{_MARK}{url_of(path, self.directory_urls)}{_MARK_END}{'#' + anchor if anchor else ''}"
        return found

    def resolve(self, template: str, here: str) -> str:
        """``template`` with its link markers (``marker``) replaced by hrefs from page ``here``,
        every link at once: deepest folder first, each marker starting with a folder of the
        page becomes the ``../`` up to that folder, and is gone before a shallower folder's
        turn; the page's own folder itself becomes ``./`` (``posixpath.relpath``'s ``.``, with
        the trailing ``/`` of folder URLs). The result is the same from every page beside
        ``here`` (every case page, say) unless a link leads into its own folder: it is kept
        for them."""
        if _MARK not in template:
            return template
        own, pairs = self._replacements(here)
        if own is not None and own in template:  # a link into the page's own folder
            return _replaced(template, ((own + _MARK_END, "./"), (own, ""), *pairs))
        key = (pairs, template)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = _replaced(template, pairs)
        return found

    def _replacements(self, here: str) -> tuple[str | None, tuple[tuple[str, str], ...]]:
        """``(own, pairs)``: the marker of the page's own folder, if it has one (``cas/a/``,
        with directory URLs), and the replacements of the markers to anywhere else, the same
        for every page beside it (``cas/*/``). An index page, or any page without directory
        URLs, shares its folder with no page of another folder: ``own`` is None."""
        found = self._marks.get(here)
        if found is None:
            page = url_of(here, self.directory_urls)
            folders = self._folders_in(page if page.endswith("/") or not page else page[: page.rfind("/") + 1])
            if self.directory_urls and folders[0][0] and posixpath.basename(posixpath.splitext(here)[0]) != "index":
                found = (_MARK + folders[0][0], self._replacements_in(folders[1][0], below=True))
            else:
                found = (None, self._replacements_in(folders[0][0], below=False))
            self._marks[here] = found
        return found

    def _replacements_in(self, folder: str, below: bool) -> tuple[tuple[str, str], ...]:
        """Marker replacements for a page whose URL's folder is ``folder`` or, ``below``, one
        level under it (then for links outside that level)."""
        found = self._pairs.get((folder, below))
        if found is None:
            pairs: list[tuple[str, str]] = []
            for prefix, up in self._folders_in(folder):
                if below:
                    up += "../"
                elif not up:  # the page's own folder: nothing left of the URL is "./"
                    pairs.append((_MARK + prefix + _MARK_END, "./"))
                pairs.append((_MARK + prefix, up))
            found = self._pairs[(folder, below)] = tuple(pairs)
        return found

    def _folders_in(self, folder: str) -> tuple[tuple[str, str], ...]:
        """``folder`` ("cas/x/", "" for the root) and its parents, deepest first, each with the
        ``../`` up to it from ``folder``."""
        found = self._in_folder.get(folder)
        if found is None:
            if folder:
                parent = folder[: folder.rfind("/", 0, len(folder) - 1) + 1]
                found = ((folder, ""), *((prefix, up + "../") for prefix, up in self._folders_in(parent)))
            else:
                found = (("", ""),)
            self._in_folder[folder] = found
        return found


def _replaced(template: str, pairs: Iterable[tuple[str, str]]) -> str:
    for mark, up in pairs:
        template = template.replace(mark, up)
    return template.replace(_MARK_END, "")


@lru_cache(maxsize=None)
def url_of(src: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives a docs path, relative to the site root."""
    stem, _ = posixpath.splitext(src)
    if not directory_urls:
        return stem + ".html"
    if posixpath.basename(stem) == "index":
        parent = posixpath.dirname(stem)
        return parent + "/" if parent else ""
    return stem + "/"
