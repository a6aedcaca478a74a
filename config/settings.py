"""The one settings module. Production differs from development only through the environment (.env.example)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_admins, env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY", "django-insecure-development-only" if DEBUG else None)
PSEUDONYM_KEY = env_secret(
    "PSEUDONYM_KEY", f"pseudonyms-{SECRET_KEY}" if DEBUG else None
)  # evaluation export
# Production refuses to start with keys too short to be secret: SECRET_KEY signs sessions and links (Django asks
# for 50 characters), PSEUDONYM_KEY keys the HMAC of the evaluation pseudonyms (32 bytes, the size of its hash).
if not DEBUG and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long in production (DEBUG=false)")
if not DEBUG and len(PSEUDONYM_KEY.encode()) < 32:
    raise ImproperlyConfigured("PSEUDONYM_KEY must be at least 32 bytes long in production (DEBUG=false)")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "core.apps.TenkAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "procrastinate.contrib.django",  # the job queue: its migrations create the queue tables
    "core",
    "volunteers",
    "refugees",
    "tandems",
    "trainings",
    "reporting",
]

MIDDLEWARE = [
    "csp.middleware.CSPMiddleware",  # only adds its header: /healthz carries it too
    "core.faults.HealthzMiddleware",  # answers /healthz before anything reads the database, redirects or checks Host
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.faults.PrivateCacheMiddleware",  # Cache-Control: private, no-store (static files keep theirs)
    "core.faults.DatabaseUnavailableMiddleware",  # 503 page with Retry-After while the database is away
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.SessionRenewalMiddleware",  # moves the idle timeout, at most once a minute
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.navigation",
            ],
        },
    },
]

_database_url = env_secret("DATABASE_URL", "")
if not _database_url:
    raise ImproperlyConfigured(
        "DATABASE_URL must be set (postgres://user:password@host:port/name); `make run` and `make test` "
        "set it to a private PostgreSQL when it is not."
    )
# Production keeps each worker's connection for a minute (DB_CONN_MAX_AGE=0: a new one per request) and checks a
# kept connection before a request uses it, so that the first request after a PostgreSQL restart does not fail.
DATABASES = {
    "default": dj_database_url.parse(
        _database_url, conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60), conn_health_checks=True
    )
}
# The JIT compiler of PostgreSQL costs hundreds of milliseconds on the pages' correlated subqueries (it is
# meant for long analytic queries): off for this application's connections (docs/performance.md).
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Server-side binding: psycopg sends the parameters apart from the SQL and prepares a query the third time a
# connection runs it, so PostgreSQL plans each of a page's queries once per connection instead of on every request
# (a list page: about 12 -> 5 ms of PostgreSQL CPU; docs/performance.md). Off by default: a bulk_create of more
# than 65,535 values (a bulk message to 10,000 volunteers, the seeding) then fails, because a server-bound
# statement takes at most that many parameters; turn it on once those writes are batched.
SERVER_SIDE_BINDING_OPTIONS = {"server_side_binding": True, "prepare_threshold": 2}
if env_bool("DB_SERVER_SIDE_BINDING", False):
    DATABASES["default"]["OPTIONS"].update(SERVER_SIDE_BINDING_OPTIONS)
# Two test runs on one server (two checkouts, two helpers) need two test databases.
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME", "") or None}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "DATABASE_URL must point at PostgreSQL, the only database this project supports"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "core.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

# Failed logins: after AXES_FAILURE_LIMIT wrong passwords the account is locked for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "core.views.locked_out"
AXES_VERBOSE = False
# The client's address for the lockout and the sign-up rate limit (core.middleware.client_address): REMOTE_ADDR,
# or behind PROXIES_IN_FRONT reverse proxies the address the outermost one added to X-Forwarded-For.
PROXIES_IN_FRONT = env_int("PROXIES_IN_FRONT", 0)
AXES_CLIENT_IP_CALLABLE = "core.middleware.client_address"

# Sessions end after 30 minutes without a request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
# The idle timeout is kept by core.middleware.SessionRenewalMiddleware: the session's end is moved when it has
# fallen this many seconds behind (at most one write a minute per user, not one per request).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# the browser warns this many seconds before the session ends (static/js/session-timeout.js)
SESSION_WARNING_SECONDS = 120

# Request sizes (docs/volunteers.md, "Limits"). The form fields of one request (files not counted) may take
# 1 MB: the largest form of the app is a few kilobytes; above it Django answers 400 (RequestDataTooBig), the
# import view its own German page. The only upload, the volunteer import, reads its file through its own
# handler (volunteers.views.ImportUploadHandler: at most importing.MAX_BYTES = 2 MB in memory, the rest is
# skipped); any other file field would stay in memory up to 2 MB, larger ones go to a temporary file.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Two-factor login (django-otp, TOTP); which roles must use it is the admin's `SecurityPolicy`.
OTP_TOTP_ISSUER = "10.000 Freunde"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_participant"]
# Participant-facing pages (links, public sign-up) and their e-mails also speak these languages; staff pages
# stay de/en (LANGUAGES). Their strings live in locale_participant/ only, so these catalogues hold no staff
# strings (docs/languages.md). "de-ls" is German in plain language (Leichte Sprache), a custom code.
PARTICIPANT_LANGUAGES = [
    ("de", "Deutsch"),
    ("de-ls", "Leichte Sprache"),
    ("en", "English"),
    ("ar", "العربية"),
    ("fa", "فارسی / دری"),
    ("uk", "Українська"),
    ("tr", "Türkçe"),
    ("ru", "Русский"),
]
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
# Off: with it on, every {{ pk }} in an id, value or URL would read "5.031". Money and counts are grouped
# explicitly with floatformat:"g" or intcomma in the templates that show them.
USE_THOUSAND_SEPARATOR = False
TIME_ZONE = "Europe/Berlin"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / ".data" / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / ".data" / "media")))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

from django.contrib.messages import constants as message_constants  # noqa: E402

MESSAGE_TAGS = {message_constants.ERROR: "danger"}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "10.000 Freunde <freunde@fwz-hannover.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# the address of the application, for links in e-mails sent by jobs (digests, reminders) outside a request
SITE_URL = env_str("SITE_URL", "http://localhost:8000")
# participants' signed links (core/links.py, docs/participants.md): days a link opens, answers it takes,
# requests a minute one address may make to the participants' pages; the text-message backend (core/sms.py)
PARTICIPANT_LINK_DAYS = env_int("PARTICIPANT_LINK_DAYS", 14)
PARTICIPANT_LINK_MAX_USES = env_int("PARTICIPANT_LINK_MAX_USES", 5)
PARTICIPANT_LINK_RATE = env_int("PARTICIPANT_LINK_RATE", 30)
# a volunteer's self-service link (tandems/views_selfservice.py): longer, and for several changes
PARTICIPANT_SELF_SERVICE_DAYS = env_int("PARTICIPANT_SELF_SERVICE_DAYS", 60)
PARTICIPANT_SELF_SERVICE_USES = env_int("PARTICIPANT_SELF_SERVICE_USES", 100)
SMS_BACKEND = env_str("SMS_BACKEND", "core.sms.ConsoleBackend")
# whom a participant whose link no longer works is told to contact (shown on that page)
PARTICIPANT_CONTACT = env_str(
    "PARTICIPANT_CONTACT", "Freiwilligenzentrum Hannover, freunde@fwz-hannover.example"
)
# who gets an e-mail for every server error with DEBUG off ("Name <address>, Other <address>"); the report
# leaves out form values, query values, cookies and addresses (config/errors.py)
ADMINS = env_admins("ADMINS")

# The job queue (procrastinate, in PostgreSQL): tasks live in each app's tasks.py; jobs deferred inside a
# transaction commit or roll back with it. Workers run `manage.py procrastinate worker` (deploy/), and one
# of them (any) defers the periodic tasks (core/, volunteers/, trainings/, tandems/tasks.py).

# Production hardening; `manage.py check --deploy` is clean with DEBUG off and these defaults.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
# The language switch's cookie: sent over TLS only when the session cookie is, never read by scripts.
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp), enforced: only our own scripts, styles, fonts and images; no inline
# script, event handler, style attribute or <style> block (tests/core/test_csp.py walks the templates).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "mail_admins": {
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "class": "django.utils.log.AdminEmailHandler",
            "reporter_class": "config.error_mail.PersonalDataReporter",
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # replaces Django's default handlers of "django" (whose mail_admins would send a second, unfiltered
        # e-mail); its records still reach the console through the root logger
        "django": {"handlers": [], "level": "INFO"},
        "django.request": {"handlers": ["mail_admins"], "level": "ERROR"},
        # the job queue's start-up lines (task registration) at INFO would repeat in every command
        "procrastinate": {"level": env_str("JOBS_LOG_LEVEL", "WARNING")},
    },
}

# Optional error tracking: Sentry (or a compatible service) gets each error, scrubbed (config/errors.py).
SENTRY_DSN = env_secret("SENTRY_DSN", "")
if SENTRY_DSN:
    from config.errors import sentry_init

    sentry_init(dsn=SENTRY_DSN, environment=env_str("SENTRY_ENVIRONMENT", "production"))

# `manage.py backup` (nightly): compressed dumps in BACKUP_DIR, each deleted after BACKUP_KEEP_DAYS days; erased
# data live on in a dump that long (docs/privacy.md)
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(BASE_DIR / ".data" / "backups")))
BACKUP_KEEP_DAYS = env_int("BACKUP_KEEP_DAYS", 30)

# Demo logins created by `manage.py seed_demo` (never by a migration).
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo")

# One cache every process shares (the sign-up limit, the report figures): a table in PostgreSQL, created by the
# migration core 0007; a per-process memory cache would give each gunicorn worker its own count.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tenk_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}
# The dashboard and grant report figures are kept this long per scope and period (0: always computed); a
# saved volunteer, refugee or tandem makes them be computed again at once (reporting.selectors.report_data_version).
REPORT_CACHE_SECONDS = env_int("REPORT_CACHE_SECONDS", 300)
CLEARANCE_VALIDITY_DAYS = env_int("CLEARANCE_VALIDITY_DAYS", 1826)
