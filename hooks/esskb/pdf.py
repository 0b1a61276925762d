"""PDF of the dossiers, printed by WeasyPrint from their standalone HTML.

WeasyPrint is imported lazily (it is slow to import and needs Debian's Pango): where it
cannot run, one French line says so and the rest of the build goes on. A large build asks a
forked process whether it runs (``start_probe``) and imports it only to print a PDF its cache
lacks. The PDFs are deterministic: no creation date, no random identifier, no network access.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from . import prerender
from .dossiers import dossier_html, every_theme_dossier, is_full, pdfs_wanted
from .pages import Site

if TYPE_CHECKING:  # emit imports this module
    from .emit import Output

log = logging.getLogger("mkdocs.plugins.esskb")
# Rendering options: no pdf_identifier, no dcterms.created, so that nothing varies between builds.
OPTIONS = {"pdf_tags": True}  # tagged PDF: headings, lists and links for screen readers
# Same HTML, same WeasyPrint -> same bytes: unchanged dossiers are not printed again.
CACHE_DIR = Path(tempfile.gettempdir()) / "esskb-pdf"


@lru_cache(maxsize=1)
def weasyprint() -> ModuleType | None:
    """The weasyprint module, or None (said once) where it cannot be imported."""
    reason = _import_problem()
    if reason is not None:
        _say_no_pdf(reason)
        return None
    import weasyprint as module

    return module


@lru_cache(maxsize=1)
def _version() -> str:
    """WeasyPrint's version, from its package's metadata (its ``__version__`` otherwise)."""
    try:
        return importlib.metadata.version("weasyprint")
    except (importlib.metadata.PackageNotFoundError, ValueError):
        module = weasyprint()
        return str(getattr(module, "__version__", "")) if module is not None else ""


def _import_problem() -> str | None:
    """Why WeasyPrint cannot be imported here, or None when it can (then it is imported)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]
    return None


def _say_no_pdf(reason: str) -> None:
    log.info(
        f"esskb : WeasyPrint ne peut pas fonctionner ici ({reason}) ; les dossiers PDF ne sont pas produits, "
        "le site HTML est construit normalement (voir « Dossiers PDF » dans README.md)."
    )


# -- whether WeasyPrint runs, found out beside the build --------------------------------------

_probe: prerender.Background | None = None
_usable: bool | None = None
probe_seconds = 0.0  # the probe's processor time, in its process (bench/)


def start_probe() -> None:
    """Find out whether WeasyPrint runs here in a forked process, while the build reads the
    content: importing it took 0.6 to 0.8 s of the build's own time, for an answer the dossier
    pages need (they link to their PDF) and a module only a PDF the cache lacks needs (see
    ``cached_pdf``). Niced, not idle: the build may have to wait for the answer."""
    global _probe
    if _usable is None and _probe is None and "weasyprint" not in sys.modules:
        _probe = prerender.Background(_import_problem, "mkdocs", nice=10)


def usable() -> bool:
    """Whether WeasyPrint runs here: the probe's answer (waited for), or an import here."""
    global _probe, _usable, probe_seconds
    if _usable is None and _probe is not None:
        probe, _probe = _probe, None
        try:
            reason = probe.result()
        except Exception as exc:  # noqa: BLE001 (the import crashed its process: no PDFs)
            reason = str(exc)
        probe_seconds = probe.seconds
        if reason is not None:
            _say_no_pdf(reason)
        _usable = reason is None
    if _usable is None:
        _usable = weasyprint() is not None
    return _usable


def stop_probe() -> None:
    """The build stopped before asking (a content error): wait for the probe, keep nothing."""
    global _probe
    if _probe is not None:
        probe, _probe = _probe, None
        probe.cancel()


def render_pdf(html: str, base_url: str) -> bytes | None:
    """The PDF of a standalone HTML document, or None where WeasyPrint cannot run."""
    module = weasyprint()
    if module is None:
        return None
    fetcher = module.urls.URLFetcher(allowed_protocols={"data"})  # never the network
    document = module.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(**OPTIONS)


def cached_pdf(html: str, base_url: str) -> bytes | None:
    """``render_pdf`` through a cache keyed by everything the PDF depends on. WeasyPrint is
    imported only to print a PDF the cache does not hold (its import took 0.6 to 0.8 s)."""
    if not usable():
        return None
    key = hashlib.sha256("\0".join((_version(), repr(sorted(OPTIONS.items())), base_url, html)).encode()).hexdigest()
    path = CACHE_DIR / f"{key}.pdf"
    if path.is_file():
        return path.read_bytes()
    data = render_pdf(html, base_url)
    if data is not None:
        CACHE_DIR.mkdir(exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(data)
        partial.replace(path)
    return data


def emit_pdfs(site: Site, out: "Output") -> None:
    """Emitter: ``formations/<theme>.pdf`` for every dossier; sets ``pdf`` in ``site.dossiers``."""
    if not pdfs_wanted(site):
        return
    listed = {entry["theme"]: entry for entry in getattr(site, "dossiers", [])}
    start = time.perf_counter()
    dossiers = every_theme_dossier(site)
    for dossier in dossiers:  # a theme beyond dossier_max_items: the PDF of its list
        data = cached_pdf(dossier_html(site, dossier, out.site_url, full=is_full(site, dossier)), out.site_url)
        if data is None:
            continue
        out.write(dossier.pdf, data)
        if dossier.slug in listed:
            listed[dossier.slug]["pdf"] = dossier.pdf
    if dossiers:
        log.info(f"esskb : {len(dossiers)} dossier{'s' if len(dossiers) > 1 else ''} PDF en {time.perf_counter() - start:.1f} s")
