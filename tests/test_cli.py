"""The authoring commands, each run as a subprocess on a copy of the fixture corpus:
``esskb new``, ``check`` (text, GitHub annotations, JSON), ``stats``, ``--help``, the
console script, the Makefile shortcuts and the pre-commit hook manifest."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from htmlcheck import content, page

from conftest import ENV, ROOT

from esskb.commands import MODULES
from esskb.validation import CASE_KEYS, FICHE_KEYS

TRICKY = 'L\'ESS : « pivot » <script>alert("x")</script> & 100 %, #1'
FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def front(path: Path) -> tuple[dict, list[str]]:
    """The front-matter of a file, parsed, and its raw lines."""
    text = path.read_text(encoding="utf-8")
    block = FRONT.match(text).group(1)
    return yaml.safe_load(block), block.splitlines()


def created(result: subprocess.CompletedProcess, root: Path) -> Path:
    """The file a successful ``esskb new`` reports on its first line."""
    assert result.returncode == 0, result.stderr
    rel = re.search(r"créée? : (\S+\.md)", result.stdout).group(1)
    return root / rel


def kb(project) -> dict:
    return json.loads((project.site / "kb.json").read_text(encoding="utf-8"))


# -- esskb new ---------------------------------------------------------------------


def test_new_fiche_is_valid_commented_and_builds_with_its_exact_title(project):
    result = project.esskb("new", "fiche", TRICKY, "--theme", "Mobilité", "--theme", "dechets", "--no-draft", "--date", "2026-06-01")
    path = created(result, project.root)
    # fixture: fiches 1, 2, 7 written, 3 and 9 planned -> the next free number is 10
    assert path.relative_to(project.root).as_posix() == "fiches/10-l-ess-pivot-script-alert-x-script-100-1.md"
    meta, lines = front(path)
    assert meta["number"] == 10 and meta["title"] == TRICKY
    assert meta["themes"] == ["mobilite", "dechets"] and meta["date"].isoformat() == "2026-06-01"
    assert meta["draft"] is False
    # every key of the contract is there (updated commented out), each under a French comment
    keys = [line.split(":")[0] for line in lines if re.match(r"^[a-z_]+:", line)]
    assert set(keys) == set(FICHE_KEYS) - {"updated"}
    assert any(line.startswith("# updated: ") for line in lines)
    for index, line in enumerate(lines):
        if re.match(r"^[a-z_]+:", line):
            assert lines[index - 1].startswith("# "), f"no comment above {line!r}"
    assert project.esskb("check").returncode == 0
    project.build(check=True)
    doc = page(project.site, "fiches/10-l-ess-pivot-script-alert-x-script-100-1/")
    assert content(doc).cssselect("h1")[0].text_content().rstrip("¶").strip() == TRICKY
    assert not content(doc).cssselect("script")
    assert [f["title"] for f in kb(project)["fiches"] if f["number"] == 10] == [TRICKY]


def test_new_files_are_drafts_by_default_valid_and_never_published(project):
    result = project.esskb("new", "fiche", "Une fiche en cours")
    fiche = created(result, project.root)
    # the preview address follows site_url's path, as mkdocs serve mounts the site there
    assert "http://127.0.0.1:8000/esskb/fiches/10-une-fiche-en-cours/" in result.stdout
    assert "les fiches n° 3, 9 sont prévues dans data/catalogue.yml" in result.stdout
    case = created(project.esskb("new", "case", "Une épicerie solidaire", "--region", "occitanie"), project.root)
    assert fiche.name == "10-une-fiche-en-cours.md"
    assert case.name == "occitanie-une-epicerie-solidaire.md"
    for path in (fiche, case):
        meta, _ = front(path)
        assert meta["draft"] is True
        assert meta["description"].startswith("À compléter")
    case_meta, _ = front(case)
    assert case_meta["fiches"] == [1] and case_meta["themes"] == ["logement"]  # first written fiche, first theme
    checked = project.esskb("check")
    assert checked.returncode == 0, checked.stdout
    assert "dont 2 brouillons" in checked.stdout
    project.build(check=True)
    assert not (project.site / "fiches/10-une-fiche-en-cours").exists()
    assert not (project.site / "cas/occitanie-une-epicerie-solidaire").exists()
    data = kb(project)
    assert 10 not in [f["number"] for f in data["fiches"]]
    assert "occitanie-une-epicerie-solidaire" not in [c["slug"] for c in data["cases"]]


def test_new_case_builds_with_its_region_and_fiches(project):
    result = project.esskb(
        "new", "cas", 'Un "garage" : solidaire', "--region", "Île-de-France", "--fiche", "9", "--fiche", "2",
        "--actor", "Région Île-de-France", "--theme", "mobilite", "--no-draft",
    )
    path = created(result, project.root)
    assert path.relative_to(project.root).as_posix() == "cases/ile-de-france-un-garage-solidaire.md"
    meta, lines = front(path)
    assert meta["title"] == 'Un "garage" : solidaire'
    assert meta["region"] == "ile-de-france" and meta["fiches"] == [9, 2] and meta["actor"] == "Région Île-de-France"
    assert {line.split(":")[0] for line in lines if re.match(r"^[a-z_]+:", line)} == set(CASE_KEYS) - {"updated", "year"}
    assert project.esskb("check").returncode == 0
    project.build(check=True)
    doc = content(page(project.site, "cas/ile-de-france-un-garage-solidaire/"))
    assert doc.cssselect("h1")[0].text_content().rstrip("¶").strip() == 'Un "garage" : solidaire'
    meta_text = doc.cssselect(".esskb-meta")[0].text_content()
    assert "Île-de-France" in meta_text and "Région Île-de-France" in meta_text
    # the body links to fiche 9, planned: rendered "à paraître"
    assert "(à paraître)" in doc.text_content()


CATALOGUE = """\
# Fiches prévues : retirer une entrée quand la fiche est rédigée.

- number: 3
  title: Les mobilités solidaires en milieu rural
# le réemploi, prévu pour l'automne
- number: 9
  title: >-
    Le réemploi
    dans les lycées

# fin du catalogue
- number: 12
  title: "Mobiliser les fonds européens"
"""


def test_new_planned_fiche_takes_its_title_and_leaves_the_catalogue(project):
    project.write("data/catalogue.yml", CATALOGUE)
    path = created(project.esskb("new", "fiche", "--number", "9"), project.root)
    assert path.name == "09-le-reemploi-dans-les-lycees.md"
    assert front(path)[0]["title"] == "Le réemploi dans les lycées"
    expected = CATALOGUE.replace("- number: 9\n  title: >-\n    Le réemploi\n    dans les lycées\n", "")
    assert (project.root / "data/catalogue.yml").read_text(encoding="utf-8") == expected
    # the title of a planned fiche, accents and case aside, gives its number too
    result = project.esskb("new", "fiche", "les MOBILITES solidaires en milieu rural")
    assert created(result, project.root).name == "03-les-mobilites-solidaires-en-milieu-rural.md"
    assert "retirée de data/catalogue.yml" in result.stdout
    assert [e["number"] for e in yaml.safe_load((project.root / "data/catalogue.yml").read_text())] == [12]
    assert project.esskb("check").returncode == 0


def test_new_refuses_to_overwrite(project):
    first = created(project.esskb("new", "case", "Un garage solidaire", "--region", "bretagne", "--slug", "bretagne-garage-2"), project.root)
    first.write_text("mon texte", encoding="utf-8")
    again = project.esskb("new", "case", "Autre titre", "--region", "bretagne", "--slug", "bretagne-garage-2")
    assert again.returncode == 1
    assert "existe déjà" in again.stderr and "bretagne-garage-2.md" in again.stderr
    assert first.read_text(encoding="utf-8") == "mon texte"
    before = sorted(p.name for p in (project.root / "fiches").iterdir())
    taken = project.esskb("new", "fiche", "Autre habitat", "--number", "1")
    assert taken.returncode == 1 and "la fiche n° 1 existe déjà : fiches/01-habitat-participatif.md" in taken.stderr
    assert sorted(p.name for p in (project.root / "fiches").iterdir()) == before


@pytest.mark.parametrize(
    "args, message",
    [
        (("new", "case", "Titre", "--region", "bretgne"), "région inconnue « bretgne » ; vouliez-vous dire « bretagne » ?"),
        (("new", "fiche", "Titre", "--theme", "logment"), "thème inconnu « logment » ; vouliez-vous dire « logement » ?"),
        (("new", "case", "Titre", "--region", "corse", "--fiche", "8"), "fiche 8 inconnue dans --fiche"),
        (("new", "fiche", "Titre", "--slug", "Mon Slug"), "vouliez-vous dire « mon-slug » ?"),
        (("new", "fiche"), "donnez le titre de la fiche"),
        (("new", "fiche", "Titre", "--date", "2026-13-01"), "date invalide « 2026-13-01 »"),
        (("new", "case", "Titre"), "arguments obligatoires manquants : --region"),
    ],
)
def test_new_usage_errors_exit_2_in_french_and_create_nothing(project, args, message):
    result = project.esskb(*args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr
    assert "utilisation : esskb new" in result.stderr
    assert len(list((project.root / "fiches").iterdir())) == 3 and len(list((project.root / "cases").iterdir())) == 3


# -- esskb check -------------------------------------------------------------------


def break_corpus(project) -> None:
    text = (project.root / "cases/bretagne-garage.md").read_text(encoding="utf-8")
    project.write("cases/bretagne-garage.md", text.replace("themes: [mobilite]", 'themes: [mobilte, "cent%"]'))
    project.write("cases/a,b.md", "---\ntitle: Sans le reste\n---\n")
    project.write("fiches/04-x.md", "---\nnumber: 4\ntitle: Une fiche: mal écrite\n---\n")


def test_check_on_a_good_corpus(project):
    for fmt in ("text", "github"):
        result = project.esskb("check", "--format", fmt)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "Contenu valide : 3 fiches, 3 cas (dont 0 brouillon), 2 fiches à paraître." in result.stdout + result.stderr
    assert project.esskb("check", "--format", "github").stdout == ""
    data = json.loads(project.esskb("check", "--format", "json").stdout)
    assert data == {"ok": True, "problems": [], "counts": {"fiches": 3, "cases": 3, "planned": 2, "drafts": 0, "problems": 0}}


def test_check_text_prints_the_build_lines_and_exits_1(project):
    break_corpus(project)
    result = project.esskb("check")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "cases/bretagne-garage.md:7: thème inconnu « mobilte » dans « themes » ; vouliez-vous dire « mobilite » ? (voir data/themes.yml)" in lines
    assert "fiches/04-x.md:3: syntaxe YAML invalide : « : » inattendu (une valeur contenant « : » doit être entre guillemets)" in lines
    assert all(re.match(r"^[\w/,.-]+:\d+: \S", line) for line in lines), lines
    assert f"{len(lines)} problèmes trouvés" in result.stderr
    build = project.build()
    assert build.returncode != 0
    logged = {m.group(1) for m in re.finditer(r"^ERROR\s+-\s+(\S+:\d+: .*)$", build.stdout + build.stderr, re.M)}
    assert logged == set(lines)


def _unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def test_check_github_annotations_and_json_agree(project):
    break_corpus(project)
    github = project.esskb("check", "--format", "github")
    as_json = project.esskb("check", "--format", "json")
    assert github.returncode == 1 and as_json.returncode == 1
    data = json.loads(as_json.stdout)
    assert data["ok"] is False
    assert data["counts"] == {"fiches": 4, "cases": 4, "planned": None, "drafts": None, "problems": len(data["problems"])}
    annotations = []
    for line in github.stdout.splitlines():
        match = re.fullmatch(r"::error (?P<props>[^:]*)::(?P<message>.*)", line)
        assert match, line
        props = dict(pair.split("=", 1) for pair in match["props"].split(","))
        assert set(props) == {"file", "line", "title"} and props["title"] == "esskb"
        annotations.append({"path": _unescape(props["file"]), "line": int(props["line"]), "message": _unescape(match["message"])})
    assert annotations == data["problems"]
    assert {"path": "cases/a,b.md", "line": 1, "message": "clé obligatoire « actor » absente"} in annotations
    assert any("« cent% »" in a["message"] for a in annotations)
    assert "file=cases/a%2Cb.md," in github.stdout and "cent%25" in github.stdout


def test_check_github_paths_are_relative_to_the_current_folder(project):
    break_corpus(project)
    result = subprocess.run(
        [sys.executable, "-m", "esskb", "check", "--root", "proj", "--format", "github"],
        cwd=project.root.parent, env={**ENV, "PYTHONPATH": str(ROOT / "hooks")}, capture_output=True, text=True,
    )
    assert result.returncode == 1
    assert "::error file=proj/cases/bretagne-garage.md,line=7," in result.stdout


def test_usage_errors_exit_2_in_french(project):
    bad = project.esskb("check", "--format", "xml")
    assert bad.returncode == 2
    assert "esskb check : erreur : argument --format : choix invalide : 'xml'" in bad.stderr
    nothing = project.esskb()
    assert nothing.returncode == 2 and "utilisation : esskb" in nothing.stderr and "arguments obligatoires manquants" in nothing.stderr
    missing = project.esskb("--root", "nulle-part", "check")
    assert missing.returncode == 2 and "dossier du projet introuvable : nulle-part" in missing.stderr


@pytest.mark.parametrize("command", [(), *((name,) for name in MODULES), ("new", "fiche"), ("new", "case")])
def test_help_is_french_for_every_command(project, command):
    result = project.esskb(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("utilisation : esskb")
    assert "afficher cette aide et quitter" in result.stdout
    for english in ("usage:", "show this help", "positional arguments", "error:"):
        assert english not in result.stdout
    if command[:1] in ((), ("check",), ("new",), ("stats",)):
        assert "Exemples :\n  esskb " in result.stdout


# -- esskb stats -------------------------------------------------------------------


def test_stats_counts_by_theme_region_year_and_status(project):
    created(project.esskb("new", "case", "Un tiers-lieu", "--region", "corse", "--theme", "alimentation", "--date", "2027-01-05"), project.root)
    data = json.loads(project.esskb("stats", "--format", "json").stdout)
    assert data["fiches"] == {"total": 3, "published": 3, "drafts": 0}
    assert data["cases"] == {"total": 4, "published": 3, "drafts": 1}
    themes = {t["slug"]: (t["fiches"], t["cases"]) for t in data["themes"]}
    assert themes == {"logement": (2, 2), "mobilite": (1, 1), "dechets": (1, 1), "alimentation": (0, 1)}
    regions = {r["slug"]: r["cases"] for r in data["regions"] if r["cases"]}
    assert regions == {"bretagne": 2, "occitanie": 1, "corse": 1}
    assert data["years"] == [{"year": 2026, "fiches": 3, "cases": 3}, {"year": 2027, "fiches": 0, "cases": 1}]
    assert [p["number"] for p in data["planned"]] == [3, 9]
    text = project.esskb("stats")
    assert text.returncode == 0
    assert "Fiches : 3 (3 publiées, 0 brouillon)" in text.stdout
    assert "Cas pratiques : 4 (3 publiés, 1 brouillon)" in text.stdout
    assert re.search(r"^  Logement\s+2\s+2$", text.stdout, re.M)
    assert re.search(r"^  Bretagne\s+2$", text.stdout, re.M)
    assert re.search(r"^  2027\s+0\s+1$", text.stdout, re.M)
    assert "n° 9  Le réemploi dans les lycées" in text.stdout
    assert "sans cas (15)" in text.stdout


def test_stats_on_an_invalid_corpus_lists_the_problems(project):
    break_corpus(project)
    result = project.esskb("stats")
    assert result.returncode == 1
    assert "cases/bretagne-garage.md:7: thème inconnu « mobilte »" in result.stderr


# -- console script, Makefile, pre-commit ------------------------------------------


def script() -> Path:
    found = Path(sys.executable).parent / "esskb"
    if not found.exists():
        pytest.skip("console script esskb not installed (pip install -e .)")
    return found


def test_console_script_runs_the_same_commands(project):
    good = subprocess.run([str(script()), "check", "--format", "json"], cwd=project.root, env=ENV, capture_output=True, text=True)
    assert good.returncode == 0 and json.loads(good.stdout)["ok"] is True
    break_corpus(project)
    bad = subprocess.run([str(script()), "check"], cwd=project.root, env=ENV, capture_output=True, text=True)
    assert bad.returncode == 1 and "cases/a,b.md:1: clé obligatoire « actor » absente" in bad.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make not installed")
def test_makefile_shortcuts(project):
    def make(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["make", "-s", "-f", str(ROOT / "Makefile"), "STAMP=", f"BIN={Path(sys.executable).parent}", *args],
            cwd=project.root, env={**ENV, "PYTHONPATH": str(ROOT / "hooks")}, capture_output=True, text=True,
        )

    title = 'L\'habitat "partagé" : `pourquoi` ?'
    fiche = make("new-fiche", f"TITLE={title}", "THEME=logement")
    assert front(created(fiche, project.root))[0]["title"] == title
    case = make("new-case", "TITLE=Une recyclerie", "REGION=occitanie", "FICHE=7")
    meta, _ = front(created(case, project.root))
    assert (meta["region"], meta["fiches"]) == ("occitanie", [7])
    planned = make("new-fiche", "NUMBER=3")
    assert created(planned, project.root).name == "03-les-mobilites-solidaires-en-milieu-rural.md"
    assert make("check").returncode == 0
    assert "Fiches : 5 (3 publiées, 2 brouillons)" in make("stats").stdout


def test_pre_commit_manifest_is_valid_and_runs_check(project):
    clientlib = pytest.importorskip("pre_commit.clientlib")
    (hook,) = clientlib.load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "esskb-check" and hook["language"] == "python" and hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    assert all(files.search(p) for p in ("fiches/05-x.md", "cases/corse.md", "data/themes.yml", "docs/index.md"))
    assert not any(files.search(p) for p in ("README.md", "hooks/esskb/cli.py", "site/index.html"))
    command = hook["entry"].split()
    assert command[0] == "esskb"
    run = [str(script()), *command[1:], *hook["args"]]
    assert subprocess.run(run, cwd=project.root, env=ENV, capture_output=True).returncode == 0
    break_corpus(project)
    assert subprocess.run(run, cwd=project.root, env=ENV, capture_output=True).returncode == 1
