"""Article metadata worth trusting, from the page's markup.

Order of trust for each field: the page's JSON-LD (what the publisher tells search
engines), then ``<meta>``/Open Graph tags, then visible bylines and dates (via
trafilatura and htmldate). Values are normalised (ISO 8601 dates keeping the page's
offset, people's names only for authors, a headline without the site's suffix) and
never invented: a field the page does not give stays None.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

logger = logging.getLogger(__name__)

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "askpublicnewsarticle",
        "satiricalarticle",
        "scholarlyarticle",
        "techarticle",
        "report",
        "liveblogposting",
        "posting",
        "socialmediaposting",
        "review",
        "criticreview",
    }
)
"""JSON-LD ``@type`` values (lower-cased) that mark an article page."""

_LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "profilepage"})
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|·|»|/|:)\s+|:\s+")
_HANDLE = re.compile(r"(?:^|\s)@\w+")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_BYLINE_PREFIX = re.compile(
    r"^\s*(?:written\s+by|posted\s+by|reported\s+by|words\s+by|by|von|par|por|di|door|de|af|av)\s*[:\-]?\s+",
    re.IGNORECASE,
)
_AUTHOR_SPLIT = re.compile(
    r"\s*(?:,|;|\||/|&|\band\b|\bund\b|\bet\b|\by\b|\be\b|\ben\b|\bog\b|\boch\b)\s*",
    re.IGNORECASE,
)
# Words that make a byline fragment a job title, desk or organisation, not a person.
_NOT_A_PERSON = re.compile(
    r"\b(?:reporter|editor|editors|correspondent|writer|staff|contributor|contributing|"
    r"journalist|columnist|producer|news|newsroom|desk|team|agency|agencies|wire|"
    r"redaktion|redakteur|redakteurin|korrespondent|korrespondentin|autor|autorin|"
    r"rédaction|rédacteur|rédactrice|journaliste|envoyé|envoyée|spécial|redacción|"
    r"redactor|redactora|corresponsal|periodista|agencia|press|media|online|digital|"
    r"senior|chief|associate|deputy|managing|political|business|sports|"
    r"updated|published|min|read|photo|photos|video|illustration|opinion|guest|"
    r"inc|ltd|llc|gmbh|group)\b",
    re.IGNORECASE,
)
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OFFSET_NO_COLON = re.compile(r"([+-]\d{2})(\d{2})$")


@dataclass(kw_only=True, slots=True)
class PageMetadata:
    """The metadata fields of an article page, as extraction hands them on."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    site_name: str | None = None
    description: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    canonical_url: str | None = None

    def page_fields(self) -> dict[str, Any]:
        """These fields (and no others of a subclass) by name."""
        return {name: getattr(self, name) for name in PAGE_FIELDS}


PAGE_FIELDS = tuple(f.name for f in fields(PageMetadata))


@dataclass(kw_only=True, slots=True)
class Metadata(PageMetadata):
    """The metadata of a page, with what only extraction itself uses."""

    article_body: str | None = None
    """The JSON-LD ``articleBody``, a cross-check for the extracted text."""
    page_type: str | None = None
    """``article`` when JSON-LD or Open Graph say so, ``listing`` for a collection page,
    else None (decided from the text)."""


# --- JSON-LD ---------------------------------------------------------------------------


def _jsonld_objects(tree: etree._Element) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page, flattened out of lists and ``@graph``."""
    found: list[dict[str, Any]] = []
    for script in tree.iterfind(".//script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = (script.text or "").strip()
        if not raw or len(raw) > 2_000_000:
            continue
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            # Some pages end the block with a stray ";" or wrap it in a comment.
            try:
                data = json.loads(raw.strip(";").removeprefix("<!--").removesuffix("-->"))
            except ValueError:
                continue
        stack: list[Any] = [data]
        while stack and len(found) < 200:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return found


def _types(obj: dict[str, Any]) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower().rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)}


def _first_text(value: Any) -> str | None:
    """A plain string out of a JSON-LD value (string, list, or object with a name)."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        for item in value:
            text = _first_text(item)
            if text:
                return text
        return None
    if isinstance(value, dict):
        for key in ("name", "@value", "url", "@id"):
            text = _first_text(value.get(key))
            if text:
                return text
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _names(value: Any) -> list[str]:
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    if isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, str):
            return [name]
        if isinstance(name, list):
            return [n for n in name if isinstance(n, str)]
        return []
    if isinstance(value, str):
        return [value]
    return []


def _image_url(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, list):
        for item in value:
            url = _image_url(item)
            if url:
                return url
        return None
    if isinstance(value, dict):
        return _image_url(value.get("url") or value.get("contentUrl") or value.get("@id"))
    return None


# --- meta tags -------------------------------------------------------------------------


def _meta_tags(tree: etree._Element) -> dict[str, list[str]]:
    """``<meta>`` values by lower-cased property/name/itemprop, in page order."""
    tags: dict[str, list[str]] = {}
    for meta in tree.iterfind(".//meta"):
        content = meta.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                tags.setdefault(key.strip().lower(), []).append(content.strip())
    return tags


def _meta(tags: dict[str, list[str]], *names: str) -> str | None:
    for name in names:
        for value in tags.get(name, ()):
            if value:
                return value
    return None


# --- normalisation ---------------------------------------------------------------------


def normalize_date(value: str | None) -> str | None:
    """An ISO 8601 date or date-time, keeping the offset the page gives and adding none."""
    if not value:
        return None
    text = value.strip()
    if not text:
        return None
    candidate = text.replace("Z", "+00:00").replace("z", "+00:00")
    if " " in candidate and "T" not in candidate and re.match(r"\d{4}-\d{2}-\d{2} \d", candidate):
        candidate = candidate.replace(" ", "T", 1)
    candidate = _OFFSET_NO_COLON.sub(r"\1:\2", candidate) if "T" in candidate else candidate
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        parsed = None
    if parsed is None:
        if _DATE_ONLY.match(text[:10]) and (len(text) == 10 or not text[10].isdigit()):
            try:
                return date.fromisoformat(text[:10]).isoformat()
            except ValueError:
                return None
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if parsed is None:
            return None
    if _DATE_ONLY.match(candidate):
        return parsed.date().isoformat()
    if not 1990 <= parsed.year <= 2100:
        return None
    return parsed.isoformat()


def _site_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _domain_label(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url).hostname or ""
    parts = [p for p in host.split(".") if p not in {"www", "m", "amp", "mobile"}]
    if len(parts) >= 2:
        # Last label before the public suffix, good enough for "co.uk"-style suffixes too.
        core = parts[-2] if len(parts[-2]) > 3 or len(parts) < 3 else parts[-3]
        return core.lower()
    return parts[0].lower() if parts else None


def _matches_site(segment: str, site_name: str | None, domain: str | None) -> bool:
    key = _site_key(segment)
    if not key:
        return True
    if site_name:
        site = _site_key(site_name)
        if site and (key == site or (len(key) >= 3 and (key in site or site in key))):
            return True
    return bool(domain and len(domain) >= 3 and (domain in key or key in domain))


def clean_title(
    title: str | None,
    *,
    site_name: str | None = None,
    url: str | None = None,
    section: str | None = None,
    headline: str | None = None,
) -> str | None:
    """The headline without a " | Site" or " - Section" suffix (or "Site: " prefix)."""
    if not title:
        return None
    title = " ".join(title.split())
    domain = _domain_label(url)
    section_key = _site_key(section) if section else None
    headline_key = _site_key(headline) if headline else None
    changed = True
    while changed:
        changed = False
        parts = _TITLE_SEPARATORS.split(title)
        if len(parts) < 2:
            break
        seps = _TITLE_SEPARATORS.findall(title)
        last, first = parts[-1], parts[0]
        rest_after_last = title[: len(title) - len(last) - len(seps[-1])]
        rest_after_first = title[len(first) + len(seps[0]) :]
        if _matches_site(last, site_name, domain) or (
            section_key and _site_key(last) == section_key
        ):
            title, changed = rest_after_last, True
        elif _matches_site(first, site_name, domain) or (
            section_key and _site_key(first) == section_key
        ):
            title, changed = rest_after_first, True
        elif headline_key and _site_key(rest_after_last) == headline_key:
            title, changed = rest_after_last, True
        elif headline_key and _site_key(rest_after_first) == headline_key:
            title, changed = rest_after_first, True
    return title.strip() or None


def clean_authors(
    raw: list[str], *, site_name: str | None = None, url: str | None = None
) -> list[str]:
    """People's names from bylines: no "By", no site or desk names, no handles, no job
    titles; several names in one byline are split."""
    domain = _domain_label(url)
    names: list[str] = []
    seen: set[str] = set()
    for value in raw:
        if not value or value.strip().lower().startswith(("http://", "https://", "www.")):
            continue
        text = " ".join(value.split())
        text = _EMAIL.sub(" ", text)
        text = _HANDLE.sub(" ", text)
        text = re.sub(r"\(.*?\)", " ", text)
        for part in _AUTHOR_SPLIT.split(text):
            part = _BYLINE_PREFIX.sub("", part).strip(" -–—:.|·•\t")
            part = " ".join(part.split())
            if not part or _NOT_A_PERSON.search(part):
                continue
            words = part.split()
            if not 1 <= len(words) <= 5 or any(ch.isdigit() for ch in part):
                continue
            if len(words) == 1 and len(part) < 3:
                continue
            if not any(c.isupper() for c in part) and part.lower() == part and part.isascii():
                # All lower-case: a handle or a slug, not a printed name.
                continue
            if _matches_site(part, site_name, domain):
                continue
            if part.isupper() and len(words) >= 2:
                part = part.title()
            key = part.lower()
            if key not in seen:
                seen.add(key)
                names.append(part)
    return names


def _language(value: str | None) -> str | None:
    if not value:
        return None
    code = value.strip().replace("_", "-").split("-")[0].lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def _split_tags(values: list[str]) -> list[str]:
    tags: list[str] = []
    seen: set[str] = set()
    for value in values:
        for tag in re.split(r"\s*[,;]\s*", value):
            tag = " ".join(tag.split())
            if tag and len(tag) <= 80 and tag.lower() not in seen:
                seen.add(tag.lower())
                tags.append(tag)
    return tags[:50]


def _absolute(url: str | None, base: str | None) -> str | None:
    if not url:
        return None
    url = url.strip()
    if base:
        try:
            url = urljoin(base, url)
        except ValueError:
            return None
    return url if url.startswith(("http://", "https://")) else None


# --- the whole -------------------------------------------------------------------------


def extract_metadata(tree: etree._Element, url: str | None = None) -> Metadata:
    """The metadata of one parsed page, from JSON-LD and meta tags (no visible-text
    fallbacks: the caller adds those for fields still missing)."""
    objects = _jsonld_objects(tree)
    article: dict[str, Any] = {}
    kinds: set[str] = set()
    for obj in objects:
        obj_types = _types(obj)
        kinds |= obj_types
        if not article and obj_types & ARTICLE_TYPES:
            article = obj
    website = next((o for o in objects if "website" in _types(o)), {})
    organisation = next(
        (o for o in objects if _types(o) & {"organization", "newsmediaorganization"}), {}
    )
    tags = _meta_tags(tree)
    base = url
    canonical = None
    for link in tree.iterfind(".//link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            canonical = _absolute(link.get("href"), base)
            break
    canonical = canonical or _absolute(_meta(tags, "og:url"), base)

    site_name = (
        _meta(tags, "og:site_name")
        or _first_text(article.get("publisher"))
        or _first_text(website.get("name"))
        or _first_text(organisation.get("name"))
        or _meta(tags, "application-name", "twitter:site")
    )
    if site_name and (site_name.startswith("@") or "://" in site_name):
        site_name = None
    section = _first_text(article.get("articleSection")) or _meta(
        tags, "article:section", "parsely-section", "section", "sailthru.section"
    )
    h1 = None
    for heading in tree.iterfind(".//h1"):
        text = " ".join("".join(heading.itertext()).split())
        if text:
            h1 = text
            break
    raw_title = (
        _first_text(article.get("headline"))
        or _meta(tags, "og:title", "twitter:title", "parsely-title", "dc.title")
        or _first_text(article.get("name"))
    )
    if not raw_title:
        title_el = tree.find(".//title")
        raw_title = " ".join("".join(title_el.itertext()).split()) if title_el is not None else None
        raw_title = raw_title or h1
    title = clean_title(raw_title, site_name=site_name, url=url, section=section, headline=h1)

    author_values = _names(article.get("author")) or _names(article.get("creator"))
    if not author_values:
        for name in (
            "author",
            "article:author",
            "parsely-author",
            "sailthru.author",
            "dc.creator",
            "byl",
            "twitter:creator",
        ):
            author_values.extend(tags.get(name, ()))
            if author_values:
                break
    authors = clean_authors(author_values, site_name=site_name, url=url)

    published = normalize_date(_first_text(article.get("datePublished"))) or normalize_date(
        _meta(
            tags,
            "article:published_time",
            "og:published_time",
            "datepublished",
            "parsely-pub-date",
            "pubdate",
            "publishdate",
            "publish-date",
            "dc.date.issued",
            "dc.date",
            "dcterms.created",
            "sailthru.date",
            "date",
        )
    )
    modified = normalize_date(_first_text(article.get("dateModified"))) or normalize_date(
        _meta(
            tags,
            "article:modified_time",
            "og:updated_time",
            "datemodified",
            "dcterms.modified",
            "last-modified",
        )
    )
    if not published:
        for time_el in tree.iterfind(".//time"):
            prop = (time_el.get("itemprop") or "").lower()
            if prop == "datepublished" or "pubdate" in time_el.attrib:
                published = normalize_date(time_el.get("datetime"))
                if published:
                    break

    html_el = tree if tree.tag == "html" else tree.find(".//html")
    language = (
        _language(_first_text(article.get("inLanguage")))
        or _language(html_el.get("lang") if html_el is not None else None)
        or _language(_meta(tags, "og:locale", "content-language", "language", "dc.language"))
    )
    description = _meta(tags, "og:description", "description", "twitter:description") or (
        _first_text(article.get("description"))
    )
    keywords: list[str] = list(tags.get("article:tag", ()))
    if not keywords:
        kw = article.get("keywords")
        if isinstance(kw, list):
            keywords = [k for k in kw if isinstance(k, str)]
        elif isinstance(kw, str):
            keywords = [kw]
    if not keywords:
        keywords = list(tags.get("news_keywords", ())) or list(tags.get("keywords", ()))
    image = _absolute(
        _meta(tags, "og:image", "og:image:url", "og:image:secure_url")
        or _image_url(article.get("image"))
        or _meta(tags, "twitter:image", "twitter:image:src"),
        base,
    )
    og_type = (_meta(tags, "og:type") or "").lower()
    if article or og_type == "article" or og_type.startswith("article"):
        page_type: str | None = "article"
    elif kinds & _LISTING_TYPES:
        page_type = "listing"
    else:
        page_type = None
    body = article.get("articleBody")
    return Metadata(
        title=title,
        authors=authors,
        published=published,
        modified=modified,
        language=language,
        site_name=" ".join(site_name.split()) if site_name else None,
        description=" ".join(description.split()) if description else None,
        section=" ".join(section.split()) if section else None,
        tags=_split_tags(keywords),
        image=image,
        canonical_url=canonical,
        article_body=body if isinstance(body, str) and body.strip() else None,
        page_type=page_type,
    )


# --- visible byline ----------------------------------------------------------------------

# A cheap native XPath (no regular expressions, which lxml runs as Python callbacks) that
# finds every element whose attributes may name an author; the tiers below rank them.
# It walks each attribute's nodes (``//@class``) rather than testing every element's
# attributes: libxml2 then tests only the elements that have the attribute, at less
# than half the cost. The union comes back in document order.
_BYLINE_CLASS = (
    "contains(., 'uthor') or contains(., 'UTHOR') or contains(., 'yline')"
    " or contains(., 'YLINE') or contains(., 'writer') or contains(., 'screenname')"
    " or contains(., '-by') or contains(., '-name') or .='username' or .='byl' or .='BBL'"
)
_BYLINE_CANDIDATES = etree.XPath(
    f"//@class[{_BYLINE_CLASS}]/.."
    " | //@id[contains(., 'uthor')]/.."
    " | //@rel[.='author' or .='me']/.."
    " | //@itemprop[contains(., 'author')]/.."
    " | //@data-component[contains(., 'Byline')]/.."
    " | //@data-testid[contains(., 'Author')]/.."
    " | //author"
)
# The tiers of trafilatura's author search, strongest first: exact author markup, then
# byline-like names, then any element whose class or id mentions an author.
_BYLINE_TIER_0 = re.compile(r"author-?name|AuthorName|authorName")
_BYLINE_TIER_1 = re.compile(r"author|channel-name|submitted-by|posted-by|journalist-name")
_BYLINE_TIER_2 = re.compile(r"[Aa]uthor|screenname|writer|[Bb]yline")
_BYLINE_TAGS_0 = frozenset({"a", "address", "div", "link", "p", "span", "strong"})
_BYLINE_TAGS_1 = frozenset({"a", "div", "h3", "h4", "p", "span"})
# Containers whose names are not the article's own byline (comments, sidebars, quotes,
# product reviews, hidden or print-only blocks), and parts of a byline that are not
# names (its date, its picture).
_BYLINE_DISCARD = re.compile(
    r"^[Cc]omments|commentlist|comments-list|sidebar|is-hidden|quote|embedly-instagram"
    r"|article-(?:share|support)|print|category|meta-date|meta-reviewer"
)
_BYLINE_DISCARD_ID = re.compile(r"^comments|comment-?list|ProductReviews")
_BYLINE_SKIP_TAGS = frozenset({"time", "figure"})
_BYLINE_DISCARD_TAGS = frozenset({"a", "div", "section", "span"})
_MAX_BYLINE_CHARS = 120


def _byline_tier(element: etree._Element) -> int | None:
    tag = element.tag
    if tag == "author":
        return 0
    get = element.get
    cls, ident, itemprop = get("class") or "", get("id") or "", get("itemprop") or ""
    if tag in _BYLINE_TAGS_0 and (
        get("rel") in {"author", "me"}
        or ident == "author"
        or cls == "author"
        or itemprop == "author name"
        or get("data-testid") in {"AuthorCard", "AuthorURL"}
        or _BYLINE_TIER_0.search(cls)
    ):
        return 0
    if tag in _BYLINE_TAGS_1 and (
        cls in {"byline", "username", "byl", "BBL"}
        or "author" in itemprop
        or "author" in ident
        or _BYLINE_TIER_1.search(cls)
    ):
        return 1
    if (
        "Byline" in (get("data-component") or "")
        or "author" in itemprop
        or "uthor" in ident
        or _BYLINE_TIER_2.search(cls)
    ):
        return 2
    return None


def _is_discarded(element: etree._Element) -> bool:
    if element.tag in _BYLINE_SKIP_TAGS:
        return True
    if element.tag not in _BYLINE_DISCARD_TAGS:
        return False
    cls, ident = element.get("class") or "", element.get("id") or ""
    if not cls and not ident:
        return False
    return (
        ident == "comments"
        or cls in {"comments", "title", "date"}
        or bool(_BYLINE_DISCARD.search(cls))
        or bool(_BYLINE_DISCARD_ID.search(ident))
        or "Figure" in (element.get("data-component") or "")
    )


def _byline_text(element: etree._Element) -> str:
    """The element's text without the parts a byline holds besides names."""
    parts: list[str] = []
    skip_until: etree._Element | None = None
    for event, node in etree.iterwalk(element, events=("start", "end")):
        if skip_until is not None:
            if event == "end" and node is skip_until:
                skip_until = None
                if node.tail and node is not element:
                    parts.append(node.tail)
            continue
        if event == "start":
            if node is not element and isinstance(node.tag, str) and _is_discarded(node):
                skip_until = node
                continue
            if node.text and isinstance(node.tag, str):
                parts.append(node.text)
        elif node.tail and node is not element:
            parts.append(node.tail)
    return " ".join(" ".join(parts).split())


def _inside_discarded(element: etree._Element) -> bool:
    node: etree._Element | None = element
    while node is not None:
        if isinstance(node.tag, str) and _is_discarded(node):
            return True
        node = node.getparent()
    return False


def find_byline(tree: etree._Element) -> str | None:
    """The text of the page's visible byline: in the strongest tier, the first element
    whose class, id, rel or itemprop names an author, outside comments and sidebars,
    without the date or picture it holds.

    The same tiers and exclusions as trafilatura's author search, without its copy of
    the whole page and its regular-expression XPaths (ten times the cost)."""
    tiers: list[list[etree._Element]] = [[], [], []]
    for element in _BYLINE_CANDIDATES(tree):
        if isinstance(element, etree._Element) and isinstance(element.tag, str):
            tier = _byline_tier(element)
            if tier is not None:
                tiers[tier].append(element)
    for candidates in tiers:
        for element in candidates:
            if _inside_discarded(element):
                continue
            text = _byline_text(element)
            if 2 < len(text) < _MAX_BYLINE_CHARS:
                return text
    return None
