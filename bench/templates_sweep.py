"""Evidence for the site-template defaults (README, "Site templates"), and their cost.

Made-up sites of 150 articles: every article carries one template line; a real formula
("The ministry did not respond ...") is placed at random on a share f of them. Records
are cleaned as the crawl pipeline cleans them (held until 20 articles were seen, then on
arrival). For each k and share: on how many of 20 sites the formula was removed from
any record, and how many records kept the template line. Then the time learning and
removal take per record against an SQLite state file.

    .venv/bin/python bench/templates_sweep.py
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from newsbot.extraction.site_templates import TemplateRules, split_blocks
from newsbot.state.sqlite import SqliteStateStore
from newsbot.state.template_memory import SqliteTemplateMemory, observe, strip_template

FORMULA = "The ministry did not respond to a request for comment."
LINE = "Join the Quayside Circle: members keep our reporters on the water all winter"
WORDS = [
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
ARTICLES = 150
HOLD = 20
DRAWS = 20


def prose(seed: int, paragraphs: int = 5) -> list[str]:
    rng = random.Random(seed)
    return [
        " ".join(rng.choice(WORDS) for _ in range(30)).capitalize() + f" ({seed}-{i})."
        for i in range(paragraphs)
    ]


def site(share_with_formula: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for n in range(ARTICLES):
        paragraphs = prose(seed * 1000 + n)
        paragraphs.insert(2, LINE)
        if rng.random() < share_with_formula:
            paragraphs.append(FORMULA)
        texts.append("\n\n".join(paragraphs))
    return texts


def trial(rules: TemplateRules, texts: list[str]) -> tuple[bool, int]:
    """Whether the formula was removed anywhere; how many records kept the line."""
    memory = SqliteTemplateMemory()
    formula_lost, line_kept = False, 0
    pending = []
    for index, text in enumerate(texts):
        blocks = split_blocks(text)
        observe(memory, "site", blocks, rules, time.time())
        pending.append((text, blocks))
        if index + 1 < HOLD:
            continue
        for held, held_blocks in pending:
            result = strip_template(memory, "site", held, held_blocks, rules)
            formula_lost |= FORMULA in result.lines
            line_kept += LINE not in result.lines
        pending = []
    memory.close()
    return formula_lost, line_kept


def main() -> None:
    shares = (0.1, 0.25, 0.4)
    sites = {f: [site(f, seed) for seed in range(DRAWS)] for f in shares}
    print(f"{DRAWS} made-up sites of {ARTICLES} articles per formula share f; hold {HOLD}")
    for k in (3, 5, 8):
        for min_share in (0.3, 0.5, 0.7):
            rules = TemplateRules(min_articles=k, min_share=min_share)
            cells = []
            for f in shares:
                results = [trial(rules, texts) for texts in sites[f]]
                lost = sum(r[0] for r in results)
                kept = sum(r[1] for r in results)
                cells.append(f"f={f:.2f}: formula removed on {lost:2d}/{DRAWS}, line kept {kept}")
            print(f"k={k} share={min_share}: " + "; ".join(cells))
    with tempfile.TemporaryDirectory() as folder:
        store = SqliteStateStore(Path(folder) / "bench.sqlite3", "bench")
        memory = SqliteTemplateMemory(store.db)
        rules = TemplateRules()
        texts = [t for f in shares for t in sites[f][0]]
        started = time.perf_counter()
        for text in texts:
            blocks = split_blocks(text)
            observe(memory, "site", blocks, rules, time.time())
            strip_template(memory, "site", text, blocks, rules)
        elapsed = (time.perf_counter() - started) / len(texts) * 1000
        store.close()
    print(f"learning and removal: {elapsed:.3f} ms a record (SQLite state file)")


if __name__ == "__main__":
    main()
