"""newsbot's Scrapy commands (``COMMANDS_MODULE``), in place of Scrapy's own of the same
name: ``scrapy crawl`` refuses wrong spider arguments, settings and outputs in one line
before anything starts, and writes ``.jsonl.gz``; ``scrapy settings --get USER_AGENT``
prints the User-Agent a crawl sends."""
