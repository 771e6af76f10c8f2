"""``python -m gametheory_ukraine`` is the ``gtu`` command."""

from .cli import main

raise SystemExit(main())
