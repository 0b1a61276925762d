"""Loader and validator: one test per class of bad input, each naming file, line and fix."""

from __future__ import annotations

import pytest

from esskb.corpus import load_corpus
from esskb.errors import ContentError

FICHE = """---
number: 4
title: Une fiche
description: Une description.
themes: [logement]
date: 2026-06-01
---

Texte.
"""


def problems(project) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_corpus(project.root)
    return [str(p) for p in caught.value.problems]


def only(project) -> str:
    found = problems(project)
    assert len(found) == 1, found
    return found[0]


def test_fixture_corpus_is_valid(project):
    corpus = load_corpus(project.root)
    assert [f.number for f in corpus.fiches] == [1, 2, 7]
    assert [c.slug for c in corpus.cases] == ["bretagne-garage", "bretagne-habitat", "occitanie-ressourcerie"]
    assert [p.number for p in corpus.planned] == [3, 9]


def test_yaml_syntax_error_names_its_line(project):
    project.write("fiches/04-x.md", FICHE.replace("title: Une fiche", "title: Une fiche: mal écrite"))
    assert only(project).startswith("fiches/04-x.md:3: syntaxe YAML invalide")


def test_unclosed_bracket(project):
    project.write("fiches/04-x.md", FICHE.replace("themes: [logement]", "themes: [logement"))
    line = only(project)
    assert line.startswith("fiches/04-x.md:") and "YAML" in line


def test_missing_required_key(project):
    project.write("fiches/04-x.md", FICHE.replace("description: Une description.\n", ""))
    assert only(project) == "fiches/04-x.md:1: clé obligatoire « description » absente"


def test_empty_required_key(project):
    project.write("fiches/04-x.md", FICHE.replace("title: Une fiche", "title:"))
    assert only(project) == "fiches/04-x.md:3: « title » est vide : une valeur est attendue"


@pytest.mark.parametrize(
    "old, new, expected",
    [
        ("number: 4", "number: quatre", "fiches/04-x.md:2: « number » doit être un nombre entier (reçu : « quatre »)"),
        ("themes: [logement]", "themes: logement", "fiches/04-x.md:5: « themes » doit être une liste"),
        ("title: Une fiche", "title: 2030", "fiches/04-x.md:3: « title » doit être un texte"),
        ("date: 2026-06-01", "date: 2026-06-01\ndraft: oui", "fiches/04-x.md:7: « draft » doit valoir true ou false"),
    ],
)
def test_wrong_types(project, old, new, expected):
    project.write("fiches/04-x.md", FICHE.replace(old, new))
    assert only(project).startswith(expected)


def test_unknown_key_suggests_the_closest(project):
    project.write("fiches/04-x.md", FICHE.replace("date: 2026-06-01", "date: 2026-06-01\nsee_aslo: [1]"))
    assert only(project) == "fiches/04-x.md:7: clé inconnue « see_aslo » ; vouliez-vous dire « see_also » ?"


def test_material_keys_are_accepted(project):
    project.write("fiches/04-x.md", FICHE.replace("date: 2026-06-01", "date: 2026-06-01\nhide: [toc]\nicon: material/home"))
    assert 4 in load_corpus(project.root).fiche_by_number


def test_unknown_theme(project):
    project.write("fiches/04-x.md", FICHE.replace("themes: [logement]", "themes:\n  - mobilite\n  - logment"))
    assert only(project).startswith("fiches/04-x.md:7: thème inconnu « logment » dans « themes » ; vouliez-vous dire « logement » ?")


def test_unknown_region_matches_labels_and_slugs(project):
    text = (project.root / "cases/bretagne-garage.md").read_text()
    project.write("cases/bretagne-garage.md", text.replace("region: bretagne", "region: Île-de-France"))
    assert only(project).startswith("cases/bretagne-garage.md:4: région inconnue « Île-de-France » ; vouliez-vous dire « ile-de-france » ?")


def test_unknown_term_case_matters(project):
    project.write("fiches/04-x.md", FICHE.replace("date:", "schemes: [sraddet]\ndate:"))
    assert only(project).startswith("fiches/04-x.md:6: terme inconnu « sraddet » dans « schemes » ; vouliez-vous dire « SRADDET » ?")


def test_duplicate_fiche_number(project):
    project.write("fiches/02-doublon.md", FICHE.replace("number: 4", "number: 2"))
    assert problems(project) == [
        "fiches/02-doublon.md:2: numéro 2 aussi utilisé par fiches/02-mobilite-solidaire.md",
        "fiches/02-mobilite-solidaire.md:2: numéro 2 aussi utilisé par fiches/02-doublon.md",
    ]


def test_duplicate_case_slug(project):
    text = (project.root / "cases/bretagne-garage.md").read_text()
    project.write("cases/bretagne-garage.MD", text)
    assert only(project).startswith("cases/bretagne-garage.md:1: cas « bretagne-garage » en double")


def test_number_both_written_and_planned(project):
    project.write("fiches/03-mobilites-rurales.md", FICHE.replace("number: 4", "number: 3"))
    assert only(project).startswith("data/catalogue.yml:1: la fiche 3 est à la fois prévue et écrite (fiches/03-mobilites-rurales.md)")


def test_file_name_must_match_number(project):
    project.write("fiches/05-x.md", FICHE)
    assert only(project).startswith("fiches/05-x.md:2: le numéro 4 ne correspond pas au nom du fichier")


def test_file_name_shape(project):
    project.write("fiches/Ma Fiche.md", FICHE)
    assert only(project) == "fiches/Ma Fiche.md:1: nom de fichier invalide : une fiche s'appelle « NN-titre-court.md » (minuscules sans accents) ; vouliez-vous dire « 04-ma-fiche.md » ?"


@pytest.mark.parametrize("key, where", [("see_also", 6), ("fiches", 6)])
def test_reference_to_unknown_fiche(project, key, where):
    if key == "see_also":
        project.write("fiches/04-x.md", FICHE.replace("date:", "see_also: [8]\ndate:"))
        expected = "fiches/04-x.md:6: fiche 8 inconnue dans « see_also »"
    else:
        text = (project.root / "cases/bretagne-garage.md").read_text()
        project.write("cases/bretagne-garage.md", text.replace("fiches: [2]", "fiches: [2, 8]"))
        expected = "cases/bretagne-garage.md:6: fiche 8 inconnue dans « fiches »"
    line = only(project)
    assert line.startswith(expected)
    assert line.endswith("vouliez-vous dire « 7 » ?")


def test_impossible_date(project):
    project.write("fiches/04-x.md", FICHE.replace("date: 2026-06-01", "date: 2026-13-45"))
    assert only(project) == "fiches/04-x.md:6: date impossible « 2026-13-45 » dans « date » : le mois doit aller de 01 à 12"


def test_date_format(project):
    project.write("fiches/04-x.md", FICHE.replace("date: 2026-06-01", "date: 01/06/2026"))
    assert "au format AAAA-MM-JJ" in only(project)


def test_updated_before_date(project):
    project.write("fiches/04-x.md", FICHE.replace("date: 2026-06-01", "date: 2026-06-01\nupdated: 2026-05-31"))
    assert only(project).startswith("fiches/04-x.md:7: « updated » (2026-05-31) est antérieure à « date » (2026-06-01)")


def test_empty_file(project):
    project.write("cases/vide.md", "")
    assert only(project).startswith("cases/vide.md:1: fichier vide")


def test_no_front_matter(project):
    project.write("cases/sans-entete.md", "Juste du texte.\n")
    assert only(project).startswith("cases/sans-entete.md:1: en-tête YAML absent")


def test_not_utf8_says_so(project):
    project.write("fiches/04-x.md", FICHE.replace("Texte.", "Économie").encode("latin-1"))
    assert only(project).startswith("fiches/04-x.md:9: le fichier n'est pas encodé en UTF-8")


def test_bom_and_crlf_are_accepted(project):
    project.write("fiches/04-x.md", ("\ufeff" + FICHE.replace("\n", "\r\n")).encode("utf-8"))
    fiche = load_corpus(project.root).fiche_by_number[4]
    assert fiche.title == "Une fiche" and "\r" not in fiche.body


def test_description_length(project):
    project.write("fiches/04-x.md", FICHE.replace("Une description.", "x" * 301))
    assert only(project) == "fiches/04-x.md:4: « description » fait 301 caractères ; 300 au plus sont attendus"


def test_resource_urls_only_http_https_mailto(project):
    project.write("fiches/04-x.md", FICHE.replace("date:", "resources:\n  - title: t\n    publisher: p\n    year: 2020\n    url: javascript:alert(1)\ndate:"))
    assert only(project).startswith("fiches/04-x.md:10: adresse refusée « javascript:alert(1) »")


def test_typed_link_to_unknown_target(project):
    project.write("fiches/04-x.md", FICHE.replace("Texte.", "Texte.\n\nVoir [cas](cas:bretagne-garag) et [f](fiche:8)."))
    found = problems(project)
    assert "fiches/04-x.md:11: lien vers un cas inconnu « cas:bretagne-garag » ; vouliez-vous dire « cas:bretagne-garage » ?" in found
    assert "fiches/04-x.md:11: lien vers une fiche inconnue « fiche:8 » ; vouliez-vous dire « fiche:7 » ?" in found


def test_typed_link_in_docs_page(project):
    project.write("docs/autre.md", "# Autre\n\nVoir [x](region:bretage).\n")
    assert only(project) == "docs/autre.md:3: lien vers une région inconnue « region:bretage » ; vouliez-vous dire « region:bretagne » ?"


def test_data_file_errors_name_the_data_file(project):
    text = (project.root / "data/themes.yml").read_text()
    project.write("data/themes.yml", text + "- slug: Logement Social\n  label: X\n  description: Y\n- slug: logement\n  label: Z\n  description: W\n")
    found = problems(project)
    assert any(p.startswith("data/themes.yml:15: slug « Logement Social » invalide") and "logement-social" in p for p in found), found
    assert any(p.startswith("data/themes.yml:18: thème « logement » en double") for p in found), found


def test_all_problems_at_once(project):
    project.write("fiches/04-x.md", FICHE.replace("themes: [logement]", "themes: [logment]"))
    project.write("cases/vide.md", "")
    project.write("fiches/08-y.md", FICHE.replace("number: 4", "number: 8").replace("date: 2026-06-01", "date: 2026-02-30"))
    found = problems(project)
    assert [p.split(":")[0] for p in found] == ["cases/vide.md", "fiches/04-x.md", "fiches/08-y.md"]


def test_yaml_alias_bomb_is_refused_quickly(project):
    bomb = "---\nnumber: 4\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n---\n"
    project.write("fiches/04-x.md", bomb)
    assert "alias YAML" in only(project)
