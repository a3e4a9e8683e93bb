"""Scrapy settings for newsbot.

Only what differs from Scrapy's defaults, and newsbot's own ``NEWSBOT_*`` settings,
each documented in README.md ("Settings").
"""

from __future__ import annotations

from newsbot.middlewares.useragent import CONTACT_PLACEHOLDER, user_agent_for

BOT_NAME = "newsbot"
SPIDER_MODULES = ["newsbot.spiders"]
NEWSPIDER_MODULE = "newsbot.spiders"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
# Item log lines name the URL and the reason, not the whole item (a page's raw body).
LOG_FORMATTER = "newsbot.logformatter.NewsbotLogFormatter"

# --- Politeness -------------------------------------------------------------------
# Who we are, and how to reach the operator: set NEWSBOT_CONTACT to a URL or e-mail.
# Until it is set, a crawl of a public site logs a warning.
NEWSBOT_CONTACT = CONTACT_PLACEHOLDER
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
    "newsbot.middlewares.state.SkipDoneMiddleware": 50,
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
    "newsbot.pipelines.extract.ExtractionPipeline": 100,
    "newsbot.pipelines.validate.ValidationPipeline": 200,
    # Only validated articles teach a site's template; dedupe and versions see the
    # text without it.
    "newsbot.pipelines.boilerplate.LearnedBoilerplatePipeline": 250,
    "newsbot.pipelines.dedupe.DedupePipeline": 300,
    "newsbot.pipelines.state.VersionPipeline": 400,
}
EXTENSIONS = {
    # Both after Scrapy's FeedExporter (0): a URL is marked done only once its line is
    # written, and the manifest names the files it wrote.
    "newsbot.extensions.state.CrawlState": 100,
    "newsbot.extensions.manifest.RunManifest": 200,
    "newsbot.extensions.progress.Progress": 500,
    "newsbot.extensions.why.WhyListing": 510,
    # Off (REMOTE_CONTROL_ENABLED = False), and not even loaded: its module imports
    # aiohttp's web server, a sixth of a second of every crawl's start-up. To use it,
    # set it back to 0 and REMOTE_CONTROL_ENABLED to True.
    "scrapy.extensions.remote_control.RemoteControl": None,
}
# Default output: one file per run, output/<source>/<run id>.jsonl, set by the spiders
# (NewsSpider.update_settings) unless -o/-O or FEEDS name another.
FEED_EXPORTERS = {
    # Writes and flushes one whole line per record, so a killed crawl leaves only
    # complete lines behind.
    "jsonlines": "newsbot.exporters.JsonLinesExporter",
    "jsonl": "newsbot.exporters.JsonLinesExporter",
}

# --- newsbot ----------------------------------------------------------------------
NEWSBOT_SOURCES = "sources.toml"
NEWSBOT_OUTPUT_DIR = "output"
NEWSBOT_DEFAULT_OUTPUT_ENABLED = True
NEWSBOT_WORKERS = 0  # 0: one extraction worker process per core
NEWSBOT_WORKER_MAX_TASKS = 500
NEWSBOT_EXTRACT_TIMEOUT = 30.0
NEWSBOT_MIN_WORDS = 40
NEWSBOT_DEDUPE_TEXT = True  # drop a record whose text this run already wrote
NEWSBOT_PROGRESS_ENABLED = True
NEWSBOT_PROGRESS_INTERVAL = 10.0
# After the crawl, list each page that gave no record and why (newsbot crawl --why).
NEWSBOT_WHY_ENABLED = False
NEWSBOT_WHY_MAX = 1000  # pages listed; the rest are counted
NEWSBOT_ALLOW_PRIVATE_ADDRESSES = False
NEWSBOT_WARC_ENABLED = False
NEWSBOT_WARC_MAX_BYTES = 1_000_000_000  # rotate WARC.gz files at ~1 GB, as Common Crawl does
NEWSBOT_SITEMAP_MAX_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit, after decompression
NEWSBOT_SITE_MAX_PAGES = 1000  # the site spider's page budget when a source sets none
NEWSBOT_BREADTH_FIRST_BUDGET_ENABLED = True  # the budget goes to shallow pages first

# --- Crawl state, manifests, health ---------------------------------------------------
NEWSBOT_STATE_ENABLED = True
NEWSBOT_STATE_DIR = ".newsbot"
NEWSBOT_STATE_BACKEND = "newsbot.state.sqlite.SqliteStateStore"
NEWSBOT_STATE_RETENTION = "90d"  # for spiders run without a source
NEWSBOT_MANIFEST_ENABLED = True
NEWSBOT_MANIFEST_DIR = ""  # empty: next to the records
NEWSBOT_HEALTH_ENABLED = True
NEWSBOT_HEALTH_MAX_JUMP = 0.3
NEWSBOT_HEALTH_MIN_PAGES = 5
NEWSBOT_HEALTH_HISTORY = 5

# --- Site templates: lines on most of a site's articles (README "Site templates") ----
NEWSBOT_TEMPLATES_ENABLED = True
NEWSBOT_TEMPLATES_MIN_ARTICLES = 5  # distinct articles of the site a line must be in
NEWSBOT_TEMPLATES_MIN_SHARE = 0.5  # ... and this share of the site's articles since
NEWSBOT_TEMPLATES_MAX_BLOCKS = 20_000  # lines remembered per site (least recent go)
NEWSBOT_TEMPLATES_HOLD = 20  # a site's records wait until this many articles are seen
NEWSBOT_TEMPLATES_HOLD_MAX = 100  # records waiting at most, over all sites
NEWSBOT_TEMPLATES_QUIET = 1.0  # seconds without a record, nothing downloading: release

# --- Safety ---------------------------------------------------------------------------
NEWSBOT_GUARD_ENABLED = True
NEWSBOT_ALLOWED_NETWORKS: list[str] = []  # addresses or CIDR networks allowed anyway
NEWSBOT_RETRY_BACKOFF_BASE = 1.0
NEWSBOT_RETRY_BACKOFF_MAX = 60.0
NEWSBOT_TRAPS_ENABLED = True
NEWSBOT_TRAP_MAX_QUERY_VARIANTS = 50
NEWSBOT_TRAP_MAX_URLS_PER_PATTERN = 2000
NEWSBOT_TRAP_MAX_DEPTH = 20
NEWSBOT_TRAP_MAX_REPEATED_SEGMENT = 3
NEWSBOT_TRAP_MAX_URL_LENGTH = 2048

# --- Distributed crawling (docs/distributed.md) ---------------------------------------
# Inert unless NEWSBOT_REDIS_URL is set (newsbot crawl --redis URL): then the scheduler
# queue, the duplicate filter and the crawl state live in Redis, shared by all workers.
ADDONS = {"newsbot.distributed.addon.RedisAddon": 0}
NEWSBOT_REDIS_URL = ""
NEWSBOT_REDIS_PREFIX = "newsbot"
NEWSBOT_REDIS_IDLE_TIMEOUT = 10.0
NEWSBOT_REDIS_HEARTBEAT = 1.0
NEWSBOT_REDIS_POLL_INTERVAL = 0.5
NEWSBOT_REDIS_STALE_AFTER = 30.0
NEWSBOT_REDIS_RETRY_TIMEOUT = 60.0
NEWSBOT_REDIS_RUN_TTL = 86400
NEWSBOT_REDIS_WORKER_ID = ""  # empty: <host>-<pid>
