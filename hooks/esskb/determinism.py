"""Dates a build takes from the content, never from the clock: same input, same bytes.

MkDocs dates each page with the day of the build (``Page.update_date``), which goes into
``sitemap.xml`` as ``<lastmod>`` and, through the newest of them, into the header of
``sitemap.xml.gz``. esskb dates a fiche or a case page by its own last change and every
other page by the newest change of the published content.
"""

from __future__ import annotations

from .model import Corpus


def lastmod(corpus: Corpus, src: str) -> str | None:
    """``YYYY-MM-DD`` for the page built from docs path ``src``; None for an empty corpus."""
    dates = corpus.last_change_by_src  # computed once per corpus
    if src in dates:
        return dates[src].isoformat()
    return max(dates.values()).isoformat() if dates else None
