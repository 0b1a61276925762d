"""Command line: ``python -m esskb <commande>`` (or the ``esskb`` console script)."""

from __future__ import annotations

import argparse
import importlib
import sys

from .commands import MODULES


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="esskb",
        description="Outils de la base de connaissances ESS : vérifier, créer et publier fiches et cas pratiques.",
    )
    p.add_argument("--root", default=".", help="dossier du projet (celui de mkdocs.yml) ; par défaut le dossier courant")
    sub = p.add_subparsers(dest="command", metavar="commande", required=True)
    for name in MODULES:
        importlib.import_module(f"{__package__}.commands.{name}").register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
