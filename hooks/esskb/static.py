"""Static files every site gets: the package's stylesheets and scripts (``esskb/assets``)."""

from __future__ import annotations

from pathlib import Path

ASSET_DIR = Path(__file__).parent / "assets"


def site_assets() -> list[tuple[str, Path]]:
    """(site path, file) of each stylesheet and script, in a stable order."""
    return [(f"assets/{p.name}", p) for p in sorted(ASSET_DIR.iterdir()) if p.suffix in (".css", ".js")]


def stylesheets() -> list[str]:
    return [uri for uri, _ in site_assets() if uri.endswith(".css")]


def scripts() -> list[str]:
    return [uri for uri, _ in site_assets() if uri.endswith(".js")]
