"""The esskb benchmark: build synthetic corpora and print what it costs.

    python bench/run.py                      # 1,000, 3,000 and 5,000 pages + plain MkDocs at 1,000
    python bench/run.py --sizes 1000 --no-plain
    python bench/run.py --search pagefind    # the same with Pagefind instead of Material's lunr search
    python bench/run.py --workers 1          # pages rendered in one process (extra: esskb: workers: 1)
    python bench/run.py --serve 1000         # edit-to-reload time under `mkdocs serve` (and --dirty)
    python bench/run.py --table              # print the saved figures again
    python bench/run.py build PROJECT REPORT # internal: one instrumented build, figures to REPORT

Each build runs in a fresh process, like ``mkdocs build --strict``: configuration loaded with
``load_config``, then ``mkdocs.commands.build.build`` in-process. Timing wrappers are put around
the event functions registered by plugins and hooks (ours, Material's search and tags), and around
the stages our hook calls (load and validate, link and page generation, emit); MkDocs itself is not
touched. Peak memory is the child's own ``ru_maxrss``; CPU time is the child's and its children's
(Pagefind). Figures go to ``bench/out/results.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import platform
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
PYTHON = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}
ITEM_DIRS = ("fiches", "cas")

sys.path.insert(0, str(HERE))
import generate  # noqa: E402


# -- the child: one instrumented build --------------------------------------------------------


class Timers:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.intervals: dict[str, list[tuple[float, float]]] = defaultdict(list)  # events and forked stages

    def wrap(self, name: str, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                end = time.perf_counter()
                self.seconds[name] += end - start
                self.calls[name] += 1
                if name in _NAV_ENV:
                    self.intervals[name].append((start, end))

        return timed

    def wrap_forked(self, fn: Callable) -> Callable:
        """``prerender.run_forked``, a generator: from its call to its last result."""

        @functools.wraps(fn)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                yield from fn(*args, **kwargs)
            finally:
                self.intervals["forked"].append((start, time.perf_counter()))

        return timed

    def forked_in_nav_env(self) -> float:
        """Seconds the forked stages of on_nav and on_env took (rendering and building the
        pages on every core: MkDocs' work); the rest of those events is ours."""
        events = [i for name in _NAV_ENV for i in self.intervals.get(name, [])]
        return sum(end - start for start, end in self.intervals.get("forked", []) if any(a <= start and end <= b for a, b in events))


_NAV_ENV = ("event:esskb:nav", "event:esskb:env")


def _origin(name: str) -> str:
    return "esskb" if name.endswith("esskb_hooks.py") else name


def instrument(config: Any, timers: Timers) -> None:
    """Timers around every registered event function and around our hook's stages."""
    plugins = config.plugins
    for event, methods in plugins.events.items():
        for index, method in enumerate(methods):
            origin = _origin(plugins._event_origins.get(method, "?"))
            timed = timers.wrap(f"event:{origin}:{event}", method)
            methods[index] = timed
            plugins._event_origins[timed] = plugins._event_origins.get(method, "?")
    import esskb.corpus
    import esskb.pages

    for name, module in (config.hooks or {}).items():
        if not name.endswith("esskb_hooks.py"):
            continue
        for stage, attr in (("load+validate", "load_corpus"), ("link+pages", "site_pages"), ("emit", "write_outputs")):
            if hasattr(module, attr):
                setattr(module, attr, timers.wrap(f"stage:{stage}", getattr(module, attr)))
    # read_sources reads, parses and checks each file (forked at this size): "load" includes
    # each file's own checks; "validate" is left with the checks across files
    for attr in ("read_sources", "load_vocabularies", "read_text"):
        if hasattr(esskb.corpus, attr):
            setattr(esskb.corpus, attr, timers.wrap("stage:load", getattr(esskb.corpus, attr)))
    if hasattr(esskb.pages, "relate"):
        esskb.pages.relate = timers.wrap("stage:link", esskb.pages.relate)
    import esskb.prerender

    esskb.prerender.run_forked = timers.wrap_forked(esskb.prerender.run_forked)


def _beside(config: Any) -> float:
    """Processor seconds our outputs took in their own process, beside MkDocs' work (not in the
    parent's timers: the parent only waits for them, if they are not done)."""
    for name, module in (config.hooks or {}).items():
        if name.endswith("esskb_hooks.py"):
            return float(getattr(module.state, "outputs_seconds", 0.0))
    return 0.0


def child_build(project: Path, report: Path) -> int:
    os.chdir(project)
    os.environ.update(NO_MKDOCS_2_WARNING="1")
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s")
    timers = Timers()
    start = time.perf_counter()
    config = load_config(config_file=str(project / "mkdocs.yml"), strict=True)
    loaded = time.perf_counter()
    instrument(config, timers)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config, dirty=False)
    finally:
        config.plugins.on_shutdown()
    end = time.perf_counter()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # Pagefind's binary
    report.write_text(
        json.dumps(
            dict(
                load_config=loaded - start, build=end - loaded, seconds=dict(timers.seconds), calls=dict(timers.calls),
                forked_nav_env=timers.forked_in_nav_env(),
                beside=_beside(config),
                maxrss_kb=usage.ru_maxrss, cpu=usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime,
                cpu_children=children.ru_utime + children.ru_stime, maxrss_children_kb=children.ru_maxrss,
            ),
            indent=1,
        )
    )
    return 0


# -- the parent: generate, build, measure -------------------------------------------------------


def site_figures(site: Path) -> dict:
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*") if p.is_file()}
    pages = [k for k in sizes if k.endswith(".html") and k.endswith("index.html")]
    items = {d: [v for k, v in sizes.items() if k.startswith(f"{d}/") and k.count("/") == 2 and k.endswith("/index.html")] for d in ITEM_DIRS}
    item_sizes = items["fiches"] + items["cas"]
    search = sizes.get("search/search_index.json", 0)
    return dict(
        html_pages=len(pages), site_bytes=sum(sizes.values()), files=len(sizes),
        html_bytes=sum(v for k, v in sizes.items() if k.endswith(".html")),
        item_html_median=statistics.median(item_sizes) if item_sizes else 0,
        item_html_max=max(item_sizes, default=0),
        fiche_html_median=statistics.median(items["fiches"]) if items["fiches"] else 0,
        case_html_median=statistics.median(items["cas"]) if items["cas"] else 0,
        case_html_max=max(items["cas"], default=0),
        fiche_html_max=max(items["fiches"], default=0),
        search_index_bytes=search,
        biggest=sorted(sizes.items(), key=lambda kv: -kv[1])[:5],
    )


def _cpu_ticks() -> tuple[int, int] | None:
    """(steal, total) ticks of the machine's processors so far (Linux's /proc/stat), or None."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return (fields[7] if len(fields) > 7 else 0), sum(fields[:8])


def measured_build(project: Path) -> dict:
    """Build ``project`` in a fresh process; wall time, the child's figures and the site's, and
    the share of the processors' time the hypervisor took meanwhile (``steal``: under a few
    tenths of it, the build's stages slow down unevenly and the share of our code with them)."""
    report = project / "bench-report.json"
    report.unlink(missing_ok=True)
    ticks = _cpu_ticks()
    start = time.perf_counter()
    result = subprocess.run(
        [PYTHON, str(Path(__file__).resolve()), "build", str(project), str(report)],
        env=ENV, capture_output=True, text=True,
    )
    wall = time.perf_counter() - start
    after = _cpu_ticks()
    if result.returncode != 0:
        raise SystemExit(f"échec de la construction de {project} :\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    figures = json.loads(report.read_text())
    figures["wall"] = wall
    if ticks is not None and after is not None and after[1] > ticks[1]:
        figures["steal"] = (after[0] - ticks[0]) / (after[1] - ticks[1])
    figures["loadavg_after"] = os.getloadavg()
    figures["warnings"] = [line for line in result.stderr.splitlines() if line.startswith("WARNING")][:5]
    figures.update(site_figures(project / "site"))
    return figures


def own_share(fig: dict) -> dict:
    s = fig["seconds"]
    # on_nav renders pages' Markdown, on_env builds them, in forked workers: MkDocs' work, not
    # ours; what these events do in the build's process around the workers is ours (reports
    # written before 27 November counted the whole of both events as MkDocs')
    forked = fig.get("forked_nav_env", s.get("event:esskb:nav", 0.0) + s.get("event:esskb:env", 0.0))
    own = sum(v for k, v in s.items() if k.startswith("event:esskb:")) - forked
    stages = {k.split(":", 1)[1]: v for k, v in s.items() if k.startswith("stage:")}
    validate = stages.get("load+validate", 0.0) - stages.get("load", 0.0)
    pages = stages.get("link+pages", 0.0) - stages.get("link", 0.0)
    others = defaultdict(float)
    for k, v in s.items():
        if k.startswith("event:") and not k.startswith("event:esskb:"):
            others[k.split(":")[1]] += v
    return dict(
        own=own, share=own / fig["build"] if fig["build"] else 0.0,
        load=stages.get("load", 0.0), validate=validate, link=stages.get("link", 0.0), pages=pages,
        # the whole on_post_build: the outputs written there, or the wait for those written
        # beside the pages (started in on_files)
        emit=s.get("event:esskb:post_build", stages.get("emit", 0.0)), plugins=dict(others), forked=forked,
        mkdocs=fig["build"] - own - sum(others.values()),
    )


def mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def kb(n: float) -> str:
    return f"{n / 1e3:.0f} KB"


def bench_sizes(sizes: list[int], plain_at: int | None, workers: int | None = None, search: str = "lunr", repeat: int = 1) -> dict:
    """Build each size (and plain MkDocs at ``plain_at``); print and save the figures. With
    ``repeat``, every size is built that many times, in rounds (1,000, 3,000, 5,000, then again),
    so that the machine's drift touches every size alike; the table shows each size's run of
    median share, and the spread of the shares follows it."""
    key = "-".join(k for k in (f"workers{workers}" if workers else "", "pagefind" if search == "pagefind" else "") if k) or "esskb"
    results: dict[str, Any] = {"machine": machine(), key: {}}
    runs: dict[str, list[dict]] = {str(size): [] for size in sizes}
    for round_ in range(repeat):
        for size in sizes:
            fiches, cases = generate.split_pages(size)
            project = OUT / (f"p{size}" if key == "esskb" else f"p{size}-{key}")
            if round_ == 0:
                print(f"… {size} pages ({fiches} fiches + {cases} cas) : génération", flush=True)
                generate.generate(project, fiches, cases, search=search, workers=workers)
            print(f"… {size} pages : construction" + (f" {round_ + 1}/{repeat}" if repeat > 1 else ""), flush=True)
            fig = measured_build(project)
            fig.update(fiches=fiches, cases=cases, pages=size, share=own_share(fig))
            runs[str(size)].append(fig)
            results[key][str(size)] = median_run(runs[str(size)])
            print(line(f"{size} pages", fig), flush=True)
            _save(results)
    if plain_at:
        project = OUT / f"p{plain_at}"
        if not project.exists():
            generate.generate(project, *generate.split_pages(plain_at))
        target = OUT / f"p{plain_at}-plain"
        count = generate.plain(project, target)
        print(f"… MkDocs + Material seuls, {count} pages : construction", flush=True)
        fig = measured_build(target)
        fig.update(pages=count, share=own_share(fig))
        results["plain"] = {str(plain_at): fig}
        print(line(f"MkDocs + Material seuls, {count} pages", fig), flush=True)
        _save(results)
    print()
    print(table(results[key], (results.get("plain") or {}).get(str(plain_at))))
    if repeat > 1:
        print()
        print(spread(runs))
    return results


def median_run(figs: list[dict]) -> dict:
    """The run whose share of our code is the median one (the lower of the two middle ones),
    with every run's share and times beside it (``repeats``: our code's loading and page
    generation too, to tell which stage an outlier spent its time in)."""
    ordered = sorted(figs, key=lambda f: f["share"]["share"])
    chosen = dict(ordered[(len(ordered) - 1) // 2])
    chosen["repeats"] = [
        dict(share=f["share"]["share"], own=f["share"]["own"], load=f["share"].get("load"), pages=f["share"].get("pages"), build=f["build"], wall=f["wall"])
        for f in figs
    ]
    return chosen


def spread(runs: dict[str, list[dict]], limit: float = 0.10) -> str:
    """Per size: the median share of our code (the lower middle one, as ``median_run``), its
    range, and how many builds went over ``limit``."""
    rows = []
    for size, figs in sorted(runs.items(), key=lambda kv: int(kv[0])):
        shares = sorted(f["share"]["share"] for f in figs)
        over = sum(share > limit for share in shares)
        rows.append(
            f"{int(size):,} pages : notre code {100 * statistics.median_low(shares):.1f} % en médiane, de {100 * shares[0]:.1f} à "
            f"{100 * shares[-1]:.1f} % sur {len(shares)} constructions ; au-dessus de {100 * limit:.0f} % : {over}"
        )
    return "\n".join(rows)


def line(label: str, fig: dict) -> str:
    sh = own_share(fig)
    pages = fig["pages"]
    return (
        f"{label} ({fig['html_pages']} pages HTML) : {fig['wall']:.1f} s ({fig['cpu']:.1f} s CPU), "
        f"{1000 * fig['wall'] / pages:.1f} ms/page ({1000 * fig['cpu'] / pages:.1f} ms CPU), mémoire {fig['maxrss_kb'] / 1024:.0f} Mo "
        f"(processus fils {fig.get('maxrss_children_kb', 0) / 1024:.0f} Mo), étapes parallèles {sh.get('forked', 0):.1f} s, "
        f"site {mb(fig['site_bytes'])}, page d'item médiane {kb(fig['item_html_median'])} (max {kb(fig['item_html_max'])}), "
        f"index de recherche {mb(fig['search_index_bytes'])}, notre code {sh['own']:.2f} s = {100 * sh['share']:.1f} % "
        f"(lecture {sh['load']:.2f}, validation {sh['validate']:.2f}, liens {sh['link']:.2f}, pages {sh['pages']:.2f}, émission {sh['emit']:.2f}), "
        f"sorties écrites à côté des pages {fig.get('beside', 0.0):.2f} s de processeur, "
        f"extensions {', '.join(f'{k} {v:.1f} s' for k, v in sh['plugins'].items())}, charge {fig['loadavg_after'][0]:.1f}"
        + (f", pris par l'hyperviseur {100 * fig['steal']:.0f} %" if "steal" in fig else "")
    )


def table(runs: dict, plain: dict | None = None) -> str:
    rows = [
        "| pages (fiches + cas) | pages HTML | temps (CPU) | ms/page (CPU) | mémoire max | site | HTML d'une page d'item (médiane / max) "
        "| index de recherche | notre code | lecture / validation / liens / pages / émission (+ sorties à côté) | recherche + tags (Material) | étapes parallèles |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for size, f in sorted(runs.items(), key=lambda kv: int(kv[0])):
        sh = own_share(f)
        n = int(size)
        rows.append(
            f"| {n:,} ({f['fiches']} + {f['cases']}) | {f['html_pages']:,} | {f['wall']:.1f} s ({f['cpu']:.1f} s) | "
            f"{1000 * f['wall'] / n:.1f} ({1000 * f['cpu'] / n:.1f}) | {f['maxrss_kb'] / 1024:.0f} MB / {f.get('maxrss_children_kb', 0) / 1024:.0f} MB | {mb(f['site_bytes'])} | "
            f"{kb(f['item_html_median'])} / {kb(f['item_html_max'])} | {mb(f['search_index_bytes'])} | "
            f"{sh['own']:.2f} s ({100 * sh['share']:.1f} %) | "
            f"{sh['load']:.2f} / {sh['validate']:.2f} / {sh['link']:.2f} / {sh['pages']:.2f} / {sh['emit']:.2f} (+ {f.get('beside', 0.0):.2f}) s | "
            f"{sum(sh['plugins'].values()):.1f} s | {sh.get('forked', 0):.1f} s |"
        )
    sizes = sorted(int(s) for s in runs)
    if len(sizes) > 1:
        first, last = runs[str(sizes[0])], runs[str(sizes[-1])]
        rows.append(
            f"\nt({sizes[-1]:,}) / t({sizes[0]:,}) = {last['wall'] / first['wall']:.2f} (temps), {last['cpu'] / first['cpu']:.2f} (CPU)"
        )
    if plain:
        rows.append(
            f"\nMkDocs + Material seuls (sans hook, navigation par défaut), {plain['pages']:,} pages : {plain['wall']:.1f} s "
            f"({plain['cpu']:.1f} s CPU), {1000 * plain['wall'] / plain['pages']:.1f} ms/page, {plain['maxrss_kb'] / 1024:.0f} MB, "
            f"site {mb(plain['site_bytes'])}, page {kb(plain['item_html_median'])}, index de recherche {mb(plain['search_index_bytes'])}"
        )
        same = runs.get(str(plain["pages"] - 1))
        if same:
            rows.append(f"MkDocs seul / esskb au même corpus : {plain['wall'] / same['wall']:.2f} (temps), {plain['cpu'] / same['cpu']:.2f} (CPU)")
    return "\n".join(rows)


def machine() -> dict:
    def run(*cmd: str) -> str:
        with contextlib.suppress(Exception):
            return subprocess.run(cmd, capture_output=True, text=True, env=ENV).stdout.strip()
        return ""

    cpu = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines() if l.startswith("model name")), "?")
    versions = run(PYTHON, "-m", "pip", "list", "--format=json")
    wanted = {"mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "pyyaml", "python-frontmatter", "pagefind", "pagefind-bin"}
    packages = {p["name"]: p["version"] for p in json.loads(versions or "[]") if p["name"].lower() in wanted}
    return dict(
        nproc=os.cpu_count(), cpu=cpu, memory=run("free", "-h").splitlines()[1:2], python=platform.python_version(),
        packages=packages, loadavg=os.getloadavg(), kernel=platform.release(),
    )


def _save(results: dict) -> None:
    OUT.mkdir(exist_ok=True)
    path = OUT / "results.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    for key, value in results.items():
        if isinstance(value, dict) and key != "machine":
            previous.setdefault(key, {}).update(value)
        elif value:
            previous[key] = value
    path.write_text(json.dumps(previous, indent=1, ensure_ascii=False))


# -- the authoring loop under `mkdocs serve` ---------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


@contextlib.contextmanager
def serving(project: Path, *extra: str) -> Iterator[tuple[str, subprocess.Popen]]:
    port = free_port()
    log = (project / f"serve{''.join(extra).replace('-', '_')}.log").open("w", encoding="utf-8")
    proc = subprocess.Popen(
        [PYTHON, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *extra],
        cwd=project, env=ENV, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        yield f"http://127.0.0.1:{port}/", proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the process group of the server we started
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid`` (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_for(url: str, needle: str, timeout: float = 600.0) -> float:
    """Poll ``url`` until its text holds ``needle``; the time it took, in seconds."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        text = fetch(url)
        if text is not None and needle in text:
            return time.perf_counter() - start
        time.sleep(0.05)
    raise SystemExit(f"{url} ne contient pas « {needle} » après {timeout:.0f} s")


def bench_serve(size: int, edits: int = 2, dirty_only: bool = False) -> dict:
    """Save a case under `mkdocs serve` (then `--dirty`, as `make serve`), time until the page shows the edit."""
    project = OUT / f"serve{size}"
    generate.generate(project, *generate.split_pages(size))
    config = project / "mkdocs.yml"
    # Other engineers edit hooks/ while this runs: watching it would start rebuilds of its own.
    config.write_text(config.read_text(encoding="utf-8").replace(f"\n  - {ROOT / 'hooks'}\n", "\n"), encoding="utf-8")
    modes: tuple[tuple[str, tuple[str, ...]], ...] = (("serve", ()), ("serve --dirty", ("--dirty",)))
    if dirty_only:
        modes = modes[1:]
    case = sorted((project / "cases").glob("*.md"))[len(list((project / "cases").glob("*.md"))) // 2]
    original = case.read_text(encoding="utf-8")
    mount = urllib.parse.urlsplit(str(yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8").split("\ntheme:")[0]).get("site_url") or "/")).path
    url_path = f"{mount.strip('/') + '/' if mount.strip('/') else ''}cas/{case.stem}/"
    out: dict[str, Any] = {"size": size, "case": case.stem}
    try:
        for label, extra in modes:
            with serving(project, *extra) as (base, proc):
                first = wait_for(base + url_path, "<h1", timeout=900)
                times: list[float] = []
                cpus: list[float] = []
                for n in range(edits):
                    marker = f"Repère de banc d'essai {label} {n} {time.time_ns()}"
                    time.sleep(1.5)  # let the watcher settle after the previous build
                    cpu = process_cpu(proc.pid)
                    case.write_text(original + f"\n\n{marker}\n", encoding="utf-8")
                    times.append(wait_for(base + url_path, marker))
                    cpus.append(process_cpu(proc.pid) - cpu)
                out[label] = dict(first_build=first, edit_to_page=times, median=statistics.median(times), cpu=cpus, loadavg=os.getloadavg())
                print(f"{label} à {size} pages : premier rendu {first:.1f} s, sauvegarde → page rechargée "
                      f"{', '.join(f'{t:.1f}' for t in times)} s (médiane {statistics.median(times):.1f} s ; "
                      f"CPU du serveur {', '.join(f'{c:.1f}' for c in cpus)} s ; charge {os.getloadavg()[0]:.1f})", flush=True)
    finally:
        case.write_text(original, encoding="utf-8")
    _save({"serve": {f"{size}{'-dirty' if dirty_only else ''}": out}})
    return out


# -- entry point ---------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["build"]:
        return child_build(Path(argv[1]).resolve(), Path(argv[2]).resolve())
    parser = argparse.ArgumentParser(description="Banc d'essai esskb : construit des corpus synthétiques et mesure.")
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 3000, 5000], help="tailles (fiches + cas)")
    parser.add_argument("--plain", type=int, default=1000, help="taille du corpus construit par MkDocs + Material seuls")
    parser.add_argument("--no-plain", action="store_true")
    parser.add_argument("--serve", type=int, metavar="PAGES", help="mesurer la boucle d'édition sous mkdocs serve")
    parser.add_argument("--dirty-only", action="store_true", help="avec --serve : seulement serve --dirty")
    parser.add_argument("--workers", type=int, default=None, help="extra: esskb: workers (1 : rendu en un seul processus ; par défaut un par cœur)")
    parser.add_argument("--search", choices=["lunr", "pagefind"], default="lunr", help="recherche de Material (lunr) ou Pagefind")
    parser.add_argument("--repeat", type=int, default=1, metavar="N", help="construire chaque taille N fois, par tours ; le tableau montre la construction de part médiane")
    parser.add_argument("--table", action="store_true", help="réimprimer le tableau de bench/out/results.json")
    args = parser.parse_args(argv)
    if args.table:
        saved = json.loads((OUT / "results.json").read_text())
        for key in ("esskb", "workers1", "pagefind", "workers1-pagefind"):
            if saved.get(key):
                print(f"\n{key}\n" + table(saved[key], (saved.get("plain") or {}).get(str(args.plain))))
        return 0
    print(json.dumps(machine(), ensure_ascii=False))
    if args.serve:
        bench_serve(args.serve, dirty_only=args.dirty_only)
        return 0
    bench_sizes(args.sizes, None if args.no_plain else args.plain, args.workers, args.search, max(1, args.repeat))
    return 0


if __name__ == "__main__":
    sys.exit(main())
