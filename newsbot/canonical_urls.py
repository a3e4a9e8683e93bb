"""URL canonicalisation, shared by spiders, dedup and the crawl state."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only track a visit and never change the page.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|gclsrc|msclkid|mc_cid|mc_eid|yclid|igshid|_ga|_gl|"
    r"ref|ref_src|ref_url|cmpid|icid|ito|ns_mchannel|ns_source|ns_campaign|ns_linkname|"
    r"ocid|smid|sr_share|share|at_medium|at_campaign|at_custom\d*|"
    r"jsessionid|phpsessid|sid|sessionid|session_id|s_cid|xtor|wt_mc|wt\.mc_id|cid)$",
    re.IGNORECASE,
)
_SESSION_IN_PATH = re.compile(r";(jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)


@lru_cache(maxsize=16384)
def canonicalize_url(url: str) -> str:
    """Return the canonical form of *url*.

    Lower-cased scheme and host, default port dropped, fragment removed, session ids and
    tracking parameters dropped, remaining query parameters sorted, an empty path
    written as ``/``.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        # A malformed authority ("http://[::1/", a port of "99999"): nothing to
        # normalise safely, and callers must not crash on a hostile link.
        return url.strip()
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    netloc = host
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{host}:{port}"
    if parts.username:
        netloc = f"{parts.username}@{netloc}"
    path = _SESSION_IN_PATH.sub("", parts.path) or "/"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMS.match(k)
    ]
    query.sort()
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def host_of(url: str) -> str:
    """Return the lower-cased host of *url*, without a leading ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def web_url(value: str | None, base: str | None = None) -> str | None:
    """*value* resolved against *base*, when the result is an absolute http(s) URL with a
    host; None otherwise, malformed values included (``https://]]>host/`` makes the
    standard library raise: a feed or sitemap from the web may hold anything)."""
    if not value:
        return None
    try:
        url = urljoin(base or "", value.strip())
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    return url if parts.scheme in ("http", "https") and host else None
