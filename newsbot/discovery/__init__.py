"""URL discovery: safe feed and sitemap parsing, and telling article pages from index
pages. Pure functions over bytes and strings; no Scrapy import."""
