"""Rendering pages once, on every core (hooks/esskb/prerender.py and the hook's _CachedPage).

Real builds of the fixture corpus: forked workers must give the very bytes a one-process build
gives, warnings found while rendering must still fail a strict build (once, not twice), and
under `mkdocs serve` a rebuild must match a fresh build, with `--dirty` rebuilding what an edit
touched and nothing else.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ENV, Project, make_project
from htmlcheck import content, page


def _set_workers(project: Project, workers: int) -> None:
    config = project.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  esskb:\n" in text
    config.write_text(text.replace("\n  esskb:\n", f"\n  esskb:\n    workers: {workers}\n", 1), encoding="utf-8")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _differences(a: Path, b: Path) -> list[str]:
    left, right = _tree(a), _tree(b)
    return sorted(set(left) ^ set(right)) + sorted(k for k in set(left) & set(right) if left[k] != right[k])


def test_forked_workers_give_the_bytes_of_a_one_process_build(tmp_path):
    one = make_project(tmp_path / "one")
    two = make_project(tmp_path / "two")
    _set_workers(one, 1)
    _set_workers(two, 2)
    for proj in (one, two):
        proj.write("mkdocs.yml", (proj.root / "mkdocs.yml").read_text(encoding="utf-8").replace("  esskb:\n", "  esskb:\n    pdf: false\n", 1))
    first = one.build(check=True)
    second = two.build(check=True)
    assert "rendues en parallèle" not in first.stderr
    forked = [line for line in second.stderr.splitlines() if "rendues en parallèle" in line]
    assert forked and not forked[0].split("esskb : ")[1].startswith("0 "), second.stderr[-2000:]
    built = [line for line in second.stderr.splitlines() if "pages construites en parallèle" in line]
    assert built and int(built[0].split("esskb : ")[1].split()[0]) >= 40, second.stderr[-2000:]
    assert "Page skipped" not in second.stderr
    assert _differences(one.site, two.site) == []  # pages, search index, sitemap
    assert len(_tree(one.site)) > 50


def test_a_broken_link_in_a_case_fails_the_strict_build_once_with_workers(project):
    _set_workers(project, 2)
    text = (project.root / "cases/bretagne-garage.md").read_text(encoding="utf-8")
    project.write("cases/bretagne-garage.md", text + "\nVoir [le bilan](../nulle-part/bilan.md).\n")
    result = project.build()
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if "nulle-part/bilan.md" in line]
    # once per page holding the text (the case and its theme's dossier): replayed from the
    # worker, not printed by it as well
    pages = sorted(line.split("Doc file '")[1].split("'")[0] for line in lines)
    assert pages == ["cas/bretagne-garage.md", "formations/mobilite.md"], result.stderr
    assert all(line.startswith("WARNING") for line in lines)
    assert "rendues en parallèle (2 processus)" in result.stderr
    assert "Aborted with 2 warnings in strict mode" in result.stdout + result.stderr


SERVE = textwrap.dedent(
    """
    import json, logging, sys
    from pathlib import Path
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    dirty, site, edits = sys.argv[1] == "dirty", Path(sys.argv[2]), json.loads(sys.argv[3])
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    serve_url = "http://127.0.0.1:8000/"
    def config():  # as `mkdocs serve` does before every build
        c = load_config("mkdocs.yml", site_dir=str(site))
        c.site_url = serve_url
        return c
    def stamps():
        return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*.html")}
    first = config()
    first.plugins.on_startup(command="serve", dirty=dirty)
    build(first, serve_url=serve_url, dirty=dirty)
    hook = next(m for m in list(sys.modules.values()) if hasattr(m, "_CachedPage"))
    report = [{"counts": [hook.renders.hits, hook.renders.misses], "stamps": stamps()}]
    for path, old, new in edits:  # each edit, then the rebuild the watcher would start
        source = Path(path)
        source.write_text(source.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
        build(config(), serve_url=serve_url, dirty=dirty)
        report.append({"counts": [hook.renders.hits, hook.renders.misses], "stamps": stamps()})
    print(json.dumps(report))
    """
)
RENAME = ["cases/bretagne-garage.md", "title: Un garage solidaire", "title: Un garage solidaire rebaptisé"]


def _serve(project: Project, mode: str, site: Path, *edits: list[str]) -> tuple[list[dict], str]:
    result = subprocess.run([sys.executable, "-c", SERVE, mode, str(site), json.dumps(edits)], cwd=project.root,
                            env=ENV, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


def test_a_serve_rebuild_renders_only_edited_pages_and_matches_a_fresh_build(tmp_path):
    served = make_project(tmp_path / "served")
    builds, _ = _serve(served, "clean", served.root / "preview", RENAME)
    first, second = builds[0]["counts"], builds[1]["counts"]
    hits, misses = second
    assert hits + misses == sum(first) and 0 < misses < hits, builds  # the case and the pages listing its title
    fresh = make_project(tmp_path / "fresh")
    fresh.write("cases/bretagne-garage.md", (served.root / "cases/bretagne-garage.md").read_text(encoding="utf-8"))
    _serve(fresh, "clean", fresh.root / "preview")  # one serve build of the edited content
    assert _differences(served.root / "preview", fresh.root / "preview") == []


def test_serve_dirty_rebuilds_what_the_edit_touched_and_keeps_strict(project):
    preview = project.root / "preview"
    body = ["cases/occitanie-ressourcerie.md", "\n---\n", "\n---\n\nUn paragraphe ajouté pendant l'aperçu.\n\n"]
    builds, stderr = _serve(project, "dirty", preview, RENAME, body)
    # the renamed case shows its new title on its page and wherever it is listed
    for url in ("cas/bretagne-garage/", "fiches/02-mobilite-solidaire/", "regions/bretagne/", "cas/"):
        assert "Un garage solidaire rebaptisé" in content(page(preview, url)).text_content(), url
    assert "Un paragraphe ajouté pendant l'aperçu." in content(page(preview, "cas/occitanie-ressourcerie/")).text_content()
    # the body edit rewrote its case page and what holds the text (its theme's dossier), nothing else
    before, after = builds[1]["stamps"], builds[2]["stamps"]
    rewritten = sorted(k for k in after if after[k] != before.get(k))
    assert "cas/occitanie-ressourcerie/index.html" in rewritten
    assert "regions/occitanie/index.html" not in rewritten and "cas/bretagne-garage/index.html" not in rewritten
    # (404.html is MkDocs' theme template and newsletter/*.html our outputs: written at every build)
    pages = [k for k in rewritten if k != "404.html" and not k.startswith("newsletter/") or k == "newsletter/index.html"]
    assert pages[0] == "cas/occitanie-ressourcerie/index.html" and all(k.startswith("formations/") for k in pages[1:]), rewritten
    assert len(after) > 40
    # MkDocs' own notice about dirty builds is shown, but strict mode does not stop the preview
    assert "INFO A 'dirty' build" in stderr and "Aborted" not in stderr
    assert not [line for line in stderr.splitlines() if line.startswith("WARNING")], stderr


def test_the_render_cache_key_changes_with_what_rendering_reads():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hooks"))
    from esskb.prerender import RenderCache

    cache = RenderCache()
    cache.start("context A")
    key = cache.key("cas/x.md", "# Titre\n")
    assert key == cache.key("cas/x.md", "# Titre\n")
    assert key != cache.key("cas/y.md", "# Titre\n")
    assert key != cache.key("cas/x.md", "# Titre !\n")
    snippet = cache.key("cas/x.md", '--8<-- "inclus.md"\n')
    cache.start("context A")
    assert cache.key("cas/x.md", "# Titre\n") == key  # kept across rebuilds
    assert cache.key("cas/x.md", '--8<-- "inclus.md"\n') != snippet  # reads another file: not kept
    cache.start("context B")
    assert cache.key("cas/x.md", "# Titre\n") != key


def test_pages_are_built_one_by_one_when_another_plugin_acts_on_each_page(project):
    """Workers build pages (theme template, search entries) only when every plugin acting on
    pages is one whose effects they hand back; another hook's on_post_page must see every page."""
    _set_workers(project, 2)
    project.write("stamp_hook.py", "def on_post_page(output, page, config):\n    return output + '<!-- tamponnée -->'\n")
    config = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    project.write("mkdocs.yml", config.replace("\nhooks:\n", "\nhooks:\n  - stamp_hook.py\n", 1))
    result = project.build(check=True)
    assert "pages construites une à une, car ces extensions agissent sur chaque page : stamp_hook.py" in result.stderr, result.stderr[-2000:]
    assert "construites en parallèle" not in result.stderr
    pages = list(project.site.rglob("index.html"))  # MkDocs' pages (not 404.html nor the newsletter's files)
    unstamped = [p for p in pages if not p.read_text(encoding="utf-8").endswith("<!-- tamponnée -->")]
    assert len(pages) > 40 and unstamped == []


def test_one_markdown_instance_renders_each_page_as_a_new_one_would(project):
    """The hook renders pages with one Python-Markdown instance per process, reset between
    pages (hook ``_render``); MkDocs' ``Page.render`` makes a new one per page. Every page of
    the fixture site, plus two that would show a leak (an abbreviation defined on one page
    only, the same heading twice), rendered in turn both ways: same HTML, toc, title, anchors."""
    import os

    from mkdocs.config import load_config
    from mkdocs.structure.files import File, get_files
    from mkdocs.structure.pages import Page

    os.chdir(project.root)
    config = load_config(str(project.root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    files.append(File.generated(config, "zz-a.md", content="# A\n\n## Contexte\n\nLa XYZ agit.\n\n*[XYZ]: Une définition\n"))
    files.append(File.generated(config, "zz-b.md", content="# B\n\n## Contexte\n\nLa XYZ agit aussi.\n\n```\n<ul><li>code</li></ul>\n```\n"))
    hook = next(m for m in list(sys.modules.values()) if hasattr(m, "_render") and hasattr(m, "_CachedPage"))
    rendered = 0
    for file in files.documentation_pages():
        pages = []
        for render in (Page.render, hook._render):
            page = Page(None, file, config)
            page.read_source(config)
            page.markdown = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            render(page, config, files)
            pages.append(page)
        new, reused = pages
        assert (reused.content, str(reused.toc), reused._title_from_render) == (new.content, str(new.toc), new._title_from_render), file.src_uri
        assert reused.present_anchor_ids == new.present_anchor_ids and reused.links_to_anchors == new.links_to_anchors, file.src_uri
        rendered += 1
    assert rendered > 40 and hook._markdown, "the configured extensions are all known to reset"
    assert "<abbr" not in pages[0].content and 'id="contexte"' in pages[0].content  # zz-b, last
    config.plugins.on_shutdown()


def test_forked_jobs_give_every_result_and_a_dead_worker_raises_instead_of_hanging():
    """``prerender.run_forked``: every job's result once; a worker killed mid-build (the
    kernel's OOM killer, say) fails the pool at once, and the callers fall back to one process."""
    import os
    import signal
    from concurrent.futures.process import BrokenProcessPool

    import pytest

    from esskb import prerender

    assert sorted(prerender.run_forked(lambda i: i * i, 41, 2)) == [i * i for i in range(41)]
    assert sorted(prerender.run_forked(lambda i: i, 41, 3, chunk=5)) == list(range(41))  # a last chunk cut short
    assert list(prerender.run_forked(lambda i: i, 0, 2)) == []

    def children() -> set[int]:  # this process's children, zombies included (/proc/PID/stat's ppid)
        here, found = str(os.getpid()), set()
        for entry in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if stat.read().rsplit(")", 1)[1].split()[1] == here:
                        found.add(int(entry))
            except OSError:  # gone meanwhile
                pass
        return found

    before = children()
    signal.alarm(120)  # multiprocessing.Pool would wait here for ever
    try:
        with pytest.raises(BrokenProcessPool):
            list(prerender.run_forked(lambda i: os._exit(3) if i == 7 else i, 40, 2))
        with pytest.raises(ZeroDivisionError):  # a job's exception, raised again here
            list(prerender.run_forked(lambda i: 1 // (i - 30), 40, 2))
        results = prerender.run_forked(lambda i: i, 400, 2, chunk=1)
        assert next(results) in range(400)
        results.close()  # the caller stops reading: the workers are stopped, none is left behind
    finally:
        signal.alarm(0)
    assert children() <= before  # every worker waited for (no zombie either)


def test_serve_regenerates_only_the_pages_an_edit_touches():
    """Under `mkdocs serve` the hook keeps the generated pages (``PageCache``): saving a case's
    text regenerates that case's page and the pages that read every text (glossary, newsletter,
    dossiers), the others are taken back; a new title regenerates every page. Always the pages a
    fresh generation gives."""
    from dataclasses import replace

    from conftest import CORPUS

    from esskb.corpus import load_corpus
    from esskb.newsletter import PAGE_SRC
    from esskb.pages import GLOSSARY_INDEX, PageCache, site_pages

    corpus = load_corpus(CORPUS)
    cache = PageCache()
    first = site_pages(corpus, include_drafts=True, cache=cache)[1]
    assert cache.hits == 0
    never_kept = [p.src for p in first if p.src in (GLOSSARY_INDEX, PAGE_SRC) or p.src.startswith("formations/")]
    assert len(never_kept) >= 4

    case = corpus.cases[0]
    text = replace(corpus, cases=(replace(case, body=case.body + "\n\nUn paragraphe ajouté pendant l'aperçu.\n"), *corpus.cases[1:]))
    second = site_pages(text, include_drafts=True, cache=cache)[1]
    assert [(p.src, p.markdown) for p in second] == [(p.src, p.markdown) for p in site_pages(text, include_drafts=True)[1]]
    assert "Un paragraphe ajouté pendant l'aperçu." in next(p.markdown for p in second if p.src == case.src)
    assert cache.hits == len(second) - 1 - len(never_kept)  # the edited case and the never-kept pages

    hits = cache.hits
    title = replace(text, cases=(replace(text.cases[0], title="Un titre changé pendant l'aperçu"), *text.cases[1:]))
    third = site_pages(title, include_drafts=True, cache=cache)[1]
    assert cache.hits == hits  # a title is read by other pages' lists: nothing taken back
    assert [(p.src, p.markdown) for p in third] == [(p.src, p.markdown) for p in site_pages(title, include_drafts=True)[1]]


def test_pages_built_by_workers_keep_their_content_for_another_plugins_post_build(project):
    """After the workers built the pages, the parent drops each page's HTML (nothing of ours
    reads it again), unless another plugin acts at the end of the build and might."""
    _set_workers(project, 2)
    project.write(
        "reader_hook.py",
        "import pathlib\npages = []\n"
        "def on_page_content(html, page, config, files):\n    pages.append(page)\n    return html\n"
        "def on_post_build(config):\n"
        "    empty = [p.file.src_uri for p in pages if not p.content]\n"
        "    pathlib.Path(config.site_dir, 'vides.txt').write_text('\\n'.join([f'{len(pages)} pages', *empty]))\n",
    )
    config = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    project.write("mkdocs.yml", config.replace("\nhooks:\n", "\nhooks:\n  - reader_hook.py\n", 1))
    result = project.build(check=True)
    assert "pages construites en parallèle" in result.stderr, result.stderr[-2000:]
    report = (project.site / "vides.txt").read_text(encoding="utf-8").splitlines()
    assert int(report[0].split()[0]) > 40 and report[1:] == [], report
