"""``esskb dossier``: a cross-training dossier of the trainer's own choosing, as PDF or HTML."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path


from ..dossiers import SITE_NAME, custom_dossier, describe, dossier_html
from ..errors import ContentError, closest, closest_number, suggestion
from ..model import Corpus
from ..pages import Site
from . import load_project, report_problems

DEFAULT_SITE_URL = "http://127.0.0.1:8000/"
FORMATS = (".pdf", ".html")


def theme_names(corpus: Corpus) -> dict[str, str]:
    """Slug or label (as in ``esskb new``) -> slug."""
    return {t.slug: t.slug for t in corpus.themes} | {t.label: t.slug for t in corpus.themes}


def selection_problems(corpus: Corpus, args: argparse.Namespace) -> list[str]:
    """What is wrong with the requested fiches, cases and themes, in French (empty if nothing)."""
    published = corpus.published()
    problems = []
    for number in args.fiche:
        if number in published.fiche_by_number:
            continue
        if number in corpus.fiche_by_number:
            problems.append(f"la fiche n° {number} est un brouillon : elle n'entre dans aucun dossier tant que « draft: true » reste dans son en-tête.")
        elif number in corpus.planned_by_number:
            problems.append(f"la fiche n° {number} est à paraître : elle n'est pas encore écrite.")
        else:
            problems.append(f"fiche n° {number} inconnue{suggestion(closest_number(number, published.fiche_by_number))}")
    for slug in args.case:
        if slug in published.case_by_slug:
            continue
        if slug in corpus.case_by_slug:
            problems.append(f"le cas « {slug} » est un brouillon : il n'entre dans aucun dossier tant que « draft: true » reste dans son en-tête.")
        else:
            problems.append(f"cas pratique « {slug} » inconnu{suggestion(closest(slug, published.case_by_slug))}")
    names = theme_names(corpus)
    for value in args.theme:
        if value not in names:
            found = closest(value, names)
            problems.append(f"thème « {value} » inconnu{suggestion(names[found] if found else None)} (voir data/themes.yml)")
    return problems


def run(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if output.suffix.lower() not in FORMATS:
        return _fail(f"« {output.name} » : le fichier de sortie doit finir par .pdf ou .html.", 2)
    if not (args.fiche or args.case or args.theme):
        return _fail("choisissez au moins une fiche (--fiche), un cas (--case) ou un thème (--theme).", 2)
    root = Path(args.root)
    try:
        corpus, config = load_project(root)
    except ContentError as exc:
        return report_problems(exc, "corrigez-les avant de composer un dossier.")
    problems = selection_problems(corpus, args)
    if problems:
        for problem in problems[:-1]:
            print(f"esskb dossier : {problem}", file=sys.stderr)
        return _fail(problems[-1])

    site_url = args.site_url or config.get("site_url") or DEFAULT_SITE_URL
    site_url = site_url if site_url.endswith("/") else site_url + "/"
    site = Site(replace(corpus, settings={"use_directory_urls": config.get("use_directory_urls") is not False}))  # published only
    themes = [theme_names(corpus)[value] for value in args.theme]
    dossier = custom_dossier(site, args.fiche, args.case, themes, title=args.title)
    if not dossier.items:
        return _fail("ces thèmes n'ont encore ni fiche ni cas pratique publiés : le dossier serait vide.")
    html = dossier_html(site, dossier, site_url, site_name=str(config.get("site_name") or SITE_NAME))
    data = html.encode("utf-8") if output.suffix.lower() == ".html" else _pdf(html, site_url)
    if data is None:
        return _fail("WeasyPrint ne peut pas fonctionner ici (voir « Dossiers PDF » dans README.md) ; "
                     "écrivez plutôt le dossier en HTML (-o dossier.html) et imprimez-le depuis le navigateur.")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    print(f"Dossier écrit : {output} ({describe(dossier)}).")
    return 0


def _pdf(html: str, site_url: str) -> bytes | None:
    from ..pdf import render_pdf  # here: WeasyPrint is slow to import, and only PDFs need it

    return render_pdf(html, site_url)


def _fail(message: str, code: int = 1) -> int:
    print(f"esskb dossier : {message}", file=sys.stderr)
    return code


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "dossier",
        help="composer un dossier de formation croisée (PDF ou HTML) à partir des fiches, cas et thèmes choisis",
        description=(
            "Réunit dans un seul document à imprimer les fiches, les cas pratiques et les thèmes choisis : "
            "texte complet de chaque fiche et de chaque cas, glossaire des sigles employés, ressources et "
            "pistes pour l'atelier. Un thème apporte toutes ses fiches et tous ses cas publiés ; "
            "les brouillons n'entrent jamais dans un dossier."
        ),
        epilog=(
            "Exemples :\n"
            "  python -m esskb dossier --fiche 5 --case corse-transversalite --theme culture -o dossier.pdf\n"
            "  python -m esskb dossier --theme dechets --theme alimentation -o dechets-alimentation.html\n"
            "  python -m esskb dossier --fiche 5 --title \"Formation des référents ESS\" -o referents.pdf"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--fiche", type=int, action="append", default=[], metavar="NUMÉRO", help="une fiche par son numéro (option répétable)")
    p.add_argument("--case", action="append", default=[], metavar="CAS", help="un cas pratique par son nom de fichier sans .md (option répétable)")
    p.add_argument("--theme", action="append", default=[], metavar="THÈME", help="toutes les fiches et tous les cas publiés d'un thème, identifiant ou libellé de data/themes.yml (option répétable)")
    p.add_argument("--title", default=None, metavar="TITRE", help="titre du dossier ; par défaut « Formation croisée : ESS et <thèmes> »")
    p.add_argument("--site-url", default=None, metavar="URL", help="adresse du site pour les liens du dossier ; par défaut site_url de mkdocs.yml")
    p.add_argument("-o", "--output", required=True, metavar="FICHIER", help="fichier à écrire : .pdf (WeasyPrint) ou .html (page autonome)")
    p.set_defaults(run=run)
