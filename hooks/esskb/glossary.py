"""Glossary abbreviations (Python-Markdown's abbr syntax and its ``<abbr>`` output)."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from .model import Corpus


def abbreviations(corpus: Corpus) -> str:
    """``*[ESS]: Économie sociale et solidaire`` lines, appended to every page by snippets."""
    lines = []
    for term in corpus.terms:
        expansion = " ".join(term.expansion.split())
        lines.append(f"*[{term.term}]: {expansion}")
    return "\n".join(lines) + "\n"


class Abbreviations:
    """What Python-Markdown's ``abbr`` does to text, for the raw HTML the templates write:
    each glossary term, as a whole word, in ``<abbr title="expansion">``; the rest escaped."""

    def __init__(self, corpus: Corpus):
        self.titles = {t.term: " ".join(t.expansion.split()) for t in corpus.terms if t.term}
        terms = sorted(self.titles, key=len, reverse=True)
        self.pattern = re.compile(r"\b(" + "|".join(re.escape(t) for t in terms) + r")\b") if terms else None
        self._done: dict[str, Markup] = {}  # titles and descriptions come back on many pages
        self._lines = [(term, f"*[{term}]: {title}\n", *word_edges(term)) for term, title in self.titles.items()]

    def definitions(self, markdown: str) -> str:
        """``*[term]: expansion`` lines for the terms ``markdown`` uses, in glossary order.

        Each page carries the definitions it needs: the whole glossary on every page cost a
        quarter of a case page's Markdown conversion (abbr parses every definition, then
        matches all terms against every text node).
        """
        return "".join([line for term, line, first, last in self._lines if whole_word(markdown, term, "_", first, last)])  # \bTERM\b

    def __call__(self, text: object) -> Markup:
        value = str(text)
        found = self._done.get(value)
        if found is None:
            found = self._done[value] = self._wrap(value)
        return found

    def _wrap(self, value: str) -> Markup:
        if self.pattern is None:
            return escape(value)
        out: list[str] = []
        last = 0
        for match in self.pattern.finditer(value):
            out.append(escape(value[last:match.start()]))
            out.append(Markup('<abbr title="{}">{}</abbr>').format(self.titles[match.group()], match.group()))
            last = match.end()
        out.append(escape(value[last:]))
        return Markup("".join(out))


def word_edges(term: str) -> tuple[bool, bool]:
    """Whether ``term`` starts and ends with a word character: only there does regex ``\\b``
    ask anything of the neighbour (``whole_word``'s ``first`` and ``last``)."""
    return _is_word_char(term[0]), _is_word_char(term[-1])


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def whole_word(text: str, term: str, joined: str, first: bool = True, last: bool = True) -> bool:
    """Whether ``term`` occurs in ``text`` with no letter, digit or character of ``joined``
    just before it (when ``first``) nor just after it (when ``last``). Glossary definitions
    and term usage (``xrefs.uses_term``) ask it of every page for every term: ``str.find`` in a
    loop, where a regex per term and page cost 0.1 ms, one pattern of all terms a second for
    5,000 items, and generators a fifth more than this loop."""
    size, length = len(term), len(text)
    start = text.find(term)
    while start != -1:
        end = start + size
        before, after = text[start - 1] if start else "", text[end] if end < length else ""
        if not (first and before and (before.isalnum() or before in joined)) and not (last and after and (after.isalnum() or after in joined)):
            return True
        start = text.find(term, start + 1)
    return False
