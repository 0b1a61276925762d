"""``esskb export``: a plain MkDocs project with every generated page written out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ContentError
from ..export import NotEmpty, export
from . import report_problems


def run(args: argparse.Namespace) -> int:
    try:
        written = export(Path(args.root), Path(args.out))
    except ContentError as exc:
        return report_problems(exc, "corrigez-les avant d'exporter.")
    except NotEmpty:
        print(f"Le dossier {args.out} existe et n'est pas vide : choisissez un dossier neuf.", file=sys.stderr)
        return 1
    print(f"Projet exporté dans {args.out} : {len(written)} pages Markdown. Construisez-le avec « mkdocs build » depuis ce dossier.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="écrire un projet MkDocs ordinaire, sans hooks (pour ProperDocs, Zensical…)",
        description=(
            "Écrit dans DOSSIER un projet MkDocs complet (mkdocs.yml et docs/) où toutes les pages "
            "générées sont de simples fichiers Markdown : il se construit sans les hooks d'esskb."
        ),
        epilog="Exemple : python -m esskb export export/ && cd export && mkdocs build --strict",
    )
    p.add_argument("out", metavar="DOSSIER", help="dossier de destination (neuf ou vide)")
    p.set_defaults(run=run)
