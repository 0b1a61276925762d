"""Generate a realistic synthetic esskb project: N fiches, M cases, in the content contract.

    python bench/generate.py OUT --pages 5000            # 6 % fiches, the rest cases
    python bench/generate.py OUT --fiches 20 --cases 40
    python bench/generate.py OUT --pages 1000 --plain    # the same corpus for plain MkDocs + Material

The project holds the repository's own content (its fiches, cases, docs/ and data/ files, so that
the hand-written pages' typed links resolve) plus generated fiches and cases: French bodies of
a few hundred words with typed links (fiche:, cas:, theme:, region:), glossary terms, front-matter
with themes, schemes, regions weighted by population, dates from 2015 to 2026, tags, resources and
workshop questions. Output is deterministic for a given seed and size.

``--plain`` writes the same items as plain Markdown pages (typed links turned into relative ``.md``
links, front-matter reduced to title and description) with a minimal mkdocs.yml: Material, search,
no hooks, MkDocs' default navigation (every page listed), as an author would start.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

from esskb.slugs import slugify  # noqa: E402
FICHE_SHARE = 0.06  # 5,000 pages = 300 fiches + 4,700 cases
SEED = 2026

# Regions weighted roughly by population (mainland) and smaller weights overseas.
REGION_WEIGHTS = {
    "ile-de-france": 12, "auvergne-rhone-alpes": 8, "nouvelle-aquitaine": 6, "occitanie": 6,
    "hauts-de-france": 6, "grand-est": 5, "provence-alpes-cote-d-azur": 5, "pays-de-la-loire": 4,
    "bretagne": 4, "normandie": 3, "bourgogne-franche-comte": 3, "centre-val-de-loire": 3,
    "corse": 1, "la-reunion": 1, "guadeloupe": 1, "martinique": 1, "guyane": 1, "mayotte": 1,
}
SCHEMES = ("SRDEII", "SRADDET", "PRPGD", "POR", "SPASER", "SOLIMA", "FEDER", "FSE", "PTCE", "SCIC", "CAE")
TERMS_IN_TEXT = ("ESS", "CRESS", "RTES", "SCIC", "CAE", "PTCE", "ESUS", "DGS", "FEDER", "FSE", "SRDEII", "SRADDET")

LEVERS = (
    "Soutenir", "Structurer", "Financer", "Accompagner", "Évaluer", "Territorialiser", "Mutualiser",
    "Coordonner", "Animer", "Outiller", "Développer", "Pérenniser",
)
OBJECTS = (
    "les pôles territoriaux de coopération économique", "les coopératives d'activité et d'emploi",
    "les tiers-lieux solidaires", "les ressourceries et recycleries", "l'habitat participatif",
    "les circuits alimentaires de proximité", "les garages solidaires", "l'insertion par l'activité économique",
    "les sociétés coopératives d'intérêt collectif", "les fonds de dotation territoriaux",
    "les clauses sociales des marchés publics", "les projets culturels coopératifs",
    "la mobilité solidaire en milieu rural", "la rénovation énergétique par l'ESS",
    "l'entrepreneuriat social des jeunes", "les réseaux d'accompagnement de l'ESS",
)
CONTEXTS = (
    "dans les schémas régionaux", "avec les intercommunalités", "par la commande publique",
    "avec les fonds européens", "dans les territoires ruraux", "dans les quartiers prioritaires",
    "avec la CRESS", "au sein des services régionaux", "en lien avec l'État", "par la co-construction",
)
ACTORS = (
    "Conseil régional", "CRESS", "Communauté d'agglomération", "Métropole", "Département",
    "Association régionale des ressourceries", "Union régionale des SCOP", "Réseau des tiers-lieux",
    "Collectif des acteurs de l'insertion", "Coopérative d'habitants", "Incubateur d'innovation sociale",
    "Parc naturel régional", "Pôle territorial de coopération économique",
)
CASE_TOPICS = {
    "ressourcerie": "une ressourcerie", "garage-solidaire": "un garage solidaire", "tiers-lieu": "un tiers-lieu",
    "cae": "une coopérative d'activité et d'emploi", "scic-energie": "une SCIC d'énergie renouvelable",
    "habitat-participatif": "un habitat participatif", "cantine-bio": "une cantine bio et locale",
    "epicerie-solidaire": "une épicerie solidaire", "clause-sociale": "des clauses sociales",
    "ptce": "un pôle territorial de coopération économique", "covoiturage-rural": "un covoiturage rural",
    "recyclerie": "une recyclerie", "fablab": "un fablab associatif", "conciergerie": "une conciergerie solidaire",
    "legumerie": "une légumerie", "friperie": "une friperie solidaire", "repair-cafe": "un repair café",
    "ferme-urbaine": "une ferme urbaine",
}
CASE_TITLES = (
    "{Topic} soutenu{e} en {region}", "{Topic} au cœur d'un territoire : l'exemple de {region}",
    "{Topic} porté{e} par {actor}", "En {region}, {topic} pour l'emploi local",
    "{Topic} et la commande publique en {region}",
)
TAGS = (
    "clause sociale", "référents ESS", "formations croisées", "schémas régionaux", "appel à projets",
    "gouvernance partagée", "innovation sociale", "emploi local", "réemploi", "circuits courts",
    "transition énergétique", "jeunesse", "ruralité", "quartiers prioritaires", "coopération",
    "financement participatif", "évaluation", "mutualisation", "achats responsables", "tiers-lieux",
)
PUBLISHERS = ("RTES", "ESS France", "Avise", "CRESS", "Labo de l'ESS", "ADEME", "France urbaine", "Régions de France")

SENTENCES = (
    "L'ESS regroupe des associations, des coopératives, des mutuelles et des fondations qui partagent une gouvernance démocratique et une lucrativité limitée.",
    "La région {region} a inscrit ce chantier dans sa feuille de route dès {year}, en lien étroit avec la CRESS.",
    "Les élus ont souhaité que la démarche associe dès le départ les acteurs de terrain, les services instructeurs et les partenaires financiers.",
    "Un comité de pilotage réunit chaque trimestre les directions concernées, les intercommunalités volontaires et les têtes de réseau de l'ESS.",
    "Le SRDEII prévoit un volet spécifique consacré à l'économie sociale et solidaire, décliné en fiches actions.",
    "Les structures accompagnées ont créé plusieurs dizaines d'emplois non délocalisables, souvent pour des personnes éloignées de l'emploi.",
    "La collectivité mobilise à la fois ses aides à l'investissement, ses dispositifs d'ingénierie et ses achats.",
    "Le recours aux clauses sociales dans les marchés de travaux a été généralisé après une phase d'expérimentation de deux ans.",
    "Une SCIC a été constituée pour porter l'activité, avec au capital des salariés, des usagers, des collectivités et des entreprises locales.",
    "Les porteurs de projet bénéficient d'un accompagnement individualisé pendant dix-huit mois, puis d'un suivi collectif.",
    "L'évaluation menée en {year} souligne l'effet levier des financements régionaux sur les fonds privés et européens.",
    "Le FEDER a cofinancé l'équipement des locaux, tandis que le FSE a soutenu les parcours d'insertion.",
    "Une CAE accueille les entrepreneurs qui souhaitent tester leur activité dans un cadre sécurisé avant de se lancer.",
    "Le PTCE fédère une trentaine de structures autour d'une stratégie commune de développement territorial.",
    "La démarche s'appuie sur un diagnostic partagé des besoins du territoire, réalisé avec les habitants.",
    "Les agents régionaux ont suivi une formation croisée pour mieux connaître les statuts et les modèles économiques de l'ESS.",
    "Un appel à projets annuel permet de repérer les initiatives émergentes et de les orienter vers les bons interlocuteurs.",
    "La mutualisation des fonctions support entre structures a permis de réduire les coûts et de professionnaliser la gestion.",
    "Les résultats sont présentés chaque année lors de la conférence régionale de l'ESS, qui réunit plusieurs centaines de participants.",
    "Le projet a reçu l'agrément ESUS, ce qui facilite l'accès à l'épargne solidaire et aux financements dédiés.",
    "La DGS a désigné un référent chargé de faire le lien entre les directions et de suivre les indicateurs.",
    "Les partenaires ont signé une convention pluriannuelle qui fixe les objectifs, les moyens et les modalités de suivi.",
    "Le SRADDET intègre désormais des objectifs de prévention des déchets et de réemploi portés par les acteurs de l'ESS.",
    "Plusieurs intercommunalités ont repris la démarche à leur échelle, avec l'appui technique de la région.",
    "La difficulté principale tient à la durée des financements, souvent annuels, face à des projets qui demandent du temps.",
    "Les bénévoles et les salariés ont co-écrit une charte qui précise la gouvernance et le partage de la valeur.",
    "Le RTES a documenté cette expérience et l'a présentée lors d'un séminaire national consacré aux politiques régionales.",
    "La commande publique responsable constitue un levier puissant : les achats des collectivités représentent une part importante du PIB.",
    "Les lycées de la région participent à l'expérimentation, notamment pour la restauration collective et l'entretien des bâtiments.",
    "Un fonds territorial a été abondé par la région, la Banque des territoires et des entreprises du secteur.",
)
HEADINGS = (
    "Le contexte", "Les acteurs mobilisés", "Les moyens engagés", "Les résultats", "Les difficultés rencontrées",
    "Les perspectives", "Ce que la région a changé", "Les leviers d'action", "Pour aller plus loin",
    "La gouvernance du projet", "Le financement", "Le rôle des partenaires",
)
WORKSHOP = (
    "Quelles directions de notre collectivité pourraient s'associer à une démarche comparable ?",
    "Quels acteurs de l'ESS de notre territoire portent déjà des projets de ce type, et les connaissons-nous ?",
    "Quels indicateurs retenir pour suivre les effets de ce soutien sur l'emploi et le territoire ?",
    "Comment associer la CRESS et les têtes de réseau dès la préparation du dispositif ?",
    "Quels freins administratifs faudrait-il lever pour reproduire cette action chez nous ?",
)


@dataclass
class Plan:
    """What the generator decided before writing: numbers, slugs and the link graph."""

    themes: list[str]
    regions: dict[str, str]  # slug -> label
    fiches: list[dict] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)
    planned: list[dict] = field(default_factory=list)


def split_pages(pages: int) -> tuple[int, int]:
    fiches = max(1, round(pages * FICHE_SHARE))
    return fiches, pages - fiches


def _load_yaml(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _repo_items(source: Path) -> tuple[list[Path], list[Path]]:
    return sorted((source / "fiches").glob("*.md")), sorted((source / "cases").glob("*.md"))


def plan(fiches: int, cases: int, seed: int = SEED, source: Path = ROOT) -> Plan:
    """Decide every item: counts include the repository's own fiches and cases."""
    rng = random.Random(seed)
    themes = [t["slug"] for t in _load_yaml(source / "data/themes.yml")]
    regions = {r["slug"]: r["label"] for r in _load_yaml(source / "data/regions.yml")}
    repo_fiches, repo_cases = _repo_items(source)
    catalogue = _load_yaml(source / "data/catalogue.yml") or []
    taken = {int(p.name.split("-", 1)[0]) for p in repo_fiches} | {int(e["number"]) for e in catalogue}
    p = Plan(themes=themes, regions=regions)
    p.planned = [dict(number=int(e["number"]), title=e["title"]) for e in catalogue]

    number = 0
    for i in range(max(0, fiches - len(repo_fiches))):
        number += 1
        while number in taken:
            number += 1
        taken.add(number)
        lever, obj, ctx = rng.choice(LEVERS), rng.choice(OBJECTS), rng.choice(CONTEXTS)
        title = f"{lever} {obj} {ctx}"
        slug = _short_slug(f"{lever} {obj}")
        p.fiches.append(dict(number=number, stem=f"{number:02d}-{slug}", title=title, themes=rng.sample(themes, rng.randint(1, 3))))
        if (i + 1) % 15 == 0:  # a planned fiche now and then, as in a real guide
            number += 1
            while number in taken:
                number += 1
            taken.add(number)
            p.planned.append(dict(number=number, title=f"{rng.choice(LEVERS)} {rng.choice(OBJECTS)} (en préparation)"))
    written = [f["number"] for f in p.fiches] + [int(x.name.split("-", 1)[0]) for x in repo_fiches]
    planned_numbers = [e["number"] for e in p.planned]

    slugs = {x.stem for x in repo_cases}
    weights = [REGION_WEIGHTS.get(r, 1) for r in regions]
    for i in range(max(0, cases - len(repo_cases))):
        region = rng.choices(list(regions), weights)[0]
        slug = f"{region}-{rng.choice(list(CASE_TOPICS))}-{i + 1}"
        slugs.add(slug)
        illustrated = rng.sample(written, min(len(written), rng.choice((1, 1, 2, 2, 3))))
        if planned_numbers and rng.random() < 0.05:
            illustrated.append(rng.choice(planned_numbers))
        p.cases.append(dict(slug=slug, region=region, fiches=illustrated, themes=rng.sample(themes, rng.randint(1, 3))))
    return p


def _short_slug(text: str, limit: int = 40) -> str:
    """A slug cut at a word boundary."""
    out = ""
    for word in slugify(text).split("-"):
        if out and len(out) + 1 + len(word) > limit:
            break
        out = f"{out}-{word}" if out else word
    return out


def _paragraphs(rng: random.Random, count: int, region: str, links: list[str]) -> list[str]:
    """``count`` paragraphs of 3 to 5 sentences; the typed links are spread over them."""
    out = []
    for _ in range(count):
        sentences = [s.format(region=region, year=rng.randint(2014, 2025)) for s in rng.sample(SENTENCES, rng.randint(3, 5))]
        out.append(" ".join(sentences))
    for index, link in enumerate(links):
        at = index % len(out)
        out[at] = f"{out[at]} {link}"
    return out


def _body(rng: random.Random, intro: str, region: str, links: list[str]) -> str:
    sections = rng.sample(HEADINGS, rng.randint(3, 4))
    paragraphs = _paragraphs(rng, len(sections) * 2, region, links)
    parts = [intro, ""]
    for index, heading in enumerate(sections):
        parts += [f"## {heading}", "", paragraphs[2 * index], "", paragraphs[2 * index + 1], ""]
    if rng.random() < 0.3:
        parts += ["Points clés :", "", *(f"- {s}" for s in rng.sample(SENTENCES, 3)), ""]
    return "\n".join(parts)


def _dates(rng: random.Random) -> tuple[str, str | None]:
    year, month, day = rng.randint(2015, 2026), rng.randint(1, 10), rng.randint(1, 28)
    date = f"{year}-{month:02d}-{day:02d}"
    if rng.random() < 0.3 and year < 2026:
        return date, f"{rng.randint(year + 1, 2026)}-{rng.randint(1, 10):02d}-{rng.randint(1, 28):02d}"
    return date, None


def _front(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000) + "---\n\n"


def fiche_text(rng: random.Random, p: Plan, f: dict) -> str:
    numbers = [x["number"] for x in p.fiches] + [x["number"] for x in p.planned]
    see_also = sorted({n for n in rng.sample(numbers, min(3, len(numbers))) if n != f["number"]})[: rng.randint(0, 3)]
    date, updated = _dates(rng)
    region = rng.choice(list(p.regions))
    data: dict = dict(
        number=f["number"], title=f["title"],
        description=f"Repères pour {f['title'][0].lower()}{f['title'][1:]} : enjeux, leviers d'action des conseils régionaux et exemples.",
        themes=f["themes"], schemes=rng.sample(SCHEMES, rng.randint(0, 3)), see_also=see_also,
    )
    if rng.random() < 0.6:
        data["resources"] = [
            dict(title=f"{rng.choice(LEVERS)} {rng.choice(OBJECTS)}", publisher=rng.choice(PUBLISHERS), year=rng.randint(2012, 2025))
            for _ in range(rng.randint(1, 3))
        ]
    data["date"] = date
    if updated:
        data["updated"] = updated
    if not data["schemes"]:
        del data["schemes"]
    if not see_also:
        del data["see_also"]
    data["tags"] = rng.sample(TAGS, rng.randint(0, 3)) or None
    data["workshop"] = rng.sample(WORKSHOP, rng.randint(0, 2)) or None
    data = {k: v for k, v in data.items() if v is not None}
    links = [f"Voir aussi le thème [{t}](theme:{t})." for t in f["themes"][:1]]
    links += [f"Ce point est développé dans la [fiche n° {n}](fiche:{n})." for n in see_also[:2]]
    links.append(f"C'est le cas par exemple en [{p.regions[region]}](region:{region}).")
    intro = f"Cette fiche présente les leviers dont disposent les régions pour {f['title'][0].lower()}{f['title'][1:]}. Elle s'adresse aux élus comme aux agents des services."
    return _front(data) + _body(rng, intro, p.regions[region], links)


def case_text(rng: random.Random, p: Plan, c: dict, neighbour: str | None) -> str:
    date, updated = _dates(rng)
    label = p.regions[c["region"]]
    topic = CASE_TOPICS[c["slug"].rsplit("-", 1)[0][len(c["region"]) + 1 :]]
    actor = f"{rng.choice(ACTORS)} {label}"
    agree = "es" if topic.startswith("des ") else "e" if topic.startswith("une ") else ""
    title = rng.choice(CASE_TITLES).format(Topic=topic[0].upper() + topic[1:], topic=topic, region=label, actor=actor, e=agree)
    data: dict = dict(
        title=title,
        description=f"En {label}, {topic} porté{agree} par {actor} montre comment une collectivité peut soutenir l'ESS dans la durée.",
        region=c["region"], actor=actor, year=rng.randint(2008, 2025), fiches=c["fiches"], themes=c["themes"],
        schemes=rng.sample(SCHEMES, rng.randint(0, 2)) or None, date=date, updated=updated,
        tags=rng.sample(TAGS, rng.randint(0, 3)) or None, workshop=rng.sample(WORKSHOP, rng.randint(0, 2)) or None,
    )
    data = {k: v for k, v in data.items() if v is not None}
    links = [f"Ce cas illustre la [fiche n° {n}](fiche:{n})." for n in c["fiches"]]
    links.append(f"Retrouvez les autres initiatives de la région [{label}](region:{c['region']}).")
    links.append(f"Le thème [{c['themes'][0]}](theme:{c['themes'][0]}) rassemble des démarches proches.")
    if neighbour:
        links.append(f"Une démarche voisine est décrite dans [ce cas pratique](cas:{neighbour}).")
    intro = f"En {label}, {actor} porte depuis plusieurs années {topic} qui associe collectivités, habitants et structures de l'ESS."
    return _front(data) + _body(rng, intro, label, links)


def catalogue_text(p: Plan) -> str:
    head = "# Fiches prévues (corpus de banc d'essai généré par bench/generate.py).\n"
    return head + yaml.safe_dump(sorted(p.planned, key=lambda e: e["number"]), allow_unicode=True, sort_keys=False, width=10_000)


def mkdocs_yml(source: Path = ROOT, pdf: bool = False, search: str = "lunr", workers: int | None = None) -> str:
    """The repository's mkdocs.yml with absolute paths to the hook, overrides and watched hooks.

    Dossier PDFs are off unless asked for: WeasyPrint prints each theme's full texts, minutes
    per dossier at these sizes (the benchmark measures them on their own). ``search="pagefind"``
    turns Material's search plugin off and sets ``extra: esskb: search: pagefind``; ``workers``
    sets ``extra: esskb: workers`` (1: pages rendered in one process).
    """
    text = (source / "mkdocs.yml").read_text(encoding="utf-8")
    if "\n  esskb:\n" not in text or "\n  - search:\n" not in text:
        raise SystemExit("mkdocs.yml : section « extra: esskb: » ou extension « search » introuvable")
    if not pdf:
        text = text.replace("\n  esskb:\n", "\n  esskb:\n    pdf: false\n", 1)
    if workers:
        text = text.replace("\n  esskb:\n", f"\n  esskb:\n    workers: {workers}\n", 1)
    if search == "pagefind":
        text = text.replace("\n  esskb:\n", "\n  esskb:\n    search: pagefind\n", 1)
        text = text.replace("\n  - search:\n", "\n  - search:\n      enabled: false\n", 1)
    text = text.replace("custom_dir: overrides", f"custom_dir: {source / 'overrides'}")
    text = text.replace("\n  - hooks\n", f"\n  - {source / 'hooks'}\n")
    return text.replace("- hooks/esskb_hooks.py", f"- {source / 'hooks' / 'esskb_hooks.py'}")


def generate(dest: Path, fiches: int, cases: int, seed: int = SEED, source: Path = ROOT, pdf: bool = False, search: str = "lunr", workers: int | None = None) -> Plan:
    """Write the esskb project (fiches/, cases/, data/, docs/, mkdocs.yml) into ``dest``."""
    p = plan(fiches, cases, seed, source)
    if dest.exists():
        shutil.rmtree(dest)
    for folder in ("fiches", "cases", "data", "docs"):
        shutil.copytree(source / folder, dest / folder)
    (dest / "data/catalogue.yml").write_text(catalogue_text(p), encoding="utf-8")
    rng = random.Random(seed + 1)
    for f in p.fiches:
        (dest / "fiches" / f"{f['stem']}.md").write_text(fiche_text(rng, p, f), encoding="utf-8")
    for index, c in enumerate(p.cases):
        neighbour = p.cases[index - 1]["slug"] if index and rng.random() < 0.3 else None
        (dest / "cases" / f"{c['slug']}.md").write_text(case_text(rng, p, c, neighbour), encoding="utf-8")
    (dest / "mkdocs.yml").write_text(mkdocs_yml(source, pdf, search, workers), encoding="utf-8")
    return p


# -- plain MkDocs + Material: the same items, no hooks, default nav ----------------

_TYPED = re.compile(r"\]\((fiche|cas|theme|region):([^)#\s]*)(#[^)\s]*)?\)")

PLAIN_YML = """site_name: Base de connaissances ESS (MkDocs + Material seuls)
site_url: https://example.org/plain/
theme:
  name: material
  language: fr
  font: false
plugins:
  - search:
      lang: fr
"""


def plain(esskb_project: Path, dest: Path) -> int:
    """Copy an esskb project's fiches and cases as plain pages; return the page count."""
    if dest.exists():
        shutil.rmtree(dest)
    docs = dest / "docs"
    stems = {p.name.split("-", 1)[0].lstrip("0"): p.stem for p in (esskb_project / "fiches").glob("*.md")}
    count = 0
    for folder, out in (("fiches", "fiches"), ("cases", "cas")):
        (docs / out).mkdir(parents=True)
        for path in sorted((esskb_project / folder).glob("*.md")):
            text = path.read_text(encoding="utf-8")
            _, head, body = text.split("---\n", 2)
            meta = yaml.safe_load(head)

            def link(m: re.Match) -> str:
                kind, target, anchor = m.group(1), m.group(2), m.group(3) or ""
                if kind == "fiche":  # every page sits one folder down: ../fiches/ or ../cas/
                    return f"](../fiches/{stems[target]}.md{anchor})" if target in stems else "](../index.md)"
                if kind == "cas":
                    return f"](../cas/{target}.md{anchor})"
                return "](../index.md)"  # theme and region pages do not exist without the hook

            body = _TYPED.sub(link, body)
            front = _front({"title": meta["title"], "description": meta["description"]})
            (docs / out / path.name).write_text(front + f"# {meta['title']}\n\n{meta['description']}\n\n{body}", encoding="utf-8")
            count += 1
    (docs / "index.md").write_text("# Base de connaissances ESS\n\nFiches et cas pratiques, sans extension.\n", encoding="utf-8")
    (dest / "mkdocs.yml").write_text(PLAIN_YML, encoding="utf-8")
    return count + 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Génère un corpus esskb synthétique pour le banc d'essai.")
    parser.add_argument("dest", type=Path, help="dossier du projet à créer (remplacé s'il existe)")
    parser.add_argument("--pages", type=int, help="fiches + cas (6 %% de fiches)")
    parser.add_argument("--fiches", type=int)
    parser.add_argument("--cases", type=int)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--search", choices=["lunr", "pagefind"], default="lunr", help="recherche de Material (lunr) ou Pagefind")
    parser.add_argument("--plain", action="store_true", help="écrire aussi DEST-plain : le même corpus pour MkDocs + Material seuls")
    args = parser.parse_args(argv)
    if args.pages:
        fiches, cases = split_pages(args.pages)
    elif args.fiches and args.cases:
        fiches, cases = args.fiches, args.cases
    else:
        parser.error("indiquez --pages, ou --fiches et --cases")
    generate(args.dest, fiches, cases, args.seed, search=args.search)
    print(f"{args.dest} : {fiches} fiches, {cases} cas")
    if args.plain:
        target = args.dest.with_name(args.dest.name + "-plain")
        print(f"{target} : {plain(args.dest, target)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
