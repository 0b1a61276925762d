"""Glossary abbreviations for the whole site (Python-Markdown's abbr syntax)."""

from __future__ import annotations

from .model import Corpus


def abbreviations(corpus: Corpus) -> str:
    """``*[ESS]: Économie sociale et solidaire`` lines, appended to every page by snippets."""
    lines = []
    for term in corpus.terms:
        expansion = " ".join(term.expansion.split())
        lines.append(f"*[{term.term}]: {expansion}")
    return "\n".join(lines) + "\n"
