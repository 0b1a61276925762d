"""The project's settings as the core sees them, from mkdocs.yml (no MkDocs import).

The hook passes MkDocs' validated config; the commands and the exporter read the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import yaml


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


def docs_dir(config: Mapping[str, Any]) -> str:
    return str(config.get("docs_dir") or "docs")
