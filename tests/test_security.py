"""Security: nobody steers the crawler at private addresses, files or the shell.

- the private-address guard, unit-tested with a stub resolver (what a public name that
  resolves to a private address looks like) and through real crawls on 127.0.0.1;
- feed and sitemap XML: no external entities, no entity bombs, no gzip bombs;
- telnet and remote-control consoles off by default;
- no user value reaches a shell, eval or a path outside the output and state folders.
"""

from __future__ import annotations

import gzip
import re
import time
from pathlib import Path

import pytest
import scrapy
from faultserver import FaultServer, article_paragraphs, run_crawl
from scrapy.exceptions import IgnoreRequest
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

import newsbot
from newsbot import settings as project_settings
from newsbot.middlewares.guard import PrivateAddressGuard
from newsbot.sources import SourcesError, load_sources

PACKAGE = Path(newsbot.__file__).resolve().parent


class _Spider(scrapy.Spider):
    name = "guarded"


def _guard(resolved: dict[str, list[str]], **settings) -> PrivateAddressGuard:
    crawler = get_crawler(_Spider, settings_dict=settings)
    crawler.spider = _Spider()

    async def resolver(host: str, port: int) -> list[str]:
        if host not in resolved:
            raise OSError(f"no such host {host}")
        return resolved[host]

    guard = PrivateAddressGuard.from_crawler(crawler)
    guard.resolver = resolver
    return guard


def _allowed(guard: PrivateAddressGuard, url: str) -> bool:
    # The stub resolver never suspends, so the coroutine runs to its end in one step;
    # no event loop needed (another test's reactor may own the loop).
    coroutine = guard.process_request(scrapy.Request(url))
    try:
        coroutine.send(None)
    except StopIteration:
        return True
    except IgnoreRequest:
        return False
    raise AssertionError("the guard waited on something other than the stub resolver")


DNS = {
    "news.example": ["93.184.216.34"],
    "sneaky.example": ["127.0.0.1"],
    "half.example": ["93.184.216.34", "10.1.2.3"],
    "metadata.example": ["169.254.169.254"],
    "v6.example": ["2606:2800:220:1:248:1893:25c8:1946"],
    "v6-local.example": ["::1"],
    "mapped.example": ["::ffff:192.168.1.1"],
}


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://news.example/story", True),
        ("http://v6.example/", True),
        ("http://93.184.216.34/", True),
        ("http://sneaky.example/", False),  # public-looking name, loopback address
        ("http://half.example/", False),  # any private address among the answers
        ("http://metadata.example/latest/", False),
        ("http://v6-local.example/", False),
        ("http://mapped.example/", False),
        ("http://127.0.0.1:6379/", False),
        ("http://10.0.0.1/", False),
        ("http://172.16.5.4/", False),
        ("http://192.168.0.1/", False),
        ("http://169.254.169.254/", False),
        ("http://224.0.0.1/", False),  # multicast
        ("http://0.0.0.0/", False),
        ("http://[::1]/", False),
        ("http://[fe80::1]/", False),
        ("http://[fc00::1]/", False),
        ("http://100.64.0.1/", False),  # carrier-grade NAT
        ("file:///etc/passwd", False),
        ("ftp://news.example/x", False),
        ("data:text/html,hello", False),
    ],
)
def test_guard_refuses_non_public_addresses_and_schemes(url, allowed):
    assert _allowed(_guard(DNS), url) is allowed


def test_guard_counts_and_names_the_reason(caplog):
    guard = _guard(DNS)
    assert not _allowed(guard, "http://sneaky.example/")
    assert not _allowed(guard, "file:///etc/passwd")
    stats = guard.crawler.stats
    assert stats.get_value("newsbot/guard/refused/private_address") == 1
    assert stats.get_value("newsbot/guard/refused/scheme") == 1
    assert "sneaky.example is 127.0.0.1" in caplog.text


def test_opt_in_by_setting_by_spider_attribute_and_by_network():
    assert _allowed(_guard(DNS, NEWSBOT_ALLOW_PRIVATE_ADDRESSES=True), "http://sneaky.example/")
    guard = _guard(DNS)
    guard.crawler.spider.allow_private = True  # a source's allow_private = true
    assert _allowed(guard, "http://10.0.0.1/")
    # Schemes are never opened up.
    assert not _allowed(guard, "file:///etc/passwd")
    narrow = _guard(DNS, NEWSBOT_ALLOWED_NETWORKS=["10.1.0.0/16"])
    assert _allowed(narrow, "http://10.1.9.9/")
    assert not _allowed(narrow, "http://10.2.0.1/")


# -- real crawls on 127.0.0.1 --------------------------------------------------------


@pytest.mark.slow
def test_crawl_refuses_loopback_by_default_however_spelled(tmp_path):
    with FaultServer() as server:
        port = server.port
        urls = [
            f"http://127.0.0.1:{port}/article/a",
            f"http://localhost:{port}/article/b",  # a name resolving to loopback
            f"http://2130706433:{port}/article/c",  # 127.0.0.1 as one number
            f"http://127.1:{port}/article/d",
            f"http://[::ffff:127.0.0.1]:{port}/article/e",
        ]
        result = run_crawl(
            tmp_path,
            args={"urls": ",".join(urls)},
            settings={"NEWSBOT_ALLOW_PRIVATE_ADDRESSES": False},
        )
        hits = sum(len(v) for v in server.hits.values())
    assert result.returncode == 0, result.stderr[-2000:]
    assert hits == 0
    assert result.records == []
    assert result.stat("newsbot/guard/refused/private_address") == len(urls)
    assert "Traceback" not in result.log
    # The consoles stay shut.
    assert "Telnet console listening" not in result.log
    assert "TelnetConsole" not in result.log.split("Enabled extensions", 1)[-1].split("]", 1)[0]


@pytest.mark.slow
def test_crawl_refuses_a_redirect_to_a_private_address(tmp_path):
    # The first server is allowed by network; the redirect target, another loopback
    # address, is not: the redirect must be checked, not just the start URL.
    with FaultServer() as public, FaultServer(host="127.0.0.2") as private:
        target = private.url("/article/secret")
        result = run_crawl(
            tmp_path,
            args={"urls": f"{public.url('/to')}?url={target},{public.url('/article/ok')}"},
            settings={
                "NEWSBOT_ALLOW_PRIVATE_ADDRESSES": False,
                "NEWSBOT_ALLOWED_NETWORKS": ["127.0.0.1/32"],
            },
        )
        private_hits = sum(len(v) for v in private.hits.values())
    assert result.returncode == 0, result.stderr[-2000:]
    assert private_hits == 0
    assert [r["url"] for r in result.records] == [public.url("/article/ok")]
    assert result.stat("newsbot/guard/refused/private_address") == 1
    assert "secret" in "".join(result.log_lines("WARNING"))


@pytest.mark.slow
def test_crawl_with_allow_private_source_fetches_loopback(tmp_path):
    with FaultServer() as server:
        result = run_crawl(
            tmp_path,
            args={"urls": server.url("/article/mine"), "allow_private": "true"},
            settings={"NEWSBOT_ALLOW_PRIVATE_ADDRESSES": False},
        )
    assert len(result.records) == 1
    assert article_paragraphs("mine")[0] in result.records[0]["text"]


@pytest.mark.slow
def test_crawl_refuses_a_redirect_to_another_scheme(tmp_path):
    with FaultServer() as server:
        result = run_crawl(tmp_path, args={"urls": server.url("/to?url=file:///etc/passwd")})
    assert result.returncode == 0
    assert result.records == []
    assert "root:" not in result.log


# -- consoles ------------------------------------------------------------------------


def test_telnet_and_remote_control_consoles_are_off_by_default():
    settings = Settings()
    settings.setmodule(project_settings)
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False
    assert settings.getbool("REMOTE_CONTROL_ENABLED", False) is False


# -- XML: feeds and sitemaps -----------------------------------------------------------

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://news.example/&xxe;</loc></url></urlset>"""

LAUGHS = (
    b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
"""
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b"""]>
<rss version="2.0"><channel><title>&lol9;</title><item><link>https://news.example/a</link></item></channel></rss>"""
)


def test_sitemap_and_feed_parsing_resolve_no_external_entities():
    from newsbot.discovery.feeds import parse_feed
    from newsbot.discovery.sitemaps import parse_sitemap

    for parse in (parse_sitemap, parse_feed):
        try:
            parsed = parse(XXE, "https://news.example/")
        except ValueError:
            continue  # refused outright: fine
        assert "root:" not in repr(parsed)


def test_entity_expansion_bomb_is_refused_quickly():
    from newsbot.discovery.feeds import parse_feed
    from newsbot.discovery.sitemaps import parse_sitemap

    for parse in (parse_feed, parse_sitemap):
        started = time.monotonic()
        try:
            parsed = parse(LAUGHS, "https://news.example/")
        except ValueError:
            parsed = None
        assert time.monotonic() - started < 1.0
        assert "lollollol" not in repr(parsed)


def test_gzip_bomb_sitemap_is_capped():
    from newsbot.discovery.safexml import TooLargeError
    from newsbot.discovery.sitemaps import parse_sitemap

    head = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    bomb = gzip.compress(head + b" " * (200 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 1024 * 1024  # small on the wire
    started = time.monotonic()
    with pytest.raises(TooLargeError):
        parse_sitemap(bomb, "https://news.example/", max_bytes=10 * 1024 * 1024)
    assert time.monotonic() - started < 2.0


# -- user values -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["../../etc", "a/b", "..", ".hidden", "x" * 65, "a b", "$(id)"])
def test_source_names_that_could_escape_the_output_folder_are_rejected(tmp_path, name):
    path = tmp_path / "sources.toml"
    path.write_text(
        f'[[source]]\nname = "{name}"\nkind = "urls"\nurls = ["https://news.example/"]\n'
    )
    with pytest.raises(SourcesError, match="name"):
        load_sources(path)


def test_no_code_path_hands_values_to_a_shell_or_eval():
    # newsbot never needs a shell or dynamic code: any of these appearing in the
    # package is a hole for a crafted source file or spider argument. (pickle is
    # fine: only the worker pool uses it, on its own pipes.)
    forbidden = re.compile(
        r"\b(eval|exec)\(|os\.system\(|os\.popen\(|shell\s*=\s*True|yaml\.load\("
    )
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in PACKAGE.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if forbidden.search(line)
    ]
    assert offenders == []
