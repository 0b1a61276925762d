"""Command line: ``python -m esskb <commande>`` (or the ``esskb`` console script).

argparse speaks English; its user-facing strings go through ``argparse._`` (gettext).
``french()`` swaps in a French catalogue while the parser is built and used, and puts
the original back afterwards, so importing this module changes nothing elsewhere.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from pathlib import Path
from typing import Iterator

from .commands import MODULES

# msgid (Python 3.11+ argparse) -> French; unknown messages stay as they are.
ARGPARSE_FR = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choix possibles : %(choices)s)",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s attendu) : %(value)r",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ignored explicit argument %r": "valeur %r ignorée",
    "unexpected option string: %s": "option inattendue : %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "commande inconnue %(parser_name)r (commandes : %(choices)s)",
}


def _french(message: str) -> str:
    return ARGPARSE_FR.get(message, message)


def _french_n(singular: str, plural: str, count: int) -> str:
    if singular == "expected %s argument":
        return "%s valeur attendue" if count <= 1 else "%s valeurs attendues"
    return singular if count == 1 else plural


@contextlib.contextmanager
def french() -> Iterator[None]:
    """argparse in French for the duration of the block."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _french, _french_n  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class Parser(argparse.ArgumentParser):
    """Keeps line breaks of descriptions and examples (sub-commands inherit the class)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)


ROOT_HELP = "dossier du projet (celui de mkdocs.yml) ; par défaut le dossier courant"


def parser() -> argparse.ArgumentParser:
    with french():
        p = Parser(
            prog="esskb",
            description="Outils de la base de connaissances ESS : créer, vérifier et compter fiches et cas pratiques.",
            epilog=(
                "Exemples :\n"
                "  esskb new fiche \"L'ESS et le logement\"\n"
                "  esskb check\n"
                "  esskb stats\n"
                "  esskb new --help      (l'aide d'une commande)"
            ),
        )
        p.add_argument("--root", default=".", metavar="DOSSIER", help=ROOT_HELP)
        sub = p.add_subparsers(dest="command", metavar="commande", required=True, title="commandes")
        for name in MODULES:
            importlib.import_module(f"{__package__}.commands.{name}").register(sub)
        # --root is accepted after the command too (pre-commit appends its args there)
        for command in _leaves(sub):
            command.add_argument("--root", default=argparse.SUPPRESS, metavar="DOSSIER", help=ROOT_HELP)
    return p


def _leaves(sub: argparse._SubParsersAction) -> list[argparse.ArgumentParser]:
    """The parsers that take options (``check``, ``new fiche`` ...), each once (aliases share one)."""
    out: list[argparse.ArgumentParser] = []
    for command in dict.fromkeys(sub.choices.values()):
        nested = [a for a in command._actions if isinstance(a, argparse._SubParsersAction)]
        out.extend(_leaves(nested[0]) if nested else [command])
    return out


def main(argv: list[str] | None = None) -> int:
    p = parser()
    with french():  # also while the command runs: its usage errors go through argparse
        args = p.parse_args(argv)
        if not Path(args.root).is_dir():
            p.error(f"dossier du projet introuvable : {args.root}")
        try:
            return args.run(args)
        except BrokenPipeError:  # output piped into `head` and the like
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1


if __name__ == "__main__":
    sys.exit(main())
