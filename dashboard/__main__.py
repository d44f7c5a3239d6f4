"""``python -m dashboard report|users|exempt`` (see dashboard/cli.py)."""

from dashboard.cli import main

raise SystemExit(main())
