"""Search for large sites: a Pagefind index of the built pages (``extra: esskb: search: pagefind``).

Material's lunr index is one JSON file that every reader downloads whole before a first
result (about 5 MB per 1,000 pages). Pagefind splits its index into chunks fetched on demand
and stems French words; its binary ships inside the ``pagefind-bin`` wheel from PyPI. The
emitter runs it on ``site_dir`` once the pages are written; ``overrides/main.html`` puts
Pagefind's search box in Material's header when the setting is on.

Indexed: the text of each page's article (Material's ``article.md-content__inner``), without
the permalinks, the breadcrumbs and the hidden blocks; not indexed: the training dossiers
and the newsletter preview, which repeat the fiches and cases in full.
"""

from __future__ import annotations

import logging
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from .pages import Site

if TYPE_CHECKING:  # emit imports this module
    from .emit import Output

log = logging.getLogger("mkdocs.plugins.esskb")

SETTING = "search"
VALUE = "pagefind"
BUNDLE = "pagefind"  # folder of the index and of Pagefind's UI, under the site root
ROOT_SELECTOR = "article.md-content__inner"
EXCLUDE_SELECTORS = ("a.headerlink", ".esskb-breadcrumb", ".md-content__button", "[hidden]")
# Top-level folders left out of the index: copies of other pages, assets, other indexes.
SKIPPED = frozenset({"formations", "newsletter", "assets", "search", "stylesheets", "javascripts", BUNDLE})


def wanted(site: Site) -> bool:
    return str(site.corpus.settings.get(SETTING) or "").strip().lower() == VALUE


def executable() -> Path | None:
    """The pagefind binary of the ``pagefind-bin`` wheel, or None when it is not installed."""
    try:
        from pagefind_bin import get_executable  # local: an optional dependency
    except ImportError:
        return None
    try:
        return get_executable()
    except FileNotFoundError:
        return None


def page_glob(site_dir: Path) -> str:
    """A glob of the pages to index: the home page and every top-level folder not skipped."""
    folders = sorted(p.name for p in site_dir.iterdir() if p.is_dir() and p.name not in SKIPPED)
    return "{index.html" + "".join(f",{name}/**/*.html" for name in folders) + "}"


def command(binary: Path, site_dir: Path) -> list[str]:
    return [
        str(binary), "--site", str(site_dir), "--output-subdir", BUNDLE, "--force-language", "fr",
        "--root-selector", ROOT_SELECTOR, "--exclude-selectors", ", ".join(EXCLUDE_SELECTORS),
        "--glob", page_glob(site_dir), "--quiet",
    ]


def emit_pagefind(site: Site, out: "Output") -> None:
    """Emitter: ``pagefind/`` (index, chunks, UI) when ``search: pagefind`` is set."""
    if not wanted(site):
        return
    binary = executable()
    if binary is None:
        log.warning(
            "esskb : « search: pagefind » est demandé mais Pagefind n'est pas installé "
            "(pip install 'pagefind[bin]') : la recherche du site ne fonctionnera pas."
        )
        return
    result = subprocess.run(command(binary, out.site_dir), capture_output=True, text=True, timeout=1800)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["?"]
        log.warning(f"esskb : Pagefind n'a pas pu indexer le site ({detail[0]}) : la recherche ne fonctionnera pas.")
