"""Cross-training dossiers: the pages ``formations/<theme>/``, their PDFs (read back with pypdf),
drafts left out, the ``esskb dossier`` command, WeasyPrint missing, and print media in a browser."""

from __future__ import annotations

import contextlib
import functools
import json
import os
import subprocess
import sys
import textwrap
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from htmlcheck import content, page, parse

from conftest import ENV, ROOT

# Fixture corpus (tests/corpus): logement = fiches 1, 2 + cases bretagne-habitat, occitanie-ressourcerie;
# dechets = fiche 7 + occitanie-ressourcerie; mobilite = fiche 2 + bretagne-garage; alimentation = nothing.
FICHE1_TEXT = "Les SCIC d'habitat réunissent habitants et collectivités."
FICHE2_TEXT = "Les plateformes de mobilité relèvent souvent de l'ESS"
FICHE7_TEXT = "Le PRPGD peut intégrer les ressourceries."
HABITAT_TEXT = "Une SCIC d'habitat à Rennes"
RESSOURCERIE_TEXT = "Des ressourceries dans toute la région."
GARAGE_TEXT = "Un garage solidaire."


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def weasyprint_runs() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


needs_pdf = pytest.mark.skipif(
    not weasyprint_runs() and not os.environ.get("CI"),
    reason="WeasyPrint ne fonctionne pas sur cette machine (Pango absent ?) : voir « Dossiers PDF » dans README.md",
)


def kb(site: Path) -> dict:
    return json.loads((site / "kb.json").read_text(encoding="utf-8"))


# -- the pages ---------------------------------------------------------------------------


def test_dossier_page_holds_full_texts_glossary_resources_and_workshop(built_fixture):
    doc = content(page(built_fixture.site, "formations/logement/"))
    text = text_of(doc)
    assert doc.cssselect("h1")[0].text_content().rstrip("¶").strip() == "Formation croisée : ESS et Logement"
    assert "L'habitat et l'accès au logement." in text  # the theme's description
    # each fiche: number, title, description, full text
    fiche1 = doc.get_element_by_id("esskb-fiche-1")
    assert "Fiche 1 – Habitat participatif et ESS" in text_of(fiche1)
    assert "Soutenir l'habitat participatif porté par des coopératives." in text
    for body in (FICHE1_TEXT, FICHE2_TEXT, HABITAT_TEXT, RESSOURCERIE_TEXT):
        assert body in text, body
    # the fiche's own "## Pourquoi agir" sits below the fiche's heading
    assert [h.text_content().rstrip("¶").strip() for h in doc.cssselect("h3")][:1] == ["Pourquoi agir"]
    # each case: title, region, actor, year
    case = doc.get_element_by_id("esskb-cas-occitanie-ressourcerie")
    assert "Cas pratique : Ressourcerie régionale" in text_of(case)
    meta = text_of(case.getnext())
    assert "Occitanie" in meta and "Réseau des ressourceries" in meta and "2021" in meta
    # glossary entries of the terms used, and only those
    glossary = {text_of(dt): text_of(dt.getnext()) for dt in doc.cssselect("dl dt")}
    assert glossary["SCIC"].startswith("Société coopérative d'intérêt collectif")
    assert glossary["SRADDET"].startswith("Schéma régional d'aménagement")
    assert glossary["ESS"].startswith("Économie sociale et solidaire. Les entreprises de l'ESS")
    assert set(glossary) == {"ESS", "PRPGD", "SCIC", "SRADDET"}
    # resources and the other sections
    resources = doc.get_element_by_id("esskb-ressources").getnext()
    assert [a.get("href") for a in resources.iter("a")] == ["https://example.org/guide"]
    assert doc.get_element_by_id("esskb-atelier") is not None
    # fiches and cases each start a new page in print
    items = [h.get("id") for h in doc.cssselect(".esskb-dossier-item")]
    assert items == ["esskb-fiche-1", "esskb-fiche-2", "esskb-cas-bretagne-habitat", "esskb-cas-occitanie-ressourcerie"]


def test_workshop_questions_of_themes_fiches_and_cases(project):
    project.write("cases/bretagne-habitat.md", (project.root / "cases/bretagne-habitat.md").read_text().replace(
        "themes: [logement]", "themes: [logement, dechets]\nworkshop:\n  - Qui accompagne les coopératives d'habitants ?"))
    project.build(check=True)
    doc = content(page(project.site, "formations/dechets/"))
    atelier = doc.get_element_by_id("esskb-atelier")
    groups = {}
    for h3 in atelier.itersiblings("h3"):
        groups[text_of(h3).rstrip("¶").strip()] = [text_of(li) for li in h3.getnext().iter("li")]
    assert groups == {
        "Thème : Déchets": ["Quels acteurs du réemploi connaissez-vous sur votre territoire ?"],
        "Fiche 7 – Réemploi et déchets": ["Quels marchés publics de réemploi ?"],
        "Cas pratique : Une coopérative d'habitants en Bretagne": ["Qui accompagne les coopératives d'habitants ?"],
    }


def test_formations_index_theme_pages_home_and_kb_json_link_the_dossiers(built_fixture):
    site = built_fixture.site
    index = content(page(site, "formations/"))
    hrefs = [a.get("href") for a in index.iter("a")]
    for theme in ("logement", "dechets", "mobilite"):
        assert f"{theme}/" in hrefs, theme
        assert (site / f"formations/{theme}/index.html").is_file()
    # a theme with no published fiche or case has no dossier, and the index says so
    assert not (site / "formations/alimentation").exists()
    assert "n'ont pas encore de dossier : Alimentation" in text_of(index)
    theme = content(page(site, "themes/logement/"))
    assert "../../formations/logement/" in [a.get("href") for a in theme.iter("a")]
    assert "formations/logement" not in text_of(content(page(site, "themes/alimentation/")))
    home = content(page(site, ""))
    assert "formations/" in [a.get("href") for a in home.iter("a")]
    assert "formations/" in [a.get("href") for a in page(site, "").cssselect("nav.md-nav--primary a")]
    # the print stylesheet is on every page
    for url in ("", "fiches/01-habitat-participatif/", "formations/logement/"):
        sheets = [l.get("href") for l in page(site, url).cssselect('link[rel="stylesheet"]')]
        assert any(h.endswith("assets/print.css") for h in sheets), url


# -- the PDFs -----------------------------------------------------------------------------


@needs_pdf
def test_pdf_of_each_dossier_holds_its_cases_and_is_listed_in_kb_json(built_fixture):
    site = built_fixture.site
    data = (site / "formations/logement.pdf").read_bytes()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    for title in ("Une coopérative d'habitants en Bretagne", "Ressourcerie régionale", "Habitat participatif et ESS"):
        assert title in text, title
    assert FICHE1_TEXT in text
    assert "https://example.org/guide" in text  # link addresses are printed
    # the dossier page and the index link to the PDF files that exist
    link = content(page(site, "formations/logement/")).cssselect("a.esskb-pdf-link")[0]
    assert link.get("href") == "../logement.pdf"
    assert kb(site)["dossiers"] == [
        {"theme": theme, "url": f"formations/{theme}/", "pdf": f"formations/{theme}.pdf"}
        for theme in ("dechets", "logement", "mobilite")
    ]
    for entry in kb(site)["dossiers"]:
        assert (site / entry["pdf"]).read_bytes().startswith(b"%PDF-")


@needs_pdf
def test_drafts_never_enter_a_dossier(project):
    fiche = (project.root / "fiches/07-reemploi.md").read_text()
    project.write("fiches/07-reemploi.md", fiche.replace("themes: [dechets]", "themes: [dechets, alimentation]"))
    project.write("fiches/08-brouillon.md", textwrap.dedent("""\
        ---
        number: 8
        title: Logement secret en préparation
        description: Une fiche en cours d'écriture.
        themes: [logement, mobilite]
        date: 2026-05-01
        draft: true
        workshop:
          - Question secrète de brouillon ?
        ---

        Texte confidentiel du brouillon.
        """))
    project.write("cases/bretagne-brouillon.md", textwrap.dedent("""\
        ---
        title: Cas secret en préparation
        description: Un cas en cours d'écriture.
        region: bretagne
        actor: Porteur confidentiel
        fiches: [1]
        themes: [logement]
        date: 2026-05-01
        draft: true
        ---

        Texte confidentiel du cas.
        """))
    project.build(check=True)
    site = project.site
    for rel in ("formations/logement/index.html", "formations/mobilite/index.html", "formations/index.html"):
        html = (site / rel).read_text(encoding="utf-8")
        for secret in ("secret", "confidentiel", "Question secrète"):
            assert secret not in html, (rel, secret)
    text = pdf_text((site / "formations/logement.pdf").read_bytes())
    assert "Une coopérative d'habitants en Bretagne" in text
    assert "secret" not in text and "confidentiel" not in text
    assert (site / "formations/alimentation.pdf").is_file()  # fiche 7 now carries alimentation


@needs_pdf
def test_pdfs_are_byte_identical_from_one_run_to_the_next(project, tmp_path):
    """Two separate processes (the command renders without the build's cache)."""
    outputs = []
    for name in ("a.pdf", "b.pdf"):
        result = project.esskb("dossier", "--theme", "logement", "-o", str(tmp_path / name))
        assert result.returncode == 0, result.stderr
        outputs.append((tmp_path / name).read_bytes())
    assert outputs[0] == outputs[1]
    from pypdf import PdfReader

    metadata = PdfReader(BytesIO(outputs[0])).metadata
    assert metadata.title == "Formation croisée : ESS et Logement"
    assert "/CreationDate" not in metadata


def test_no_pdf_under_serve(project):
    """`mkdocs serve` skips the PDFs: run the hook as serve does (on_startup('serve'))."""
    script = textwrap.dedent(
        """
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        config = load_config("mkdocs.yml")
        config.plugins.on_startup(command="serve", dirty=False)
        build(config, serve_url="http://127.0.0.1:8000/")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=project.root, capture_output=True, text=True, env=ENV)
    assert result.returncode == 0, result.stderr
    assert (project.site / "formations/logement/index.html").is_file()
    assert not list(project.site.rglob("*.pdf"))
    assert not content(page(project.site, "formations/logement/")).cssselect("a.esskb-pdf-link")


def test_without_weasyprint_the_build_says_so_once_and_builds_the_html(project, tmp_path):
    """A machine without Pango: importing WeasyPrint raises OSError, as cffi does there."""
    shadow = tmp_path / "no-pango" / "weasyprint"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise OSError(\"cannot load library 'libpango-1.0-0': not found\")\n")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project.root, capture_output=True, text=True,
        env={**ENV, "PYTHONPATH": str(shadow.parent)}, timeout=600,
    )
    assert result.returncode == 0, result.stderr
    lines = [l for l in (result.stdout + result.stderr).splitlines() if "WeasyPrint" in l]
    assert len(lines) == 1 and "libpango-1.0-0" in lines[0] and "le site HTML est construit" in lines[0], lines
    assert "Traceback" not in result.stderr
    assert (project.site / "formations/logement/index.html").is_file()
    assert not list(project.site.rglob("*.pdf"))
    assert {d["pdf"] for d in kb(project.site)["dossiers"]} == {None}
    assert not content(page(project.site, "formations/logement/")).cssselect("a.esskb-pdf-link")


PROBE = textwrap.dedent(
    """
    import logging, sys
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    from esskb import pdf
    pdf.start_probe()
    assert pdf._probe is not None, "no probe started"
    first, again = pdf.usable(), pdf.usable()
    assert first == again
    print("usable" if first else "not usable", "imported here" if "weasyprint" in sys.modules else "not imported here", pdf.probe_seconds > 0)
    """
)


@pytest.mark.parametrize("pango", [True, False])
def test_whether_weasyprint_runs_is_found_out_in_another_process(tmp_path, pango):
    """The build asks a forked process (its import took 0.6 to 0.8 s of the build's time); the
    answer is the import's, the build's process never imports WeasyPrint, and a machine
    without Pango is told once."""
    if pango and not weasyprint_runs():
        pytest.skip("WeasyPrint ne fonctionne pas sur cette machine")
    env = {**ENV, "PYTHONPATH": str(ROOT / "hooks")}
    if not pango:
        shadow = tmp_path / "no-pango" / "weasyprint"
        shadow.mkdir(parents=True)
        (shadow / "__init__.py").write_text("raise OSError(\"cannot load library 'libpango-1.0-0': not found\")\n")
        env["PYTHONPATH"] = os.pathsep.join([str(shadow.parent), env["PYTHONPATH"]])
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == ("usable" if pango else "not usable") + " not imported here True"
    told = [line for line in result.stderr.splitlines() if "WeasyPrint ne peut pas fonctionner" in line]
    assert len(told) == (0 if pango else 1), result.stderr
    assert pango or "libpango-1.0-0" in told[0]


CACHED = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from esskb import pdf
    pdf.CACHE_DIR = Path(sys.argv[1])
    pdf.start_probe()
    data = pdf.cached_pdf("<h1>Dossier</h1>", "https://example.org/")
    print(data[:5].decode(), "imported" if "weasyprint" in sys.modules else "not imported")
    """
)


@needs_pdf
def test_a_pdf_the_cache_holds_needs_no_weasyprint_import(tmp_path):
    """The build's processes import WeasyPrint only to print a PDF the cache lacks."""
    env = {**ENV, "PYTHONPATH": str(ROOT / "hooks")}
    runs = [
        subprocess.run([sys.executable, "-c", CACHED, str(tmp_path / "cache")], cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
    assert [r.stdout.strip() for r in runs] == ["%PDF- imported", "%PDF- not imported"]


# -- esskb dossier --------------------------------------------------------------------------


def test_custom_dossier_command_on_a_selection(project, tmp_path):
    out = tmp_path / "choix" / "dossier.html"
    result = project.esskb("dossier", "--fiche", "2", "--case", "bretagne-habitat", "--theme", "Déchets", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "Dossier écrit" in result.stdout
    doc = parse(out)
    text = text_of(doc)
    assert doc.cssselect("title")[0].text == "Formation croisée : ESS et Déchets"
    for body in (FICHE2_TEXT, HABITAT_TEXT, FICHE7_TEXT, RESSOURCERIE_TEXT):  # chosen, and the theme's
        assert body in text, body
    assert FICHE1_TEXT not in text and GARAGE_TEXT not in text
    # self-contained: styles inline (print rules included), links absolute against site_url
    assert not doc.cssselect('link[rel="stylesheet"]')
    assert "@page" in "".join(s.text_content() for s in doc.cssselect("style"))
    hrefs = [a.get("href") for a in doc.iter("a") if a.get("href")]
    assert "https://example.org/esskb/fiches/07-reemploi/" in hrefs
    assert all(h.startswith(("https://", "#")) for h in hrefs), hrefs


@needs_pdf
def test_custom_dossier_command_writes_a_pdf(project, tmp_path):
    out = tmp_path / "dossier.pdf"
    result = project.esskb("dossier", "--fiche", "7", "--case", "bretagne-garage", "--title", "Atelier réemploi", "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert "Atelier réemploi" in text and "Réemploi et déchets" in text and "Un garage solidaire" in text


def test_custom_dossier_command_explains_what_is_wrong(project, tmp_path):
    text = (project.root / "fiches/07-reemploi.md").read_text()
    project.write("fiches/07-reemploi.md", text.replace("date: 2026-04-01", "date: 2026-04-01\ndraft: true"))
    result = project.esskb("dossier", "--fiche", "6", "--fiche", "7", "--fiche", "3", "--case", "bretagne-habita",
                           "--theme", "dechet", "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 5 and all(e.startswith("esskb dossier : ") for e in errors)
    assert "fiche n° 6 inconnue ; vouliez-vous dire « 2 » ?" in errors[0]  # 7 is a draft: not proposed
    assert "la fiche n° 7 est un brouillon" in errors[1]
    assert "la fiche n° 3 est à paraître" in errors[2]
    assert "cas pratique « bretagne-habita » inconnu ; vouliez-vous dire « bretagne-habitat » ?" in errors[3]
    assert "thème « dechet » inconnu ; vouliez-vous dire « dechets » ?" in errors[4]
    assert not (tmp_path / "x.pdf").exists()
    wrong = project.esskb("dossier", "--fiche", "1", "-o", str(tmp_path / "x.docx"))
    assert wrong.returncode == 2 and "doit finir par .pdf ou .html" in wrong.stderr
    help_text = project.esskb("dossier", "--help").stdout
    assert "Exemples" in help_text and "--fiche 5 --case corse-transversalite --theme culture -o dossier.pdf" in help_text


# -- print media in a real browser ----------------------------------------------------------


@contextlib.contextmanager
def serving(folder: Path):
    """The built site over HTTP (Material shows its search only there, not from file://)."""

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


# Run in its own process: another module may hold a session-wide Playwright in this one.
PRINT_CHECK = textwrap.dedent("""
    import json, sys
    from playwright.sync_api import sync_playwright
    base = sys.argv[1]
    chrome = json.loads(sys.argv[2])
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"], headless=True)
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        tab.goto(base + "formations/logement/", wait_until="load")
        found["screen"] = {s: tab.locator(s).first.is_visible() for s in chrome}
        tab.emulate_media(media="print")
        found["print"] = {s: tab.locator(s).first.is_visible() for s in chrome}
        found["breaks"] = tab.eval_on_selector_all(".esskb-dossier-item", "els => els.map(e => getComputedStyle(e).breakBefore)")
        found["after"] = tab.eval_on_selector('a[href="https://example.org/guide"]', "a => getComputedStyle(a, '::after').content")
        tab.goto(base + "fiches/01-habitat-participatif/", wait_until="load")
        found["fiche"] = {s: tab.locator(s).first.is_visible() for s in chrome[:3]}
        browser.close()
    print(json.dumps(found))
""")


def test_print_media_hides_the_chrome_and_breaks_pages(built_fixture):
    if not Path("/usr/bin/chromium").exists() and not os.environ.get("CI"):
        pytest.skip("/usr/bin/chromium absent (apt-get install chromium, ou lancez .ci/run)")
    chrome = ["nav.md-nav--primary", ".md-search", ".md-header", ".md-sidebar--secondary", ".esskb-breadcrumb"]
    chrome += [".esskb-pdf-link"] if weasyprint_runs() else []  # the download button: on screen only
    with serving(built_fixture.site) as base:
        result = subprocess.run([sys.executable, "-c", PRINT_CHECK, base, json.dumps(chrome)], capture_output=True, text=True, env=ENV, timeout=300)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["screen"] == {s: True for s in chrome}  # on screen, all there
    assert found["print"] == {s: False for s in chrome}  # printed, all gone
    assert found["fiche"] == {s: False for s in chrome[:3]}  # any page of the site
    assert found["breaks"] == ["page"] * 4  # each fiche and case on a new page
    assert "https://example.org/guide" in found["after"]  # the address after the link
