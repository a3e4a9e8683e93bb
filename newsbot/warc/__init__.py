"""Web archives: read pages out of WARC files, and archive what a crawl fetches.

* :func:`iter_warc_pages` streams the HTML pages of a WARC or WARC.gz file.
* :func:`newsbot.warc.to_records.extract_warc` turns WARC files into clean article
  records with the crawl's extraction, validation and dedup (its own module: it pulls
  in Scrapy and the worker pool).
* :class:`newsbot.warc.writer.RotatingWarcWriter` writes request/response pairs into
  size-rotated WARC.gz files (the crawl's archive middleware uses it).
"""

from __future__ import annotations

from newsbot.warc.reader import PageFilter, WarcPage, iter_warc_pages, parse_warc_date

__all__ = ["PageFilter", "WarcPage", "iter_warc_pages", "parse_warc_date"]
