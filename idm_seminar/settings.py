"""Settings of the IDM seminar site, one file for every environment.

Everything that differs between a developer's machine, CI and production is read from the
environment, with defaults that are safe for local work. `IDM_ENVIRONMENT=production` turns on the
production checks: it refuses to start without a strong SECRET_KEY.
"""

import sys
from pathlib import Path

import environ
import xstatic.pkg.jquery_ui
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

ENVIRONMENT = env.str("IDM_ENVIRONMENT", default="local")
if ENVIRONMENT not in {"local", "production"}:
    raise ImproperlyConfigured(
        f"IDM_ENVIRONMENT must be 'local' or 'production', not {ENVIRONMENT!r}."
    )
PRODUCTION = ENVIRONMENT == "production"

LOCAL_SECRET_KEY = "django-insecure-local-only-key-never-used-in-production"
SECRET_KEY = env.str("SECRET_KEY", default=LOCAL_SECRET_KEY)

# Hardening: the key signs participants' and speakers' links and sessions; production refuses to
# start with one that can be guessed (the same rules as Django's security.W009 check, which only
# warns, and only under `manage.py check --deploy`).
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
if PRODUCTION:
    if SECRET_KEY.startswith("django-insecure-"):
        raise ImproperlyConfigured(
            "SECRET_KEY starts with 'django-insecure-': production needs a key of its own."
        )
    if len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"SECRET_KEY has {len(SECRET_KEY)} characters: production needs at least "
            f"{SECRET_KEY_MIN_LENGTH} random characters."
        )
    if len(set(SECRET_KEY)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        raise ImproperlyConfigured(
            f"SECRET_KEY has {len(set(SECRET_KEY))} distinct characters: production needs at "
            f"least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} (use a random key)."
        )

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Content in English, French and Spanish: a column per language (before the admin, whose
    # forms it extends).
    "modeltranslation",
    # django.contrib.admin with the hardened site (idm_seminar/admin.py)
    "idm_seminar.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "simple_history",
    "axes",
    "django_tasks_db",
    "agenda",
    "documents",
    "speakers",
    "registration",
    "proceedings",
    "outbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above the page cache, so that pages answered from memory and the 503 page carry the
    # policy too.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Public pages from memory, ahead of everything below; database outages answered (503).
    "idm_seminar.pagecache.PageCacheMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads the body (CSRF reads the form): refuses oversized uploads unread.
    "speakers.slides.RequestBodyLimitMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "idm_seminar.urls"
WSGI_APPLICATION = "idm_seminar.wsgi.application"

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
                "django.template.context_processors.i18n",
                "idm_seminar.languages.alternates",
            ],
        },
    },
]

# The database: DATABASE_URL names a real server (production, or a developer's own); without it
# the project's private PostgreSQL under var/ (devtools/localdb.py) is used.
if "DATABASE_URL" in env:
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    from devtools import localdb

    DATABASES = {
        "default": {"ENGINE": "django.db.backends.postgresql", **localdb.connection_settings()}
    }
DATABASES["default"].setdefault("ENGINE", "django.db.backends.postgresql")
# PostgreSQL through Django's backend with a back-off (idm_seminar/postgresql/base.py): after a
# failed connection, none is tried for DATABASE_RETRY_SECONDS, so that during an outage requests
# answer stale pages or the 503 page at once instead of each waiting for the connect timeout.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "idm_seminar.postgresql"
DATABASE_RETRY_SECONDS = env.float("DATABASE_RETRY_SECONDS", default=3.0)
# Persistent connections: opening a connection per request costs more than rendering a page.
# Except under the development server (`manage.py runserver`, as `make run` starts it): it runs
# each request in a thread of its own, and a persistent connection per thread would stay open
# after it (dozens after a few pages), so it connects per request.
DEVELOPMENT_SERVER = sys.argv[1:2] == ["runserver"]
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "CONN_MAX_AGE", default=0 if DEVELOPMENT_SERVER else 60
)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", 3))
DATABASES["default"]["TEST"] = {"NAME": env.str("DATABASE_TEST_NAME", default="test_idm_seminar")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache lives in Postgres so that every web process sees the same rate limits and the same
# invalidations of cached pages; CACHE_URL can name a shared cache service instead.
if "CACHE_URL" in env:
    CACHES = {"default": env.cache("CACHE_URL")}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "idm_cache",
            "TIMEOUT": 3600,
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Organizer logins: locked for an hour after five failures of one username from one address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0)
# The lockout is a page in the admin's look that says what happened, for how long, what to do.
AXES_LOCKOUT_CALLABLE = "idm_seminar.views.admin_lockout"

LANGUAGE_CODE = "en"
# IOM's official languages. English pages keep their addresses at the root; French and Spanish
# ones live under /fr/ and /es/ (idm_seminar/urls.py).
LANGUAGES = [("en", "English"), ("fr", "Français"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Organizers' texts: one column per language (title_en, title_fr, title_es); what a page shows
# when its language's is empty is decided per event (agenda.translation), not here.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en", "fr", "es")
# The admin's language tabs use our copy of jQuery UI (STATICFILES_DIRS), never Google's CDN,
# which modeltranslation loads by default. It reads this name, without its usual prefix.
JQUERY_UI_URL = "jquery-ui/jquery-ui.min.js"
MODELTRANSLATION_AUTO_POPULATE = False
TIME_ZONE = "Europe/Zurich"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # jQuery UI for the admin's language tabs (modeltranslation), from its PyPI package.
    ("jquery-ui", xstatic.pkg.jquery_ui.BASE_DIR),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Private uploads (speakers' slides) live outside MEDIA_ROOT, where no URL serves them: only views
# that check who asks hand them out, as attachments.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
if Path(PRIVATE_MEDIA_ROOT).resolve().is_relative_to(Path(MEDIA_ROOT).resolve()):
    raise ImproperlyConfigured("PRIVATE_MEDIA_ROOT must not lie inside the public MEDIA_ROOT.")
# The private storage's backend and its options (a JSON object) come from the environment, so
# object storage (django-storages, a bucket with no public access) replaces the folder without a
# code change. The default backend keeps its files in PRIVATE_MEDIA_ROOT, for the owner only.
PRIVATE_STORAGE_BACKEND = env.str(
    "PRIVATE_STORAGE_BACKEND", default="speakers.slides.PrivateFileSystemStorage"
)
try:
    PRIVATE_STORAGE_OPTIONS = env.json("PRIVATE_STORAGE_OPTIONS", default={})
except ValueError as error:
    raise ImproperlyConfigured(f"PRIVATE_STORAGE_OPTIONS is not valid JSON: {error}") from None
if not isinstance(PRIVATE_STORAGE_OPTIONS, dict):
    raise ImproperlyConfigured("PRIVATE_STORAGE_OPTIONS must be a JSON object.")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": PRIVATE_STORAGE_BACKEND, "OPTIONS": PRIVATE_STORAGE_OPTIONS},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Locally whitenoise serves straight from the app and project static folders (no collectstatic);
# production serves the collected, compressed and fingerprinted files.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# Files browsers ask for at the site's root (/favicon.ico), served by WhiteNoise as they are.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Background work: immediate in development and tests, a database queue with its worker
# (`manage.py db_worker`) in production.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default=(
                "django_tasks_db.DatabaseBackend"
                if PRODUCTION
                else "django.tasks.backends.immediate.ImmediateBackend"
            ),
        )
    }
}

# E-mail (Django 6.1 MAILERS): production names its SMTP server in EMAIL_URL; locally every message
# is written as a file under var/mail/ where the developer can read it.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="IOM IDM seminars <idm@iom.int>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAIL_TIMEOUT_SECONDS = env.int("EMAIL_TIMEOUT", default=10)
if "EMAIL_URL" in env:
    _smtp = env.email_url("EMAIL_URL")
    MAILERS = {
        "default": {
            "BACKEND": _smtp["EMAIL_BACKEND"],
            "OPTIONS": {
                "host": _smtp["EMAIL_HOST"],
                "port": _smtp["EMAIL_PORT"],
                "username": _smtp["EMAIL_HOST_USER"],
                "password": _smtp["EMAIL_HOST_PASSWORD"],
                "use_tls": _smtp.get("EMAIL_USE_TLS", False),
                "use_ssl": _smtp.get("EMAIL_USE_SSL", False),
                "timeout": MAIL_TIMEOUT_SECONDS,
            },
        }
    }
elif PRODUCTION:
    raise ImproperlyConfigured("Production needs EMAIL_URL naming its SMTP server.")
else:
    MAILERS = {
        "default": {
            "BACKEND": "idm_seminar.mail.ReadableFileBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }

# Every response, in every environment (SecurityMiddleware sends it): participants' and speakers'
# pages carry their secret token in the URL, and "same-origin" keeps it out of other sites'
# Referer headers. Not "no-referrer": browsers then send "Origin: null" with the pages' forms and
# the CSRF check refuses every submission.
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy (Django's own, django.middleware.csp): every page, the admin included,
# loads only the site's own scripts, styles, fonts and images; no inline script or style, no
# plugin, no other site framing a page or receiving a form. img-src allows data: URLs because
# Bootstrap's stylesheet draws the checkboxes, radio buttons and select arrows as data: SVG
# images. No nonce: pages are cached whole, and a nonce would have to change per response.
# The admin adds one allowance, under /admin/ only: see idm_seminar/admin.py (admin_csp).
# Django's own DEBUG error pages (technical 404/500) have inline styles and scripts without a
# nonce: locally they show unstyled, their text complete.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Registration
# Participants' links (signed, see registration/links.py) expire after this many days; a new one
# can be requested from the site at any time.
REGISTRATION_LINK_MAX_AGE_DAYS = env.int("REGISTRATION_LINK_MAX_AGE_DAYS", default=60)
# Personal data of registrations are anonymized this many days after their event ended
# (`manage.py anonymize_past_registrations`, run daily).
REGISTRATION_RETENTION_DAYS = env.int("REGISTRATION_RETENTION_DAYS", default=365)
# Form submissions (register, request a link) allowed per client address and window, counted in
# the shared cache so that the limit holds across every web process.
REGISTRATION_RATE_LIMIT = env.int("REGISTRATION_RATE_LIMIT", default=10)
REGISTRATION_RATE_WINDOW = env.int("REGISTRATION_RATE_WINDOW", default=600)
# Lock the event's registration settings row before counting seats. Only tests switch it off, to
# prove that the concurrency test would catch overbooking.
REGISTRATION_SEAT_LOCK = True

# Speakers' links work at least this many days after they are sent, and in any case until a
# fortnight after the event ends (speakers.services.speaker_link_expiry).
SPEAKER_LINK_MIN_DAYS = env.int("SPEAKER_LINK_MIN_DAYS", default=60)

# Speakers' slides: the largest file, and each speaker's quota per event (files and bytes). Request
# bodies larger than one file (plus a little for the form) are refused before they are read.
SPEAKER_SLIDES_MAX_BYTES = env.int("SPEAKER_SLIDES_MAX_BYTES", default=25 * 1024 * 1024)
SPEAKER_SLIDES_MAX_FILES = env.int("SPEAKER_SLIDES_MAX_FILES", default=5)
SPEAKER_SLIDES_QUOTA_BYTES = env.int("SPEAKER_SLIDES_QUOTA_BYTES", default=60 * 1024 * 1024)
# A PPTX is a zip: one whose entries declare more than this, unpacked, is refused (zip bombs).
SPEAKER_SLIDES_MAX_UNPACKED_BYTES = env.int(
    "SPEAKER_SLIDES_MAX_UNPACKED_BYTES", default=300 * 1024 * 1024
)
# Nomination documents and answers' files: PDFs of at most this size (registration.uploads);
# their upload addresses accept a body of this plus the form.
REGISTRATION_UPLOAD_MAX_BYTES = env.int("REGISTRATION_UPLOAD_MAX_BYTES", default=5 * 1024 * 1024)
# Every other request body is refused above this size, unread: forms need far less.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=1024 * 1024)
# In the admin, for signed-in users only (organizers upload documents there).
ADMIN_REQUEST_BODY_MAX_BYTES = env.int("ADMIN_REQUEST_BODY_MAX_BYTES", default=50 * 1024 * 1024)
