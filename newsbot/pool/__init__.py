"""The extraction process pool: the processes that run :mod:`newsbot.extraction` for a
crawl, ``newsbot extract`` and the WARC reader, off the event loop.

* :mod:`newsbot.pool.processes`: :class:`~newsbot.pool.processes.ExtractionPool`, the
  task sent to a process, and what each process runs.
* :mod:`newsbot.pool.forkserver`: starting the processes' forkserver early, without
  importing extraction.
* :mod:`newsbot.pool.preload`: imported by the forkserver only, to warm extraction up
  once for every process forked from it.

"Worker" elsewhere in newsbot means a crawl process of a cluster (docs/distributed.md);
these are extraction processes (``NEWSBOT_WORKERS`` counts them: a setting name kept).
Nothing is imported here: the forkserver module must stay light.
"""
