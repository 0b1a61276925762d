"""Relations between items, computed once per build from the model.

Backlinks are derived from outgoing references (``see_also``, ``fiches`` and typed
links in bodies), never stored by authors; "see also" is symmetric.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from . import links
from .model import Case, Content, Corpus, Fiche

RELATED_COUNT = 5
THEME_WEIGHT = 2
SCHEME_WEIGHT = 1


@dataclass(frozen=True)
class Relations:
    cases_of_fiche: dict[int, tuple[Case, ...]]
    see_also: dict[int, tuple[int, ...]]  # fiche -> fiche numbers (written or planned), symmetric
    related: dict[str, tuple[Content, ...]]  # item key -> related fiches and cases
    related_cases: dict[str, tuple[Case, ...]]  # case slug -> cases sharing themes
    cases_of_region: dict[str, tuple[Case, ...]]
    cases_of_theme: dict[str, tuple[Case, ...]]
    fiches_of_theme: dict[str, tuple[Fiche, ...]]
    items_of_scheme: dict[str, tuple[Content, ...]]
    pages_of_term: dict[str, tuple[Content, ...]]


def _sort_key(item: Content) -> tuple:
    return (0, item.number, "") if isinstance(item, Fiche) else (1, 0, item.slug)


def relate(corpus: Corpus) -> Relations:
    fiche_numbers = set(corpus.fiche_by_number) | set(corpus.planned_by_number)

    cases_of_fiche: dict[int, list[Case]] = defaultdict(list)
    for case in corpus.cases:
        for number in case.fiches:
            cases_of_fiche[number].append(case)

    see_also: dict[int, set[int]] = defaultdict(set)
    for fiche in corpus.fiches:
        body_refs = {int(l.target) for l in links.find(fiche.body, fiche.body_line) if l.kind == "fiche" and l.target.isdigit()}
        for number in set(fiche.see_also) | body_refs:
            if number == fiche.number or number not in fiche_numbers:
                continue
            see_also[fiche.number].add(number)
            see_also[number].add(fiche.number)

    by_theme: dict[str, list[Content]] = defaultdict(list)
    by_scheme: dict[str, list[Content]] = defaultdict(list)
    for item in corpus.items:
        for theme in item.themes:
            by_theme[theme].append(item)
        for scheme in item.schemes:
            by_scheme[scheme].append(item)

    cases_of_region: dict[str, list[Case]] = defaultdict(list)
    for case in corpus.cases:
        cases_of_region[case.region].append(case)

    return Relations(
        cases_of_fiche={n: tuple(v) for n, v in cases_of_fiche.items()},
        see_also={n: tuple(sorted(v)) for n, v in see_also.items()},
        related={item.key: _related(item, by_theme, by_scheme) for item in corpus.items},
        related_cases={c.slug: tuple(i for i in _related(c, by_theme, {}, kinds=(Case,))) for c in corpus.cases},  # type: ignore[misc]
        cases_of_region={r: tuple(v) for r, v in cases_of_region.items()},
        cases_of_theme={t: tuple(i for i in v if isinstance(i, Case)) for t, v in by_theme.items()},
        fiches_of_theme={t: tuple(i for i in v if isinstance(i, Fiche)) for t, v in by_theme.items()},
        items_of_scheme={s: tuple(sorted(v, key=_sort_key)) for s, v in by_scheme.items()},
        pages_of_term=_term_usage(corpus),
    )


def _related(
    item: Content,
    by_theme: dict[str, list[Content]],
    by_scheme: dict[str, list[Content]],
    kinds: tuple[type, ...] = (Fiche, Case),
) -> tuple[Content, ...]:
    """Weighted shared themes and schemes (Hugo's related content), top N, stable ties."""
    scores: dict[str, int] = defaultdict(int)
    found: dict[str, Content] = {}
    for weight, groups, keys in ((THEME_WEIGHT, by_theme, item.themes), (SCHEME_WEIGHT, by_scheme, item.schemes)):
        for key in keys:
            for other in groups.get(key, ()):
                if other.key != item.key and isinstance(other, kinds):
                    scores[other.key] += weight
                    found[other.key] = other
    ranked = sorted(found.values(), key=lambda o: (-scores[o.key], -o.last_change.toordinal(), _sort_key(o)))
    return tuple(ranked[:RELATED_COUNT])


def term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching every glossary term as a whole word (case kept)."""
    alternatives = sorted({t for t in terms if t}, key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(t) for t in alternatives) + r")(?![\w-])")


def _term_usage(corpus: Corpus) -> dict[str, tuple[Content, ...]]:
    pattern = term_pattern(corpus.term_by_name)
    usage: dict[str, list[Content]] = defaultdict(list)
    if pattern is None:
        return {}
    for item in sorted(corpus.items, key=_sort_key):
        text = " ".join((item.title, item.description, item.body, " ".join(item.schemes)))
        for term in sorted(set(pattern.findall(text))):
            usage[term].append(item)
    return {t: tuple(v) for t, v in usage.items()}
