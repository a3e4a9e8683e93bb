"""The embedded demo news site: static pages, feeds and sitemaps plus a tiny server.

* ``site/``: the generated site and its truth file ``expected.json`` (see
  :mod:`newsbot.demo.build`, which writes both from :mod:`newsbot.demo.content`).
* :class:`DemoServer` (:mod:`newsbot.demo.server`): serves the site on 127.0.0.1.
"""

from __future__ import annotations

from newsbot.demo.server import SITE_ROOT, DemoServer, LoggedRequest

__all__ = ["SITE_ROOT", "DemoServer", "LoggedRequest"]
