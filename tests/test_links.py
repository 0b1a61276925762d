"""Cross-references and indexes, read from the built HTML of the fixture corpus."""

from __future__ import annotations

import re

from htmlcheck import content, internal_links, page, section_links

FICHE1, FICHE2, FICHE7 = "fiches/01-habitat-participatif/", "fiches/02-mobilite-solidaire/", "fiches/07-reemploi/"
HABITAT, GARAGE, RESSOURCERIE = "cas/bretagne-habitat/", "cas/bretagne-garage/", "cas/occitanie-ressourcerie/"


def targets(site, url, heading, prefix=("fiches/", "cas/")):
    """Site-relative URLs of the item links (or ``prefix`` links) under a heading of a page."""
    hrefs = section_links(page(site, url), heading)
    return {u for u in (_site_url(url, h) for h in hrefs) if u.startswith(prefix)}


def _site_url(url: str, href: str) -> str:
    import posixpath

    path = posixpath.normpath(posixpath.join(url, href.split("#")[0]))
    return path.strip("/") + "/" if not path.endswith(".html") else path


def test_fiche_lists_the_cases_that_illustrate_it(built_fixture):
    site = built_fixture.site
    assert targets(site, FICHE1, "esskb-cas-pratiques") == {HABITAT}
    assert targets(site, FICHE7, "esskb-cas-pratiques") == {RESSOURCERIE}
    # and the other way round: each case links to the fiches it illustrates
    assert FICHE1 in targets(site, HABITAT, "esskb-fiches")
    assert FICHE7 in targets(site, RESSOURCERIE, "esskb-fiches")


def test_see_also_is_symmetric_and_includes_body_links(built_fixture):
    site = built_fixture.site
    assert targets(site, FICHE1, "esskb-voir-aussi") == {FICHE2}
    assert FICHE1 in targets(site, FICHE2, "esskb-voir-aussi")  # backlink from fiche 1's see_also and body
    see_also_text = page(site, FICHE1).get_element_by_id("esskb-voir-aussi").getnext().text_content()
    assert "Fiche 9 – Le réemploi dans les lycées (à paraître)" in see_also_text  # body link to a planned fiche
    text7 = page(site, FICHE7).get_element_by_id("esskb-voir-aussi").getnext().text_content()
    assert "Fiche 3 – Les mobilités solidaires en milieu rural (à paraître)" in text7


def test_related_items_are_weighted_and_deterministic(built_fixture):
    site = built_fixture.site
    related = section_links(page(site, FICHE1), "esskb-proches")
    # fiche 2 shares the theme logement; both logement cases follow; fiche 7 shares nothing
    assert {_site_url(FICHE1, h) for h in related} == {FICHE2, HABITAT, RESSOURCERIE}
    assert _site_url(FICHE1, related[0]) == RESSOURCERIE  # same score: newest first


def test_case_shows_its_region_and_related_cases(built_fixture):
    site = built_fixture.site
    assert targets(site, HABITAT, "esskb-region") == {GARAGE}
    assert targets(site, GARAGE, "esskb-region") == {HABITAT}
    assert targets(site, HABITAT, "esskb-proches") == {RESSOURCERIE}
    meta = content(page(site, HABITAT)).cssselect(".esskb-meta a")
    hrefs = {_site_url(HABITAT, a.get("href")) for a in meta}
    assert {"regions/bretagne/", "themes/logement/", FICHE1} <= hrefs
    crumbs = {_site_url(HABITAT, a.get("href")) for a in content(page(site, HABITAT)).cssselect(".esskb-breadcrumb a")}
    assert {"cas/", "regions/bretagne/"} <= crumbs


def test_fiches_index_lists_written_and_planned_in_order(built_fixture):
    rows = content(page(built_fixture.site, "fiches/")).cssselect("table tbody tr")
    numbers = [r.cssselect("td")[0].text_content().strip() for r in rows]
    assert numbers == ["1", "2", "3", "7", "9"]
    assert "à paraître" in rows[2].text_content() and "à paraître" in rows[4].text_content()
    assert rows[0].cssselect("a")[0].text_content() == "Habitat participatif et ESS"


def test_cases_index_groups_by_region(built_fixture):
    doc = page(built_fixture.site, "cas/")
    assert targets(built_fixture.site, "cas/", "bretagne") >= {HABITAT, GARAGE}
    assert RESSOURCERIE in targets(built_fixture.site, "cas/", "occitanie")
    assert "Logement" in content(doc).text_content()


def test_theme_pages(built_fixture):
    site = built_fixture.site
    assert targets(site, "themes/logement/", "esskb-fiches") == {FICHE1, FICHE2}
    cases = targets(site, "themes/logement/", "esskb-cas")
    assert cases == {HABITAT, RESSOURCERIE}
    text = content(page(site, "themes/logement/")).text_content()
    assert "2 fiches et 2 cas pratiques" in text
    assert text.index("Bretagne") < text.index("Occitanie")  # grouped by region
    index = content(page(site, "themes/")).text_content()
    assert "Mobilité" in index and "Déchets" in index
    feed = content(page(site, "themes/logement/")).cssselect("a.esskb-feed")[0].get("href")
    assert (site / "themes/logement" / feed).read_text().startswith("<?xml")  # a partner follows one theme


def test_region_pages_and_map(built_fixture):
    site = built_fixture.site
    assert targets(site, "regions/bretagne/", "esskb-cas") == {HABITAT, GARAGE}
    assert targets(site, "regions/bretagne/", "esskb-themes", prefix="themes/") == {"themes/logement/", "themes/mobilite/"}
    doc = page(site, "regions/")
    tiles = doc.cssselect(".esskb-map svg a")
    assert len(tiles) == 18
    labels = {a.get("aria-label") for a in tiles}
    assert "Bretagne : 2 cas" in labels and "Mayotte : 0 cas" in labels and "Occitanie : 1 cas" in labels
    for a in tiles:
        assert (site / "regions" / a.get("href") / "index.html").is_file(), a.get("href")
    rows = content(doc).cssselect("table tbody tr")
    assert len(rows) == 18
    bretagne = [r for r in rows if r.cssselect("td")[0].text_content() == "Bretagne"][0]
    assert [td.text_content() for td in bretagne.cssselect("td")][1:3] == ["53", "2"]


def test_schemes_and_glossary(built_fixture):
    site = built_fixture.site
    assert targets(site, "dispositifs/", "prpgd") == {FICHE7, RESSOURCERIE}
    assert targets(site, "dispositifs/", "sraddet") == {FICHE1}
    glossary = page(site, "glossaire/")
    assert {FICHE1, HABITAT} <= targets(site, "glossaire/", "scic")
    assert "Économie sociale et solidaire" in glossary.get_element_by_id("ess").getnext().text_content()


def test_home_counts_and_newest(built_fixture):
    doc = content(page(built_fixture.site, ""))
    counts = doc.cssselect(".esskb-counts")[0].text_content()
    assert re.search(r"3\s*fiches", counts) and re.search(r"3\s*cas pratiques", counts)
    newest = [u for u in (_site_url("", h) for h in section_links(page(built_fixture.site, ""), "esskb-nouveautes")) if u.startswith(("fiches/", "cas/"))]
    assert newest[:3] == [RESSOURCERIE, FICHE7, FICHE1]  # 2026-05-01, 2026-04-01, updated 2026-03-01


def test_typed_links_resolve_and_planned_ones_are_marked(built_fixture):
    site = built_fixture.site
    body = content(page(site, FICHE1))
    hrefs = [a.get("href") for a in body.iter("a")]
    assert "../02-mobilite-solidaire/#pourquoi" in hrefs  # anchor kept
    assert "../../cas/bretagne-habitat/" in hrefs and "../../regions/bretagne/" in hrefs
    planned = body.cssselect(".esskb-a-paraitre")
    assert planned and planned[0].text_content() == "le réemploi (à paraître)"
    assert planned[0].get("title") == "Fiche n° 9 : Le réemploi dans les lycées (à paraître)"
    about = content(page(site, "a-propos/"))
    assert about.cssselect(".esskb-a-paraitre") and any(a.get("href") == "../fiches/01-habitat-participatif/" for a in about.iter("a"))
    guide = content(page(site, "guide-redaction/")).text_content()
    assert "[texte](fiche:42)" in guide and "[lien](cas:inconnu)" in guide  # code is left alone


def test_every_internal_href_resolves_and_no_typed_href_survives(built_fixture):
    site = built_fixture.site
    count = 0
    for html, href, target in internal_links(site, base="/esskb/"):
        count += 1
        assert not re.match(r"^(fiche|cas|theme|region):", href), (html, href)
        assert target.is_file(), f"{html.relative_to(site)} -> {href}"
    assert count > 200
    for html in site.rglob("*.html"):
        text = html.read_text()
        assert not re.search(r'href="(fiche|cas|theme|region):', text), html
        assert not re.search("[\x1d-\x1f]", text), html  # no link marker of generated lists left


def test_unknown_typed_link_fails_the_build_with_path_and_line(project):
    text = (project.root / "cases/bretagne-garage.md").read_text()
    project.write("cases/bretagne-garage.md", text + "\nVoir [ça](theme:logemen).\n")
    result = project.build()
    assert result.returncode != 0
    assert "cases/bretagne-garage.md:13: lien vers un thème inconnu « theme:logemen » ; vouliez-vous dire « theme:logement » ?" in result.stderr + result.stdout


def test_new_fiche_and_case_appear_everywhere_with_no_other_edit(project):
    project.write("fiches/12-alimentation-durable.md", """---
number: 12
title: Alimentation durable
description: Les projets alimentaires territoriaux.
themes: [alimentation, logement]
see_also: [1]
date: 2026-09-01
---

Texte sur l'alimentation et [l'habitat](fiche:1).
""")
    project.write("cases/bretagne-cantine.md", """---
title: Une cantine coopérative
description: Une cantine approvisionnée en circuits courts.
region: bretagne
actor: SCIC Cantine
fiches: [12]
themes: [alimentation]
date: 2026-10-01
---

Une cantine.
""")
    project.build(check=True)
    site = project.site
    new_fiche, new_case = "fiches/12-alimentation-durable/", "cas/bretagne-cantine/"
    assert "12" in [r.cssselect("td")[0].text_content().strip() for r in content(page(site, "fiches/")).cssselect("tbody tr")]
    assert new_case in targets(site, "cas/", "bretagne")
    assert targets(site, "themes/alimentation/", "esskb-fiches") == {new_fiche}
    assert targets(site, "themes/alimentation/", "esskb-cas") == {new_case}
    assert new_case in targets(site, "regions/bretagne/", "esskb-cas")
    assert targets(site, new_fiche, "esskb-cas-pratiques") == {new_case}
    assert new_fiche in targets(site, FICHE1, "esskb-voir-aussi")  # symmetric see_also
    assert new_case in targets(site, HABITAT, "esskb-region")
    newest = [u for u in (_site_url("", h) for h in section_links(page(site, ""), "esskb-nouveautes")) if u.startswith(("fiches/", "cas/"))]
    assert newest[:2] == [new_case, new_fiche]
    assert "Bretagne : 3 cas" in {a.get("aria-label") for a in page(site, "regions/").cssselect(".esskb-map svg a")}


def test_generated_lists_keep_glossary_tooltips_and_escape_content(project):
    """Lists and meta blocks are written as raw HTML: terms still get their <abbr>, and markup
    in a title stays text (in the case's own list entries on the fiche, region and theme pages)."""
    text = (project.root / "cases/bretagne-habitat.md").read_text(encoding="utf-8")
    project.write("cases/bretagne-habitat.md", text.replace(
        "description: Une SCIC d'habitat soutenue par la région.",
        "description: Une SCIC d'habitat <script>alert(1)</script> & *soutenue* par la région."))
    project.build(check=True)
    for url in ("fiches/01-habitat-participatif/", "regions/bretagne/", "themes/logement/", "cas/bretagne-garage/", "cas/"):
        doc = content(page(project.site, url))
        entry = [li for li in doc.iter("li") if any(a.get("href", "").endswith("bretagne-habitat/") for a in li.iter("a"))]
        assert entry and not [e for e in doc.iter("script")], url
    fiche = content(page(project.site, "fiches/01-habitat-participatif/"))
    item = next(li for li in fiche.iter("li") if "soutenue" in li.text_content())
    assert "<script>alert(1)</script> & *soutenue*" in item.text_content()  # shown as typed
    assert not list(item.iter("script")) and not list(item.iter("em"))
    assert [(a.text, a.get("title")) for a in item.iter("abbr")] == [("SCIC", "Société coopérative d'intérêt collectif")]
    # the case's meta block: the fiche it illustrates, with its term explained
    meta = content(page(project.site, HABITAT)).cssselect(".esskb-meta")[0]
    assert ("ESS", "Économie sociale et solidaire") in [(a.text, a.get("title")) for a in meta.iter("abbr")]


def test_every_internal_href_resolves_without_directory_urls(project):
    """Generated lists carry final hrefs (raw HTML), shared between pages of the same link base:
    with `use_directory_urls: false` every page of a folder shares one base."""
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_url:", "use_directory_urls: false\nsite_url:", 1), encoding="utf-8")
    project.build(check=True)
    assert (project.site / "cas/bretagne-garage.html").is_file()
    count = 0
    for html, href, target in internal_links(project.site, base="/esskb/"):
        count += 1
        assert target.is_file(), f"{html.relative_to(project.site)} -> {href}"
    assert count > 200
    garage = content(page(project.site, "cas/bretagne-garage.html"))
    assert "bretagne-habitat.html" in section_links(garage, "esskb-region")


def test_cross_reference_lists_stay_out_of_the_search_index(built_fixture):
    """An item page's lists of other pages (illustrated fiches, other cases of the region,
    related items, see also) are shown but not indexed: a search for a case's words finds that
    case, not every page listing it (and Material's lunr index is 40 % lighter)."""
    import json

    site = built_fixture.site
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    lists = ("#esskb-fiches", "#esskb-region", "#esskb-proches", "#esskb-cas-pratiques", "#esskb-voir-aussi")
    on_items = [d for d in docs if d["location"].startswith(("cas/", "fiches/")) and d["location"].split("#")[0] not in ("cas/", "fiches/")]
    assert on_items and not [d["location"] for d in on_items if d["location"].endswith(lists)]
    garage_title = page(site, GARAGE).cssselect("h1")[0].text_content().rstrip("¶")
    listing_garage = [d["location"] for d in on_items if garage_title in d["text"] and not d["location"].startswith(GARAGE)]
    assert listing_garage == [], listing_garage  # HABITAT lists GARAGE among the region's cases
    assert any(d["location"].startswith(GARAGE) and d["title"] == garage_title for d in docs)
    assert any(d["location"] == FICHE1 + "#esskb-ressources" for d in docs)  # resources are content
    assert page(site, HABITAT).get_element_by_id("esskb-region").get("data-search-exclude") is None  # Material strips it
    assert targets(site, HABITAT, "esskb-region") == {GARAGE}  # still shown
