"""MkDocs adapter for esskb: the events only. Every decision lives in the ``esskb`` package.

load -> validate (on_config, before MkDocs cleans site/) -> link (on_files, on_page_markdown)
-> emit (started in on_files beside MkDocs' work, finished in on_post_build).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import jinja2
import markdown
import markdown.preprocessors
from mkdocs.commands import build as mkdocs_build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure import pages as pages_module
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from esskb import pdf, prerender, static
from esskb.corpus import READ_FORK_AT, content_count, load_corpus
from esskb.determinism import lastmod
from esskb import emit
from esskb.emit import write_outputs
from esskb.errors import ContentError
from esskb.htmlsafe import escape_title_and_tags
from esskb.pages import PageCache, Site, site_pages
from esskb.search_assets import STOCK_FRENCH, stock_french
from esskb.settings import settings_of, theme_templates

log = logging.getLogger("mkdocs.plugins.esskb")

# Markdown extensions the generated pages rely on.
REQUIRED_EXTENSIONS = ("abbr", "admonition", "attr_list", "md_in_html", "tables", "toc")


@dataclass
class _State:
    """What one build knows. ``command`` is set once per process; the rest at every on_config
    (MkDocs does not reload hook modules under ``serve``)."""

    command: str = "build"
    site: Site | None = None
    pages: dict[str, str] = field(default_factory=dict)
    blocks: dict[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)  # raw HTML in pages
    drafts: frozenset[str] = frozenset()
    workers: int = 1
    dirty: bool = False  # `mkdocs serve --dirty`: generated pages handed by path (see on_files)
    written: dict[str, str] = field(default_factory=dict)  # what is in `folder` for each page
    folder: Path | None = None
    nav: Navigation | None = None
    built: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # page -> its search entries
    prebuilt: frozenset[str] = frozenset()  # pages the workers wrote (on_env)
    outputs: prerender.Background | None = None  # the extra outputs, written beside the pages
    outputs_seconds: float = 0.0  # how long they took, and the WeasyPrint probe, in their processes (bench/)


state = _State()
renders = prerender.RenderCache()  # kept across `mkdocs serve` rebuilds, like this module
generated = PageCache()  # the same, for the generated pages' Markdown


def on_startup(command: str, dirty: bool) -> None:
    state.command = command
    state.dirty = dirty and command == "serve"
    prerender.stay_frozen(command in ("build", "gh-deploy"))  # one-off builds
    if state.dirty:
        state.folder = Path(tempfile.mkdtemp(prefix="esskb-pages-"))
    logging.getLogger("mkdocs.commands.build").addFilter(_BuildNotes())


def on_shutdown() -> None:
    if state.folder is not None:
        shutil.rmtree(state.folder, ignore_errors=True)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).parent
    docs_dir = Path(config.docs_dir).resolve()
    try:
        docs_rel = docs_dir.relative_to(root.resolve()).as_posix()
    except ValueError:
        docs_rel = str(docs_dir)
    settings = settings_of(config)
    settings["pdf"] = bool(settings.get("pdf", True)) and state.command != "serve"  # dossier PDFs: builds only
    state.workers = prerender.workers_wanted(settings)
    # whether WeasyPrint runs: found out while a large corpus loads. A small one loads in no
    # time: the build would wait for the probe, then for the PDFs' process to import it again
    if settings["pdf"] and state.workers > 1 and content_count(root) >= READ_FORK_AT:
        pdf.start_probe()
    try:
        corpus = load_corpus(
            root, docs_dir=docs_rel, settings=settings, templates=theme_templates([Path(d) for d in config.theme.dirs]),
            keep_parsed=state.command == "serve",  # serve's next build parses only what changed
        )
    except ContentError as exc:
        pdf.stop_probe()
        for problem in exc.problems:
            log.error(str(problem))
        count = len(exc.problems)
        raise PluginError(
            f"{count} problème{'s' if count > 1 else ''} dans le contenu (liste ci-dessus) : "
            "corrigez-les puis relancez ; le site précédent n'a pas été modifié."
        ) from None
    serve = state.command == "serve"  # drafts shown; pages an edit did not touch kept from the last build
    site, pages = site_pages(corpus, include_drafts=serve, workers=state.workers, cache=generated if serve else None)
    state.site = site
    state.pages = {p.src: p.markdown for p in pages}
    state.blocks = {p.src: p.blocks for p in pages if p.blocks}
    state.drafts = frozenset(item.src for item in site.corpus.items if item.draft)
    for name in REQUIRED_EXTENSIONS:  # what generated Markdown relies on
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
    config.extra_css.extend(uri for uri in static.stylesheets() if uri not in config.extra_css)
    config.extra_javascript.extend(uri for uri in static.scripts() if uri not in config.extra_javascript)
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for uri, path in static.site_assets():
        if files.get_file_from_path(uri) is None:
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    stock = stock_french(config.theme.dirs)  # search without accents: overrides/ wraps Material's French file
    if stock is not None:
        files.append(File.generated(config, STOCK_FRENCH, abs_src_path=str(stock)))
    for src, markdown in state.pages.items():
        existing = files.src_uris.get(src)  # (src is posix already: no PurePath per page)
        if existing is not None:
            log.warning(f"{config.docs_dir}/{src} est remplacé par la page générée de même adresse")
            files.remove(existing)
        # item pages are reached through the index pages, not listed in the nav
        inclusion = InclusionLevel.DRAFT if src in state.drafts else InclusionLevel.NOT_IN_NAV
        if state.folder is not None:  # serve --dirty: a page's file changes only when its Markdown does
            generated = File.generated(config, src, abs_src_path=_written(src, markdown), inclusion=inclusion)
        else:
            generated = File.generated(config, src, content=markdown, inclusion=inclusion)
        files.append(generated)
    _write_outputs_beside(config)  # site/ is clean by now
    return files


def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    state.nav = nav
    state.built, state.prebuilt = {}, frozenset()
    renders.start(_render_context(config, files))
    # generated pages outside the nav (items, themes, regions, dossiers) are rendered through
    # `renders`; the nav's own pages keep the Page MkDocs made (their titles come from the nav)
    in_nav = {page.file.src_uri for page in nav.pages}
    pages: list[_CachedPage] = []
    for f in files:
        if f.src_uri in state.pages and f.src_uri not in in_nav and type(f.page) is Page:  # drafts too
            # the Page MkDocs made, rendered through `renders` from now on (a new Page for each
            # took 0.3 s at 5,000 pages: build date, canonical and edit URLs)
            f.page.__class__ = _CachedPage
            pages.append(cast(_CachedPage, f.page))
    pages.sort(key=lambda page: -len(page.file.content_string))  # longest first: workers end together
    # cold cache (a build, serve's first build): render on every core before MkDocs reads pages;
    # serve --dirty renders again only what an edit touched, one by one
    cold = len(renders) < len(pages) // 2 and (renders.build == 1 or not state.dirty)
    if state.workers > 1 and len(pages) > 4 * prerender.CHUNK and cold:
        start, done = time.perf_counter(), 0
        try:
            for result in prerender.run_forked(lambda i: _prerender(pages[i], config, files), len(pages), state.workers):
                if result is not None:
                    renders.put(*result)
                    done += 1
        except Exception as exc:  # noqa: BLE001 (pages are then rendered one by one, as usual)
            log.info(f"esskb : rendu parallèle abandonné, les pages sont rendues une à une ({exc!r})")
        else:
            log.info(f"esskb : {done} pages rendues en parallèle ({state.workers} processus) en {time.perf_counter() - start:.1f} s")
    return nav


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if state.site is not None:  # sitemap dates come from the content, not from the clock
        page.update_date = lastmod(state.site.corpus, page.file.src_uri) or page.update_date
    if state.site is None or page.file.src_uri in state.pages:
        return markdown  # generated pages are complete already
    return state.site.expand(markdown, page.file.src_uri)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    escape_title_and_tags(page.meta, page.title)  # Material's search results print them as HTML
    return html


@event_priority(-100)  # last: after Material's tags plugin has filled its listings
def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """Every page is read: build the pages on every core."""
    return _build_pages(env, config, files)


def on_build_error(error: Exception) -> None:
    pdf.stop_probe()
    if state.outputs is not None:  # the build stopped before on_post_build
        outputs, state.outputs = state.outputs, None
        outputs.cancel()


def _build_pages(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    """Build the pages (theme template, search entry, file) on every core."""
    search = _search_index(config)
    if state.workers <= 1 or state.dirty or state.nav is None:
        return env
    inclusion = InclusionLevel.is_in_serve if state.command == "serve" else InclusionLevel.is_included
    doc_files = files.documentation_pages(inclusion=inclusion)
    pages = [f.page for f in doc_files if f.page is not None and not f.inclusion.is_excluded()]
    if len(pages) <= 4 * prerender.CHUNK:
        return env
    if unknown := _unknown_page_events(config):
        log.info(f"esskb : pages construites une à une, car ces extensions agissent sur chaque page : {', '.join(unknown)}")
        return env
    nav = state.nav
    start, built = time.perf_counter(), {}
    try:
        for src, entries, records in prerender.run_forked(
            lambda i: _prebuild(pages[i], config, doc_files, nav, env, search), len(pages), state.workers
        ):
            built[src] = entries
            prerender.replay(records)
    except Exception as exc:  # noqa: BLE001 (MkDocs then builds every page itself, as usual)
        log.info(f"esskb : construction parallèle abandonnée, MkDocs construit les pages une à une ({exc!r})")
        return env
    free = all(getattr(m, "__module__", None) in _KNOWN_PAGE_EVENTS for m in config.plugins.events.get("post_build", []))
    for page in pages:  # MkDocs still visits them, through an empty template that writes nothing
        page.meta["template"] = _BUILT
        page.meta["search"] = {"exclude": True}  # their entries come from the workers (on_page_context)
        if free:  # written already, and no plugin reads it at the end of the build
            page.content = ""
    state.built, state.prebuilt = built, frozenset(built)
    log.info(f"esskb : {len(built)} pages construites en parallèle ({state.workers} processus) en {time.perf_counter() - start:.1f} s")
    env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({_BUILT: ""}), env.loader])
    return env


def on_page_context(context: Any, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
    entries = state.built.pop(page.file.src_uri, None)
    if entries:  # in MkDocs' page order, so the search index is the one a single process writes
        search = _search_index(config)
        assert search is not None
        search.entries.extend(entries)
    return context


def on_post_build(config: MkDocsConfig) -> None:
    if not state.dirty:  # a dirty build reads only edited pages: the others' entries stay
        renders.finish()
    log.debug(f"pages rendues : {renders.misses} ; reprises du cache : {renders.hits}")
    if state.outputs is not None:  # started in on_files
        outputs, state.outputs = state.outputs, None
        outputs.result()
        state.outputs_seconds = outputs.seconds + pdf.probe_seconds
        log.debug(f"esskb : sorties écrites en {outputs.seconds:.1f} s, pendant l'écriture des pages")
        write_outputs(state.site, Path(config.site_dir), _site_url(config), emit.AFTER_PAGES)
    elif state.site is not None:
        write_outputs(state.site, Path(config.site_dir), _site_url(config))


def _site_url(config: MkDocsConfig) -> str:
    return config.site_url or "http://127.0.0.1:8000/"


def _write_outputs_beside(config: MkDocsConfig) -> None:
    """A build on several cores: the outputs that read no page (kb.json, feeds, newsletter,
    PDFs) are written by a forked process, at idle priority, while MkDocs renders and writes
    the pages (started once MkDocs has cleaned site/)."""
    if state.site is None or state.workers <= 1 or state.command == "serve":
        return
    site, site_dir, url = state.site, Path(config.site_dir), _site_url(config)
    state.outputs = prerender.Background(lambda: write_outputs(site, site_dir, url, emit.BESIDE_PAGES), "mkdocs")


# -- rendering generated pages once, on every core (esskb.prerender) ------------


class _CachedPage(Page):
    """A generated page whose rendering is looked up in ``renders`` by its final Markdown."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        assert self.markdown is not None
        key = renders.key(self.file.src_uri, self.markdown)
        found = renders.get(key)
        if found is None:
            renders.put(key, _render_and_keep(self, config, files))
            return
        self.content = found.content
        self.toc = found.toc
        self._title_from_render = found.title
        self.present_anchor_ids = set(found.anchors)
        if found.links_to_anchors is not None:
            self.links_to_anchors = {
                target: dict(anchors)
                for src, anchors in found.links_to_anchors
                if (target := files.get_file_from_path(src)) is not None
            }
        prerender.replay(found.records)


def _render_and_keep(page: Page, config: MkDocsConfig, files: Files) -> prerender.Rendered:
    """MkDocs' own rendering of ``page``, and what it set and logged, as plain data."""
    with prerender.capture("mkdocs") as records:
        _render(page, config, files)
    links = page.links_to_anchors
    return prerender.Rendered(
        content=page.content or "",
        toc=page.toc,
        title=page._title_from_render,
        anchors=frozenset(page.present_anchor_ids or ()),
        links_to_anchors=None if links is None else tuple((f.src_uri, tuple(a.items())) for f, a in links.items()),
        records=tuple(records),
    )


# Extensions whose state Python-Markdown's reset() clears (checked by tests/test_render_cache.py):
# with only these, one Markdown instance per process renders every page, as MkDocs' Page.render
# would with a new one each time (a new instance with these extensions costs about 2.5 ms a page)
_RESETTABLE = frozenset({
    "abbr", "admonition", "attr_list", "def_list", "fenced_code", "footnotes", "md_in_html", "tables", "toc",
    "pymdownx.details", "pymdownx.snippets", "pymdownx.superfences",
})
_markdown: dict[str, markdown.Markdown] = {}  # one per configuration, in each process


def _render(page: Page, config: MkDocsConfig, files: Files) -> None:
    """``Page.render`` (MkDocs 1.6) with a Markdown instance reset between pages."""
    names = config.markdown_extensions
    if not all(isinstance(name, str) and name.removeprefix("markdown.extensions.") in _RESETTABLE for name in names):
        return Page.render(page, config, files)
    assert page.markdown is not None
    key = repr((names, sorted(config.mdx_configs.items())))
    md = _markdown.get(key)
    if md is None:
        md = _markdown[key] = markdown.Markdown(extensions=names, extension_configs=config.mdx_configs or {})
    md.reset()
    source, blocks = _marked(page)
    md.preprocessors.register(_HtmlBlocks(md, blocks), "esskb_html_blocks", 29)  # after normalize_whitespace
    raw_html = pages_module._RawHTMLPreprocessor()
    raw_html._register(md)
    anchors = pages_module._ExtractAnchorsTreeprocessor(page.file, files, config)
    anchors._register(md)
    relative_paths = pages_module._RelativePathTreeprocessor(page.file, files, config)
    relative_paths._register(md)
    title = pages_module._ExtractTitleTreeprocessor()
    title._register(md)
    page.content = md.convert(source)
    page.toc = get_toc(getattr(md, "toc_tokens", []))
    page._title_from_render = title.title
    page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
    if pages_module.log.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = relative_paths.links_to_anchors


class _HtmlBlocks(markdown.preprocessors.Preprocessor):
    """Puts the raw HTML blocks our templates wrote into Markdown's HTML stash, as its own
    preprocessor would: Python-Markdown and MkDocs then skip parsing them tag by tag (a
    quarter of converting a case page). Runs right after whitespace normalization, whose
    changes it applies to the blocks too."""

    def __init__(self, md: markdown.Markdown, blocks: list[str]) -> None:
        super().__init__(md)
        self.blocks = blocks

    def run(self, lines: list[str]) -> list[str]:
        if not self.blocks:
            return lines
        out = []
        for line in lines:
            if line.startswith(_MARK) and line.endswith(_MARK) and line[1:-1].isdigit() and int(line[1:-1]) < len(self.blocks):
                block = self.blocks[int(line[1:-1])].replace("\r\n", "\n").replace("\r", "\n").expandtabs(self.md.tab_length)
                line = self.md.htmlStash.store(block + "\n")  # with its line's end, as Markdown keeps it
            out.append(line)
        return out


_MARK = "\x0e"  # a block's number between two of these, on its own line


def _marked(page: Page) -> tuple[str, list[str]]:
    """The page's Markdown with each of its template's raw HTML blocks replaced by a marker
    line, and the blocks; only while the page's Markdown is still the one generated (no plugin
    changed it) and holds no marker character of its own."""
    assert page.markdown is not None
    source, src = page.markdown, page.file.src_uri
    found, generated = state.blocks.get(src), state.pages.get(src)
    if not found or generated is None or not generated.endswith(source) or _MARK in source:
        return source, []
    shift, parts, blocks, last = len(generated) - len(source), [], [], 0
    for start, end in found:
        if start - shift < last:
            return source, []
        parts += [source[last : start - shift], f"{_MARK}{len(blocks)}{_MARK}"]
        blocks.append(source[start - shift : end - shift])
        last = end - shift
    parts.append(source[last:])
    return "".join(parts), blocks


def _prerender(page: Page, config: MkDocsConfig, files: Files) -> tuple[str, prerender.Rendered] | None:
    """In a forked worker: what MkDocs' `_populate_page` does up to rendering, for one page."""
    prerender.silence("mkdocs")
    config._current_page = page
    page = config.plugins.on_pre_page(page, config=config, files=files)
    page.read_source(config)
    assert page.markdown is not None
    markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
    key = renders.key(page.file.src_uri, markdown)
    if key in renders:
        return None
    page.markdown = markdown
    return key, _render_and_keep(page, config, files)


def _render_context(config: MkDocsConfig, files: Files) -> str:
    """Everything a page's rendering reads besides its own Markdown and path."""
    settings = [
        repr(config.markdown_extensions),
        repr(sorted(config.mdx_configs.items(), key=lambda kv: kv[0])),
        repr(config.validation),
        str(config.use_directory_urls),
        str(config.docs_dir),
    ]
    return prerender.context_digest(settings + sorted(f"{f.src_uri}\t{f.url}" for f in files))


# -- building pages on every core (on_env) --------------------------------------

_BUILT = "esskb/built-by-a-worker.html"  # an empty template: MkDocs writes nothing for these pages
# page events whose effects a worker hands back (search entries) or that have none outside the page
_KNOWN_PAGE_EVENTS = (__name__, "material.plugins.search.plugin", "material.plugins.tags.plugin")


def _search_index(config: MkDocsConfig) -> Any:
    """Material's search index (its ``entries`` list), or None (no search, or Pagefind)."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if type(plugin).__module__ == "material.plugins.search.plugin" and isinstance(getattr(index, "entries", None), list):
            return index
    return None


def _unknown_page_events(config: MkDocsConfig) -> list[str]:
    """Plugins acting while pages are built whose effects workers could not hand back."""
    events = config.plugins.events
    return sorted({
        getattr(config.plugins, "_event_origins", {}).get(method, getattr(method, "__module__", "?"))
        for name in ("page_context", "post_page")
        for method in events.get(name, [])
        if getattr(method, "__module__", None) not in _KNOWN_PAGE_EVENTS
    })


def _prebuild(page: Page, config: MkDocsConfig, doc_files: Any, nav: Navigation, env: jinja2.Environment, search: Any) -> tuple[str, list[dict[str, Any]], list[tuple[str, int, str]]]:
    """In a forked worker: MkDocs' own `_build_page` for one page; the search entries it added."""
    prerender.silence("mkdocs")
    before = len(search.entries) if search is not None else 0
    with prerender.capture("mkdocs") as records:
        mkdocs_build._build_page(page, config, doc_files, nav, env)
    return page.file.src_uri, search.entries[before:] if search is not None else [], list(records)


# -- serve --dirty: MkDocs renders again only what an edit touched ------------


def _written(src: str, markdown: str) -> str:
    """The page's Markdown in the serve folder, rewritten (new mtime) only when it changed."""
    assert state.folder is not None
    path = state.folder / src
    if state.written.get(src) != markdown:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(markdown, encoding="utf-8")
        state.written[src] = markdown
    return str(path)


class _BuildNotes(logging.Filter):
    """Two of MkDocs' build messages that do not apply here.

    - MkDocs warns at every dirty build that navigation may be stale, which ``strict: true`` turns
      into a failure. Here the nav holds index pages only and every generated page's file changes
      with its Markdown, so the warning is an information, and the preview keeps strict checks.
    - "Page skipped ... empty output" for each page the workers built (see on_env).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if state.dirty and record.levelno == logging.WARNING and record.getMessage().startswith("A 'dirty' build"):
            record.levelno, record.levelname = logging.INFO, "INFO"
        message = record.getMessage()
        if record.levelno == logging.INFO and message.startswith(_SKIPPED):
            return message[len(_SKIPPED) :].rsplit("'. ", 1)[0] not in state.prebuilt
        return True


_SKIPPED = "Page skipped: '"
