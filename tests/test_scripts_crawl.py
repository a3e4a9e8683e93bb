"""Articles in scripts written without spaces make records, with a sensible length.

Chinese, Japanese and Thai put no spaces between words, so counting ``\\w+`` runs made a
whole sentence one or two "words": the length gate (``NEWSBOT_MIN_WORDS``) dropped
their articles and ``word_count`` meant nothing for them. Three made-up articles, one
per script, are served on 127.0.0.1 and crawled with the ``urls`` spider through the
real pipelines; each must come out as one record whose ``word_count`` is about the
number of its characters.
"""

from __future__ import annotations

import json
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from faultserver import run_crawl

import newsbot.settings
from newsbot.extraction.pagekind import classify_page


@dataclass(frozen=True)
class Page:
    lang: str
    site: str
    title: str
    author: str
    paragraphs: tuple[str, ...]

    def html(self, *, metadata: bool = True) -> str:
        ld = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": self.title,
            "datePublished": "2025-03-08T09:30:00+08:00",
            "author": {"@type": "Person", "name": self.author},
            "publisher": {"@type": "Organization", "name": self.site},
            "inLanguage": self.lang,
        }
        head = (
            f'<meta property="og:type" content="article">'
            f'<meta property="og:title" content="{self.title}">'
            f'<meta property="og:site_name" content="{self.site}">'
            f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
            if metadata
            else ""
        )
        body = "\n".join(f"<p>{p}</p>" for p in self.paragraphs)
        return (
            f'<!DOCTYPE html><html lang="{self.lang}"><head><meta charset="utf-8">'
            f"<title>{self.title} - {self.site}</title>{head}</head><body>"
            f'<header><nav><a href="/">{self.site}</a> <a href="/news/">新闻 · ニュース · ข่าว</a>'
            f"</nav></header><main><article><h1>{self.title}</h1>"
            f'<div class="byline">{self.author}</div>\n{body}\n</article></main>'
            f"<footer><p>© 2025 {self.site}</p></footer></body></html>"
        )


PAGES = {
    "zh": Page(
        lang="zh-CN",
        site="城市日报",
        title="杭州地铁十号线北段正式开通运营",
        author="王晓燕",
        paragraphs=(
            "经过四年多的建设，杭州地铁十号线北段于本周六上午正式开通运营。这条线路全长约十二"
            "公里，共设九座车站，连接城北多个大型居住区和新建的科技园区。",
            "市交通运输局负责人在开通仪式上表示，新线路投入使用后，从城北到市中心的通勤时间将由"
            "原来的一个多小时缩短到三十五分钟左右。早晚高峰期间，列车最小发车间隔为四分钟，平峰"
            "时段约为七分钟。",
            "开通首日，不少市民专程前来体验。家住祥符街道的退休教师李先生说，过去去医院看病要换乘"
            "两趟公交车，现在步行十分钟就能到站，“方便多了，孩子们上班也不用再起那么早”。",
            "据介绍，十号线各车站均配备了无障碍电梯、母婴室和自助充电设施，部分车站还设置了自行车"
            "停放区。运营公司提醒乘客，开通初期客流较大，请大家合理安排出行时间，注意乘车安全。",
            "根据规划，十号线南段预计将于明年年底建成，届时全线将与现有的三条地铁线路实现换乘，"
            "进一步完善城市轨道交通网络。",
        ),
    ),
    "ja": Page(
        lang="ja",
        site="みなと新聞",
        title="市立図書館が改装を終えて再開、子ども向けの読書スペースを拡充",
        author="佐藤健一",
        paragraphs=(
            "改装工事のため昨年秋から休館していた市立中央図書館が、今月一日に再開した。館内は"
            "全面的に見直され、子ども向けの読書スペースが従来の二倍に広がったほか、静かに勉強"
            "できる個別の学習席も新たに六十席設けられた。",
            "再開初日は開館前から入り口に行列ができ、午前中だけでおよそ千二百人が訪れた。三歳の"
            "娘と一緒に来た会社員の女性は「絵本のコーナーが明るくなって、床に座って読めるのが"
            "うれしい。週末はここで過ごすことになりそう」と笑顔で話した。",
            "図書館によると、改装では建物の耐震補強も行い、照明をすべて発光ダイオードに切り替え"
            "た。電子書籍の貸し出しサービスも始まり、利用者は自宅のパソコンやスマートフォンから、"
            "約三千冊の本を借りることができる。",
            "館長の田中由美子さんは「地域の人が気軽に立ち寄れる、居心地のよい場所にしたい。来月"
            "からは高校生によるボランティアの読み聞かせ会も予定している」と話している。",
        ),
    ),
    "th": Page(
        lang="th",
        site="ข่าวเมืองหลวง",
        title="กรุงเทพฯ เปิดเส้นทางเรือโดยสารคลองใหม่ ช่วยลดเวลาเดินทางของคนทำงาน",
        author="สมชาย ใจดี",
        paragraphs=(
            "กรุงเทพมหานครเปิดให้บริการเรือโดยสารสาธารณะในคลองสายหลักอีกหนึ่งเส้นทางเมื่อเช้าวัน"
            "จันทร์ที่ผ่านมา เส้นทางใหม่มีความยาวประมาณสิบเอ็ดกิโลเมตร มีท่าเรือทั้งหมดสิบสองแห่ง "
            "และเชื่อมต่อกับสถานีรถไฟฟ้าสองสถานี",
            "ผู้อำนวยการสำนักการจราจรและขนส่งกล่าวว่า เรือแต่ละลำรับผู้โดยสารได้ครั้งละสามสิบคน "
            "ให้บริการทุกวันตั้งแต่หกโมงเช้าถึงหนึ่งทุ่ม และในช่วงเวลาเร่งด่วนจะมีเรือออกทุกสิบห้านาที "
            "ค่าโดยสารอยู่ที่สิบห้าบาทตลอดสาย",
            "นางสาวพิมพ์ชนก ซึ่งทำงานเป็นพนักงานบริษัทย่านประตูน้ำ เล่าว่าเดิมต้องใช้เวลานั่งรถ"
            "ประจำทางเกือบชั่วโมงครึ่งในตอนเช้า แต่เมื่อเปลี่ยนมาใช้เรือ เวลาเดินทางเหลือเพียง"
            "สี่สิบนาที และไม่ต้องเผชิญกับรถติดบนถนน",
            "ทั้งนี้ กรุงเทพมหานครระบุว่าจะติดตามจำนวนผู้ใช้บริการในช่วงสามเดือนแรก เพื่อนำข้อมูล"
            "ไปปรับปรุงตารางเวลาเดินเรือ และพิจารณาขยายเส้นทางไปยังพื้นที่ชานเมืองในปีหน้า",
        ),
    ),
}
# A sentence of each article that its record's text must hold.
SENTENCES = {
    "zh": "开通首日，不少市民专程前来体验。",
    "ja": "再開初日は開館前から入り口に行列ができ、午前中だけでおよそ千二百人が訪れた。",
    "th": "ค่าโดยสารอยู่ที่สิบห้าบาทตลอดสาย",
}


def letters(text: str) -> int:
    """The letters of *text* (its Unicode categories L*), counted one by one: the yardstick
    the crawl's word counts are held to, independent of how newsbot counts."""
    return sum(unicodedata.category(ch).startswith("L") for ch in text)


class _Handler(BaseHTTPRequestHandler):
    pages: dict[str, bytes]

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        body = self.pages.get(self.path)
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")


@pytest.fixture
def site() -> Iterator[str]:
    """The three articles, served on 127.0.0.1 (port 0) at /<lang>/<date>/<slug>."""
    pages = {f"/{key}/2025/03/08/story.html": page.html().encode() for key, page in PAGES.items()}
    handler = type("Handler", (_Handler,), {"pages": pages})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.slow
def test_a_crawl_writes_one_record_per_article_with_a_sensible_word_count(site, tmp_path):
    urls = {key: f"{site}/{key}/2025/03/08/story.html" for key in PAGES}
    result = run_crawl(tmp_path, args={"urls": ",".join(urls.values())})

    assert result.returncode == 0, result.stderr[-2000:]
    assert sorted(r["url"] for r in result.records) == sorted(urls.values()), result.log[-3000:]
    records = {key: next(r for r in result.records if r["url"] == url) for key, url in urls.items()}
    for key, page in PAGES.items():
        record = records[key]
        assert record["title"] == page.title
        assert SENTENCES[key] in record["text"], key
        # A word a character: about the article's letters (the text may keep a byline or
        # lose a line, not more), and far above the gate it used to fail.
        expected = letters("".join(page.paragraphs))
        assert 0.9 * expected <= record["word_count"] <= 1.1 * expected, (key, expected)
        assert record["word_count"] >= 4 * newsbot.settings.NEWSBOT_MIN_WORDS, key
    assert result.stat("newsbot/dropped/too_short") == 0


@pytest.mark.parametrize("key", sorted(PAGES))
def test_an_article_without_metadata_is_told_from_an_index_page_by_its_prose(key):
    # No JSON-LD, no og:type, a URL of no telling shape: the prose alone must say
    # "article", which it cannot when a paragraph of 100 characters is 5 "words".
    html = PAGES[key].html(metadata=False)
    verdict = classify_page(html, f"https://news.example/{key}/story")
    assert verdict.is_article, verdict.reason
