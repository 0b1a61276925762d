"""Check each front-matter against the content contract and build the model objects.

Every problem is collected (never raised one by one) so that an author sees them all.
"""

from __future__ import annotations

import re
import posixpath
from typing import Callable, Collection, Sequence

from . import links
from .errors import Problem, closest, closest_number, suggestion
from .fields import Fields
from .loading import Source
from .model import MATERIAL_KEYS, Case, Fiche, Resource
from .slugs import is_slug, slugify
from .vocabularies import GLOSSARY, REGIONS, THEMES, Vocabularies
from .yamlread import Lines

COMMON_KEYS = ("title", "description", "themes", "schemes", "date", "updated", "draft", "tags", "workshop")
FICHE_KEYS = ("number",) + COMMON_KEYS + ("see_also", "resources")
CASE_KEYS = COMMON_KEYS + ("region", "actor", "year", "fiches")
RESOURCE_KEYS = ("title", "publisher", "year", "url")
URL_SCHEMES = ("https://", "http://", "mailto:")
DESCRIPTION_MAX = 300
TITLE_MAX = 200  # a longer title is a paste mistake, and it would fill every index and dossier
_FICHE_NAME = re.compile(r"^(?P<number>\d+)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")
_TEMPLATE = re.compile(r"^[\w-]+(?:/[\w-]+)*\.html$")  # Material's `template`: a theme file, no path tricks


def _common(f: Fields, vocab: Vocabularies) -> dict | None:
    values = dict(
        title=f.text("title", max_length=TITLE_MAX),
        description=f.text("description", max_length=DESCRIPTION_MAX),
        themes=f.vocabulary("themes", [t.slug for t in vocab.themes], "thème", required=True, source=THEMES),
        schemes=f.vocabulary("schemes", [t.term for t in vocab.terms], "terme", source=GLOSSARY),
        date=f.date("date"),
        updated=f.date("updated", required=False),
        draft=f.boolean("draft"),
        tags=f.texts("tags"),
        workshop=f.texts("workshop"),
        material=tuple((k, f.data[k]) for k in MATERIAL_KEYS if k in f.data),
    )
    template = f.data.get("template")
    if template is not None and not (isinstance(template, str) and _TEMPLATE.match(template)):
        f.error(f"« template » doit être le nom d'un gabarit du thème, par exemple « main.html » (reçu : « {str(template)[:60]} »)", "template")
    if values["date"] and values["updated"] and values["updated"] < values["date"]:
        f.error(
            f"« updated » ({values['updated']}) est antérieure à « date » ({values['date']}) : "
            "la mise à jour doit suivre la première publication",
            "updated",
        )
    if not (values["title"] and values["description"] and values["themes"] and values["date"]):
        return None
    return values


def _resources(f: Fields) -> tuple[Resource, ...]:
    out = []
    for _, r in f.mappings("resources", "ressource"):
        r.unknown_keys(RESOURCE_KEYS, " dans « resources »")
        title, publisher = r.text("title"), r.text("publisher")
        year = r.integer("year", minimum=1800)
        url = r.text("url", required=False)
        if url and not url.startswith(URL_SCHEMES):
            r.error(f"adresse refusée « {url[:60]} » : seules les adresses https://, http:// et mailto: sont acceptées", "url")
            url = None
        if title and publisher and year:
            out.append(Resource(title, publisher, year, url))
    return tuple(out)


def fiche_from(src: Source, vocab: Vocabularies, problems: list[Problem]) -> Fiche | None:
    f = Fields(src.path, src.meta, src.lines, problems)
    f.unknown_keys(FICHE_KEYS + MATERIAL_KEYS)
    number = f.integer("number", minimum=1)
    stem = _stem(src.path)
    name = _FICHE_NAME.match(stem)
    if not name:
        wanted = f"{number or 1:02d}-{slugify(re.sub(r'^[0-9]+-?', '', stem)) or 'titre'}.md"
        problems.append(Problem(src.path, 1, f"nom de fichier invalide : une fiche s'appelle « NN-titre-court.md » (minuscules sans accents) ; vouliez-vous dire « {wanted} » ?"))
    elif number is not None and int(name.group("number")) != number:
        f.error(f"le numéro {number} ne correspond pas au nom du fichier ({name.group('number')}-…) : renommez le fichier ou corrigez « number »", "number")
    common = _common(f, vocab)
    see_also = f.numbers("see_also")
    resources = _resources(f)
    if common is None or number is None or not name:
        return None
    return Fiche(
        path=src.path, body=src.body, body_line=src.body_line, **common,
        number=number, stem=stem, see_also=tuple(n for _, n in see_also), resources=resources,
    )


def case_from(src: Source, vocab: Vocabularies, problems: list[Problem]) -> Case | None:
    f = Fields(src.path, src.meta, src.lines, problems)
    f.unknown_keys(CASE_KEYS + MATERIAL_KEYS)
    slug = _stem(src.path)
    if not is_slug(slug):
        problems.append(Problem(src.path, 1, f"nom de fichier invalide : minuscules sans accents, chiffres et tirets ; vouliez-vous dire « {slugify(slug) or 'cas'}.md » ?"))
    common = _common(f, vocab)
    region = f.text("region")
    regions = [r.slug for r in vocab.regions]
    if region and region not in regions:
        f.error(f"région inconnue « {region} »{suggestion(_region_slug(region, vocab))} (voir {REGIONS})", "region")
        region = None
    actor = f.text("actor")
    year = f.integer("year", required=False, minimum=1800)
    fiches = f.numbers("fiches", required=True)
    if common is None or not region or not actor or not fiches or not is_slug(slug):
        return None
    return Case(
        path=src.path, body=src.body, body_line=src.body_line, **common,
        slug=slug, region=region, actor=actor, year=year, fiches=tuple(n for _, n in fiches),
    )


def _region_slug(written: str, vocab: Vocabularies) -> str | None:
    """Closest region slug, matching slugs and labels ("Île-de-France" -> ile-de-france)."""
    by_name = {r.slug: r.slug for r in vocab.regions} | {r.label: r.slug for r in vocab.regions}
    found = closest(written, by_name)
    return by_name[found] if found else None


def template_problem(src: Source, templates: Collection[str], suggested: list[str]) -> Problem | None:
    """A ``template`` naming no file of the theme (MkDocs would stop on it with a traceback);
    ``suggested``: the page templates (not partials) to offer instead."""
    name = src.meta.get("template")
    if isinstance(name, str) and _TEMPLATE.match(name) and name not in templates:
        return Problem(src.path, src.lines("template"), (
            f"gabarit « {name} » introuvable dans le thème ni dans overrides/ : "
            f"« template » nomme un fichier du thème, par exemple « main.html »{suggestion(closest(name, suggested))}"
        ))
    return None


def check_corpus(
    fiches: list[Fiche],
    cases: list[Case],
    paths: Collection[str],
    lines_of: Callable[[str], Lines],
    found: list[tuple[str, Sequence[links.TypedLink]]],
    vocab: Vocabularies,
    problems: list[Problem],
) -> None:
    """Checks across files: unique numbers and slugs, references, typed links. ``paths``:
    every content file read (its name counts as a target even when its fields failed);
    ``lines_of(path)``: where its fields stand, asked only for a problem; ``found``: each
    text's typed links, or only those ``unresolved_links`` left (see ``link_targets``)."""
    by_number: dict[int, list[Fiche]] = {}
    for fiche in fiches:
        by_number.setdefault(fiche.number, []).append(fiche)
    written = {number: same[0] for number, same in by_number.items()}
    for number, same in by_number.items():
        for fiche in same if len(same) > 1 else ():
            others = ", ".join(f.path for f in same if f is not fiche)
            problems.append(Problem(fiche.path, lines_of(fiche.path)("number"), f"numéro {number} aussi utilisé par {others}"))
    for number, line in vocab.planned_lines.items():
        if number in written:
            problems.append(Problem("data/catalogue.yml", line, f"la fiche {number} est à la fois prévue et écrite ({written[number].path}) : retirez-la du catalogue"))
    slugs: dict[str, Case] = {}
    for case in cases:
        folded = slugify(case.slug)
        if folded in slugs:
            problems.append(Problem(case.path, 1, f"cas « {case.slug} » en double : même adresse que {slugs[folded].path}"))
        slugs[folded] = case
    known = set(written) | {p.number for p in vocab.planned}
    targets = link_targets(paths, vocab, written)
    for item in [*fiches, *cases]:
        key = "see_also" if isinstance(item, Fiche) else "fiches"
        refs = item.see_also if isinstance(item, Fiche) else item.fiches
        for index, number in enumerate(refs):
            if str(number) not in targets["fiche"]:
                near = closest_number(number, known)
                problems.append(Problem(item.path, lines_of(item.path)(key, index), f"fiche {number} inconnue dans « {key} » (ni écrite ni prévue dans data/catalogue.yml){suggestion(near)}"))
    for path, typed in found:
        problems.extend(check_links(path, typed, targets))


def link_targets(paths: Collection[str], vocab: Vocabularies, written: Collection[int] = ()) -> dict[str, set[str]]:
    """What a typed link may point to, by kind: fiches written (``written``), planned or named
    by a file of ``paths`` (files that failed validation still count as targets: one mistake,
    one message), cases by file name, themes and regions. From the file names alone (no
    ``written``), a part of the targets known before any file is read: only the links to none
    of them need the checks across files."""
    named = {int(m.group("number")) for p in paths if p.startswith("fiches/") and (m := _FICHE_NAME.match(_stem(p)))}
    return {
        "fiche": {str(n) for n in set(written) | {p.number for p in vocab.planned} | named},
        "cas": {_stem(p) for p in paths if p.startswith("cases/")},
        "theme": {t.slug for t in vocab.themes},
        "region": {r.slug for r in vocab.regions},
    }


def _stem(path: str) -> str:
    """A content file's name without ``.md`` (``PurePosixPath.stem``, for names ending in .md)."""
    return posixpath.splitext(posixpath.basename(path))[0]


def unresolved_links(rows: Sequence[links.Row], targets: dict[str, set[str]]) -> tuple[links.TypedLink, ...]:
    """The typed links (``links.rows``: kind and target first) whose target is not in ``targets``."""
    return tuple(links.TypedLink(*row) for row in rows if row[1] not in targets[row[0]])


_LINK_WHAT = {"fiche": "une fiche inconnue", "cas": "un cas inconnu", "theme": "un thème inconnu", "region": "une région inconnue"}


def check_links(path: str, typed: Sequence[links.TypedLink], targets: dict[str, set[str]]) -> list[Problem]:
    """Typed links whose target does not exist."""
    problems = []
    for link in typed:
        if link.target in targets[link.kind]:
            continue
        if link.kind == "fiche" and link.target.isdigit():
            near = closest_number(int(link.target), [int(n) for n in targets["fiche"]])
            hint = suggestion(f"fiche:{near}" if near is not None else None)
        else:
            near = closest(link.target, targets[link.kind])
            hint = suggestion(f"{link.kind}:{near}" if near else None)
        problems.append(Problem(path, link.line, f"lien vers {_LINK_WHAT[link.kind]} « {link.written} »{hint}"))
    return problems
