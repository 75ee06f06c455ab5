"""Settings, read from environment variables.

Defaults are safe for a laptop demo (SQLite under ``var/``, Huey in SQLite, bound to
localhost). A production setup without a proper ``SECRET_KEY`` fails at start-up instead of
running with a guessable key.
"""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(os.environ.get("INNENDIENST_HOME", PACKAGE_DIR.parent.parent)).resolve()
VAR_DIR = Path(os.environ.get("INNENDIENST_VAR_DIR", BASE_DIR / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# pytest sets PYTEST_VERSION before Django starts; tests get a fixed key and immediate jobs.
TESTING = env_bool("INNENDIENST_TESTING") or "PYTEST_VERSION" in os.environ

_INSECURE_DEV_KEY = "django-insecure-innendienst-development-only"
# Without a key, commands that sign nothing (migrate, makemigrations) still run; serving the
# application refuses to start (innendienst.wsgi / asgi), as does anything that signs.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and (DEBUG or TESTING):
    SECRET_KEY = _INSECURE_DEV_KEY
elif SECRET_KEY and not DEBUG and (len(SECRET_KEY) < 32 or SECRET_KEY.startswith("django-in")):
    raise ImproperlyConfigured("SECRET_KEY is too weak for production: use 32+ random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Behind a TLS-terminating reverse proxy set HTTPS=1: cookies become secure-only and the
# proxy's X-Forwarded-Proto header is trusted.
HTTPS = env_bool("HTTPS")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if not HTTPS else "31536000"))
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_AGE = 60 * 60 * 12

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_htmx",
    "django_filters",
    "template_partials",
    "heroicons",
    "huey.contrib.djhuey",
    "axes",
    "csp",
    "innendienst.core",
    "innendienst.accounts",
    "innendienst.contacts",
    "innendienst.privacy",
    "innendienst.catalog",
    "innendienst.orders",
    "innendienst.campaigns",
    "innendienst.activities",
    # Offers write to the timeline and put a panel on the call screen: after activities.
    "innendienst.offers",
    "innendienst.experts",
    "innendienst.leads",
    "innendienst.imports",
    "innendienst.exports",
    "innendienst.matching",
    "innendienst.qualification",
    "innendienst.automation",
    "innendienst.overview",
    "innendienst.demo",
    # Serves Swagger UI from the package's own static files (no CDN); after our apps, so that
    # core's copy of its page (with the page language) is the one rendered.
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "innendienst.core.middleware.security_headers",
    "innendienst.core.middleware.api_problems",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "innendienst.urls"
WSGI_APPLICATION = "innendienst.wsgi.application"
ASGI_APPLICATION = "innendienst.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "innendienst.core.context_processors.navigation",
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    }
]

FORM_RENDERER = "innendienst.core.forms.FormRenderer"

# --- database -----------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
_SQLITE_DEFAULT = f"sqlite:///{VAR_DIR / 'innendienst.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", _SQLITE_DEFAULT), conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and a writer work at the same time; IMMEDIATE avoids "database is
    # locked" when two workers upgrade a read transaction to a write at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
            " PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL compiles a statement estimated above ``jit_above_cost`` to machine code on
    # every execution — a search or a list's count pays the compiler each time and gains
    # nothing on a few thousand rows: the load test ran 55 → 60 requests/s without it. A report
    # over millions of rows may turn it on for itself (``SET LOCAL jit = on``).
    DATABASES["default"]["OPTIONS"] = {"options": "-c jit=off"}
    if os.environ.get("DATABASE_PREPARE", "1") != "0":
        # A statement run twice on a connection is prepared: PostgreSQL plans it once instead
        # of on every request — the 360° page's joins took 4 ms to plan and 0.5 ms to run. A
        # connection pooler in transaction mode without prepared-statement support needs
        # DATABASE_PREPARE=0. Search statements are planned each time (``contacts.search``).
        DATABASES["default"]["OPTIONS"].update(server_side_binding=True, prepare_threshold=2)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# --- cache and jobs -----------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    # A session is read from Redis on every request and from the database only when Redis
    # lost it: no session query per page, and no one logged out by a Redis restart.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": "innendienst",
        "url": REDIS_URL,
        "immediate": TESTING,
        "consumer": {"workers": int(os.environ.get("WORKERS", "4")), "worker_type": "thread"},
    }
else:
    # Without Redis the cache lives in files, so that all web workers of one machine share
    # it (the count of failed API tokens, for one); tests keep it in memory.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
        if TESTING
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # The counts of common names the duplicate check keeps (one file each).
            "OPTIONS": {"MAX_ENTRIES": 5_000},
        }
    }
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "innendienst",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": TESTING,
        "consumer": {"workers": int(os.environ.get("WORKERS", "2")), "worker_type": "thread"},
    }

# --- auth ---------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): after 10 failed logins for one username, or from one
# address, that username or address is locked for 15 minutes; the lock is logged.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_LOCK_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "innendienst.core.web.client_ip"
AXES_VERBOSE = False
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my_day"
LOGOUT_REDIRECT_URL = "login"
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- i18n ---------------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Berlin")
FORMAT_MODULE_PATH = ["innendienst.formats"]
USE_THOUSAND_SEPARATOR = True
# The house rate (Hauskurs) at which Swiss francs count in euro figures across both currencies
# (forecast, loss analysis): francs for one euro.
CHF_PER_EUR = Decimal(os.environ.get("CHF_PER_EUR", "0.95"))

# --- security headers ---------------------------------------------------------------------
# No inline script and no script from elsewhere: htmx and our own files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
API_PREFIX = "/api/"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

# --- static files -------------------------------------------------------------------------
# Uploaded files (the imported files, for the job that reads them): never served as they are.
MEDIA_ROOT = VAR_DIR / "files"
# The mail server of the automation rules' e-mails.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "innendienst@localhost")
EMAIL_TIMEOUT = 10
# Webhooks may not reach addresses inside the network (loopback, private ranges, the cloud's
# metadata service) unless allowed: an installation whose receivers are internal sets this.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", TESTING)
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_MB", "200")) * 2**20
# "Keine Belästigung": at most so many calls per contact and per company within so many days,
# across every call list and every call logged by hand.
CALL_LIMIT_PER_PERSON = int(os.environ.get("CALL_LIMIT_PER_PERSON", "3"))
CALL_LIMIT_PER_COMPANY = int(os.environ.get("CALL_LIMIT_PER_COMPANY", "8"))
CALL_LIMIT_DAYS = int(os.environ.get("CALL_LIMIT_DAYS", "14"))
# A longer list is exported by the worker, with a download link, instead of in the request.
EXPORT_DIRECT_ROWS = int(os.environ.get("EXPORT_DIRECT_ROWS", "20000"))
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["no_forbidden_tracebacks"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "filters": {"no_forbidden_tracebacks": {"()": "innendienst.core.logs.NoForbiddenTraceback"}},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Lockouts are warnings; every successful login need not be told.
        "axes": {"level": "WARNING"},
        "django.request": {"filters": ["no_forbidden_tracebacks"]},
        "django.security": {"filters": ["no_forbidden_tracebacks"]},
    },
}
