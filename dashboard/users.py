"""Old path: python -m dashboard.users …"""

from dashboard.auth.users import main

if __name__ == "__main__":
    raise SystemExit(main())
