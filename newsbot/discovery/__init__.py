"""URL discovery: safe feed and sitemap parsing and the dates in them. Pure functions
over bytes and strings; no Scrapy import. (Telling article pages from index pages is
``newsbot.extraction.pagekind``, the one classifier the spiders and extraction share.)"""
