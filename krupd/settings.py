"""KruPD settings: one file, driven by environment variables.

SQLite by default (zero set-up); set DATABASE_URL=postgres://... to use PostgreSQL.
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KRUPD_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


# KRUPD_PRODUCTION=1 (scripts/serve-prod.sh, docs/deploy.md): DEBUG off, and the secret key
# and host names must come from the environment. Without it, DEBUG=false alone (the benchmark
# suite) keeps the development defaults.
PRODUCTION = env_bool("KRUPD_PRODUCTION", False)
DEBUG = env_bool("DEBUG", not PRODUCTION)
# With DEBUG on, an unexpected error shows Django's traceback page (for developers running
# manage.py runserver); DEVELOPER_ERROR_PAGES=false shows the Thai 500 page instead, as
# `make run` does for people trying the product. Missing pages are always Thai
# (krupd.middleware.ThaiErrorPagesMiddleware).
DEVELOPER_ERROR_PAGES = env_bool("DEVELOPER_ERROR_PAGES", DEBUG)
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me")
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
if PRODUCTION:
    from django.core.exceptions import ImproperlyConfigured

    _missing = [n for n in ("SECRET_KEY", "ALLOWED_HOSTS") if not os.environ.get(n)]
    # 50 characters: below that Django's own deploy check calls the key weak.
    if DEBUG or _missing or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "KRUPD_PRODUCTION=1 needs DEBUG=false, ALLOWED_HOSTS and a SECRET_KEY of 50+ "
            f"characters from the environment (missing: {', '.join(_missing) or 'none'})"
        )
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # serves /api/docs from its own static files: no CDN, no inline script (CSP)
    "django_tasks",
    "django_tasks_db",
    "krupd",  # project-wide management commands (backup_sqlite, restore_sqlite)
    "accounts",
    "registry",
    "imports",
    "staffing",
    "training",
    "planning",
    "community",
    "career",
    "credentials",
    "reporting",
    "notifications",
    "oversight",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "krupd.middleware.SecurityHeadersMiddleware",
    "krupd.middleware.NulFreeQueryMiddleware",
    "krupd.middleware.ThaiErrorPagesMiddleware",
    "krupd.middleware.DatabaseUnavailableMiddleware",
    "krupd.middleware.RepeatedWriteMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "krupd.middleware.WrongMethodMiddleware",
    "krupd.middleware.ObjectIdRangeMiddleware",
    "accounts.middleware.IdleTimeoutMiddleware",
    "accounts.middleware.TwoFactorRequiredMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "krupd.urls"
WSGI_APPLICATION = "krupd.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.role",
                "notifications.context_processors.inbox",
            ],
            "builtins": [
                "krupd.templatetags.thai",
                "krupd.templatetags.text",
                "krupd.templatetags.form_layout",
            ],
        },
    }
]

# Production keeps each worker's connection open (a new PostgreSQL connection per request
# halved the dashboard's throughput under load), checked before reuse so a restarted server
# costs one retry, not an error. DB_CONN_MAX_AGE=0 for PgBouncer in transaction mode.
DB_CONN_MAX_AGE = int(os.environ.get("DB_CONN_MAX_AGE", "60" if PRODUCTION else "0"))
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'krupd.sqlite3'}",
        conn_max_age=DB_CONN_MAX_AGE,
        conn_health_checks=DB_CONN_MAX_AGE > 0,
    )
}


def _postgres_options(conn_max_age: int) -> dict:
    """Parameters bound by the server, and a connection kept open prepares the statements
    it runs again (psycopg does after two runs): the busiest requests repeat a dozen
    statements whose planning cost PostgreSQL more than running them (a self-enrolment's
    server CPU fell from about 8 ms to 3.5 ms). A connection closed after each request
    (DB_CONN_MAX_AGE=0, as behind PgBouncer in transaction mode, where a prepared statement
    would not follow the next transaction to its server connection) prepares nothing.
    DB_PREPARED_STATEMENTS=false turns preparing off."""
    prepare = conn_max_age > 0 and env_bool("DB_PREPARED_STATEMENTS", True)
    options = {"server_side_binding": True, "prepare_threshold": 2 if prepare else None}
    if not env_bool("DB_JIT", False):
        # No JIT compilation: the server compiled the staffing page's list of a 100,000-person
        # office for 3.6 s to run it in 0.16 s (its cost estimate, not its work, crossed the
        # threshold). Pages here run short statements; no report gains what compiling costs.
        options["options"] = "-c jit=off"
    return options


def _add_postgres_options(database: dict) -> None:
    """Beside what the URL's query string set (sslmode=..., its own -c settings kept)."""
    given = database.setdefault("OPTIONS", {})
    ours = _postgres_options(DB_CONN_MAX_AGE)
    if given.get("options") and ours.get("options"):
        ours["options"] = f"{given['options']} {ours['options']}"
    given.update(ours)


for _database in DATABASES.values():
    if _database["ENGINE"].endswith("postgresql"):
        _add_postgres_options(_database)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers continue while an import writes; the timeout waits out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
# A streaming-replication standby for the heavy report pages (docs/deploy.md §4). Only views
# decorated with krupd.db_router.reads_from_replica read from it; writes never go there.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=DB_CONN_MAX_AGE,
        conn_health_checks=DB_CONN_MAX_AGE > 0,
    )
    if DATABASES["replica"]["ENGINE"].endswith("postgresql"):
        _add_postgres_options(DATABASES["replica"])
    # Tests point the alias at the test database instead of creating one for it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["krupd.db_router.ReportReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
# ModelBackend, with the user's person read in the same query. A session remembers its
# backend's path: changing this path signs everyone out once (docs/deploy.md).
AUTHENTICATION_BACKENDS = ["accounts.backends.PersonModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Thai whatever the browser asks for (office PCs often run an English browser): there is no
# LocaleMiddleware, so Accept-Language is never read. locale/th holds Django's own messages
# ("This field is required.") worded the way KruPD's own messages are.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย")]
LOCALE_PATHS = [BASE_DIR / "locale"]
CSRF_FAILURE_VIEW = "krupd.errors.csrf_failure"
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
# Front-end packages come from npm (package.json); only the files pages use are exposed.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/pico", NODE_MODULES / "@picocss" / "pico" / "css"),
    ("vendor/sarabun", NODE_MODULES / "@fontsource" / "sarabun"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if PRODUCTION:
    # Hashed, pre-compressed files that WhiteNoise serves with far-future cache headers;
    # needs `collectstatic` first (scripts/serve-prod.sh runs it).
    STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded files (krupd/uploads.py): the largest file each kind of upload field takes, in MB.
# Documents (MOUs, award portfolios, SAR evidence, lesson hand-outs); evidence (PLC meetings and
# best practices, which may be video clips); data files for the importers; workbooks the system
# exported and gets back. nginx's client_max_body_size must be at least the largest.
UPLOAD_MAX_MB = {
    "document": int(os.environ.get("UPLOAD_MAX_DOCUMENT_MB", "20")),
    "evidence": int(os.environ.get("UPLOAD_MAX_EVIDENCE_MB", "100")),
    "spreadsheet": int(os.environ.get("UPLOAD_MAX_SPREADSHEET_MB", "200")),
    "workbook": int(os.environ.get("UPLOAD_MAX_WORKBOOK_MB", "10")),
}
# What an uploaded Office file (DOCX/XLSX/PPTX, a zip) other than an import may unpack to.
UPLOAD_MAX_UNPACKED_MB = int(os.environ.get("UPLOAD_MAX_UNPACKED_MB", "200"))
# Imported spreadsheets (imports/readers.py): what an XLSX may unpack to in total, how much
# more than its packed size one part may unpack to, and how many shared strings (and how much
# text in them) it may hold. A file past any of them is refused with a Thai message.
IMPORT_MAX_UNPACKED_MB = int(os.environ.get("IMPORT_MAX_UNPACKED_MB", "2048"))
IMPORT_MAX_COMPRESSION_RATIO = int(os.environ.get("IMPORT_MAX_COMPRESSION_RATIO", "100"))
IMPORT_MAX_SHARED_STRINGS = int(os.environ.get("IMPORT_MAX_SHARED_STRINGS", "5000000"))
IMPORT_MAX_SHARED_STRING_MB = int(os.environ.get("IMPORT_MAX_SHARED_STRING_MB", "256"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Email for notifications (notifications/delivery.py): SMTP when EMAIL_HOST is set, else
# printed to the console (development). Sending always runs in the task worker.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "KruPD <no-reply@localhost>")
# The site's address as users reach it: links in email and LINE messages, QR codes.
KRUPD_BASE_URL = os.environ.get("KRUPD_BASE_URL", "http://127.0.0.1:8000")
# Signing keys of the offices' digital credentials (credentials/keys.py, docs/deploy.md): one
# private-key file per key in this directory (default var/credential-keys), optionally
# encrypted with the passphrase. Automatic generation on first use is for development and
# demonstration; in production keys are made with `manage.py credential_keys generate`.
KRUPD_CREDENTIAL_KEY_DIR = os.environ.get("KRUPD_CREDENTIAL_KEY_DIR", "")
KRUPD_CREDENTIAL_KEY_PASSPHRASE = os.environ.get("KRUPD_CREDENTIAL_KEY_PASSPHRASE", "")
KRUPD_CREDENTIAL_KEYS_AUTO = env_bool("KRUPD_CREDENTIAL_KEYS_AUTO", not PRODUCTION)
# The LINE Messaging API (tests and the benchmark point it at a local fake server).
LINE_API_BASE = os.environ.get("LINE_API_BASE", "https://api.line.me")

# Failed-login throttling (accounts/throttle.py): after LOGIN_FAILURE_LIMIT failures for one
# account within the window, further attempts are refused until the window passes. Past
# LOGIN_FAILURE_ADDRESS_LIMIT failures from one client address, that address may no longer try
# accounts that already failed in the window (others still sign in with their right password).
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_ADDRESS_LIMIT = int(
    os.environ.get("LOGIN_FAILURE_ADDRESS_LIMIT", str(4 * LOGIN_FAILURE_LIMIT))
)
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))
# Proxies (addresses or networks, comma-separated, e.g. "127.0.0.1,10.0.0.0/8") whose
# X-Forwarded-For header is believed: the client address of a request is read from it only
# when the request comes from one of these. Empty: the connecting address is the client.
KRUPD_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("KRUPD_TRUSTED_PROXIES", "").split(",") if p.strip()
]
KRUPD_TRUSTED_PROXY_NETWORKS = [
    ipaddress.ip_network(p, strict=False) for p in KRUPD_TRUSTED_PROXIES
]
# Roles (comma-separated values of accounts.roles.Role, e.g. "office_admin,development_officer")
# whose users must turn on two-factor sign-in: until they do, every page sends them to the
# set-up page. Empty: two-factor stays optional (offered to office admins and debt officers).
KRUPD_REQUIRE_2FA_ROLES = [
    r.strip() for r in os.environ.get("KRUPD_REQUIRE_2FA_ROLES", "").split(",") if r.strip()
]
# A forced role's user who has not set up two-factor sign-in cannot sign in with the password
# alone: the office admin gives them a one-time set-up link, valid this many hours.
KRUPD_2FA_SETUP_LINK_HOURS = int(os.environ.get("KRUPD_2FA_SETUP_LINK_HOURS", "72"))

# Sessions stay in the database (not signed cookies, not a per-server cache): signing out, a
# password change and the idle timeout must end a session on every app server at once. The
# store is Django's, reading the session row with SQL compiled once (accounts/sessions.py).
SESSION_ENGINE = "accounts.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", PRODUCTION)
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # pages send the token from the template (hx-headers), not the cookie
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))  # one working day
# A session nobody used for this long ends (accounts.middleware.IdleTimeoutMiddleware), so a
# computer left signed in at a school is not open all day.
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Production answers only over HTTPS and tells browsers to remember it (one year); each can be
# turned off separately, e.g. while a certificate is being set up.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
if env_bool("TRUST_X_FORWARDED_PROTO", False):  # only behind a proxy that sets it (nginx)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy, sent by krupd.middleware.SecurityHeadersMiddleware. Everything comes
# from this site. Scripts run only from static files: no inline <script>, on*= attributes,
# javascript: links or hx-on (behaviours are data-attributes handled by static/krupd/krupd.js,
# charts are static/krupd/charts.js reading json_script data); krupd/tests/test_csp.py keeps
# templates that way. style-src keeps 'unsafe-inline': some ninety style="" attributes in about
# forty templates (accounts/ and imports/ among them), colours computed per cell (the PNI
# heatmap) and the <style> blocks of the section menus. Styles cannot run script; moving them
# into krupd.css classes is what dropping it from style-src would take.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO").upper()},
    # "Watching for file changes" from the development servers' reloader is noise to a user.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.utils.autoreload": {"level": "WARNING"},
    },
}
