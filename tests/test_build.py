"""Real `mkdocs build --strict` runs of the bundled content and of the fixture corpus."""

from __future__ import annotations

import os

from htmlcheck import content, page

from conftest import ROOT


def test_bundled_content_builds_every_page_with_its_header(built_bundled):
    site = built_bundled.site
    fiches = sorted(p.stem for p in (ROOT / "fiches").glob("*.md"))
    cases = sorted(p.stem for p in (ROOT / "cases").glob("*.md"))
    assert fiches == ["05-co-construction-transversalite"]
    assert len(cases) == 4
    fiche = page(site, "fiches/05-co-construction-transversalite/")
    assert content(fiche).cssselect("h1")[0].text_content().rstrip("¶").strip() == "Co-construction et transversalité des politiques d'ESS"
    meta = content(fiche).cssselect(".esskb-meta")[0].text_content()
    assert "Fiche n° 5" in meta and "Thèmes" in meta and "Dispositifs" in meta and "26 novembre 2026" in meta
    for slug in cases:
        doc = page(site, f"cas/{slug}/")
        meta = content(doc).cssselect(".esskb-meta")[0].text_content()
        assert "Région" in meta and "Porteur" in meta and "Illustre" in meta and "Fiche 5" in meta


def test_bundled_site_is_french_and_private(built_bundled):
    html = built_bundled.html("index.html")
    assert '<html lang="fr"' in html
    assert "fonts.googleapis" not in html and "fonts.gstatic" not in html
    config = (built_bundled.site / "search" / "search_index.json").read_text()
    assert '"lang":["fr"]' in config.replace(" ", "")


def test_glossary_abbreviations_on_every_page(built_bundled):
    doc = page(built_bundled.site, "cas/corse-transversalite/")
    titles = {abbr.text: abbr.get("title") for abbr in content(doc).iter("abbr")}
    assert titles["SRDEII"].lower().startswith("schéma régional de développement économique")
    assert "CESEC" in titles
    about = page(built_bundled.site, "a-propos/")
    assert any(a.text == "ESS" for a in content(about).iter("abbr"))


def test_fixture_builds_with_header_blocks(built_fixture):
    site = built_fixture.site
    for url in ("fiches/01-habitat-participatif/", "fiches/02-mobilite-solidaire/", "fiches/07-reemploi/"):
        assert content(page(site, url)).cssselect(".esskb-meta"), url
    for url in ("cas/bretagne-habitat/", "cas/bretagne-garage/", "cas/occitanie-ressourcerie/"):
        meta = content(page(site, url)).cssselect(".esskb-meta")[0].text_content()
        assert "Porteur" in meta, url


def test_invalid_content_fails_cleanly_and_keeps_the_site(project):
    project.build(check=True)
    before = {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
    text = (project.root / "cases/bretagne-garage.md").read_text()
    project.write("cases/bretagne-garage.md", text.replace("themes: [mobilite]", "themes: [mobilte]"))
    project.write("fiches/04-vide.md", "")
    result = project.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    assert "cases/bretagne-garage.md:7: thème inconnu « mobilte » dans « themes » ; vouliez-vous dire « mobilite » ?" in output
    assert "fiches/04-vide.md:1: fichier vide" in output
    after = {p: p.read_bytes() for p in project.site.rglob("*") if p.is_file()}
    assert after == before


def test_drafts_are_left_out_of_a_build(project):
    text = (project.root / "fiches/07-reemploi.md").read_text()
    project.write("fiches/07-reemploi.md", text.replace("date: 2026-04-01", "date: 2026-04-01\ndraft: true"))
    project.write("fiches/01-habitat-participatif.md", (project.root / "fiches/01-habitat-participatif.md").read_text() + "\nVoir [le brouillon](fiche:7).\n")
    project.build(check=True)
    assert not (project.site / "fiches/07-reemploi").exists()
    fiche1 = content(page(project.site, "fiches/01-habitat-participatif/"))
    assert "le brouillon" in fiche1.text_content()
    assert not [a for a in fiche1.iter("a") if "07-reemploi" in (a.get("href") or "")]
    for html in project.site.rglob("*.html"):
        assert "Réemploi et déchets" not in html.read_text(), html


def test_drafts_show_under_serve_with_a_banner(project):
    """`mkdocs serve` renders drafts: run the hook as serve does (on_startup('serve'))."""
    import subprocess, sys, textwrap
    text = (project.root / "fiches/07-reemploi.md").read_text()
    project.write("fiches/07-reemploi.md", text.replace("date: 2026-04-01", "date: 2026-04-01\ndraft: true"))
    script = textwrap.dedent(
        """
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        config = load_config("mkdocs.yml")
        config.plugins.on_startup(command="serve", dirty=False)
        build(config, serve_url="http://127.0.0.1:8000/")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=project.root, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    draft = content(page(project.site, "fiches/07-reemploi/"))
    assert "Brouillon" in draft.cssselect(".admonition")[0].text_content()
