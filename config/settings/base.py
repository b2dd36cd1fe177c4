"""Settings shared by every environment; every value comes from the environment.

`DATABASE_URL` defaults to an SQLite file beside manage.py, so a fresh clone starts with one command.
"""

from pathlib import Path

import environ
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-do-not-use-in-production")
# Off unless asked for (DEBUG=1): a debug 404 page lists every URL of the site, a debug 500 its settings.
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config.admin.ProjectAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_countries",
    "simple_history",
    "config.common.third_party_apps.TasksDatabaseConfig",
    "config.common.third_party_apps.AxesConfig",
    "config.common",
    "manufacturers",
    "components",
    "provenance",
    "catalogue",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: refuses a locked-out login with its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "timeout": 20}
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # PostgreSQL's JIT compiler adds time to each analytics query over a million findings and saves
    # nothing at these sizes (bench/analytics_bench.py); PG_OPTIONS="" turns it back on.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", env("PG_OPTIONS", default="-c jit=off"))
    # Parameters bound by the server let psycopg prepare the statements a connection repeats (planning the API's
    # queries costs more than running them: 10-15% off each request). Turn off behind a transaction-mode pooler.
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", env.bool("PG_SERVER_SIDE_BINDING", default=True))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The language of commands run without --language and of pages for a browser that asks for neither uk nor en.
LANGUAGE_CODE = env("LANGUAGE_CODE", default="en-gb")
LANGUAGES = [("uk", "Українська"), ("en", "English")]
# Strings of config/ (site titles, the admin's language switcher); each app keeps its own <app>/locale/.
LOCALE_PATHS = [BASE_DIR / "config" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"  # served by provenance.media.media_file_view (permission-checked), never as static files
# Static files from the apps' directories, without collectstatic, when DEBUG is off (`make run`).
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads: teardown lists may be large; they are streamed to a temporary file, never held whole.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760
TEARDOWN_MAX_BYTES = env.int("TEARDOWN_MAX_BYTES", default=200 * 1024 * 1024)
# A sanctions list uploaded in the admin is imported within the request: larger files go through
# `manage.py import_sanctions`, which has no limit.
SANCTIONS_UPLOAD_MAX_BYTES = env.int("SANCTIONS_UPLOAD_MAX_BYTES", default=100 * 1024 * 1024)

# API throttle counters live here: with several gunicorn workers or servers, point CACHE_URL at a shared
# cache (redis://127.0.0.1:6379/1), or each process counts on its own (`check --deploy` warns).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Rendered responses of the partner API's read endpoints, in the default cache, keyed by the data version
# (provenance.api.caching): a change to the evidence is never served stale. 0 turns the cache off.
API_RESPONSE_CACHE_SECONDS = env.int("API_RESPONSE_CACHE_SECONDS", default=600)

# The public catalogue (catalogue.caching): rendered pages kept in the default cache under the data version
# (0 turns it off), and how long a browser or proxy may reuse a page before revalidating its ETag.
CATALOGUE_CACHE_SECONDS = env.int("CATALOGUE_CACHE_SECONDS", default=600)
CATALOGUE_MAX_AGE = env.int("CATALOGUE_MAX_AGE", default=60)

TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django.tasks.backends.immediate.ImmediateBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "config.common.api_schema.ApiAutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "provenance.api.authentication.BearerAPIKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["provenance.api.permissions.IsPartnerOrStaff"],
    "DEFAULT_THROTTLE_CLASSES": ["provenance.api.throttling.PartnerKeyRateThrottle"],
    # Per partner key. Counters live in the default cache: share it (Redis) when running several workers.
    "DEFAULT_THROTTLE_RATES": {"partner": env("API_PARTNER_RATE", default="600/minute")},
    "DEFAULT_PAGINATION_CLASS": "config.common.api.StandardPagination",
    "EXCEPTION_HANDLER": "config.common.api.api_exception_handler",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "config.common.api.BoundedSearchFilter",
        "config.common.api.CheckedOrderingFilter",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Missile-component provenance API",
    "DESCRIPTION": "Published wreckage findings, manufacturers and analytics for partner organisations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.common.api_schema.strict_nullable_hook",
    ],
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "provenance.models.items.DatePrecision",
        # A briefing's `status`, the lowest review status it counts (an item's own `status` stays StatusEnum).
        "CountedStatusEnum": "provenance.selectors.analytics.STATUSES",
        "StatusEnum": "provenance.models.items.RecoveredItem.Status",
    },
}

# Short names (translated), as briefings and the interfaces spec use them ("United States", not the ISO long form).
COUNTRIES_OVERRIDE = {
    "SU": _("Soviet Union"),
    "US": _("United States"),
    "GB": _("United Kingdom"),
    "RU": _("Russia"),
    "KR": _("South Korea"),
    "KP": _("North Korea"),
    "IR": _("Iran"),
    "TW": _("Taiwan"),
    "NL": _("Netherlands"),
    "VN": _("Vietnam"),
    "MD": _("Moldova"),
    "SY": _("Syria"),
    "LA": _("Laos"),
    "BO": _("Bolivia"),
    "VE": _("Venezuela"),
    "TZ": _("Tanzania"),
}
COUNTRIES_FIRST = []

SIMPLE_HISTORY_REVERT_DISABLED = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# Teardown imports: what one file may expand to and hold (provenance.teardown.readers / validation). Each limit
# is checked before the work it bounds; past one the file is refused with a message naming the setting.
TEARDOWN_XLSX_MAX_UNCOMPRESSED_BYTES = env.int("TEARDOWN_XLSX_MAX_UNCOMPRESSED_BYTES", default=256 * 1024 * 1024)
TEARDOWN_XLSX_MAX_SHARED_STRINGS_BYTES = env.int("TEARDOWN_XLSX_MAX_SHARED_STRINGS_BYTES", default=64 * 1024 * 1024)
TEARDOWN_XLSX_MAX_RATIO = env.int("TEARDOWN_XLSX_MAX_RATIO", default=100)
TEARDOWN_MAX_ROWS = env.int("TEARDOWN_MAX_ROWS", default=1_000_000)
TEARDOWN_MAX_ITEMS = env.int("TEARDOWN_MAX_ITEMS", default=10_000)
TEARDOWN_MAX_ERRORS = env.int("TEARDOWN_MAX_ERRORS", default=1_000)
TEARDOWN_ERRORS_SHOWN = env.int("TEARDOWN_ERRORS_SHOWN", default=100)  # on the admin page; the rest as a CSV file

# Partner API cost bounds (provenance.api): pages reach at most this many rows deep, a search has at most this
# many terms; a query parameter the endpoint does not know is a 400 (and never reaches the cache key).
API_MAX_PAGE_DEPTH = env.int("API_MAX_PAGE_DEPTH", default=10_000)
API_MAX_SEARCH_TERMS = env.int("API_MAX_SEARCH_TERMS", default=10)

# Django's Content-Security-Policy on every response (the admin, the analytics pages, the API docs): scripts,
# fonts and styles only from this site, no inline script, no framing. Rendered briefings and stored files set a
# stricter one of their own. The inline styles are matplotlib's SVG charts and the admin's.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Briefings a partner organisation may have queued or rendering at once (more: 429 with Retry-After seconds).
BRIEFING_QUEUE_PER_ORGANISATION = env.int("BRIEFING_QUEUE_PER_ORGANISATION", default=3)
BRIEFING_QUEUE_RETRY_AFTER = env.int("BRIEFING_QUEUE_RETRY_AFTER", default=60)
# PostgreSQL: a partner request's queries are cancelled after this many milliseconds (503 with a message).
API_PARTNER_STATEMENT_TIMEOUT_MS = env.int("API_PARTNER_STATEMENT_TIMEOUT_MS", default=10_000)

# Failed admin logins (django-axes): after AXES_FAILURE_LIMIT failures for one user name from one address, that
# pair is locked out for AXES_COOLOFF_TIME (hours), even with the right password; every attempt is kept in the
# admin (Axes → Access attempts / failures). A successful login resets the count.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_TIME", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.common.client_ip.client_ip"
# Proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed for the client's address
# (login lockout, refused-key throttle, access log). Empty: the header is ignored, REMOTE_ADDR is the client.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Refused partner API keys per client address and minute before that address gets 429s (each one is logged).
API_BAD_KEY_PER_MINUTE = env.int("API_BAD_KEY_PER_MINUTE", default=20)
