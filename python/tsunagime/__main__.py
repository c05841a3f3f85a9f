"""``python -m tsunagime``: the command line."""

from tsunagime.cli import main

raise SystemExit(main())
