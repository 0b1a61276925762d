"""Typed links in Markdown bodies: ``[texte](fiche:5)``, ``cas:slug``, ``theme:slug``, ``region:slug``.

Finding them is pure text work (code blocks and code spans are skipped); what a link
becomes is decided by a callback, so validation and page generation share this code.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable, Iterable, NamedTuple, Sequence

KINDS = ("fiche", "cas", "theme", "region")

# The pattern starts with a literal "[" (the look-behind after it) so that the regex engine
# jumps from one "[" to the next instead of trying every position of the body.
_LINK = re.compile(
    r"\[(?<![!\\]\[)(?P<text>(?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]"
    r"\(\s*<?(?P<kind>fiche|cas|theme|region):(?P<target>[^)\s#>\"]*)(?P<anchor>#[^)\s>\"]*)?>?"
    r"(?:\s+\"[^\"]*\")?\s*\)"
)
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1", re.S)


class TypedLink(NamedTuple):
    """One typed link of a body. A named tuple: four links a body, made by the readers and
    again by the page workers, took 0.68 µs each as a frozen dataclass, 0.19 µs as a tuple."""

    kind: str  # fiche | cas | theme | region
    target: str  # "5", "corse-transversalite" ...
    anchor: str  # "" or "#section"
    text: str  # the link text, Markdown as written
    line: int  # file line
    start: int  # offsets in the body
    end: int

    @property
    def written(self) -> str:
        return f"{self.kind}:{self.target}{self.anchor}"


def _mask_code(body: str) -> str:
    """The body with code blocks and code spans blanked (same length, same lines)."""
    if "`" not in body and "~~~" not in body:
        return body  # no fence, no code span: nothing to blank
    out: list[str] = []
    fence: str | None = None
    for line in body.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group("fence")
            out.append(_blank(line))
        elif fence is not None:
            if match and match.group("fence")[0] == fence[0] and len(match.group("fence")) >= len(fence):
                fence = None
            out.append(_blank(line))
        else:
            out.append(line)
    masked = "".join(out)
    return _CODE_SPAN.sub(lambda m: _blank(m.group(0)), masked)


def _blank(text: str) -> str:
    return re.sub(r"[^\n]", " ", text)


Row = tuple[str, str, str, str, int, int, int]  # a TypedLink's fields, in order
_KNOWN: dict[tuple[str, int], tuple[Row, ...]] = {}  # what another process found (see know)


def rows(found: Sequence[TypedLink]) -> tuple[Row, ...]:
    """``found`` as plain tuples (a tenth of the time to send to another process)."""
    return tuple((link.kind, link.target, link.anchor, link.text, link.line, link.start, link.end) for link in found)


def know(found: Iterable[tuple[str, int, tuple[Row, ...]]]) -> None:
    """The typed links of these ``(body, body_line, rows)``, found by another process (the
    forked readers): ``find`` makes them from the rows instead of searching each body again
    (the page workers asked it of every body, 40 to 70 µs each). Replaces what was known."""
    _KNOWN.clear()
    _KNOWN.update(((body, body_line), found_rows) for body, body_line, found_rows in found)


@lru_cache(maxsize=16384)
def find(body: str, body_line: int) -> tuple[TypedLink, ...]:
    """Every typed link of a body; cached, since validation, relations and pages all ask."""
    known = _KNOWN.get((body, body_line))
    if known is not None:
        return tuple(TypedLink(*row) for row in known)
    masked = _mask_code(body)
    links = []
    line, counted = body_line, 0
    for m in _LINK.finditer(masked):
        line += masked.count("\n", counted, m.start())
        counted = m.start()
        links.append(
            TypedLink(
                kind=m.group("kind"),
                target=m.group("target"),
                anchor=m.group("anchor") or "",
                text=body[m.start("text") : m.end("text")],
                line=line,
                start=m.start(),
                end=m.end(),
            )
        )
    return tuple(links)


def rewrite(body: str, links: Sequence[TypedLink], render: Callable[[TypedLink], str]) -> str:
    """Replace each typed link by what ``render`` makes of it."""
    parts: list[str] = []
    position = 0
    for link in links:
        parts.append(body[position : link.start])
        parts.append(render(link))
        position = link.end
    parts.append(body[position:])
    return "".join(parts)
