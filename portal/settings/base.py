"""Settings shared by every environment. Environment-specific modules import * from here."""

from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_database, env_float, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "portal"

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Our apps first so their templates and translations win.
    "portal.core",
    "portal.access",
    "portal.organisations",
    "portal.councils",
    "portal.hearings",
    "portal.positions",
    "portal.meetings",
    "portal.training",
    "portal.workspace",
    "portal.security",
    "workflows",
    "search",
    # The portal editor for organisations' drafts (above hearings and positions).
    "portal.editor",
    # Demo content (load_demo): the top layer, above every app it fills.
    "portal.demo",
    # Content translation.
    "wagtail_localize",
    "wagtail_localize.locales",
    # Wagtail.
    "wagtail.api.v2",
    "wagtail.contrib.settings",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "guardian",
    # The task queue's table and its worker (portal/core/background.py, `manage.py task_worker`).
    "django_tasks",
    "django_tasks_db",
    # Login throttling (portal/security/throttling.py).
    "axes",
    # Two-step sign-in (portal/security/two_factor.py): app codes (TOTP) and single-use backup codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Django.
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # CSP, nosniff, Referrer-Policy and Cache-Control on every response (portal/security/headers.py).
    "portal.security.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The Wagtail site for the host name, once per content generation (portal/core/lookups.py).
    "portal.core.lookups.SiteMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Marks a session verified once it passed a code (django-otp); then holds a session that still
    # owes its second factor at the code page (portal/security/two_factor.py).
    "django_otp.middleware.OTPMiddleware",
    "portal.security.two_factor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Refuses admin views naming a page outside what the user acts on: other organisations' spaces,
    # meetings of other councils (portal/workspace/admin_scope.py).
    "portal.workspace.admin_scope.AdminScopeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Whole public pages as anonymous readers get them, for PORTAL_PAGE_CACHE_SECONDS (portal/core/page_cache.py).
    "portal.core.page_cache.AnonymousPageCacheMiddleware",
    # Turns a locked-out login into the lock-out page; last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
# Live co-editing of drafts over WebSockets (portal/editor/consumers.py) needs the ASGI server.
ASGI_APPLICATION = "portal.asgi.application"
# One process: the in-memory layer. Several processes share Redis (production settings).
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer",
                              "CONFIG": {"capacity": 1000, "expiry": 30}}}
# Live editing: a revision when typing pauses this long, and at least this often while it goes on.
PORTAL_LIVE_SAVE_PAUSE_SECONDS = env_int("PORTAL_LIVE_SAVE_PAUSE_SECONDS", 2)
PORTAL_LIVE_SAVE_MAX_SECONDS = env_int("PORTAL_LIVE_SAVE_MAX_SECONDS", 60)
# Access is asked again this often (and at once when a membership changes).
PORTAL_LIVE_RECHECK_SECONDS = env_int("PORTAL_LIVE_RECHECK_SECONDS", 3)
# Largest message from a browser, and messages per second (with a burst) before the socket is closed.
PORTAL_LIVE_MAX_MESSAGE_BYTES = env_int("PORTAL_LIVE_MAX_MESSAGE_BYTES", 262144)
PORTAL_LIVE_MESSAGES_PER_SECOND = env_int("PORTAL_LIVE_MESSAGES_PER_SECOND", 50)
PORTAL_LIVE_BURST = env_int("PORTAL_LIVE_BURST", 200)
# What a draft's editors type within this many seconds goes to the other server processes as one
# message (the editors in the same process get every keystroke at once).
PORTAL_LIVE_BATCH_SECONDS = env_float("PORTAL_LIVE_BATCH_SECONDS", 0.005)
# Cursor (awareness) moves reach a draft's other editors at most this often, each editor's latest.
PORTAL_LIVE_AWARENESS_SECONDS = env_float("PORTAL_LIVE_AWARENESS_SECONDS", 0.05)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------
DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database has several writers at once (web workers, the task worker). WAL lets pages
    # be read while one of them writes; IMMEDIATE takes the write lock when a transaction begins, so a
    # transaction that reads and then writes (signing in with a backup code) waits its turn for up to
    # `timeout` seconds instead of failing at once with "database is locked" (SQLite cannot make a
    # reader wait for a lock upgrade). Seen in the load soak: three editors signing in beside eight readers.
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    })
if DATABASE_IS_POSTGRES:
    # Needed for the Norwegian full-text configuration of the database search backend.
    INSTALLED_APPS.append("django.contrib.postgres")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses locked-out attempts before any password is hashed (django-axes).
    "portal.security.throttling.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
# Guardian's anonymous user row is not needed: anonymous visibility is decided by our own service.
ANONYMOUS_USER_NAME = None

# --- Languages ------------------------------------------------------------------------------------
# Also the fallback of every other language's catalogues: Wagtail and wagtail-localize ship no Nynorsk,
# so a Nynorsk reader of the admin gets Bokmål where they lack a string, never English (Django falls back
# to LANGUAGE_CODE, on the server and in the JavaScript catalogue; tests/core/test_locale_formats.py).
LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("en", _("English")),
]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our own date and time formats per language (portal/formats/<code>/formats.py): English reads
# "27 November 2026, 17:29"; templates use the named formats (DATE_FORMAT, SHORT_DATETIME_FORMAT, ...).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Files that only some people may read (hearing responses' originals, owners' exports): outside
# MEDIA_ROOT, so no web server can hand them out; views check the visibility service and stream them.
PORTAL_PRIVATE_ROOT = Path(env_str("PORTAL_PRIVATE_ROOT", str(BASE_DIR / "var" / "private")))
# The default storage keeps Wagtail documents (some private) below PORTAL_PRIVATE_ROOT too: MEDIA_ROOT
# holds only public files (portal/core/private_storage.py).
STORAGES = {
    "default": {"BACKEND": "portal.core.private_storage.MediaStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PORTAL_PRIVATE_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Wagtail --------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Brukermedvirkning"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Documents always go through the permission check (collection view restrictions and our hooks);
# 'direct' would serve private files to anyone holding the URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "png", "jpg", "jpeg"]
# Uploads are checked by content and size and renamed safely (portal/security/uploads.py); every
# document is downloaded as an attachment, never rendered by the browser as part of our site.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.security.forms.SafeDocumentForm"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []
# No Gravatar in the admin: it would send a hash of every editor's e-mail address to a third party,
# and the Content-Security-Policy allows images from our own site only.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# An edit after an approval must be approved again, and publishing must not skip moderation.
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAIL_WORKFLOW_CANCEL_ON_PUBLISH = False
# Approvers (organisation leads, council chairs, moderators) need no publish permission: passing
# every task is the permission. The action still applies the deadline guard (workflows/finish.py).
WAGTAIL_FINISH_WORKFLOW_ACTION = "workflows.finish.publish_approved"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILAPI_BASE_URL = WAGTAILADMIN_BASE_URL
WAGTAILAPI_LIMIT_MAX = 100

# --- Search ---------------------------------------------------------------------------------------
ELASTICSEARCH_URL = env_url("ELASTICSEARCH_URL")
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        # Ignored on SQLite; on PostgreSQL it selects the Norwegian text-search configuration.
        "SEARCH_CONFIG": "norwegian" if DATABASE_IS_POSTGRES else None,
    }
}
# The portal's own search service (search/): "database" (default) or "elasticsearch". With
# Elasticsearch the database index is still kept, answers when the cluster is down, and queued
# updates are replayed when it returns.
PORTAL_SEARCH = {
    "BACKEND": env_str("SEARCH_BACKEND", "elasticsearch" if ELASTICSEARCH_URL else "database"),
    "ES_INDEX": env_str("SEARCH_ES_INDEX", "portal-search"),
    "ES_TIMEOUT": env_int("SEARCH_ES_TIMEOUT", 3),
    # After a failed call, how long to answer from the database before trying Elasticsearch again.
    "ES_RETRY_SECONDS": env_int("SEARCH_ES_RETRY_SECONDS", 30),
}

# --- E-mail ---------------------------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Brukermedvirkning <ikke-svar@brukermedvirkning.no>")
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

# --- Invitations (portal/access/invitations.py) ----------------------------------------------------
# Days an invitation to an organisation or a council can be accepted.
PORTAL_INVITATION_DAYS = env_int("PORTAL_INVITATION_DAYS", 14)

# --- Background work ------------------------------------------------------------------------------
# One queue for all background work (exports, attachment text, e-mails, search updates, scheduled
# publishing): Django's tasks framework with the database backend ("background"), so a fresh machine
# needs no broker. `manage.py task_worker` runs the tasks (portal/core/background.py). Wagtail's own
# small tasks ("default": reference index, renditions) stay in the request as they always were: the
# search index's privacy checks read the reference index and must never see it lag behind.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# A task left running by a worker that stopped beating for this long (killed, machine lost) is
# run again by another worker. Longer than any pause between a working task's heartbeats.
PORTAL_TASK_STALE_SECONDS = env_int("PORTAL_TASK_STALE_SECONDS", 300)
# How often a failing task is tried in all, and the wait before the first retry (doubling each time).
PORTAL_TASK_MAX_ATTEMPTS = env_int("PORTAL_TASK_MAX_ATTEMPTS", 5)
PORTAL_TASK_RETRY_SECONDS = env_int("PORTAL_TASK_RETRY_SECONDS", 30)

# --- Page cache -----------------------------------------------------------------------------------
# Seconds an anonymous reader's public page is kept (0: off). See portal/core/page_cache.py.
PORTAL_PAGE_CACHE_SECONDS = env_int("PORTAL_PAGE_CACHE_SECONDS", 0)

# --- Uploads --------------------------------------------------------------------------------------
PORTAL_UPLOAD_MAX_BYTES = env_int("PORTAL_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
PORTAL_UPLOAD_ALLOWED_TYPES = env_list("PORTAL_UPLOAD_ALLOWED_TYPES", ["pdf", "docx", "odt", "png", "jpeg"])
# What a document may cost to read (portal/security/uploads.py): a DOCX/ODT's total uncompressed
# size and compression ratio, a PDF's page count. Over a limit, an upload is refused, and text
# extraction for search skips the file.
PORTAL_UPLOAD_MAX_EXPANDED_BYTES = env_int("PORTAL_UPLOAD_MAX_EXPANDED_BYTES", 20 * 1024 * 1024)
PORTAL_UPLOAD_MAX_COMPRESSION_RATIO = env_int("PORTAL_UPLOAD_MAX_COMPRESSION_RATIO", 100)
PORTAL_UPLOAD_MAX_PDF_PAGES = env_int("PORTAL_UPLOAD_MAX_PDF_PAGES", 2000)
DATA_UPLOAD_MAX_MEMORY_SIZE = PORTAL_UPLOAD_MAX_BYTES + 1024 * 1024

# --- Security -------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Login throttling (django-axes, portal/security/throttling.py). Failures are counted per counter
# below; reaching a counter's limit pauses logging in for that account/address for the cool-off.
# Locked-out attempts are refused before the password is hashed. A successful login clears only the
# failures of that account from that address (PortalAxesHandler.reset_user_attempts): never another
# account's, never the account's own from elsewhere, so it neither unlocks nor restarts anyone's count.
PORTAL_LOGIN_LIMITS = {
    ("username", "ip_address"): 5,  # one person guessing one account
    ("username",): 10,  # one account guessed from many addresses
    ("ip_address",): 10,  # one address guessing many accounts
}
AXES_LOCKOUT_PARAMETERS = [list(key) if len(key) > 1 else key[0] for key in PORTAL_LOGIN_LIMITS]
AXES_FAILURE_LIMIT = min(PORTAL_LOGIN_LIMITS.values())
AXES_HANDLER = "portal.security.throttling.PortalAxesHandler"
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
# A refused attempt during the lock-out neither extends it nor costs a database write.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "portal.security.throttling.lockout_response"
AXES_CLIENT_IP_CALLABLE = "portal.security.throttling.client_ip"
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# Password-reset e-mails per account, and reset requests per client address, in one hour
# (portal/security/password_reset.py); over the limit the form answers the same and sends nothing.
PORTAL_PASSWORD_RESET_LIMITS = {"account": 3, "address": 20}
# Two-step sign-in (portal/security/two_factor.py): whose role requires it (a dotted path to a
# function of the user); everyone else may turn it on for their own account.
PORTAL_TWO_FACTOR_REQUIRED = "portal.access.roles.requires_second_factor"
OTP_TOTP_ISSUER = WAGTAIL_SITE_NAME
# Seconds before the next code may be tried: this factor, doubled after each wrong code (1, 2, 4...).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# How many of our own proxies append to X-Forwarded-For (0: trust only REMOTE_ADDR).
PORTAL_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # Every live editor socket's close, with its code (INFO): how to tell editors dropped under load
    # from editors who left.
    "loggers": {"portal.editor": {"level": env_str("LIVE_LOG_LEVEL", "INFO")}},
}
