"""Work on every core: a fork pool, and a cache of rendered pages.

Three stages of a build run in forked workers (``run_forked``), none changing a byte of output:

- **Page generation** (``Site.pages``): each worker writes some of the generated pages' Markdown.
- **Rendering** (the hook's ``on_nav``): before MkDocs reads pages one by one, workers render the
  generated pages and hand back the HTML with everything else rendering sets (table of contents,
  title, anchors, the warnings it logged). MkDocs then renders each page as usual, except that
  when the page's final Markdown is the one a worker rendered, the result is taken from the
  cache (``RenderCache``).
- **Building** (the hook's ``on_env``): once every page is read, workers run MkDocs' own page
  build (theme template, search entries, the file) and hand back the search entries.

The cache also serves ``mkdocs serve``, which keeps this module loaded: a rebuild renders again
only the pages whose Markdown changed. Correctness comes from the key: a hash of everything
rendering reads (the page's final Markdown, its path, the Markdown configuration and the set of
files links resolve against). A worker that computed something else (a plugin whose output
depends on the order pages are read) only causes a miss. Nothing here imports MkDocs: the hook
gives the functions to run.
"""

from __future__ import annotations

import fcntl
import gc
import hashlib
import logging
import multiprocessing
import os
import pickle
import signal
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection, wait
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Sequence, cast

# Markdown that reads other files while rendering (pymdownx.snippets): not kept across rebuilds.
_READS_FILES = "--8<--"
SETTING = "workers"
CHUNK = 4


@dataclass(frozen=True)
class Rendered:
    """What rendering one page sets, in plain data (picklable)."""

    content: str
    toc: Any
    title: str | None
    anchors: frozenset[str]
    links_to_anchors: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] | None
    records: tuple[tuple[str, int, str], ...]  # logger name, level, message


class RenderCache:
    """Rendered pages by key; entries not used by the last build are dropped at its end."""

    def __init__(self) -> None:
        self._entries: dict[str, Rendered] = {}
        self._used: set[str] = set()
        self.context = ""
        self.build = 0
        self.hits = 0
        self.misses = 0

    def start(self, context: str) -> None:
        """A new build: ``context`` digests what every page's rendering depends on."""
        self.build += 1
        self.context = context
        self._used = set()
        self.hits = self.misses = 0

    def key(self, src: str, markdown: str) -> str:
        salt = f"{self.build}" if _READS_FILES in markdown else ""
        return context_digest((self.context, salt, src, markdown))

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def get(self, key: str) -> Rendered | None:
        found = self._entries.get(key)
        self._used.add(key)
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def put(self, key: str, rendered: Rendered) -> None:
        self._entries[key] = rendered
        self._used.add(key)

    def finish(self) -> None:
        """Forget what the last build did not use (serve: edited pages' old versions)."""
        self._entries = {k: v for k, v in self._entries.items() if k in self._used}

    def __len__(self) -> int:
        return len(self._entries)


def context_digest(parts: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


def workers_wanted(settings: dict[str, Any]) -> int:
    """``extra: esskb: workers`` (default: the cores this process may use); 1 turns it off.

    Forking needs Linux (macOS forks unsafely, Windows not at all): elsewhere, one process.
    """
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    value = settings.get(SETTING)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return len(os.sched_getaffinity(0))


# -- capturing what rendering logs ------------------------------------------------------------


class _Records(logging.Handler):
    def __init__(self, level: int = logging.WARNING) -> None:
        super().__init__(level)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


class capture:
    """Collect warnings logged under ``logger`` (they still reach its other handlers)."""

    def __init__(self, logger: str, level: int = logging.WARNING) -> None:
        self._logger = logging.getLogger(logger)
        self._handler = _Records(level)

    def __enter__(self) -> list[tuple[str, int, str]]:
        self._logger.addHandler(self._handler)
        return self._handler.records

    def __exit__(self, *exc: object) -> None:
        self._logger.removeHandler(self._handler)


def replay(records: Sequence[tuple[str, int, str]]) -> None:
    for name, level, message in records:
        logging.getLogger(name).log(level, message)


def silence(logger: str) -> None:
    """In a worker: its log lines are replayed by the parent, not printed twice."""
    log = logging.getLogger(logger)
    log.handlers = []
    log.propagate = False


# -- the fork pool ----------------------------------------------------------------------------


def run_forked(job: Callable[[int], Any], count: int, workers: int, chunk: int = CHUNK) -> Iterator[Any]:
    """``job(i)`` for i in range(count) in ``workers`` forked processes, results as they come.

    The job and what it reads are inherited by fork, not pickled; only results travel back,
    each worker's through a pipe of its own. Workers take chunks of ``chunk`` jobs in order
    from a shared counter (the first chunks first: callers put their longest jobs there). A
    worker that dies (killed for memory, say) raises ``BrokenProcessPool`` here instead of
    leaving the build waiting for ever; an exception a job raises is raised here.

    A bare ``fork`` per worker rather than ``ProcessPoolExecutor``: with the executor, whose
    threads in the parent feed the workers and collect their results, workers waited between
    chunks (0.15 to 0.2 s of each worker's 1.19 s of page generation, 5,000 pages).
    """
    chunks = -(-count // chunk)
    gc.freeze()  # the parent's objects stay shared with the workers instead of being copied (no
    # collection first: it took 0.1 to 0.4 s of the parent's time, and unfreeze() gives garbage back)
    context = multiprocessing.get_context("fork")
    taken = context.Value("q", 0)  # chunks handed out so far
    running: dict[Connection, int] = {}  # each worker's pipe, and its process
    try:
        for _ in range(min(workers, chunks)):
            read, write = context.Pipe(duplex=False)
            _widen(write)
            pid = os.fork()
            if pid == 0:  # a worker: never returns
                read.close()
                for other in running:
                    other.close()
                _work(job, count, chunk, taken, write)
            write.close()
            running[read] = pid
        while running:
            for pipe in cast(list[Connection], wait(list(running))):
                try:
                    kind, value = pipe.recv()
                except EOFError:
                    raise BrokenProcessPool("un processus de travail s'est arrêté sans finir (mémoire ?)") from None
                if kind == "results":
                    yield from value
                elif kind == "failed":
                    raise value
                else:  # done
                    pipe.close()
                    os.waitpid(running.pop(pipe), 0)
    finally:
        for pipe, pid in running.items():  # a failure, or the caller stopped reading
            pipe.close()
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
        if not _stay_frozen:
            gc.unfreeze()


def _widen(pipe: Connection) -> None:
    """A pipe that holds a chunk's results (a megabyte, Linux's default limit for a user) lets
    the worker go on to its next chunk while the parent reads them."""
    try:
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)  # type: ignore[attr-defined]
    except (AttributeError, OSError):  # not Linux, or over the user's limit
        pass


def _work(job: Callable[[int], Any], count: int, chunk: int, taken: Any, pipe: Connection) -> None:
    try:
        while True:
            with taken.get_lock():
                first = taken.value * chunk
                taken.value += 1
            if first >= count:
                break
            pipe.send(("results", [job(i) for i in range(first, min(first + chunk, count))]))
        pipe.send(("done", None))
    except BaseException as exc:  # noqa: BLE001 (raised again in the parent)
        try:
            pipe.send(("failed", exc))
        except Exception:  # noqa: BLE001 (an exception that does not pickle)
            pipe.send(("failed", RuntimeError(repr(exc))))
    finally:
        os._exit(0)  # no atexit handlers, no flushing of the parent's buffers


_stay_frozen = False


def stay_frozen(one_off: bool) -> None:
    """``one_off`` (``mkdocs build``): what the process holds when it forks stays out of the
    cyclic collector's walks to the end (gen2 collections of the whole heap took a few tenths
    of a second each), as the process ends with the build. Otherwise (``mkdocs serve``), each
    fork's freeze is undone, so that a rebuild's garbage is still collected."""
    global _stay_frozen
    _stay_frozen = one_off


# -- one job beside the build -----------------------------------------------------------------


class Background:
    """``job()`` in a forked process, from now until ``result()``: work that only writes
    files of its own (the build's extra outputs) runs while MkDocs builds the pages. The
    process runs at idle priority (Linux's ``SCHED_IDLE``): it takes the cores only when the
    build leaves one idle (MkDocs' steps in one process), and slows the page workers down
    not at all; with ``nice``, at that niceness instead (work the build may wait for). What
    it logs under ``logger`` is replayed by ``result()``, so strict builds count its
    warnings; an exception it raises is raised again by ``result()``.

    A bare ``fork`` and a pipe, no executor: the build forks its page workers afterwards,
    and a process holding an executor's threads should not be forked."""

    def __init__(self, job: Callable[[], Any], logger: str, nice: int | None = None) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the job's process: never returns
            os.close(read)
            _run_and_exit(job, logger, write, nice)
        os.close(write)
        self._pid, self._read = pid, read
        self.seconds = 0.0  # the job's processor time, in its process (its wall time is the build's)

    def _wait(self) -> bytes:
        with os.fdopen(self._read, "rb") as pipe:
            data = pipe.read()
        os.waitpid(self._pid, 0)
        return data

    def result(self) -> Any:
        data = self._wait()
        if not data:
            raise RuntimeError("le processus qui écrit les sorties s'est arrêté sans résultat (mémoire ?)")
        (failed, value), records, self.seconds = pickle.loads(data)
        replay(records)
        if failed:
            raise value
        return value

    def cancel(self) -> None:
        """The build failed: wait for the job, keep nothing of it."""
        self._wait()


def _run_and_exit(job: Callable[[], Any], logger: str, write: int, nice: int | None) -> None:
    try:
        if nice is not None:
            os.nice(nice)
        else:
            try:
                os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
            except (AttributeError, OSError):
                os.nice(19)
        gc.freeze()  # the parent's objects: not walked by this process's collections (nor copied)
        silence(logger)
        start = time.process_time()
        with capture(logger, logging.INFO) as records:
            try:
                outcome: tuple[bool, Any] = (False, job())
            except BaseException as exc:  # noqa: BLE001 (raised again in the parent)
                outcome = (True, exc)
        try:
            payload = pickle.dumps((outcome, records, time.process_time() - start))
        except Exception as exc:  # noqa: BLE001 (a value or an exception that does not pickle)
            payload = pickle.dumps(((True, RuntimeError(f"{outcome[1]!r} ({exc})")), records, time.process_time() - start))
        with os.fdopen(write, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)  # no atexit handlers, no flushing of the parent's buffers
