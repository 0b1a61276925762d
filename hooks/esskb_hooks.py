"""MkDocs adapter for esskb: the events only. Every decision lives in the ``esskb`` package.

load -> validate (on_config, before MkDocs cleans site/) -> link (on_files, on_page_markdown)
-> emit (on_post_build).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from esskb import static
from esskb.corpus import load_corpus
from esskb.determinism import lastmod
from esskb.emit import write_outputs
from esskb.errors import ContentError
from esskb.glossary import abbreviations
from esskb.htmlsafe import escape_title_and_tags
from esskb.pages import Site, site_pages
from esskb.search_assets import STOCK_FRENCH, stock_french
from esskb.settings import settings_of

log = logging.getLogger("mkdocs.plugins.esskb")

# Markdown extensions the generated pages rely on.
REQUIRED_EXTENSIONS = ("abbr", "admonition", "attr_list", "md_in_html", "tables", "toc", "pymdownx.snippets")


@dataclass
class _State:
    """What one build knows. ``command`` is set once per process; the rest at every on_config
    (MkDocs does not reload hook modules under ``serve``)."""

    command: str = "build"
    site: Site | None = None
    pages: dict[str, str] = field(default_factory=dict)
    drafts: frozenset[str] = frozenset()


state = _State()


def on_startup(command: str, dirty: bool) -> None:
    state.command = command


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).parent
    docs_dir = Path(config.docs_dir).resolve()
    try:
        docs_rel = docs_dir.relative_to(root.resolve()).as_posix()
    except ValueError:
        docs_rel = str(docs_dir)
    settings = settings_of(config)
    settings["pdf"] = bool(settings.get("pdf", True)) and state.command != "serve"  # dossier PDFs: builds only
    try:
        corpus = load_corpus(root, docs_dir=docs_rel, settings=settings)
    except ContentError as exc:
        for problem in exc.problems:
            log.error(str(problem))
        count = len(exc.problems)
        raise PluginError(
            f"{count} problème{'s' if count > 1 else ''} dans le contenu (liste ci-dessus) : "
            "corrigez-les puis relancez ; le site précédent n'a pas été modifié."
        ) from None
    site, pages = site_pages(corpus, include_drafts=state.command == "serve")
    state.site = site
    state.pages = {p.src: p.markdown for p in pages}
    state.drafts = frozenset(item.src for item in site.corpus.items if item.draft)
    _use_extensions(config, abbreviations(corpus))
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
        existing = files.get_file_from_path(src)
        if existing is not None:
            log.warning(f"{config.docs_dir}/{src} est remplacé par la page générée de même adresse")
            files.remove(existing)
        # item pages are reached through the index pages, not listed in the nav
        inclusion = InclusionLevel.DRAFT if src in state.drafts else InclusionLevel.NOT_IN_NAV
        files.append(File.generated(config, src, content=markdown, inclusion=inclusion))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if state.site is not None:  # sitemap dates come from the content, not from the clock
        page.update_date = lastmod(state.site.corpus, page.file.src_uri) or page.update_date
    if state.site is None or page.file.src_uri in state.pages:
        return markdown  # generated pages are complete already
    return state.site.expand(markdown, page.file.src_uri)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    escape_title_and_tags(page.meta, page.title)  # Material's search results print them as HTML
    return html


def on_post_build(config: MkDocsConfig) -> None:
    if state.site is not None:
        write_outputs(state.site, Path(config.site_dir), config.site_url or "http://127.0.0.1:8000/")


# -- helpers -----------------------------------------------------------------


def _use_extensions(config: MkDocsConfig, abbr_text: str) -> None:
    """Enable what generated Markdown needs; append the glossary to every page via snippets."""
    for name in REQUIRED_EXTENSIONS:
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
    folder = Path(tempfile.gettempdir()) / "esskb-snippets"
    folder.mkdir(exist_ok=True)
    name = f"abbreviations-{hashlib.sha256(abbr_text.encode()).hexdigest()[:16]}.md"
    target = folder / name
    if not target.exists():
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(abbr_text, encoding="utf-8")
        partial.replace(target)
    snippets = config.mdx_configs.setdefault("pymdownx.snippets", {})
    bases = list(snippets.get("base_path") or ["."])
    if str(folder) not in bases:
        bases.append(str(folder))
    snippets["base_path"] = bases
    snippets["auto_append"] = [n for n in snippets.get("auto_append") or [] if not n.startswith("abbreviations-")] + [name]
