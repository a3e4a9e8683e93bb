"""The extraction worker pool: pages are extracted in other processes, and a page that
hangs or crashes its worker costs that page only."""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass

import pytest
import pytest_twisted
from twisted.internet.defer import Deferred

from newsbot.extraction import ExtractedArticle, ExtractionOptions
from newsbot.pool.processes import ExtractionPool, PageTask


@dataclass(frozen=True)
class Job:
    url: str
    body: bytes = b""


def report_pid(job: Job) -> ExtractedArticle:
    """A stand-in extractor: hangs, crashes or fails on request, else says who ran it."""
    if "hang" in job.url:
        time.sleep(3600)  # the hang is what is tested: the pool's time-out ends it
    if "crash" in job.url:
        os._exit(3)
    if "fail" in job.url:
        raise ValueError("bad page")
    if "busy" in job.url:
        end = time.monotonic() + 0.3
        while time.monotonic() < end:
            pass
    return ExtractedArticle(text=f"{job.url} {len(job.body)} {os.getpid()}")


def pid_of(article: ExtractedArticle) -> int:
    assert article.text is not None, article.error
    return int(article.text.split()[-1])


def run_pool(pool: ExtractionPool, coro_factory) -> Deferred:
    """Run ``coro_factory(pool)`` on the asyncio loop of the reactor (as a crawl's
    pipeline does), then close the pool."""

    async def main():
        try:
            return await coro_factory(pool)
        finally:
            pool.close()

    return Deferred.fromFuture(asyncio.ensure_future(main()))


@pytest_twisted.inlineCallbacks
def test_pages_are_extracted_in_worker_processes():
    pool = ExtractionPool(2, timeout=10, function=report_pid)

    async def go(pool):
        return await asyncio.gather(*(pool.extract(Job(f"page{i}")) for i in range(8)))

    results = yield run_pool(pool, go)
    assert [r.text.split()[0] for r in results] == [f"page{i}" for i in range(8)]
    pids = {pid_of(r) for r in results}
    assert os.getpid() not in pids
    assert 1 <= len(pids) <= 2


@pytest_twisted.inlineCallbacks
def test_large_pages_cross_whole():
    # Bodies larger than a pipe holds are written as the worker reads them.
    bodies = [bytes([i]) * (3_000_000 + i) for i in range(4)]
    pool = ExtractionPool(2, timeout=10, function=report_pid)

    async def go(pool):
        return await asyncio.gather(
            *(pool.extract(Job(f"big{i}", b)) for i, b in enumerate(bodies))
        )

    results = yield run_pool(pool, go)
    assert [int(r.text.split()[1]) for r in results] == [len(b) for b in bodies]


@pytest_twisted.inlineCallbacks
def test_real_extraction_runs_in_the_pool():
    words = " ".join(f"word{i % 50}" for i in range(300))
    html = (
        "<html><head><title>Budget vote delayed</title></head><body><nav>Home News</nav>"
        f"<article><h1>Budget vote delayed</h1><p>{words}.</p><p>{words}.</p></article>"
        "</body></html>"
    ).encode()
    pool = ExtractionPool(1, timeout=30)
    task = PageTask(
        body=html, url="http://example.com/a", content_type="text/html", options=ExtractionOptions()
    )
    article = yield run_pool(pool, lambda pool: pool.extract(task))
    assert article.error is None
    assert article.title == "Budget vote delayed"
    assert "word49" in article.text


@pytest_twisted.inlineCallbacks
def test_a_hanging_page_times_out_and_the_other_pages_go_on():
    pool = ExtractionPool(2, timeout=1.0, function=report_pid)

    async def go(pool):
        # Both workers up, so the pages after the hanging one have a free worker.
        await asyncio.gather(*(pool.extract(Job(f"warm-up{i}-busy")) for i in range(2)))
        before = set(pool.pids)
        hung = asyncio.ensure_future(pool.extract(Job("hang")))
        await asyncio.sleep(0)  # one turn of the loop, no clock: the hang is handed out first
        others = [await pool.extract(Job(f"after{i}")) for i in range(5)]
        # The other pages went through the free worker while the first one hung.
        # (A page queued behind a hanging one would wait for its time-out, then go to
        # another worker.)
        assert not hung.done()
        hung_result = await hung
        later = await asyncio.gather(*(pool.extract(Job(f"later-busy{i}")) for i in range(4)))
        return hung_result, others, later, before, set(pool.pids)

    hung, others, later, pids_before, pids_after = yield run_pool(pool, go)
    assert hung.text is None
    assert hung.error == "extraction timed out after 1s"
    assert all(r.error is None for r in others + later)
    assert pool.events["timed_out"] == 1
    # The hung worker was killed and replaced; the other one lives on.
    assert len(pids_before) == len(pids_after) == 2
    assert len(pids_before & pids_after) == 1


@pytest_twisted.inlineCallbacks
def test_a_crashing_worker_is_replaced():
    pool = ExtractionPool(1, timeout=10, function=report_pid)

    async def go(pool):
        before = await pool.extract(Job("before"))
        crashed = await pool.extract(Job("crash"))
        after = await pool.extract(Job("after"))
        return before, crashed, after

    before, crashed, after = yield run_pool(pool, go)
    assert crashed.error == "extraction worker crashed"
    assert pid_of(before) != pid_of(after)
    assert pool.events["crashed"] == 1


@pytest_twisted.inlineCallbacks
def test_an_exception_in_the_extractor_costs_the_page_only():
    pool = ExtractionPool(1, timeout=10, function=report_pid)

    async def go(pool):
        return [await pool.extract(Job(u)) for u in ("one", "fail", "two")]

    one, failed, two = yield run_pool(pool, go)
    assert failed.error == "extraction failed: ValueError: bad page"
    assert pid_of(one) == pid_of(two)  # the worker survived
    assert pool.events["crashed"] == 0


@pytest_twisted.inlineCallbacks
def test_workers_are_recycled_after_max_tasks():
    pool = ExtractionPool(1, max_tasks_per_child=2, timeout=10, function=report_pid)

    async def go(pool):
        return [await pool.extract(Job(f"p{i}")) for i in range(6)]

    results = yield run_pool(pool, go)
    pids = [pid_of(r) for r in results]
    assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4] == pids[5]
    assert len(set(pids)) == 3
    assert pool.events["recycled"] == 3


@pytest_twisted.inlineCallbacks
def test_the_event_loop_stays_free_while_workers_are_busy():
    pool = ExtractionPool(2, timeout=10, function=report_pid)

    async def go(pool):
        ticks = 0

        async def ticker():
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)  # the measure: ticks the loop runs while workers work
                ticks += 1

        await pool.extract(Job("warm-up"))  # workers started
        tick_task = asyncio.ensure_future(ticker())
        results = await asyncio.gather(*(pool.extract(Job(f"busy{i}")) for i in range(4)))
        tick_task.cancel()
        return ticks, results

    ticks, results = yield run_pool(pool, go)
    assert all(r.error is None for r in results)
    # Four pages of 0.3 s of CPU each: inline, the loop could not have ticked at all.
    assert ticks >= 10


@pytest_twisted.inlineCallbacks
def test_workers_zero_extracts_inline():
    pool = ExtractionPool(0, function=report_pid)
    result = yield run_pool(pool, lambda pool: pool.extract(Job("inline")))
    assert pid_of(result) == os.getpid()


@pytest_twisted.inlineCallbacks
def test_close_stops_the_workers():
    pool = ExtractionPool(2, timeout=10, function=report_pid)

    async def go(pool):
        await asyncio.gather(*(pool.extract(Job(f"p{i}")) for i in range(2)))
        return list(pool.pids)

    pids = yield run_pool(pool, go)
    assert len(pids) == 2
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    result = yield Deferred.fromFuture(asyncio.ensure_future(pool.extract(Job("late"))))
    assert result.error == "extraction pool closed"


@pytest_twisted.inlineCallbacks
def test_a_page_queued_behind_a_crash_goes_to_the_replacement():
    pool = ExtractionPool(1, timeout=10, queue_depth=2, function=report_pid)

    async def go(pool):
        await pool.extract(Job("warm-up"))
        return await asyncio.gather(pool.extract(Job("crash")), pool.extract(Job("next")))

    crashed, after = yield run_pool(pool, go)
    assert crashed.error == "extraction worker crashed"
    assert after.error is None and after.text.startswith("next ")


@pytest_twisted.inlineCallbacks
def test_workers_that_cannot_start_fail_the_pages_instead_of_hanging():
    import resource

    # No file descriptor left for a worker's pipes (a crawl with too many open
    # connections and files): the pages come back with the reason, at once.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    pool = ExtractionPool(2, timeout=10, function=report_pid)

    async def go(pool):
        in_use = len(os.listdir("/proc/self/fd"))
        resource.setrlimit(resource.RLIMIT_NOFILE, (in_use + 1, hard))
        try:
            return await asyncio.wait_for(
                asyncio.gather(*(pool.extract(Job(f"page{i}")) for i in range(3))), 10
            )
        finally:
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))

    results = yield run_pool(pool, go)
    assert [r.text for r in results] == [None, None, None]
    assert all("extraction workers cannot start" in r.error for r in results)
    assert "open files" in results[0].error
