"""A build that never loses the site, gives the same bytes twice, and survives hostile content.

- ``make site`` builds into a staging folder: a failed build (bad content, a strict warning,
  a crash) leaves the last good ``site/`` byte for byte;
- two builds of the same input give byte-identical trees (sitemap and its gzip included);
- the hostile corpus of ``tests/hostile/`` (and a few files too big to keep in the
  repository, made here) is refused with clear messages or shown as harmless text.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from conftest import ENV, ROOT, Project

from esskb.corpus import load_corpus
from esskb.errors import ContentError

HOSTILE = ROOT / "tests" / "hostile"
BUILD_TIMEOUT = 300  # seconds: a build that takes longer has hung
PAYLOAD = "esskb-xss"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _copy_into(project: Project, source: Path) -> list[str]:
    added = []
    for path in sorted(source.rglob("*.md")):
        rel = path.relative_to(source).as_posix()
        project.write(rel, path.read_bytes())
        added.append(rel)
    return added


# -- the staging build of `make site` ------------------------------------------------------


def _make_site(project: Project) -> subprocess.CompletedProcess:
    """`make site` in the project, with the repository's .venv (never reinstalled here)."""
    venv = ROOT / ".venv"
    return subprocess.run(
        ["make", "-s", "site", f"VENV={venv}", "-o", str(venv / ".installed-stamp")],
        cwd=project.root, env=ENV, capture_output=True, text=True, timeout=BUILD_TIMEOUT,
    )


@pytest.mark.skipif(shutil.which("make") is None, reason="make est absent de cette machine")
def test_make_site_keeps_the_last_good_site_on_any_failure(project):
    shutil.copy(ROOT / "Makefile", project.root / "Makefile")
    good = _make_site(project)
    assert good.returncode == 0, good.stdout + good.stderr
    before = tree(project.site)
    assert "index.html" in before and "sitemap.xml" in before

    config = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    broken_link = "# Page\n\nVoir [la page absente](absente.md).\n"
    failures = {
        "contenu invalide": lambda: project.write("cases/bretagne-garage.md", project.root.joinpath("cases/bretagne-garage.md").read_text().replace("themes: [mobilite]", "themes: [mobilte]")),
        "avertissement strict": lambda: project.write("docs/lien-casse.md", broken_link),
        "plantage": lambda: (
            project.write("crash_hook.py", "def on_post_build(config):\n    raise RuntimeError('panne simulée après l’écriture des pages')\n"),
            project.write("mkdocs.yml", config.replace("hooks:\n", f"hooks:\n  - {project.root / 'crash_hook.py'}\n", 1)),
        ),
    }
    originals = {rel: (project.root / rel).read_bytes() for rel in ("cases/bretagne-garage.md", "mkdocs.yml")}
    for what, breaks in failures.items():
        breaks()
        failed = _make_site(project)
        assert failed.returncode != 0, what
        assert tree(project.site) == before, f"{what} : site/ a changé"
        assert not (project.root / ".site.new").exists() and not (project.root / ".site.old").exists(), what
        for rel, data in originals.items():  # back to good content
            (project.root / rel).write_bytes(data)
        (project.root / "docs/lien-casse.md").unlink(missing_ok=True)

    project.write("docs/nouvelle.md", "# Nouvelle page\n\nAjoutée après coup.\n")
    again = _make_site(project)
    assert again.returncode == 0, again.stdout + again.stderr
    assert (project.site / "nouvelle" / "index.html").is_file()
    assert not (project.root / ".site.new").exists() and not (project.root / ".site.old").exists()


# -- determinism -------------------------------------------------------------------------------


def test_two_builds_give_byte_identical_trees(project):
    """The second build also reads the templates the first one compiled (esskb.render's
    bytecode cache): same bytes."""
    cache = project.root / "template-cache"
    first = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project.root / "site-1")],
        cwd=project.root, env={**ENV, "ESSKB_CACHE_DIR": str(cache)}, capture_output=True, text=True, timeout=BUILD_TIMEOUT,
    )
    assert first.returncode == 0, first.stderr
    compiled = {p.name: p.stat().st_mtime_ns for p in cache.rglob("*.cache")}
    assert len(compiled) >= 10  # one file per template used
    # the second build as if on another day: MkDocs' build date comes from SOURCE_DATE_EPOCH
    second = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(project.root / "site-2")],
        cwd=project.root, env={**ENV, "SOURCE_DATE_EPOCH": "86400", "ESSKB_CACHE_DIR": str(cache)},
        capture_output=True, text=True, timeout=BUILD_TIMEOUT,
    )
    assert second.returncode == 0, second.stderr
    assert {p.name: p.stat().st_mtime_ns for p in cache.rglob("*.cache")} == compiled  # loaded, not compiled again
    one, two = tree(project.root / "site-1"), tree(project.root / "site-2")
    assert sorted(one) == sorted(two)
    assert [rel for rel in one if one[rel] != two[rel]] == []
    assert "sitemap.xml.gz" in one


def test_templates_render_without_a_writable_cache(tmp_path):
    """A cache folder that cannot be made (a file is in the way): templates are compiled
    in memory, as without a cache."""
    (tmp_path / "file").write_text("", encoding="utf-8")
    code = "from esskb.render import environment, compile_all; compile_all(); print(environment().bytecode_cache)"
    result = subprocess.run(
        [sys.executable, "-c", code], env={**ENV, "PYTHONPATH": str(ROOT / "hooks"), "ESSKB_CACHE_DIR": str(tmp_path / "file" / "cache")},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "None"


def test_sitemap_dates_come_from_the_content(built_fixture):
    corpus = load_corpus(built_fixture.root)
    site = built_fixture.site
    sitemap = lxml.etree.fromstring((site / "sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    dates = {u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns) for u in sitemap.findall("s:url", ns)}
    newest = max(item.last_change for item in corpus.published().items)
    base = "https://example.org/esskb/"
    for item in corpus.published().items:
        assert dates[base + item.url] == item.last_change.isoformat(), item.url
    assert dates[base] == newest.isoformat()
    raw = (site / "sitemap.xml.gz").read_bytes()
    (mtime,) = struct.unpack("<I", raw[4:8])
    assert dt.datetime.fromtimestamp(mtime, dt.timezone.utc).date() == newest
    assert gzip.decompress(raw) == (site / "sitemap.xml").read_bytes()


# -- hostile content -------------------------------------------------------------------------


def _generated_hostile(project: Project) -> dict[str, str]:
    """Hostile files too big to keep in the repository: path -> expected message."""
    fm = "---\nnumber: {n}\ntitle: {title}\ndescription: D.\nthemes: [logement]\ndate: 2026-01-01\n---\n\n"
    project.write("fiches/80-titre-long.md", fm.format(n=80, title="Très " * 2000) + "Texte.\n")
    body = "Les garages solidaires réparent les véhicules des personnes en insertion. " * 14 + "\n\n"
    project.write("fiches/81-enorme.md", fm.format(n=81, title="Corps de 10 Mo") + body * (10_000_000 // len(body.encode()) + 1))
    depth = 100_000
    project.write("fiches/82-imbrication-extreme.md", fm.format(n=82, title="[" * depth + "]" * depth))
    return {
        "fiches/80-titre-long.md:3:": "« title » fait 9999 caractères ; 200 au plus",
        "fiches/81-enorme.md:1:": "fichier trop volumineux (10,0 Mo) : 500 Ko au plus",
        "fiches/82-imbrication-extreme.md:3:": "YAML trop imbriqué",
    }


EXPECTED_REFUSALS = {
    "cases/balises-vocabulaire.md:4:": "région inconnue « <script>",
    "cases/balises-vocabulaire.md:7:": "thème inconnu « <iframe",
    "cases/balises-vocabulaire.md:8:": "terme inconnu « <img src=x onerror",
    "fiches/90-adresses-actives.md:11:": "adresse refusée « javascript:alert",
    "fiches/90-adresses-actives.md:15:": "adresse refusée « JavaScript:alert",
    "fiches/90-adresses-actives.md:19:": "adresse refusée « javascript:alert",
    "fiches/90-adresses-actives.md:23:": "adresse refusée « data:text/html",
    "fiches/90-adresses-actives.md:27:": "adresse refusée « vbscript:",
    "fiches/90-adresses-actives.md:31:": "adresse refusée « //evil.example",
    "fiches/91-bombe-alias.md:7:": "les ancres et alias YAML (& et *) ne sont pas acceptés",
    "fiches/92-imbrication.md:5:": "YAML trop imbriqué (plus de 12 niveaux)",
    "fiches/93-binaire.md:6:": "le fichier n'est pas encodé en UTF-8 (octet 0x89 invalide)",
    "fiches/94-latin1.md:3:": "le fichier n'est pas encodé en UTF-8 (octet 0xe9 invalide)",
    "fiches/95-octets-nuls.md:9:": "le fichier contient des octets binaires (caractère nul)",
    "fiches/96-gabarit.md:7:": "« template » doit être le nom d'un gabarit du thème",
}


def test_hostile_content_is_refused_with_clear_messages(project):
    project.build(check=True)
    before = tree(project.site)
    added = _copy_into(project, HOSTILE / "refused")
    expected = {**EXPECTED_REFUSALS, **_generated_hostile(project)}
    assert {key.split(":")[0] for key in EXPECTED_REFUSALS} == set(added)

    with pytest.raises(ContentError) as caught:
        load_corpus(project.root)
    problems = [str(p) for p in caught.value.problems]
    for where, message in expected.items():
        assert any(p.startswith(where) and message in p for p in problems), f"{where} {message} :\n" + "\n".join(problems)

    result = project.build()  # subprocess.run(timeout=600) in conftest: a hang fails the test
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "Traceback" not in output
    for where, message in expected.items():
        assert any(where in line and message in line for line in output.splitlines()), f"{where} {message}"
    assert tree(project.site) == before


def _live_markup(html_file: Path) -> list[str]:
    """Active markup carrying the payload: script or iframe elements, on* attributes, javascript: URLs."""
    doc = lxml.html.fromstring(html_file.read_bytes())
    found = []
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in ("script", "iframe", "object", "embed") and (PAYLOAD in (element.text or "") or PAYLOAD in (element.get("src") or "")):
            found.append(f"<{element.tag}>")
        for name, value in element.attrib.items():
            if name.lower().startswith("on") and PAYLOAD in value:
                found.append(f"{element.tag}[{name}]")
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                found.append(f"{element.tag}[{name}={value[:40]}]")
    return found


def test_hostile_text_is_shown_as_harmless_text(project):
    _copy_into(project, HOSTILE / "harmless")
    project.build(check=True)
    site = project.site
    pages = sorted(site.rglob("*.html"))
    assert [f"{p.relative_to(site)}: {found}" for p in pages if (found := _live_markup(p))] == []

    fiche = lxml.html.fromstring((site / "fiches/98-xss-partout/index.html").read_bytes())
    heading = fiche.cssselect("article h1")[0].text_content()
    assert "<script>alert('esskb-xss')</script>" in heading  # shown as text, as written
    assert "<script>alert('esskb-xss')</script>" in fiche.cssselect("title")[0].text_content()
    case = lxml.html.fromstring((site / "cas/xss-cas/index.html").read_bytes())
    assert "Porteur <script>alert('esskb-xss')</script>" in case.text_content()

    for feed in ("feed.xml",):
        if (site / feed).exists():
            lxml.etree.fromstring((site / feed).read_bytes())  # well-formed XML
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    titles = [doc["title"] for doc in index["docs"] if doc["location"].startswith("fiches/98-xss-partout/")]
    assert titles and all("<script" not in title for title in titles)  # Material renders them as HTML
    if (site / "kb.json").exists():
        kb = json.loads((site / "kb.json").read_text(encoding="utf-8"))
        (fiche98,) = [f for f in kb["fiches"] if f["number"] == 98]
        assert fiche98["title"].startswith("Titre <script>")  # JSON carries text as text


def test_a_template_missing_from_the_theme_is_a_clear_error(project):
    """MkDocs stops on a ``template`` naming no file with a Jinja traceback; the check names
    the file, the line and the closest template instead, before site/ is touched."""
    project.build(check=True)
    before = tree(project.site)
    case = project.root / "cases/bretagne-garage.md"
    case.write_text(case.read_text(encoding="utf-8").replace("date: 2026-02-10\n", "date: 2026-02-10\ntemplate: mian.html\n"), encoding="utf-8")
    expected = "cases/bretagne-garage.md:9: gabarit « mian.html » introuvable"

    result = project.build()
    output = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in output
    line = next(line for line in output.splitlines() if expected in line)
    assert "vouliez-vous dire « main.html » ?" in line
    assert tree(project.site) == before

    checked = project.esskb("check")
    assert checked.returncode == 1 and expected in checked.stdout + checked.stderr

    # a template of overrides/ or of Material is found
    case.write_text(case.read_text(encoding="utf-8").replace("template: mian.html", "template: main.html"), encoding="utf-8")
    project.build(check=True)
    assert project.esskb("check").returncode == 0


def test_theme_templates_are_every_html_file_outside_hidden_folders(tmp_path):
    """What a page's ``template`` may name: each theme folder's HTML files, nested ones by
    their path; hidden folders (Material's 14,000 ``.icons``) are not searched. Material's own
    templates are the same as a full search finds."""
    import material

    from esskb.settings import theme_templates

    for rel in ("main.html", "partials/nav.html", "partials/deep/x.html", ".icons/a.html", "assets/app.js"):
        (tmp_path / "theme" / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "theme" / rel).write_text("x", encoding="utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "page.html").write_text("x", encoding="utf-8")
    found = theme_templates([tmp_path / "theme", tmp_path / "other", tmp_path / "missing"])
    assert found == {"main.html", "partials/nav.html", "partials/deep/x.html", "page.html"}

    stock = Path(material.__file__).parent / "templates"
    assert theme_templates([stock]) == {p.relative_to(stock).as_posix() for p in stock.rglob("*.html")}


@pytest.mark.parametrize("size", [0, 1, 4096, 70_000, 600_000])
def test_content_files_are_read_whole(tmp_path, size):
    """``loading._read_bytes`` (a descriptor, its size, one read to the end) gives the file's
    bytes whatever its size, past one read's worth too; a folder is an ``OSError``."""
    from esskb.loading import _read_bytes

    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    path = tmp_path / "f.md"
    path.write_bytes(data)
    assert _read_bytes(str(path)) == data
    with pytest.raises(OSError):
        _read_bytes(str(tmp_path))
