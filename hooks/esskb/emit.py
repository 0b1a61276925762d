"""emit: the extra outputs of a build (beyond MkDocs' pages), written under ``site_dir``.

Each emitter is a function ``(site, out) -> None``; ``out`` writes one file through one
helper (Quartz's emitters, Pelican's writers). Emitters never see MkDocs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from .pages import Site


@dataclass
class Output:
    """Where outputs go, and the absolute base URL they link to."""

    site_dir: Path
    site_url: str  # absolute, ends with "/"
    written: list[str] = field(default_factory=list)

    def write(self, rel: str, data: str | bytes) -> Path:
        path = self.site_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)
        self.written.append(rel)
        return path

    def absolute(self, url: str) -> str:
        """An absolute URL for a site-relative one (``fiches/05-x/``)."""
        return self.site_url + url.lstrip("/")


Emitter = Callable[[Site, Output], None]
EMITTERS: list[Emitter] = []

# kb.json, feeds, newsletter block (they import Output only for typing: no cycle)
from .kbjson import emit_kb  # noqa: E402
from .feeds import emit_feeds  # noqa: E402
from .newsletter import emit_newsletter  # noqa: E402

from .pdf import emit_pdfs  # noqa: E402

# PDFs first: they fill in site.dossiers' "pdf" before kb.json is written
EMITTERS += [emit_pdfs, emit_kb, emit_feeds, emit_newsletter]

# outputs that read no written page: the hook writes them while MkDocs writes the pages
BESIDE_PAGES = tuple(EMITTERS)

# Pagefind last: it indexes the written pages (only with `extra: esskb: search: pagefind`)
from .pagefind import emit_pagefind  # noqa: E402

EMITTERS += [emit_pagefind]
AFTER_PAGES = (emit_pagefind,)


def write_outputs(site: Site, site_dir: Path, site_url: str, emitters: Sequence[Emitter] | None = None) -> list[str]:
    """Every output (or those of ``emitters``, in their order)."""
    out = Output(Path(site_dir), site_url if site_url.endswith("/") else site_url + "/")
    for emitter in EMITTERS if emitters is None else emitters:
        emitter(site, out)
    return out.written
