"""Module paths a user may have written keep working after a rename (issue #16), with a
ScrapyDeprecationWarning naming the new path, as Scrapy does for its moved components
(shown by default, where Python hides a DeprecationWarning)."""

from __future__ import annotations

import importlib.util
import sys
import warnings

import pytest
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.utils.misc import load_object

from newsbot.pipelines.page_to_record import ExtractionPipeline

# The old path, as README and ITEM_PIPELINES named it, and the new one.
MOVED = {
    "newsbot.pipelines.extract.ExtractionPipeline": (
        "newsbot.pipelines.page_to_record.ExtractionPipeline"
    ),
}


@pytest.mark.parametrize(("old", "new"), sorted(MOVED.items()))
def test_an_old_component_path_still_loads_with_a_warning(monkeypatch, old, new):
    # Imported afresh, as a new crawl process does when its settings name the old path.
    monkeypatch.delitem(sys.modules, old.rpartition(".")[0], raising=False)
    with pytest.warns(ScrapyDeprecationWarning, match=new.replace(".", r"\.")) as caught:
        component = load_object(old)
    assert component is load_object(new)
    assert len([w for w in caught if issubclass(w.category, ScrapyDeprecationWarning)]) == 1


def test_the_new_path_loads_without_a_warning():
    # Run afresh outside sys.modules, so the crawl's own module stays the one loaded.
    spec = importlib.util.find_spec("newsbot.pipelines.page_to_record")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spec.loader.exec_module(module)
    assert module.ExtractionPipeline.__qualname__ == ExtractionPipeline.__qualname__
