"""Page titles and tags as Material's search prints them: as HTML, so escaped once, here.

Material's search plugin copies a page's title (front-matter ``title`` or the text of its
first heading) and its ``tags`` into ``search/search_index.json`` as they are, and the search
worker's results insert them with ``innerHTML``: a fiche titled ``<img src=x onerror=…>``
would run in the browser of every reader who searches. Storing them escaped, as ``Markup``,
in the page's metadata before the search plugin reads them (``on_page_content``) fixes every
consumer at once: templates print ``Markup`` as it is, and Jinja's ``e`` filter leaves it alone.
"""

from __future__ import annotations

from typing import Any, MutableMapping

from markupsafe import Markup, escape


def escape_title_and_tags(meta: MutableMapping[str, Any], title: str | None) -> None:
    """Set ``meta["title"]`` to the escaped page title and escape each of ``meta["tags"]``."""
    if title is not None:
        meta["title"] = title if isinstance(title, Markup) else escape(str(title))
    tags = meta.get("tags")
    if isinstance(tags, list):
        meta["tags"] = [tag if isinstance(tag, Markup) else escape(str(tag)) for tag in tags]
