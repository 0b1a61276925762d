"""Experiment for the authoring loop (``python bench/run.py --serve 1000 --dirty-hook``).

The real hook (``hooks/esskb_hooks.py``) hands MkDocs every generated page as text in memory
(``File.generated(content=...)``), and MkDocs counts such a file as modified at every rebuild:
``mkdocs serve --dirty`` then still renders every page. This module is the real hook with one
change to measure what it would bring: under ``--dirty``, each generated page is written to a
cache folder only when its Markdown changed (so its modification time tells MkDocs whether to
render it again), and handed to MkDocs by path. Everything else is the real hook's code.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))
_spec = importlib.util.spec_from_file_location("esskb_hooks_measured", ROOT / "hooks" / "esskb_hooks.py")
assert _spec and _spec.loader
real = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = real
_spec.loader.exec_module(real)

from mkdocs.structure.files import File  # noqa: E402

on_config = real.on_config
on_page_markdown = real.on_page_markdown
on_post_build = real.on_post_build
CACHE = Path(tempfile.mkdtemp(prefix="esskb-pages-"))
_dirty = {"on": False}


def on_startup(command: str, dirty: bool) -> None:
    _dirty["on"] = dirty
    real.on_startup(command, dirty)


def on_files(files, config):
    files = real.on_files(files, config)
    if not _dirty["on"]:
        return files
    for src, markdown in real.state.pages.items():
        generated = files.get_file_from_path(src)
        if generated is None:
            continue
        path = CACHE / src
        if not path.is_file() or path.read_text(encoding="utf-8") != markdown:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(markdown, encoding="utf-8")
        files.remove(generated)
        files.append(File.generated(config, src, abs_src_path=str(path), inclusion=generated.inclusion))
    return files
