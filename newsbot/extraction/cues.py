"""The cleaning rules' vocabulary, as data: cue phrases and patterns per language.

To support a new language, add an entry to each table (ISO 639-1 code as key). Phrases
are matched case-insensitively on whitespace-normalised text; patterns are regular
expressions (case-insensitive, Unicode). Every table is applied whatever the page's
language, since pages mix languages in their furniture (an English "Read more" on a
German site is common) and a cue of one language rarely reads as prose in another.

The tables only say *what clutter looks like*; the rules in :mod:`newsbot.extraction.clean`
decide *when* a match is enough (short block, led by the cue, mostly a link, ...), so a
sentence that merely mentions "read more" is never removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

# Cues that open an in-body promo: a link to another article set between paragraphs,
# e.g. "READ MORE: Headline". Matched at the start of a short block.
PROMO_CUES: Mapping[str, tuple[str, ...]] = {
    "en": (
        "read more",
        "read also",
        "also read",
        "read next",
        "related",
        "related article",
        "related articles",
        "related story",
        "related stories",
        "related coverage",
        "related content",
        "related link",
        "related links",
        "related video",
        "more",
        "more on this",
        "more on this story",
        "more news",
        "see more",
        "see also",
        "don't miss",
        "do not miss",
        "must read",
        "recommended",
        "recommended reading",
        "you might also like",
        "you may also like",
        "also on",
        "watch",
        "watch now",
        "listen",
        "click here",
        "trending",
        "latest",
        "top stories",
        "more from",
        "further reading",
        "editor's pick",
        "editor's picks",
        "related post",
        "related posts",
    ),
    "de": (
        "lesen sie auch",
        "lesen sie mehr",
        "mehr zum thema",
        "auch interessant",
        "das könnte sie auch interessieren",
        "das könnte sie interessieren",
        "weiterlesen",
        "siehe auch",
        "mehr dazu",
        "passend zum thema",
        "zum thema",
        "empfehlungen der redaktion",
        "ebenfalls interessant",
        "meistgelesen",
    ),
    "fr": (
        "lire aussi",
        "à lire aussi",
        "a lire aussi",
        "lire également",
        "à lire également",
        "a lire également",
        "voir aussi",
        "lire la suite",
        "à voir aussi",
        "a voir aussi",
        "sur le même sujet",
        "à découvrir",
        "a découvrir",
        "à lire",
        "a lire",
        "les plus lus",
        "vous aimerez aussi",
    ),
    "es": (
        "leer más",
        "lee también",
        "lea también",
        "te puede interesar",
        "le puede interesar",
        "puede interesarte",
        "también te puede interesar",
        "te recomendamos",
        "ver también",
        "relacionado",
        "relacionada",
        "noticias relacionadas",
        "noticia relacionada",
        "lo más leído",
        "más información",
        "mira",
        "puedes ver",
        "lee más",
        "lea más",
        "notas relacionadas",
        "nota relacionada",
    ),
    "it": ("leggi anche", "leggi pure", "potrebbe interessarti", "vedi anche", "correlati"),
    "pt": ("leia também", "leia mais", "veja também", "saiba mais", "relacionadas"),
    "nl": ("lees ook", "lees meer", "meer over", "gerelateerd"),
    "pl": ("czytaj też", "czytaj także", "czytaj również", "zobacz też", "zobacz także"),
    "cs": ("čtěte také", "přečtěte si také", "související články"),
    "sv": ("läs också", "läs mer", "relaterat"),
    "da": ("læs også", "læs mere", "relateret"),
    "no": ("les også", "les mer", "relatert"),
}

# Headings that introduce a block of links to other articles (the block is removed
# with its heading). Matched against the whole heading, or its start for "More from".
RELATED_HEADINGS: Mapping[str, tuple[str, ...]] = {
    "en": (
        "you may also like",
        "you might also like",
        "you may like",
        "you might like",
        "we recommend",
        "recommended",
        "recommended for you",
        "recommended stories",
        "recommended articles",
        "most read",
        "most popular",
        "most viewed",
        "most shared",
        "more from",
        "more stories",
        "more news",
        "more on this",
        "more on this story",
        "more to read",
        "related",
        "related articles",
        "related stories",
        "related news",
        "related posts",
        "related content",
        "related coverage",
        "related topics",
        "read next",
        "read more",
        "what to read next",
        "up next",
        "trending",
        "trending now",
        "top stories",
        "popular stories",
        "latest news",
        "latest stories",
        "around the web",
        "from around the web",
        "sponsored stories",
        "promoted stories",
        "don't miss",
        "elsewhere on",
        "also on",
        "further reading",
        "in other news",
        "editor's picks",
        "see also",
        "explore further",
    ),
    "de": (
        "das könnte sie auch interessieren",
        "das könnte sie interessieren",
        "mehr zum thema",
        "meistgelesen",
        "meistgelesene artikel",
        "weitere artikel",
        "verwandte artikel",
        "ähnliche artikel",
        "empfehlungen der redaktion",
        "auch interessant",
        "mehr aus",
        "mehr von",
        "top-themen",
        "lesen sie auch",
        "meistdiskutiert",
        "meist-diskutiert",
        "meistkommentiert",
        "das könnte dich auch interessieren",
        "das könnte dich interessieren",
        "empfohlene beiträge",
        "empfohlene artikel",
        "mehr themen",
    ),
    "fr": (
        "à lire aussi",
        "a lire aussi",
        "lire aussi",
        "sur le même sujet",
        "les plus lus",
        "articles similaires",
        "articles liés",
        "vous aimerez aussi",
        "vous aimerez peut-être aussi",
        "à découvrir",
        "a découvrir",
        "plus d'actualités",
        "dans la même rubrique",
        "nos recommandations",
    ),
    "es": (
        "te puede interesar",
        "también te puede interesar",
        "noticias relacionadas",
        "artículos relacionados",
        "lo más leído",
        "lo más visto",
        "más noticias",
        "más de",
        "te recomendamos",
        "contenido relacionado",
        "leer más",
        "notas relacionadas",
        "más sobre",
    ),
    "it": ("articoli correlati", "potrebbe interessarti", "i più letti", "leggi anche"),
    "pt": ("notícias relacionadas", "mais lidas", "veja também", "leia também"),
    "nl": ("meest gelezen", "gerelateerde artikelen", "lees ook"),
    "pl": ("czytaj też", "czytaj także", "najczęściej czytane", "zobacz także"),
    "cs": ("související články", "nejčtenější", "čtěte také"),
    "sv": ("läs också", "mest läst", "relaterade artiklar"),
    "da": ("læs også", "mest læste", "relaterede artikler"),
    "no": ("les også", "mest lest", "relaterte saker"),
    "ko": (
        "관련기사",
        "관련 기사",
        "관련뉴스",
        "주요뉴스",
        "주요 뉴스",
        "많이 본 뉴스",
        "인기기사",
    ),
    "ja": ("関連記事", "関連ニュース", "人気記事", "おすすめ記事", "あわせて読みたい"),
    "zh": ("相关新闻", "相关阅读", "相关文章", "热门文章", "热门新闻", "推荐阅读", "延伸阅读"),
}

# Of those, the headings that only ever head a site's own lists (its most read, its
# recommendations), never a section of an article: standing alone in the body, their
# list gone, they are removed even with prose after them ("Most read in world news").
# ("More from", "related", "read more" and the like can head an article's own section.)
FURNITURE_HEADINGS: Mapping[str, tuple[str, ...]] = {
    "en": (
        "most read",
        "most popular",
        "most viewed",
        "most shared",
        "trending now",
        "top stories",
        "popular stories",
        "latest stories",
        "sponsored stories",
        "promoted stories",
        "from around the web",
        "around the web",
        "editor's picks",
        "recommended for you",
        "recommended stories",
        "recommended articles",
        "related articles",
        "related stories",
        "related posts",
        "related coverage",
        "you may also like",
        "you might also like",
        "what to read next",
        "don't miss",
    ),
    "de": (
        "meistgelesen",
        "meistgelesene artikel",
        "meistdiskutiert",
        "meist-diskutiert",
        "meistkommentiert",
        "empfehlungen der redaktion",
        "das könnte sie auch interessieren",
        "das könnte dich auch interessieren",
        "verwandte artikel",
        "ähnliche artikel",
    ),
    "fr": (
        "les plus lus",
        "vous aimerez aussi",
        "vous aimerez peut-être aussi",
        "articles similaires",
        "articles liés",
    ),
    "es": (
        "lo más leído",
        "lo más visto",
        "también te puede interesar",
        "noticias relacionadas",
        "artículos relacionados",
        "notas relacionadas",
    ),
    "it": ("i più letti", "articoli correlati"),
    "pt": ("mais lidas", "notícias relacionadas"),
    "nl": ("meest gelezen", "gerelateerde artikelen"),
    "pl": ("najczęściej czytane",),
    "cs": ("nejčtenější", "související články"),
    "sv": ("mest läst", "relaterade artiklar"),
    "da": ("mest læste", "relaterede artikler"),
    "no": ("mest lest", "relaterte saker"),
    "ko": (
        "주요뉴스",
        "주요 뉴스",
        "많이 본 뉴스",
        "인기기사",
        "관련기사",
        "관련 기사",
        "관련뉴스",
    ),
    "ja": ("人気記事", "あわせて読みたい", "関連記事", "関連ニュース", "おすすめ記事"),
    "zh": ("热门文章", "热门新闻", "推荐阅读", "相关新闻", "相关阅读", "相关文章", "延伸阅读"),
}

# The same headings worded with a subject first ("This topic might interest you too"):
# matched at the end of a short heading.
RELATED_HEADING_ENDINGS: Mapping[str, tuple[str, ...]] = {
    "en": (r"(?:you )?(?:may|might|could) also (?:like|enjoy|interest you)",),
    "de": (r"könnte (?:dich|sie|euch) (?:auch )?interessieren", r"(?:auch|ebenfalls) interessant"),
    "fr": (r"(?:pourrai(?:t|ent)|peu(?:t|vent)) (?:aussi |également )?vous intéresser",),
    "es": (r"(?:te|le|les|os) puede(?:n)? interesar",),
    "it": (r"potrebbe(?:ro)? interessarti",),
    "pt": (r"(?:pode|podem) (?:te |lhe )?interessar",),
    "nl": (r"(?:vind je|vindt u) (?:dit )?(?:misschien )?ook interessant",),
    # A site's or a section's name, then the heading ("Entermedia 주요뉴스").
    "ko": (r"(?:관련\s?기사|관련\s?뉴스|주요\s?뉴스|많이 본 뉴스|인기\s?기사)",),
    "ja": (r"(?:関連記事|関連ニュース|人気記事|おすすめ記事)",),
    "zh": (r"(?:相关新闻|相关阅读|相关文章|热门文章|热门新闻|推荐阅读)",),
}

# Calls to action: sign-ups, app downloads, social follows, subscription prompts.
# Each pattern must match from the start of a short block (imperative form), so a
# report that a company "asked users to sign up" is not touched.
CALL_TO_ACTION_PATTERNS: Mapping[str, tuple[str, ...]] = {
    "en": (
        r"(?:sign|signing) up (?:for|to|here|now|today)\b",
        r"subscribe\b",
        r"join (?:our|the|us)\b",
        r"follow (?:us|me|him|her|them|@|\S+ on (?:twitter|x|facebook|instagram|tiktok|youtube|linkedin|threads|bluesky|mastodon))",
        r"follow \S+(?: \S+){0,4} on (?:twitter|x|facebook|instagram|tiktok|youtube|linkedin|threads|bluesky)",
        r"(?:like|find) us on\b",
        r"download (?:our|the)\b.{0,60}\bapp\b",
        r"get (?:the|our)\b.{0,60}\b(?:app|newsletter)\b",
        r"click here\b",
        r"tap here\b",
        r"(?:get|want) (?:the|our) (?:latest|best|top)\b.{0,80}\b(?:inbox|newsletter|email)",
        r"(?:the )?\w+ newsletter\b.{0,80}(?:inbox|sign up|subscribe)",
        r"(?:thanks|thank you) for (?:signing up|subscribing|reading)\b",
        r"(?:want|looking) (?:more|to (?:read|know) more)\b.{0,60}\?",
        r"(?:email|write to|contact) \w+(?: \w+){0,3} (?:at|on) \S+@\S+",
        r"(?:have|got) a (?:news )?tip\b",
        r"support (?:our|independent) (?:journalism|reporting)\b",
        r"become a (?:member|subscriber|patron)\b",
        r"listen (?:to|on) (?:the|our)\b.{0,40}\bpodcast\b",
        r"(?:get|enjoy) unlimited (?:access|digital access)\b",
        r"already a subscriber\b",
        r"to continue reading\b",
        r"share (?:this|the) (?:article|story|post)\b",
        r"share on (?:facebook|twitter|x|whatsapp|linkedin)\b",
        r"like this (?:story|article)\b",
        r"send us (?:your|a)\b",
        r"download (?:it )?on the app store\b",
        r"get it on google play\b",
        r"available on the app store\b",
        r"tell us what you think\b",
        r"let us know (?:what you think|in the comments)\b",
        r"get access to\b.{0,80}\b(?:subscription|premium|pro)\b",
    ),
    "de": (
        r"(?:abonnieren|abonniere) sie\b",
        r"jetzt (?:abonnieren|anmelden|registrieren|herunterladen|downloaden|lesen)\b",
        r"melden sie sich\b.{0,60}\bnewsletter",
        r"(?:folgen|folge) (?:sie )?(?:uns|\S+ auf)\b",
        r"laden sie (?:unsere|die)\b.{0,60}\bapp\b",
        r"(?:hier|jetzt) (?:klicken|geht es)\b",
        r"(?:der|unser) \w+-?newsletter\b",
        r"sie möchten\b.{0,80}\b(?:newsletter|abonnieren)",
        r"treten sie\b.{0,60}\b(?:whatsapp|telegram)",
    ),
    "fr": (
        r"abonnez-vous\b",
        r"inscrivez-vous\b",
        r"suivez(?:-nous| nous| \S+ sur)\b",
        r"rejoignez(?:-nous| nous| notre)\b",
        r"téléchargez (?:notre|l'application|l’application)\b",
        r"recevez\b.{0,80}\b(?:newsletter|lettre d'information|lettre d’information)",
        r"cliquez ici\b",
        r"(?:partagez|partager) (?:cet|l')article\b",
    ),
    "es": (
        r"suscríbete\b",
        r"suscríbase\b",
        r"regístrate\b",
        r"síguenos\b",
        r"sigue a \S+ en\b",
        r"únete a (?:nuestro|nuestra)\b",
        r"descarga (?:nuestra|la) app\b",
        r"haz clic aquí\b",
        r"recibe\b.{0,80}\b(?:newsletter|boletín)",
    ),
    "it": (r"iscriviti\b", r"seguici\b", r"scarica (?:la|l')app\b"),
    "pt": (r"assine\b", r"inscreva-se\b", r"siga-nos\b", r"baixe o app\b"),
}

# Strong call-to-action phrases that may stand anywhere in a short block.
CALL_TO_ACTION_ANYWHERE: Mapping[str, tuple[str, ...]] = {
    "en": (
        r"\b(?:whatsapp|telegram) (?:group|channel|community)\b",
        r"\bdelivered (?:straight |directly )?to your inbox\b",
        r"\bsign up (?:for|to) (?:our|the)\b.{0,40}\bnewsletters?\b",
        r"\bsubscribe to (?:our|the)\b.{0,40}\b(?:newsletters?|channel|podcast)\b",
        r"\bfollow us on\b",
        r"\bdownload (?:our|the) (?:free )?\w*\s?app\b",
        r"\bthere was an error processing your subscription\b",
        r"\bkeep an eye on your inbox\b",
        r"\byou're (?:now )?subscribed\b",
        r"\b\d+ issues for\b",
        r"\bfor as little as\b.{0,40}\b(?:a|per|first) (?:month|year|week)\b",
    ),
    "de": (r"\bnewsletter abonnieren\b", r"\bwhatsapp-kanal\b", r"\bfolgen sie uns\b"),
    "fr": (r"\binscrivez-vous à (?:notre|la) newsletter\b", r"\bsuivez-nous sur\b"),
    "es": (r"\bsuscríbete a (?:nuestro|nuestra|la)\b", r"\bsíguenos en\b"),
}

# Photo credits and captions. Matched on short blocks only.
CAPTION_PATTERNS: Mapping[str, tuple[str, ...]] = {
    "en": (
        r"^(?:photo|photos|photograph|picture|image|images|video|graphic|illustration|credit|photo credit|image credit|image source|source)s?\s*(?::|by\b|credit\b)",
        r"^\(?(?:photo|image|picture|credit)s?\s*[:/]",
        r"(?:^|[(/|:;©])\s*(?:getty images?|afp(?: via getty images)?|reuters|ap photo|ap|pa|pa wire|pa images|epa|shutterstock|alamy|istock(?:photo)?|dpa|anp|rex features|rex/shutterstock|bloomberg|associated press)(?:/\w+)?\)?\s*$",
        r"^©",
        r"^copyright\s*:\s*\S",
        r"\bphoto(?:graph)?:\s*\S",
    ),
    "de": (
        r"^(?:foto|fotos|bild|bilder|quelle|titelbild|beitragsbild|symbolbild)\s*:",
        r"(?:^|\s)(?:foto|bild):\s*\S",
    ),
    "fr": (
        r"^(?:photo|crédit|crédits|illustration)s?\s*:",
        r"^crédits? photos?\s*:",
        r"\bcrédit photo\b",
    ),
    "es": (r"^(?:foto|fotos|imagen|crédito)s?\s*:", r"\bfoto:\s*\S"),
}

# Cookie and consent notices left in the body.
CONSENT_PATTERNS: Mapping[str, tuple[str, ...]] = {
    "en": (
        r"\bwe use cookies\b",
        r"\b(?:this|our) (?:site|website) uses cookies\b",
        r"\buses? cookies to\b",
        r"\baccept (?:all )?cookies\b",
        r"\bcookie (?:policy|settings|preferences|consent)\b",
        r"\bby continuing to (?:use|browse|visit)\b",
        r"\bmanage (?:your )?(?:cookie|privacy) (?:settings|preferences|choices)\b",
        r"\byour privacy choices\b",
    ),
    "de": (
        r"\bwir verwenden cookies\b",
        r"\bdiese (?:website|seite) (?:verwendet|nutzt) cookies\b",
        r"\bcookies (?:akzeptieren|zulassen)\b",
        r"\bcookie-einstellungen\b",
        r"\bdatenschutzeinstellungen\b",
    ),
    "fr": (
        r"\bnous utilisons des cookies\b",
        r"\bce site utilise des cookies\b",
        r"\baccepter (?:les|tous les) cookies\b",
        r"\bgérer (?:les|mes) cookies\b",
        r"\ben poursuivant votre navigation\b",
    ),
    "es": (
        r"\butilizamos cookies\b",
        r"\beste sitio (?:web )?utiliza cookies\b",
        r"\baceptar (?:las |todas las )?cookies\b",
        r"\bpolítica de cookies\b",
        r"\bsi continúa navegando\b",
    ),
}

# Who speaks to whom: the reader addressed (second person) or the site speaking of
# itself ("we", "our", "this site", "this article"). Prose reports what others said;
# clutter talks to the reader. One signal among several, never enough alone.
ADDRESS_PATTERNS: Mapping[str, tuple[str, ...]] = {
    "en": (
        # "us", not "US" (the country).
        r"\b(?:you|your|yours|you're|you've|we|we're|we've|(?-i:[Uu]s)|our|ours)\b",
        r"\bthis (?:site|website|article|story|post|page|content)\b",
    ),
    "de": (
        r"\b(?:du|dich|dir|dein\w*|euch|euer|eure\w*|wir|uns|unser\w*|ihnen|ihre[mnrs]?)\b",
        r"\b(?:diese[rs]?|dieser) (?:beitrag|artikel|text|seite|website|inhalt)\b",
    ),
    "fr": (
        r"\b(?:vous|votre|vos|nous|notre|nos|tu|ton|ta|tes)\b",
        r"\b(?:cet article|ce site|ce contenu|cette page)\b",
    ),
    "es": (
        r"\b(?:usted|ustedes|tú|tu|tus|nosotros|nuestr[oa]s?)\b",
        r"\b(?:este artículo|este sitio|este contenido|esta página)\b",
    ),
    "it": (
        r"\b(?:voi|vostr[oaie]|noi|nostr[oaie]|tuo|tua|tuoi|tue)\b",
        r"\b(?:questo articolo|questo sito|questo contenuto)\b",
    ),
    "pt": (
        r"\b(?:você|vocês|nós|noss[oa]s?|seu|sua)\b",
        r"\b(?:este artigo|este site|este conteúdo)\b",
    ),
    "nl": (
        r"\b(?:jij|jouw|uw|wij|(?-i:[Oo]ns)|onze)\b",
        r"\b(?:dit artikel|deze site|deze website|deze inhoud)\b",
    ),
}

# An embed's placeholder, shown until the reader consents: "To view this content,
# accept cookies". With a consent word (CONSENT_WORDS) it is a consent block.
EMBED_PLACEHOLDER_PATTERNS: Mapping[str, tuple[str, ...]] = {
    "en": (
        r"\b(?:view|see|show|display|load|watch|play) (?:this|the) (?:\w+ )?(?:content|video|post|tweet|embed|media|map|podcast)\b",
        r"\b(?:this|the) (?:\w+ )?(?:content|video|post|embed|media) (?:is|was|has been|cannot be) (?:blocked|provided|hosted|shown|displayed|loaded)\b",
        r"\b(?:external|third[- ]party|embedded) (?:content|media|provider)\b",
    ),
    "de": (
        r"\b(?:externe[rn]?|eingebettete[rn]?) (?:inhalte?|medien)\b",
        r"\binhalte? (?:anzeigen|laden|sehen|abspielen)\b",
        r"\bum (?:diesen|den|externe) (?:inhalte?|beitrag|video)\b",
    ),
    "fr": (
        r"\bcontenus? (?:externes?|tiers|bloqués?)\b",
        r"\b(?:afficher|voir|visualiser|charger) (?:ce|le) (?:contenu|vidéo|média)\b",
    ),
    "es": (
        r"\bcontenidos? (?:externos?|de terceros|bloqueados?)\b",
        r"\b(?:ver|mostrar|cargar|visualizar) (?:este|el) (?:contenido|vídeo|video)\b",
    ),
    "it": (
        r"\bcontenut[oi] (?:estern[oi]|di terze parti|bloccat[oi])\b",
        r"\b(?:visualizzare|vedere|caricare) (?:questo|il) contenuto\b",
    ),
    "pt": (
        r"\bconteúdos? (?:externos?|de terceiros|bloqueados?)\b",
        r"\b(?:ver|visualizar|carregar) (?:este|o) conteúdo\b",
    ),
    "nl": (
        r"\bexterne (?:inhoud|content)\b",
        r"\b(?:deze|de) (?:inhoud|content|video) (?:bekijken|tonen|laden)\b",
    ),
}

# A click asked for, at the start of a block: with an embed placeholder's words, the
# block is the placeholder's button text ("Click the button below to load the content
# from ...").
CLICK_PATTERNS: Mapping[str, tuple[str, ...]] = {
    "en": (r"\b(?:click|tap)\b",),
    "de": (r"\b(?:klicken|klicke|klick|tippen)\b",),
    "fr": (r"\b(?:cliquez|cliquer|clique)\b",),
    "es": (r"\b(?:haz|haga|pulsa|pulse) clic\b", r"\bclica\b"),
    "it": (r"\b(?:clicca|cliccare|clicchi)\b",),
    "pt": (r"\b(?:clique|clicar|toque)\b",),
    "nl": (r"\b(?:klik|klikken)\b",),
}

# The words of consent an embed's placeholder asks for.
CONSENT_WORDS: Mapping[str, tuple[str, ...]] = {
    "en": (
        r"\bcookies?\b",
        r"\bconsent\b",
        r"\bprivacy (?:settings|preferences)\b",
        r"\b(?:accept|allow|enable)\b",
    ),
    "de": (
        r"\bcookies?\b",
        r"\b(?:einwilligung|zustimmung|zustimmen|akzeptieren)\b",
        r"\bdatenschutz",
    ),
    "fr": (r"\bcookies?\b", r"\b(?:consentement|accepter|acceptez|autoriser)\b"),
    "es": (r"\bcookies?\b", r"\b(?:consentimiento|aceptar|acepta|permitir)\b"),
    "it": (r"\bcookies?\b", r"\b(?:consenso|accettare|accetta|consentire)\b"),
    "pt": (r"\bcookies?\b", r"\b(?:consentimento|aceitar|aceite|permitir)\b"),
    "nl": (r"\bcookies?\b", r"\b(?:toestemming|accepteren|accepteer|toestaan)\b"),
}

_SOCIAL = (
    r"(?:twitter|x|facebook|instagram|tiktok|youtube|linkedin|threads|bluesky|mastodon"
    r"|telegram|whatsapp|snapchat|pinterest|google news|flipboard)"
)

# The kinds of prompt a site addresses to its reader, each a model of its vocabulary
# (a pattern matches a phrase of the kind anywhere in the block). A match is one signal;
# the rule in clean.py wants structural signals besides (short, at the body's edge,
# speaking to the reader, a link, an e-mail address or handle ...) before removing.
# The kinds map to ``removed`` kinds in clean.py.
PROMPT_PATTERNS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    # Tip lines and contact prompts: "Got a story? Email our newsroom ...".
    "contact": {
        "en": (
            r"\b(?:got|have|has|had) (?:a|any) (?:news )?(?:story|stories|tip|tips|tip-off|information)\b",
            r"\b(?:were|have) you (?:been )?(?:affected|involved|impacted|there)\b",
            r"\b(?:contact|email|e-mail|message|call|text|tell|write to|get in touch with|reach|dm|whatsapp) (?:us|our (?:\w+ )?(?:newsroom|team|desk|reporters?|editors?|journalists?)|the (?:newsroom|news ?desk|editors?))\b",
            r"\bshare (?:your|a|any) (?:story|stories|experience|experiences|views|photos?|videos?|tips?)\b",
            r"\bsend (?:us )?(?:your|a) (?:story|stories|tips?|photos?|videos?|letter)\b",
            r"\bletters? to the editor\b",
            r"\breach (?:the |our )?(?:reporters?|writers?|authors?|correspondents?)\b.{0,30}\b(?:on|at|via)\b",
        ),
        "de": (
            r"\b(?:schreiben|kontaktieren|erzählen|schicken|senden) sie uns\b",
            r"\b(?:schreib|schreibt|kontaktiere|erzähl) uns\b",
            r"\b(?:haben|hast) (?:sie|du) (?:eine?n?|einen) (?:geschichte|hinweis|tipp|frage)\b",
            r"\b(?:hinweis|tipp|kontakt)e? (?:an|zur|für die) (?:die |unsere )?redaktion\b",
            r"\bwaren (?:sie|du) (?:betroffen|dabei)\b",
        ),
        "fr": (
            r"\b(?:contactez|écrivez|écrivez-nous|racontez|envoyez)[- ]nous\b",
            r"\b(?:vous avez|avez-vous) (?:une|un|des) (?:histoire|info|information|témoignage|question)s?\b",
            r"\btémoignez\b",
            r"\bpartagez (?:votre|vos) (?:histoire|témoignage|expérience)s?\b",
        ),
        "es": (
            r"\b(?:contáctanos|contáctenos|escríbenos|escríbanos|envíanos|envíenos|cuéntanos|cuéntenos)\b",
            r"\b(?:tienes|tiene) (?:una|alguna|algún) (?:historia|denuncia|información|pista)\b",
            r"\bcomparte (?:tu|su) (?:historia|experiencia|testimonio)\b",
        ),
        "it": (
            r"\b(?:scrivici|contattaci|raccontaci|segnalaci|scriveteci|contattateci)\b",
            r"\b(?:hai|avete) (?:una|un|qualche) (?:storia|segnalazione|notizia)\b",
        ),
        "pt": (
            r"\b(?:fale conosco|contacte-nos|contate-nos|escreva-nos|envie-nos|conte-nos)\b",
            r"\b(?:tem|você tem) (?:uma|alguma) (?:história|denúncia|informação)\b",
        ),
        "nl": (
            r"\b(?:mail|tip|bel|schrijf|app) ons\b",
            r"\bneem contact (?:met ons )?op\b",
            r"\btip (?:de|onze) redactie\b",
            r"\b(?:heb|hebt|heeft) (?:je|u) (?:een|ook een) (?:verhaal|tip)\b",
        ),
    },
    # Follow-us lines and newsletter pitches.
    "follow": {
        "en": (
            rf"\bfollow\b(?:\W+\w+){{0,6}}\W+(?:on|at) {_SOCIAL}\b",
            r"\bfollow\b(?:\W+\w+){0,4}\W+@\w",
            r"\b(?:newsletters?|briefing|bulletin|podcast)\b.{0,80}\b(?:sign up|subscribe|inbox|register)\b",
            r"\b(?:sign up|subscribe|register)\b.{0,80}\b(?:newsletters?|briefing|bulletin|inbox)\b",
            rf"\b(?:our|the) (?:\w+ )?{_SOCIAL} (?:channel|group|page|account|community)\b",
            r"\b(?:download|get|install)\b.{0,60}\bapps?\b",
            r"\bapps? (?:for|on) (?:ios|android|iphone)\b",
            r"\bfollow (?:\w+['’]s |our |the )?(?:full |live |latest |all )*coverage\b",
        ),
        "de": (
            rf"\bfolg(?:en|t|e)?\b(?:\W+\w+){{0,6}}\W+auf {_SOCIAL}\b",
            r"\bnewsletter\b.{0,80}\b(?:abonnieren|anmelden|bestellen|postfach)\b",
            r"\b(?:abonnieren|anmelden|bestellen)\b.{0,80}\bnewsletter\b",
            r"\bmit unserem newsletter\b",
            r"\bunsere[nm]? \w*newsletter\b",
            r"\bmelde dich\b.{0,60}\bnewsletter\b",
            r"\b(?:laden|lade|holen|hol) (?:sie )?(?:sich )?(?:jetzt )?(?:unsere|die)\b.{0,40}\bapp\b",
            rf"\bunser(?:em|en)? {_SOCIAL}[- ]?kanal\b",
        ),
        "fr": (
            rf"\bsuivez\b(?:\W+\w+){{0,6}}\W+sur {_SOCIAL}\b",
            r"\bnewsletter\b.{0,80}\b(?:inscri\w*|abonne\w*|boîte)",
            r"\btéléchargez (?:notre|l['’])\b.{0,40}\bapp",
            rf"\bnotre (?:chaîne|compte|groupe) {_SOCIAL}\b",
            r"\blettre d['’]information\b.{0,80}\b(?:inscri\w*|abonne\w*|boîte)",
            r"\b(?:inscrivez|abonnez)[- ]vous\b.{0,80}\b(?:newsletter|lettre)\b",
        ),
        "es": (
            rf"\bs[ií]g(?:uenos|anos|ue a|a a)\b(?:\W+\w+){{0,6}}\W+en {_SOCIAL}\b",
            r"\b(?:newsletter|boletín)\b.{0,80}\b(?:suscr\w*|regístr\w*|bandeja)",
            rf"\búnete\b.{{0,60}}\b(?:canal|grupo)\b.{{0,20}}\b{_SOCIAL}\b",
            rf"\b(?:nuestro|tenemos|nuevo) canal (?:de|en) {_SOCIAL}\b",
            r"\bdescarga (?:nuestra|la)\b.{0,40}\bapp\b",
        ),
        "it": (
            rf"\bseguic[ih]\b(?:\W+\w+){{0,6}}\W+su {_SOCIAL}\b",
            r"\bnewsletter\b.{0,80}\biscri\w*",
        ),
        "pt": (
            rf"\bsiga(?:-nos)?\b(?:\W+\w+){{0,6}}\W+n[oa] {_SOCIAL}\b",
            r"\bnewsletter\b.{0,80}\b(?:assin\w*|inscrev\w*|cadastr\w*)",
        ),
        "pl": (
            rf"\b(?:obserwuj|śledź)(?:cie)? nas\b(?:\W+\w+){{0,4}}\W+(?:na|w) {_SOCIAL}\b",
            r"\bzapraszamy (?:też |również |także )?do (?:subskrypcji|obserwowania|zapisania)",
            r"\b(?:subskrybuj|zapisz się)\b.{0,60}\b(?:newsletter|tygodni\w*|kanał\w*)",
        ),
        "nl": (
            rf"\bvolg\b(?:\W+\w+){{0,6}}\W+op {_SOCIAL}\b",
            r"\bnieuwsbrief\b.{0,80}\b(?:aanmelden|abonneer\w*|inbox|inschrijven)\b",
        ),
    },
    # The site's marketing and legal notices: affiliate links, partners' offers.
    "notice": {
        "en": (
            r"\baffiliate (?:links?|commissions?|partners?|programs?)\b",
            r"\b(?:earn|receive|get|make) (?:a )?(?:small )?(?:commission|fee|share of (?:the )?(?:sales?|revenue))\b",
            r"\bif you (?:buy|purchase|shop|click)\b.{0,60}\b(?:links?|through)\b",
            r"\b(?:offers|promotions|messages|information) from (?:our|selected|trusted|third[- ]party) (?:\w+ ){0,2}partners\b",
            r"\b(?:sponsored|supported|paid for) by\b",
            r"\bpaid (?:partnership|promotion|content)\b",
            r"\bindependently (?:selected|chosen|reviewed)\b",
            r"\b(?:receive|earn|get) (?:a )?(?:small )?compensation\b",
            r"\bproducts? from (?:one or more of )?our (?:advertisers|partners|sponsors)\b",
            r"\bcomments? (?:are|is|will be) (?:moderated|reviewed|approved)\b",
        ),
        "de": (
            r"\baffiliate-?links?\b",
            r"\b(?:enthält|beinhaltet) (?:werbung|affiliate\S*|anzeigen?|provisions?\S*|produktplatzierung)",
            r"\bprovision\b.{0,60}\b(?:erhalten|bekommen)\b",
            r"\b(?:angebote|informationen) (?:von|unserer) (?:\w+ )?partner\b",
            r"\bkommentare? (?:werden|wird) (?:\w+ )?(?:moderiert|geprüft|freigeschaltet)\b",
        ),
        "fr": (
            r"\bliens? (?:d['’])?affili\w*",
            r"\b(?:contient|comporte) (?:des )?(?:liens|publicité|contenu sponsorisé)\b",
            r"\b(?:percevoir|percevons|touchons|toucher) une commission\b",
            r"\boffres (?:de|des) (?:nos |ses )?partenaires\b",
        ),
        "es": (
            r"\benlaces? (?:de )?afiliad\w*",
            r"\b(?:recibimos|podemos recibir|obtenemos|ganamos) una comisión\b",
            r"\bofertas de (?:nuestros|sus) (?:socios|patrocinadores|colaboradores)\b",
            r"\bcomentarios?\b.{0,80}\b(?:moderad\w*|aprobad\w*)",
        ),
        "it": (
            r"\blink (?:di )?affiliazione\b",
            r"\b(?:riceviamo|potremmo ricevere) una commissione\b",
            r"\bofferte (?:dei|di) (?:nostri )?partner\b",
        ),
        "pt": (
            r"\blinks? (?:de )?afiliad\w*",
            r"\b(?:recebemos|podemos receber) (?:uma )?comissão\b",
            r"\bofertas de (?:nossos|seus) parceiros\b",
            r"\bcomentários?\b.{0,80}\b(?:moderad\w*|aprovad\w*)",
        ),
        "nl": (
            r"\baffiliate[- ]links?\b",
            r"\b(?:ontvangen|krijgen) (?:wij |we )?(?:een )?commissie\b",
            r"\baanbiedingen van (?:onze )?partners\b",
        ),
    },
    # Log-in and paywall prompts: "Log in to keep reading", "Already a subscriber?".
    "paywall": {
        "en": (
            r"\b(?:log|sign)[- ]?in\b(?:\s+(?:to|here|now|with|or)\b|\W*$)",
            r"\b(?:subscribe|register|join)\b.{0,40}\b(?:to|and) (?:continue|keep|start|read|access|unlock|enjoy)\b",
            r"\b(?:continue|keep|start) reading\b",
            r"\balready (?:a )?(?:subscriber|member|registered)\b",
            r"\balready have an account\b",
            r"\b(?:unlock|unlimited|full|get) (?:digital )?access\b",
            r"\b(?:for|to) (?:our )?subscribers(?: only)?\b",
            r"\bcreate (?:a |your )?(?:free )?account\b",
            r"\bsubscribe\b.{0,40}\b(?:to (?:view|see|read|access)|for full access)\b",
            r"\b(?:to )?(?:view|read|see) the (?:full|whole|complete|rest of the) (?:story|article)\b",
        ),
        "de": (
            r"\b(?:einloggen|anmelden|registrieren|eingeloggt)\b",
            r"\bweiterlesen\b",
            r"\b(?:bereits|schon) (?:abonnent|abonniert|registriert)\w*",
            r"\b(?:für|nur für) abonnenten\b",
            r"\b(?:den )?(?:ganzen|vollständigen|kompletten) artikel\b.{0,40}\b(?:lesen|abo)",
        ),
        "fr": (
            r"\b(?:connectez-vous|se connecter|identifiez-vous|connecté)\b",
            r"\bdéjà abonnée?\b",
            r"\b(?:lire|voir) la suite\b",
            r"\bréservée? aux abonnés\b",
            r"\bpour (?:lire|accéder)\b.{0,60}\b(?:abonn\w*|illimité)",
        ),
        "es": (
            r"\binicia(?:r)? sesión\b",
            r"\bya (?:eres|es) (?:suscriptor|socio|miembro)\b",
            r"\b(?:seguir|continúa|continuar|sigue) leyendo\b",
            r"\b(?:exclusivo|solo) para (?:suscriptores|socios)\b",
            r"\b(?:la nota|la noticia|el artículo) complet[oa]\b",
        ),
        "it": (
            r"\baccedi\b",
            r"\bgià abbonato\b",
            r"\bcontinua a leggere\b",
            r"\briservato agli abbonati\b",
        ),
        "pt": (
            r"\bfaça (?:o )?login\b",
            r"\bjá é assinante\b",
            r"\bcontinue (?:lendo|a ler)\b",
            r"\b(?:exclusivo|só) para assinantes\b",
        ),
        "nl": (
            r"\binloggen\b",
            r"\bal abonnee\b",
            r"\b(?:lees|verder) (?:verder|lezen)\b",
            r"\balleen voor abonnees\b",
        ),
    },
    # Appeals for money or membership: "Support our journalism", "Become a member".
    "support": {
        "en": (
            r"\bsupport (?:our|independent|quality|local) (?:\w+ )?(?:journalism|reporting|work|newsroom)\b",
            r"\bbecome a (?:member|supporter|subscriber|patron|friend of)\b",
            r"\b(?:donate|make a (?:donation|contribution)|contribute) (?:to|today|now|here)\b",
            r"\bhelp us\b.{0,60}\b(?:journalism|reporting|free|independent|donat\w*|fund\w*|support\w*)\b",
            r"\bif you (?:enjoy|enjoyed|like|liked|value|valued|appreciate|appreciated) (?:this|our|reading)\b.{0,100}\b(?:join|subscribe|support|donate|become a)\b",
        ),
        "de": (
            r"\bunterstütze[nr]? (?:sie )?(?:uns|unsere arbeit|unseren journalismus|\w+ (?:bereits|schon|jetzt|mit))\b",
            r"\b(?:jetzt )?(?:spenden|mitglied werden|förderer werden)\b",
        ),
        "fr": (
            r"\bsoutenez(?:-nous| notre| nos| le journalisme)\b",
            r"\bdevenez (?:membre|abonnée?|donateur|soutien)\b",
            r"\bfaites un don\b",
        ),
        "es": (
            r"\bhazte (?:miembro|socio|suscriptor|mecenas)\b",
            r"\bapoya (?:nuestro|el|al) (?:periodismo|trabajo|medio)\b",
            r"\b(?:haz|realiza) (?:una|tu) (?:donación|aportación)\b",
        ),
        "it": (
            r"\bsostieni(?:ci)? (?:il nostro|il|l['’]informazione)\b",
            r"\bdiventa (?:socio|membro|abbonato|sostenitore)\b",
            r"\bfai una donazione\b",
        ),
        "pt": (
            r"\bapoie (?:o nosso|o|nosso) (?:jornalismo|trabalho)\b",
            r"\b(?:torne-se|seja) (?:membro|assinante|apoiador)\b",
        ),
        "nl": (
            r"\bsteun (?:ons|onze|de onafhankelijke)\b",
            r"\bword (?:lid|abonnee|donateur)\b",
        ),
    },
}

# Page furniture that trafilatura sometimes keeps: whole short blocks equal to (or
# starting with, for the patterns) these. Whole-block phrases:
BOILERPLATE_LINES: Mapping[str, tuple[str, ...]] = {
    "en": (
        "advertisement",
        "advertising",
        "sponsored",
        "sponsored content",
        "story continues below",
        "story continues below advertisement",
        "article continues below",
        "continue reading below",
        "scroll to continue with content",
        "share",
        "share this",
        "share this article",
        "share this story",
        "tweet",
        "email",
        "print",
        "print article",
        "comments",
        "comment",
        "leave a comment",
        "order reprints",
        "thank you",
        "an error has occurred, please try again later.",
        "an error has occurred, please try again later",
        "this article has been sent to",
        "loading",
        "loading...",
        "close",
        "skip advert",
        "back to top",
        "view comments",
        "show comments",
        "tags",
        "topics",
    ),
    "de": (
        "anzeige",
        "werbung",
        "teilen",
        "drucken",
        "kommentare",
        "artikel teilen",
        "themen",
        "schlagworte",
    ),
    "fr": ("publicité", "partager", "imprimer", "commentaires", "lire la suite", "mots-clés"),
    "es": ("publicidad", "compartir", "imprimir", "comentarios", "anuncio", "temas", "etiquetas"),
    "pt": ("publicidade", "compartilhar", "comentários", "tópicos", "etiquetas"),
    "it": ("pubblicità", "condividi", "commenti", "argomenti"),
}

# Furniture that opens a short block: tag lists, copyright, reprint notices.
BOILERPLATE_PATTERNS: Mapping[str, tuple[str, ...]] = {
    "en": (
        r"^(?:tags|tagged|topics|filed under|categories|category)\s*:",
        r"^(?:copyright|\(c\)|©)\s*(?:\d{4}|by\b|the\b)",
        r"\ball rights reserved\b",
        r"^this (?:copy|article) is for your personal,? non-?commercial use only\b",
        r"^(?:originally|first) published (?:on|in|at)\b",
        r"^this (?:article|story|post) (?:was )?(?:originally|first) (?:appeared|published)\b",
        r"^(?:published|updated|last updated|posted)\s*(?:on|at|:)?\s*\d",
        r"^(?:published|updated|last updated|posted)\s*(?:on|at|:)?\s*(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)",
        r"^reading time\b",
        r"^\d+ min(?:ute)?s? read$",
        # A comment counter, an advertisement's label before its pitch, a bare
        # newsletter heading ("Example Times Newsletter").
        r"^(?:\d+ comments?|comments?\s*[:(]\s*\d+\)?)$",
        r"^(?:no comments(?: yet)?|be the first to comment)\s*(?:[(.:!]|$)",
        r"^you are not (?:currently )?(?:logged|signed) in\b",
        r"^(?:advertisement|sponsored|anzeige|werbung|publicidad|publicité|pubblicità)\s*[-–—:|]\s",
        r"^(?:[\w'’.&-]+ ){0,3}newsletters?$",
        # An agency sign-off standing alone: editors' initials and agencies ("dpa/lnw",
        # "abc/AFP").
        r"^\(?[a-zäöüß]{2,4}(?:/[a-zäöüß]{2,5}){1,3}\)?$",
        # The page's word to a reader whose browser does not run its scripts or is old
        # (forum software prints both atop every thread).
        r"^javascript (?:is|has been|seems to be) (?:disabled|turned off|deactivated)"
        r"(?: in your (?:web )?browser)?\s*[.!]",
        r"^(?:please )?(?:enable|turn on|activate) javascript\b",
        r"^you(?: are|['’]re) using an? (?:outdated|out[- ]of[- ]date|old|unsupported)"
        r" (?:web )?browser\b",
        r"^your (?:web )?browser is (?:outdated|out of date|(?:no longer |not )supported)\b",
    ),
    "de": (
        r"^(?:schlagworte|themen|stichworte|kategorien?|rubrik)\s*:",
        r"^(?:lesezeit|lesedauer)\b",
        r"^\d+ min(?:uten)? (?:lesezeit|lesedauer)$",
        r"^(?:kommentare(?: insgesamt)?\s*[:(]\s*\d+\)?|\d+ kommentare?)$",
        r"^(?:noch )?keine kommentare(?: vorhanden| bisher)?\s*(?:[(.:!]|$)",
        r"^(?:sie sind|du bist) (?:aktuell |derzeit |momentan )?nicht (?:eingeloggt|angemeldet)\b",
        r"^(?:veröffentlicht|aktualisiert) am\b",
        r"^(?:letzte änderung|zuletzt (?:aktualisiert|geändert))\b\W*\d",
        r"^javascript ist (?:deaktiviert|ausgeschaltet|abgeschaltet)"
        r"(?: in (?:deinem|ihrem) browser)?\s*[.!]",
        r"^(?:bitte )?(?:aktiviere|aktivieren sie) (?:bitte )?javascript\b",
        r"^(?:du verwendest|du nutzt|sie verwenden|sie nutzen) einen (?:veralteten|alten)"
        r" (?:web)?browser\b",
        r"^(?:dein|ihr) browser (?:ist veraltet|wird nicht (?:mehr )?unterstützt)\b",
    ),
    "fr": (
        r"^(?:mots-clés|thèmes|catégories?|rubrique)\s*:",
        r"^(?:publié|mis à jour) le\b",
        r"^(?:temps de lecture|lecture\s*:?\s*\d+ min)",
        r"^\d+ commentaires?$",
        r"^aucun commentaire(?: pour le moment)?\s*(?:[(.:!]|$)",
        r"^vous n['’]êtes pas connectée?\b",
        r"^javascript est désactivé(?: dans votre navigateur)?\s*[.!]",
        r"^(?:veuillez )?activer javascript\b",
        r"^vous utilisez un navigateur (?:obsolète|ancien|non pris en charge|périmé)\b",
    ),
    "es": (
        r"^(?:etiquetas|temas|categorías?|sección)\s*:",
        r"^(?:publicado|actualizado) (?:el|a las)\b",
        r"^(?:tiempo de lectura|lectura de \d+ min)",
        r"^\d+ comentarios?$",
        r"^(?:sin comentarios|no hay comentarios)(?: todavía| aún)?\s*(?:[(.:!]|$)",
        r"^javascript está desactivado(?: en (?:tu|su) navegador)?\s*[.!]",
        r"^(?:por favor,? )?(?:activa|habilita|active|habilite) javascript\b",
        r"^(?:estás|está) (?:usando|utilizando) un navegador (?:obsoleto|antiguo|desactualizado)\b",
    ),
    "pt": (
        r"^tempo de leitura\b",
        r"^(?:publicado|atualizado) (?:em|por)\b",
        r"^o javascript está desativado\b",
        r"^(?:você está|está a) (?:usando|utilizar) um navegador (?:desatualizado|antigo)\b",
    ),
    "it": (
        r"^(?:tempo di lettura|lettura di \d+ min)",
        r"^(?:argomenti|categori[ae])\s*:",
        r"^javascript è disabilitato\b",
        r"^stai (?:usando|utilizzando) un browser (?:obsoleto|non aggiornato|datato)\b",
    ),
    "nl": (
        r"^leestijd\b",
        r"^(?:tags|categorie|rubriek)\s*:",
        r"^javascript is uitgeschakeld\b",
        r"^(?:je gebruikt|u gebruikt) een verouderde browser\b",
    ),
    "pl": (r"^(?:ten )?tekst przeczytasz\b", r"^czas czytania\b", r"^(?:tagi|kategoria)\s*:"),
}


def all_entries(table: Mapping[str, Iterable[str]]) -> tuple[str, ...]:
    """Every entry of a table, whatever its language, without duplicates, in order."""
    seen: dict[str, None] = {}
    for entries in table.values():
        for entry in entries:
            seen.setdefault(entry, None)
    return tuple(seen)
