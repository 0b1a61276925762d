"""`esskb export`: a plain MkDocs project that builds without our hooks, with the same pages.

Built with plain MkDocs (strict), with ProperDocs and with Zensical, each in the state a
network would use them; the page URLs and internal links are compared with the hooked build.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENV, ROOT, Project
from htmlcheck import parse, resolve

ALT_VENVS = ROOT / ".venv-alt"


def export(project: Project, dest: Path) -> Path:
    result = project.esskb("export", str(dest))
    assert result.returncode == 0, result.stdout + result.stderr
    return dest


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("index.html")}


def links(site: Path) -> set[tuple[str, str]]:
    """(page, target file) for every internal link inside page content."""
    found = set()
    for html in site.rglob("index.html"):
        for article in parse(html).cssselect("article"):
            for a in article.iter("a"):
                href = a.get("href")
                target = resolve(site, html, href, "/esskb/") if href else None
                if target is not None:
                    found.add((html.relative_to(site).as_posix(), target.relative_to(site).as_posix() if target.is_relative_to(site) else str(target)))
    return found


def plain_build(folder: Path, *command: str, env: dict | None = None) -> Path:
    result = subprocess.run(list(command), cwd=folder, env=env or ENV, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "site"


def test_export_of_the_fixture_builds_with_plain_mkdocs_and_matches(built_fixture, tmp_path):
    out = export(built_fixture, tmp_path / "export")
    import yaml

    config = yaml.safe_load((out / "mkdocs.yml").read_text())
    assert "hooks" not in config and "esskb_hooks" not in str(config)
    assert "fiche:" not in (out / "docs/fiches/01-habitat-participatif.md").read_text()
    site = plain_build(out, sys.executable, "-m", "mkdocs", "build", "--strict")
    assert pages(site) == pages(built_fixture.site)
    assert links(site) == links(built_fixture.site)
    # the glossary tooltips survive without the hook
    assert "<abbr title=" in (site / "fiches/01-habitat-participatif/index.html").read_text()


def test_export_of_the_bundled_content_matches(built_bundled, tmp_path):
    out = export(built_bundled, tmp_path / "export")
    site = plain_build(out, sys.executable, "-m", "mkdocs", "build", "--strict")
    assert pages(site) == pages(built_bundled.site)
    assert links(site) == links(built_bundled.site)
    extra = {p.relative_to(built_bundled.site).as_posix() for p in built_bundled.site.rglob("*") if p.is_file() and p.suffix in (".json", ".xml", ".txt", ".pdf") and "search" not in p.parts}
    missing = {rel for rel in extra if rel != "sitemap.xml" and not (site / rel).exists()}
    assert not missing, missing  # kb.json, feeds, newsletter files ... are copied as static files


def test_export_refuses_a_non_empty_folder(built_fixture, tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "keep.txt").write_text("à garder")
    result = built_fixture.esskb("export", str(tmp_path / "x"))
    assert result.returncode == 1 and "n'est pas vide" in result.stderr
    assert (tmp_path / "x" / "keep.txt").read_text() == "à garder"


def _alt_venv(name: str, *packages: str) -> Path | None:
    """A separate virtual environment with ``packages`` (created once, kept in .venv-alt/)."""
    venv = ALT_VENVS / name
    stamp = venv / ".esskb-ready"
    if not stamp.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        result = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *packages],
                                capture_output=True, text=True, timeout=900)
        if result.returncode != 0:
            return None
        stamp.write_text(" ".join(packages))
    return venv


def _material_pin() -> str:
    from importlib.metadata import version

    return f"mkdocs-material=={version('mkdocs-material')}"


def test_export_builds_with_properdocs(built_fixture, tmp_path):
    venv = _alt_venv("properdocs", "properdocs>=1.6,<1.7", _material_pin())
    if venv is None:
        if os.environ.get("CI"):
            pytest.fail("properdocs could not be installed in CI")
        pytest.skip("properdocs could not be installed (no access to PyPI?)")
    out = export(built_fixture, tmp_path / "export")
    site = plain_build(out, str(venv / "bin" / "properdocs"), "build", "--strict", "-f", "mkdocs.yml")
    assert pages(site) == pages(built_fixture.site)
    assert links(site) == links(built_fixture.site)


def test_export_builds_with_zensical_where_it_installs(built_fixture, tmp_path):
    venv = _alt_venv("zensical", "zensical")
    if venv is None:
        pytest.skip("zensical does not install here")
    out = export(built_fixture, tmp_path / "export")
    site = plain_build(out, str(venv / "bin" / "zensical"), "build", env={k: v for k, v in os.environ.items()})
    assert pages(site) == pages(built_fixture.site)
