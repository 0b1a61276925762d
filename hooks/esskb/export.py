"""Export a plain MkDocs project: every generated page materialised as Markdown.

The result builds with plain ``mkdocs build --strict`` (no hooks, no plugin beyond
Material's built-ins), with ProperDocs, and as a docs tree for Zensical. It shares
every line of logic with the hook: the same ``Site`` renders the same pages.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from . import static
from .corpus import load_corpus
from .emit import write_outputs
from .pages import Site
from .settings import docs_dir, project_templates, read_config, settings_of

# Generated item pages are reached from the index pages, not listed in the nav.
NOT_IN_NAV = ("/fiches/*", "/cas/*", "/themes/*", "/regions/*", "/formations/*")


class NotEmpty(Exception):
    """The export folder already holds files: nothing is overwritten."""


def export(root: Path, out: Path) -> list[str]:
    """Write the plain project into ``out`` (which must not exist or be empty)."""
    root, out = Path(root), Path(out)
    if out.exists() and any(out.iterdir()):
        raise NotEmpty(out)
    config = read_config(root)
    docs_src = root / docs_dir(config)
    corpus = load_corpus(root, docs_dir=docs_dir(config), settings=settings_of(config), templates=project_templates(config, root))
    site = Site(corpus, include_drafts=False)
    docs = out / "docs"
    written: list[str] = []

    def write(rel: str, text: str) -> None:
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(rel)

    for path in sorted(p for p in docs_src.rglob("*") if p.is_file()):
        rel = path.relative_to(docs_src).as_posix()
        if path.suffix == ".md":
            write(rel, site.expand(path.read_text(encoding="utf-8-sig"), rel))
        else:
            (docs / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, docs / rel)
    for page in site.pages():
        write(page.src, page.markdown)
    for uri, path in static.site_assets():
        (docs / uri).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, docs / uri)
    write_outputs(site, docs, str(config.get("site_url") or "http://127.0.0.1:8000/"))

    theme = config.get("theme")
    overrides = theme.get("custom_dir") if isinstance(theme, dict) else None
    if overrides and (root / overrides).is_dir():
        shutil.copytree(root / overrides, out / "overrides")
        config = {**config, "theme": {**theme, "custom_dir": "overrides"}}
    (out / "mkdocs.yml").write_text(plain_config(config), encoding="utf-8")
    return written


def plain_config(config: dict[str, Any]) -> str:
    """The project's config without hooks, with what the hook did written out."""
    plain = {k: v for k, v in config.items() if k not in ("hooks", "watch")}
    plain["docs_dir"] = "docs"
    plain["extra_css"] = list(plain.get("extra_css") or []) + [u for u in static.stylesheets() if u not in (plain.get("extra_css") or [])]
    plain["extra_javascript"] = list(plain.get("extra_javascript") or []) + [u for u in static.scripts() if u not in (plain.get("extra_javascript") or [])]
    plain["not_in_nav"] = "\n".join(NOT_IN_NAV) + "\n"
    extensions = list(plain.get("markdown_extensions") or [])  # pages carry their glossary definitions
    for name in ("abbr", "admonition", "attr_list", "md_in_html", "tables", "toc"):
        if not any((next(iter(e)) if isinstance(e, dict) else e) == name for e in extensions):
            extensions.append(name)
    plain["markdown_extensions"] = extensions
    header = "# Exported by `python -m esskb export`: a plain MkDocs project, no hooks.\n"
    return header + yaml.dump(plain, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)


class _Dumper(yaml.SafeDumper):
    """Multi-line strings (``not_in_nav``) as literal blocks."""


_Dumper.add_representer(
    str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style="|" if "\n" in s else None)
)
