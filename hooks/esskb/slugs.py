"""ASCII slugs with accents folded: "Île-de-France" -> "ile-de-france"."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def fold(text: str) -> str:
    """Lower-case, without diacritics (œ -> oe, æ -> ae)."""
    if text.isascii():  # most slugs and names: nothing to fold
        return text.lower()
    text = text.replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae").replace("Æ", "AE")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def slugify(text: str, max_length: int = 80) -> str:
    if len(text) <= max_length and is_slug(text):  # a slug already (case file names): itself
        return text
    slug = _NON_ALNUM.sub("-", fold(text)).strip("-")
    return slug[:max_length].rstrip("-")


def is_slug(text: str) -> bool:
    return bool(SLUG_RE.match(text))
