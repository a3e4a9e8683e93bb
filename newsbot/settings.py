"""Scrapy settings for newsbot.

Only what differs from Scrapy's defaults; newsbot's own ``NEWSBOT_*`` settings take
their defaults from :mod:`newsbot.defaults` (each documented in README.md, "Settings").
"""

from __future__ import annotations

from newsbot.defaults import (  # noqa: F401 (each NEWSBOT_* default, defined once there)
    NEWSBOT_ALLOW_PRIVATE_ADDRESSES,
    NEWSBOT_ALLOWED_NETWORKS,
    NEWSBOT_BREADTH_FIRST_BUDGET_ENABLED,
    NEWSBOT_CONTACT,
    NEWSBOT_DEDUPE_TEXT,
    NEWSBOT_DEFAULT_OUTPUT_ENABLED,
    NEWSBOT_EXTRACT_TIMEOUT,
    NEWSBOT_GUARD_ENABLED,
    NEWSBOT_HEALTH_ENABLED,
    NEWSBOT_HEALTH_HISTORY,
    NEWSBOT_HEALTH_MAX_JUMP,
    NEWSBOT_HEALTH_MIN_PAGES,
    NEWSBOT_MANIFEST_DIR,
    NEWSBOT_MANIFEST_ENABLED,
    NEWSBOT_MIN_WORDS,
    NEWSBOT_OUTPUT_DIR,
    NEWSBOT_PROGRESS_ENABLED,
    NEWSBOT_PROGRESS_INTERVAL,
    NEWSBOT_REDIS_HEARTBEAT,
    NEWSBOT_REDIS_IDLE_TIMEOUT,
    NEWSBOT_REDIS_POLL_INTERVAL,
    NEWSBOT_REDIS_PREFIX,
    NEWSBOT_REDIS_RETRY_TIMEOUT,
    NEWSBOT_REDIS_RUN_TTL,
    NEWSBOT_REDIS_STALE_AFTER,
    NEWSBOT_REDIS_URL,
    NEWSBOT_REDIS_WORKER_ID,
    NEWSBOT_RETRY_BACKOFF_BASE,
    NEWSBOT_RETRY_BACKOFF_MAX,
    NEWSBOT_SITE_MAX_PAGES,
    NEWSBOT_SITEMAP_MAX_BYTES,
    NEWSBOT_SOURCES,
    NEWSBOT_STATE_BACKEND,
    NEWSBOT_STATE_DIR,
    NEWSBOT_STATE_ENABLED,
    NEWSBOT_STATE_RETENTION,
    NEWSBOT_TEMPLATES_ENABLED,
    NEWSBOT_TEMPLATES_HOLD,
    NEWSBOT_TEMPLATES_HOLD_MAX,
    NEWSBOT_TEMPLATES_MAX_BLOCKS,
    NEWSBOT_TEMPLATES_MIN_ARTICLES,
    NEWSBOT_TEMPLATES_MIN_SHARE,
    NEWSBOT_TEMPLATES_QUIET,
    NEWSBOT_TRAP_MAX_DEPTH,
    NEWSBOT_TRAP_MAX_QUERY_VARIANTS,
    NEWSBOT_TRAP_MAX_REPEATED_SEGMENT,
    NEWSBOT_TRAP_MAX_URL_LENGTH,
    NEWSBOT_TRAP_MAX_URLS_PER_PATTERN,
    NEWSBOT_TRAPS_ENABLED,
    NEWSBOT_WARC_ENABLED,
    NEWSBOT_WARC_MAX_BYTES,
    NEWSBOT_WHY_ENABLED,
    NEWSBOT_WHY_MAX,
    NEWSBOT_WORKER_MAX_TASKS,
    NEWSBOT_WORKERS,
)
from newsbot.middlewares.useragent import user_agent_for

BOT_NAME = "newsbot"
SPIDER_MODULES = ["newsbot.spiders"]
NEWSPIDER_MODULE = "newsbot.spiders"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
# Item log lines name the URL and the reason, not the whole item (a page's raw body).
LOG_FORMATTER = "newsbot.logformatter.NewsbotLogFormatter"

# --- Politeness -------------------------------------------------------------------
# The User-Agent sent, so that `scrapy settings --get USER_AGENT` shows it. Set your own
# here or with -s USER_AGENT=...; -s NEWSBOT_CONTACT=... alone builds one from the contact
# (newsbot.middlewares.useragent.effective_user_agent).
USER_AGENT = user_agent_for(NEWSBOT_CONTACT)
ROBOTSTXT_USER_AGENT = "newsbot"
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
CONCURRENT_REQUESTS = 32
# Scrapy starts this many tasks per response; a newsbot response yields one item or a
# handful of requests, and 100 idle tasks per page cost event-loop time.
CONCURRENT_ITEMS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0
DOWNLOAD_TIMEOUT = 30
# News pages are well under this; anything larger is a video, a dump or a trap.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
REDIRECT_MAX_TIMES = 10
DEPTH_LIMIT = 0  # the site spider enforces each source's max_depth itself
COOKIES_ENABLED = False
# Scrapy's filter, plus a WARNING line when it ends a redirect loop.
DUPEFILTER_CLASS = "newsbot.dupefilter.RedirectLoopReportingDupeFilter"

# newsbot's own commands beside Scrapy's: `scrapy crawl` checks spider arguments,
# settings and output before starting; `scrapy settings` shows the User-Agent sent.
COMMANDS_MODULE = "newsbot.commands"

# --- Consoles: off unless the user turns them on -----------------------------------
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# --- Components -------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # First: a URL whose record was already written costs no DNS look-up or fetch.
    "newsbot.middlewares.skip_done.SkipDoneMiddleware": 50,
    # Scrapy's robots.txt middleware, with every request that waits for robots.txt
    # checked (Scrapy's own lets the second one through unchecked).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "newsbot.middlewares.robots.EveryWaiterRobotsTxtMiddleware": 100,
    "newsbot.middlewares.useragent.NewsbotUserAgentMiddleware": 400,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    # Around Scrapy's decompression (590): a gzip body cut short is retried, then
    # reported, never extracted in part.
    "newsbot.middlewares.integrity.GzipTrailerReader": 595,
    "newsbot.middlewares.integrity.TruncatedGzipCheck": 585,
    # Scrapy's retry ignores Retry-After and retries at once; this one backs off.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "newsbot.middlewares.retry.BackoffRetryMiddleware": 550,
    # Checks every request, redirects included, after DNS resolution.
    # Scrapy's, without decoding every page to look for a refresh (same order, 580).
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "newsbot.middlewares.refresh.HeadMetaRefreshMiddleware": 580,
    "newsbot.middlewares.guard.PrivateAddressGuard": 940,
    # Next to the network, so the archive holds what came over the wire.
    "newsbot.middlewares.warc.WarcArchiveMiddleware": 950,
}
SPIDER_MIDDLEWARES = {
    "newsbot.middlewares.traps.SpiderTrapMiddleware": 800,
    # Nearest the engine: holds the site spider's followed links back by depth, so
    # that max_pages is spent breadth first.
    "newsbot.middlewares.budget.BreadthFirstBudget": 10,
}
ITEM_PIPELINES = {
    "newsbot.pipelines.page_to_record.ExtractionPipeline": 100,
    "newsbot.pipelines.validate.ValidationPipeline": 200,
    # Only validated articles teach a site's template; dedupe and versions see the
    # text without it.
    "newsbot.pipelines.boilerplate.LearnedBoilerplatePipeline": 250,
    "newsbot.pipelines.dedupe.DedupePipeline": 300,
    "newsbot.pipelines.versions.VersionPipeline": 400,
}
EXTENSIONS = {
    # Both after Scrapy's FeedExporter (0): a URL is marked done only once its line is
    # written, and the manifest names the files it wrote.
    "newsbot.extensions.crawl_state.CrawlState": 100,
    "newsbot.extensions.manifest.RunManifest": 200,
    "newsbot.extensions.progress.Progress": 500,
    "newsbot.extensions.why.WhyListing": 510,
    # The garbage collector tuned for a long crawl (a tenth of the crawl process's CPU
    # with Python's defaults): see the module.
    "newsbot.extensions.gc_tuning.GcTuning": 900,
    # Off (REMOTE_CONTROL_ENABLED = False), and never built. (Scrapy still imports its
    # module, and aiohttp with it, to read this entry: some 70 ms of a crawl's start.)
    # To use it, set it back to 0 and REMOTE_CONTROL_ENABLED to True.
    "scrapy.extensions.remote_control.RemoteControl": None,
}
# Default output: one file per run, output/<source>/<run id>.jsonl, set by the spiders
# (NewsSpider.update_settings) unless -o/-O or FEEDS name another.
FEED_EXPORTERS = {
    # Writes and flushes one whole line per record, so a killed crawl leaves only
    # complete lines behind.
    "jsonlines": "newsbot.feed_exporter.JsonLinesExporter",
    "jsonl": "newsbot.feed_exporter.JsonLinesExporter",
}

# --- newsbot ----------------------------------------------------------------------
# newsbot's own NEWSBOT_* settings take their defaults from newsbot/defaults.py, where
# each is defined once and documented (README.md, "Settings"); set one here or with
# -s NAME=VALUE to change it.
# Distributed crawling (docs/distributed.md) is inert unless NEWSBOT_REDIS_URL is set
# (newsbot crawl --redis URL): then the scheduler queue, the duplicate filter and the
# crawl state live in Redis, shared by all workers.
ADDONS = {"newsbot.distributed.addon.RedisAddon": 0}
