"""Shared fixtures: a throw-away project (fixture corpus + the real hook) and real builds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
HOOK = ROOT / "hooks" / "esskb_hooks.py"
sys.path.insert(0, str(ROOT / "hooks"))

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}


def mkdocs_yml(hook: Path = HOOK) -> str:
    """The project's own mkdocs.yml, pointing at the real hook by absolute path."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    text = text.replace("\n  - hooks\n", f"\n  - {ROOT / 'hooks'}\n")
    return text.replace("- hooks/esskb_hooks.py", f"- {hook}")


@dataclass
class Project:
    root: Path

    @property
    def site(self) -> Path:
        return self.root / "site"

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    def build(self, *args: str, check: bool = False) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
            cwd=self.root, env=ENV, capture_output=True, text=True, timeout=600,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"build failed:\n{result.stdout}\n{result.stderr}")
        return result

    def esskb(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "esskb", *args],
            cwd=self.root, env={**ENV, "PYTHONPATH": str(ROOT / "hooks")}, capture_output=True, text=True, timeout=300,
        )

    def html(self, rel: str) -> str:
        return (self.site / rel).read_text(encoding="utf-8")


def make_project(dest: Path, source: Path = CORPUS) -> Project:
    for folder in ("fiches", "cases", "data", "docs"):
        if (source / folder).exists():
            shutil.copytree(source / folder, dest / folder)
    (dest / "mkdocs.yml").write_text(mkdocs_yml(), encoding="utf-8")
    return Project(dest)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A copy of the fixture corpus in a temporary folder, built with the real hook."""
    return make_project(tmp_path / "proj")


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The fixture corpus, built once for the tests that only read the output."""
    proj = make_project(tmp_path_factory.mktemp("fixture") / "proj")
    proj.build(check=True)
    return proj


@pytest.fixture(scope="session")
def built_bundled(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The bundled content of the repository, built once."""
    proj = make_project(tmp_path_factory.mktemp("bundled") / "proj", source=ROOT)
    proj.build(check=True)
    return proj
