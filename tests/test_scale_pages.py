"""Pages that would grow with the corpus stay bounded: a theme's dossier beyond
``extra: esskb: dossier_max_items`` becomes a list (no texts, no glossary; its PDF prints the list), and the
glossary page lists at most 12 pages per term, then says how many more. Real builds."""

from __future__ import annotations

import json
import shlex
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader
from htmlcheck import content, page, parse, resolve

from conftest import Project, make_project

# Fixture corpus (tests/corpus): logement = fiches 1, 2 + cases bretagne-habitat, occitanie-ressourcerie
# (4 items); dechets = fiche 7 + occitanie-ressourcerie (2); mobilite = fiche 2 + bretagne-garage (2).
FICHE1_TEXT = "Les SCIC d'habitat réunissent habitants et collectivités."
HABITAT_TEXT = "Une SCIC d'habitat à Rennes"
RESSOURCERIE_TEXT = "Des ressourceries dans toute la région."
FICHE7_TEXT = "Le PRPGD peut intégrer les ressourceries."
LOGEMENT_ITEMS = {
    "fiches/01-habitat-participatif/", "fiches/02-mobilite-solidaire/", "cas/bretagne-habitat/", "cas/occitanie-ressourcerie/",
}

# Generated for the glossary: GEIQ_CASES cases of the theme alimentation (empty in the fixture),
# each using the new term GEIQ in its body, one date each (case n published on 2025-01-n).
GEIQ_CASES = 17
REGIONS = ("bretagne", "corse", "occitanie", "normandie")
CASE_WORKSHOP = "Question d'atelier d'un cas généré ?"
THEME_WORKSHOP = "Quelle place pour les groupements d'employeurs ?"


def geiq_slug(n: int) -> str:
    return f"{REGIONS[n % len(REGIONS)]}-geiq-{n:02d}"


def witness(n: int) -> str:
    return f"Phrase témoin du cas généré numéro {n}."


def write_geiq_cases(project: Project) -> None:
    glossary = (project.root / "data/glossary.yml").read_text(encoding="utf-8")
    project.write("data/glossary.yml", glossary + "- term: GEIQ\n  expansion: Groupement d'employeurs pour l'insertion et la qualification\n")
    themes = (project.root / "data/themes.yml").read_text(encoding="utf-8")
    lead = "  description: Les circuits courts et l'alimentation durable.\n"
    assert lead in themes
    project.write("data/themes.yml", themes.replace(lead, f"{lead}  workshop:\n    - {THEME_WORKSHOP}\n"))
    for n in range(1, GEIQ_CASES + 1):
        workshop = f"workshop:\n  - {CASE_WORKSHOP}\n" if n == 1 else ""
        project.write(f"cases/{geiq_slug(n)}.md", (
            "---\n"
            f"title: Un groupement d'employeurs agricoles n° {n}\n"
            f"description: Des emplois partagés entre fermes, cas n° {n}.\n"
            f"region: {REGIONS[n % len(REGIONS)]}\n"
            "actor: Un groupement d'employeurs\n"
            "fiches: [7]\n"
            "themes: [alimentation]\n"
            f"date: 2025-01-{n:02d}\n"
            f"{workshop}"
            "---\n\n"
            f"Le GEIQ recrute et forme des salariés. {witness(n)}\n"
        ))


def set_max_items(project: Project, value: str) -> None:
    config = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    assert "    newsletter_items: 10\n" in config
    project.write("mkdocs.yml", config.replace("    newsletter_items: 10\n", f"    newsletter_items: 10\n    dossier_max_items: {value}\n"))


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The fixture corpus with ``dossier_max_items: 2`` and 17 generated cases using GEIQ, built once."""
    project = make_project(tmp_path_factory.mktemp("scale") / "proj")
    set_max_items(project, "2")
    write_geiq_cases(project)
    project.build(check=True)
    return project


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def site_url_of(site: Path, page_url: str, href: str) -> str:
    """The site URL a link of ``page_url`` leads to; the target file must exist."""
    target = resolve(site, site / page_url / "index.html", href)
    assert target is not None and target.is_file(), (page_url, href)
    return target.parent.relative_to(site).as_posix() + "/"


def links_under(doc, heading_id: str) -> list:
    """The <a> elements of the section under the heading with this id (to the next heading of its level)."""
    heading = doc.get_element_by_id(heading_id)
    found = []
    for sibling in heading.itersiblings():
        if sibling.tag in ("h1", "h2", heading.tag):
            break
        found += [a for a in sibling.iter("a") if a.get("href") and not a.get("href").startswith("#")]
    return found


def kb(site: Path) -> dict:
    return json.loads((site / "kb.json").read_text(encoding="utf-8"))


# -- dossiers ----------------------------------------------------------------------------


def test_a_dossier_over_the_limit_lists_its_items_without_their_texts(scaled):
    site = scaled.site
    doc = content(page(site, "formations/logement/"))
    text = text_of(doc)
    # same head as a full dossier
    assert doc.cssselect("h1")[0].text_content().rstrip("¶").strip() == "Formation croisée : ESS et Logement"
    assert "L'habitat et l'accès au logement." in text
    assert "Contenu : 2 fiches, 2 cas pratiques (liste)" in text
    # the note, and an example command built from this theme's items
    note = doc.cssselect(".admonition.esskb-dossier-liste")[0]
    assert "Ce thème réunit 4 fiches et cas pratiques : trop pour un seul document imprimable." in text_of(note)
    command = note.cssselect("code")[0].text_content().strip()
    assert command == "python -m esskb dossier --fiche 1 --fiche 2 --case bretagne-habitat --case occitanie-ressourcerie -o dossier.pdf"
    # every item, linked, with its description; no text, no glossary, no table of full texts
    listed = {site_url_of(site, "formations/logement", a.get("href")) for a in links_under(doc, "esskb-fiches") + links_under(doc, "esskb-cas")}
    assert listed == LOGEMENT_ITEMS
    assert "Soutenir l'habitat participatif porté par des coopératives." in text  # fiche 1's description
    assert "Le réseau des ressourceries soutenu dans le cadre du PRPGD." in text  # a case's description
    for body in (FICHE1_TEXT, HABITAT_TEXT, RESSOURCERIE_TEXT):
        assert body not in text, body
    ids = {e.get("id") for e in doc.iter() if e.get("id")}
    assert "esskb-glossaire" not in ids and "esskb-sommaire" not in ids and "esskb-fiche-1" not in ids
    # cases grouped by region, in the vocabulary's order
    assert [text_of(h).rstrip("¶").strip() for h in doc.cssselect("h3")][:2] == ["Bretagne", "Occitanie"]
    assert [site_url_of(site, "formations/logement", a.get("href")) for a in links_under(doc, "esskb-region-bretagne")] == ["cas/bretagne-habitat/"]
    # resources and workshop questions as in a full dossier
    assert "esskb-ressources" in ids and "esskb-atelier" in ids
    # the PDF prints the list (where WeasyPrint runs): linked, listed in kb.json, no full text in it
    entry = next(d for d in kb(site)["dossiers"] if d["theme"] == "logement")
    if (site / "formations/logement.pdf").is_file():
        assert doc.cssselect("a.esskb-pdf-link")[0].get("href") == "../logement.pdf"
        assert entry["pdf"] == "formations/logement.pdf"
        printed = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(site / "formations/logement.pdf").pages)
        assert "Le réseau des ressourceries soutenu dans le cadre du PRPGD." in printed
        assert "Une liste plutôt qu'un dossier à imprimer" in printed
        for body in (FICHE1_TEXT, HABITAT_TEXT, RESSOURCERIE_TEXT):
            assert " ".join(body.split())[:60] not in printed, body
    else:
        assert entry["pdf"] is None and not doc.cssselect("a.esskb-pdf-link")


def test_the_list_keeps_the_workshop_questions_of_themes_and_fiches_only(scaled):
    doc = content(page(scaled.site, "formations/alimentation/"))
    text = text_of(doc)
    assert f"Ce thème réunit {GEIQ_CASES} fiches et cas pratiques" in text
    for n in range(1, GEIQ_CASES + 1):
        assert witness(n) not in text, n
    assert CASE_WORKSHOP not in text
    listed = [site_url_of(scaled.site, "formations/alimentation", a.get("href")) for a in links_under(doc, "esskb-cas")]
    assert sorted(listed) == sorted(f"cas/{geiq_slug(n)}/" for n in range(1, GEIQ_CASES + 1))
    assert "Aucune fiche publiée sur ce thème pour l'instant." in text
    atelier = [text_of(e) for e in doc.get_element_by_id("esskb-atelier").itersiblings()]
    assert atelier[1:3] == ["Thème : Alimentation¶", THEME_WORKSHOP]  # and no group for the cases
    assert len(atelier) == 3


def test_a_dossier_within_the_limit_is_unchanged(scaled):
    site = scaled.site
    doc = content(page(site, "formations/dechets/"))
    text = text_of(doc)
    for body in (FICHE7_TEXT, RESSOURCERIE_TEXT):
        assert body in text, body
    assert doc.get_element_by_id("esskb-glossaire") is not None
    assert not doc.cssselect(".esskb-dossier-liste")
    entry = next(d for d in kb(site)["dossiers"] if d["theme"] == "dechets")
    if (site / "formations/dechets.pdf").is_file():  # where WeasyPrint runs
        assert doc.cssselect("a.esskb-pdf-link")[0].get("href") == "../dechets.pdf"
        assert entry["pdf"] == "formations/dechets.pdf"
    else:
        assert entry["pdf"] is None


def test_formations_index_says_which_dossiers_are_lists(scaled):
    site = scaled.site
    doc = content(page(site, "formations/"))
    items = {site_url_of(site, "formations", li.cssselect("a")[0].get("href")): li for li in doc.get_element_by_id("esskb-dossiers").getnext().iter("li")}
    assert set(items) == {"formations/logement/", "formations/dechets/", "formations/mobilite/", "formations/alimentation/"}
    assert "liste des 4 fiches et cas" in text_of(items["formations/logement/"])
    assert f"liste des {GEIQ_CASES} fiches et cas" in text_of(items["formations/alimentation/"])
    assert "liste" not in text_of(items["formations/dechets/"])
    if (site / "formations/logement.pdf").is_file():  # where WeasyPrint runs: "PDF de la liste"
        assert "PDF de la liste Logement" in text_of(items["formations/logement/"])
    assert "Au-delà de 2 fiches et cas pratiques" in text_of(doc)
    # the example command names a theme printed in full, not a list
    command = doc.cssselect("pre code")[-1].text_content()
    assert "--theme dechets" in command


def test_the_command_still_composes_a_whole_theme_in_full(scaled, tmp_path):
    # the note's own example, as HTML, works; and --theme gives the full texts whatever the size
    doc = content(page(scaled.site, "formations/logement/"))
    command = shlex.split(doc.cssselect(".esskb-dossier-liste code")[0].text_content())
    assert command[:3] == ["python", "-m", "esskb"] and command[-2:] == ["-o", "dossier.pdf"]
    out = tmp_path / "choix.html"
    result = scaled.esskb(*command[3:-1], str(out))
    assert result.returncode == 0, result.stderr
    assert HABITAT_TEXT in text_of(parse(out))
    out = tmp_path / "alimentation.html"
    result = scaled.esskb("dossier", "--theme", "alimentation", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = text_of(parse(out))
    assert all(witness(n) in text for n in range(1, GEIQ_CASES + 1))
    assert CASE_WORKSHOP in text


def test_an_invalid_limit_stops_the_build_in_french(project):
    set_max_items(project, "0")
    result = project.build()
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "« dossier_max_items » (extra.esskb) doit être un nombre entier positif" in output
    assert "et non « 0 »" in output


@pytest.mark.parametrize("key", ["dossier_max_items", "workers"])
@pytest.mark.parametrize("value, ok", [(1, True), (60, True), (0, False), (-3, False), ("60", False), (True, False), (2.5, False), (None, False)])
def test_setting_problems_name_the_line_of_mkdocs_yml(tmp_path, key, value, ok):
    from esskb.prerender import workers_wanted
    from esskb.settings import DOSSIER_MAX_ITEMS, dossier_max_items, setting_problems

    (tmp_path / "mkdocs.yml").write_text(textwrap.dedent(f"""\
        site_name: Essai
        extra:
          esskb:
            {key}: {json.dumps(value)}
        """), encoding="utf-8")
    problems = setting_problems({key: value}, tmp_path)
    if ok:
        assert problems == []
        if key == "dossier_max_items":
            assert dossier_max_items({key: value}) == value
        else:
            assert workers_wanted({key: value}) == value
    else:
        assert [(p.path, p.line) for p in problems] == [("mkdocs.yml", 4)]
        assert "nombre entier positif" in problems[0].message and f"« {key} »" in problems[0].message
    assert setting_problems({}, tmp_path) == []
    assert dossier_max_items({}) == DOSSIER_MAX_ITEMS == 60


# -- glossary ------------------------------------------------------------------------------


def test_glossary_lists_the_newest_twelve_pages_of_a_term_and_counts_the_others(scaled):
    site = scaled.site
    doc = content(page(site, "glossaire/"))
    heading = doc.get_element_by_id("geiq")
    used = next(p for p in heading.itersiblings("p") if text_of(p).startswith("Utilisé dans"))
    targets = [site_url_of(site, "glossaire", a.get("href")) for a in used.iter("a")]
    newest = [f"cas/{geiq_slug(n)}/" for n in range(GEIQ_CASES, 0, -1)]
    assert targets == newest[:12]
    assert text_of(used).endswith(f"et {GEIQ_CASES - 12} autres pages")
    # a term used by a few pages lists them all, with no count
    scic = next(p for p in doc.get_element_by_id("scic").itersiblings("p") if text_of(p).startswith("Utilisé dans"))
    assert "autre" not in text_of(scic)
    assert {"fiches/01-habitat-participatif/", "cas/bretagne-habitat/"} <= {site_url_of(site, "glossaire", a.get("href")) for a in scic.iter("a")}
