"""``esskb stats``: counts by theme, region, year and status, and the fiches still to write."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from ..errors import ContentError
from ..model import Corpus
from . import load_project, report_problems


def statistics(corpus: Corpus) -> dict[str, Any]:
    """Every count, drafts included (a draft is work in progress, counted apart)."""
    def status(items) -> dict[str, int]:
        drafts = sum(1 for i in items if i.draft)
        return {"total": len(items), "published": len(items) - drafts, "drafts": drafts}

    theme_fiches = Counter(t for f in corpus.fiches for t in f.themes)
    theme_cases = Counter(t for c in corpus.cases for t in c.themes)
    region_cases = Counter(c.region for c in corpus.cases)
    year_fiches = Counter(f.date.year for f in corpus.fiches)
    year_cases = Counter(c.date.year for c in corpus.cases)
    return {
        "fiches": status(corpus.fiches),
        "cases": status(corpus.cases),
        "themes": [
            {"slug": t.slug, "label": t.label, "fiches": theme_fiches[t.slug], "cases": theme_cases[t.slug]}
            for t in corpus.themes
        ],
        "regions": [{"slug": r.slug, "label": r.label, "cases": region_cases[r.slug]} for r in corpus.regions],
        "years": [
            {"year": year, "fiches": year_fiches[year], "cases": year_cases[year]}
            for year in sorted(set(year_fiches) | set(year_cases))
        ],
        "planned": [{"number": p.number, "title": p.title} for p in corpus.planned],
    }


def _n(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count <= 1 else (plural or singular + 's')}"


def _status(counts: dict[str, int], feminine: bool) -> str:
    published = "publiée" if feminine else "publié"
    return f"{_n(counts['published'], published)}, {_n(counts['drafts'], 'brouillon')}"


def _table(rows: list[tuple[str, ...]], indent: str = "  ") -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
        out.append((indent + "  ".join(cells)).rstrip())
    return out


def as_text(stats: dict[str, Any]) -> str:
    f, c = stats["fiches"], stats["cases"]
    lines = [
        f"Fiches : {f['total']} ({_status(f, feminine=True)})",
        f"Cas pratiques : {c['total']} ({_status(c, feminine=False)})",
        f"Fiches prévues à rédiger : {len(stats['planned'])}",
        "",
        "Par thème :",
        *_table([("thème", "fiches", "cas")] + [(t["label"], str(t["fiches"]), str(t["cases"])) for t in stats["themes"]]),
        "",
        "Par région (cas pratiques) :",
    ]
    covered = [r for r in stats["regions"] if r["cases"]]
    if covered:
        lines += _table([("région", "cas")] + [(r["label"], str(r["cases"])) for r in covered])
    missing = [r["label"] for r in stats["regions"] if not r["cases"]]
    if missing:
        lines.append(f"  sans cas ({len(missing)}) : " + ", ".join(missing))
    lines += ["", "Par année de première publication :"]
    if stats["years"]:
        lines += _table([("année", "fiches", "cas")] + [(str(y["year"]), str(y["fiches"]), str(y["cases"])) for y in stats["years"]])
    else:
        lines.append("  aucun contenu")
    lines += ["", "Fiches prévues, encore à rédiger (data/catalogue.yml) :"]
    if stats["planned"]:
        width = max(len(str(p["number"])) for p in stats["planned"])
        lines += [f"  n° {str(p['number']).rjust(width)}  {p['title']}" for p in stats["planned"]]
    else:
        lines.append("  aucune")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    try:
        corpus, _ = load_project(Path(args.root))
    except ContentError as exc:
        return report_problems(exc, "corrigez-les, « esskb check » pour vérifier.")
    stats = statistics(corpus)
    if args.format == "json":
        print(json.dumps(stats, ensure_ascii=False, indent=2))
    else:
        print(as_text(stats))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "stats",
        help="compter fiches et cas par thème, région, année et statut",
        description=(
            "Compte les fiches et les cas pratiques par thème, par région, par année de première publication\n"
            "et par statut (publié ou brouillon), et liste les fiches prévues qui restent à rédiger.\n"
            "Le contenu doit être valide (voir « esskb check »)."
        ),
        epilog="Exemples :\n  esskb stats\n  esskb stats --format json",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="présentation : text (par défaut) ou json")
    p.set_defaults(run=run)
