"""Relations between items, computed once per build from the model.

Backlinks are derived from outgoing references (``see_also``, ``fiches`` and typed
links in bodies), never stored by authors; "see also" is symmetric.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Hashable, Iterable, Iterator, Mapping, TypeVar

from . import links
from .glossary import rarest_chars, whole_word
from .model import Case, Content, Corpus, Fiche

RELATED_COUNT = 5
REGION_OTHERS = 10  # "other cases in the region" on a case page: the newest ones, then a link
TERM_PAGES = 12  # pages listed under a term of the glossary page: the newest ones, then a count
THEME_WEIGHT = 2
SCHEME_WEIGHT = 1


@dataclass(frozen=True)
class Relations:
    cases_of_fiche: dict[int, tuple[Case, ...]]
    see_also: dict[int, tuple[int, ...]]  # fiche -> fiche numbers (written or planned), symmetric
    related: Mapping[str, tuple[Content, ...]]  # item key -> related fiches and cases
    related_cases: Mapping[str, tuple[Case, ...]]  # case slug -> cases sharing themes
    cases_of_region: dict[str, tuple[Case, ...]]
    others_in_region: dict[str, tuple[Case, ...]]  # case slug -> newest other cases of its region, at most REGION_OTHERS
    cases_of_theme: dict[str, tuple[Case, ...]]
    fiches_of_theme: dict[str, tuple[Fiche, ...]]
    items_of_scheme: dict[str, tuple[Content, ...]]
    pages_of_term: Mapping[str, tuple[Content, ...]]  # term -> every item using it, newest first (Corpus.newest)


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

    ranker = _Ranker(corpus.items, by_theme, by_scheme)
    return Relations(
        cases_of_fiche={n: tuple(v) for n, v in cases_of_fiche.items()},
        see_also={n: tuple(sorted(v)) for n, v in see_also.items()},
        related=Deferred({item.key: item for item in corpus.items}, ranker.related),
        related_cases=Deferred({c.slug: c for c in corpus.cases}, ranker.related_case),
        cases_of_region={r: tuple(v) for r, v in cases_of_region.items()},
        others_in_region=_others_in_region(cases_of_region),
        cases_of_theme={t: tuple(i for i in v if isinstance(i, Case)) for t, v in by_theme.items()},
        fiches_of_theme={t: tuple(i for i in v if isinstance(i, Fiche)) for t, v in by_theme.items()},
        items_of_scheme={s: tuple(sorted(v, key=_sort_key)) for s, v in by_scheme.items()},
        pages_of_term=DeferredWhole(lambda: _term_usage(corpus)),
    )


K = TypeVar("K", bound=Hashable)
A = TypeVar("A")
V = TypeVar("V")


class Deferred(Mapping[K, V]):
    """A mapping whose values are computed when first read: ``compute(args[key])``. Pages
    read them while they are generated, on every core: an item's related items are ranked by
    the worker that writes its page, not all of them before the workers start."""

    def __init__(self, args: Mapping[K, A], compute: Callable[[A], V]):
        self._args = args
        self._compute = compute
        self._done: dict[K, V] = {}

    def __getitem__(self, key: K) -> V:
        if key not in self._done:
            self._done[key] = self._compute(self._args[key])  # KeyError: not a key
        return self._done[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._args)

    def __len__(self) -> int:
        return len(self._args)


class DeferredWhole(Mapping[K, V]):
    """A mapping computed as a whole when first read (the glossary page's usage of terms: one
    page reads it, in one worker)."""

    def __init__(self, compute: Callable[[], Mapping[K, V]]):
        self._compute = compute
        self._mapping: Mapping[K, V] | None = None

    def _done(self) -> Mapping[K, V]:
        if self._mapping is None:
            self._mapping = self._compute()
        return self._mapping

    def __getitem__(self, key: K) -> V:
        return self._done()[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._done())

    def __len__(self) -> int:
        return len(self._done())


class _Ranker:
    """Related content (Hugo's): weighted shared themes and schemes, top N, stable ties.

    Items are ranked once by the tie-break order (newest first, then fiches by number and
    cases by slug); each theme, scheme and kind is a bitset over that order (a Python int).
    An item's candidates are split by score with a few bitset operations per group it
    belongs to (each one C-level pass over N/64 words), instead of a Python step for every
    item sharing a theme: 0.4 s for 1,000 items where scoring took 5 s, and 25 times that
    at 5,000. The result is the same ranking (tests compare it with the plain definition).
    """

    def __init__(self, items: Iterable[Content], by_theme: dict[str, list[Content]], by_scheme: dict[str, list[Content]]):
        self.order = sorted(items, key=lambda o: (-o.last_change.toordinal(), _sort_key(o)))
        self.bit = {o.key: 1 << index for index, o in enumerate(self.order)}
        self.themes = {k: self._bits(v) for k, v in by_theme.items()}
        self.schemes = {k: self._bits(v) for k, v in by_scheme.items()}
        self.cases = self._bits(o for o in self.order if isinstance(o, Case))
        self.everything = (1 << len(self.order)) - 1
        self._by_themes: dict[tuple[str, ...], tuple[Content, ...]] = {}  # see related_case

    def _bits(self, group: Iterable[Content]) -> int:
        bits = 0
        for other in group:
            bits |= self.bit[other.key]
        return bits

    def related(self, item: Content, with_schemes: bool = True, cases_only: bool = False) -> tuple[Content, ...]:
        groups = [(THEME_WEIGHT, self.themes.get(k, 0)) for k in item.themes]
        if with_schemes:
            groups += [(SCHEME_WEIGHT, self.schemes.get(k, 0)) for k in item.schemes]
        return self._ranked(groups, ~self.bit.get(item.key, 0) & (self.cases if cases_only else self.everything), RELATED_COUNT)

    def related_case(self, case: Case) -> tuple[Content, ...]:
        """``related(case, with_schemes=False, cases_only=True)``, from the ranking of its
        themes: cases with the same themes share one (a few hundred sets for thousands of
        cases). The case itself is ranked in it, then left out: the others keep their order."""
        themes = tuple(sorted(case.themes))
        top = self._by_themes.get(themes)
        if top is None:
            groups = [(THEME_WEIGHT, self.themes.get(k, 0)) for k in themes]
            top = self._by_themes[themes] = self._ranked(groups, self.cases, RELATED_COUNT + 1)
        return tuple(other for other in top if other.key != case.key)[:RELATED_COUNT]

    def _ranked(self, groups: list[tuple[int, int]], allowed: int, count: int) -> tuple[Content, ...]:
        """The ``count`` items of ``allowed`` (a bitset) with the best positive scores."""
        found = 0
        for _, bits in groups:
            found |= bits
        found &= allowed
        levels = {0: found}  # score -> items with exactly that score
        for weight, bits in groups:
            shifted: dict[int, int] = {}
            for score, members in levels.items():
                if members & bits:
                    shifted[score + weight] = shifted.get(score + weight, 0) | (members & bits)
                if members & ~bits:
                    shifted[score] = shifted.get(score, 0) | (members & ~bits)
            levels = shifted
        out: list[Content] = []
        for score in sorted(levels, reverse=True):
            members = levels[score]
            while score and members and len(out) < count:  # lowest bit first: tie-break order
                lowest = members & -members
                out.append(self.order[lowest.bit_length() - 1])
                members ^= lowest
        return tuple(out)


def _others_in_region(cases_of_region: dict[str, list[Case]]) -> dict[str, tuple[Case, ...]]:
    """For each case, the newest other cases of its region (a bounded list: pages stay small)."""
    out: dict[str, tuple[Case, ...]] = {}
    for cases in cases_of_region.values():
        newest = sorted(cases, key=lambda c: (-c.last_change.toordinal(), c.slug))[: REGION_OTHERS + 1]
        among, top = {c.slug for c in newest}, tuple(newest[:REGION_OTHERS])
        for case in cases:  # the same tuple for every case but the newest ones
            out[case.slug] = tuple(c for c in newest if c.slug != case.slug)[:REGION_OTHERS] if case.slug in among else top
    return out


def term_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """One regex matching every glossary term as a whole word (case kept)."""
    alternatives = sorted({t for t in terms if t}, key=len, reverse=True)
    if not alternatives:
        return None
    return re.compile(r"(?<![\w-])(" + "|".join(re.escape(t) for t in alternatives) + r")(?![\w-])")


def uses_term(text: str, term: str, at: int = 0) -> bool:
    """Whether ``text`` holds ``term`` with neither a word character nor a hyphen on either
    side: ``term_pattern``'s rule for one term (``at``: see ``whole_word``)."""
    return whole_word(text, term, "_-", at=at)


def _term_usage(corpus: Corpus) -> dict[str, tuple[Content, ...]]:
    terms = sorted(t for t in corpus.term_by_name if t)
    rare = rarest_chars(corpus, terms)
    usage: dict[str, list[Content]] = defaultdict(list)
    for item in corpus.newest():
        text = " ".join((item.title, item.description, item.body, " ".join(item.schemes)))
        for term in terms:
            if uses_term(text, term, rare[term]):
                usage[term].append(item)
    return {t: tuple(v) for t, v in usage.items()}
