"""Old path: python -m dashboard.users …"""

from dashboard.cli import users_main as main

if __name__ == "__main__":
    raise SystemExit(main())
