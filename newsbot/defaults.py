"""The default of every ``NEWSBOT_*`` setting, defined here and nowhere else.

A pure module (no Scrapy): the settings module takes these as they are, a component
that reads a setting falls back to the value here (``defaults.NEWSBOT_MIN_WORDS``),
and the WARC and dataset paths, which run without a crawler, read them directly.
Each is documented in README.md ("Settings") or the doc its comment names;
tests/test_architecture.py checks both.
"""

from __future__ import annotations

# --- Politeness -------------------------------------------------------------------
# The value of NEWSBOT_CONTACT until the operator sets theirs.
CONTACT_PLACEHOLDER = "set NEWSBOT_CONTACT to your e-mail or URL"
# Who we are, and how to reach the operator: set NEWSBOT_CONTACT to a URL or e-mail.
# Until it is set, a crawl of a public site logs a warning.
NEWSBOT_CONTACT = CONTACT_PLACEHOLDER

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
# The site spider's page budget when neither the source nor -a max_pages sets one:
# enough for a news site's recent articles, and an end to calendar and faceted-search
# traps.
NEWSBOT_SITE_MAX_PAGES = 1000
NEWSBOT_BREADTH_FIRST_BUDGET_ENABLED = True  # the budget goes to shallow pages first

# --- Crawl state, manifests, health ---------------------------------------------------
NEWSBOT_STATE_ENABLED = True
NEWSBOT_STATE_DIR = ".newsbot"  # the crawl state (and the scheduler's logs)
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
NEWSBOT_REDIS_URL = ""
NEWSBOT_REDIS_PREFIX = "newsbot"
NEWSBOT_REDIS_IDLE_TIMEOUT = 10.0
NEWSBOT_REDIS_HEARTBEAT = 1.0
NEWSBOT_REDIS_POLL_INTERVAL = 0.5
NEWSBOT_REDIS_STALE_AFTER = 30.0
NEWSBOT_REDIS_RETRY_TIMEOUT = 60.0
NEWSBOT_REDIS_RUN_TTL = 86400
NEWSBOT_REDIS_WORKER_ID = ""  # empty: <host>-<pid>
