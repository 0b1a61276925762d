"""Feeds of the published fiches and cases, newest first: ``feed.xml`` (RSS 2.0, feedgen),
``feed.json`` (JSON Feed 1.1) and one RSS feed per theme (``themes/<slug>/feed.xml``).

RSS readers treat ``title`` and ``description`` as HTML, so their text is HTML-escaped
before feedgen serialises it: a title holding ``<script>`` shows as text, not markup.
JSON Feed ``title``, ``summary`` and ``content_text`` are plain text and carry the text as is.
Dates are the items' own dates (no clock), so two builds give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from .model import Content, Theme
from .pages import Site, url_of

if TYPE_CHECKING:
    from .emit import Output

RSS_FILE = "feed.xml"
JSON_FILE = "feed.json"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
DEFAULT_TITLE = "Base de connaissances ESS"
DEFAULT_DESCRIPTION = "Fiches et cas pratiques pour les politiques régionales d'économie sociale et solidaire"
GENERATOR = "esskb"
EPOCH = dt.date(2000, 1, 1)  # lastBuildDate of a feed with nothing at all in the site


def public_site(site: Site) -> Site:
    """The site without drafts. Under ``mkdocs serve`` the pages show drafts, but what
    is made to leave the site (feeds, kb.json, the newsletter block) never does: an editor
    may copy the block from a local preview."""
    if not site.include_drafts:
        return site
    clean: Site | None = getattr(site, "_public", None)  # made once: every emitter asks for it
    if clean is None:
        clean = Site(site.full, include_drafts=False)
        site._public = clean  # type: ignore[attr-defined]
    if hasattr(site, "dossiers"):
        clean.dossiers = site.dossiers  # type: ignore[attr-defined]
    return clean


def site_title(site: Site) -> str:
    return str(site.corpus.settings.get("site_name") or DEFAULT_TITLE)


def site_description(site: Site) -> str:
    return str(site.corpus.settings.get("site_description") or DEFAULT_DESCRIPTION)


def theme_feed_path(theme: Theme) -> str:
    return f"themes/{theme.slug}/{RSS_FILE}"


@dataclass(frozen=True)
class Entry:
    """One item of a feed, every URL absolute."""

    url: str
    title: str
    summary: str
    categories: tuple[tuple[str, str], ...]  # (theme slug, theme label)
    published: dt.date
    modified: dt.date | None
    last_change: dt.date


def entries(site: Site, out: "Output", items: Iterable[Content]) -> list[Entry]:
    directory_urls = bool(site.corpus.settings.get("use_directory_urls", True))
    return [
        Entry(
            url=out.absolute(url_of(item.src, directory_urls)),
            title=item.title,
            summary=item.description,
            categories=tuple((t.slug, t.label) for t in site.themes_of(item)),
            published=item.date,
            modified=item.updated,
            last_change=item.last_change,
        )
        for item in items
    ]


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=dt.timezone.utc)


def rss(*, title: str, description: str, home: str, self_url: str, categories_url: str,
        items: Sequence[Entry], last_build: dt.date, made: dict[int, FeedEntry] | None = None) -> bytes:
    """RSS 2.0 through feedgen; ``items`` already newest first. ``made``: feedgen's entries
    by ``id`` of their item, shared by feeds listing the same items (the site's and each
    theme's: each item is in two to four feeds)."""
    fg = FeedGenerator()
    fg.title(title)
    fg.description(description)
    fg.link(href=self_url, rel="self", type="application/rss+xml")
    fg.link(href=home, rel="alternate")  # the last link is RSS's <link>
    fg.language("fr")
    fg.generator(GENERATOR)
    fg.lastBuildDate(_moment(last_build))  # feedgen would put the clock here
    made = {} if made is None else made
    for item in items:
        fe = made.get(id(item))
        if fe is None:
            fe = made[id(item)] = FeedEntry()
            fe.guid(item.url, permalink=True)
            fe.link(href=item.url)
            fe.title(html.escape(item.title, quote=False))
            fe.description(html.escape(item.summary, quote=False))
            fe.pubDate(_moment(item.published))
            for slug, label in item.categories:
                fe.category(term=slug, label=label, scheme=categories_url)
        fg.add_entry(fe, order="append")
    return fg.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)


def json_feed(*, title: str, description: str, home: str, self_url: str, items: Sequence[Entry]) -> str:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1): plain text fields, RFC 3339 dates."""
    feed = {
        "version": JSON_FEED_VERSION,
        "title": title,
        "home_page_url": home,
        "feed_url": self_url,
        "description": description,
        "language": "fr",
        "items": [_json_item(item) for item in items],
    }
    return json.dumps(feed, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _json_item(item: Entry) -> dict[str, object]:
    data: dict[str, object] = {
        "id": item.url,
        "url": item.url,
        "title": item.title,
        "summary": item.summary,
        "content_text": item.summary,
        "date_published": _moment(item.published).isoformat(),
        "tags": [label for _, label in item.categories],
    }
    if item.modified:
        data["date_modified"] = _moment(item.modified).isoformat()
    return data


def _last_build(items: Sequence[Entry], fallback: dt.date) -> dt.date:
    return max((i.last_change for i in items), default=fallback)


def emit_feeds(site: Site, out: "Output") -> None:
    site = public_site(site)
    items = entries(site, out, site.corpus.newest())
    title, description = site_title(site), site_description(site)
    newest = _last_build(items, EPOCH)
    categories_url = out.absolute("themes/")
    made: dict[int, FeedEntry] = {}  # items (kept alive in ``items``) are in several feeds
    out.write(RSS_FILE, rss(title=title, description=description, home=out.site_url, self_url=out.absolute(RSS_FILE),
                            categories_url=categories_url, items=items, last_build=newest, made=made))
    out.write(JSON_FILE, json_feed(title=title, description=description, home=out.site_url,
                                   self_url=out.absolute(JSON_FILE), items=items))
    directory_urls = bool(site.corpus.settings.get("use_directory_urls", True))
    for theme in site.corpus.themes:
        mine = [i for i in items if any(slug == theme.slug for slug, _ in i.categories)]
        out.write(theme_feed_path(theme), rss(
            title=f"{title} – {theme.label}",
            description=f"{theme.label} : {theme.description}",
            home=out.absolute(url_of(theme.src, directory_urls)),
            self_url=out.absolute(theme_feed_path(theme)),
            categories_url=categories_url, items=mine, last_build=_last_build(mine, newest), made=made,
        ))
