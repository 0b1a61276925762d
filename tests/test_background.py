"""The build's extra outputs are written by a forked process while MkDocs builds the pages
(esskb.prerender.Background): its result, its log lines and its errors reach the build."""

from __future__ import annotations

import logging
import os
import time

import pytest

from esskb import prerender


def test_the_job_runs_in_another_process_and_its_logs_are_replayed(tmp_path, caplog):
    target = tmp_path / "out.txt"
    log = logging.getLogger("mkdocs.plugins.esskb")

    def job() -> int:
        target.write_text(str(os.getpid()))
        log.info("écrit")
        log.warning("attention : %s", "avertissement")
        return 42

    with caplog.at_level(logging.INFO, logger="mkdocs"):
        background = prerender.Background(job, "mkdocs")
        assert background.result() == 42
    assert int(target.read_text()) != os.getpid()
    replayed = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    assert ("mkdocs.plugins.esskb", logging.INFO, "écrit") in replayed
    assert ("mkdocs.plugins.esskb", logging.WARNING, "attention : avertissement") in replayed  # strict builds count it
    assert background.seconds > 0


def test_an_error_in_the_job_is_raised_by_result():
    def job() -> None:
        raise OSError("disque plein")

    background = prerender.Background(job, "mkdocs")
    with pytest.raises(OSError, match="disque plein"):
        background.result()


def test_a_cancelled_job_is_waited_for(tmp_path):
    target = tmp_path / "done"

    def job() -> None:
        time.sleep(0.5)  # still running when cancel() is called
        target.write_text("x")

    background = prerender.Background(job, "mkdocs")
    background.cancel()
    assert target.read_text() == "x"


def test_the_job_runs_at_idle_priority():
    """It takes a core only when the build leaves one idle: the page workers go first."""
    background = prerender.Background(lambda: os.sched_getscheduler(0), "mkdocs")
    assert background.result() == os.SCHED_IDLE


def test_a_job_the_build_waits_for_runs_niced_not_idle():
    """The WeasyPrint probe (esskb.pdf.start_probe): behind the build's own processes, but it
    still gets a share of a busy machine."""
    background = prerender.Background(lambda: (os.sched_getscheduler(0), os.nice(0)), "mkdocs", nice=10)
    assert background.result() == (os.SCHED_OTHER, os.nice(0) + 10)


def test_a_job_killed_on_the_way_fails_the_build():
    import signal

    background = prerender.Background(lambda: os.kill(os.getpid(), signal.SIGKILL), "mkdocs")
    with pytest.raises(RuntimeError, match="sans résultat"):
        background.result()


@pytest.mark.parametrize("one_off", [True, False])
def test_forking_leaves_objects_frozen_only_for_a_one_off_build(one_off):
    """``mkdocs build`` keeps what it held at each fork out of the collector's walks;
    ``mkdocs serve`` unfreezes, so that the garbage of a rebuild is still collected."""
    import gc

    gc.unfreeze()
    prerender.stay_frozen(one_off)
    try:
        assert sorted(prerender.run_forked(lambda i: i * i, 12, 2)) == [i * i for i in range(12)]
        assert (gc.get_freeze_count() > 0) == one_off
    finally:
        prerender.stay_frozen(False)
        gc.unfreeze()
