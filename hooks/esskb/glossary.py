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
        self._words = {t: re.compile(r"\b" + re.escape(t) + r"\b") for t in self.titles}

    def definitions(self, markdown: str) -> str:
        """``*[term]: expansion`` lines for the terms ``markdown`` uses, in glossary order.

        Each page carries the definitions it needs: the whole glossary on every page cost a
        quarter of a case page's Markdown conversion (abbr parses every definition, then
        matches all terms against every text node).
        """
        lines = []
        for term, title in self.titles.items():
            # a substring search first (C speed), the whole-word check only where it is found
            if term in markdown and self._words[term].search(markdown):
                lines.append(f"*[{term}]: {title}\n")
        return "".join(lines)

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
