"""The run context: which source a crawl runs, its run id, where its output goes.

Built once per crawl and frozen; every component that names the run (the feed path,
the crawl state, the manifest, the WARC archive, the progress summary, the cluster)
reads it through :func:`run_context` instead of guessing from spider attributes.

It is built on the first :func:`run_context` call, from the spider and the settings.
A cluster worker's run id is the cluster's, known only once the worker has joined:
the cluster extension (:mod:`newsbot.distributed.cluster`) joins in its
``from_crawler`` and builds the context there with :func:`join_run`. No other
component reads the context while Scrapy builds the extensions (the crawl state opens
its store on first use), so the order of ``EXTENSIONS`` does not matter; were one ever
to read it first, :func:`join_run` stops the crawl with an error instead of letting two
run ids name one run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsbot import defaults

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

# The spider attribute that holds the context: the spider is the one object of a
# crawl that every component reaches, and Scrapy builds it before any of them.
ATTRIBUTE = "newsbot_run"


@dataclass(frozen=True, slots=True)
class RunContext:
    """What names one crawl run; the same object for every component of the crawl."""

    source: str
    """The source's name (a newsbot spider's source, else the spider's name)."""
    run_id: str
    """``YYYYMMDDTHHMMSS.mmmZ`` (UTC, start of the run); for a cluster worker
    ``<cluster run id>-<worker id>``, so that two workers never share a file."""
    output_dir: Path
    """``NEWSBOT_OUTPUT_DIR``: records, manifest and WARC files go under
    ``<output_dir>/<source>/``."""
    worker_id: str | None = None
    """The cluster worker's id; None outside a cluster."""
    cluster_run_id: str | None = None
    """The run id every worker of the cluster shares; None outside a cluster."""

    @property
    def source_dir(self) -> Path:
        """``<output_dir>/<source>``: where this run's files go by default."""
        return self.output_dir / self.source


def new_run_id(now: datetime | None = None) -> str:
    """A run id for a run starting *now*: UTC to the millisecond, so that two runs of
    one source in one second do not share files."""
    now = now or datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%S") + f".{now.microsecond // 1000:03d}Z"


def spider_source(spider: Any) -> str:
    """The source a spider runs: a newsbot spider's source, else the spider's name (a
    user's own spider run with newsbot's components)."""
    return str(getattr(spider, "source_name", None) or spider.name)


def _spider(crawler: Crawler, spider: Any = None) -> Any:
    spider = spider if spider is not None else crawler.spider
    if spider is None:
        raise RuntimeError("the run context needs the crawler's spider (built by crawl())")
    return spider


def _build(crawler: Crawler, spider: Any = None, **cluster: str) -> RunContext:
    spider = _spider(crawler, spider)
    run_id = new_run_id()
    if cluster:
        run_id = f"{cluster['cluster_run_id']}-{cluster['worker_id']}"
    context = RunContext(
        source=spider_source(spider),
        run_id=run_id,
        output_dir=Path(crawler.settings.get("NEWSBOT_OUTPUT_DIR", defaults.NEWSBOT_OUTPUT_DIR)),
        **cluster,
    )
    setattr(spider, ATTRIBUTE, context)
    return context


def run_context(crawler: Crawler, spider: Any = None) -> RunContext:
    """The crawl's run context, built on the first call. *spider* is the crawler's
    (given only by a spider asking before ``crawl()`` has attached it)."""
    spider = _spider(crawler, spider)
    context = getattr(spider, ATTRIBUTE, None)
    if isinstance(context, RunContext):
        return context
    return _build(crawler, spider)


def join_run(crawler: Crawler, cluster_run_id: str, worker_id: str) -> RunContext:
    """Build the run context of a cluster worker that has joined run *cluster_run_id*."""
    if isinstance(getattr(_spider(crawler), ATTRIBUTE, None), RunContext):
        raise RuntimeError(
            "the run context was read before the worker joined its cluster: the "
            "cluster extension must come before every component that reads it while "
            "the extensions are built"
        )
    return _build(crawler, cluster_run_id=cluster_run_id, worker_id=worker_id)
