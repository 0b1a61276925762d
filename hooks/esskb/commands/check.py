"""``esskb check``: validate the whole corpus without building the site."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..corpus import load_corpus
from ..errors import ContentError


def run(args: argparse.Namespace) -> int:
    try:
        corpus = load_corpus(Path(args.root))
    except ContentError as exc:
        for problem in exc.problems:
            print(problem)
        count = len(exc.problems)
        print(f"{count} problème{'s' if count > 1 else ''} trouvé{'s' if count > 1 else ''}.", file=sys.stderr)
        return 1
    print(f"Contenu valide : {len(corpus.fiches)} fiches, {len(corpus.cases)} cas, {len(corpus.planned)} fiches à paraître.")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="vérifier tout le contenu sans construire le site",
        description="Vérifie les fiches, les cas et les fichiers de data/ ; affiche un problème par ligne (chemin:ligne: message).",
        epilog="Exemple : python -m esskb check",
    )
    p.set_defaults(run=run)
