"""The immutable model of a corpus: what every later stage reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Mapping, Union

# Material's own page keys, passed through to the generated pages unchanged.
MATERIAL_KEYS = ("hide", "icon", "subtitle", "search", "template")


@dataclass(frozen=True)
class Resource:
    title: str
    publisher: str
    year: int
    url: str | None = None


@dataclass(frozen=True)
class Theme:
    slug: str
    label: str
    description: str
    workshop: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"themes/{self.slug}/"

    @property
    def src(self) -> str:
        return f"themes/{self.slug}.md"


@dataclass(frozen=True)
class Region:
    slug: str
    label: str
    insee: str

    @property
    def url(self) -> str:
        return f"regions/{self.slug}/"

    @property
    def src(self) -> str:
        return f"regions/{self.slug}.md"


@dataclass(frozen=True)
class Term:
    term: str
    expansion: str
    definition: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Planned:
    number: int
    title: str


@dataclass(frozen=True)
class Item:
    """What fiches and cases share. Derived values (``key``, ``src``, ``url``, ``last_change``)
    are computed once per item: pages ask them of thousands of items, and fields never change."""

    path: str  # source file, relative to the project root
    title: str
    description: str
    themes: tuple[str, ...]
    schemes: tuple[str, ...]
    date: dt.date
    body: str
    body_line: int  # file line where the body starts
    updated: dt.date | None = None
    draft: bool = False
    tags: tuple[str, ...] = ()
    workshop: tuple[str, ...] = ()
    material: tuple[tuple[str, object], ...] = ()  # Material page keys, in file order

    @cached_property
    def last_change(self) -> dt.date:
        """"Newest first" means by the later of ``date`` and ``updated``."""
        return max(self.date, self.updated or self.date)


@dataclass(frozen=True)
class Fiche(Item):
    number: int = 0
    stem: str = ""
    see_also: tuple[int, ...] = ()
    resources: tuple[Resource, ...] = ()

    kind = "fiche"

    @cached_property
    def key(self) -> str:
        return f"fiche:{self.number}"

    @cached_property
    def url(self) -> str:
        return f"fiches/{self.stem}/"

    @cached_property
    def src(self) -> str:
        return f"fiches/{self.stem}.md"


@dataclass(frozen=True)
class Case(Item):
    slug: str = ""
    region: str = ""
    actor: str = ""
    year: int | None = None
    fiches: tuple[int, ...] = ()

    kind = "cas"

    @cached_property
    def key(self) -> str:
        return f"cas:{self.slug}"

    @cached_property
    def url(self) -> str:
        return f"cas/{self.slug}/"

    @cached_property
    def src(self) -> str:
        return f"cas/{self.slug}.md"


Content = Union[Fiche, Case]


@dataclass(frozen=True)
class Corpus:
    fiches: tuple[Fiche, ...] = ()  # by number
    cases: tuple[Case, ...] = ()  # by slug
    themes: tuple[Theme, ...] = ()  # in data file order
    regions: tuple[Region, ...] = ()
    terms: tuple[Term, ...] = ()
    planned: tuple[Planned, ...] = ()  # by number
    pages: tuple["DocPage", ...] = ()  # hand-written pages of docs/ holding typed links
    settings: Mapping[str, object] = field(default_factory=dict)

    def published(self) -> "Corpus":
        """The corpus as a build publishes it: drafts left out."""
        return replace(
            self,
            fiches=tuple(f for f in self.fiches if not f.draft),
            cases=tuple(c for c in self.cases if not c.draft),
        )

    @cached_property
    def fiche_by_number(self) -> dict[int, Fiche]:
        return {f.number: f for f in self.fiches}

    @cached_property
    def case_by_slug(self) -> dict[str, Case]:
        return {c.slug: c for c in self.cases}

    @cached_property
    def theme_by_slug(self) -> dict[str, Theme]:
        return {t.slug: t for t in self.themes}

    @cached_property
    def region_by_slug(self) -> dict[str, Region]:
        return {r.slug: r for r in self.regions}

    @cached_property
    def term_by_name(self) -> dict[str, Term]:
        return {t.term: t for t in self.terms}

    @cached_property
    def planned_by_number(self) -> dict[int, Planned]:
        return {p.number: p for p in self.planned}

    @cached_property
    def last_change_by_src(self) -> dict[str, dt.date]:
        return {item.src: item.last_change for item in self.items}

    @property
    def items(self) -> tuple[Content, ...]:
        return self.fiches + self.cases

    def newest(self, count: int | None = None) -> list[Content]:
        ordered = sorted(self.items, key=lambda i: (i.last_change, i.kind, i.key), reverse=True)
        return ordered if count is None else ordered[:count]


@dataclass(frozen=True)
class DocPage:
    """A hand-written page of ``docs/``: only its typed links matter to the model."""

    path: str  # relative to the project root
    src: str  # relative to docs/
    body_line: int
