"""Old path: python -m dashboard.report …"""

from dashboard.cli import report_main as main

if __name__ == "__main__":
    raise SystemExit(main())
