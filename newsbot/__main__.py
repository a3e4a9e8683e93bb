from __future__ import annotations

import sys

from newsbot.cli import main

sys.exit(main())
