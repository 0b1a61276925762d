"""French search without accents: where Material's own French search file goes.

Material's search worker imports ``assets/javascripts/lunr/min/lunr.fr.min.js`` by name.
esskb's ``overrides/`` holds a small file of that name that folds accents and wraps
Material's French support, which the worker then needs under another name: ``STOCK_FRENCH``,
copied from the installed Material so that it follows Material's upgrades.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

FRENCH = "assets/javascripts/lunr/min/lunr.fr.min.js"
STOCK_FRENCH = "assets/javascripts/lunr/min/lunr.fr.material.min.js"


def stock_french(theme_dirs: Iterable[str]) -> Path | None:
    """Material's French file when a theme folder before Material's (overrides/) shadows it."""
    found = [Path(folder) / FRENCH for folder in theme_dirs if (Path(folder) / FRENCH).is_file()]
    return found[1] if len(found) > 1 else None
