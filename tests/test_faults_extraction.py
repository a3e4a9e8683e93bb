"""A page whose extraction hangs or kills its worker costs that page only.

The crawl runs the real extraction pipeline and worker pool; the test extractor
(tests/faultserver.py: faulty_extract_page) hangs on, or SIGKILLs its worker for, pages
that carry a marker, standing in for an extractor stuck in native code or an OOM kill.
"""

from __future__ import annotations

import time

import pytest
from faultserver import FaultServer, article_paragraphs, run_crawl

# Each test runs newsbot's commands in a subprocess.
pytestmark = pytest.mark.slow

NAMES = [f"fine{i}" for i in range(8)]


def test_hung_and_crashed_extractions_cost_only_their_page(tmp_path):
    with FaultServer() as server:
        urls = [server.url(f"/article/{n}") for n in NAMES[:4]]
        urls += [server.url("/slow-extract"), server.url("/crash-extract")]
        urls += [server.url(f"/article/{n}") for n in NAMES[4:]]
        started = time.monotonic()
        result = run_crawl(
            tmp_path,
            args={"urls": ",".join(urls)},
            settings={"TEST_FAULTY_EXTRACTION": True, "NEWSBOT_EXTRACT_TIMEOUT": 3},
        )
        elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.log
    got = {r["url"].rsplit("/", 1)[1]: r["text"] for r in result.records}
    assert sorted(got) == sorted(NAMES)
    for name in NAMES:
        assert article_paragraphs(name)[0] in got[name]
    # The hung page is given up at the time limit, not waited on for ever.
    assert elapsed < 45
    assert "slow-extract" in result.log and "crash-extract" in result.log
    assert result.stat("newsbot/extract/error/extraction_worker_crashed") == 1
    timed_out = [
        k for k in result.stats if k.startswith("newsbot/extract/error/extraction_timed_out")
    ]
    assert [result.stat(k) for k in timed_out] == [1]
