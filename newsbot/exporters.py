"""Item exporters."""

from __future__ import annotations

import json
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exporters import BaseItemExporter


class JsonLinesExporter(BaseItemExporter):
    """JSON Lines, UTF-8 (not ``\\u``-escaped), one whole line per write, flushed at
    once: a crawl killed at any moment leaves only complete lines in its output."""

    def __init__(self, file: Any, **kwargs: Any):
        super().__init__(dont_fail=True, **kwargs)
        self.file = file

    def export_item(self, item: Any) -> None:
        data = ItemAdapter(item).asdict()
        if self.fields_to_export:
            data = {k: data.get(k) for k in self.fields_to_export}
        line = json.dumps(data, ensure_ascii=False, default=str) + "\n"
        self.file.write(line.encode(self.encoding or "utf-8"))
        self.file.flush()
