"""Old path: python -m dashboard.exempt …"""

from dashboard.cli import exempt_main as main

if __name__ == "__main__":
    raise SystemExit(main())
