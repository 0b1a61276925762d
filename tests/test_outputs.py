"""kb.json, the feeds and the newsletter block, from real builds, read by real clients:
feedparser for RSS, jsonschema for kb.json and JSON Feed 1.1, lxml and Python's HTML parser
for the fragment, Chromium for the copy button. A fixture with hostile titles and drafts is
built twice and compared byte for byte."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import jsonschema
import lxml.html
import pytest
import yaml
from htmlcheck import content, page, parse

from conftest import ENV, ROOT, Project, make_project

SITE_URL = "https://example.org/esskb/"  # site_url of the project's mkdocs.yml
SECTIONS = ("NOUVELLES FICHES", "NOUVEAUX CAS PRATIQUES", "MISES À JOUR")
WEB_SAFE_FONTS = {"arial", "helvetica", "sans-serif", "georgia", "times new roman", "serif", "verdana", "tahoma", "trebuchet ms", "courier new", "monospace"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

# The fixture corpus (tests/corpus), newest first by the later of date and updated.
FIXTURE_NEWEST = [
    "cas/occitanie-ressourcerie/",  # 2026-05-01
    "fiches/07-reemploi/",  # 2026-04-01
    "fiches/01-habitat-participatif/",  # 2026-01-10, updated 2026-03-01
    "cas/bretagne-garage/",  # 2026-02-10
    "fiches/02-mobilite-solidaire/",  # 2026-02-01
    "cas/bretagne-habitat/",  # 2026-01-15
]
FIXTURE_THEMES = {
    "logement": ["cas/occitanie-ressourcerie/", "fiches/01-habitat-participatif/", "fiches/02-mobilite-solidaire/", "cas/bretagne-habitat/"],
    "mobilite": ["cas/bretagne-garage/", "fiches/02-mobilite-solidaire/"],
    "dechets": ["cas/occitanie-ressourcerie/", "fiches/07-reemploi/"],
    "alimentation": [],
}

HOSTILE_TITLE = "<script>alert(1)</script> & <img src=x onerror=alert(1)>"
HOSTILE_DESCRIPTION = 'Une "description" ><script>alert(2)</script> <img src=y onerror=alert(2)>'
HOSTILE_CASE = "Cas <img src=z onerror=alert(3)>"
HOSTILE_ACTOR = "Acteur <b>gras</b> & co"
HOSTILE_LABEL = "Alimentation <b>bio</b>"
DRAFT_MARK = "ZZQX"  # in the drafts' titles and descriptions only

JSON_FEED_1_1 = {
    # https://www.jsonfeed.org/version/1.1/ as a schema; dates and URLs are checked by hand below
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string"},
        "feed_url": {"type": "string"},
        "description": {"type": "string"},
        "user_comment": {"type": "string"},
        "next_url": {"type": "string"},
        "icon": {"type": "string"},
        "favicon": {"type": "string"},
        "authors": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "url": {"type": "string"}, "avatar": {"type": "string"}}}},
        "language": {"type": "string"},
        "expired": {"type": "boolean"},
        "hubs": {"type": "array", "items": {"type": "object", "required": ["type", "url"]}},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string", "minLength": 1},
                    "url": {"type": "string"},
                    "external_url": {"type": "string"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "content_text": {"type": "string"},
                    "summary": {"type": "string"},
                    "image": {"type": "string"},
                    "banner_image": {"type": "string"},
                    "date_published": {"type": "string"},
                    "date_modified": {"type": "string"},
                    "authors": {"type": "array"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "language": {"type": "string"},
                    "attachments": {"type": "array"},
                },
            },
        },
    },
}


# -- helpers -----------------------------------------------------------------------


def build_into(project: Project, dest: Path) -> subprocess.CompletedProcess:
    """A real ``mkdocs build --strict`` into ``dest``; SOURCE_DATE_EPOCH pins MkDocs' own
    build date (sitemap lastmod, gzip mtime) so that no comparison depends on the clock."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest)],
        cwd=project.root, env={**ENV, "SOURCE_DATE_EPOCH": "1798675200"}, capture_output=True, text=True, timeout=600,
    )


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def fragment(text: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(text, create_parent="div")


def text_of(html_text: str) -> str:
    """What a browser shows for a piece of HTML."""
    return fragment(html_text).text_content()


def local_file(site: Path, url: str) -> Path:
    """The built file an absolute URL of the site points to."""
    assert url.startswith(SITE_URL), url
    rel = url[len(SITE_URL):]
    return site / rel / "index.html" if rel == "" or rel.endswith("/") else site / rel


def newsletter_sections(doc: lxml.html.HtmlElement) -> dict[str, list[str]]:
    """Section title -> the "Lire la suite" links under it, in order."""
    found: dict[str, list[str]] = {}
    current = None
    for row in doc.iter("tr"):
        label = row.text_content().strip()
        if label in SECTIONS:
            current = found.setdefault(label, [])
            continue
        for a in row.iter("a"):
            if a.text_content().strip() == "Lire la suite":
                assert current is not None, "an item before any section"
                current.append(a.get("href"))
    return found


def absolute(urls: list[str]) -> list[str]:
    return [SITE_URL + u for u in urls]


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else '-'}> at {self.getpos()}")
        else:
            self.stack.pop()


def unbalanced(text: str) -> list[str]:
    parser = _Balance()
    parser.feed(text)
    parser.close()
    return parser.problems + [f"<{tag}> never closed" for tag in parser.stack]


def injected(doc: lxml.html.HtmlElement) -> list[str]:
    """Markup that came out of content as markup: script elements or event attributes
    carrying the probes' alert(), and the probes' <b> tags; iframe srcdoc documents too."""
    found = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "script" and "alert(" in (el.text or "").lower():
            found.append(lxml.html.tostring(el, encoding="unicode")[:120])
        if el.tag == "img" and el.get("src", "").lower() in ("x", "y", "z"):
            found.append(lxml.html.tostring(el, encoding="unicode")[:120])
        if el.tag == "b" and el.text_content().lower() in ("gras", "bio"):
            found.append(lxml.html.tostring(el, encoding="unicode")[:120])
        for name, value in el.attrib.items():
            if name.lower().startswith("on") and "alert" in value.lower():
                found.append(f"{el.tag} {name}={value}")
        if el.tag == "iframe" and el.get("srcdoc"):
            found += injected(fragment(el.get("srcdoc")))
    return found


def kb(site: Path) -> dict:
    return json.loads(read(site, "kb.json"))


# -- the hostile fixture: markup in titles, drafts, a smaller newsletter ---------------


def _front(meta: dict, body: str = "Corps du texte.") -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + body + "\n"


def write_hostile(project: Project) -> None:
    project.write("fiches/08-hostile.md", _front({
        "number": 8, "title": HOSTILE_TITLE, "description": HOSTILE_DESCRIPTION,
        "themes": ["alimentation"], "date": dt.date(2026, 6, 1),
    }))
    project.write("cases/hostile-cas.md", _front({
        "title": HOSTILE_CASE, "description": "Desc <script>alert(4)</script>", "region": "bretagne",
        "actor": HOSTILE_ACTOR, "fiches": [8, 10], "themes": ["alimentation"], "date": dt.date(2026, 6, 2),
    }))
    project.write("fiches/10-brouillon.md", _front({
        "number": 10, "title": f"Brouillon {DRAFT_MARK}", "description": f"Pas encore publié {DRAFT_MARK}.",
        "themes": ["alimentation"], "date": dt.date(2026, 7, 1), "draft": True,
    }))
    project.write("cases/brouillon-cas.md", _front({
        "title": f"Cas {DRAFT_MARK}", "description": f"Brouillon {DRAFT_MARK}.", "region": "corse",
        "actor": f"Porteur {DRAFT_MARK}", "fiches": [10], "themes": ["alimentation"], "date": dt.date(2026, 7, 2), "draft": True,
    }))
    themes = read(project.root, "data/themes.yml")
    project.write("data/themes.yml", themes.replace("label: Alimentation", f'label: "{HOSTILE_LABEL}"'))
    config = read(project.root, "mkdocs.yml")
    assert "newsletter_items: 10" in config
    project.write("mkdocs.yml", config.replace("newsletter_items: 10", "newsletter_items: 3"))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = make_project(tmp_path_factory.mktemp("hostile") / "proj")
    write_hostile(project)
    result = build_into(project, project.site)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


# -- kb.json -----------------------------------------------------------------------


def validate_kb(site: Path) -> dict:
    data = kb(site)
    schema = json.loads(read(site, "kb.schema.json"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER).validate(data)
    # the published schema is the one shipped in the package, named by its address
    shipped = json.loads((ROOT / "hooks/esskb/assets/kb.schema.json").read_text(encoding="utf-8"))
    assert schema == {**shipped, "$id": SITE_URL + "kb.schema.json"}
    # lists sorted, references resolved, every url a built page
    assert [f["number"] for f in data["fiches"]] == sorted(f["number"] for f in data["fiches"])
    assert [c["slug"] for c in data["cases"]] == sorted(c["slug"] for c in data["cases"])
    themes = {t["slug"] for t in data["themes"]}
    numbers = {f["number"] for f in data["fiches"]} | {p["number"] for p in data["planned"]}
    for item in data["fiches"] + data["cases"]:
        assert set(item["themes"]) <= themes, item["url"]
        assert (site / item["url"] / "index.html").is_file(), item["url"]
    for case in data["cases"]:
        assert set(case["fiches"]) <= numbers and case["region"] in {r["slug"] for r in data["regions"]}
    for entry in data["themes"] + data["regions"]:
        assert (site / entry["url"] / "index.html").is_file(), entry["url"]
    for dossier in data["dossiers"]:
        assert (site / dossier["url"] / "index.html").is_file(), dossier["url"]
        assert dossier["pdf"] is None or (site / dossier["pdf"]).is_file(), dossier["pdf"]
    return data


def test_kb_json_of_the_fixture_matches_its_schema_and_the_contract(built_fixture):
    data = validate_kb(built_fixture.site)
    assert data["version"] == 1 and data["site_url"] == SITE_URL
    assert [f["number"] for f in data["fiches"]] == [1, 2, 7]
    assert [c["slug"] for c in data["cases"]] == ["bretagne-garage", "bretagne-habitat", "occitanie-ressourcerie"]
    assert data["planned"] == [{"number": 3, "title": "Les mobilités solidaires en milieu rural"}, {"number": 9, "title": "Le réemploi dans les lycées"}]
    fiche1 = data["fiches"][0]
    assert fiche1 == {
        "number": 1, "title": "Habitat participatif et ESS", "description": "Soutenir l'habitat participatif porté par des coopératives.",
        "url": "fiches/01-habitat-participatif/", "themes": ["logement"], "schemes": ["SRADDET"], "see_also": [2, 9],
        "cases": ["bretagne-habitat"], "date": "2026-01-10", "updated": "2026-03-01",
    }
    garage = data["cases"][0]
    assert garage["year"] is None and garage["schemes"] == [] and garage["updated"] is None and garage["fiches"] == [2]
    logement = next(t for t in data["themes"] if t["slug"] == "logement")
    assert logement["fiches"] == [1, 2] and logement["cases"] == ["bretagne-habitat", "occitanie-ressourcerie"]
    assert len(data["regions"]) == 18


def test_kb_json_of_the_bundled_content_matches_its_schema(built_bundled):
    data = validate_kb(built_bundled.site)
    assert [f["number"] for f in data["fiches"]] == [5] and len(data["cases"]) == 4


def test_kb_schema_rejects_what_breaks_the_contract(built_fixture):
    schema = json.loads(read(built_fixture.site, "kb.schema.json"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
    good = kb(built_fixture.site)
    assert validator.is_valid(good)
    for breakage in (
        lambda d: d["fiches"][0].pop("title"),
        lambda d: d["fiches"][0].update(updated="1er mars"),
        lambda d: d["cases"][0].update(url="/cas/bretagne-garage/"),
        lambda d: d["cases"][0].update(extra=1),
        lambda d: d.pop("dossiers"),
        lambda d: d["regions"][0].update(insee=84),
    ):
        broken = json.loads(json.dumps(good))
        breakage(broken)
        assert not validator.is_valid(broken)


# -- feeds -------------------------------------------------------------------------


def test_rss_feed_reads_in_feedparser_newest_first_with_absolute_links(built_fixture):
    site = built_fixture.site
    parsed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20" and parsed.feed.language == "fr"
    assert parsed.feed.link == SITE_URL
    assert parsed.feed.title == "Base de connaissances ESS"
    assert [e.link for e in parsed.entries] == absolute(FIXTURE_NEWEST)
    data = kb(site)
    items = {i["url"]: i for i in data["fiches"] + data["cases"]}
    labels = {t["slug"]: t["label"] for t in data["themes"]}
    for entry in parsed.entries:
        item = items[entry.link[len(SITE_URL):]]
        assert entry.id == entry.link and local_file(site, entry.link).is_file()
        assert text_of(entry.title) == item["title"] and text_of(entry.summary) == item["description"]
        assert [t.term for t in entry.tags] == [labels[s] for s in item["themes"]]
        assert dt.date(*entry.published_parsed[:3]).isoformat() == item["date"]
    # the feed's date is the newest item's, not the clock's
    assert parsed.feed.updated_parsed[:3] == (2026, 5, 1)


def test_json_feed_follows_json_feed_1_1(built_fixture):
    site = built_fixture.site
    feed = json.loads(read(site, "feed.json"))
    jsonschema.Draft202012Validator(JSON_FEED_1_1).validate(feed)
    assert feed["feed_url"] == SITE_URL + "feed.json" and feed["home_page_url"] == SITE_URL
    assert [i["url"] for i in feed["items"]] == absolute(FIXTURE_NEWEST)
    assert len({i["id"] for i in feed["items"]}) == len(feed["items"])
    for item in feed["items"]:
        assert urlsplit(item["url"]).scheme == "https" and local_file(site, item["url"]).is_file()
        for key in ("date_published", "date_modified"):
            if key in item:  # RFC 3339: full date, "T", time, offset
                moment = dt.datetime.fromisoformat(item[key])
                assert item[key][10] == "T" and moment.tzinfo is not None
    fiche1 = next(i for i in feed["items"] if i["url"].endswith("fiches/01-habitat-participatif/"))
    assert fiche1["date_published"].startswith("2026-01-10") and fiche1["date_modified"].startswith("2026-03-01")
    assert fiche1["tags"] == ["Logement"] and fiche1["content_text"] == fiche1["summary"] == "Soutenir l'habitat participatif porté par des coopératives."


def test_one_feed_per_theme_even_empty(built_fixture):
    site = built_fixture.site
    for slug, urls in FIXTURE_THEMES.items():
        parsed = feedparser.parse((site / "themes" / slug / "feed.xml").read_bytes())
        assert not parsed.bozo, (slug, parsed.get("bozo_exception"))
        assert [e.link for e in parsed.entries] == absolute(urls), slug
        assert parsed.feed.link == SITE_URL + f"themes/{slug}/"


def alternates(site: Path, html_file: Path) -> dict[str, set[str]]:
    """type -> absolute URLs of a page's ``<link rel="alternate">``, resolved as a browser does."""
    here = SITE_URL + html_file.parent.relative_to(site).as_posix() + "/"
    found: dict[str, set[str]] = {}
    for link in parse(html_file).cssselect("head link[rel=alternate]"):
        found.setdefault(link.get("type"), set()).add(urljoin(here.replace("/./", "/"), link.get("href")))
    return found


def test_every_page_announces_the_feeds(built_fixture):
    site = built_fixture.site
    pages = [p for p in site.rglob("*.html") if p.parent.name != "newsletter" or p.name == "index.html"]
    assert len(pages) > 30
    for html_file in pages:
        found = alternates(site, html_file)
        assert SITE_URL + "feed.xml" in found.get("application/rss+xml", ()), html_file
        assert SITE_URL + "feed.json" in found.get("application/feed+json", ()), html_file
        # Material fetches sitemap.xml beside every alternate link: it must be there
        assert all((site / urljoin(url, "sitemap.xml")[len(SITE_URL):]).is_file() for urls in found.values() for url in urls), html_file


# -- the newsletter block ---------------------------------------------------------------


def test_fragment_is_email_safe_with_the_newest_items(built_fixture):
    site = built_fixture.site
    text = read(site, "newsletter/fragment.html")
    assert unbalanced(text) == []
    doc = fragment(text)
    tags = {el.tag for el in doc.iter() if isinstance(el.tag, str)}
    assert not tags & {"script", "style", "link", "iframe", "form", "object", "embed", "svg"}
    assert "<style" not in text.lower() and "<script" not in text.lower()
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        assert "class" not in el.attrib, el.tag
        assert not [a for a in el.attrib if a.lower().startswith("on")], el.tag
        if el.tag == "img":
            assert el.get("alt") is not None and el.get("src", "").startswith("https://")
        for part in el.get("style", "").split(";"):
            if part.strip().startswith("font-family"):
                fonts = {f.strip().strip("'\"").lower() for f in part.split(":", 1)[1].split(",")}
                assert fonts <= WEB_SAFE_FONTS, fonts
    table = doc[0]
    assert table.tag == "table" and table.get("width") == "600" and "width:600px" in table.get("style")
    hrefs = [a.get("href") for a in doc.iter("a")]
    assert hrefs and all(h.startswith(SITE_URL) and local_file(site, h).is_file() for h in hrefs)
    # default: the newest 10, i.e. the whole fixture; fiche 1 was published before the
    # oldest of them (bretagne-habitat, 15 January) and updated in March: an update
    assert newsletter_sections(doc) == {
        "NOUVELLES FICHES": absolute(["fiches/07-reemploi/", "fiches/02-mobilite-solidaire/"]),
        "NOUVEAUX CAS PRATIQUES": absolute(["cas/occitanie-ressourcerie/", "cas/bretagne-garage/", "cas/bretagne-habitat/"]),
        "MISES À JOUR": absolute(["fiches/01-habitat-participatif/"]),
    }
    shown = doc.text_content()
    assert "Quoi de neuf – mai 2026" in shown
    assert "RESSOURCERIE RÉGIONALE" in shown and "UNE COOPÉRATIVE D'HABITANTS EN BRETAGNE" in shown
    assert "Cas pratique · Occitanie" in shown and "Fiche n° 2 · Mobilité, Logement" in shown
    assert "mise à jour le 1er mars 2026" in shown


def test_fragment_text_is_plain_text_with_the_same_items(built_fixture):
    site = built_fixture.site
    text = read(site, "newsletter/fragment.txt")
    assert "<" not in text and "&#" not in text and "&amp;" not in text
    assert text.startswith("Quoi de neuf – mai 2026\n" + "=" * len("Quoi de neuf – mai 2026") + "\n")
    for title in SECTIONS:
        assert f"\n{title}\n" in text
    links = [line.split(" : ", 1)[1] for line in text.splitlines() if line.startswith("Lire la suite : ")]
    assert sorted(links) == sorted(absolute(FIXTURE_NEWEST))
    assert "UNE COOPÉRATIVE D'HABITANTS EN BRETAGNE" in text
    assert all(len(line) <= 72 for line in text.splitlines() if "https://" not in line)


def test_widget_is_self_contained_and_lists_the_latest(built_fixture):
    site = built_fixture.site
    text = read(site, "newsletter/widget.html")
    doc = lxml.html.fromstring(text)
    assert doc.get("lang") == "fr" and not doc.cssselect("script, link[rel=stylesheet], img, iframe")
    assert not [el for el in doc.iter() if isinstance(el.tag, str) and el.get("src")]
    assert "url(" not in text and "@import" not in text
    items = [li.cssselect("a")[0].get("href") for li in doc.cssselect("li")]
    assert items == absolute(FIXTURE_NEWEST)
    assert all(a.get("href").startswith(SITE_URL) for a in doc.iter("a"))


def test_newsletter_page_previews_the_block_in_the_site(built_fixture):
    site = built_fixture.site
    doc = page(site, "newsletter/")
    frag, txt = read(site, "newsletter/fragment.html"), read(site, "newsletter/fragment.txt")
    assert doc.cssselect("form[name=search]") and doc.cssselect("nav.md-nav--primary")
    active = [a.text_content().strip() for a in doc.cssselect("nav.md-nav--primary a.md-nav__link--active")]
    assert "Lettre d'information" in active
    body = content(doc)
    assert body.cssselect("iframe")[0].get("srcdoc") == frag
    buttons = {b.text_content().strip(): b.get("data-clipboard-text") for b in body.cssselect("button")}
    assert buttons == {"Copier le code HTML": frag, "Copier la version texte": txt}
    assert [c.text_content() for c in body.cssselect("details pre code")] == [frag, txt]
    headings = [h.text_content().rstrip("¶").strip() for h in body.cssselect("h2")]
    assert "Mode d'emploi" in headings and "Sur le site d'un partenaire" in headings
    feeds = {a.text_content(): a.get("href") for a in body.iter("a")}
    assert feeds["Mobilité"] == SITE_URL + "themes/mobilite/feed.xml"
    assert body.cssselect("[data-search-exclude]")  # the HTML source stays out of the search index


COPY_SCRIPT = """
import functools, http.server, json, sys, threading
from playwright.sync_api import sync_playwright
site, chromium = sys.argv[1], sys.argv[2]
handler = type("Quiet", (http.server.SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=site))
origin = f"http://127.0.0.1:{server.server_address[1]}"
threading.Thread(target=server.serve_forever, daemon=True).start()
with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"], headless=True)
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=origin)
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.goto(origin + "/newsletter/")
    tab.get_by_role("button", name="Copier le code HTML").click()
    tab.locator(".md-dialog--active").wait_for()  # Material's "copied" toast
    copied = tab.evaluate("navigator.clipboard.readText()")
    width = tab.frame_locator("iframe").locator("table").first.evaluate("t => t.getBoundingClientRect().width")
    browser.close()
server.shutdown()
print(json.dumps({"copied": copied, "width": width, "errors": errors}))
"""


def test_copy_button_copies_the_fragment_in_a_browser(built_fixture):
    """Chromium clicks the button and reads the clipboard. In its own process: a session-wide
    sync Playwright (tests/test_browser.py) forbids a second one in this process."""
    pytest.importorskip("playwright.sync_api")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip("no Chromium on this machine")
    site = built_fixture.site
    run = subprocess.run([sys.executable, "-c", COPY_SCRIPT, str(site), chromium], capture_output=True, text=True, timeout=300, env=ENV)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["copied"] == read(site, "newsletter/fragment.html")
    assert seen["width"] == 600  # the preview shows the block at its email width
    assert seen["errors"] == []


def test_newsletter_items_come_from_mkdocs_yml_and_drafts_stay_out(hostile):
    doc = fragment(read(hostile.site, "newsletter/fragment.html"))
    # newsletter_items: 3 -> the two hostile items (June) and the Occitanie case (May);
    # the drafts of July are newer but never published
    assert newsletter_sections(doc) == {
        "NOUVELLES FICHES": absolute(["fiches/08-hostile/"]),
        "NOUVEAUX CAS PRATIQUES": absolute(["cas/hostile-cas/", "cas/occitanie-ressourcerie/"]),
    }


# -- safety: hostile titles, drafts, determinism ------------------------------------------


def test_hostile_titles_stay_text_in_every_page(hostile):
    site = hostile.site
    for html_file in sorted(site.rglob("*.html")):
        assert injected(parse(html_file)) == [], html_file
    doc = page(site, "fiches/08-hostile/")
    assert content(doc).cssselect("h1")[0].text_content().rstrip("¶") == HOSTILE_TITLE
    assert doc.cssselect("title")[0].text_content().startswith(HOSTILE_TITLE + " - ")
    assert doc.cssselect("meta[name=description]")[0].get("content") == HOSTILE_DESCRIPTION
    assert doc.cssselect("[data-md-component=header-topic]")[0].text_content().strip() == HOSTILE_TITLE
    assert not doc.cssselect("meta[property^='og:'], meta[name^='twitter:']")  # no social tags to check
    case = page(site, "cas/hostile-cas/")
    assert case.cssselect("title")[0].text_content().startswith(HOSTILE_CASE + " - ")
    assert HOSTILE_ACTOR in content(case).text_content()


def test_hostile_titles_stay_text_in_feeds_and_json(hostile):
    site = hostile.site
    rss = feedparser.parse((site / "feed.xml").read_bytes())
    assert not rss.bozo
    entry = next(e for e in rss.entries if e.link.endswith("fiches/08-hostile/"))
    # RSS readers treat title and description as HTML: shown, it is the title as written
    assert text_of(entry.title) == HOSTILE_TITLE and text_of(entry.summary) == HOSTILE_DESCRIPTION
    assert not fragment(entry.title).cssselect("script, img") and not fragment(entry.summary).cssselect("script, img")
    assert [t.term for t in entry.tags] == [HOSTILE_LABEL]
    theme = feedparser.parse((site / "themes/alimentation/feed.xml").read_bytes())
    assert not theme.bozo and text_of(theme.entries[1].title) == HOSTILE_TITLE
    feed = json.loads(read(site, "feed.json"))
    item = next(i for i in feed["items"] if i["url"].endswith("fiches/08-hostile/"))
    assert item["title"] == HOSTILE_TITLE and item["summary"] == HOSTILE_DESCRIPTION and item["tags"] == [HOSTILE_LABEL]
    data = validate_kb(site)
    assert next(f for f in data["fiches"] if f["number"] == 8)["title"] == HOSTILE_TITLE
    case = next(c for c in data["cases"] if c["slug"] == "hostile-cas")
    assert case["title"] == HOSTILE_CASE and case["actor"] == HOSTILE_ACTOR
    assert next(t for t in data["themes"] if t["slug"] == "alimentation")["label"] == HOSTILE_LABEL


def test_hostile_titles_stay_text_in_the_newsletter_block(hostile):
    site = hostile.site
    block = fragment(read(site, "newsletter/fragment.html"))
    shown = block.text_content()
    assert HOSTILE_TITLE.upper() in shown and HOSTILE_DESCRIPTION in shown and HOSTILE_CASE.upper() in shown
    assert injected(block) == []
    widget = lxml.html.fromstring(read(site, "newsletter/widget.html"))
    assert HOSTILE_TITLE in widget.text_content() and injected(widget) == []
    text = " ".join(read(site, "newsletter/fragment.txt").split())  # unwrapped
    assert HOSTILE_TITLE.upper() in text and HOSTILE_DESCRIPTION in text  # plain text: as written


def test_hostile_titles_stay_text_in_the_search_index(hostile):
    index = json.loads(read(hostile.site, "search/search_index.json"))
    mine = [d for d in index["docs"] if d["location"].startswith(("fiches/08-hostile/", "cas/hostile-cas/"))]
    assert mine
    for doc in mine:  # titles in the index are HTML (Material renders them as such)
        assert not fragment(doc["title"]).cssselect("script, img"), doc["title"]


def test_drafts_appear_in_no_output(hostile):
    site = hostile.site
    for path in sorted(site.rglob("*")):
        if path.suffix in {".html", ".xml", ".json", ".txt", ".md"}:
            assert DRAFT_MARK not in path.read_text(encoding="utf-8"), path
    assert not (site / "fiches/10-brouillon").exists() and not (site / "cas/brouillon-cas").exists()
    data = kb(site)
    assert 10 not in {f["number"] for f in data["fiches"]}
    assert next(c for c in data["cases"] if c["slug"] == "hostile-cas")["fiches"] == [8]  # the draft's number is dropped
    assert "brouillon-cas" not in json.dumps(data)
    for feed in ("feed.xml", "feed.json", "themes/alimentation/feed.xml"):
        text = read(site, feed)
        assert "brouillon" not in text, feed


def test_serve_preview_shows_drafts_but_keeps_them_out_of_what_leaves_the_site(project):
    """Under ``mkdocs serve`` a draft has its page, but an editor copying the newsletter block
    or a tool reading kb.json from the preview never gets it. Runs the hook as serve does."""
    project.write("fiches/10-brouillon.md", _front({
        "number": 10, "title": f"Brouillon {DRAFT_MARK}", "description": "Pas publié.",
        "themes": ["logement"], "date": dt.date(2026, 7, 1), "draft": True,
    }))
    script = (
        "from mkdocs.commands.build import build\n"
        "from mkdocs.config import load_config\n"
        "config = load_config('mkdocs.yml')\n"
        "config.plugins.on_startup(command='serve', dirty=False)\n"
        "build(config, serve_url='http://127.0.0.1:8000/')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=project.root, env=ENV, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert DRAFT_MARK in read(project.site, "fiches/10-brouillon/index.html")
    for rel in ("kb.json", "feed.xml", "feed.json", "themes/logement/feed.xml", "newsletter/fragment.html",
                "newsletter/fragment.txt", "newsletter/widget.html", "newsletter/index.html"):
        assert DRAFT_MARK not in read(project.site, rel), rel


def test_two_builds_are_byte_identical(hostile, tmp_path):
    again = tmp_path / "again"
    result = build_into(hostile, again)
    assert result.returncode == 0, result.stderr
    first = {p.relative_to(hostile.site).as_posix(): p.read_bytes() for p in hostile.site.rglob("*") if p.is_file()}
    second = {p.relative_to(again).as_posix(): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert sorted(first) == sorted(second)
    assert {"kb.json", "kb.schema.json", "feed.xml", "feed.json", "newsletter/fragment.html", "newsletter/widget.html"} <= set(first)
    assert [rel for rel in first if first[rel] != second[rel]] == []


# -- esskb newsletter --------------------------------------------------------------------


def test_newsletter_command_prints_an_issue_for_a_date_range(project):
    project.write("fiches/10-brouillon.md", _front({
        "number": 10, "title": f"Brouillon {DRAFT_MARK}", "description": "Pas publié.",
        "themes": ["logement"], "date": dt.date(2026, 3, 10), "draft": True,
    }))
    result = project.esskb("newsletter", "--since", "2026-03-01", "--until", "2026-04-30")
    assert result.returncode == 0, result.stderr
    doc = fragment(result.stdout)
    assert newsletter_sections(doc) == {
        "NOUVELLES FICHES": absolute(["fiches/07-reemploi/"]),
        "MISES À JOUR": absolute(["fiches/01-habitat-participatif/"]),
    }
    assert "Quoi de neuf – avril 2026" in doc.text_content() and DRAFT_MARK not in result.stdout
    assert unbalanced(result.stdout) == [] and not (project.root / "site").exists()  # no build

    february = project.esskb("newsletter", "--since", "2026-02-01", "--until", "2026-02-28", "--format", "txt")
    assert february.returncode == 0, february.stderr
    links = [line.split(" : ", 1)[1] for line in february.stdout.splitlines() if line.startswith("Lire la suite : ")]
    assert links == absolute(["fiches/02-mobilite-solidaire/", "cas/bretagne-garage/"])
    assert "\nMISES À JOUR\n" not in february.stdout and "<" not in february.stdout

    other = project.esskb("newsletter", "--since", "2026-05-01", "--site-url", "https://www.exemple.org/base")
    assert newsletter_sections(fragment(other.stdout)) == {"NOUVEAUX CAS PRATIQUES": ["https://www.exemple.org/base/cas/occitanie-ressourcerie/"]}

    empty = project.esskb("newsletter", "--since", "2027-01-01")
    assert empty.returncode == 0 and "Rien de nouveau sur cette période." in empty.stdout


def test_newsletter_command_without_dates_matches_the_build(built_fixture):
    result = built_fixture.esskb("newsletter")
    assert result.returncode == 0, result.stderr
    assert result.stdout == read(built_fixture.site, "newsletter/fragment.html")
    text = built_fixture.esskb("newsletter", "--format", "txt")
    assert text.stdout == read(built_fixture.site, "newsletter/fragment.txt")


def test_newsletter_command_explains_its_errors_in_french(project):
    bad = project.esskb("newsletter", "--since", "01/10/2026")
    assert bad.returncode == 2 and "date invalide « 01/10/2026 » : écrivez-la AAAA-MM-JJ" in bad.stderr
    alone = project.esskb("newsletter", "--until", "2026-10-31")
    assert alone.returncode == 2 and "--until demande --since" in alone.stderr
    backwards = project.esskb("newsletter", "--since", "2026-10-31", "--until", "2026-10-01")
    assert backwards.returncode == 2 and "période vide" in backwards.stderr
    helptext = project.esskb("newsletter", "--help")
    assert helptext.returncode == 0 and "Exemples :" in helptext.stdout and "--since 2026-10-01 --until 2026-10-31" in helptext.stdout
    text = read(project.root, "cases/bretagne-garage.md")
    project.write("cases/bretagne-garage.md", text.replace("themes: [mobilite]", "themes: [mobilte]"))
    broken = project.esskb("newsletter")
    assert broken.returncode == 1 and "cases/bretagne-garage.md:7: thème inconnu « mobilte »" in broken.stderr and "Traceback" not in broken.stderr
