"""Search for large sites: ``extra: esskb: search: pagefind`` indexes the built site with Pagefind
and puts Pagefind's search box in Material's header (real build, real binary, real browser)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ENV, ROOT
from htmlcheck import page

sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402
from esskb.pagefind import SKIPPED, executable  # noqa: E402

pytestmark = pytest.mark.skipif(executable() is None, reason="pagefind-bin n'est pas installé")


@pytest.fixture(scope="module")
def pagefind_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pagefind") / "proj"
    generate.generate(root, 8, 16, search="pagefind")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=root, env=ENV, capture_output=True, text=True, timeout=900
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


def test_pagefind_index_replaces_the_lunr_index(pagefind_site):
    entry = json.loads((pagefind_site / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["fr"]
    html_pages = [p for p in pagefind_site.rglob("index.html") if p.relative_to(pagefind_site).parts[0] not in SKIPPED]
    assert entry["languages"]["fr"]["page_count"] == len(html_pages)
    assert (pagefind_site / "formations").is_dir(), "dossiers are built, only left out of the index"
    assert not (pagefind_site / "search" / "search_index.json").exists()


def test_pages_carry_the_search_button_not_materials_form(pagefind_site):
    doc = page(pagefind_site, "fiches/")
    assert doc.cssselect("template#esskb-pagefind-button") and doc.cssselect("dialog.esskb-pagefind")
    assert not doc.cssselect("form[name=search]")


def test_search_in_the_browser_finds_a_case_with_a_small_payload(pagefind_site):
    from search import measure

    figures = measure(pagefind_site, "ESS")
    assert figures["kind"] == "pagefind"
    assert figures["results_shown"] > 0
    assert figures["search_bytes"] < 1_000_000
    assert all(url.startswith("pagefind/") for url, _, _ in figures["largest"])
