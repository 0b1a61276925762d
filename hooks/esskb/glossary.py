"""Glossary abbreviations for the whole site (Python-Markdown's abbr syntax)."""

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

    def __call__(self, text: object) -> Markup:
        value = str(text)
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
