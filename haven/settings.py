"""Haven's settings. Every deployment choice comes from an environment variable with a safe default.

The embedded default (no variables set) is a single process on SQLite with in-memory cache and
channel layer. DATABASE_URL switches to PostgreSQL, REDIS_URL to Redis for cache and channels.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from haven.local_setup import SETUP_COMMAND


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("HAVEN_DATA_DIR", BASE_DIR / "var"))
# Trained safety models and embedding indexes: derived from shipped data, safe to share.
MODEL_DIR = Path(os.environ.get("HAVEN_MODEL_DIR", DATA_DIR / "models"))


def _read_local_file(path: Path, what: str) -> str:
    """The embedded default's secrets are files in the data folder, made by one explicit step
    (haven/local_setup.py, which `make run` calls): importing the settings writes nothing."""
    try:
        return path.read_text()
    except FileNotFoundError:
        raise ImproperlyConfigured(
            f"{what} is missing ({path}). Run `{SETUP_COMMAND}` once (make run and make test "
            "do), or set it in the environment."
        ) from None


def _local_secret_key() -> str:
    return _read_local_file(DATA_DIR / "secret_key", "The secret key").strip()


DEBUG = env_bool("DJANGO_DEBUG", False)
# A production deployment must bring its own secrets: nothing is created on local disk there.
PRODUCTION = env_bool("HAVEN_PRODUCTION", False)
if PRODUCTION and not os.environ.get("DJANGO_SECRET_KEY"):
    raise ImproperlyConfigured("HAVEN_PRODUCTION is set: DJANGO_SECRET_KEY must be set too.")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or _local_secret_key()
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "channels",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "haven.core",
    "haven.accounts",
    "haven.safety",
    "haven.communities",
    "haven.forums",
    "haven.updates",
    "haven.notifications",
    "haven.moderation",
    "haven.chat",
    "haven.wellness",
    "haven.care",
    "haven.rooms",
    "haven.direct_messages",
    "haven.matching",
    "haven.jobs",
    "haven.backups",
    "haven.api",
    "haven.demo",
    "django_tasks_db",
    # Only for its templates and static files: /api/docs serves Swagger UI from the site itself,
    # which the CSP allows, instead of from a CDN, which it blocks.
    "ninja",
]

MIDDLEWARE = [
    # /healthz, /readyz and /metrics: answered before anything else (haven/health.py).
    "haven.health.ProbeMiddleware",
    # The request id on every log line and as X-Request-ID, and the access log (haven/core/logs.py).
    "haven.core.logs.RequestLogMiddleware",
    # Request latency by view for /metrics (haven/core/metrics.py).
    "haven.core.metrics.RequestMetricsMiddleware",
    # A request's live events (WebSocket pushes) sent together at its end, and the answers the
    # layers of one page share, computed once (haven/core/request_memo.py).
    "haven.core.middleware.RequestScopeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Sees every response last but WhiteNoise's: anything for a member is never cached.
    "haven.core.middleware.PrivateResponseMiddleware",
    # Database down or pool exhausted: 503 with the static crisis page (after static files).
    "haven.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language of the switch's cookie or the browser; a member's saved one wins below.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "haven.accounts.language.MemberLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "haven.accounts.middleware.ActorMiddleware",
    # The device cookie and the daily ban-evasion signals (sees the member a view signed in).
    "haven.accounts.device_cookie.DeviceSignalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "haven.core.middleware.HtmxLoginRedirectMiddleware",
    "haven.accounts.middleware.TwoFactorRequiredMiddleware",
    "haven.accounts.middleware.GuidelinesAcceptanceMiddleware",
    "haven.moderation.middleware.ActivityMiddleware",
    # Axes must be last: it turns repeated failed logins into a lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "haven.urls"
ASGI_APPLICATION = "haven.asgi.application"
WSGI_APPLICATION = None

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "haven" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "haven.context_processors.site",
                "haven.context_processors.support_panel",
            ],
            "builtins": ["haven.core.templatetags.haven"],
        },
    },
]

# --- Database: SQLite embedded, PostgreSQL with DATABASE_URL
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'haven.sqlite3'}",
        # Persistent connections are not safe under ASGI: every request runs in a thread of its
        # own, and each thread kept its own connection until PostgreSQL ran out of them (issue
        # 13). PostgreSQL uses the pool below instead; this applies only where it is off.
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers go on while one request writes; IMMEDIATE avoids deadlocked upgrades.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
# PostgreSQL: each process (web, worker) holds at most HAVEN_DB_POOL_SIZE connections, in
# psycopg's pool; a request, a consumer call or a job takes one and gives it back when it is
# done. Keep processes x HAVEN_DB_POOL_SIZE <= max_connections - reserve (README, "Production
# database connections"). A request that finds the pool empty waits HAVEN_DB_POOL_TIMEOUT
# seconds, then gets the 503 page with crisis lines (haven.core.middleware).
HAVEN_DB_POOL_SIZE = int(os.environ.get("HAVEN_DB_POOL_SIZE", "10"))
HAVEN_DB_POOL_MIN_SIZE = min(int(os.environ.get("HAVEN_DB_POOL_MIN_SIZE", "2")), HAVEN_DB_POOL_SIZE)
HAVEN_DB_POOL_TIMEOUT = float(os.environ.get("HAVEN_DB_POOL_TIMEOUT", "10"))
# Behind PgBouncer in transaction mode the pooling is PgBouncer's: no pool here, a connection
# per request, no server-side cursors (they would outlive the transaction PgBouncer lends).
HAVEN_DB_PGBOUNCER = env_bool("HAVEN_DB_PGBOUNCER", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    db_options = DATABASES["default"].setdefault("OPTIONS", {})
    # A server that does not answer is an outage: fail within a few seconds, not minutes.
    db_options.setdefault("connect_timeout", max(1, round(HAVEN_DB_POOL_TIMEOUT)))
    if HAVEN_DB_PGBOUNCER:
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    elif HAVEN_DB_POOL_SIZE > 0:
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # Django's pool hands connections back instead
        db_options["pool"] = {
            "min_size": HAVEN_DB_POOL_MIN_SIZE,
            "max_size": HAVEN_DB_POOL_SIZE,
            "timeout": HAVEN_DB_POOL_TIMEOUT,
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and channel layer: in memory, or Redis with REDIS_URL
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_KEY_PREFIX = os.environ.get("HAVEN_CACHE_PREFIX", "haven")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            # Pub/sub: each message goes straight to the processes that have listeners, with
            # no per-process queue to poll or overflow. Delivery is at most once, which is
            # enough: chat messages are stored first and a client resumes from the last id.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                # redis-py 8 times reads out after 5 s by default; a quiet subscription must
                # not count as a failure.
                "hosts": [{"address": REDIS_URL, "socket_timeout": None}],
                "prefix": f"{CACHE_KEY_PREFIX}:asgi",
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# --- Accounts and security
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "forums:home"
LOGOUT_REDIRECT_URL = "core:landing"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["pseudonym", "email"]},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

HTTPS = env_bool("HAVEN_HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
# HSTS for every subdomain, and the browsers' preload list, are the host's choice: a community
# often lives on a subdomain of an organisation whose other sites this must not lock to HTTPS.
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("HAVEN_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = HTTPS and env_bool("HAVEN_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
}

# Two-factor authentication: the name authenticator apps show, and a little clock drift.
OTP_TOTP_ISSUER = os.environ.get("HAVEN_SITE_NAME", "Haven")
OTP_TOTP_TOLERANCE = 1

# The client's address comes from the socket; X-Forwarded-For is believed only from these
# proxies (comma-separated addresses or networks, e.g. "127.0.0.1,10.0.0.0/8"). Login
# throttling, rate limits and records all use haven.core.client_ip.client_ip.
HAVEN_TRUSTED_PROXIES = [
    entry.strip()
    for entry in os.environ.get("HAVEN_TRUSTED_PROXIES", "").split(",")
    if entry.strip()
]
RATELIMIT_IP_META_KEY = "haven.core.client_ip.client_ip"

# Login throttling (haven.accounts.lockout): a pseudonym from one address is locked after
# HAVEN_LOGIN_FAILURE_LIMIT failures, a pseudonym from anywhere after
# HAVEN_LOGIN_ACCOUNT_FAILURE_LIMIT, on the login form and POST /api/auth/token alike.
AXES_FAILURE_LIMIT = int(os.environ.get("HAVEN_LOGIN_FAILURE_LIMIT", "5"))
HAVEN_LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("HAVEN_LOGIN_ACCOUNT_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = float(os.environ.get("HAVEN_LOGIN_COOLOFF_HOURS", "0.25"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "haven.accounts.lockout.axes_username"
AXES_CLIENT_IP_CALLABLE = "haven.core.client_ip.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "haven.accounts.lockout.lockout_response"
AXES_HANDLER = "haven.accounts.lockout.AccountAndAddressLockoutHandler"
AXES_VERBOSE = False
# No log of successful logins: it would keep every member's raw address for ever.
AXES_DISABLE_ACCESS_LOG = True

# API tokens expire this many days after they are issued.
HAVEN_API_TOKEN_DAYS = int(os.environ.get("HAVEN_API_TOKEN_DAYS", "90"))
# Password reset requests: per client address and per e-mail address asked about.
HAVEN_PASSWORD_RESET_RATES = {
    "ip": os.environ.get("HAVEN_PASSWORD_RESET_IP_RATE", "10/h"),
    "address": os.environ.get("HAVEN_PASSWORD_RESET_ADDRESS_RATE", "3/h"),
}

# --- Internationalisation
# English unless the reader chose otherwise: a member's saved language, the language switch's
# cookie, then the browser's Accept-Language (haven.accounts.language). URLs stay the same.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [BASE_DIR / "haven" / "locale"]
LANGUAGE_COOKIE_NAME = "haven_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files, served by WhiteNoise
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("HAVEN_STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # WhiteNoise's compressed copies, and the page nginx shows when Haven is down.
    "staticfiles": {"BACKEND": "haven.core.static_storage.HavenStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# --- Limits: requests are small texts; anything larger is a mistake or an attack.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
# How many of a server process's HTTP requests run their views at once; the rest wait their turn
# in arrival order (haven/core/request_turns.py). A few at a time keep the chat sockets quick
# when the site is busy; 0 runs every request at once, as Django alone does.
HAVEN_HTTP_CONCURRENCY = int(os.environ.get("HAVEN_HTTP_CONCURRENCY", "2"))

# --- Haven
HAVEN_SITE_NAME = os.environ.get("HAVEN_SITE_NAME", "Haven")
# Where links in e-mails point.
HAVEN_SITE_URL = os.environ.get("HAVEN_SITE_URL", "http://127.0.0.1:8000")
HAVEN_DEFAULT_COUNTRY = os.environ.get("HAVEN_DEFAULT_COUNTRY", "US")
HAVEN_PAGE_SIZE = int(os.environ.get("HAVEN_PAGE_SIZE", "20"))
HAVEN_REPLIES_PAGE_SIZE = int(os.environ.get("HAVEN_REPLIES_PAGE_SIZE", "50"))
HAVEN_NEEDS_SUPPORT_DAYS = int(os.environ.get("HAVEN_NEEDS_SUPPORT_DAYS", "30"))

MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND", "haven.accounts.mail.UnconfiguredEmailBackend"
        )
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "haven@localhost")

# --- Logs (haven/core/logs.py): to standard error, each line with its request id. json: one
# object per line, for a log collector; text: for reading in a terminal.
HAVEN_LOG_FORMAT = os.environ.get("HAVEN_LOG_FORMAT") or ("json" if PRODUCTION else "text")
if HAVEN_LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("HAVEN_LOG_FORMAT must be json or text.")
# One `haven.access` line per request and per WebSocket (method, path without the query string,
# status, milliseconds, view, member id).
HAVEN_ACCESS_LOG = env_bool("HAVEN_ACCESS_LOG", PRODUCTION)
# uvicorn's own access lines (HTTP, and WebSocket handshakes in uvicorn.error) hold the client's
# address and the query string, where search words are: kept only in the demo's text log.
_UVICORN_ACCESS_LOG = HAVEN_LOG_FORMAT == "text" and not HAVEN_ACCESS_LOG
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "haven.core.logs.RequestIdFilter"},
        "no_debug": {"()": "haven.core.logs.NoDebugFilter"},
        "no_socket_handshakes": {"()": "haven.core.logs.NoSocketHandshakeFilter"},
    },
    "formatters": {
        "json": {"()": "haven.core.logs.JsonFormatter"},
        "text": {"()": "haven.core.logs.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": HAVEN_LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("HAVEN_LOG_LEVEL", "WARNING")},
    "loggers": {
        # An expected 403, 404 or 429 is not an error: without this, Django adds a warning (with
        # a traceback for a refusal) for each of them.
        "django.request": {"level": os.environ.get("HAVEN_REQUEST_LOG_LEVEL", "ERROR")},
        # With DEBUG on, every query is logged with its parameters: members' words.
        "django.db.backends": {"filters": ["no_debug"]},
        "haven.access": {"level": "INFO"},
        # uvicorn's lines in the same format (their levels stay uvicorn's --log-level).
        "uvicorn": {"handlers": ["console"], "propagate": False},
        "uvicorn.error": {
            "filters": ["no_debug"] if _UVICORN_ACCESS_LOG else ["no_debug", "no_socket_handshakes"]
        },
        "uvicorn.access": {
            "handlers": ["console"] if _UVICORN_ACCESS_LOG else [],
            "propagate": False,
        },
    },
}

# --- Safety and moderation
HAVEN_SAFETY_EMBEDDINGS = os.environ.get("HAVEN_SAFETY_EMBEDDINGS", "auto")  # auto | off
HAVEN_NEW_ACCOUNT_DAYS = int(os.environ.get("HAVEN_NEW_ACCOUNT_DAYS", "3"))
# Keyed digests of where accounts were seen (ban-evasion signals) go after this many days unseen.
HAVEN_DEVICE_SIGNAL_DAYS = int(os.environ.get("HAVEN_DEVICE_SIGNAL_DAYS", "180"))


def env_rates(group: str, **defaults: str) -> dict[str, str]:
    """One rate limit group: {"member"|"new_member"|"ip": "N/period"}, each overridable as
    HAVEN_RATE_<GROUP>_<KEY>, e.g. HAVEN_RATE_THREAD_NEW_MEMBER=5/h."""
    return {
        key: os.environ.get(f"HAVEN_RATE_{group.upper()}_{key.upper()}", rate)
        for key, rate in defaults.items()
    }


# Each kind of write has its own group, so using up one never blocks another, and the ways to
# help (asking for a listener, the quick start, the safety plan) have generous groups of their
# own that only stop a runaway client. New accounts get less room to post: most spam and
# pile-ons come from fresh accounts.
HAVEN_RATE_LIMITS = {
    "thread": env_rates("thread", member="15/h", new_member="5/h", ip="30/h"),
    "reply": env_rates("reply", member="30/h", new_member="10/h", ip="60/h"),
    "update": env_rates("update", member="30/h", new_member="10/h", ip="60/h"),
    # Edits, profiles, feedback, library suggestions, therapist applications.
    "post": env_rates("post", member="30/h", new_member="10/h", ip="60/h"),
    "chat_request": env_rates("chat_request", member="30/h", new_member="30/h", ip="120/h"),
    # Successful sign-ups and quick starts from one address (a failed form is not counted).
    "signup": env_rates("signup", ip=os.environ.get("HAVEN_SIGNUP_RATE", "5/h")),
    "quick_start": env_rates("quick_start", ip="30/h"),
    "report": env_rates("report", member="20/h", new_member="8/h", ip="40/h"),
    # A live chat is many short messages: room for a long conversation, not for a flood.
    "chat": env_rates("chat", member="600/h", new_member="300/h", ip="1200/h"),
    # Journal, check-ins: private, so generous; the limit only stops a runaway client.
    "private": env_rates("private", member="300/h", new_member="300/h", ip="900/h"),
    "safety_plan": env_rates("safety_plan", member="300/h", new_member="300/h", ip="900/h"),
    # Suggestions while writing: one request per pause in typing.
    "suggest": env_rates("suggest", member="600/h", new_member="300/h", ip="1200/h"),
    # A group room is a live conversation, like a chat.
    "room": env_rates("room", member="600/h", new_member="300/h", ip="1200/h"),
    # Asking a stranger to talk privately: few, so a request cannot become spam or grooming.
    "direct_request": env_rates("direct_request", member="10/h", new_member="3/h", ip="20/h"),
}
# Every kind of write (the `action` of haven.accounts.gates.check_can_write) and the rate limit
# group above that counts it (None: not limited).
HAVEN_WRITE_ACTIONS = {
    "thread": "thread",
    "reply": "reply",
    "edit": "post",
    "update": "update",
    "profile": "post",
    "peer_profile": "post",
    "feedback": "post",
    "library": "post",
    "therapist_application": "post",
    "chat_request": "chat_request",
    "chat_message": "chat",
    "chat": None,  # ending a chat, a listener's availability, taking a request
    "care_message": "private",
    "care": "private",  # booking, questionnaire, screening, choosing, notes
    "telehealth": None,
    "private": "private",  # journal, check-ins
    "safety_plan": "safety_plan",  # writing and sharing one's safety plan
    "report": "report",
    "appeal": "report",
    "suggest": "suggest",
    "delete": None,  # taking one's own words down
    "reaction": None,
    "follow": None,
    "subscription": None,
    "membership": None,
    "favourite": None,
    "read": None,
    "moderate": None,
    "check_in": "private",  # answering a moderator's check-in: open under a mute
    "room_message": "room",
    "room": None,  # joining, leaving, a host's tools
    "room_start": "post",  # a room's title and topic
    "circle": "post",  # scheduling a sharing circle
    "direct_request": "direct_request",
    "direct_message": "chat",
    "direct": None,  # accepting, declining, closing a direct conversation
    "block": None,
    "preferences": None,
}
# Kinds of write counted only once they are done: the caller records each success with
# haven.accounts.gates.record_write, so refused or failed attempts cost nothing. The others are
# still counted as they are checked.
HAVEN_WRITES_COUNTED_WHEN_DONE = frozenset({"thread", "reply", "update", "chat_request"})
RATELIMIT_ENABLE = env_bool("HAVEN_RATE_LIMITS_ENABLED", True)
# One process on the embedded default shares its memory cache; Django's own Redis cache
# increments atomically. django-ratelimit only knows other backends by name.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]
# Django's advice to send HSTS to subdomains and to ask for preloading: see
# HAVEN_HSTS_INCLUDE_SUBDOMAINS above for why Haven leaves both to the host.
SILENCED_SYSTEM_CHECKS += ["security.W005", "security.W021"]
# Over-reliance nudges: several crisis-flagged posts in a short time, or very long daily use.
HAVEN_NUDGE_CRISIS_POSTS = int(os.environ.get("HAVEN_NUDGE_CRISIS_POSTS", "3"))
HAVEN_NUDGE_CRISIS_HOURS = int(os.environ.get("HAVEN_NUDGE_CRISIS_HOURS", "24"))
HAVEN_NUDGE_DAILY_MINUTES = int(os.environ.get("HAVEN_NUDGE_DAILY_MINUTES", "180"))

# --- Community depth: trust levels, rooms and circles, direct messages, responders
# The trust level each action needs (haven.accounts.trust). Moderators and staff have them all.
HAVEN_TRUST_UNLOCKS = {
    "post_links": int(os.environ.get("HAVEN_TRUST_POST_LINKS", "1")),
    "post_images": int(os.environ.get("HAVEN_TRUST_POST_IMAGES", "2")),
    "direct_messages": int(os.environ.get("HAVEN_DIRECT_MESSAGE_MIN_LEVEL", "2")),
    "sensitive_threads": int(os.environ.get("HAVEN_TRUST_SENSITIVE_THREADS", "1")),
    "host_rooms": int(os.environ.get("HAVEN_TRUST_HOST_ROOMS", "2")),
}
# What each level needs: days since joining, threads read, helpful reactions received, and
# days without a moderation action against the member (a clean record).
HAVEN_TRUST_REQUIREMENTS = {
    1: {"days": 1, "threads_read": 5, "helpful_reactions": 0, "clean_days": 0},
    2: {"days": 7, "threads_read": 20, "helpful_reactions": 3, "clean_days": 7},
    3: {"days": 30, "threads_read": 100, "helpful_reactions": 20, "clean_days": 30},
    4: {"days": 90, "threads_read": 300, "helpful_reactions": 60, "clean_days": 90},
}
HAVEN_ROOM_TRANSCRIPT_DAYS = int(os.environ.get("HAVEN_ROOM_TRANSCRIPT_DAYS", "30"))
HAVEN_CIRCLE_OPENS_MINUTES_BEFORE = int(os.environ.get("HAVEN_CIRCLE_OPENS_MINUTES_BEFORE", "10"))
HAVEN_CIRCLE_REMINDER_MINUTES_BEFORE = int(
    os.environ.get("HAVEN_CIRCLE_REMINDER_MINUTES_BEFORE", "60")
)
# A thread in a support community with no reply after this long is offered to a few responders.
HAVEN_UNANSWERED_AFTER_MINUTES = int(os.environ.get("HAVEN_UNANSWERED_AFTER_MINUTES", "30"))
HAVEN_UNANSWERED_OFFER_TO = int(os.environ.get("HAVEN_UNANSWERED_OFFER_TO", "3"))


# --- Wellness: private texts encrypted at rest
def _local_encryption_keys() -> list[str]:
    """Fernet keys kept in a file outside the database (made by the local set-up step). The
    first line is the key new text is written with; the others still decrypt."""
    key_file = Path(os.environ.get("HAVEN_ENCRYPTION_KEY_FILE", DATA_DIR / "encryption_keys"))
    text = _read_local_file(key_file, "The encryption key file")
    return [line.strip() for line in text.splitlines() if line.strip()]


# Comma-separated Fernet keys, newest first. Rotate: put a new key first, run
# `haven rotate_encryption_keys`, then drop the old key.
HAVEN_ENCRYPTION_KEYS = env_list("HAVEN_ENCRYPTION_KEYS", "")
if not HAVEN_ENCRYPTION_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "HAVEN_PRODUCTION is set: HAVEN_ENCRYPTION_KEYS must hold at least one Fernet key "
            "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key())')."
        )
    HAVEN_ENCRYPTION_KEYS = _local_encryption_keys()

# A review by a verified professional stays current this long; then the resource says it is due.
HAVEN_RESOURCE_REVIEW_DAYS = int(os.environ.get("HAVEN_RESOURCE_REVIEW_DAYS", "365"))

# --- Background jobs: Django's tasks framework. The database queue needs nothing more than the
# database; HAVEN_TASKS_BACKEND=rq moves the queue to Redis (django-tasks-rq, REDIS_URL).
HAVEN_TASKS_BACKEND = os.environ.get("HAVEN_TASKS_BACKEND", "database")
if HAVEN_TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("HAVEN_TASKS_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A job still marked running this long after it started belongs to a worker that died: it is
# run again (every job is idempotent).
HAVEN_JOB_STALE_MINUTES = int(os.environ.get("HAVEN_JOB_STALE_MINUTES", "15"))
# Sent as `Authorization: Bearer <token>`, it lets the host read each check of /readyz.
HAVEN_HEALTH_TOKEN = os.environ.get("HAVEN_HEALTH_TOKEN", "")
# Sent as `Authorization: Bearer <token>`, it lets Prometheus read /metrics (unset: no /metrics).
HAVEN_METRICS_TOKEN = os.environ.get("HAVEN_METRICS_TOKEN", "")
# A worker that has not recorded a heartbeat for this long is taken for dead.
HAVEN_WORKER_DEAD_SECONDS = int(os.environ.get("HAVEN_WORKER_DEAD_SECONDS", "30"))
# How often the worker's scheduler looks for due reminders.
HAVEN_SCHEDULE_SECONDS = int(os.environ.get("HAVEN_SCHEDULE_SECONDS", "60"))

# --- Live chat: listener presence and offers
# haven.js beats over the notification socket this often; a member whose sockets have all been
# silent for the stale time counts as gone (a closed tab is gone at once).
HAVEN_PRESENCE_HEARTBEAT_SECONDS = int(os.environ.get("HAVEN_PRESENCE_HEARTBEAT_SECONDS", "20"))
HAVEN_PRESENCE_STALE_SECONDS = int(os.environ.get("HAVEN_PRESENCE_STALE_SECONDS", "60"))
# A request offered to a listener goes back to the queue (keeping its place) if they have not
# accepted it in this time; the seeker may ask for someone else when a listener has not answered
# their last message for the quiet time.
HAVEN_CHAT_OFFER_SECONDS = int(os.environ.get("HAVEN_CHAT_OFFER_SECONDS", "120"))
HAVEN_CHAT_QUIET_SECONDS = int(os.environ.get("HAVEN_CHAT_QUIET_SECONDS", "300"))

# --- Professional care
# Members book at least this long ahead, and cancel without a late-cancellation mark until then.
HAVEN_BOOKING_MIN_NOTICE_HOURS = int(os.environ.get("HAVEN_BOOKING_MIN_NOTICE_HOURS", "12"))
HAVEN_CANCEL_NOTICE_HOURS = int(os.environ.get("HAVEN_CANCEL_NOTICE_HOURS", "24"))
HAVEN_BOOKING_HORIZON_DAYS = int(os.environ.get("HAVEN_BOOKING_HORIZON_DAYS", "28"))
# WebRTC: STUN/TURN servers for members behind NAT (e.g. Debian's coturn), comma-separated URLs.
HAVEN_STUN_URLS = env_list("HAVEN_STUN_URLS", "")
HAVEN_TURN_URLS = env_list("HAVEN_TURN_URLS", "")
HAVEN_TURN_USERNAME = os.environ.get("HAVEN_TURN_USERNAME", "")
HAVEN_TURN_PASSWORD = os.environ.get("HAVEN_TURN_PASSWORD", "")
# The telehealth room opens this many minutes before a session and closes this long after it.
HAVEN_ROOM_OPENS_MINUTES = int(os.environ.get("HAVEN_ROOM_OPENS_MINUTES", "10"))
HAVEN_ROOM_CLOSES_MINUTES = int(os.environ.get("HAVEN_ROOM_CLOSES_MINUTES", "30"))
# Therapists' licence evidence: private files, never served as static or media. Read through a
# callable storage, so the path stays out of the migrations.
HAVEN_EVIDENCE_DIR = Path(
    os.environ.get("HAVEN_EVIDENCE_DIR", DATA_DIR / "private" / "licence-evidence")
)

# --- Backups (haven.backups): where `haven backup` writes, and how many it keeps there. A
# deleted account leaves the backups when the last one made before the deletion is rotated out.
HAVEN_BACKUP_DIR = Path(os.environ.get("HAVEN_BACKUP_DIR", DATA_DIR / "backups"))
HAVEN_BACKUP_KEEP = int(os.environ.get("HAVEN_BACKUP_KEEP", "14"))
# Deleted accounts, outside the database (haven/accounts/deletion_ledger.py): a restored older
# backup would bring them back, so `haven restore` deletes them again. Each backup copies it
# beside the backup folders, so it travels off the machine with them.
HAVEN_DELETION_LEDGER = Path(
    os.environ.get("HAVEN_DELETION_LEDGER", DATA_DIR / "deleted-accounts.ledger")
)

# --- Retention: how long records are kept before daily jobs delete them (docs/deploy.md,
# "What is kept, and for how long"). Room talk: HAVEN_ROOM_TRANSCRIPT_DAYS above.
# Live-chat messages, counted from the end of the chat; a chat an open report needs is kept.
HAVEN_CHAT_TRANSCRIPT_DAYS = int(os.environ.get("HAVEN_CHAT_TRANSCRIPT_DAYS", "365"))
# The moderators' audit log: six years, the longest common legal minimum for such records; set
# your own jurisdiction's.
HAVEN_AUDIT_KEEP_DAYS = int(os.environ.get("HAVEN_AUDIT_KEEP_DAYS", "2190"))
# Failed sign-in records (with their address) and expired sessions.
HAVEN_LOGIN_RECORD_DAYS = int(os.environ.get("HAVEN_LOGIN_RECORD_DAYS", "30"))
# Finished background jobs, kept for looking into problems.
HAVEN_JOB_RESULT_DAYS = int(os.environ.get("HAVEN_JOB_RESULT_DAYS", "7"))

# --- Matching (sentence embeddings and vector search)
# auto: all-MiniLM-L6-v2 when the `ai` extra is installed, else hashed n-grams; or minilm/hashing.
HAVEN_EMBEDDINGS = os.environ.get("HAVEN_EMBEDDINGS", "auto")
# Languages whose texts and queries are matched by the hashing embedder instead of MiniLM,
# which learned from English text. Measured on Spanish queries (`haven match_eval --language
# es`), MiniLM still ranks Spanish content better than hashing does, so none by default; a host
# whose own measurements differ lists them here (e.g. "es").
HAVEN_HASHING_LANGUAGES = frozenset(
    code.strip()
    for code in os.environ.get("HAVEN_HASHING_LANGUAGES", "").split(",")
    if code.strip()
)
# Search leaves out meaning-only hits below this cosine similarity (MiniLM; hashing scaled).
HAVEN_SEARCH_MIN_SIMILARITY = float(os.environ.get("HAVEN_SEARCH_MIN_SIMILARITY", "0.3"))
# numpy: exact search in memory over the stored vectors (the default, no extra service).
# sqlite-vec: a vec0 file at HAVEN_VECTOR_PATH. pgvector: HNSW on HAVEN_PGVECTOR_URL.
HAVEN_VECTOR_BACKEND = os.environ.get("HAVEN_VECTOR_BACKEND", "numpy")
HAVEN_VECTOR_PATH = os.environ.get("HAVEN_VECTOR_PATH", str(DATA_DIR / "vectors.sqlite3"))
HAVEN_PGVECTOR_URL = os.environ.get("HAVEN_PGVECTOR_URL", "")
if HAVEN_VECTOR_BACKEND not in ("numpy", "sqlite-vec", "pgvector"):
    raise ImproperlyConfigured("HAVEN_VECTOR_BACKEND must be numpy, sqlite-vec or pgvector.")
if HAVEN_VECTOR_BACKEND == "pgvector" and not HAVEN_PGVECTOR_URL:
    raise ImproperlyConfigured(
        "HAVEN_VECTOR_BACKEND=pgvector needs HAVEN_PGVECTOR_URL, a PostgreSQL where the vector "
        "extension is installed (it may be DATABASE_URL's server)."
    )
