"""Old path: python -m dashboard.report …"""

from dashboard.reports.indicators import main

if __name__ == "__main__":
    raise SystemExit(main())
