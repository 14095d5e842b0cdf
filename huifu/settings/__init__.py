"""Huifu settings.

Deployment settings come from the environment and are read only here (see ``env.py``).
Business knobs (deadlines, budgets, programme rules, the hotline number) are data that
staff maintain in the product, never settings.
"""

from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from .env import Env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = Env()

DEBUG = env.bool("HUIFU_DEBUG", False)
SECRET_KEY = env.secret_key(BASE_DIR / "var" / "secret_key", debug=DEBUG)
ALLOWED_HOSTS = env.list("HUIFU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("HUIFU_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env.str("HUIFU_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    # Before allauth: its templates (login, password reset, two-factor) are overridden there.
    "huifu.accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "huifu.core",
    "huifu.audit",
    "huifu.directory",
    "huifu.files",
    "huifu.outbox",
    "huifu.notifications",
    "huifu.workdays",
    "huifu.notices",
    "huifu.tracking",
    "huifu.servicedesk",
    "huifu.intake",
    "huifu.visits",
    "huifu.hotline",
    "huifu.budget",
    "huifu.activities",
    "huifu.deepening",
    "huifu.cases",
    "huifu.publicsite",
    "huifu.products",
    "huifu.tradingdata",
    "huifu.incentives",
    "huifu.settlements",
    "huifu.events",
    "huifu.certificates",
    "huifu.credits",
    "huifu.universities",
    "huifu.eduworks",
    "huifu.awards",
    "huifu.selections",
    "huifu.dashboards",
    "huifu.yearplan",
    "huifu.search",
    "huifu.api",
]

MIDDLEWARE = [
    # First: the health check answers without sessions or the database user (see the class).
    "huifu.core.middleware.HealthzMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Generated documents and attachments: Cache-Control private, no-store.
    "huifu.core.middleware.PrivateDocumentsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: a saved language preference needs the user.
    "huifu.core.middleware.ChineseFirstLocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The file store failed during the request: 503 + Retry-After (the form keeps the input).
    "huifu.files.storage.StorageUnavailableMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Before the TOTP check: an expired session is logged out, not sent to set up TOTP.
    "huifu.accounts.middleware.IdleTimeoutMiddleware",
    "huifu.accounts.middleware.MfaRequiredMiddleware",
    # Axes must be last: it inspects the response of the whole stack.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "huifu.urls"
WSGI_APPLICATION = "huifu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "huifu" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "huifu.core.context_processors.site",
                "huifu.notifications.context_processors.bell",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
# SQLite is the embedded default; production sets DATABASE_URL to PostgreSQL.
DATABASES = {"default": env.database(BASE_DIR / "var" / "huifu.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth ---------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first, so a locked-out account is refused before a password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env.str("HUIFU_EMAIL_VERIFICATION", "optional")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "huifu.accounts.adapters.AccountAdapter"
# Sign-up answers alike for a new and a registered address (huifu/accounts/signup.py).
ACCOUNT_FORMS = {"signup": "huifu.accounts.signup.SignupForm"}
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_RATE_LIMITS = {"login_failed": None}  # Axes owns lockout; two counters would disagree.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Huifu 会服"
MFA_ADAPTER = "huifu.accounts.second_factor.MfaAdapter"
# Wrong codes allowed per pending login; one more ends it and counts as a failed login.
HUIFU_TOTP_FAILURE_LIMIT = env.int("HUIFU_TOTP_FAILURE_LIMIT", 5)

AXES_FAILURE_LIMIT = env.int("HUIFU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "login"
# allauth passes the address as `email`; one normalised key per account, whatever the case typed.
AXES_USERNAME_CALLABLE = "huifu.accounts.lockout.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Lockout counts per account (AXES_LOCKOUT_PARAMETERS) and, beside it, per client address with a
# higher limit (the handler): one address trying many accounts (password spraying) is stopped
# too, while rotating addresses still cannot escape the per-account count.
AXES_HANDLER = "huifu.accounts.lockout.AccountAndAddressHandler"
HUIFU_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("HUIFU_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
# Behind a reverse proxy, the client address is the one it appends to X-Forwarded-For;
# without HUIFU_TRUSTED_PROXY_COUNT every client would share the proxy's address (and one
# sprayer would lock out everybody). django-ipware is not installed, so axes is given our own
# resolver; allauth's per-address rate limits read the same count.
HUIFU_TRUSTED_PROXY_COUNT = env.int("HUIFU_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "huifu.accounts.lockout.client_address"
ALLAUTH_TRUSTED_PROXY_COUNT = HUIFU_TRUSTED_PROXY_COUNT
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "huifu" / "locale"]
# Date inputs render ISO in every language (huifu/core/formats/zh_Hans/formats.py says why).
FORMAT_MODULE_PATH = ["huifu.core.formats"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = env.path("HUIFU_MEDIA_ROOT", BASE_DIR / "var" / "media")
STORAGES = {
    "default": env.file_storage(MEDIA_ROOT),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
if DEBUG:
    # Local runs serve assets from the apps; an empty STATIC_ROOT keeps WhiteNoise quiet.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
HUIFU_UPLOAD_MAX_BYTES = env.int("HUIFU_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------
# Every message goes through huifu.outbox; this backend is what the outbox delivers with.
EMAIL_BACKEND = env.str("HUIFU_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = BASE_DIR / "var" / "sent-mail"
EMAIL_HOST = env.str("HUIFU_EMAIL_HOST", "localhost")
EMAIL_PORT = env.int("HUIFU_EMAIL_PORT", 25)
EMAIL_HOST_USER = env.str("HUIFU_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.str("HUIFU_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.bool("HUIFU_EMAIL_USE_TLS", False)
# Bounds every SMTP connect/read: a relay that hangs costs one attempt this long, then a retry.
EMAIL_TIMEOUT = env.int("HUIFU_EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env.str("HUIFU_DEFAULT_FROM_EMAIL", "会服系统 Huifu <huifu@example.com>")

# --- Background jobs ------------------------------------------------------------------------
# With no broker the database is the queue (django-tasks-db, `manage.py huifu_worker`);
# with HUIFU_REDIS_URL set, jobs go through RQ on Redis.
TASKS = env.tasks()
if TASKS["default"]["BACKEND"].endswith(".RQBackend"):
    INSTALLED_APPS.append("django_rq")  # the RQ backend's system check requires it
HUIFU_MAIL_MAX_ATTEMPTS = env.int("HUIFU_MAIL_MAX_ATTEMPTS", 8)
# huifu_worker (huifu/core/worker.py): a job RUNNING longer than the lease lost its worker and
# runs again; an outbox row "sending" longer than its lease is retried with the same Message-ID.
HUIFU_TASK_LEASE_SECONDS = env.int("HUIFU_TASK_LEASE_SECONDS", 600)
HUIFU_TASK_MAX_CLAIMS = env.int("HUIFU_TASK_MAX_CLAIMS", 5)
HUIFU_WORKER_SWEEP_SECONDS = env.int("HUIFU_WORKER_SWEEP_SECONDS", 60)
HUIFU_WORKER_MAX_BACKOFF_SECONDS = env.int("HUIFU_WORKER_MAX_BACKOFF_SECONDS", 60)
# huifu.files.kept: an upload kept after a form error and never claimed is deleted after this.
HUIFU_KEPT_UPLOAD_RETENTION_HOURS = env.int("HUIFU_KEPT_UPLOAD_RETENTION_HOURS", 48)
HUIFU_MAIL_SENDING_LEASE_SECONDS = env.int("HUIFU_MAIL_SENDING_LEASE_SECONDS", 120)
HUIFU_MAIL_LOST_JOB_SECONDS = env.int("HUIFU_MAIL_LOST_JOB_SECONDS", 3600)  # pending, no job: re-drive
RQ_QUEUES = env.rq_queues()
# huifu_rqworker: how often RQ looks for jobs of dead workers (and re-queues them).
HUIFU_RQ_MAINTENANCE_SECONDS = env.int("HUIFU_RQ_MAINTENANCE_SECONDS", 60)
if env.redis_url():
    # API throttling and allauth's used-TOTP-code memory must be shared by all processes. While
    # Redis is down the cache falls back to per-process memory (huifu/core/cache.py).
    CACHES = {"default": {"BACKEND": "huifu.core.cache.ResilientRedisCache", "LOCATION": env.redis_url()}}
HUIFU_INTAKE = env.intake(BASE_DIR / "var" / "intake")  # the MSC mailbox (huifu.intake)

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "huifu.accounts.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "huifu.api.schema.AutoSchema",  # declares the error responses
    "DEFAULT_PAGINATION_CLASS": "huifu.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "huifu.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "huifu.accounts.throttling.ApiUserThrottle",
        "huifu.accounts.throttling.ApiAnonThrottle",
    ],
    # Anonymous clients are told apart by address: X-Forwarded-For only through a trusted proxy.
    "NUM_PROXIES": env.int("HUIFU_TRUSTED_PROXY_COUNT", 0),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per user (tokens and session together) and per anonymous address; over it: 429.
HUIFU_API_RATES = {
    "user": env.str("HUIFU_API_RATE_USER", "600/minute"),
    "anon": env.str("HUIFU_API_RATE_ANON", "60/minute"),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Huifu 会服 API",
    "DESCRIPTION": "Member-services and investor-education platform of the exchange.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SECURITY": [{"BearerAuth": []}],
    "APPEND_COMPONENTS": {
        "securitySchemes": {"BearerAuth": {"type": "http", "scheme": "bearer"}},
    },
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Choice sets whose field names collide across apps ("kind", "status", …) get stable names
    # instead of hashed ones (Status04cEnum) that change with the choices. The schema test fails
    # on any new collision (huifu/api/tests/test_schema_generation.py).
    "ENUM_NAME_OVERRIDES": {
        "DepartmentKindEnum": "huifu.directory.models.DepartmentKind",
        "CertificateKindEnum": "huifu.certificates.models.CertificateKind",
        "CertificateStateEnum": "huifu.certificates.models.CertificateState",
        "OrganisationKindEnum": "huifu.directory.models.OrganisationKind",
        "ProjectKindEnum": "huifu.incentives.models.ProjectKind",
        "ProjectStatusEnum": "huifu.incentives.models.ProjectStatus",
        "FormStatusEnum": "huifu.servicedesk.models.FormStatus",
        "FormChannelEnum": "huifu.servicedesk.models.Channel",
        "VisitStatusEnum": "huifu.visits.models.VisitStatus",
        "PlanStatusEnum": "huifu.deepening.models.PlanStatus",
        "NoticeAudienceKindEnum": "huifu.notices.models.AudienceKind",
        "PublicationStatusEnum": "huifu.notices.models.NoticeStatus",  # cases use the same set
    },
}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# A session ends after this long without a request (staff and regulators sooner) and at the
# latest SESSION_COOKIE_AGE after logging in (huifu.accounts.middleware.IdleTimeoutMiddleware).
HUIFU_IDLE_TIMEOUT_MINUTES = env.int("HUIFU_IDLE_TIMEOUT_MINUTES", 120)
HUIFU_IDLE_TIMEOUT_PRIVILEGED_MINUTES = env.int("HUIFU_IDLE_TIMEOUT_PRIVILEGED_MINUTES", 30)
SESSION_COOKIE_AGE = env.int("HUIFU_SESSION_MAX_HOURS", 12) * 3600
SESSION_COOKIE_SECURE = env.bool("HUIFU_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# HTTPS deployments (HUIFU_SECURE_COOKIES=true) also redirect plain HTTP to HTTPS and send HSTS,
# unless switched off one by one. /healthz stays reachable over HTTP for internal probes.
SECURE_SSL_REDIRECT = env.bool("HUIFU_SSL_REDIRECT", SESSION_COOKIE_SECURE)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("HUIFU_HSTS_SECONDS", 365 * 24 * 3600 if SESSION_COOKIE_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("HUIFU_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = False
if env.int("HUIFU_TRUSTED_PROXY_COUNT", 0):
    # The proxy terminates TLS and says so; without a trusted proxy the header is ignored.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Scripts only from this site: no inline <script>, no on*= attributes, no eval (templates declare
# behaviour with data- attributes, huifu/core/static/huifu/huifu.js). Styles allow 'unsafe-inline'
# for the few style="" attributes in templates and Swagger UI's inline <style>; CSS cannot run
# script. data: images are Pico's and Swagger UI's inline SVG icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("HUIFU_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

HUIFU_PRODUCT_NAME = _("Huifu member service system")
