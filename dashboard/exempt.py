"""Old path: python -m dashboard.exempt …"""

from dashboard.auth.exempt import main

if __name__ == "__main__":
    raise SystemExit(main())
