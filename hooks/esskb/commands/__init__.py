"""Sub-commands of ``python -m esskb``: one module each, with ``register(subparsers)``.

Shared here: loading a project as the build does, and reporting its content problems.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from ..corpus import load_corpus
from ..errors import ContentError
from ..model import Corpus
from ..settings import docs_dir, project_templates, read_config, settings_of

MODULES = ("check", "export", "new", "stats", "newsletter", "dossier")


def load_project(root: Path) -> tuple[Corpus, dict[str, Any]]:
    """The validated corpus, with the settings the build gives it, and mkdocs.yml as data."""
    config = read_config(root)
    return load_corpus(root, docs_dir=docs_dir(config), settings=settings_of(config), templates=project_templates(config, root)), config


def report_problems(exc: ContentError, advice: str) -> int:
    """Every problem on its own line (standard error), then what to do; exit code 1."""
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    count = len(exc.problems)
    print(f"{count} problème{'s' if count > 1 else ''} dans le contenu : {advice}", file=sys.stderr)
    return 1
