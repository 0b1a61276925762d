"""Glossary abbreviations (Python-Markdown's abbr syntax and its ``<abbr>`` output)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Iterable

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
        # each term's <abbr>, made once (Markup.format runs string.Formatter in Python: 8 µs)
        self._html = {term: str(Markup('<abbr title="{}">{}</abbr>').format(title, term)) for term, title in self.titles.items()}
        rare = rarest_chars(corpus, self.titles)
        self._lines = [(term, f"*[{term}]: {title}\n", *word_edges(term), rare[term]) for term, title in self.titles.items()]

    def definitions(self, markdown: str) -> str:
        """``*[term]: expansion`` lines for the terms ``markdown`` uses, in glossary order.

        Each page carries the definitions it needs: the whole glossary on every page cost a
        quarter of a case page's Markdown conversion (abbr parses every definition, then
        matches all terms against every text node).
        """
        return "".join([line for term, line, first, last, at in self._lines if whole_word(markdown, term, "_", first, last, at)])  # \bTERM\b

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
            out.append(self._html[match.group()])
            last = match.end()
        out.append(escape(value[last:]))
        return Markup("".join(out))


def word_edges(term: str) -> tuple[bool, bool]:
    """Whether ``term`` starts and ends with a word character: only there does regex ``\\b``
    ask anything of the neighbour (``whole_word``'s ``first`` and ``last``)."""
    return _is_word_char(term[0]), _is_word_char(term[-1])


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def rarest_chars(corpus: Corpus, terms: Iterable[str], sample: int = 20) -> dict[str, int]:
    """For each term, the index of its character least frequent in the texts of the corpus'
    first ``sample`` items (``whole_word``'s ``at``): it only makes the search faster."""
    counts = _char_counts(tuple(item.body for item in corpus.items[:sample]))
    return {term: min(range(len(term)), key=lambda i: counts[term[i]]) if term else 0 for term in terms}


@lru_cache(maxsize=1)
def _char_counts(texts: tuple[str, ...]) -> Counter[str]:
    """Characters counted once for the glossary's definitions and its page's term usage (7 ms)."""
    return Counter("".join(texts))


def whole_word(text: str, term: str, joined: str, first: bool = True, last: bool = True, at: int = 0) -> bool:
    """Whether ``term`` occurs in ``text`` with no letter, digit or character of ``joined``
    just before it (when ``first``) nor just after it (when ``last``). Glossary definitions
    and term usage (``xrefs.uses_term``) ask it of every page for every term. The text is
    searched for one character of the term, its ``at``-th (the rarest: ``rarest_chars``),
    then the term is compared there: a one-character ``str.find`` runs at memory speed, where
    finding the whole term read a 5,000-character page in 3 µs: a case page's definitions
    went from 74 to 49 µs, the glossary page's term usage (5,000 items) from 0.38 to 0.18 s,
    each pair timed in one process. A regex per term and page cost 0.1 ms, one pattern of all
    terms a second for 5,000 items."""
    size, length = len(term), len(text)
    if not size:
        return False
    char = term[at]
    found = text.find(char, at)
    while found != -1:
        start = found - at
        if text.startswith(term, start):
            end = start + size
            before, after = text[start - 1] if start else "", text[end] if end < length else ""
            if not (first and before and (before.isalnum() or before in joined)) and not (last and after and (after.isalnum() or after in joined)):
                return True
        found = text.find(char, found + 1)
    return False
