"""The reader's experience in a real browser (Debian's Chromium driven by Playwright).

The bundled content, plus a few pages written for the search checks, is built once with the
real hook and served on 127.0.0.1; each test reads it as a reader would. Outside CI these
tests skip when Chromium or Playwright is missing; with CI=true they must run.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, Project, make_project

CHROMIUM = Path("/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None


def _unavailable() -> str | None:
    if sync_playwright is None:
        return "Playwright pour Python n'est pas installé (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"Chromium est absent ({CHROMIUM}) : apt-get install -y chromium"
    return None


if _unavailable() and IN_CI:
    raise RuntimeError(f"CI=true but the browser tests cannot run: {_unavailable()}")
pytestmark = pytest.mark.skipif(_unavailable() is not None, reason=_unavailable() or "")

# Pages written into the built project for the search checks: each says its word only in the
# form given, so that finding it proves stemming, elision or accent folding.
SEARCH_PAGES = {
    "essais-recherche/dechets.md": "# Tri sélectif en recyclerie\n\nLes déchets du bâtiment sont triés puis revendus.\n",
    "essais-recherche/biodechets.md": "# Compostage partagé\n\nLes biodéchets des cantines sont compostés sur place.\n",
    "essais-recherche/cooperations.md": "# Alliances territoriales\n\nLes coopérations entre collectivités voisines se multiplient.\n",
    "essais-recherche/economie.md": "# Commerce de proximité\n\nLe poids de l'économie locale dans les bourgs ruraux.\n",
    "essais-recherche/insertion.md": "# Chantiers de rénovation\n\nLes chantiers d'insertion rénovent des logements.\n",
}


HOSTILE_FICHE = ROOT / "tests" / "hostile" / "harmless" / "fiches" / "98-xss-partout.md"


# -- the built site, served ---------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def browser_site(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The bundled content and the search pages, built once with the real hook."""
    proj = make_project(tmp_path_factory.mktemp("browser") / "proj", source=ROOT)
    for rel, text in SEARCH_PAGES.items():
        proj.write(f"docs/{rel}", text)
    # a fiche whose every front-matter field holds markup: it must stay text in the browser
    proj.write(f"fiches/{HOSTILE_FICHE.name}", HOSTILE_FICHE.read_bytes())
    proj.build(check=True)
    return proj


@pytest.fixture(scope="session")
def base_url(browser_site: Project):
    handler = functools.partial(_QuietHandler, directory=str(browser_site.site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")  # stopped after this file: other files may start their own Playwright
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield chromium
        chromium.close()


class Reader:
    """One browser tab that records every request and every JavaScript error."""

    def __init__(self, browser: Browser, base_url: str):
        self.base_url = base_url
        self.context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status} : {r.url}"))
        self.page: Page = self.context.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(f"exception : {exc}"))
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"console : {msg.text}"))
        self.page.on("worker", lambda worker: worker.on("console", lambda msg: msg.type == "error" and self.errors.append(f"worker : {msg.text}")))

    def open(self, url: str) -> Page:
        self.page.goto(self.base_url + url, wait_until="load")
        return self.page

    def search(self, query: str) -> list[dict]:
        """Type ``query`` in Material's search box; each result (a page and its sections) as {href, html}."""
        page = self.page
        meta = page.locator(".md-search-result__meta")
        # the worker is ready once the placeholder replaced « Initialisation de la recherche »
        expect(meta).to_have_text(re.compile("Taper pour démarrer", re.I), timeout=20_000)
        box = page.locator("input.md-search__input")
        box.click()
        box.fill(query)  # the whole query at once, then the key release Material listens to:
        box.press("End")  # results of a half-typed query could otherwise be taken for the answer
        expect(meta).to_have_text(re.compile(r"trouvé", re.I), timeout=20_000)
        return page.eval_on_selector_all(
            ".md-search-result__item",
            "items => items.map(li => ({href: li.querySelector('a').getAttribute('href'), html: li.innerHTML}))",
        )


@pytest.fixture
def reader(browser, base_url):
    r = Reader(browser, base_url)
    yield r
    r.context.close()


# -- which pages ---------------------------------------------------------------------------


def _first(site: Path, pattern: str, skip: tuple[str, ...] = ()) -> str | None:
    for path in sorted(site.glob(pattern)):
        url = path.parent.relative_to(site).as_posix() + "/"
        if url not in skip:
            return url
    return None


def _dossier(site: Path) -> str | None:
    """formations/<first theme of data/themes.yml>/, when the dossiers are built."""
    import yaml

    themes = yaml.safe_load((ROOT / "data" / "themes.yml").read_text(encoding="utf-8")) or []
    for theme in themes:
        if (site / "formations" / theme["slug"] / "index.html").is_file():
            return f"formations/{theme['slug']}/"
    return None


READER_PAGES = ("home", "fiche", "case", "theme", "region", "glossary", "dossier", "newsletter")


@pytest.fixture(scope="session")
def pages(browser_site: Project) -> dict[str, str | None]:
    site = browser_site.site
    return {
        "home": "",
        "fiche": _first(site, "fiches/*/index.html"),
        "case": _first(site, "cas/*/index.html"),
        "theme": _first(site, "themes/*/index.html"),
        "region": "regions/corse/" if (site / "regions/corse/index.html").is_file() else _first(site, "regions/*/index.html"),
        "glossary": "glossaire/",
        "dossier": _dossier(site),
        "newsletter": "newsletter/" if (site / "newsletter/index.html").is_file() else None,
    }


def _url(pages: dict[str, str | None], name: str) -> str:
    url = pages[name]
    if url is None:
        pytest.skip(f"page « {name} » absente du site construit (pas encore produite par le générateur)")
    return url


# -- loading, privacy, accessibility, print (one visit per page) ------------------------------


@pytest.mark.parametrize("name", READER_PAGES)
def test_reader_page(reader, pages, name):
    """Loads without JavaScript error, asks nothing of other hosts, passes axe-core, prints clean."""
    from axe_playwright_python.sync_playwright import Axe

    url = _url(pages, name)
    page = reader.open(url)
    expect(page.locator("article.md-content__inner h1").first).to_be_visible()
    expect(page.locator(".md-header")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert reader.errors == [], f"{url}: erreurs au chargement : {reader.errors}"
    assert any(u.endswith("/search/search_index.json") for u in reader.requests)  # the worker's requests are seen
    others = sorted(u for u in reader.requests if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1")
    assert others == [], f"{url}: requêtes vers d'autres hôtes que 127.0.0.1 : {others}"

    results = Axe().run(page)
    serious = [
        f"{v['id']} ({v['impact']}) : {[n['target'] for n in v['nodes'][:5]]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], f"{url}: axe-core : {serious}"
    assert results.response["passes"], "axe-core n'a rien vérifié"

    page.emulate_media(media="print")
    for selector in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-search", ".md-footer"):
        for element in page.locator(selector).all():
            expect(element, f"{url}: {selector} imprimé").to_be_hidden()
    expect(page.locator("article.md-content__inner h1").first).to_be_visible()


# -- search -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("déchet", ["essais-recherche/dechets/", "essais-recherche/biodechets/"]),
        ("coopération", ["essais-recherche/cooperations/"]),
        ("économie", ["essais-recherche/economie/"]),
        ("insertion", ["essais-recherche/insertion/"]),
        ("economie", ["essais-recherche/economie/"]),
        ("cooperation", ["essais-recherche/cooperations/"]),
        ("dechet", ["essais-recherche/dechets/", "essais-recherche/biodechets/"]),
    ],
)
def test_french_search(reader, query, expected):
    for url in expected:  # the page never holds the query as a word of its own
        source = SEARCH_PAGES[url.rstrip("/") + ".md"].lower()
        assert not re.search(rf"(?<![\w'’]){query}(?!\w)", source), url
    reader.open("")
    results = reader.search(query)
    found = [urlsplit(r["href"]).path for r in results]
    for url in expected:
        assert any(path.endswith("/" + url) for path in found), f"« {query} » ne trouve pas {url} : {found}"
    assert reader.errors == []


def test_search_results_keep_accents_and_highlight_matches(reader):
    reader.open("")
    results = {urlsplit(r["href"]).path: r for r in reader.search("economie cooperation")}
    economie = next(r for path, r in results.items() if path.endswith("essais-recherche/economie/"))
    assert "<mark>économie</mark>" in economie["html"], economie["html"]
    assert "l'<mark>économie</mark> locale" in economie["html"]
    cooperations = next(r for path, r in results.items() if path.endswith("essais-recherche/cooperations/"))
    assert "<mark>coopérations</mark>" in cooperations["html"]
    # Material's on-page highlighting receives the terms as the reader typed them
    assert "h=economie" in economie["href"] and "cooperation" not in economie["href"]


def test_search_highlights_the_query_on_the_page_it_opens(reader):
    reader.open("")
    reader.search("coopération")
    reader.page.locator('.md-search-result__item a[href*="essais-recherche/cooperations/"]').first.click()
    expect(reader.page).to_have_url(re.compile(r"essais-recherche/cooperations/\?h=coop%C3%A9ration"))
    expect(reader.page.locator("article mark[data-md-highlight]").first).to_have_text(re.compile("^coopération", re.I))


def test_an_unaccented_query_highlights_accented_words_on_the_page_it_opens(reader):
    reader.open("")
    reader.search("economie")
    reader.page.locator('.md-search-result__item a[href*="essais-recherche/economie/"]').first.click()
    expect(reader.page).to_have_url(re.compile(r"essais-recherche/economie/\?h=economie"))
    marks = reader.page.locator("article mark[data-md-highlight]")
    expect(marks.first).to_have_text(re.compile("^économie$", re.I))
    from esskb.slugs import fold

    assert {fold(text) for text in marks.all_inner_texts()} == {"economie"}
    assert reader.errors == []


def test_search_reports_no_missing_term_for_words_inside_words(reader):
    for query in ("biodéchet", "dechet"):
        reader.open("")
        compost = next(r for r in reader.search(query) if "essais-recherche/biodechets/" in r["href"])
        assert "<mark>biodéchets</mark>" in compost["html"], query
        assert "md-search-result__terms" not in compost["html"], query  # « Termes manquants » would be wrong


@pytest.mark.parametrize(("typed", "suggested"), [("partag", "partagé"), ("compost", "compostage"), ("territoria", "territoriales")])
def test_search_suggests_the_word_as_written(reader, typed, suggested):
    reader.open("")
    reader.search(typed)
    expect(reader.page.locator(".md-search__suggest")).to_have_text(suggested, ignore_case=True)


def test_markup_in_front_matter_never_runs(reader):
    page = reader.open("fiches/98-xss-partout/")
    expect(page.locator("article h1").first).to_contain_text("<script>alert('esskb-xss')</script>")
    page.locator(".md-tag").first.hover()
    reader.open("")
    results = reader.search("esskb")
    assert any("fiches/98-xss-partout/" in r["href"] for r in results)
    assert "&lt;script&gt;" in results[0]["html"] or any("&lt;script&gt;" in r["html"] for r in results)
    for selector in ("script", "iframe", "img"):
        assert reader.page.locator(f".md-search-result {selector}").count() == 0, selector
    reader.page.wait_for_load_state("networkidle")
    assert reader.dialogs == [] and reader.errors == []


# -- abbreviations, map, keyboard ---------------------------------------------------------------


def test_abbreviations_show_their_expansion_on_hover_and_on_focus(reader, pages):
    page = reader.open(_url(pages, "case"))
    abbr = page.locator("article abbr").first
    expect(abbr).to_be_visible()
    expansion = abbr.get_attribute("title")
    assert expansion and len(expansion) > 5
    tooltip = page.locator(".md-tooltip2")
    abbr.hover()
    expect(tooltip.filter(has_text=expansion)).to_be_visible()
    page.mouse.move(0, 0)
    expect(tooltip.filter(has_text=expansion)).to_have_count(0)
    assert abbr.evaluate("el => el.tabIndex") == 0  # reachable with Tab
    abbr.focus()
    expect(tooltip.filter(has_text=expansion)).to_be_visible()
    assert abbr.evaluate("el => document.activeElement === el")


def test_regions_map_opens_a_region_and_has_a_table_alternative(reader):
    page = reader.open("regions/")
    map_links = page.eval_on_selector_all(".esskb-map svg a", "links => links.map(a => a.getAttribute('href'))")
    table_links = page.eval_on_selector_all("article table a", "links => links.map(a => a.getAttribute('href'))")
    assert len(map_links) == 18
    assert set(map_links) <= set(table_links), "le tableau doit donner chaque région de la carte"
    page.locator('.esskb-map svg a[href="corse/"] rect').click()
    expect(page).to_have_url(re.compile(r"/regions/corse/$"))
    expect(page.locator("article h1").first).to_contain_text("Corse")


def _focus_outline(page: Page) -> dict:
    return page.evaluate(
        """() => { const el = document.activeElement; const s = getComputedStyle(el);
        return {tag: el.tagName, cls: el.className && el.className.baseVal !== undefined ? el.className.baseVal : el.className,
                outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0,
                shadow: s.boxShadow !== 'none'}; }"""
    )


def test_keyboard_only_skip_link_visible_focus_and_search(reader, pages):
    page = reader.open(_url(pages, "fiche"))
    page.keyboard.press("Tab")
    skip = page.locator("a.md-skip")
    expect(skip).to_be_focused()
    expect(skip).to_have_css("opacity", "1")  # Material fades it in: wait for the end of the transition
    target = skip.get_attribute("href")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    assert page.locator(f'article [id="{target[1:]}"]').count() == 1
    for _ in range(12):  # from the skip target on, through the content's links and abbreviations
        page.keyboard.press("Tab")
        focus = _focus_outline(page)
        assert focus["outline"] or focus["shadow"], f"focus invisible sur {focus}"
        assert page.evaluate("!!document.activeElement.closest('article, .md-sidebar, .md-footer')"), focus

    page = reader.open(_url(pages, "fiche"))
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focus = _focus_outline(page)
        seen.append(focus)
        assert focus["outline"] or focus["shadow"], f"focus invisible sur {focus}"
        if page.evaluate("document.activeElement.matches('input.md-search__input')"):
            break
    else:
        pytest.fail(f"champ de recherche inaccessible au clavier après 60 tabulations : {seen}")
    page.keyboard.type("insertion")
    expect(page.locator(".md-search-result__meta")).to_have_text(re.compile("trouvé"), timeout=20_000)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
