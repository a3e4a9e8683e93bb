"""Generate the demo site (``site/``) and its truth file (``site/expected.json``).

The HTML pages, feeds and sitemaps are written from :mod:`newsbot.demo.content` by the
templates below, and every clutter line a template emits is recorded as it is emitted, so
``expected.json`` cannot drift from the HTML. The generated files are committed (they ship
in the package); rerun after editing the content or a template::

    python -m newsbot.demo.build

URLs in the generated files use the ``{{BASE}}`` placeholder, which
:class:`newsbot.demo.server.DemoServer` replaces with its own base URL when serving.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections.abc import Callable, Sequence
from datetime import datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

from newsbot.demo.content import ARTICLES, SITE_NAME, Article

BASE = "{{BASE}}"
SITE_DIR = Path(__file__).parent / "site"
_LINK = re.compile(r"\[\[(.+?)\|(.+?)\]\]")

HTML_LANG = {"en": "en-GB", "de": "de", "fr": "fr", "es": "es"}


def e(text: str) -> str:
    """Escape text for element content and double-quoted attributes (apostrophes stay
    literal, as most publishers' HTML has them)."""
    return escape(text, quote=False).replace('"', "&quot;")


def render_inline(markup: str) -> tuple[str, str]:
    """Turn paragraph markup into ``(html, plain_text)``: ``[[text|href]]`` is a link."""
    html_parts: list[str] = []
    text_parts: list[str] = []
    pos = 0
    for match in _LINK.finditer(markup):
        html_parts.append(e(markup[pos : match.start()]))
        text_parts.append(markup[pos : match.start()])
        label, href = match.group(1), match.group(2)
        html_parts.append(f'<a href="{e(href)}">{e(label)}</a>')
        text_parts.append(label)
        pos = match.end()
    html_parts.append(e(markup[pos:]))
    text_parts.append(markup[pos:])
    return "".join(html_parts), "".join(text_parts)


def para_html(markup: str) -> str:
    return render_inline(markup)[0]


def para_text(markup: str) -> str:
    return render_inline(markup)[1]


def url(path: str) -> str:
    return BASE + path


def by_template(name: str) -> Article:
    return next(a for a in ARTICLES if a.template == name)


class Clutter:
    """Collects the text of every clutter line a template writes."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def __call__(self, text: str) -> str:
        """Record ``text`` as clutter and return it escaped for HTML."""
        self.lines.append(text)
        return e(text)

    def link(self, prefix: str, headline: str, href: str, sep: str = " ") -> str:
        """Record a promo line ``prefix + sep + headline``; return its inner HTML."""
        self.lines.append(f"{prefix}{sep}{headline}" if prefix else headline)
        lead = f"<strong>{e(prefix)}</strong>{sep}" if prefix else ""
        return f'{lead}<a href="{e(href)}">{e(headline)}</a>'


def article_head(a: Article, extra: str = "") -> str:
    """The ``<head>`` every article page shares (templates add their own extras)."""
    lines = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(a.title)} | {e(SITE_NAME)}</title>",
        f'<meta name="description" content="{e(a.description)}">',
        f'<link rel="canonical" href="{url(a.path)}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{e(a.title)}">',
        f'<meta property="og:site_name" content="{e(SITE_NAME)}">',
        f'<meta property="og:description" content="{e(a.description)}">',
        f'<meta property="og:image" content="{url(a.image)}">',
        f'<meta property="og:url" content="{url(a.path)}">',
        f'<meta property="article:published_time" content="{a.published}">',
    ]
    if a.modified:
        lines.append(f'<meta property="article:modified_time" content="{a.modified}">')
    lines.append(f'<meta property="article:section" content="{e(a.section)}">')
    lines += [f'<meta property="article:tag" content="{e(t)}">' for t in a.tags]
    lines.append(f'<meta name="author" content="{e(", ".join(a.authors))}">')
    lines.append(
        '<link rel="alternate" type="application/rss+xml" '
        f'title="{e(SITE_NAME)}" href="{BASE}/feed.xml">'
    )
    if extra:
        lines.append(extra)
    return "<head>\n" + "\n".join(lines) + "\n</head>"


def masthead() -> str:
    return (
        '<header class="masthead"><a class="logo" href="/">'
        f"{e(SITE_NAME)}</a>"
        '<nav><ul><li><a href="/">Home</a></li><li><a href="/politics/">Politics</a></li>'
        '<li><a href="/world/">World</a></li><li><a href="/local/">Local</a></li>'
        "</ul></nav></header>"
    )


def footer() -> str:
    return (
        '<footer class="site-footer"><ul><li><a href="/about.html">About us</a></li>'
        '<li><a href="/feed.xml">RSS</a></li></ul>'
        f"<p>© 2025 {e(SITE_NAME)}. All rights reserved.</p></footer>"
    )


def page(lang: str, head: str, body: str, body_class: str = "") -> str:
    cls = f' class="{body_class}"' if body_class else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n{head}\n<body{cls}>\n{masthead()}\n'
        f"{body}\n{footer()}\n</body>\n</html>\n"
    )


def paragraphs(a: Article, after: dict[int, str] | None = None) -> str:
    """The article's paragraphs, with ``after[i]`` inserted after paragraph ``i``."""
    after = after or {}
    out = []
    for i, p in enumerate(a.paragraphs):
        out.append(f"<p>{para_html(p)}</p>")
        if i in after:
            out.append(after[i])
    return "\n".join(out)


def human_date(iso: str, fmt: str = "%d %B %Y, %H:%M") -> str:
    return datetime.fromisoformat(iso).strftime(fmt)


# --- templates: each returns (html, clutter lines) ------------------------------------


def tabloid(a: Article) -> tuple[str, list[str]]:
    c = Clutter()
    other1, other2 = by_template("broadsheet"), by_template("regional")
    promos = (
        '<p class="read-more-links" data-widget="read-more">'
        f"{c.link('READ MORE:', other1.title, other1.path)}</p>\n"
        '<p class="read-more-links" data-widget="read-more">'
        f"{c.link('READ MORE:', other2.title, other2.path)}</p>"
    )
    whatsapp = (
        '<p class="read-more-links" data-widget="read-more">'
        + c.link(
            "READ MORE:",
            "Join our Gazette politics WhatsApp group to get the latest updates from Westminster",
            "https://chat.example.com/invite/gazette-politics",
        )
        + "</p>"
    )
    liked = [
        ("Spring transfer window: the five deals that could still happen", "sport/t1"),
        ("Families warned over energy bill change coming next month", "money/e2"),
        ("'Best ever' period drama hailed a lost masterpiece by viewers", "tv/p3"),
        ("Ferry operator axes winter route after years of losses", "travel/f4"),
        ("Woman, 94, finishes degree she started in 1952", "news/w5"),
    ]
    liked_html = "\n".join(
        f'<li class="mod-liked__item">{c.link("", h, "https://www.example.net/" + p)}</li>'
        for h, p in liked
    )
    body = f"""<main id="content">
<article class="article article--politics" itemscope itemtype="https://schema.org/NewsArticle">
<h1 class="article__headline">{e(a.title)}</h1>
<p class="article__standfirst">{e(a.description)}</p>
<div class="byline"><span class="author">By <span rel="author">{e(a.authors[0])}</span></span>, <span class="role">{e(a.role)}</span>
<time datetime="{a.published}">{human_date(a.published, "%H:%M, %d %b %Y")}</time>
<span class="updated">Updated <time datetime="{a.modified}">{human_date(a.modified or a.published, "%H:%M, %d %b %Y")}</time></span></div>
<div class="article-body" itemprop="articleBody">
{paragraphs(a, {2: promos, len(a.paragraphs) - 1: whatsapp})}
</div>
</article>
<section class="mod-liked" data-widget="recommendations">
<h2 class="mod-liked__title">{c("You may also like")}</h2>
<ul>
{liked_html}
</ul>
</section>
</main>"""
    return page(HTML_LANG[a.language], article_head(a), body, "tabloid"), c.lines


def broadsheet(a: Article) -> tuple[str, list[str]]:
    c = Clutter()
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.title,
        "description": a.description,
        "datePublished": a.published,
        "dateModified": a.modified,
        "articleSection": a.section,
        "keywords": a.tags,
        "inLanguage": a.language,
        "mainEntityOfPage": url(a.path),
        "image": [url(a.image)],
        "author": [
            {"@type": "Person", "name": n, "url": f"{BASE}/profile/{n.lower().replace(' ', '')}"}
            for n in a.authors
        ],
        "publisher": {"@type": "Organization", "name": SITE_NAME},
    }
    ld_html = (
        '<script type="application/ld+json">' + json.dumps(ld, ensure_ascii=False) + "</script>"
    )
    caption = (
        "Turbines off the east coast: the auction drew bids for 11GW of new capacity. "
        "Photograph: Sam Reed/Demo Press Agency"
    )
    c.lines.append(caption)
    figure = (
        '<figure class="article-figure"><img src="/img/turbines.jpg" alt="Offshore wind '
        'turbines" width="620" height="372"><figcaption><span class="caption">Turbines off '
        "the east coast: the auction drew bids for 11GW of new capacity.</span> "
        '<span class="credit">Photograph: Sam Reed/Demo Press Agency</span></figcaption>'
        "</figure>"
    )
    related1 = (
        '<p class="related-inline">'
        + c.link(
            "Related:",
            "Why the grid cannot keep up with new wind farms",
            "https://www.example.net/environment/grid-queue",
        )
        + "</p>"
    )
    related2 = (
        '<p class="related-inline">'
        + c.link(
            "Related:",
            "Seabirds and turbines: what the evidence says",
            "https://www.example.net/environment/seabirds-turbines",
        )
        + "</p>"
    )
    most_read = [
        ("Harbour bridge to close for eight weeks as repairs begin", by_template("regional").path),
        ("The quiet return of the night train", "https://www.example.net/travel/night-train"),
        ("How a village saved its last pub", "https://www.example.net/food/village-pub"),
        ("Five walks for the first weekend of spring", "https://www.example.net/travel/walks"),
        ("What the budget means for renters", "https://www.example.net/money/renters"),
    ]
    most_read_html = "\n".join(f"<li>{c.link('', h, p)}</li>" for h, p in most_read)
    names = " and ".join(f'<span rel="author" class="contributor">{e(n)}</span>' for n in a.authors)
    body = f"""<div class="content-wrapper">
<main>
<article class="content content--article">
<div class="content__labels"><a href="/world/">{e(a.section)}</a></div>
<h1 class="content__headline">{e(a.title)}</h1>
<div class="content__standfirst"><p>{e(a.description)}</p></div>
{figure}
<div class="content__meta"><p class="byline">{names}</p>
<time class="content__dateline" datetime="{a.published}">{human_date(a.published, "%a %d %b %Y %H.%M GMT")}</time></div>
<div class="content__article-body" itemprop="articleBody">
{paragraphs(a, {2: related1, 4: related2})}
</div>
</article>
</main>
<aside class="most-viewed" aria-label="Most read">
<h2>{c("Most read")}</h2>
<ol>
{most_read_html}
</ol>
</aside>
</div>"""
    head = article_head(a, ld_html)
    return page(HTML_LANG[a.language], head, body, "broadsheet"), c.lines


def regional(a: Article) -> tuple[str, list[str]]:
    c = Clutter()
    tech = by_template("consent")
    dont_miss = (
        '<div class="promo promo--dont-miss" data-module="dont-miss"><p>'
        + c.link("Don't miss:", tech.title, tech.path)
        + "</p></div>"
    )
    newsletter = f"""<div class="newsletter-signup" data-module="newsletter">
<h3>{c("Sign up to our newsletter")}</h3>
<p>{c("Get the biggest stories from Eastmouth delivered to your inbox every morning.")}</p>
<form action="/newsletter" method="post"><input type="email" name="email" placeholder="Your email">
<button type="submit">{c("Sign me up to the Eastmouth daily")}</button></form>
</div>"""
    share = f"""<div class="social-share">
<a class="share share--facebook" href="https://facebook.example.com/demogazette">{c("Follow us on Facebook")}</a>
<a class="share share--x" href="https://x.example.com/demogazette">{c("Follow us on X")}</a>
</div>"""
    body = f"""<main class="main-content">
<article class="article-page">
<span class="article-section"><a href="/local/">{e(a.section)}</a></span>
<h1 class="headline">{e(a.title)}</h1>
<div class="article-meta">
<p class="author-byline">By <a href="/author/jane-doe/">{e(a.authors[0])}</a>, {e(a.role)}</p>
<p class="publish-date"><time datetime="{a.published}">{human_date(a.published, "%d/%m/%Y %H:%M")}</time></p>
</div>
{share}
<div class="article-body">
{paragraphs(a, {1: dont_miss, 4: newsletter})}
</div>
</article>
</main>"""
    return page(HTML_LANG[a.language], article_head(a), body, "regional"), c.lines


def wordpress(a: Article) -> tuple[str, list[str]]:
    c = Clutter()
    extra = (
        '<meta name="generator" content="WordPress 6.7.2">\n'
        "<link rel='stylesheet' id='wp-block-library-css' href='/wp-includes/css/dist/"
        "block-library/style.min.css' media='all'>"
    )
    share = f"""<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing">
<h3 class="sd-title">{c("Share this:")}</h3>
<div class="sd-content"><ul>
<li class="share-facebook"><a class="share-facebook sd-button" href="https://www.facebook.example.com/sharer?u=post-1042" target="_blank"><span>{c("Share on Facebook (Opens in new window)")}</span></a></li>
<li class="share-email"><a class="share-email sd-button" href="mailto:?subject=post-1042"><span>{c("Email a link to a friend (Opens in new window)")}</span></a></li>
</ul></div></div></div>"""
    related_posts = [
        ("Seed swap at the station: bring what you have, take what you need", "seed-swap"),
        ("Our first honey harvest, and what the bees taught us", "first-honey"),
        ("How we won a small grant (and how you can too)", "small-grants"),
    ]
    related_html = "\n".join(
        f'<div class="jp-relatedposts-post"><h4 class="jp-relatedposts-post-title">'
        f"{c.link('', h, 'https://notebook.example.com/' + s + '/')}</h4></div>"
        for h, s in related_posts
    )
    comments = [
        (
            "Margaret",
            "Lovely to read this. We started something similar on our estate and "
            "the tea break idea is exactly right.",
        ),
        (
            "Ravi P.",
            "Do you have a list of what grew well in the raised beds? Our soil is "
            "heavy clay and nothing seems to like it.",
        ),
    ]
    comments_html = "\n".join(
        f"""<li id="comment-{i}" class="comment even thread-even depth-1"><article class="comment-body">
<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">{c(who)}</b> <span class="says">says:</span></div>
<div class="comment-metadata"><time datetime="2025-03-0{6 + i}T19:2{i}:00+00:00">March {6 + i}, 2025 at 7:2{i} pm</time></div></footer>
<div class="comment-content"><p>{c(text)}</p></div>
<div class="reply"><a class="comment-reply-link" href="#respond">Reply</a></div>
</article></li>"""
        for i, (who, text) in enumerate(comments, start=1)
    )
    comments_title = f"2 thoughts on “{a.title}”"
    cats = ", ".join(f'<span rel="category tag">{e(t)}</span>' for t in a.tags)
    post_id = 1042
    body = f"""<div id="page" class="site">
<div id="content" class="site-content">
<div id="primary" class="content-area"><main id="main" class="site-main">
<article id="post-{post_id}" class="post-{post_id} post type-post status-publish format-standard has-post-thumbnail hentry category-{a.section.lower()}">
<header class="entry-header">
<h1 class="entry-title">{e(a.title)}</h1>
<div class="entry-meta"><span class="posted-on">Posted on <a href="{url(a.path)}" rel="bookmark"><time class="entry-date published" datetime="{a.published}">{human_date(a.published, "%B %d, %Y")}</time><time class="updated" datetime="{a.modified}">{human_date(a.modified or a.published, "%B %d, %Y")}</time></a></span>
<span class="byline"> by <span class="author vcard"><span class="url fn n">{e(a.authors[0])}</span></span></span></div>
</header>
<div class="entry-content">
{paragraphs(a)}
{share}
<div id="jp-relatedposts" class="jp-relatedposts">
<h3 class="jp-relatedposts-headline"><em>{c("Related posts")}</em></h3>
{related_html}
</div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in {cats}</span></footer>
</article>
<div id="comments" class="comments-area">
<h2 class="comments-title">{c(comments_title)}</h2>
<ol class="comment-list">
{comments_html}
</ol>
<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">{c("Leave a Reply")}</h3>
<form action="/wp-comments-post.php" method="post" id="commentform" class="comment-form">
<p class="comment-notes">{c("Your email address will not be published. Required fields are marked *")}</p>
<textarea id="comment" name="comment"></textarea><input name="submit" type="submit" id="submit" class="submit" value="Post Comment"></form></div>
</div>
</main></div>
</div>
</div>"""
    html = page(
        HTML_LANG[a.language],
        article_head(a, extra),
        body,
        f"post-template-default single single-post postid-{post_id}",
    )
    return html, c.lines


def german(a: Article) -> tuple[str, list[str]]:
    c = Clutter()
    lesen = (
        '<p class="teaser-inline" data-teaser="inline">'
        + c.link(
            "Lesen Sie auch:",
            "Neue Buslinie verbindet Hafen und Innenstadt",
            "https://www.example.net/neuhafen/buslinie",
        )
        + "</p>"
    )
    mehr = [
        ("Fernwärme: Was Mieter jetzt wissen müssen", "fernwaerme-mieter"),
        ("Kohlekraftwerk am Hafen: Abriss beginnt im Herbst", "kraftwerk-abriss"),
        ("Gaspreise: Stadtwerke senken die Abschläge", "gaspreise"),
    ]
    mehr_html = "\n".join(
        f"<li>{c.link('', h, 'https://www.example.net/wirtschaft/' + s)}</li>" for h, s in mehr
    )
    follow = (
        '<div class="cta cta--social" data-cta="whatsapp"><p>'
        + c("Folgen Sie uns auf WhatsApp: Die wichtigsten Nachrichten direkt aufs Handy.")
        + "</p></div>"
    )
    body = f"""<main id="main">
<article class="artikel" data-artikel-id="8812">
<header class="artikel__kopf">
<span class="artikel__ressort"><a href="/world/">{e(a.section)}</a></span>
<h1 class="artikel__titel">{e(a.title)}</h1>
<p class="artikel__vorspann">{e(a.description)}</p>
<p class="artikel__autor">Von <span class="author">{e(a.authors[0])}</span></p>
<time class="artikel__datum" datetime="{a.published}">{human_date(a.published, "%d.%m.%Y, %H:%M Uhr")}</time>
</header>
<div class="artikel__text">
{paragraphs(a, {1: lesen, len(a.paragraphs) - 1: follow})}
</div>
<section class="mehr-zum-thema">
<h2>{c("Mehr zum Thema")}</h2>
<ul>
{mehr_html}
</ul>
</section>
</article>
</main>"""
    return page(HTML_LANG[a.language], article_head(a), body, "de"), c.lines


def french(a: Article) -> tuple[str, list[str]]:
    c = Clutter()
    lire = (
        '<p class="article__link-inline" data-bloc="lire-aussi">'
        + c.link(
            "Lire aussi :",
            "Le festival du livre jeunesse revient en mai",
            "https://www.example.net/culture/festival-livre-jeunesse",
        )
        + "</p>"
    )
    a_lire = [
        ("Les bibliothèques face à la baisse des dotations", "bibliotheques-dotations"),
        ("Un fonds de bandes dessinées rare légué à la ville", "fonds-bd"),
        ("Le cinéma de quartier rouvre après deux ans de travaux", "cinema-quartier"),
    ]
    a_lire_html = "\n".join(
        f"<li>{c.link('', h, 'https://www.example.net/culture/' + s)}</li>" for h, s in a_lire
    )
    newsletter = f"""<div class="inread-newsletter" data-bloc="newsletter">
<p class="inread-newsletter__titre">{c("Abonnez-vous à notre newsletter")}</p>
<p>{c("Recevez chaque matin l'essentiel de l'actualité locale.")}</p>
<a class="bouton" href="https://newsletters.example.com/quotidien">{c("Je m'abonne gratuitement")}</a>
</div>"""
    body = f"""<main class="page-article">
<article class="article article--culture">
<p class="article__rubrique"><a href="/world/">{e(a.section)}</a></p>
<h1 class="article__titre">{e(a.title)}</h1>
<p class="article__chapo">{e(a.description)}</p>
<p class="meta__auteur">Par <span class="author">{e(a.authors[0])}</span></p>
<p class="meta__date">Publié le <time datetime="{a.published}">{human_date(a.published, "%d/%m/%Y à %Hh%M")}</time></p>
<div class="article__contenu">
{paragraphs(a, {1: lire, 3: newsletter})}
</div>
<aside class="a-lire-aussi">
<h2>{c("À lire aussi")}</h2>
<ul>
{a_lire_html}
</ul>
</aside>
</article>
</main>"""
    return page(HTML_LANG[a.language], article_head(a), body, "fr"), c.lines


def spanish(a: Article) -> tuple[str, list[str]]:
    c = Clutter()
    leer = (
        '<p class="c-read-more" data-mrf-recirculation="leer-mas">'
        + c.link(
            "Leer más:",
            "Villaclara estrena carril bici entre el centro y la universidad",
            "https://www.example.net/sociedad/carril-bici",
        )
        + "</p>"
    )
    interes = [
        ("La sequía obliga a cerrar tres fuentes públicas", "sequia-fuentes"),
        ("Los mercados municipales amplían su horario en verano", "mercados"),
        ("Cómo solicitar una parcela: requisitos y plazos", "parcela-requisitos"),
    ]
    interes_html = "\n".join(
        f"<li>{c.link('', h, 'https://www.example.net/sociedad/' + s)}</li>" for h, s in interes
    )
    follow = (
        '<p class="c-cta" data-cta="whatsapp">'
        + c("Síguenos en nuestro canal de WhatsApp y recibe las noticias más importantes.")
        + "</p>"
    )
    authors = " y ".join(f'<span class="author">{e(n)}</span>' for n in a.authors)
    body = f"""<main>
<article class="c-detail">
<p class="c-detail__section"><a href="/world/">{e(a.section)}</a></p>
<h1 class="c-detail__title">{e(a.title)}</h1>
<h2 class="c-detail__subtitle">{e(a.description)}</h2>
<div class="c-detail__byline">{authors}</div>
<time class="c-detail__date" datetime="{a.published}">{human_date(a.published, "%d/%m/%Y %H:%M")}</time>
<div class="c-detail__body">
{paragraphs(a, {2: leer, len(a.paragraphs) - 1: follow})}
</div>
<section class="c-recirculation">
<h3>{c("Te puede interesar")}</h3>
<ul>
{interes_html}
</ul>
</section>
</article>
</main>"""
    return page(HTML_LANG[a.language], article_head(a), body, "es"), c.lines


def consent(a: Article) -> tuple[str, list[str]]:
    c = Clutter()
    banner = f"""<div id="consent-banner" class="cmp-banner" role="dialog" aria-label="Cookie consent">
<p class="cmp-banner__text">{c('We use cookies to improve your experience and to show you personalised adverts. By clicking "Accept all cookies" you agree to our use of cookies.')}</p>
<button class="cmp-accept">{c("Accept all cookies")}</button>
<button class="cmp-manage">{c("Manage my cookie preferences")}</button>
</div>"""
    newsletter = f"""<div class="newsletter-box" data-component="newsletter-inline">
<h4>{c("Get the Tech Brief newsletter")}</h4>
<p>{c("The week's technology news from Eastmouth and beyond, explained. Every Friday.")}</p>
<a class="button" href="https://newsletters.example.com/tech-brief">{c("Sign me up to Tech Brief")}</a>
</div>"""
    app = f"""<div class="app-promo" data-component="app-download">
<p>{c("Download our app to get breaking news alerts on your phone.")}</p>
<a href="https://apps.example.com/ios/demo-gazette">{c("Download on the App Store")}</a>
<a href="https://apps.example.com/android/demo-gazette">{c("Get it on Google Play")}</a>
</div>"""
    body = f"""<main class="story">
<article class="story__article">
{banner}
<p class="story__kicker"><a href="/local/">{e(a.section)}</a></p>
<h1 class="story__title">{e(a.title)}</h1>
<p class="story__byline">By <a href="/author/jane-doe/">{e(a.authors[0])}</a>, {e(a.role)} · <time datetime="{a.published}">{human_date(a.published, "%d %B %Y")}</time></p>
<div class="story__body">
{paragraphs(a, {2: newsletter})}
</div>
{app}
</article>
</main>"""
    return page(HTML_LANG[a.language], article_head(a), body, "story"), c.lines


TEMPLATES: dict[str, Callable[[Article], tuple[str, list[str]]]] = {
    "tabloid": tabloid,
    "broadsheet": broadsheet,
    "regional": regional,
    "wordpress": wordpress,
    "german": german,
    "french": french,
    "spanish": spanish,
    "consent": consent,
}


# --- non-article pages --------------------------------------------------------------


def plain_head(title: str, description: str, extra: str = "") -> str:
    lines = [
        '<meta charset="utf-8">',
        f"<title>{e(title)} | {e(SITE_NAME)}</title>",
        f'<meta name="description" content="{e(description)}">',
        '<meta property="og:type" content="website">',
        f'<meta property="og:site_name" content="{e(SITE_NAME)}">',
        f'<meta property="og:title" content="{e(title)}">',
        f'<link rel="alternate" type="application/rss+xml" title="{e(SITE_NAME)}" '
        f'href="{BASE}/feed.xml">',
        f'<link rel="alternate" type="application/atom+xml" title="{e(SITE_NAME)} (Atom)" '
        f'href="{BASE}/atom.xml">',
    ]
    if extra:
        lines.append(extra)
    return "<head>\n" + "\n".join(lines) + "\n</head>"


def teaser_list(articles: list[Article]) -> str:
    items = "\n".join(
        f'<li class="teaser"><a href="{e(a.path)}">{e(a.title)}</a><p>{e(a.description)}</p></li>'
        for a in articles
    )
    return f'<ul class="teasers">\n{items}\n</ul>'


def listing(title: str, intro: str, articles: list[Article], extra_body: str = "") -> str:
    body = (
        f'<main class="listing"><h1>{e(title)}</h1><p class="intro">{e(intro)}</p>\n'
        f"{teaser_list(articles)}\n{extra_body}</main>"
    )
    return page("en-GB", plain_head(title, intro), body, "listing")


def sorted_articles() -> list[Article]:
    return sorted(ARTICLES, key=lambda a: datetime.fromisoformat(a.published), reverse=True)


SECTIONS: dict[str, tuple[str, list[str]]] = {
    "/politics/": ("Politics", ["tabloid"]),
    "/world/": ("World", ["broadsheet", "german", "french", "spanish"]),
    "/local/": ("Local", ["regional", "wordpress", "consent"]),
}
TAG_PAGE = ("/tag/eastmouth/", "Eastmouth", ["regional", "consent"])
AUTHOR_PAGE = ("/author/jane-doe/", "Jane Doe", ["regional", "consent"])
PRIVATE_PAGE = "/private/drafts.html"


def home() -> str:
    sections = "".join(f'<li><a href="{p}">{e(name)}</a></li>' for p, (name, _) in SECTIONS.items())
    extra = (
        f'<nav class="sections"><h2>Sections</h2><ul>{sections}</ul></nav>\n'
        f'<p><a href="{TAG_PAGE[0]}">More about Eastmouth</a> · '
        f'<a href="{AUTHOR_PAGE[0]}">Jane Doe</a> · '
        f'<a href="{PRIVATE_PAGE}">Staff drafts</a> · <a href="/feed.xml">RSS feed</a></p>\n'
    )
    return listing(
        "Latest news",
        "The latest stories from The Demo Gazette, a fictional newspaper for testing newsbot.",
        sorted_articles(),
        extra,
    )


def rel_path(path: str) -> Path:
    """The file under ``site/`` that serves ``path`` (see DemoServer's resolution)."""
    rel = path.lstrip("/")
    if not rel or rel.endswith("/"):
        return Path(rel) / "index.html"
    if "." in rel.rsplit("/", 1)[-1]:
        return Path(rel)
    return Path(rel + ".html")


# --- feeds and sitemaps -------------------------------------------------------------


def rss(articles: list[Article]) -> str:
    items = "\n".join(
        f"""<item>
<title>{e(a.title)}</title>
<link>{url(a.path)}</link>
<guid isPermaLink="true">{url(a.path)}</guid>
<pubDate>{format_datetime(datetime.fromisoformat(a.published))}</pubDate>
<dc:creator>{e(", ".join(a.authors))}</dc:creator>
<category>{e(a.section)}</category>
<description>{e(a.description)}</description>
</item>"""
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{e(SITE_NAME)}</title>
<link>{BASE}/</link>
<atom:link href="{BASE}/feed.xml" rel="self" type="application/rss+xml"/>
<description>Latest stories from {e(SITE_NAME)}</description>
<language>en-gb</language>
{items}
</channel>
</rss>
"""


def atom(articles: list[Article]) -> str:
    entries = "\n".join(
        f"""<entry>
<title>{e(a.title)}</title>
<link rel="alternate" type="text/html" href="{url(a.path)}"/>
<id>{url(a.path)}</id>
<published>{a.published}</published>
<updated>{a.modified or a.published}</updated>
{"".join(f"<author><name>{e(n)}</name></author>" for n in a.authors)}
<summary>{e(a.description)}</summary>
</entry>"""
        for a in articles
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<title>{e(SITE_NAME)}</title>
<id>{BASE}/</id>
<link rel="self" href="{BASE}/atom.xml"/>
<link rel="alternate" href="{BASE}/"/>
<updated>{max(a.modified or a.published for a in articles)}</updated>
{entries}
</feed>
"""


def urlset(entries: Sequence[tuple[str, str | None]]) -> str:
    body = "\n".join(
        f"<url><loc>{url(p)}</loc>" + (f"<lastmod>{m}</lastmod>" if m else "") + "</url>"
        for p, m in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}\n</urlset>\n"
    )


def news_sitemap(articles: list[Article]) -> str:
    body = "\n".join(
        f"""<url><loc>{url(a.path)}</loc><news:news><news:publication><news:name>{e(SITE_NAME)}</news:name><news:language>{a.language}</news:language></news:publication><news:publication_date>{a.published}</news:publication_date><news:title>{e(a.title)}</news:title></news:news></url>"""
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
        f"{body}\n</urlset>\n"
    )


def sitemap_index(children: list[str]) -> str:
    body = "\n".join(f"<sitemap><loc>{url(p)}</loc></sitemap>" for p in children)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}\n</sitemapindex>\n"
    )


# --- the build ----------------------------------------------------------------------


def build(out: Path = SITE_DIR) -> dict[str, object]:
    """Write the whole site into ``out`` (replacing it) and return the truth written."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    def write(path: str, text: str) -> None:
        target = out / rel_path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    truth_articles: dict[str, object] = {}
    for a in ARTICLES:
        html, clutter = TEMPLATES[a.template](a)
        write(a.path, html)
        truth_articles[a.path] = {
            "template": a.template,
            "title": a.title,
            "authors": a.authors,
            "published": a.published,
            "modified": a.modified,
            "language": a.language,
            "site_name": SITE_NAME,
            "section": a.section,
            "tags": a.tags,
            "description": a.description,
            "paragraphs": [para_text(p) for p in a.paragraphs],
            "clutter": clutter,
        }

    by_name = {a.template: a for a in ARTICLES}
    write("/", home())
    for path, (name, templates) in SECTIONS.items():
        write(
            path, listing(name, f"{name} news from {SITE_NAME}.", [by_name[t] for t in templates])
        )
    tag_path, tag_name, tag_t = TAG_PAGE
    write(
        tag_path,
        listing(f"Tag: {tag_name}", f"Stories tagged {tag_name}.", [by_name[t] for t in tag_t]),
    )
    author_path, author_name, author_t = AUTHOR_PAGE
    write(
        author_path,
        listing(
            author_name,
            f"{author_name} is Chief Reporter at {SITE_NAME}.",
            [by_name[t] for t in author_t],
        ),
    )
    write(
        "/about.html",
        page(
            "en-GB",
            plain_head("About us", "About The Demo Gazette"),
            "<main><h1>About us</h1><p>The Demo Gazette is a fictional newspaper. Its stories, "
            "people and places are invented to test newsbot.</p></main>",
        ),
    )
    write(
        PRIVATE_PAGE,
        page(
            "en-GB",
            plain_head("Staff drafts", "Unpublished drafts"),
            "<main><h1>Staff drafts</h1><p>Unpublished. Crawlers must never fetch this page: "
            "robots.txt disallows /private/.</p></main>",
        ),
    )
    non_articles = ["/", *SECTIONS, tag_path, author_path, "/about.html"]

    ordered = sorted_articles()
    write("/feed.xml", rss(ordered))
    write("/atom.xml", atom(ordered))
    write("/news-sitemap.xml", news_sitemap(ordered))
    recent, archive = ordered[:5], ordered[5:]
    pages_sitemap: list[tuple[str, str | None]] = [(p, None) for p in non_articles]
    pages_sitemap += [(a.path, (a.modified or a.published)[:10]) for a in recent]
    write("/sitemap.xml", urlset(pages_sitemap))
    archive_xml = urlset([(a.path, a.published[:10]) for a in archive]).encode()
    # mtime=0 keeps the committed .gz byte-identical across rebuilds.
    (out / "sitemap-archive.xml.gz").write_bytes(gzip.compress(archive_xml, mtime=0))
    children = ["/sitemap.xml", "/news-sitemap.xml", "/sitemap-archive.xml.gz"]
    write("/sitemap_index.xml", sitemap_index(children))
    write(
        "/robots.txt",
        "User-agent: *\nDisallow: /private/\nDisallow: /newsletter\n\n"
        f"Sitemap: {BASE}/sitemap_index.xml\nSitemap: {BASE}/news-sitemap.xml\n",
    )

    truth: dict[str, object] = {
        "site_name": SITE_NAME,
        "articles": truth_articles,
        "non_articles": non_articles,
        "disallowed": [PRIVATE_PAGE],
        "robots_sitemaps": ["/sitemap_index.xml", "/news-sitemap.xml"],
        "feeds": {
            "/feed.xml": [a.path for a in ordered],
            "/atom.xml": [a.path for a in ordered],
        },
        "sitemap_index": {"/sitemap_index.xml": children},
        "sitemaps": {
            "/sitemap.xml": [p for p, _ in pages_sitemap],
            "/news-sitemap.xml": [a.path for a in ordered],
            "/sitemap-archive.xml.gz": [a.path for a in archive],
        },
    }
    (out / "expected.json").write_text(
        json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return truth


if __name__ == "__main__":
    truth = build()
    print(f"wrote {SITE_DIR} ({len(truth['articles'])} articles)")  # type: ignore[arg-type]
