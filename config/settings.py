"""OneStop settings: one module, configured by environment variables.

Every value a deployment changes comes from the environment (see README.md, "Configuration");
the defaults are those of the embedded demo: SQLite in ./var, DEBUG off unless asked for.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ONESTOP_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Only for the local demo: a fixed key keeps sessions valid across restarts of `make run`.
    SECRET_KEY = "onestop-insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "onestop.core",
    "onestop.audit",
    "onestop.events",
    "onestop.accounts",
    "onestop.catalog",
    "onestop.centres",
    "onestop.notify",
    "onestop.queue",
    "onestop.cases",
    "onestop.feedback",
    "onestop.portal",
    "onestop.callcentre",
    "onestop.monitoring",
    "onestop.planning",
    "onestop.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "onestop.core.i18n.QueryLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onestop.core.i18n.language_context",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)  # WhiteNoise warns on every start without it
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'onestop.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE takes the write lock at BEGIN: a deferred transaction that reads and then writes
    # fails at once with "database is locked" under concurrency (REFERENCE.md). FULL sync keeps
    # acknowledged commits across a power loss.
    # Off by default: under the ASGI server each request runs in a new thread and kept
    # connections leak (REFERENCE.md). Gunicorn's threads may keep theirs (CONN_MAX_AGE).
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ.get("CONN_MAX_AGE", "0"))
    # Writers wait their turn on a kernel lock instead of SQLite's sleeping busy handler.
    DATABASES["default"]["ENGINE"] = "onestop.core.db.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
        ),
    }
    # A file, not the in-memory shared cache: concurrency tests need real locking.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-onestop.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:start"
LOGOUT_REDIRECT_URL = "portal:home"

# --- Languages, time ------------------------------------------------------------------------
LANGUAGE_CODE = "kk"  # the state language is the default; Accept-Language and the cookie win
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_django"]
FORMAT_MODULE_PATH = ["onestop.formats"]
LANGUAGE_COOKIE_NAME = "onestop_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
TIME_ZONE = "Asia/Almaty"
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
WHITENOISE_USE_FINDERS = True  # serve straight from the apps; collectstatic is for production
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- E-mail and SMS -------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OneStop <noreply@onestop.local>")
SMS_BACKEND = os.environ.get("SMS_BACKEND", "onestop.notify.sms.OutboxSmsBackend")
SMS_SENDER = os.environ.get("SMS_SENDER", "OneStop")
# For SMS_BACKEND=onestop.notify.sms.HttpSmsBackend: the gateway's endpoint and token.
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_TIMEOUT = float(os.environ.get("SMS_GATEWAY_TIMEOUT", "5"))
# The gateway's inbound webhook (POST /api/v1/sms/inbound) must carry this bearer token;
# empty refuses every inbound message.
SMS_INBOUND_TOKEN = os.environ.get("SMS_INBOUND_TOKEN", "")
# The development inbox page (/dev/inbox/) shows the SMS the demo gateway "sent": on by default
# only in DEBUG, so a production server never lists citizens' messages.
DEV_INBOX = env_bool("DEV_INBOX", DEBUG)
# Citizen identification by one-time SMS code.
OTP_TTL_SECONDS = int(os.environ.get("OTP_TTL_SECONDS", "300"))
OTP_MAX_ATTEMPTS = int(os.environ.get("OTP_MAX_ATTEMPTS", "5"))
CITIZEN_SESSION_SECONDS = int(os.environ.get("CITIZEN_SESSION_SECONDS", "1800"))
OTP_RESEND_SECONDS = int(os.environ.get("OTP_RESEND_SECONDS", "60"))
OTP_MAX_PER_HOUR = int(os.environ.get("OTP_MAX_PER_HOUR", "5"))  # codes per IIN
# One browser address may not send codes to many people's phones.
OTP_SENDS_PER_ADDRESS_PER_HOUR = int(os.environ.get("OTP_SENDS_PER_ADDRESS_PER_HOUR", "30"))
# Given in the answer to an SMS "BOOKING" (and on pages that offer a phone line), when set.
CALL_CENTRE_PHONE = os.environ.get("CALL_CENTRE_PHONE", "1414")
# Complaints: the provider reviews within 5 working days (Law "On Public Services", art. 25);
# an unanswered or disputed complaint goes to a quality reviewer, who has this many more.
COMPLAINT_REVIEW_WORKING_DAYS = int(os.environ.get("COMPLAINT_REVIEW_WORKING_DAYS", "5"))
COMPLAINT_ESCALATED_WORKING_DAYS = int(os.environ.get("COMPLAINT_ESCALATED_WORKING_DAYS", "15"))
# Staff wellbeing: serving longer than this without a break raises an alert for management.
WELLBEING_MAX_CONTINUOUS_MINUTES = int(os.environ.get("WELLBEING_MAX_CONTINUOUS_MINUTES", "120"))
# Alert e-mails go in the recipient's preferred language, else this one.
ALERTS_DEFAULT_LANGUAGE = os.environ.get("ALERTS_DEFAULT_LANGUAGE", "kk")

# --- Applications ---------------------------------------------------------------------------
# The state registries (people, documents obtained by IIN); the demo one needs no network.
REGISTRY_ADAPTER = os.environ.get("REGISTRY_ADAPTER", "onestop.cases.registries.DemoRegistry")
# A result not collected within this many days goes back to its department.
CASES_UNCOLLECTED_DAYS = int(os.environ.get("CASES_UNCOLLECTED_DAYS", "30"))
# Where the citizen's status page lives, for links in receipts and messages.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# --- API tokens -----------------------------------------------------------------------------
API_TOKEN_TTL_HOURS = int(os.environ.get("API_TOKEN_TTL_HOURS", "12"))

# --- Security (production) ------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # fpdf2's font subsetting logs ~100 INFO lines per PDF.
        "fontTools": {"level": "WARNING"},
    },
}
QUEUE_RECALLS_BEFORE_NO_SHOW = int(os.environ.get("QUEUE_RECALLS_BEFORE_NO_SHOW", "2"))
# "Your turn is near": an SMS when this many people or fewer are ahead (0 turns it off).
QUEUE_SMS_WHEN_AHEAD = int(os.environ.get("QUEUE_SMS_WHEN_AHEAD", "3"))
# The demo loader writes its kiosks' raw tokens here so `make run` can print kiosk links.
DEMO_DEVICES_FILE = VAR_DIR / "demo-devices.json"
