"""kb.json: the whole published knowledge base as data, and its JSON Schema (``kb.schema.json``).

Format: ``shared/contract.md`` ("Outputs"). Text is stored as text (a ``<`` stays ``<``);
lists are sorted so that two builds of the same input give the same bytes.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .feeds import public_site
from .model import Case, Fiche
from .pages import Site, url_of

if TYPE_CHECKING:
    from .emit import Output

KB_FILE = "kb.json"
SCHEMA_FILE = "kb.schema.json"
SCHEMA_PATH = Path(__file__).parent / "assets" / SCHEMA_FILE
VERSION = 1


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``kb.json``, as shipped in ``assets/``."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def kb_data(site: Site, site_url: str) -> dict[str, Any]:
    c = site.corpus
    directory_urls = bool(c.settings.get("use_directory_urls", True))
    known = set(c.fiche_by_number) | set(c.planned_by_number)

    def url(src: str) -> str:
        return url_of(src, directory_urls)

    def fiche(f: Fiche) -> dict[str, Any]:
        cases = site.rel.cases_of_fiche.get(f.number, ())
        return {
            "number": f.number, "title": f.title, "description": f.description, "url": url(f.src),
            "themes": list(f.themes), "schemes": list(f.schemes),
            "see_also": list(site.rel.see_also.get(f.number, ())),
            "cases": sorted(k.slug for k in cases),
            "date": f.date.isoformat(), "updated": f.updated.isoformat() if f.updated else None,
        }

    def case(k: Case) -> dict[str, Any]:
        return {
            "slug": k.slug, "title": k.title, "description": k.description, "url": url(k.src),
            "region": k.region, "actor": k.actor, "year": k.year,
            # a draft fiche's number is not published; written and planned ones are
            "fiches": [n for n in k.fiches if n in known],
            "themes": list(k.themes), "schemes": list(k.schemes),
            "date": k.date.isoformat(), "updated": k.updated.isoformat() if k.updated else None,
        }

    return {
        "version": VERSION,
        "site_url": site_url,
        "fiches": [fiche(f) for f in sorted(c.fiches, key=lambda f: f.number)],
        "planned": [{"number": p.number, "title": p.title} for p in sorted(c.planned, key=lambda p: p.number)],
        "cases": [case(k) for k in sorted(c.cases, key=lambda k: k.slug)],
        "themes": [
            {
                "slug": t.slug, "label": t.label, "url": url(t.src),
                "fiches": sorted(f.number for f in site.rel.fiches_of_theme.get(t.slug, ())),
                "cases": sorted(k.slug for k in site.rel.cases_of_theme.get(t.slug, ())),
            }
            for t in c.themes
        ],
        "regions": [
            {
                "slug": r.slug, "label": r.label, "insee": r.insee, "url": url(r.src),
                "cases": sorted(k.slug for k in site.rel.cases_of_region.get(r.slug, ())),
            }
            for r in c.regions
        ],
        "dossiers": _dossiers(site),
    }


def _dossiers(site: Site) -> list[dict[str, Any]]:
    """Cross-training dossiers, when the build made them (``site.dossiers``)."""
    found = getattr(site, "dossiers", None) or []
    return sorted(
        ({"theme": d["theme"], "url": d["url"], "pdf": d.get("pdf")} for d in found),
        key=lambda d: d["theme"],
    )


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def emit_kb(site: Site, out: "Output") -> None:
    site = public_site(site)
    out.write(KB_FILE, dumps(kb_data(site, out.site_url)))
    schema_doc = dict(schema())
    schema_doc["$id"] = out.absolute(SCHEMA_FILE)  # the published schema names where it lives
    out.write(SCHEMA_FILE, dumps(schema_doc))
