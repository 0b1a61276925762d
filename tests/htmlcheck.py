"""Reading built pages: links, text, sections (lxml)."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html


def parse(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def page(site: Path, url: str) -> lxml.html.HtmlElement:
    return parse(site / url / "index.html" if not url.endswith(".html") else site / url)


def content(doc: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    return doc.cssselect("article.md-content__inner")[0]


def section_links(doc: lxml.html.HtmlElement, heading_id: str) -> list[str]:
    """The hrefs listed under the heading with this id, up to the next heading of its level."""
    heading = doc.get_element_by_id(heading_id)
    hrefs = []
    for sibling in heading.itersiblings():
        if sibling.tag in ("h1", "h2") or (sibling.tag == heading.tag):
            break
        hrefs += [a.get("href") for a in sibling.iter("a") if a.get("href")]
    return hrefs


def resolve(site: Path, page_file: Path, href: str, base: str = "/") -> Path | None:
    """The file of site/ an internal href points to, or None for external links.

    ``base`` is the path of ``site_url``: root-absolute hrefs (Material's 404 page) start with it.
    """
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "mailto:", "javascript:")):
        return None
    if parts.path.startswith("/"):
        if not parts.path.startswith(base):
            return site / "__outside_the_site__"
        target = posixpath.normpath(unquote(parts.path[len(base):]) or ".")
    else:
        target = posixpath.normpath(posixpath.join(page_file.parent.relative_to(site).as_posix(), unquote(parts.path)))
    path = site / target
    if href.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path


def internal_links(site: Path, base: str = "/"):
    """(page file, href, resolved file) for every internal link of every page."""
    for html in sorted(site.rglob("*.html")):
        doc = parse(html)
        for a in doc.iter("a"):
            href = a.get("href")
            if href is None:
                continue
            target = resolve(site, html, href, base)
            if target is not None:
                yield html, href, target
