"""The project's settings as the core sees them, from mkdocs.yml (no MkDocs import).

The hook passes MkDocs' validated config; the commands and the exporter read the file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

import yaml

from .errors import ContentError, Problem

CONFIG_FILE = "mkdocs.yml"
# A theme's dossier page holds the full texts up to this many published fiches and cases;
# beyond it, the page lists them (a trainer composes a printable selection with `esskb dossier`).
DOSSIER_MAX_ITEMS = 60


class _ConfigLoader(yaml.SafeLoader):
    """Plain YAML; MkDocs' own tags (``!ENV``, ``!!python/name:…``) read as null."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_config(root: Path) -> dict[str, Any]:
    path = Path(root) / "mkdocs.yml"
    if not path.is_file():
        return {}
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506 (a SafeLoader)
    return data if isinstance(data, dict) else {}


def settings_of(config: Mapping[str, Any]) -> dict[str, Any]:
    """``extra.esskb`` plus the site-wide values the outputs need."""
    settings = dict((config.get("extra") or {}).get("esskb") or {})
    settings["use_directory_urls"] = config.get("use_directory_urls", True)
    settings.update(
        site_url=config.get("site_url") or "",
        site_name=config.get("site_name") or "",
        site_description=config.get("site_description") or "",
    )
    return settings


def theme_templates(dirs: list[Path]) -> frozenset[str]:
    """Every template a page's ``template`` key may name in these theme folders (the hook
    passes MkDocs' ``config.theme.dirs``). Hidden folders are not searched: Material's
    ``.icons`` holds 14,000 icons and no template (0.3 ms instead of 16 ms a build)."""
    found: set[str] = set()
    for base in dirs:
        for folder, subfolders, files in os.walk(base):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            rel = os.path.relpath(folder, base).replace(os.sep, "/")
            found.update(name if rel == "." else f"{rel}/{name}" for name in files if name.endswith(".html"))
    return frozenset(found)


def project_templates(config: Mapping[str, Any], root: Path) -> frozenset[str] | None:
    """``theme_templates`` for the commands and the exporter, from mkdocs.yml: the theme's
    ``custom_dir``, then Material's templates; None for another theme (not checked then)."""
    theme = config.get("theme")
    theme = theme if isinstance(theme, dict) else {"name": theme}
    if theme.get("name") != "material":
        return None
    try:
        import material
    except ImportError:
        return None
    dirs = [Path(root) / str(theme["custom_dir"])] if theme.get("custom_dir") else []
    return theme_templates(dirs + [Path(material.__file__).parent / "templates"])


def docs_dir(config: Mapping[str, Any]) -> str:
    return str(config.get("docs_dir") or "docs")


def setting_problems(settings: Mapping[str, Any], root: Path | None = None) -> list[Problem]:
    """What is wrong with the ``extra.esskb`` values the core reads (French), each at its line."""
    problems: list[Problem] = []
    value = settings.get("dossier_max_items", DOSSIER_MAX_ITEMS)
    if not _positive(value):
        problems.append(Problem(CONFIG_FILE, _line_of(root, "dossier_max_items"), (
            f"« dossier_max_items » (extra.esskb) doit être un nombre entier positif, par exemple {DOSSIER_MAX_ITEMS}, "
            f"et non « {_shown(value)} » : c'est le nombre de fiches et de cas au-delà duquel le dossier d'un thème devient une liste"
        )))
    value = settings.get("workers", 1)
    if not _positive(value):
        problems.append(Problem(CONFIG_FILE, _line_of(root, "workers"), (
            f"« workers » (extra.esskb) doit être un nombre entier positif, par exemple 2, et non « {_shown(value)} » : "
            "c'est le nombre de processus qui convertissent les pages (1 pour un seul ; sans cette clé, un par cœur)"
        )))
    return problems


def _positive(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _shown(value: object) -> str:
    return "" if value is None else str(value)


def dossier_max_items(settings: Mapping[str, Any]) -> int:
    """``extra.esskb.dossier_max_items``, checked (``ContentError`` in French otherwise)."""
    problems = setting_problems(settings)
    if problems:
        raise ContentError(problems)
    return int(settings.get("dossier_max_items", DOSSIER_MAX_ITEMS))


def _line_of(root: Path | None, key: str) -> int:
    """The line of ``key:`` in mkdocs.yml (1 when the file or the key cannot be found)."""
    path = Path(root or ".") / CONFIG_FILE
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((number for number, line in enumerate(lines, 1) if line.lstrip().startswith(f"{key}:")), 1)
