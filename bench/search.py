"""First-search payload, measured in a real browser (Chromium through Playwright).

    python bench/search.py SITE_DIR [--query ressourcerie] [--screenshot out.png]

Serves SITE_DIR over HTTP (Python's http.server: no compression, as bytes on disk), opens an
item page, opens the site's search (Material's lunr search or esskb's Pagefind box, whichever
the page has), types the query and waits for the first results. Prints the bytes fetched for
search (lunr: search_index.json, its worker and stemmers; Pagefind: everything under pagefind/),
the bytes of the whole visit, their gzip estimate, and the time to the first results.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import free_port  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SEARCH_PARTS = ("search/search_index.json", "/workers/search", "/lunr/", "/pagefind/")


@contextlib.contextmanager
def http_server(site: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(site)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        for _ in range(100):
            with contextlib.suppress(OSError):
                import urllib.request

                urllib.request.urlopen(base, timeout=2).read()
                break
            time.sleep(0.1)
        yield base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def measure(site: Path, query: str, screenshot: Path | None = None, timeout_s: float = 600) -> dict:
    page_url = next(p.parent.relative_to(site).as_posix() for p in sorted((site / "cas").glob("*/index.html")))
    responses: list = []
    with http_server(site) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(timeout_s * 1000)
        page.on("response", lambda response: responses.append(response))
        start = time.perf_counter()
        page.goto(f"{base}{page_url}/", wait_until="load")
        if page.locator(".esskb-pagefind-open").count():
            kind = "pagefind"
            page.locator(".esskb-pagefind-open").click()
            box = page.locator(".pagefind-ui__search-input")
            box.fill(query)
            page.locator(".pagefind-ui__result").first.wait_for()
        else:
            kind = "lunr"
            box = page.locator("input.md-search__input")  # in the header at this width
            box.click()
            box.fill(query)
            page.locator(".md-search-result__item").first.wait_for()
        elapsed = time.perf_counter() - start
        page.wait_for_load_state("networkidle")
        results = page.locator(".pagefind-ui__result, .md-search-result__item").count()
        if screenshot:
            page.screenshot(path=str(screenshot))
        sizes = []
        for response in responses:
            with contextlib.suppress(Exception):
                body = response.body()
                sizes.append((response.url[len(base):], len(body), len(gzip.compress(body, 6))))
        browser.close()
    search = [s for s in sizes if any(part in "/" + s[0] for part in SEARCH_PARTS)]
    return dict(
        kind=kind, query=query, page=page_url, seconds_to_results=elapsed, results_shown=results,
        search_bytes=sum(s[1] for s in search), search_gzip=sum(s[2] for s in search), search_requests=len(search),
        total_bytes=sum(s[1] for s in sizes), total_gzip=sum(s[2] for s in sizes), requests=len(sizes),
        largest=sorted(search, key=lambda s: -s[1])[:5],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesure la charge de la première recherche dans Chromium.")
    parser.add_argument("site", type=Path)
    parser.add_argument("--query", default="ressourcerie")
    parser.add_argument("--screenshot", type=Path)
    args = parser.parse_args(argv)
    figures = measure(args.site.resolve(), args.query, args.screenshot)
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
