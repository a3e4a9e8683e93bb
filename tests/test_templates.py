"""Site templates learned across articles (issue #18), without a crawl: the pure rules
of :mod:`newsbot.extraction.site_templates` and the memory of :mod:`newsbot.state.template_memory`
in SQLite and in a real Redis. Each rule both ways: the template line goes, the real
line that looks like it stays."""

from __future__ import annotations

import random
import time

import pytest
from redis_server import RedisServer, redis_server_binary

from newsbot.extraction.site_templates import TemplateRules, site_of, split_blocks
from newsbot.state.template_memory import (
    RedisTemplateMemory,
    SqliteTemplateMemory,
    TemplateMemory,
    observe,
    strip_template,
)

RULES = TemplateRules(min_articles=5, min_share=0.5)
_WORDS = [
    "council",
    "harbour",
    "bridge",
    "river",
    "market",
    "school",
    "budget",
    "festival",
    "railway",
    "hospital",
    "library",
    "ferry",
    "weather",
    "season",
    "farmers",
    "volunteers",
    "museum",
    "station",
    "tram",
    "garden",
    "residents",
    "mayor",
    "plans",
    "repairs",
    "opening",
    "funding",
    "inspectors",
    "report",
    "survey",
    "vote",
    "crews",
    "traffic",
]
BOILERPLATE = "Join the Quayside Circle: members keep our reporters on the water all winter"
FORMULA = "The ministry did not respond to a request for comment."
QUOTE = '"Nobody told us the bridge would shut for a month," said a shopkeeper, Ana Lund.'


def prose(seed: int, paragraphs: int = 5) -> list[str]:
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(_WORDS) for _ in range(30)).capitalize() + f" ({seed}-{i})."
        for i in range(paragraphs)
    ]


def text_of(paragraphs: list[str]) -> str:
    return "\n\n".join(paragraphs)


def learn_all(memory: TemplateMemory, texts: list[str], site: str = "example.com") -> None:
    for text in texts:
        observe(memory, site, split_blocks(text), RULES, time.time())


def clean(memory: TemplateMemory, text: str, site: str = "example.com"):
    return strip_template(memory, site, text, split_blocks(text), RULES)


@pytest.fixture
def memory():
    store = SqliteTemplateMemory()
    yield store
    store.close()


def test_a_line_on_every_article_goes_and_the_article_stays_whole(memory):
    texts = [text_of([*prose(n)[:2], BOILERPLATE, *prose(n)[2:]]) for n in range(12)]
    learn_all(memory, texts)
    for n, text in enumerate(texts):
        result = clean(memory, text)
        assert result.text == text_of(prose(n)), n
        assert result.removed == 1 and result.lines == (BOILERPLATE,)


def test_a_quote_two_articles_share_and_a_formula_some_carry_stay(memory):
    texts = []
    for n in range(30):
        paragraphs = prose(n)
        if n in (3, 4):
            paragraphs.insert(1, QUOTE)
        if n % 6 == 0:  # five articles in thirty: a formula, not the site's frame
            paragraphs.append(FORMULA)
        texts.append(text_of(paragraphs))
    learn_all(memory, texts)
    for text in texts:
        assert clean(memory, text).removed == 0


def test_a_formula_on_most_articles_is_the_sites_frame(memory):
    # The other side of the share rule: the same line on 24 of 30 articles goes.
    texts = [text_of([*prose(n), FORMULA] if n % 5 else prose(n)) for n in range(30)]
    learn_all(memory, texts)
    assert clean(memory, texts[1]).lines == (FORMULA,)


def test_a_line_needs_min_articles(memory):
    texts = [text_of([*prose(n), BOILERPLATE]) for n in range(4)]
    learn_all(memory, texts)
    assert clean(memory, texts[0]).removed == 0
    learn_all(memory, [text_of([*prose(99), BOILERPLATE])])
    assert clean(memory, texts[0]).removed == 1


def test_syndicated_copies_do_not_teach(memory):
    # One wire story and its closing line, carried by eight copies with the site's own
    # headings around it: the story's lines are not the site's template.
    story = prose(7)
    sign_off = "Reporting by the wire desk; editing by Ola Berg"
    copies = [text_of([f"Update {n}", *story, sign_off]) for n in range(8)]
    learn_all(memory, copies)
    assert clean(memory, copies[0]).removed == 0
    # ... while eight different articles with the line teach it.
    learn_all(memory, [text_of([*prose(100 + n), sign_off]) for n in range(8)])
    assert clean(memory, copies[0]).lines == (sign_off,)


def test_a_line_that_is_most_of_an_article_stays(memory):
    notice = " ".join(["This page lists the harbour tides for the week ahead"] * 4)
    # Pages that are mostly the notice do not teach it ...
    pages = [text_of([notice, f"Tides for week {n}"]) for n in range(12)]
    learn_all(memory, pages)
    assert clean(memory, pages[0]).removed == 0
    # ... articles where it is a small part do, and lose it ...
    articles = [text_of([*prose(500 + n, 8), notice]) for n in range(12)]
    learn_all(memory, articles)
    assert clean(memory, articles[0]).lines == (notice,)
    # ... and still a page that is mostly the notice keeps it: it is that page's text.
    assert clean(memory, pages[0]).removed == 0


def test_a_fixed_lead_with_a_changing_headline_is_one_block(memory):
    texts = [
        text_of([*prose(n), f"Elsewhere on the coast: {' '.join(prose(n + 50)[0].split()[:7])}"])
        for n in range(10)
    ]
    learn_all(memory, texts)
    fresh = text_of([*prose(77), "Elsewhere on the coast: Ferry strike ends after nine days"])
    assert clean(memory, fresh).lines == (
        "Elsewhere on the coast: Ferry strike ends after nine days",
    )


def test_a_recurring_lead_before_a_quote_or_a_sentence_is_no_lead_line(memory):
    # 'He added: "..."' and datelines recur on most articles of some sites: real text.
    texts = [
        text_of(
            [
                f"LONDON - {prose(n)[0]}",
                *prose(n)[1:],
                f'He added: "{" ".join(prose(n + 90)[0].split()[:8])}"',
            ]
        )
        for n in range(12)
    ]
    learn_all(memory, texts)
    assert all(clean(memory, text).removed == 0 for text in texts)


def test_sites_are_learned_apart(memory):
    texts = [text_of([*prose(n), BOILERPLATE]) for n in range(10)]
    learn_all(memory, texts, site="example.com")
    assert clean(memory, texts[0], site="example.org").removed == 0
    assert site_of("https://news.example.co.uk/a") == site_of("https://www.example.co.uk/b")
    assert site_of("https://example.co.uk/") != site_of("https://other.co.uk/")


def test_the_memory_is_bounded_and_pruned(memory):
    memory.max_blocks = 300
    texts = [text_of([*prose(n), BOILERPLATE]) for n in range(400)]
    learn_all(memory, texts)
    blocks = memory.blocks("example.com")
    assert len(blocks) <= 300
    # The one-off lines of old articles went; the template line stays, counted in all.
    assert blocks[0][1].sample == BOILERPLATE and blocks[0][1].count == 400
    assert clean(memory, texts[0]).removed == 1
    assert memory.prune(time.time() + 1) == len(blocks)
    assert memory.sites() == {}


def test_the_memory_lasts_in_the_state_file(tmp_path):
    from newsbot.state.sqlite import SqliteStateStore

    texts = [text_of([*prose(n), BOILERPLATE]) for n in range(8)]
    store = SqliteStateStore(tmp_path / "src.sqlite3", "src")
    learn_all(SqliteTemplateMemory(store.db), texts)
    store.close()
    store = SqliteStateStore(tmp_path / "src.sqlite3", "src")
    assert clean(SqliteTemplateMemory(store.db), texts[0]).removed == 1
    store.close()


@pytest.fixture
def redis_memory(tmp_path):
    if redis_server_binary() is None:
        pytest.skip("redis-server is not installed (scripts/ensure-services.sh)")
    server = RedisServer(tmp_path / "redis").start()
    try:
        yield lambda: RedisTemplateMemory(server.client(), "newsbot:src", ttl=3600)
    finally:
        server.stop()


def test_two_workers_share_one_memory_in_redis(redis_memory):
    first, second = redis_memory(), redis_memory()
    texts = [text_of([*prose(n), BOILERPLATE]) for n in range(10)]
    learn_all(first, texts[:5])
    learn_all(second, texts[5:])
    assert first.sites() == {"example.com": 10}
    assert clean(second, texts[0]).lines == (BOILERPLATE,)
    assert clean(first, text_of([*prose(3), FORMULA])).removed == 0
    top = second.blocks("example.com")[0][1]
    assert (top.sample, top.count) == (BOILERPLATE, 10)
    assert first.client.ttl("newsbot:src:state:templates") > 0
    assert first.prune(time.time() + 1) > 0
    assert first.sites() == {}


def test_paragraphs_too_long_for_template_are_kept_and_do_not_break_learning(memory):
    long_paragraph = " ".join(prose(1234, 4))  # over 600 characters: prose, never template
    texts = [text_of([long_paragraph + f" ({n})", *prose(n), BOILERPLATE]) for n in range(10)]
    learn_all(memory, texts)
    result = clean(memory, texts[0])
    assert result.lines == (BOILERPLATE,)
    assert result.text.startswith(long_paragraph)


def test_what_observe_hands_on_is_what_the_memory_then_holds(memory):
    # The removal right after learning reuses observe's figures instead of reading the
    # memory again: they must be the memory's own.
    texts = [text_of([*prose(n)[:2], BOILERPLATE, *prose(n)[2:]]) for n in range(12)]
    for text in texts:
        blocks = split_blocks(text)
        observed = observe(memory, "example.com", blocks, RULES, time.time())
        keys = [key for block in blocks for key in block.keys]
        articles, known = memory.lookup("example.com", keys)
        assert observed.articles == articles
        assert {k: (s.count, s.first_n) for k, s in observed.known.items()} == {
            k: (s.count, s.first_n) for k, s in known.items()
        }
        with_copy = strip_template(memory, "example.com", text, blocks, RULES, observed=observed)
        assert with_copy == strip_template(memory, "example.com", text, blocks, RULES)
    assert BOILERPLATE not in (with_copy.text or "")
