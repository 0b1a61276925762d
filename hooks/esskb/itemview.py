"""What an item page shows besides its item's own fields, made in Python for that page.

``case.md.j2`` and ``fiche.md.j2`` (through ``_item.md.j2``) lay these values out and call
nothing: every link is resolved for the page, every list made, every count counted here.
Jinja's calls from a template (its ``Context.call``, attribute lookups, ``{% set %}`` of
lookups) cost more than the template's text: a case page's template took 0.49–0.51 ms on
its first pass with them, 0.29–0.31 ms with these values (same bytes out).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .model import Case, Fiche, Region

if TYPE_CHECKING:  # pages imports this module
    from .pages import Site

@dataclass(frozen=True)
class ItemView:
    """What both kinds of item page show (``_item.md.j2``)."""

    home: str  # href of the home page
    index: str  # href of the index of the page's folder (cases or fiches)
    themes: Markup  # links, " · " between them
    schemes: Markup  # links, or "" when none


@dataclass(frozen=True)
class CaseView(ItemView):
    region: Region
    region_href: str
    regions_index: str
    actor: Markup  # glossary terms in <abbr>
    fiches: Markup  # the fiches it illustrates: links, " · " between them
    illustrated: tuple[tuple[Markup, Markup | None], ...]  # each fiche: its reference, its description (None: not written)
    others: Markup  # the newest other cases of its region: a list, or ""
    others_count: int
    more: int  # the region's cases not listed in ``others``
    related: Markup  # cases sharing its themes: a list, or ""


@dataclass(frozen=True)
class FicheView(ItemView):
    cases_count: int
    cases: Markup  # the cases illustrating it: a list, or ""
    see_also: tuple[Markup, ...]  # fiche references
    related: Markup  # fiches and cases sharing its themes and schemes: a list, or ""


def _folder_index(src: str) -> str:
    """The index page of the folder of docs path ``src`` ("cas/x.md" -> "cas/index.md")."""
    return posixpath.join(posixpath.dirname(src), "index.md")


def _common(site: Site, item: Case | Fiche) -> dict[str, Any]:
    here = item.src
    return dict(
        home=site.href(here, "index.md"),
        index=site.href(here, _folder_index(here)),
        themes=site.links_html("theme", item.themes, here),
        schemes=site.links_html("scheme", item.schemes, here) if item.schemes else Markup(""),
    )


def case_view(site: Site, case: Case) -> CaseView:
    here, rel, corpus = case.src, site.rel, site.corpus
    region = corpus.region_by_slug[case.region]
    others = rel.others_in_region.get(case.slug, ())
    related = rel.related_cases.get(case.slug, ())
    illustrated = []
    for number in case.fiches:
        fiche = corpus.fiche_by_number.get(number)
        illustrated.append((site.fiche_ref_html(number, here), site.abbr(fiche.description) if fiche else None))
    return CaseView(
        **_common(site, case),
        region=region,
        region_href=site.href(here, region.src),
        regions_index=site.href(here, _folder_index(region.src)),
        actor=site.abbr(case.actor),
        fiches=site.links_html("fiche", case.fiches, here),
        illustrated=tuple(illustrated),
        others=site.html_list("case", others, here) if others else Markup(""),
        others_count=len(others),
        more=len(rel.cases_of_region.get(case.region, ())) - 1 - len(others),
        related=site.html_list("item", related, here) if related else Markup(""),
    )


def fiche_view(site: Site, fiche: Fiche) -> FicheView:
    here, rel = fiche.src, site.rel
    cases = rel.cases_of_fiche.get(fiche.number, ())
    related = rel.related.get(fiche.key, ())
    return FicheView(
        **_common(site, fiche),
        cases_count=len(cases),
        cases=site.html_list("item", cases, here) if cases else Markup(""),
        see_also=tuple(site.fiche_ref_html(number, here) for number in rel.see_also.get(fiche.number, ())),
        related=site.html_list("item", related, here) if related else Markup(""),
    )
