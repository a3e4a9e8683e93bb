"""Article metadata worth trusting, from the page's markup.

Order of trust for each field: the page's JSON-LD (what the publisher tells search
engines), then ``<meta>``/Open Graph tags, then visible bylines and dates (via
trafilatura and htmldate). Values are normalised (ISO 8601 dates keeping the page's
offset, people's names only for authors, a headline without the site's suffix) and
never invented: a field the page does not give stays None.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from newsbot.extraction.article import PageMetadata
from newsbot.extraction.pagekind import ARTICLE_TYPES, LISTING_TYPES

logger = logging.getLogger(__name__)

_HANDLE = re.compile(r"(?:^|\s)@\w+")
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_OFFSET_NO_COLON = re.compile(r"([+-]\d{2})(\d{2})$")


@dataclass(kw_only=True, slots=True)
class Metadata(PageMetadata):
    """The metadata of a page, with what only extraction itself uses."""

    article_body: str | None = None
    """The JSON-LD ``articleBody``, a cross-check for the extracted text."""
    page_type: str | None = None
    """``article`` when JSON-LD or Open Graph say so, ``listing`` for a collection page,
    else None (decided from the text)."""
    forum_thread: bool = False
    """JSON-LD declares a discussion forum's posting: the page's several posts are its
    text, not several stories."""


# A JSON-LD block wrapped in a CDATA section (as XHTML templates write it).
_CDATA = re.compile(r"^(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>$")

# --- JSON-LD ---------------------------------------------------------------------------


def _jsonld_objects(tree: etree._Element) -> list[dict[str, Any]]:
    """Every JSON-LD object of the page, flattened out of lists and ``@graph``."""
    found: list[dict[str, Any]] = []
    for script in tree.iterfind(".//script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = _CDATA.sub("", (script.text or "").strip()).strip()
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
            if not key:
                continue
            # itemprop="datePublished dateCreated" gives both properties.
            for name in key.lower().split() if attr == "itemprop" else [key.strip().lower()]:
                tags.setdefault(name, []).append(content.strip())
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
            # The e-mail date parser reads "GMT+0530" as a time without an offset.
            parsed = None if _GMT_OFFSET.search(text) else parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
        parsed = parsed or _written_date(text)
        if parsed is None:
            return None
    if _DATE_ONLY.match(candidate):
        return parsed.date().isoformat()
    if not 1990 <= parsed.year <= 2100:
        return None
    return parsed.isoformat()


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_GMT_OFFSET = re.compile(r"\b(?:GMT|UTC)\s*([+-]\d{2}:?\d{2})\b")


def _written_date(text: str) -> datetime | None:
    """A date written for readers in a field meant for machines ("01:38:07 PM IST Nov 20,
    2019", "November 19, 2019, 07:47 PM EST", "Tue Nov 19 2019 03:05:46 GMT+0000"): read
    only when it names a year, a month by name and a time of day (a bare "November 19, 2019"
    would hide a meta tag's exact time; the visible dates give the day); a time-zone
    abbreviation is dropped (the same letters name several zones), an offset written as
    one is kept."""
    if len(text) > 60 or ":" not in text or not _YEAR.search(text):
        return None
    # A month by name: "10.05.2022" is May in one language and October in another.
    words = {w.lower().strip(".,") for w in re.findall(r"[^\W\d_]+\.?", text)}
    if not words & _MONTHS:
        return None
    import warnings

    from dateutil import parser as date_parser

    # "GMT+0530" is POSIX's way of writing -05:30 to dateutil; the page means +05:30.
    text = _GMT_OFFSET.sub(r" \1", text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            parsed = date_parser.parse(text, default=datetime(1, 1, 1))
        except (ValueError, OverflowError):
            return None
    return parsed if parsed.year > 1 else None


_INVISIBLE_CHARS = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?")


def clean_text(value: str | None) -> str:
    """A metadata value as a reader sees it: HTML entities decoded until none are left
    (sites escape their meta and JSON-LD values twice: ``&amp;quot;``), invisible
    characters (soft hyphens, zero-width spaces, word joiners, byte-order marks) removed,
    whitespace collapsed."""
    if not value:
        return ""
    text = value
    for _ in range(4):
        if "&" not in text or not _ENTITY.search(text):
            break
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return " ".join(text.translate(_INVISIBLE_CHARS).split())


def _site_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.lower())


def _site_keys(names: list[str]) -> list[str]:
    """Comparison keys of a site's names, each also without a domain ending
    ("Example.de" is "Example")."""
    keys: list[str] = []
    for name in names:
        for variant in (name, re.sub(r"\.[a-z]{2,6}$", "", name.strip(), flags=re.IGNORECASE)):
            key = _site_key(variant)
            if key and key not in keys:
                keys.append(key)
    return keys


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


def _matches_site(
    segment: str,
    site_name: str | list[str] | None,
    domain: str | None,
    *,
    extra_words: int | None = 2,
) -> bool:
    """Whether a title segment (or byline fragment) is the site's name: the name itself,
    part of it, the domain's name making at least half the segment ("Four Years
    Remaining" on fouryears.eu, a site that gives no name), or the name with at most ``extra_words`` words around it ("PolitiFact
    West Virginia"). A longer segment that merely holds the name is a headline or a
    kicker ("The Guardian view on Hong Kong"). ``extra_words=None``: any segment holding
    the name (a byline fragment naming the site is the site's, not a person's)."""
    key = _site_key(segment)
    if not key:
        return True
    words = len(segment.split())
    names = [site_name] if isinstance(site_name, str) else list(site_name or [])
    for name in names:
        allowed = len(name.split()) + extra_words if extra_words is not None else words
        for site in _site_keys([name]):
            if key == site or (len(key) >= 3 and len(site) >= 2 and key in site):
                return True
            if len(site) >= 2 and site in key and words <= allowed:
                return True
    if not domain or len(domain) < 3:
        return False
    return key in domain or (
        domain in key
        and (extra_words is None or words <= 1 + extra_words or 2 * len(domain) >= len(key))
    )


_TITLE_SEPARATORS = re.compile(
    r"\s+(?:\||-|–|—|::|·|»|/|:|~)\s+|:\s+|\s*[|｜]\s*|\s+::|(?<=\S)\s*_\s*(?=\S)"
)
_DATE_SEGMENT = re.compile(
    r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2}"
    r"|(?:\d{1,2}\.?\s+)?[^\W\d_]{3,}\.?\s+(?:\d{1,2},?\s+)?\d{4}"
)


def clean_title(
    title: str | None,
    *,
    site_name: str | list[str] | None = None,
    url: str | None = None,
    section: str | None = None,
    headline: str | None = None,
    authors: list[str] | None = None,
) -> str | None:
    """The headline without what a page adds to it in its ``<title>`` or meta title: a
    " | Site" or "Site: " (the page's own site name or domain), a section the page names,
    a trailing date, an author's name at the end. Entities are decoded and invisible
    characters dropped."""
    title = clean_text(title)
    if not title:
        return None
    domain = _domain_label(url)
    section_key = _site_key(section) if section else None
    headline_key = _site_key(clean_text(headline)) if headline else None
    author_keys = {_site_key(a) for a in authors or ()} - {""}

    def removable(segment: str, at_end: bool) -> bool:
        key = _site_key(segment)
        return (
            _matches_site(segment, site_name, domain)
            or bool(section_key and key == section_key)
            or (at_end and (key in author_keys or bool(_DATE_SEGMENT.fullmatch(segment))))
        )

    def removable_first(segment: str) -> bool:
        # A leading segment goes only when it is the site's name itself: "Site: Title".
        # The name with words after it is a series or a kicker the page shows
        # ("Example Gift Guide: ...").
        return _matches_site(segment, site_name, domain, extra_words=0) or bool(
            section_key and _site_key(segment) == section_key
        )

    changed = True
    while changed:
        changed = False
        title = re.sub(r"(?:\s+(?:\||::|-|–|—|·))+$", "", title).strip()
        parts = _TITLE_SEPARATORS.split(title)
        if len(parts) < 2:
            break
        seps = _TITLE_SEPARATORS.findall(title)
        last, first = parts[-1], parts[0]
        rest_after_last = title[: len(title) - len(last) - len(seps[-1])]
        rest_after_first = title[len(first) + len(seps[0]) :]
        if not rest_after_last.strip() or not rest_after_first.strip():
            break
        if removable(last, True):
            title, changed = rest_after_last, True
        elif removable_first(first):
            title, changed = rest_after_first, True
        elif headline_key and _site_key(rest_after_last) == headline_key:
            title, changed = rest_after_last, True
        elif headline_key and _site_key(rest_after_first) == headline_key:
            title, changed = rest_after_first, True
    return title.strip() or None


def _vocabulary(words: str) -> frozenset[str]:
    return frozenset(words.split())


# --- authors -------------------------------------------------------------------------------

# Words that introduce a byline ("By", "Von", "Par" ...), in the languages of newsbot's
# cues; "di", "de", "da", "von" and "van" are also parts of names, so they only count as
# a prefix before at least two capitalised words.
_PREFIX = re.compile(
    r"^(?:(?:written|posted|reported|words|text|story|edited|compiled|interview)\s+by"
    r"|by|par|por|door|av|af|från|fra|od|przez|от|da|di|de|von|van|text|texto|testo|tekst"
    r"|author|authors|autor|autorin|autoren|auteur|auteurs|autore|autori|auteure"
    r"|reporter|reporting|bericht|texte|escrito\s+por|publicado\s+por|scritto\s+da"
    r"|geschreven\s+door|skrevet\s+af|skrivet\s+av|napsal|napsala|autorka"
    r"|quelle|source|fuente|fonte|bron|källa|kilde|zdroj|źródło|автор|текст|автори)\b"
    r"\s*[:：/|\-–]?\s*",
    re.IGNORECASE,
)
_NAME_PARTICLES = frozenset({"da", "di", "de", "von", "van", "od"})
_CJK_PREFIX = re.compile(
    r"^(?:文字?|撰文|作者|编辑|編集|编者|记者|記者|特派员|特約記者|采写|文・写真|取材・文|本报记者|本報記者|通讯员)"
    r"\s*[:：/／・|｜]?\s*"
)
_CJK_SUFFIX = re.compile(r"\s*(?:记者|記者|기자|특파원|통신원|編集部?|撰)$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# Where one name ends and the next begins: punctuation, and "and" in many languages
# (only in lower case: "E" and "I" are initials).
_AUTHOR_SPLIT = re.compile(
    r"\s*(?:[,;|/&+、，；／]|\s(?:and|und|et|y|e|i|en|og|och|a|és|ja|și|ve|dan|и|та|з|ή|και|with|avec|mit|con|met|med|sowie)\s"
    r"|\s(?:and|und|et|y|e)$)\s*"
)
_WITH = re.compile(r"^\s*(?:avec|with|mit|con|met|med|und|and|et|y|e|i)\s", re.IGNORECASE)
# Words after which a byline holds no more names: dates and times, "ago", updates,
# follow and share buttons, a programme or section, a photo credit. Cut there.
_TRAILER_WORDS = _vocabulary(
    """
    updated published posted last modified aktualisiert veröffentlicht stand zuletzt
    publié publiée mis modifié actualisé publicado actualizado actualizada pubblicato
    aggiornato gepubliceerd bijgewerkt publicerad uppdaterad publiceret opdateret
    publisert oppdatert aktualizováno aktualizace zveřejněno publikováno aktualizacja
    před pred vor ago hace geleden sedan siden temu назад
    follow folgen abonnieren suivre seguir segui volgen följ følg sledovat obserwuj
    share teilen partager compartir condividi delen sdílet udostępnij
    subscribe newsletter email e-mail mail twitter facebook instagram linkedin
    sendung programm ressort rubrik kategorie section sección rubrique categoria
    foto fotos photo photos bild bilder video audio podcast grafik illustration
    edited editing redigiert bearbeitet édité
    留言 评论 評論 分享 关注 關注 订阅 訂閱 コメント シェア フォロー
    lesezeit lecture lectura lettura leestijd
    """
)
_MONTHS = _vocabulary(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    januar februar märz mai juni juli oktober dezember jänner
    janvier février mars avril juin juillet août septembre octobre novembre décembre
    enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
    gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre
    januari februari maart mei augustus oktober
    mars augusti
    ledna února března dubna května června července srpna září října listopadu prosince
    monday tuesday wednesday thursday friday saturday sunday
    montag dienstag mittwoch donnerstag freitag samstag sonntag
    lundi mardi mercredi jeudi vendredi samedi dimanche
    lunes martes miércoles jueves viernes sábado domingo
    """
)
# Words that make a byline fragment a job title, a desk or an organisation, not a person.
_ROLE_WORDS = _vocabulary(
    """
    reporter reporterin editor editors correspondent writer staff contributor contributing
    journalist journalistin columnist producer freelance
    redakteur redakteurin korrespondent korrespondentin chefredakteur volontär
    rédacteur rédactrice journaliste envoyé envoyée spécial spéciale
    redactor redactora corresponsal periodista
    giornalista inviato inviata corrispondente redattore redattrice
    verslaggever correspondente redacteur
    reporter reportér redaktor redaktorka zpravodaj
    senior chief associate deputy managing political business sports
    username login anmelden kommentar kommentare comments comment
    guest opinion analysis meinung kommentar analyse
    """
)
_DESK_WORDS = _vocabulary(
    """
    news newsroom desk team agency agencies wire press media online digital
    redaktion nachrichten agentur rédaction redacción redazione redactie redaktionen
    redakce redakcja
    inc ltd llc gmbh ag sa group
    """
)
# Abbreviations that stand for "the newsroom" rather than a person.
_NEWSROOM_ABBREVIATIONS = frozenset({"red", "red.", "redaktion", "ots", "kna/red", "cm"})
NEWS_AGENCIES = _vocabulary(
    """
    ap afp dpa sid epd kna apa ansa efe upi pa aap ap/dpa dpa/afp afp/dpa dapd reuters
    xinhua kyodo yonhap belga anp tt ntb ritzau stt čtk ctk tasr pap mti hina bta lusa
    pti ians
    """
)
"""Wire services whose short name is a whole byline (lower-cased)."""
_AGENCY_PHRASES = (
    "associated press",
    "agence france-presse",
    "agence france presse",
    "europa press",
    "press association",
    "deutsche presse-agentur",
    "新华社",
    "中新社",
    "共同通信",
    "時事通信",
    "연합뉴스",
)


@dataclass(frozen=True, slots=True)
class _Name:
    text: str
    organisation: bool = False


def _is_agency(text: str) -> bool:
    low = text.lower().strip(" .")
    return low in NEWS_AGENCIES or any(low == p or low.startswith(p) for p in _AGENCY_PHRASES)


def _strip_prefix(part: str) -> str:
    """The part without a leading "By", "Von", "Par", "Autor:" ... (repeated: "Text und
    Fotos von"), nor a mid-phrase one: "Capital Von Jemima Kelly" is Jemima Kelly."""
    for _ in range(3):
        match = _PREFIX.match(part)
        if not match:
            break
        word = match.group(0).strip(" :：/|-–").lower()
        rest = part[match.end() :]
        if word in _NAME_PARTICLES:
            words = rest.split()
            if len(words) < 2 or not words[0][:1].isupper():
                break
        part = rest
    part = _CJK_SUFFIX.sub("", _CJK_PREFIX.sub("", part))
    match = re.search(r"\s(?:[Bb]y|[Vv]on|[Pp]ar|[Pp]or|[Dd]oor|[Aa]v|[Aa]f)\s+(?=[A-ZÀ-Þ])", part)
    if match:
        before, after = part[: match.start()].split(), part[match.end() :].split()
        if 1 <= len(before) <= 3 and len(after) >= 2 and before[-1].lower() not in _TRAILER_WORDS:
            part = " ".join(after)
    return part


# Words that make a byline line a comment widget's ("X commented on <post>"), not the
# article's: the whole line goes.
_COMMENTER_WORDS = _vocabulary(
    """
    commented kommentierte commenté comentó commentato reageerde kommenterade kommenterede
    komentoval skomentował
    """
)
# "Staff" ends a desk's byline ("Metro Staff", "Staff Reports") but starts a role after a
# name ("Jane Doe Staff Writer").
_STAFF = "staff"


def _cut_trailer(words: list[str], visible: bool) -> list[str]:
    """The words of a name up to what follows names in a byline line (a date, "ago",
    "Follow", a programme, a role after the name)."""
    lows = [word.lower().strip(".,:;()") for word in words]
    for index, word in enumerate(words):
        low = lows[index]
        if low == _STAFF and (index + 1 == len(words) or lows[index + 1] not in _ROLE_WORDS):
            continue
        if index and (any(ch.isdigit() for ch in word) or low in _TRAILER_WORDS):
            return words[:index]
        if not index and low in _TRAILER_WORDS:
            return []
        if visible and index >= 2 and low in _MONTHS:
            return words[:index]
        if index >= 2 and low in _ROLE_WORDS:
            return words[:index]
    return words


def _classify(
    part: str, sites: list[str], domain: str | None, section: str | None = None
) -> _Name | None:
    """A name (person or organisation) out of one fragment of a byline, or None."""
    if not part or (section and _site_key(part) == _site_key(section)):
        return None
    low = part.lower()
    if _is_agency(part):
        return _Name(part, organisation=True)
    words = part.split()
    lows = [w.lower().strip(".,:;()") for w in words]
    if _STAFF in lows and 2 <= len(words) <= 6 and sum(w in _ROLE_WORDS for w in lows) == 1:
        # A desk: "Metro Staff", "Staff Reports".
        return _Name(part, organisation=True)
    if low in _NEWSROOM_ABBREVIATIONS or any(w in _ROLE_WORDS for w in lows):
        # Role words left after cutting: "Political Reporter", "Chief Editor".
        return None
    if any(w in _DESK_WORDS for w in lows) or _matches_site(part, sites, domain, extra_words=None):
        if len(words) <= 6 and not any(ch.isdigit() for ch in part):
            return _Name(part, organisation=True)
        return None
    if any(ch.isdigit() for ch in part) or not 1 <= len(words) <= 5:
        return None
    if _CJK.search(part):
        return _Name(part) if 2 <= len(part.replace(" ", "")) <= 12 else None
    letters = [w.strip(".-'’") for w in words]
    if all(len(w) <= 2 for w in letters):
        # Initials only ("A. B."), or a stray word.
        return None
    if len(words) == 1 and (len(part) <= 4 or part.lower() == part or lows[0] in _MONTHS):
        # "Amw", "Red": initials and abbreviations; a lower-case word is a handle; a
        # month or a weekday comes from the date line.
        return None
    if part.isascii() and part.lower() == part:
        return None
    if not part[0].isupper() and not part[0].isalpha():
        return None
    if part.isupper() and len(words) >= 2:
        part = part.title()
    return _Name(part)


_PARENTHESIS = re.compile(r"[(（]([^()（）]*)[)）]")


def _parenthesis(whole: str, match: re.Match[str]) -> str:
    """What a parenthesis in a byline stands for: more names ("A (avec B et C)"), the
    byline itself ("（記者 山田太郎）"), or nothing (a role, a place, a nickname)."""
    inner = match.group(1)
    if _WITH.match(inner):
        return ", " + _WITH.sub("", inner)
    if _CJK.search(inner) and not _CJK.search(whole.replace(match.group(0), "")):
        return inner
    return " "


def _split_agency(part: str) -> list[str]:
    """A fragment that runs a name into the agency it works for, as two: "Eric Tucker
    Associated Press" (two elements whose text met without a comma)."""
    words = part.split()
    if len(words) < 3:
        return [part]
    for size in (3, 2, 1):
        if len(words) - size >= 2 and _is_agency(" ".join(words[-size:])):
            return [" ".join(words[:-size]), " ".join(words[-size:])]
    return [part]


def _is_addition(piece: str, words: list[str]) -> bool:
    """Whether a fragment after the first of a byline adds to a name rather than naming
    someone: a role ("AP Auto Writer", "Staff Writer"), or a single word that is a place
    or a publication ("Reuters, Washington", "Jane Doe, Example Magazine" is kept)."""
    lows = [w.lower().strip(".,:;()") for w in piece.split()]
    if any(low in _ROLE_WORDS and low != _STAFF for low in lows):
        return True
    return len(words) == 1 and not _CJK.search(piece) and not _is_agency(piece)


def _byline_names(
    raw: list[str],
    *,
    site_name: str | list[str] | None = None,
    url: str | None = None,
    visible: bool = False,
    language: str | None = None,
    section: str | None = None,
) -> list[_Name]:
    """People and organisations named by byline values, in order, each once."""
    domain = _domain_label(url)
    sites = [site_name] if isinstance(site_name, str) else list(site_name or [])
    found: list[_Name] = []
    seen: set[str] = set()
    for value in raw:
        if not value or value.strip().lower().startswith(("http://", "https://", "www.")):
            continue
        text = clean_text(value)
        text = _EMAIL.sub(" ", text)
        text = _HANDLE.sub(" ", text)
        text = re.sub(r"https?://\S+", " ", text)

        if any(w.lower().strip(".,:;") in _COMMENTER_WORDS for w in text.split()):
            continue
        text = _PARENTHESIS.sub(functools.partial(_parenthesis, text), text)
        position = 0
        for part in _AUTHOR_SPLIT.split(text):
            part = _strip_prefix(part.strip(" -–—:.|·•\t"))
            part = part.strip(" -–—:.|·•\t")
            if not part:
                continue
            if _CJK.search(part) and language != "ja" and " " in part:
                pieces = part.split() if all(_CJK.search(p) for p in part.split()) else [part]
            else:
                pieces = _split_agency(part)
            for piece in pieces:
                position += 1
                words = _cut_trailer(piece.split(), visible)
                if position > 1 and _is_addition(piece, words):
                    continue
                name = _classify(" ".join(words).strip(" -–—:.|·•,"), sites, domain, section)
                if name is None:
                    continue
                key = name.text.lower()
                if key not in seen:
                    seen.add(key)
                    found.append(name)
    return found


def clean_authors(
    raw: list[str],
    *,
    site_name: str | list[str] | None = None,
    url: str | None = None,
    visible: bool = False,
    language: str | None = None,
) -> list[str]:
    """People's names from bylines: no "By" (in many languages), no site or desk names,
    no handles, job titles, dates, follow buttons or initials; several names in one
    byline are split."""
    return [
        name.text
        for name in _byline_names(
            raw, site_name=site_name, url=url, visible=visible, language=language
        )
        if not name.organisation
    ]


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


# --- the headline ------------------------------------------------------------------------

# Containers whose h1 is not the article's headline: menus, footers, sidebars, comments,
# pop-ups. Not a layout's modifier that says there is none ("header--no-promo") or that
# one sits beside the content ("has-sidebar").
_NOT_HEADLINE_TAGS = frozenset({"nav", "footer", "aside", "form", "dialog"})
_NOT_HEADLINE_CLASS = re.compile(
    r"(?<!no-)(?<!no_)(?<!has-)(?<!with-)"
    r"(?:comment|sidebar|related|newsletter|modal|popup|footer|teaser|promo|next-post|recommend)",
    re.IGNORECASE,
)
_ARTICLE_CLASS = re.compile(r"article|headline|post-title|entry-title|story", re.IGNORECASE)


@dataclass(slots=True)
class _Heading:
    text: str
    headline: str
    """The text without a kicker in its own element before it ("Ukraine" in
    ``<h1><span>Ukraine</span> Ziele, Chancen, Risiken</h1>``); the text when none."""
    in_article: bool
    excluded: bool = False
    """Inside a container that is not the article's (a sidebar, a pop-up): the page's
    headline only where a meta title repeats it word for word (some templates wrap the
    whole page in a "sidebar" layout)."""


def _headings(tree: etree._Element) -> list[_Heading]:
    found: list[_Heading] = []
    for h1 in tree.iter("h1"):
        if len(found) >= 10:
            break
        # Without a permalink sign after it.
        text = clean_text("".join(h1.itertext())).rstrip("¶§#🔗 ")
        if not text:
            continue
        in_article = h1.get("itemprop") == "headline"
        excluded = False
        for ancestor in h1.iterancestors():
            tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
            cls = (ancestor.get("class") or "") + " " + (ancestor.get("id") or "")
            if tag in _NOT_HEADLINE_TAGS or _NOT_HEADLINE_CLASS.search(cls):
                excluded = True
                break
            if (
                tag in {"article", "main"}
                or ancestor.get("itemprop") == "articleBody"
                or (tag in {"header", "div", "section"} and _ARTICLE_CLASS.search(cls))
            ):
                in_article = True
        headline = text
        children = [c for c in h1 if isinstance(c.tag, str)]
        if children and not (h1.text or "").strip():
            kicker = clean_text("".join(children[0].itertext()))
            rest = clean_text(text[len(kicker) :]) if text.startswith(kicker) else ""
            if kicker and rest and len(rest) > len(kicker):
                headline = rest.lstrip(":–—-| ").strip()
        found.append(_Heading(text, headline, in_article and not excluded, excluded))
    return found


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w{4,}", text.lower())}


def choose_title(
    headings: list[_Heading],
    candidates: list[str | None],
    *,
    site_names: list[str],
    url: str | None,
    raw: list[str | None] | None = None,
) -> str | None:
    """The headline the page shows: its h1 where the page's meta titles (JSON-LD
    headline, og:title, ``<title>``...; already cleaned, in order of trust; ``raw`` the
    same before their suffixes were cut) agree with it, else the meta title most of them
    agree on. An article's own h1 that no meta title matches still wins when it shares
    words with them, unless the JSON-LD headline and og:title (written apart) agree on
    another: the meta title is then the SEO title."""
    metas = [c for c in candidates if c]
    keys = [_site_key(c) for c in metas]
    domain = _domain_label(url)
    candidates_ok = [h for h in headings if not _matches_site(h.text, site_names, domain)]
    usable = [h for h in candidates_ok if not h.excluded]
    ordered = sorted(candidates_ok, key=lambda h: (h.excluded, not h.in_article))
    # 0. An h1 that a meta title repeats whole, before any suffix was cut: what the page
    # shows and what it tells search engines agree ("Fact Check: ..." stays).
    raw_texts = [clean_text(r) for r in raw or () if r]
    raw_keys = [_site_key(r) for r in raw_texts]
    for heading in ordered:
        key = _site_key(heading.text)
        if len(key) >= 10 and key in raw_keys:
            return raw_texts[raw_keys.index(key)]
    # 1. An h1 (or the h1 without its kicker) that a meta title repeats: the meta
    # title's text (the same words, typed without the page's layout).
    for heading in ordered:
        for text in dict.fromkeys((heading.headline, heading.text)):
            if _site_key(text) in keys:
                return metas[keys.index(_site_key(text))]
    # 2. A meta title that is the article's h1 with a kicker or a site name around it
    # (the h1 being most of it: a blog's name in an h1 is not its post's headline).
    in_article = [h for h in usable if h.in_article] or usable
    for heading in in_article:
        key = _site_key(heading.headline)
        if len(key) < 10:
            continue
        if any(
            k != key and 2 * len(key) >= len(k) and (k.startswith(key) or k.endswith(key))
            for k in keys
        ):
            return heading.headline
    # 3. An h1 that a meta title holds with words around it (a kicker glued on).
    for heading in usable:
        key = _site_key(heading.text)
        for meta, meta_key in zip(metas, keys, strict=True):
            if len(meta_key) >= 10 and meta_key != key and meta_key in key:
                return meta
    # 4. The article's own h1, when the meta titles do not agree with each other and it
    # shares words with them (or there are none): the page shows it, a lone meta title
    # may be written for search engines.
    # <title>, twitter:title and the like are copies of og:title on most sites: only
    # the JSON-LD headline and og:title agreeing count as two witnesses.
    first_two = [_site_key(c) for c in candidates[:2] if c]
    agreed = len(first_two) == 2 and first_two[0] == first_two[1]
    meta_words = set().union(*(_words(m) for m in metas)) if metas else set()
    for heading in usable:
        long_enough = len(heading.headline.split()) >= 2 or (
            bool(_CJK.search(heading.headline)) and len(heading.headline) >= 6
        )
        if (
            heading.in_article
            and long_enough
            and not agreed
            and (not metas or _words(heading.headline) & meta_words)
        ):
            return heading.headline
    # 5. The meta title most others agree with, the most trusted on a tie.
    if metas:
        return max(metas, key=lambda m: sum(_site_key(m) == k for k in keys))
    return usable[0].headline if usable else None


# --- the byline ------------------------------------------------------------------------------

_AUTHOR_META = (
    "author",
    "article:author",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
    "dcterms.creator",
    "byl",
    "citation_author",
)
_ORGANISATION_TYPES = frozenset(
    {"organization", "newsmediaorganization", "corporation", "newsagency", "organisation"}
)
# Walking the attributes (not every element's) keeps it cheap, as for the byline below.
_MARKED_AUTHORS = etree.XPath(
    "//@rel[contains(concat(' ', normalize-space(.), ' '), ' author ')]/parent::a"
    " | //@itemprop[contains(concat(' ', normalize-space(.), ' '), ' author ')]/.."
)


def _main_article(
    articles: list[dict[str, Any]], tags: dict[str, list[str]], headings: list[_Heading]
) -> dict[str, Any]:
    """The page's own article among its JSON-LD article objects (a page may describe
    related ones too): the one whose headline is the page's h1 or og:title, else the
    first."""
    if len(articles) > 1:
        keys = {_site_key(h.text) for h in headings} | {
            _site_key(t) for t in tags.get("og:title", ())
        }
        for obj in articles:
            headline = _first_text(obj.get("headline"))
            if headline and _site_key(clean_text(headline)) in keys:
                return obj
    return articles[0] if articles else {}


def _jsonld_people(
    value: Any, ids: dict[str, dict[str, Any]], depth: int = 0
) -> list[tuple[str, bool]]:
    """The names in a JSON-LD ``author`` value, each with whether it is an organisation
    (references by ``@id`` resolved)."""
    if depth > 3:
        return []
    if isinstance(value, list):
        return [p for item in value for p in _jsonld_people(item, ids, depth + 1)]
    if isinstance(value, str):
        return [(value, False)]
    if isinstance(value, dict):
        ref = value.get("@id")
        if "name" not in value and isinstance(ref, str) and ref in ids:
            value = ids[ref]
        organisation = bool(_types(value) & _ORGANISATION_TYPES)
        return [(name, organisation) for name in _names(value)]
    return []


def _marked_authors(tree: etree._Element) -> list[str]:
    """The texts of elements marked as the author (``rel=author`` links, ``itemprop``
    author), outside comments and sidebars."""
    texts: list[str] = []
    for element in _MARKED_AUTHORS(tree)[:20]:
        if not isinstance(element, etree._Element) or _inside_discarded(element):
            continue
        name_el = next(
            (e for e in element.iter() if isinstance(e.tag, str) and e.get("itemprop") == "name"),
            None,
        )
        source = name_el if name_el is not None else element
        text = source.get("content") or " ".join("".join(source.itertext()).split())
        if text and len(text) <= 80:
            texts.append(text)
    return texts


def _visible_byline(tree: etree._Element) -> list[str]:
    """The byline element's names: the texts of its links when it links its authors,
    else its text without its date or picture."""
    element = _find_byline_element(tree)
    if element is None:
        return []
    links = [
        " ".join("".join(a.itertext()).split())
        for a in element.iter("a")
        if not _is_discarded(a) or a is element
    ]
    links = [t for t in links if t]
    if element.tag == "a":
        links = []
    text = _byline_text(element)
    return [*links, "\n", text] if links else [text]


def _name_key(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]|_", " ", name.casefold()).split())


_MARKED_SOURCE = 2
"""The index of the author-marked links among the sources of :func:`_authors`."""


def _authors(
    tree: etree._Element,
    article: dict[str, Any],
    objects: list[dict[str, Any]],
    tags: dict[str, list[str]],
    site_names: list[str],
    url: str | None,
    language: str | None,
    section: str | None = None,
) -> list[str]:
    """The article's authors from its sources in order of trust (JSON-LD, meta tags,
    author-marked links, the visible byline): the names two sources agree on with the
    rest of those sources' names, else the most trusted source naming a person, else the
    organisation (agency, desk) that is the byline."""
    ids = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str) and "name" in o}
    options: dict[str, Any] = {
        "site_name": site_names,
        "url": url,
        "language": language,
        "section": section,
    }
    jsonld: list[_Name] = []
    for text, organisation in _jsonld_people(article.get("author") or article.get("creator"), ids):
        for name in _byline_names([text], **options):
            jsonld.append(_Name(name.text, organisation or name.organisation))
    meta_values = [value for key in _AUTHOR_META for value in tags.get(key, ())]
    meta_names = _byline_names(meta_values, **options)
    jsonld_people = {_name_key(n.text) for n in jsonld if not n.organisation}
    if jsonld_people and jsonld_people == {
        _name_key(n.text) for n in meta_names if not n.organisation
    }:
        # Two sources agree on every name: the page's markup need not be searched.
        return [n.text for n in jsonld if not n.organisation]
    sources = [jsonld, meta_names, _byline_names(_marked_authors(tree), **options)]
    visible = _visible_byline(tree)
    if "\n" in visible:
        # The byline's links, or else its text.
        cut = visible.index("\n")
        names = _byline_names(visible[:cut], visible=True, **options)
        if not any(not n.organisation for n in names):
            names = _byline_names(visible[cut + 1 :], visible=True, **options)
        sources.append(names)
    else:
        sources.append(_byline_names(visible, visible=True, **options))
    people = [[n for n in source if not n.organisation] for source in sources]
    # Author links and the visible byline are often the same elements: they count as
    # one witness.
    witnesses = [people[0], people[1], people[2] + people[3]]
    counts: dict[str, int] = {}
    for source in witnesses:
        for key in {_name_key(n.text) for n in source}:
            counts[key] = counts.get(key, 0) + 1
    agreed = {key for key, count in counts.items() if count >= 2}
    result: list[str] = []
    seen: set[str] = set()
    for number, source in enumerate(people):
        if agreed and not any(_name_key(n.text) in agreed for n in source):
            continue
        for name in source:
            key = _name_key(name.text)
            # Author-marked links are page-wide (related articles have theirs too):
            # only their agreed names count.
            if number == _MARKED_SOURCE and key not in agreed:
                continue
            if key not in seen:
                seen.add(key)
                result.append(name.text)
        if not agreed and result:
            return result
    if result:
        return result
    for source in sources:
        organisations = [n.text for n in source if n.organisation]
        if organisations:
            return organisations
    return []


# --- the whole -------------------------------------------------------------------------


def extract_metadata(tree: etree._Element, url: str | None = None) -> Metadata:
    """The metadata of one parsed page, from JSON-LD, meta tags and the visible headline
    and byline (the caller adds visible dates and titles for fields still missing)."""
    objects = _jsonld_objects(tree)
    articles: list[dict[str, Any]] = []
    kinds: set[str] = set()
    for obj in objects:
        obj_types = _types(obj)
        kinds |= obj_types
        if obj_types & ARTICLE_TYPES:
            articles.append(obj)
    website = next((o for o in objects if "website" in _types(o)), {})
    organisation = next(
        (o for o in objects if _types(o) & {"organization", "newsmediaorganization"}), {}
    )
    tags = _meta_tags(tree)
    headings = _headings(tree)
    article = _main_article(articles, tags, headings)
    base = url
    canonical = None
    for link in tree.iterfind(".//link"):
        rel = (link.get("rel") or "").lower().split()
        if "canonical" in rel and link.get("href"):
            canonical = _absolute(link.get("href"), base)
            break
    canonical = canonical or _absolute(_meta(tags, "og:url"), base)

    site_names = [
        clean_text(n)
        for n in (
            _meta(tags, "og:site_name"),
            _first_text(article.get("publisher")),
            _first_text(website.get("name")),
            _first_text(organisation.get("name")),
            _meta(tags, "application-name", "apple-mobile-web-app-title"),
            (_meta(tags, "twitter:site") or "").lstrip("@") or None,
        )
        if n and "://" not in n and not n.startswith("@")
    ]
    # A tag that repeats the headline ("application-name" on some templates) names no
    # site: its name would be cut from every title.
    title_keys = {
        _site_key(clean_text(t))
        for t in (_first_text(article.get("headline")), _meta(tags, "og:title"))
        if t
    }
    site_names = [
        n
        for n in dict.fromkeys(site_names)
        if n and len(n.split()) <= 8 and _site_key(n) not in title_keys
    ]
    site_name = next(
        (n for n in site_names if n != (_meta(tags, "twitter:site") or "").lstrip("@")), None
    )
    section = _first_text(article.get("articleSection")) or _meta(
        tags, "article:section", "parsely-section", "section", "sailthru.section"
    )
    html_el = tree if tree.tag == "html" else tree.find(".//html")
    language = (
        _language(_first_text(article.get("inLanguage")))
        or _language(html_el.get("lang") if html_el is not None else None)
        or _language(_meta(tags, "og:locale", "content-language", "language", "dc.language"))
    )

    authors = _authors(tree, article, objects, tags, site_names, url, language, section)

    title_el = tree.find(".//title")
    page_title = "".join(title_el.itertext()) if title_el is not None else None
    raw_titles = [
        _first_text(article.get("headline")),
        _meta(tags, "og:title"),
        _meta(tags, "twitter:title"),
        _meta(tags, "parsely-title", "dc.title", "sailthru.title"),
        page_title,
        _first_text(article.get("name")),
    ]
    cleaned = [
        clean_title(t, site_name=site_names, url=url, section=section, authors=authors)
        for t in raw_titles
    ]
    # Whole meta titles an h1 may repeat: those that hold no site name or separator
    # left dangling (what is cut for a section, a date or an author may be the headline's).
    whole = [
        t if t and clean_title(t, site_name=site_names, url=url) == clean_text(t) else None
        for t in raw_titles
    ]
    title = choose_title(headings, cleaned, site_names=site_names, url=url, raw=whole)

    published = normalize_date(_first_text(article.get("datePublished"))) or normalize_date(
        _meta(
            tags,
            "article:published_time",
            "article:published",
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
            "article:modified",
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
    if not published:
        published = _byline_time(tree)

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
    elif kinds & LISTING_TYPES:
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
        site_name=site_name,
        description=" ".join(description.split()) if description else None,
        section=" ".join(section.split()) if section else None,
        tags=_split_tags(keywords),
        image=image,
        canonical_url=canonical,
        article_body=body if isinstance(body, str) and body.strip() else None,
        page_type=page_type,
        forum_thread="discussionforumposting" in kinds,
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
_FIRST_H1 = etree.XPath("(//h1)[1]")
_BYLINE_CANDIDATES_UNDER = etree.XPath(
    f".//@class[{_BYLINE_CLASS}]/.."
    " | .//@id[contains(., 'uthor')]/.."
    " | .//@rel[.='author' or .='me']/.."
    " | .//@itemprop[contains(., 'author')]/.."
    " | .//@data-component[contains(., 'Byline')]/.."
    " | .//@data-testid[contains(., 'Author')]/.."
    " | .//author"
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
    r"^[Cc]omments|commentlist|comments-list|recent-?comments|sidebar|is-hidden|quote|embedly-instagram"
    r"|article-(?:share|support)|print|category|meta-date|meta-reviewer"
)
_BYLINE_DISCARD_ID = re.compile(r"^comments|comment-?list|ProductReviews")
_BYLINE_SKIP_TAGS = frozenset({"time", "figure"})
_BYLINE_DISCARD_TAGS = frozenset({"a", "aside", "div", "section", "span"})
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


def _byline_time(tree: etree._Element) -> str | None:
    """The machine-readable time beside the visible byline ("By Jane Doe · <time
    datetime=...>1 day ago</time>"): the first ``<time datetime>`` within the byline's
    parent or grandparent, which the page's date line shares with its byline."""
    element = _find_byline_element(tree)
    if element is None:
        return None
    container = element
    for _ in range(2):
        parent = container.getparent()
        if parent is None or parent.tag in {"body", "html", "article", "main"}:
            break
        container = parent
        for time_el in container.iter("time"):
            found = normalize_date(time_el.get("datetime"))
            if found:
                return found
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


def _find_byline_element(tree: etree._Element) -> etree._Element | None:
    """The page's visible byline element: in the strongest tier, the first element
    whose class, id, rel or itemprop names an author, outside comments and sidebars,
    holding a text of byline length.

    The same tiers and exclusions as trafilatura's author search, without its copy of
    the whole page and its regular-expression XPaths (ten times the cost)."""
    region = _headline_region(tree)
    if region is not None:
        found = _pick_byline(_BYLINE_CANDIDATES_UNDER(region))
        if found is not None:
            return found
    return _pick_byline(_BYLINE_CANDIDATES(tree))


def _headline_region(tree: etree._Element) -> etree._Element | None:
    """The neighbourhood of the page's first h1 (three levels up): where a byline
    sits. Searched first, it spares the walk over the whole page's attributes on most
    pages, and prefers the byline beside the headline to one further away."""
    h1 = next(iter(_FIRST_H1(tree)), None)
    if h1 is None:
        return None
    region = h1
    for _ in range(3):
        parent = region.getparent()
        if parent is None or parent.tag in {"body", "html"}:
            break
        region = parent
    return region


def _pick_byline(found: list[Any]) -> etree._Element | None:
    """In the strongest tier, the first candidate outside comments and sidebars holding
    a text of byline length."""
    tiers: list[list[etree._Element]] = [[], [], []]
    for element in found:
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
                return element
    return None
