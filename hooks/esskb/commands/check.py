"""``esskb check``: validate the whole corpus without building the site.

Three output formats: ``text`` (the build's ``path:line: message`` lines), ``github``
(GitHub Actions workflow commands, one annotation per problem) and ``json``.
Exit status: 0 valid, 1 problems found, 2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..corpus import CASES_DIR, FICHES_DIR
from ..errors import ContentError, Problem
from ..loading import content_files
from ..model import Corpus
from . import load_project

FORMATS = ("text", "github", "json")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


# -- GitHub Actions workflow commands ------------------------------------------


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(problem: Problem, root: Path) -> str:
    """``::error file=…,line=…,title=esskb::message``; the path is relative to the
    current folder (the repository root in a workflow) when the project lies inside it."""
    path = Path(root, problem.path)
    try:
        shown = path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        shown = problem.path
    props = f"file={_escape_property(shown)},line={problem.line},title={_escape_property('esskb')}"
    return f"::error {props}::{_escape_data(problem.message)}"


# -- JSON --------------------------------------------------------------------------


def counts(root: Path, corpus: Corpus | None, problems: int) -> dict[str, Any]:
    """Files examined and, when the corpus is valid, planned fiches and drafts."""
    return {
        "fiches": len(content_files(root, FICHES_DIR)),
        "cases": len(content_files(root, CASES_DIR)),
        "planned": len(corpus.planned) if corpus else None,
        "drafts": sum(item.draft for item in corpus.items) if corpus else None,
        "problems": problems,
    }


def report(root: Path, corpus: Corpus | None, problems: list[Problem]) -> dict[str, Any]:
    return {
        "ok": not problems,
        "problems": [{"path": p.path, "line": p.line, "message": p.message} for p in problems],
        "counts": counts(root, corpus, len(problems)),
    }


# -- command -----------------------------------------------------------------------


def run(args: argparse.Namespace) -> int:
    root = Path(args.root)
    corpus: Corpus | None = None
    problems: list[Problem] = []
    try:
        corpus, _ = load_project(root)
    except ContentError as exc:
        problems = exc.problems
    if args.format == "json":
        print(json.dumps(report(root, corpus, problems), ensure_ascii=False, indent=2))
    elif args.format == "github":
        for problem in problems:
            print(github_line(problem, root))
    else:
        for problem in problems:
            print(problem)
    if problems:
        if args.format != "json":
            found = "trouvé" if len(problems) == 1 else "trouvés"
            print(f"{_plural(len(problems), 'problème')} {found} : corrigez chaque ligne signalée puis relancez « esskb check ».", file=sys.stderr)
        return 1
    if args.format != "json":
        drafts = sum(item.draft for item in corpus.items)
        print(
            f"Contenu valide : {_plural(len(corpus.fiches), 'fiche')}, {len(corpus.cases)} cas "
            f"(dont {_plural(drafts, 'brouillon')}), {_plural(len(corpus.planned), 'fiche')} à paraître.",
            file=sys.stderr if args.format == "github" else sys.stdout,
        )
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="vérifier tout le contenu sans construire le site",
        description=(
            "Vérifie les fiches, les cas, les liens typés et les fichiers de data/ sans construire le site,\n"
            "et affiche chaque problème sur une ligne « chemin:ligne: message », comme la construction du site.\n"
            "Code de sortie : 0 si tout est valide, 1 s'il y a au moins un problème, 2 en cas d'erreur d'utilisation."
        ),
        epilog=(
            "Exemples :\n"
            "  esskb check\n"
            "  esskb check --format github     (annotations d'une vérification GitHub Actions)\n"
            "  esskb check --format json       (résultat lisible par un programme)\n"
            "  esskb --root ../mon-contenu check"
        ),
    )
    p.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="présentation des résultats : text (par défaut), github (annotations GitHub Actions) ou json",
    )
    p.set_defaults(run=run)
