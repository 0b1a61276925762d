"""``esskb new fiche|case``: a new content file from a template, valid as created.

Decisions (documented in docs/guide-redaction.md):
- the number of a new fiche is ``--number N``; without it, a planned fiche whose title is
  the one given (accents and case ignored); otherwise one more than every written or planned
  number. When the number was planned, its entry leaves ``data/catalogue.yml`` (other lines
  and comments kept as they are).
- a new file is a draft (``draft: true``) unless ``--no-draft``: it shows under ``make serve``
  and is never published with placeholders in it.
- an existing file is never overwritten.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import yaml
from markupsafe import Markup

from ..corpus import CASES_DIR, FICHES_DIR
from ..errors import ContentError, closest, closest_number, suggestion
from ..loading import content_files
from ..render import render
from ..slugs import fold, is_slug, slugify
from ..vocabularies import CATALOGUE, REGIONS, THEMES, Vocabularies, load_vocabularies
from ..yamlread import YamlProblem, parse
from ..settings import read_config

SLUG_LIMIT = 60
FICHE_DESCRIPTION = "À compléter : résumé de la fiche en une ou deux phrases."
CASE_DESCRIPTION = "À compléter : résumé du cas en une ou deux phrases."
CASE_ACTOR = "À compléter : structure ou collectivité qui porte l'action"
_PREFIX = re.compile(r"^(\d+)-")


class Refused(Exception):
    """The command cannot go on; the message says why (French)."""


# -- small pure helpers ------------------------------------------------------------


def yaml_text(value: str) -> Markup:
    """A YAML double-quoted scalar on one line, safe for any text (quotes, colons, ``<``, ``#``)."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_style='"', width=10**9)
    return Markup(dumped.splitlines()[0])


def short_slug(text: str, limit: int = SLUG_LIMIT) -> str:
    """``slugify`` cut at a word boundary after at most ``limit`` characters."""
    slug = slugify(text, max_length=10_000)
    if len(slug) <= limit:
        return slug
    return slug[: limit + 1].rsplit("-", 1)[0] or slug[:limit].rstrip("-")


def case_slug(title: str, region: str) -> str:
    """Slug of a case: the region first, as in ``corse-transversalite``, unless the title names it."""
    slug = slugify(title, max_length=10_000)
    if f"-{region}-" not in f"-{slug}-":
        slug = f"{region}-{slug}" if slug else region
    return short_slug(slug)


def same_title(a: str, b: str) -> bool:
    return " ".join(fold(a).split()) == " ".join(fold(b).split())


def resolve(value: str, names: dict[str, str], unknown: str, source: str) -> str:
    """The slug meant by ``value`` (a slug or a label, accents and case ignored)."""
    if value in names.values():
        return value
    by_fold = {fold(name): slug for name, slug in names.items()} | {slug: slug for slug in names.values()}
    found = by_fold.get(fold(value)) or by_fold.get(slugify(value))
    if found:
        return found
    near = closest(value, names)
    raise argparse.ArgumentTypeError(f"{unknown} « {value} »{suggestion(names[near] if near else None)} (voir {source})")


def written_numbers(root: Path) -> dict[int, str]:
    """Fiche numbers already taken by a file name (``NN-…``), even in a file with errors."""
    out: dict[int, str] = {}
    for rel in content_files(root, FICHES_DIR):
        match = _PREFIX.match(PurePosixPath(rel).name)
        if match:
            out.setdefault(int(match.group(1)), rel)
    return out


def catalogue_without(text: str, number: int) -> str | None:
    """``data/catalogue.yml`` with the entry ``number`` removed and every other line kept;
    ``None`` when the file is not laid out as expected (then the author edits it)."""
    try:
        data, lines = parse(text)
    except YamlProblem:
        return None
    if not isinstance(data, list):
        return None
    index = next((i for i, e in enumerate(data) if isinstance(e, dict) and e.get("number") == number), None)
    if index is None:
        return None
    rows = text.splitlines(keepends=True)
    start = lines(index) - 1
    while start > 0 and not rows[start].lstrip().startswith("-"):
        start -= 1  # "-" alone on the line before the entry's keys
    dash = len(rows[start]) - len(rows[start].lstrip())
    end = start + 1
    while end < len(rows) and rows[end].strip() and len(rows[end]) - len(rows[end].lstrip()) > dash:
        end += 1
    new_text = "".join(rows[:start] + rows[end:])
    try:
        new_data, _ = parse(new_text)
    except YamlProblem:
        return None
    expected = data[:index] + data[index + 1 :]
    return new_text if (new_data or []) == expected else None


def preview_url(root: Path, url: str) -> str:
    """Where ``mkdocs serve`` shows a page: its address, then the path of ``site_url``."""
    config = read_config(root)
    address = str(config.get("dev_addr") or "127.0.0.1:8000")
    site_url = str(config.get("site_url") or "/")  # "!ENV [...]" and the like read as null
    mount = urlsplit(site_url).path.strip("/") if site_url.startswith(("http://", "https://", "/")) else ""
    return f"http://{address}/{mount + '/' if mount else ''}{url}"


def write_new(path: Path, text: str) -> None:
    """Create ``path``; refuse if it exists (exclusive creation, no race)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except FileExistsError:
        raise Refused(f"le fichier {path.as_posix()} existe déjà : il n'a pas été modifié. Choisissez un autre nom avec --slug.") from None


def replace_file(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_text(text, encoding="utf-8", newline="")
    partial.replace(path)


# -- the two kinds -----------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """What ``new`` is about to write."""

    rel: str
    text: str
    label: str  # "Fiche n° 11" / "Cas pratique"
    url: str
    catalogue: str | None = None  # new text of data/catalogue.yml, when an entry leaves it
    notes: tuple[str, ...] = ()


def _themes(args: argparse.Namespace, vocab: Vocabularies) -> list[str]:
    if not vocab.themes:
        raise Refused(f"aucun thème dans {THEMES} : ajoutez-en un avant de créer un contenu")
    names = {t.slug: t.slug for t in vocab.themes} | {t.label: t.slug for t in vocab.themes}
    wanted = args.theme or [vocab.themes[0].slug]
    out: list[str] = []
    for value in wanted:
        slug = resolve(value, names, "thème inconnu", THEMES)
        if slug not in out:
            out.append(slug)
    return out


def _slug(args: argparse.Namespace, default: str) -> str:
    slug = args.slug if args.slug is not None else default
    if not is_slug(slug):
        hint = suggestion(slugify(slug) or None)
        if args.slug is None:
            raise argparse.ArgumentTypeError("impossible de tirer un nom de fichier du titre : donnez-en un avec --slug")
        raise argparse.ArgumentTypeError(f"--slug « {slug} » invalide : lettres minuscules sans accents, chiffres et tirets{hint}")
    return slug


def plan_fiche(args: argparse.Namespace, root: Path, vocab: Vocabularies, today: dt.date) -> Plan:
    written = written_numbers(root)
    planned = {p.number: p for p in vocab.planned}
    title = (args.title or "").strip()
    notes: list[str] = []
    if args.number is not None:
        number = args.number
        if number < 1:
            raise argparse.ArgumentTypeError("--number doit valoir au moins 1")
        if number in written:
            raise Refused(f"la fiche n° {number} existe déjà : {written[number]} (aucun fichier créé)")
        if not title:
            if number not in planned:
                raise argparse.ArgumentTypeError(f"donnez le titre de la fiche : la fiche n° {number} n'est pas prévue dans {CATALOGUE}")
            title = planned[number].title
    else:
        if not title:
            raise argparse.ArgumentTypeError("donnez le titre de la fiche, ou --number N pour rédiger une fiche prévue")
        match = next((p for p in vocab.planned if same_title(p.title, title)), None)
        number = match.number if match else max([0, *written, *planned]) + 1
        if not match and planned:
            listed = ", ".join(str(n) for n in sorted(planned))
            which = (
                f"les fiches n° {listed} sont prévues dans {CATALOGUE}. Si vous rédigez l'une d'elles"
                if len(planned) > 1
                else f"la fiche n° {listed} est prévue dans {CATALOGUE}. Si c'est elle que vous rédigez"
            )
            notes.append(f"Remarque : {which}, supprimez ce fichier et relancez avec --number N.")
    stem = f"{number:02d}-{_slug(args, short_slug(title))}"
    rel = f"{FICHES_DIR}/{stem}.md"
    text = render(
        "new_fiche.md.j2",
        today=today.isoformat(), prefix=f"{number:02d}", number=number, title=yaml_text(title),
        description=yaml_text(FICHE_DESCRIPTION), themes=_themes(args, vocab), draft=args.draft,
    )
    catalogue = None
    if number in planned:
        with open(root / CATALOGUE, encoding="utf-8-sig", newline="") as source:  # line endings kept
            catalogue = catalogue_without(source.read(), number)
        if catalogue is None:
            notes.append(f"La fiche n° {number} était prévue : retirez vous-même son entrée de {CATALOGUE}, sinon « esskb check » le signalera.")
        else:
            notes.append(f"La fiche n° {number} était prévue : son entrée a été retirée de {CATALOGUE}.")
    return Plan(rel, text, f"Fiche n° {number}", f"fiches/{stem}/", catalogue, tuple(notes))


def plan_case(args: argparse.Namespace, root: Path, vocab: Vocabularies, today: dt.date) -> Plan:
    title = args.title.strip()
    if not title:
        raise argparse.ArgumentTypeError("donnez le titre du cas pratique")
    names = {r.slug: r.slug for r in vocab.regions} | {r.label: r.slug for r in vocab.regions}
    region = resolve(args.region, names, "région inconnue", REGIONS)
    known = sorted(set(written_numbers(root)) | {p.number for p in vocab.planned})
    fiches = list(dict.fromkeys(args.fiche or [])) or sorted(written_numbers(root))[:1] or known[:1]
    if not fiches:
        raise Refused(f"aucune fiche rédigée ni prévue : un cas doit illustrer au moins une fiche (voir {CATALOGUE})")
    for number in fiches:
        if number not in known:
            raise argparse.ArgumentTypeError(
                f"fiche {number} inconnue dans --fiche (ni écrite ni prévue dans {CATALOGUE}){suggestion(closest_number(number, known))}"
            )
    slug = _slug(args, case_slug(title, region))
    rel = f"{CASES_DIR}/{slug}.md"
    text = render(
        "new_case.md.j2",
        today=today.isoformat(), year=today.year, slug=slug, title=yaml_text(title),
        description=yaml_text(CASE_DESCRIPTION), region=region, actor=yaml_text(args.actor or CASE_ACTOR),
        fiches=fiches, themes=_themes(args, vocab), draft=args.draft,
    )
    return Plan(rel, text, "Cas pratique", f"cas/{slug}/")


# -- command -----------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    root = Path(args.root)
    try:
        vocab = load_vocabularies(root)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print("erreur : corrigez d'abord les fichiers de data/ ci-dessus (voir « esskb check ») ; aucun fichier créé.", file=sys.stderr)
        return 1
    today = args.date or dt.date.today()
    try:
        plan = (plan_fiche if args.kind == "fiche" else plan_case)(args, root, vocab, today)
        write_new(root / plan.rel, plan.text)
    except argparse.ArgumentTypeError as exc:
        args.error(str(exc))  # usage error: exit 2
    except Refused as exc:
        print(f"erreur : {exc}", file=sys.stderr)
        return 1
    if plan.catalogue is not None:
        replace_file(root / CATALOGUE, plan.catalogue)
    shown = (root / plan.rel).as_posix()
    status = " (brouillon)" if args.draft else ""
    print(f"{plan.label} créé{'e' if args.kind == 'fiche' else ''} : {shown}{status}")
    for note in plan.notes:
        print(note)
    print("Pour la suite :")
    print("  1. ouvrez le fichier et remplacez chaque « À compléter » (en-tête et texte) ;")
    print(f"  2. prévisualisez avec « make serve », à l'adresse {preview_url(root, plan.url)} ;")
    print("  3. vérifiez l'ensemble avec « esskb check » ;")
    if args.draft:
        print("  4. pour publier, remplacez « draft: true » par « draft: false » dans l'en-tête.")
    return 0


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide « {text} » : format AAAA-MM-JJ attendu, par exemple 2026-11-26") from None


def _number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"numéro de fiche invalide « {text} » : un nombre entier, 1 ou plus, est attendu")
    return int(text)


def _common_options(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument(
        "--theme", action="append", metavar="THÈME",
        help="thème traité, identifiant ou libellé de data/themes.yml ; à répéter pour plusieurs thèmes "
             "(par défaut le premier thème du fichier)",
    )
    p.add_argument("--slug", metavar="NOM", help=f"nom du fichier, sans « .md » ni numéro (par défaut tiré du titre{what})")
    p.add_argument("--date", type=_date, metavar="AAAA-MM-JJ", help="date de première publication (par défaut aujourd'hui)")
    p.add_argument("--draft", "--brouillon", dest="draft", action="store_true", default=True,
                   help="créer un brouillon : draft: true (par défaut)")
    p.add_argument("--no-draft", "--publiable", dest="draft", action="store_false",
                   help="créer un contenu publiable : draft: false")
    p.set_defaults(run=run, error=p.error)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "new",
        help="créer une fiche ou un cas pratique à partir d'un modèle",
        description=(
            "Crée un fichier prêt à compléter, avec un en-tête valide dont chaque clé est expliquée en commentaire.\n"
            "Le fichier est un brouillon (draft: true) : visible dans la prévisualisation, jamais publié.\n"
            "Un fichier existant n'est jamais remplacé."
        ),
        epilog=(
            "Exemples :\n"
            "  esskb new fiche \"L'ESS et les politiques du logement\"\n"
            "  esskb new fiche --number 11            (rédiger la fiche n° 11 prévue dans data/catalogue.yml)\n"
            "  esskb new case \"Un garage solidaire\" --region bretagne --fiche 5\n"
            "  esskb new fiche --help"
        ),
    )
    kinds = p.add_subparsers(dest="kind", metavar="type", required=True, title="types de contenu")
    fiche = kinds.add_parser(
        "fiche",
        help="nouvelle fiche dans fiches/",
        description=(
            "Crée fiches/NN-titre-court.md.\n"
            "Numéro : celui de --number ; sinon celui de la fiche prévue qui porte ce titre dans data/catalogue.yml ;\n"
            "sinon le numéro qui suit la plus grande fiche rédigée ou prévue. Quand la fiche était prévue,\n"
            "son entrée est retirée de data/catalogue.yml (les autres lignes et les commentaires sont gardés)."
        ),
        epilog=(
            "Exemples :\n"
            "  esskb new fiche \"L'ESS et les politiques du logement\" --theme logement --theme co-construction\n"
            "  esskb new fiche --number 11\n"
            "  esskb new fiche \"Mobiliser les fonds européens pour l'ESS\" --slug fonds-europeens"
        ),
    )
    fiche.add_argument("title", nargs="?", metavar="TITRE", help="titre complet de la fiche, entre guillemets (facultatif avec --number d'une fiche prévue)")
    fiche.add_argument("--number", "--numero", type=_number, metavar="N", help="numéro de la fiche (par exemple celui d'une fiche prévue)")
    _common_options(fiche, "")

    case = kinds.add_parser(
        "case",
        aliases=["cas"],
        help="nouveau cas pratique dans cases/",
        description=(
            "Crée cases/region-titre-court.md ; l'identifiant du cas (le nom du fichier) commence par la région,\n"
            "sauf si le titre la nomme déjà."
        ),
        epilog=(
            "Exemples :\n"
            "  esskb new case \"Un garage solidaire\" --region bretagne\n"
            "  esskb new case \"Feuille de route ESS et culture\" --region nouvelle-aquitaine --fiche 5 --theme culture\n"
            "  esskb new case \"Un tiers-lieu rural\" --region \"Île-de-France\" --actor \"Région Île-de-France\""
        ),
    )
    case.add_argument("title", metavar="TITRE", help="titre du cas, entre guillemets")
    case.add_argument("--region", required=True, metavar="RÉGION", help="région, identifiant ou libellé de data/regions.yml (obligatoire)")
    case.add_argument("--fiche", action="append", type=_number, metavar="N",
                      help="numéro d'une fiche que le cas illustre ; à répéter (par défaut la première fiche rédigée)")
    case.add_argument("--actor", "--porteur", metavar="PORTEUR", help="qui porte l'action, par exemple \"CRESS Bretagne\"")
    _common_options(case, ", précédé de la région")
