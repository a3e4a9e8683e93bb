"""The shape of the code, checked from its imports (read with ``ast``, nothing run).

docs/architecture.md draws the layers; these tests keep the drawing true:
- no import cycle, between modules or between the top-level parts of ``newsbot``
  (imports inside functions count: they run too, only later);
- the pure parts (the core modules, ``extraction/``, ``discovery/``) import neither
  Scrapy nor Twisted, directly or through another newsbot module;
- the WARC and dataset paths reach no pipeline and no settings module;
- every ``NEWSBOT_*`` setting read anywhere has its default defined once, in
  ``newsbot/defaults.py``, no read repeats it, and each is documented.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "newsbot"

# Scrapy-free by design: what the crawl, `newsbot extract`, the WARC reader and the
# dataset export share.
PURE = (
    "newsbot.defaults",
    "newsbot.items",
    "newsbot.records",
    "newsbot.canonical_urls",
    "newsbot.dates",
    "newsbot.sources",
    "newsbot.schema",
    "newsbot.extraction",
    "newsbot.discovery",
    "newsbot.export",
    "newsbot.warc.reader",
    "newsbot.warc.to_records",
    "newsbot.pool",
)
# Run without a crawler: they must not need one.
CRAWLER_FREE = ("newsbot.warc.to_records", "newsbot.warc.reader", "newsbot.export")
FORBIDDEN_FOR_CRAWLER_FREE = ("newsbot.pipelines", "newsbot.settings")


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str) -> tuple[set[str], set[str]]:
    """The newsbot modules and the outside top-level packages *module* imports."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    inner: set[str] = set()
    outer: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # `from package import module` depends on the module, not on the package.
            names = [
                f"{stem}.{alias.name}" if f"{stem}.{alias.name}" in MODULES else stem
                for alias in node.names
            ]
        for name in names:
            if name == "newsbot" or name.startswith("newsbot."):
                target = _resolve(name)
                if target and target != module:
                    inner.add(target)
            else:
                outer.add(name.split(".")[0])
    return inner, outer


GRAPH: dict[str, set[str]] = {}
OUTSIDE: dict[str, set[str]] = {}
for _name in MODULES:
    GRAPH[_name], OUTSIDE[_name] = _imports(_name)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _part(module: str) -> str:
    """The top-level part of newsbot a module belongs to (a folder or a module)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "newsbot"


def _within(module: str, prefixes: Iterable[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _reach(start: str) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for nxt in GRAPH[todo.pop()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_the_graph_is_read() -> None:
    # A check that reads nothing passes everything: the graph must hold known edges.
    assert "newsbot.records" in GRAPH["newsbot.pipelines.validate"]
    assert "scrapy" in OUTSIDE["newsbot.pipelines.validate"]
    assert len(MODULES) > 80


def test_no_import_cycle_between_modules() -> None:
    assert _cycles(GRAPH) == []


def test_no_import_cycle_between_top_level_parts() -> None:
    parts: dict[str, set[str]] = {}
    for module, targets in GRAPH.items():
        for target in targets:
            if _part(module) != _part(target):
                parts.setdefault(_part(module), set()).add(_part(target))
    assert _cycles(parts) == []


def test_pure_parts_import_no_scrapy_nor_twisted() -> None:
    offenders = {}
    for module in MODULES:
        if not _within(module, PURE):
            continue
        for reached in _reach(module):
            bad = OUTSIDE[reached] & {"scrapy", "twisted", "itemadapter"}
            if bad:
                offenders[module] = (reached, sorted(bad))
    assert offenders == {}


def test_warc_and_dataset_paths_need_no_crawler() -> None:
    offenders = {}
    for module in MODULES:
        if _within(module, CRAWLER_FREE):
            bad = {m for m in _reach(module) if _within(m, FORBIDDEN_FOR_CRAWLER_FREE)}
            if bad:
                offenders[module] = sorted(bad)
    assert offenders == {}


# --- Settings ---------------------------------------------------------------------

_GETTERS = {"get", "getint", "getfloat", "getbool", "getlist", "getdict", "getpriority"}


def _setting_reads() -> list[tuple[str, str, ast.expr | None]]:
    """Every ``settings.get*("NEWSBOT_...", fallback)`` in newsbot: (where, name, fallback)."""
    reads = []
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _GETTERS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and node.args[0].value.startswith("NEWSBOT_")
            ):
                fallback = node.args[1] if len(node.args) > 1 else None
                reads.append((f"{module}:{node.lineno}", node.args[0].value, fallback))
    return reads


def _defined(path: Path) -> list[str]:
    names = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign):
            targets = [node.target]
        names += [t.id for t in targets if isinstance(t, ast.Name) and t.id.startswith("NEWSBOT_")]
    return names


def test_every_newsbot_setting_has_one_default_and_its_docs() -> None:
    reads = _setting_reads()
    assert len(reads) > 40  # the reads were found
    defaults = _defined(PACKAGE / "defaults.py")
    assert len(defaults) == len(set(defaults)), "a default defined twice in defaults.py"
    # Defined nowhere else (the settings module imports them from defaults.py).
    elsewhere = {
        module: names
        for module, path in MODULES.items()
        if module != "newsbot.defaults" and (names := _defined(path))
    }
    assert elsewhere == {}
    unknown = sorted({f"{where} {name}" for where, name, _ in reads if name not in defaults})
    assert unknown == []
    # A fallback names the default (defaults.NEWSBOT_X); a literal would be a second copy.
    repeated = [
        f"{where} {name}"
        for where, name, fallback in reads
        if fallback is not None
        and not (isinstance(fallback, ast.Attribute) and fallback.attr == name)
    ]
    assert repeated == []
    docs = (ROOT / "README.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))
    )
    documented = set(re.findall(r"`(NEWSBOT_[A-Z0-9_]+)", docs))
    assert sorted(set(defaults) - documented) == []
