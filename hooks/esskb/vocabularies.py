"""Controlled vocabularies from ``data/``: themes, regions, glossary, planned fiches."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, Problem
from .fields import Fields, each_entry
from .loading import read_data
from .model import Planned, Region, Term, Theme
from .slugs import is_slug, slugify

THEMES = "data/themes.yml"
REGIONS = "data/regions.yml"
GLOSSARY = "data/glossary.yml"
CATALOGUE = "data/catalogue.yml"


@dataclass(frozen=True)
class Vocabularies:
    themes: tuple[Theme, ...]
    regions: tuple[Region, ...]
    terms: tuple[Term, ...]
    planned: tuple[Planned, ...]
    planned_lines: dict[int, int]  # number -> line in catalogue.yml


def _slug(f: Fields, problems: list[Problem]) -> str | None:
    slug = f.text("slug")
    if slug is not None and not is_slug(slug):
        f.error(f"slug « {slug} » invalide : lettres minuscules sans accents, chiffres et tirets ; vouliez-vous dire « {slugify(slug)} » ?", "slug")
        return None
    return slug


def _theme(f: Fields) -> Theme | None:
    f.unknown_keys(("slug", "label", "description", "workshop"))
    slug, label, description = _slug(f, f.problems), f.text("label"), f.text("description")
    workshop = f.texts("workshop")
    if slug and label and description:
        return Theme(slug, label, description, workshop)
    return None


def _region(f: Fields) -> Region | None:
    f.unknown_keys(("slug", "label", "insee"))
    slug, label = _slug(f, f.problems), f.text("label")
    insee = f.data.get("insee")
    if isinstance(insee, int) and not isinstance(insee, bool):
        f.error(f"« insee » doit être un texte entre guillemets (\"{insee:02d}\") pour garder le zéro initial", "insee")
        return None
    insee = f.text("insee")
    if slug and label and insee:
        return Region(slug, label, insee)
    return None


def _term(f: Fields) -> Term | None:
    f.unknown_keys(("term", "expansion", "definition", "url"))
    term, expansion = f.text("term"), f.text("expansion")
    definition, url = f.text("definition", required=False), f.text("url", required=False)
    if url and not url.startswith(("https://", "http://")):
        f.error(f"« url » doit commencer par https:// ou http:// (reçu « {url} »)", "url")
        url = None
    if term and expansion:
        return Term(term, expansion, definition, url)
    return None


def _planned(f: Fields) -> Planned | None:
    f.unknown_keys(("number", "title"))
    number, title = f.integer("number", minimum=1), f.text("title")
    if number and title:
        return Planned(number, title)
    return None


def _unique(path: str, pairs: list, key, what: str, problems: list[Problem]) -> list:
    seen: dict = {}
    out = []
    for entry, line in pairs:
        k = key(entry)
        if k in seen:
            problems.append(Problem(path, line, f"{what} « {k} » en double (déjà ligne {seen[k]})"))
            continue
        seen[k] = line
        out.append((entry, line))
    return out


def load_vocabularies(root: Path) -> Vocabularies:
    problems: list[Problem] = []
    values = {}
    for rel in (THEMES, REGIONS, GLOSSARY, CATALOGUE):
        try:
            values[rel] = read_data(root, rel)
        except ContentError as exc:
            problems.extend(exc.problems)
            values[rel] = (None, None)

    def entries(rel: str, what: str, read) -> list:
        data, lines = values[rel]
        return each_entry(rel, data, lines, problems, what, read) if lines else []

    themes = entries(THEMES, "thèmes", _theme)
    regions = entries(REGIONS, "régions", _region)
    terms = entries(GLOSSARY, "termes", _term)
    planned = entries(CATALOGUE, "fiches prévues", _planned)

    themes = _unique(THEMES, themes, lambda t: t.slug, "thème", problems)
    regions = _unique(REGIONS, regions, lambda r: r.slug, "région", problems)
    terms = _unique(GLOSSARY, terms, lambda t: t.term, "terme", problems)
    planned = _unique(CATALOGUE, planned, lambda p: p.number, "numéro de fiche prévue", problems)
    if problems:
        raise ContentError(problems)
    return Vocabularies(
        tuple(t for t, _ in themes),
        tuple(r for r, _ in regions),
        tuple(sorted((t for t, _ in terms), key=lambda t: t.term.lower())),
        tuple(sorted((p for p, _ in planned), key=lambda p: p.number)),
        {p.number: line for p, line in planned},
    )
