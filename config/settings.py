"""The platform's one settings module, driven by ``CHUANGYE_*`` environment variables (see README).

Two modes: ``development`` (the default: embedded SQLite, built-in insecure keys that production refuses) and
``production`` (every secret must be given, HTTPS-only cookies and HSTS). ``DEBUG`` is on only when
``CHUANGYE_DEBUG`` says so, and never in production.
"""

import datetime as dt
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR") or BASE_DIR / "var")

ENVIRONMENT = (env_str("ENV", "development") or "development").strip().lower()
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("CHUANGYE_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"

# Development keys: fixed so that encrypted demo data survives restarts; production refuses them by name.
_DEV_SECRET_KEY = "insecure-dev-only-5c0d1b9e7a2f4e6c8b3a1d0f9e8c7b6a5d4c3b2a1f0e9d8c7b6a"  # noqa: S105
_DEV_PII_KEYS = "dev1:ZGV2LW9ubHktcGlpLWtleS1ub3QtZm9yLXByb2R1Y3Q="
_DEV_PII_INDEX_KEY = "ZGV2LW9ubHktYmxpbmQtaW5kZXgta2V5LW5vdC1wcm9k"


def _secret(name: str, dev_default: str) -> str:
    value = env_str(name)
    if PRODUCTION:
        if not value:
            raise ImproperlyConfigured(
                f"Production mode needs CHUANGYE_{name} (or CHUANGYE_{name}_FILE); it is not set."
            )
        if value == dev_default:
            raise ImproperlyConfigured(f"CHUANGYE_{name} is the development key; set a real secret.")
        return value
    return value or dev_default


SECRET_KEY = _secret("SECRET_KEY", _DEV_SECRET_KEY)
# Personal-data encryption keys, "keyid:base64key" separated by commas; the first encrypts, all decrypt.
PII_KEYS = _secret("PII_KEYS", _DEV_PII_KEYS)
# Key of the HMAC blind index used to find people by ID number or phone without decrypting.
PII_INDEX_KEY = _secret("PII_INDEX_KEY", _DEV_PII_INDEX_KEY)

DEBUG = env_bool("DEBUG", False) and not PRODUCTION
if PRODUCTION:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production mode needs CHUANGYE_ALLOWED_HOSTS (comma-separated host names).")
else:
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "chuangye.accounts.admin_app.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "chuangye.core",
    "chuangye.accounts",
    "chuangye.registry",
    "chuangye.policies",
    "chuangye.inbox",
    "chuangye.cases",
    "chuangye.registration",
    "chuangye.loans",
    "chuangye.finance",
    "chuangye.training",
    "chuangye.cultivation",
    "chuangye.services",
    "chuangye.incubators",
    "chuangye.flexible",
    "chuangye.reporting",
    "chuangye.jobs",
    "chuangye.portal",
    "chuangye.workbench",
    "chuangye.demo",
]

MIDDLEWARE = [
    "chuangye.core.proxy.ProxyClientAddressMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "chuangye.accounts.middleware.SessionGenerationMiddleware",
    "chuangye.accounts.middleware.SecondFactorMiddleware",
    "chuangye.accounts.middleware.PasswordExpiryMiddleware",
    "chuangye.accounts.middleware.DenyByDefaultMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
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
                "chuangye.core.context_processors.platform",
            ],
            "builtins": [
                "chuangye.core.templatetags.platform",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'chuangye.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers proceed during a write; the timeout makes a writer wait instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out accounts before any password check
    "chuangye.accounts.backends.AccountBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "chuangye.accounts.passwords.CharacterClassValidator"},
]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
# Staff and partner passwords expire (MLPS 8.1.4.1 a); citizens' do not (ASVS V2.1.10).
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)

# Lockout after 5 failures for 15 minutes, per account (MLPS 8.1.4.1 b). The username is normalised to the
# account it resolves to, so trying a phone number and then an ID number does not double the allowance.
AXES_FAILURE_LIMIT = env_int("LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "chuangye.accounts.backends.axes_username"
AXES_LOCKOUT_CALLABLE = "chuangye.accounts.views.locked_out"
AXES_VERBOSE = False
# axes.W006 asks to lock out by IP address too. Bureaus and partners sit behind shared office NAT addresses, so an
# IP lockout would let one mistyping clerk lock out a whole office; logins are rate-limited per IP instead
# (django-ratelimit on the login views).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
OTP_TOTP_ISSUER = "创业服务平台"

# The cache holds rate-limit counters, so it must be shared by every process: the database by default,
# Redis when configured for scale.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "chuangye_cache",
    }
}
REDIS_URL = env_str("REDIS_URL") or ""
if REDIS_URL:
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
# Background tasks through the Django Tasks API (django-tasks), decision 0019. CHUANGYE_TASKS chooses the backend:
#   immediate - a task runs in the process that enqueues it (development, tests, a county on one machine);
#   database  - tasks wait in the database for `manage.py run_worker` processes (django-tasks-db); the default in
#               production mode;
#   rq        - tasks wait in Redis (CHUANGYE_REDIS_URL) for `manage.py run_worker` processes (RQ, django-tasks-rq).
# Long jobs are split into parts by chuangye.jobs, whose leases make a part killed with its worker run again.
TASKS_BACKEND = (env_str("TASKS", "database" if PRODUCTION else "immediate") or "").strip().lower()
TASKS: dict[str, dict[str, object]]
if TASKS_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("CHUANGYE_TASKS=rq needs CHUANGYE_REDIS_URL.")
    INSTALLED_APPS.append("django_rq")
    # A part runs for seconds; the timeout only stops a runaway one (its lease then lets another worker retry it).
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env_int("TASK_TIMEOUT_SECONDS", 3600)}}
    RQ_SHOW_ADMIN_LINK = False
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured("CHUANGYE_TASKS must be 'immediate', 'database' or 'rq'.")
# Seconds a worker holds a job part before another worker may take it over (a worker killed mid-part), and how
# often each worker looks for such parts and for scheduled jobs that are due.
JOB_LEASE_SECONDS = env_int("JOB_LEASE_SECONDS", 600)
JOB_SWEEP_SECONDS = env_int("JOB_SWEEP_SECONDS", 30)
# Workers start the calendar's jobs (chuangye/jobs/schedule.py) unless this is off.
JOB_SCHEDULE = env_bool("JOB_SCHEDULE", True)
RATELIMIT_VIEW = "chuangye.accounts.views.rate_limited"
NINJA_NUM_PROXIES = env_int("NUM_PROXIES", 0)
# The reverse proxies whose X-Real-IP names the client (chuangye.core.proxy); gunicorn trusts the same list for
# X-Forwarded-Proto (config/gunicorn.conf.py).
FORWARDED_ALLOW_IPS = env_list("FORWARDED_ALLOW_IPS", ["127.0.0.1", "::1"])

# Text messages: "console" writes to the log, "file" appends to $VAR_DIR/sms.log, "memory" keeps them for tests.
# A real gateway is one more class in chuangye/accounts/sms.py.
SMS_BACKEND = env_str("SMS_BACKEND", None if PRODUCTION else "console") or ""
if PRODUCTION and SMS_BACKEND in ("", "console", "memory"):
    raise ImproperlyConfigured("Production mode needs CHUANGYE_SMS_BACKEND naming a real sender.")

# Sessions: 30 minutes idle (MLPS 8.1.4.1 b). Saving on every request makes the expiry slide with activity.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
# Stored in UTC; shown in Beijing time. Local calendars (working days) are computed on purpose, in core.workdays.
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns at start-up when it is missing

# Security headers. The CSP allows no inline script or style: templates load vendored files only.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
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
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    # Behind a TLS-terminating proxy (nginx) that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# The address the public reaches the platform at, printed in QR codes on licences and certificates.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "http://127.0.0.1:8000") or "http://127.0.0.1:8000"

# Years a registrant's record is kept after its last change before `anonymise_people` may anonymise it
# (an assumption to confirm with each bureau: no national figure; PIPL art. 19 asks for the shortest necessary).
REGISTRY_RETENTION_YEARS = env_int("REGISTRY_RETENTION_YEARS", 5)

# Money columns: up to 999,999,999,999.99 yuan (a province's guarantee fund with headroom).
MONEY_MAX_DIGITS = 14
MONEY_DECIMAL_PLACES = 2

# Demo and tests: the two neighbouring counties the demo data lives in (成都市锦江区, 成都市武侯区).
DEMO_REGIONS = ["510104", "510107"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO") or "INFO"},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
