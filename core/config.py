"""Every setting once: its environment variable, default and meaning.

Settings are read when asked for (not at import) so tests and the CLI can change the
environment before the first database connection.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def get(self) -> str:
        return os.environ.get(self.name, self.default)


DATABASE_URL = Setting(
    "DATABASE_URL",
    f"sqlite:///{DATA_DIR / 'dashboard.db'}",
    "SQLAlchemy URL of the database; SQLite file under data/ by default, "
    "postgresql+psycopg://user@host/db for shared deployments.",
)
HOME_BOROUGH = Setting(
    "HOME_BOROUGH",
    "Barnet",
    "The borough whose partnership runs this dashboard (any London borough); the first-run "
    "seed loads its ward rows and, where data/boundaries has them, its ward boundaries.",
)
HOST = Setting("HOST", "127.0.0.1", "Address the dashboard listens on.")
PORT = Setting("PORT", "8050", "Port the dashboard listens on.")
MAX_UPLOAD_MB = Setting("MAX_UPLOAD_MB", "100", "Largest extract accepted, in megabytes.")
MAX_UNCOMPRESSED_MB = Setting(
    "MAX_UNCOMPRESSED_MB",
    "200",
    "Largest uncompressed size of an .xlsx or .gz file accepted (guards against zip and gzip "
    "bombs), in megabytes; a .gz is counted as it is unpacked, a chunk at a time, and refused "
    "as soon as it passes. The largest real extract unpacks to about 9 MB.",
)
MAX_WARD_POINTS = Setting(
    "MAX_WARD_POINTS",
    "1000",
    "Most points a ward's outline keeps: a ward boundary file's outlines with more are "
    "simplified as they load (shapely, keeping their shape valid) to what a borough map needs.",
)
MAX_BOUNDARY_POINTS = Setting(
    "MAX_BOUNDARY_POINTS",
    "100000",
    "Most points a ward boundary file's outlines keep in all (each ward's share when past it).",
)
WARM_MONTHS = Setting(
    "WARM_MONTHS",
    "24",
    "Months (newest first) whose figures are computed in the background at "
    "start and after each upload, so choosing a recent period does not wait for the sums.",
)
MAX_PROBLEMS = Setting("MAX_PROBLEMS", "500", "Problems listed per file before the list is cut.")
SEED_DIR = Setting(
    "SEED_DIR",
    str(DATA_DIR / "seed"),
    "Folder of real extracts loaded into an empty database at start.",
)
REQUIRE_LOGIN = Setting(
    "REQUIRE_LOGIN",
    "0",
    "1: sign-in is required even with no users yet. Sign-in is always required once any user "
    "exists, and whenever HOST is not a loopback address.",
)
SECRET_KEY = Setting(
    "SECRET_KEY",
    "",
    "Key that signs session cookies. Unset: one is generated once and kept in "
    "data/.secret_key (mode 0600). Set the same value on every server of a deployment.",
)
SECRET_KEY_FILE = Setting(
    "SECRET_KEY_FILE",
    str(DATA_DIR / ".secret_key"),
    "Where the generated session key is kept when SECRET_KEY is unset.",
)
SESSION_HOURS = Setting("SESSION_HOURS", "12", "A sign-in lasts this many hours.")
SECURE_COOKIES = Setting(
    "SECURE_COOKIES",
    "0",
    "1: session cookies are always marked Secure, and the site's own Origin is taken to be "
    "https (behind an HTTPS proxy). Cookies are Secure anyway whenever the request itself came "
    "over HTTPS.",
)
LOGIN_RATE_LIMIT = Setting(
    "LOGIN_RATE_LIMIT",
    "5",
    "Failed sign-ins allowed per address and user name before a lock-out.",
)
LOGIN_LOCKOUT_SECONDS = Setting(
    "LOGIN_LOCKOUT_SECONDS", "60", "How long sign-in is refused after too many failures."
)
PENDING_DIR = Setting(
    "PENDING_DIR",
    "",
    "Folder for temporary files (default: a folder in the system temp dir): the production "
    "workers' shared answers and, without REDIS_URL, the background jobs' results. Uploads "
    "waiting for confirmation are kept in the database.",
)
MAX_REQUEST_KB = Setting(
    "MAX_REQUEST_KB",
    "1024",
    "Largest request body accepted, in kilobytes, except files dropped on the Upload page by an "
    "analyst or manager (up to MAX_UPLOAD_FILES files of MAX_UPLOAD_MB). A larger request is "
    "refused (413) before it is read.",
)
REDIS_URL = Setting(
    "REDIS_URL",
    "",
    "Redis for several app servers (redis://host:6379/0): every worker on every server then "
    "shares the pages' kept answers and computed tables (Flask-Caching) and the background "
    "jobs run on Celery workers (scripts/serve.sh starts them). Empty: answers are kept in "
    "each server (memory; a folder of PENDING_DIR under the production command) and jobs run "
    "in a local process (diskcache), with nothing else to install.",
)
CELERY_WORKERS = Setting(
    "CELERY_WORKERS",
    "2",
    "With REDIS_URL: Celery worker processes scripts/serve.sh starts beside the app server for "
    "the background jobs (board packs); 0 starts none (run them on other machines).",
)
MAX_UPLOAD_FILES = Setting("MAX_UPLOAD_FILES", "10", "Files accepted in one upload.")
MAX_DROP_UNCOMPRESSED_MB = Setting(
    "MAX_DROP_UNCOMPRESSED_MB",
    "1000",
    "Largest total uncompressed size of the files dropped together on the Upload page, in "
    "megabytes (a .gz counted unpacked, an .xlsx by its zip directory). Files past it are "
    "refused unopened; the files of a drop are checked one after another.",
)
WORKERS = Setting(
    "WORKERS",
    "3",
    "Worker processes of the production server (scripts/serve.sh, gunicorn): about one per CPU "
    "core, plus one. Each keeps its own computed figures, read again when the data changes.",
)
THREADS = Setting(
    "THREADS", "4", "Threads per worker process of the production server (requests at once)."
)
TRUST_PROXY = Setting(
    "TRUST_PROXY",
    "0",
    "How many reverse proxies (load balancer, HTTPS terminator) stand in front of the "
    "dashboard. 0: X-Forwarded-* headers are ignored. 1 or more: the visitor's address, "
    "scheme and host are taken from that many X-Forwarded-For/-Proto/-Host entries (set it "
    "only when every request comes through the proxy, or visitors could forge their address).",
)
LOG_FORMAT = Setting(
    "LOG_FORMAT",
    "text",
    "text: one readable line per event; json: one JSON object per line (for a log collector), "
    "the production server's access log included.",
)
LOG_LEVEL = Setting(
    "LOG_LEVEL", "info", "Least serious log messages written: debug, info, warning or error."
)
A11Y_CONTACT = Setting(
    "A11Y_CONTACT",
    "",
    "Email address the accessibility statement gives for reporting an accessibility problem "
    "(without it, the statement says to contact the community safety team).",
)

ALL_SETTINGS = [
    DATABASE_URL,
    HOME_BOROUGH,
    HOST,
    PORT,
    MAX_UPLOAD_MB,
    MAX_UNCOMPRESSED_MB,
    MAX_PROBLEMS,
    MAX_WARD_POINTS,
    MAX_BOUNDARY_POINTS,
    WARM_MONTHS,
    SEED_DIR,
    REQUIRE_LOGIN,
    SECRET_KEY,
    SECRET_KEY_FILE,
    SESSION_HOURS,
    SECURE_COOKIES,
    LOGIN_RATE_LIMIT,
    LOGIN_LOCKOUT_SECONDS,
    PENDING_DIR,
    MAX_REQUEST_KB,
    REDIS_URL,
    CELERY_WORKERS,
    MAX_UPLOAD_FILES,
    MAX_DROP_UNCOMPRESSED_MB,
    WORKERS,
    THREADS,
    TRUST_PROXY,
    LOG_FORMAT,
    LOG_LEVEL,
    A11Y_CONTACT,
]


def database_url() -> str:
    return DATABASE_URL.get()


def home_borough() -> str:
    return HOME_BOROUGH.get()


def max_upload_bytes() -> int:
    return int(float(MAX_UPLOAD_MB.get()) * 1024 * 1024)


def max_uncompressed_bytes() -> int:
    return int(float(MAX_UNCOMPRESSED_MB.get()) * 1024 * 1024)


def max_drop_uncompressed_bytes() -> int:
    return int(float(MAX_DROP_UNCOMPRESSED_MB.get()) * 1024 * 1024)


def max_ward_points() -> int:
    return int(MAX_WARD_POINTS.get())


def max_boundary_points() -> int:
    return int(MAX_BOUNDARY_POINTS.get())


def max_problems() -> int:
    return int(MAX_PROBLEMS.get())


def flag(setting: Setting) -> bool:
    """A yes/no setting: 1, true, yes or on (any case) mean yes."""
    return setting.get().strip().lower() in {"1", "true", "yes", "on"}
