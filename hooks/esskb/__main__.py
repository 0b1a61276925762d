"""Command line: ``python -m esskb <commande>`` (or the ``esskb`` console script)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .corpus import load_corpus
from .errors import ContentError


def _check(args: argparse.Namespace) -> int:
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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="esskb",
        description="Outils de la base de connaissances ESS : vérifier, créer et publier fiches et cas pratiques.",
    )
    p.add_argument("--root", default=".", help="dossier du projet (celui de mkdocs.yml) ; par défaut le dossier courant")
    sub = p.add_subparsers(dest="command", metavar="commande", required=True)
    check = sub.add_parser(
        "check",
        help="vérifier tout le contenu sans construire le site",
        description="Vérifie les fiches, les cas et les fichiers de data/ ; affiche un problème par ligne (chemin:ligne: message).",
        epilog="Exemple : python -m esskb check",
    )
    check.set_defaults(run=_check)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
