"""A pool of worker processes for extraction, driven by the asyncio event loop.

Extraction is CPU work (some 15 ms for a 170 KB page) and Scrapy's event loop is
single-threaded: done inline it stalls downloads and uses one core, and threads do not
help (the GIL). :class:`ExtractionPool` runs the extraction in worker processes and
hands results back to the event loop as awaitables.

Why a small pool of our own rather than :class:`concurrent.futures.ProcessPoolExecutor`:
that executor cannot stop a running task, so one page that hangs the extractor would
hold a worker for ever, and one worker that dies breaks the whole executor. Here each
worker has its own pipe, watched by the event loop itself (``add_reader``: no helper
threads), so a worker past its time limit is killed and replaced, a worker that dies is
replaced, and both cost the page at hand only.

What crosses the process boundary: the :class:`PageTask` (body bytes, URL, content
type, options) one way, the small :class:`~newsbot.extraction.ExtractedArticle` back.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import pickle
import signal
import struct
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import Any

from newsbot.extraction import ExtractedArticle, ExtractionOptions
from newsbot.pool.forkserver import context as _context

logger = logging.getLogger(__name__)

TaskFunction = Callable[[Any], Any]
"""What a worker runs on each task: a module-level (picklable) function."""
EventCallback = Callable[[str], None]
"""Told of each pool event: ``started``, ``recycled``, ``timed_out``, ``crashed``."""

# Messages are pickles behind an 8-byte length; a worker reads and writes them blocking,
# the crawl process reads and writes as much as the pipe takes and lets the event loop
# say when to go on.
_HEADER = struct.Struct("!Q")
_CHUNK = 1 << 20
# A page's body fits in a pipe this large, so handing it over takes one write (Linux
# lets an unprivileged process grow a pipe to 1 MB).
_PIPE_SIZE = 1 << 20

# Start-up failures in a row after which the pool gives up on starting workers (an
# import error in the worker, say) instead of respawning for ever.
_MAX_START_FAILURES = 3


@dataclass(frozen=True, slots=True)
class PageTask:
    """What crosses into a worker: only what extraction needs."""

    body: bytes
    url: str
    content_type: str | None
    options: ExtractionOptions


def extract_page(task: PageTask) -> ExtractedArticle:
    """Run in a worker: extract and clean one page."""
    # Imported here: the crawl process imports this module but never extracts (the
    # forkserver's warm-up imports the extractor for every worker).
    from newsbot.extraction.api import extract_article

    return extract_article(task.body, task.url, task.options, content_type=task.content_type)


# A short article in plain English: enough for the extractor and the cleaning rules to
# reach every code path a typical page takes (and so compile and load what they use).
_WARM_UP_PAGE = (
    "<html><head><title>Warm-up headline</title>"
    '<meta name="author" content="A. Writer"></head><body><nav><a href="/">Home</a></nav>'
    "<article><h1>Warm-up headline</h1><p class=byline>By A. Writer</p>"
    + "".join(
        f"<p>This is paragraph {n} of a short article, written in plain English so that "
        "the extractor has some text to weigh and to clean.</p>"
        for n in range(12)
    )
    + "</article><footer><p>Subscribe to our newsletter</p></footer></body></html>"
).encode()


def warm_up() -> None:
    """Pay the first-use costs of extraction (compiled expressions, jusText's stop
    lists) in this process, once, so that processes forked from it start warm."""
    extract_page(
        PageTask(
            body=_WARM_UP_PAGE,
            url="http://example.com/news/warm-up.html",
            content_type="text/html; charset=utf-8",
            options=ExtractionOptions(),
        )
    )
    from trafilatura.external import jt_stoplist_init

    jt_stoplist_init()


def default_workers() -> int:
    """One worker per core this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _failed(exc: BaseException) -> ExtractedArticle:
    return ExtractedArticle(error=f"extraction failed: {type(exc).__name__}: {exc}")


def _read_exact(fd: int, size: int) -> bytes | None:
    parts, missing = [], size
    while missing:
        chunk = os.read(fd, min(missing, _CHUNK))
        if not chunk:
            return None
        parts.append(chunk)
        missing -= len(chunk)
    return b"".join(parts)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _frame(message: Any) -> bytes:
    payload = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _HEADER.pack(len(payload)) + payload


def _worker_main(tasks: Connection, results: Connection, function: TaskFunction) -> None:
    """A worker's life: say it is ready, then run tasks until the task pipe closes (the
    pool retired the worker, or the crawl process went away)."""
    # Ctrl-C reaches the whole process group; the crawl process decides when workers
    # stop, so a worker does not die in the middle of a page on its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    task_fd, result_fd = tasks.fileno(), results.fileno()
    _write_all(result_fd, _frame("ready"))
    while True:
        header = _read_exact(task_fd, _HEADER.size)
        payload = _read_exact(task_fd, _HEADER.unpack(header)[0]) if header else None
        if payload is None:
            return
        try:
            result = function(pickle.loads(payload))
        except Exception as exc:  # a page's failure must not end the worker
            result = _failed(exc)
        _write_all(result_fd, _frame(result))


class _Job:
    """One page on its way through the pool."""

    __slots__ = ("frame", "url", "waiter")

    def __init__(self, frame: bytes, url: str, waiter: asyncio.Future[Any]):
        self.frame = frame
        self.url = url
        self.waiter = waiter

    def finish(self, result: Any) -> None:
        # A cancelled caller (the crawl shutting down) no longer wants the result.
        if not self.waiter.done():
            self.waiter.set_result(result)


class _Worker:
    """The crawl process's handle on one worker process: its two pipes (non-blocking
    on this side, so the event loop never waits on a worker) and its pages: the first
    is being extracted, the others wait in the pipe."""

    __slots__ = (
        "done",
        "inbox",
        "jobs",
        "outbox",
        "process",
        "ready",
        "result_fd",
        "task_fd",
        "timer",
        "writing",
    )

    def __init__(self, process: BaseProcess, task_fd: int, result_fd: int):
        self.process = process
        self.task_fd = task_fd
        self.result_fd = result_fd
        self.ready = False
        self.done = 0
        self.jobs: deque[_Job] = deque()
        self.timer: asyncio.TimerHandle | None = None
        self.inbox = bytearray()
        self.outbox: deque[memoryview] = deque()
        self.writing = False


class ExtractionPool:
    """Worker processes fed from the asyncio event loop.

    :param workers: how many worker processes; ``0`` or less extracts inline, in the
        calling process (no pool).
    :param max_tasks_per_child: a worker is replaced after this many pages, so memory
        that a parser leaks or fragments is given back (``0``: never).
    :param timeout: seconds a page may take; past it the worker is killed and replaced
        and the page comes back with ``error="extraction timed out after Ns"``.
    :param function: what workers run on each task (default :func:`extract_page`);
        a module-level function, since it is pickled into the workers.
    :param start_method: ``forkserver`` (default) forks each worker from a small server
        process that has already imported trafilatura: a replacement worker is ready in
        milliseconds, and shares the imported code's memory with its siblings. It
        never forks the crawl process itself, whose threads and sockets a fork would
        copy. ``spawn`` works too, at about a second per worker start.
    :param queue_depth: pages handed to a worker at once: the one it extracts and
        ``queue_depth - 1`` waiting in its pipe, so it starts the next page without
        waiting for the event loop, which has downloads to tend too. A page waiting
        behind one that hangs or crashes the worker is handed to another worker.
    :param on_event: called with the name of each event (for the crawl's stats).

    Callers beyond ``workers * queue_depth`` wait their turn: in a crawl, that holds
    their responses in Scrapy's scraper slot, whose size limit
    (``SCRAPER_SLOT_MAX_ACTIVE_SIZE``) then pauses downloading. So memory stays bounded
    when downloads outrun extraction.
    """

    def __init__(
        self,
        workers: int,
        max_tasks_per_child: int = 500,
        timeout: float = 30.0,
        *,
        function: TaskFunction = extract_page,
        start_method: str = "forkserver",
        queue_depth: int = 2,
        on_event: EventCallback | None = None,
    ):
        self.workers = workers
        self.max_tasks_per_child = max_tasks_per_child
        self.timeout = timeout
        self.function = function
        self.start_method = start_method
        self.queue_depth = max(queue_depth, 1)
        self.on_event = on_event
        self.events: Counter[str] = Counter()
        """How often each event happened: ``started``, ``recycled``, ``timed_out``,
        ``crashed``."""
        self._context: BaseContext | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._workers: list[_Worker] = []
        self._pending: deque[_Job] = deque()
        self._start_failures = 0
        self._broken: str | None = None
        self._closed = False

    # --- public -----------------------------------------------------------------

    async def extract(self, task: Any) -> Any:
        """Run the pool's function on *task* in a worker. Page-level failures come back
        as an :class:`ExtractedArticle` with ``error`` set, never raised."""
        if self.workers <= 0:
            try:
                return self.function(task)
            except Exception as exc:
                return _failed(exc)
        if self._closed or self._broken:
            return ExtractedArticle(error=self._broken or "extraction pool closed")
        loop = asyncio.get_running_loop()
        self._start(loop)
        if self._broken:
            return ExtractedArticle(error=self._broken)
        job = _Job(_frame(task), getattr(task, "url", ""), loop.create_future())
        self._pending.append(job)
        self._dispatch()
        return await job.waiter

    @property
    def pids(self) -> list[int]:
        """Process ids of the live workers."""
        return [w.process.pid for w in self._workers if w.process.pid is not None]

    def close(self) -> None:
        """Stop the workers: idle ones are told to exit, busy ones are killed. Pages
        not extracted yet come back with an error."""
        if self._closed:
            return
        self._closed = True
        self._fail_pending("extraction pool closed")
        workers, self._workers = self._workers, []
        for worker in workers:
            busy = bool(worker.jobs) or not worker.ready
            for job in worker.jobs:
                job.finish(ExtractedArticle(error="extraction pool closed"))
            worker.jobs.clear()
            # Closing the task pipe tells an idle worker to exit.
            self._unwatch(worker)
            if busy:
                worker.process.kill()
        for worker in workers:
            worker.process.join(5)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(1)

    # --- dispatching ------------------------------------------------------------

    def _capacity(self, worker: _Worker) -> int:
        room = self.queue_depth - len(worker.jobs)
        if self.max_tasks_per_child > 0:
            # A worker due for recycling takes no more than it will run.
            room = min(room, self.max_tasks_per_child - worker.done - len(worker.jobs))
        return room if worker.ready else 0

    def _dispatch(self) -> None:
        """Hand waiting pages to workers with room, the least loaded first."""
        while self._pending:
            worker = max(self._workers, key=self._capacity, default=None)
            if worker is None or self._capacity(worker) <= 0:
                return
            job = self._pending.popleft()
            if job.waiter.done():  # its caller gave up
                continue
            worker.jobs.append(job)
            if len(worker.jobs) == 1:
                self._start_timer(worker)
            worker.outbox.append(memoryview(job.frame))
            self._flush(worker)

    def _start_timer(self, worker: _Worker) -> None:
        assert self._loop is not None
        worker.timer = self._loop.call_later(self.timeout, self._timed_out, worker)

    def _fail_pending(self, error: str) -> None:
        while self._pending:
            self._pending.popleft().finish(ExtractedArticle(error=error))

    # --- workers ----------------------------------------------------------------

    def prepare(self) -> None:
        """Start the forkserver now (it is started at the first page otherwise): see
        :func:`newsbot.pool.forkserver.prestart_forkserver`."""
        if self.workers <= 0 or self._context is not None:
            return
        self._context = _context(self.start_method)
        if self.start_method == "forkserver":
            multiprocessing.forkserver.ensure_running()

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._loop is not None:
            return
        self._loop = loop
        if self._context is None:
            self._context = _context(self.start_method)
        for _ in range(self.workers):
            self._spawn()
            if self._broken:
                break

    def _spawn(self) -> None:
        """Start a worker. When the system refuses (no descriptors, processes or
        memory left), the failure counts as a start failure; with no worker left at
        all, the pool gives up at once rather than leave pages waiting for ever."""
        try:
            self._spawn_one()
        except Exception as exc:  # whatever stops a process from starting
            self._start_failures += 1
            logger.error("cannot start an extraction worker: %s", exc)
            if self._start_failures >= _MAX_START_FAILURES or not self._workers:
                self._broken = f"extraction workers cannot start: {exc}"
                logger.error("%s; pages are no longer extracted", self._broken)
                self._fail_pending(self._broken)

    def _spawn_one(self) -> None:
        assert self._context is not None and self._loop is not None
        task_reader, task_writer = self._context.Pipe(duplex=False)
        try:
            result_reader, result_writer = self._context.Pipe(duplex=False)
        except Exception:
            task_reader.close()
            task_writer.close()
            raise
        process = self._context.Process(  # type: ignore[attr-defined]
            target=_worker_main,
            args=(task_reader, result_writer, self.function),
            name="newsbot-extract",
            daemon=True,
        )
        try:
            process.start()
        except Exception:
            for end in (task_reader, task_writer, result_reader, result_writer):
                end.close()
            raise
        # The worker's ends live in the worker only: when it dies, its result pipe
        # reads end-of-file here.
        task_reader.close()
        result_writer.close()
        # Own copies of the descriptors: the pool reads and writes them raw.
        worker = _Worker(process, os.dup(task_writer.fileno()), os.dup(result_reader.fileno()))
        task_writer.close()
        result_reader.close()
        os.set_blocking(worker.task_fd, False)
        os.set_blocking(worker.result_fd, False)
        with contextlib.suppress(OSError, AttributeError):
            fcntl.fcntl(worker.task_fd, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)  # type: ignore[attr-defined]
        self._workers.append(worker)
        self._loop.add_reader(worker.result_fd, self._readable, worker)
        self._event("started")

    def _flush(self, worker: _Worker) -> None:
        """Write what the task pipe takes now; the event loop calls again when it
        takes more."""
        assert self._loop is not None
        outbox = worker.outbox
        try:
            while outbox:
                written = os.write(worker.task_fd, outbox[0])
                if written == len(outbox[0]):
                    outbox.popleft()
                else:
                    outbox[0] = outbox[0][written:]
        except BlockingIOError:
            pass
        except OSError:  # the worker is gone
            self._lost(worker, "crashed")
            return
        if outbox and not worker.writing:
            self._loop.add_writer(worker.task_fd, self._flush, worker)
            worker.writing = True
        elif not outbox and worker.writing:
            self._loop.remove_writer(worker.task_fd)
            worker.writing = False

    def _readable(self, worker: _Worker) -> None:
        try:
            chunk = os.read(worker.result_fd, _CHUNK)
        except BlockingIOError:
            return
        except OSError:
            chunk = b""
        if not chunk:
            self._lost(worker, "crashed")
            return
        inbox = worker.inbox
        inbox += chunk
        while len(inbox) >= _HEADER.size and worker in self._workers:
            end = _HEADER.size + _HEADER.unpack_from(inbox)[0]
            if len(inbox) < end:
                break
            try:
                message = pickle.loads(inbox[_HEADER.size : end])
            except Exception:
                logger.exception("unreadable result from extraction worker %s", worker.process.pid)
                self._lost(worker, "crashed")
                return
            del inbox[:end]
            self._message(worker, message)

    def _message(self, worker: _Worker, message: Any) -> None:
        if not worker.ready:
            worker.ready = True
            self._start_failures = 0
        elif worker.jobs:
            if worker.timer is not None:
                worker.timer.cancel()
                worker.timer = None
            worker.jobs.popleft().finish(message)
            worker.done += 1
            if worker.jobs:
                self._start_timer(worker)
        if (
            not self._closed
            and self.max_tasks_per_child > 0
            and worker.done >= self.max_tasks_per_child
        ):
            self._retire(worker)
            self._event("recycled")
            self._spawn()
        self._dispatch()

    def _timed_out(self, worker: _Worker) -> None:
        worker.timer = None
        logger.warning(
            "extraction of %s took over %gs; its worker (pid %s) is killed and replaced",
            worker.jobs[0].url if worker.jobs else "a page",
            self.timeout,
            worker.process.pid,
        )
        self._lost(worker, "timed_out")

    def _lost(self, worker: _Worker, event: str) -> None:
        """A worker died or was past its time: kill it, fail the page it was on, hand
        the pages queued behind it to the others, replace it."""
        if worker not in self._workers:
            return
        jobs = list(worker.jobs)
        worker.jobs.clear()
        self._retire(worker, kill=True)
        self._event(event)
        if event == "crashed":
            if worker.ready:
                logger.error(
                    "an extraction worker (pid %s) died on %s; it is replaced",
                    worker.process.pid,
                    jobs[0].url if jobs else "no page",
                )
            else:
                self._start_failures += 1
                logger.error(
                    "an extraction worker (pid %s) died while starting", worker.process.pid
                )
        if jobs:
            error = (
                f"extraction timed out after {self.timeout:g}s"
                if event == "timed_out"
                else "extraction worker crashed"
            )
            jobs[0].finish(ExtractedArticle(error=error))
            self._pending.extendleft(reversed(jobs[1:]))
        if self._closed:
            return
        if self._start_failures >= _MAX_START_FAILURES:
            self._broken = "extraction workers fail to start"
            logger.error("%s; pages are no longer extracted", self._broken)
            self._fail_pending(self._broken)
            return
        self._spawn()
        self._dispatch()

    def _retire(self, worker: _Worker, *, kill: bool = False) -> None:
        if worker in self._workers:
            self._workers.remove(worker)
        # Closing the task pipe tells the worker to exit.
        self._unwatch(worker)
        if kill:
            worker.process.kill()
        self._reap(worker.process)

    def _unwatch(self, worker: _Worker) -> None:
        if worker.timer is not None:
            worker.timer.cancel()
            worker.timer = None
        if worker.task_fd < 0:
            return
        if self._loop is not None:
            self._loop.remove_reader(worker.result_fd)
            if worker.writing:
                self._loop.remove_writer(worker.task_fd)
                worker.writing = False
        os.close(worker.task_fd)
        os.close(worker.result_fd)
        worker.task_fd = worker.result_fd = -1

    def _reap(self, process: BaseProcess) -> None:
        """Collect an exiting worker's status when it is gone, without waiting for it
        on the event loop."""
        loop = self._loop
        assert loop is not None
        sentinel = process.sentinel

        def reaped() -> None:
            loop.remove_reader(sentinel)
            process.join(0)
            # Still running (it cannot be, past its sentinel): multiprocessing reaps it.
            with contextlib.suppress(ValueError):
                process.close()

        loop.add_reader(sentinel, reaped)

    def _event(self, name: str) -> None:
        self.events[name] += 1
        if self.on_event is not None:
            self.on_event(name)
