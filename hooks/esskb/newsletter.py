"""The newsletter block: which items go in an issue, and its renderings.

- ``newsletter/fragment.html``: email-safe HTML (tables 600 px wide, inline styles, absolute URLs)
  to paste into an emailing tool; ``newsletter/fragment.txt``: its plain-text twin;
- ``newsletter/widget.html``: a self-contained page for a partner's ``<iframe>``;
- ``newsletter/index.md``: the preview page of the site (``newsletter_page``).

A build takes the newest N published items (``extra.esskb.newsletter_items``, deterministic);
``python -m esskb newsletter --since`` takes an issue's date range instead. Items published in
the period are new; items only updated in it are "Mises à jour".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import Markup

from .feeds import JSON_FILE, RSS_FILE, public_site, site_title, theme_feed_path
from .model import Case, Content, Corpus, Fiche
from .pages import Page, Site, url_of
from .render import MONTHS, frdate, render

if TYPE_CHECKING:
    from .emit import Output

PAGE_SRC = "newsletter/index.md"
FRAGMENT_HTML = "newsletter/fragment.html"
FRAGMENT_TXT = "newsletter/fragment.txt"
WIDGET = "newsletter/widget.html"
DEFAULT_COUNT = 10
DEFAULT_HEADING = "Quoi de neuf – {mois}"  # extra.esskb.newsletter_heading; {mois} = "novembre 2026"
DEV_URL = "http://127.0.0.1:8000/"  # what the hook falls back to without site_url
NEW_FICHES = "Nouvelles fiches"
NEW_CASES = "Nouveaux cas pratiques"
UPDATES = "Mises à jour"


@dataclass(frozen=True)
class Entry:
    """One item as the block shows it; every URL absolute."""

    title: str
    context: str  # "Fiche n° 5 · Logement, Mobilité" or "Cas pratique · Bretagne · Porteur"
    description: str
    url: str
    date: dt.date  # what put it in the issue: publication, or update for "Mises à jour"

    @property
    def caps(self) -> str:
        return caps(self.title)


@dataclass(frozen=True)
class Section:
    title: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Issue:
    heading: str
    sections: tuple[Section, ...]  # non-empty sections only, in the fixed order
    site_url: str
    site_name: str

    @property
    def entries(self) -> list[Entry]:
        """Every entry, newest first (the widget's list)."""
        return sorted((e for s in self.sections for e in s.entries), key=lambda e: e.date, reverse=True)


@dataclass(frozen=True)
class Selection:
    fiches: tuple[Fiche, ...]
    cases: tuple[Case, ...]
    updates: tuple[Content, ...]


def caps(text: str) -> str:
    """Title in capitals, accents kept (« ÉCONOMIE », as French typography wants).

    Email clients apply CSS ``text-transform`` unevenly, so the text itself is upper-cased;
    ``str.upper`` is locale-independent and maps é -> É, œ -> Œ, ç -> Ç.
    """
    return text.upper()


def select(corpus: Corpus, since: dt.date | None = None, until: dt.date | None = None, count: int | None = None) -> Selection:
    """Published items of an issue: the ``since``..``until`` range (inclusive), or the newest ``count``."""
    if since is None:
        pool = corpus.newest(count if count is not None else DEFAULT_COUNT)
        start = min((i.last_change for i in pool), default=None)

        def within(day: dt.date | None) -> bool:
            return day is not None and start is not None and day >= start
    else:
        pool = corpus.newest()

        def within(day: dt.date | None) -> bool:
            return day is not None and since <= day and (until is None or day <= until)

    new = [i for i in pool if within(i.date)]
    return Selection(
        fiches=tuple(i for i in new if isinstance(i, Fiche)),
        cases=tuple(i for i in new if isinstance(i, Case)),
        updates=tuple(i for i in pool if not within(i.date) and within(i.updated)),
    )


def build_issue(site: Site, site_url: str, since: dt.date | None = None, until: dt.date | None = None, count: int | None = None) -> Issue:
    site = public_site(site)
    settings = site.corpus.settings
    if count is None:
        count = int(settings.get("newsletter_items") or DEFAULT_COUNT)
    chosen = select(site.corpus, since, until, count)
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    directory_urls = bool(settings.get("use_directory_urls", True))

    def entry(item: Content, update: bool = False) -> Entry:
        return Entry(
            title=item.title,
            context=_context(site, item) + (f" · mise à jour le {frdate(item.updated)}" if update else ""),
            description=item.description,
            url=site_url + url_of(item.src, directory_urls),
            date=(item.updated or item.date) if update else item.date,
        )

    sections = [
        Section(NEW_FICHES, tuple(entry(f) for f in chosen.fiches)),
        Section(NEW_CASES, tuple(entry(c) for c in chosen.cases)),
        Section(UPDATES, tuple(entry(i, update=True) for i in chosen.updates)),
    ]
    sections = [s for s in sections if s.entries]
    dates = [e.date for s in sections for e in s.entries]
    month_of = max(dates) if dates else (until or since)
    return Issue(
        heading=heading(str(settings.get("newsletter_heading") or DEFAULT_HEADING), month_of),
        sections=tuple(sections),
        site_url=site_url,
        site_name=site_title(site),
    )


def heading(template: str, day: dt.date | None) -> str:
    """``template`` with ``{mois}`` replaced by "novembre 2026" (or dropped when there is no date)."""
    if day is None:
        return re.sub(r"\s*[–—-]?\s*\{mois\}\s*", "", template).strip() or "Quoi de neuf"
    return template.replace("{mois}", f"{MONTHS[day.month - 1]} {day.year}")


def _context(site: Site, item: Content) -> str:
    themes = ", ".join(t.label for t in site.themes_of(item))
    if isinstance(item, Fiche):
        return f"Fiche n° {item.number} · {themes}"
    region = site.corpus.region_by_slug[item.region].label
    return f"Cas pratique · {region} · {item.actor}"


# -- renderings ------------------------------------------------------------------


def fragment_html(issue: Issue) -> str:
    return render("newsletter_fragment.html.j2", issue=issue)


def fragment_text(issue: Issue) -> str:
    return render("newsletter_fragment.txt.j2", issue=issue)


def widget_html(issue: Issue) -> str:
    return render("newsletter_widget.html.j2", issue=issue, rss=issue.site_url + RSS_FILE)


def embed_code(issue: Issue) -> str:
    """The ``<iframe>`` a partner pastes to show the widget."""
    code = Markup('<iframe src="{}" title="Nouveautés – {}" width="100%" height="420" style="border:0" loading="lazy"></iframe>')
    return str(code.format(issue.site_url + WIDGET, issue.site_name))  # plain text: the page escapes it once more


def site_url_of(site: Site) -> str:
    url = str(site.corpus.settings.get("site_url") or DEV_URL)
    return url if url.endswith("/") else url + "/"


def newsletter_page(site: Site) -> Page:
    """The preview page: the block as it will look, buttons to copy it, a how-to for editors."""
    issue = build_issue(site, site_url_of(site))
    html = fragment_html(issue)
    return site._page(
        PAGE_SRC, "newsletter_page.md.j2",
        title="Lettre d'information",
        description="Le bloc « Quoi de neuf » à coller dans une lettre d'information, et les nouveautés à afficher sur un site partenaire.",
        issue=issue, fragment=html, text=fragment_text(issue), count=len(issue.entries),
        embed=embed_code(issue), rss_url=issue.site_url + RSS_FILE, json_url=issue.site_url + JSON_FILE,
        theme_feeds=[(t.label, issue.site_url + theme_feed_path(t)) for t in site.corpus.themes],
        height=120 + 150 * len(issue.entries),  # before the frame sizes itself to its content
    )


def emit_newsletter(site: Site, out: "Output") -> None:
    issue = build_issue(site, out.site_url)
    out.write(FRAGMENT_HTML, fragment_html(issue))
    out.write(FRAGMENT_TXT, fragment_text(issue))
    out.write(WIDGET, widget_html(issue))
