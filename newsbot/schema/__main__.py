from __future__ import annotations

from newsbot.schema import main

main()
