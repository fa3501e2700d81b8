"""The one settings module. Everything that differs between machines comes from the environment.

- ``DATABASE_URL``: PostgreSQL (``postgres://…``) or SQLite URL; default is an embedded SQLite
  file under ``var/``.
- ``BRIGADE_VAR_DIR``: where the SQLite file, uploads and generated files live (default ``var/``
  in the project root).
- ``BRIGADE_SECRET_KEY``, ``BRIGADE_DEBUG``, ``BRIGADE_ALLOWED_HOSTS``: production settings.
"""

import datetime as dt
import hashlib
import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from brigade.core import standards

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
# A source checkout keeps its data in ./var; an installed copy (the offline bundle) beside its venv.
SOURCE_CHECKOUT = (PROJECT_DIR / "pyproject.toml").is_file()
VAR_DIR = Path(os.environ.get("BRIGADE_VAR_DIR")
               or (PROJECT_DIR / "var" if SOURCE_CHECKOUT else Path(sys.prefix).parent / "var"))
LOG_DIR = VAR_DIR / "log"

DEBUG = os.environ.get("BRIGADE_DEBUG", "1") == "1"
# The development key only works while DEBUG is on; production must set its own.
SECRET_KEY = os.environ.get("BRIGADE_SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("生产环境（BRIGADE_DEBUG=0）必须通过环境变量 BRIGADE_SECRET_KEY 设置密钥。")
    SECRET_KEY = "brigade-development-only-key-not-for-production"
ALLOWED_HOSTS = os.environ.get("BRIGADE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "brigade.core",
    "brigade.org",
    "brigade.units",
    "brigade.supervision",
    "brigade.response",
    "brigade.resources",
    "brigade.ledger",
    "brigade.evaluation",
    "brigade.risk",
    "brigade.metrics",
    "brigade.reports",
    "brigade.io",
    "brigade.planning",
    "brigade.api",
    "brigade.demo",
    "brigade.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files served by the application server itself: no nginx needed on a small intranet.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "brigade.core.middleware.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "brigade.urls"
WSGI_APPLICATION = "brigade.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "brigade.web.context_processors.web",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'brigade.sqlite3'}",
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while an import writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache for every server process (the dashboard's figures), in files under var/: nothing to
# install or run. Keys carry the database's name so two databases never share figures.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("BRIGADE_CACHE_DIR") or str(VAR_DIR / "cache"),
        "KEY_PREFIX": hashlib.sha1(f"{DATABASES['default']['ENGINE']}|{DATABASES['default']['NAME']}".encode())
        .hexdigest()[:12],
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

# Argon2 first (GB/T-style strong hashing); the others only read passwords stored before.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"

# Front-end libraries installed by npm (package.json, `make`) and served from node_modules: no CDN.
# The offline bundle ships the same folders and points BRIGADE_ASSETS_DIR at them.
NODE_MODULES_DIR = Path(os.environ.get("BRIGADE_ASSETS_DIR") or PROJECT_DIR / "node_modules")
FRONTEND_PACKAGES = ("leaflet", "chart.js")
STATICFILES_DIRS = [
    (f"vendor/{name}", NODE_MODULES_DIR / name / "dist")
    for name in FRONTEND_PACKAGES
    if (NODE_MODULES_DIR / name / "dist").is_dir()
]
# WhiteNoise reads the files where the finders find them, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# The demo's reference geography (street names, district outlines) ships in the package
# (brigade/demo/data/PROVENANCE.md); BRIGADE_DATA_DIR points the demo at other files of that shape.
BRIGADE_DATA_DIR = Path(os.environ.get("BRIGADE_DATA_DIR", PACKAGE_DIR / "demo" / "data"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Brigade 数据接口",
    "DESCRIPTION": "消防救援大队业务管理与分析系统的 REST 接口（会话或令牌认证）。",
    "VERSION": "1",
    # Swagger UI from the drf-spectacular-sidecar package: served locally, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
}

# Lock an account for a while after repeated failed logins (django-axes), per user name and address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("BRIGADE_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("BRIGADE_LOCKOUT_MINUTES", 30)))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "brigade.core.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True

# Sessions end after a working day, or when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("BRIGADE_SESSION_SECONDS", 8 * 3600))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",  # map and chart libraries set inline styles on elements
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}

# Production runs behind an HTTPS reverse proxy (SECURITY.md), or, on an intranet without
# certificates, over plain HTTP with BRIGADE_SSL_REDIRECT=0 (no redirect, no HSTS, no Secure cookies).
BRIGADE_HTTPS = not DEBUG and os.environ.get("BRIGADE_SSL_REDIRECT", "1") == "1"
if BRIGADE_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("BRIGADE_HSTS_SECONDS", 365 * 24 * 3600))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# `brigade serve` in production (BRIGADE_DEBUG=0): gunicorn with this many worker processes
# (default 2 × CPUs + 1, gunicorn's own rule of thumb) and its logs under var/log/.
BRIGADE_SERVER_WORKERS = int(os.environ.get("BRIGADE_WORKERS") or 2 * (os.cpu_count() or 1) + 1)
BRIGADE_SERVER_TIMEOUT_SECONDS = int(os.environ.get("BRIGADE_SERVER_TIMEOUT", 300))

# The largest spreadsheet or CSV an import accepts (bytes); bigger files are refused with a message.
BRIGADE_IMPORT_MAX_BYTES = int(os.environ.get("BRIGADE_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
# Zip-bomb guards for .xlsx (checked on the sizes the archive declares, before anything is inflated):
# what all its parts may inflate to, and the largest compression ratio of one part (real sheets: 5-40).
BRIGADE_IMPORT_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("BRIGADE_IMPORT_MAX_UNCOMPRESSED_BYTES", 400 * 1024 * 1024))
BRIGADE_IMPORT_MAX_ZIP_RATIO = float(os.environ.get("BRIGADE_IMPORT_MAX_ZIP_RATIO", 100))

# The dashboard keeps computed figures this long (seconds; 0 = always recompute). Reports never cache.
BRIGADE_METRICS_CACHE_SECONDS = int(os.environ.get("BRIGADE_METRICS_CACHE_SECONDS", 300))

# Figures taken from standards: one setting per figure of brigade/standards.yaml (source and confidence
# there), or of a brigade's own copy named by BRIGADE_STANDARDS_FILE. Code reads these settings only.
BRIGADE_STANDARDS_FILE = os.environ.get("BRIGADE_STANDARDS_FILE") or str(standards.SHIPPED)
_STANDARDS = standards.load(BRIGADE_STANDARDS_FILE)
# Response-time standards (the "standards" part of the response rules, brigade/response/rules.py).
BRIGADE_RESPONSE_STANDARDS = {
    code: {"limit_s": e["value"], "measured": e["measured"], "label": e["label"], "source": e["source"]}
    for code, e in _STANDARDS["response"].items()
}
# Coverage, siting and risk travel: the time standard, turnout, road speeds (km/h by road class,
# "other" for the rest), the off-road leg, and how far a new station keeps from hazardous sites.
BRIGADE_COVERAGE_MINUTES = float(standards.value(_STANDARDS, "coverage.response_minutes"))
BRIGADE_TURNOUT_S = float(standards.value(_STANDARDS, "coverage.turnout_s"))
BRIGADE_ROAD_SPEEDS_KPH = dict(standards.value(_STANDARDS, "coverage.road_speeds_kph"))
BRIGADE_OFFROAD_SPEED_KPH = float(standards.value(_STANDARDS, "coverage.offroad_speed_kph"))
BRIGADE_SITING_HAZARD_BUFFER_M = float(standards.value(_STANDARDS, "coverage.hazard_buffer_m"))
# Hydrants: protection radius, spacing, the farthest a hydrant may stand from a road, days unchecked.
BRIGADE_HYDRANT_RADIUS_M = float(standards.value(_STANDARDS, "water.hydrant_radius_m"))
BRIGADE_HYDRANT_SPACING_M = float(standards.value(_STANDARDS, "water.hydrant_spacing_m"))
BRIGADE_HYDRANT_MAX_SNAP_M = float(standards.value(_STANDARDS, "water.hydrant_max_snap_m"))
BRIGADE_HYDRANT_CHECK_DAYS = int(standards.value(_STANDARDS, "water.hydrant_check_days"))
# Fleet: service life (years; BRIGADE_VEHICLE_SERVICE_LIFE_YEARS by vehicle kind overrides it), vehicles
# per station kind (minimum, maximum), SCBA sets per on-duty person and in-service : spare ratios.
BRIGADE_DEFAULT_SERVICE_LIFE_YEARS = float(standards.value(_STANDARDS, "fleet.service_life_years"))
BRIGADE_VEHICLE_SERVICE_LIFE_YEARS: dict[str, float] = {}
BRIGADE_VEHICLES_BY_STATION_KIND = {
    kind: tuple(span) for kind, span in standards.value(_STANDARDS, "fleet.vehicles_by_station_kind").items()}
BRIGADE_SCBA_PER_PERSON = float(standards.value(_STANDARDS, "fleet.scba_per_person"))
BRIGADE_SCBA_SPARE_RATIO = dict(standards.value(_STANDARDS, "fleet.scba_spare_ratio"))

# The detachment's comparison (brigade compare) names a brigade an outlier beyond this many
# interquartile ranges outside the quartiles (Tukey's fences; a statistical convention, not a standard).
BRIGADE_COMPARE_OUTLIER_IQR = float(os.environ.get("BRIGADE_COMPARE_OUTLIER_IQR", 1.5))
# Supervision: the recurrence window (months) and the statutory deadlines, the seal-up limit among
# them (a list of rules; or the path of a JSON file {"rules": [...]} through the environment).
BRIGADE_RECURRENCE_MONTHS = int(standards.value(_STANDARDS, "supervision.recurrence_months"))
BRIGADE_DEADLINE_RULES = os.environ.get("BRIGADE_DEADLINE_RULES") or standards.value(
    _STANDARDS, "supervision.deadlines")
# Risk grades (brigade.risk): minutes from the nearest station are straight-line distance × a detour
# factor at a truck speed, until a stored road-network travel time per unit exists.
BRIGADE_RISK_TRAVEL_SPEED_KPH = float(os.environ.get("BRIGADE_RISK_TRAVEL_SPEED_KPH")
                                      or standards.value(_STANDARDS, "risk.travel_speed_kph"))
BRIGADE_RISK_DETOUR_FACTOR = float(os.environ.get("BRIGADE_RISK_DETOUR_FACTOR")
                                   or standards.value(_STANDARDS, "risk.detour_factor"))

# Response rules over the shipped ones (brigade/response/rules.json, key by key): percentiles,
# plausible limits, the first-due method … (the environment variable of that name names a JSON file).
BRIGADE_RESPONSE_RULES: dict = {}

# `brigade analyse` (the scheduled analysis; our own defaults, not standards): new stations suggested,
# the solver's time limit (seconds) and one candidate site per grid cell of this size on main roads.
BRIGADE_ANALYSE_NEW_STATIONS = int(os.environ.get("BRIGADE_ANALYSE_NEW_STATIONS", 3))
BRIGADE_ANALYSE_TIME_LIMIT_S = float(os.environ.get("BRIGADE_ANALYSE_TIME_LIMIT_S", 60))
BRIGADE_ANALYSE_CANDIDATE_SPACING_M = float(os.environ.get("BRIGADE_ANALYSE_CANDIDATE_SPACING_M", 400))

# Working days after the last year the installed holiday data (chinesecalendar) covers: the State Council
# publishes each year's notice late in the year before, and a deadline in January must not wait for it.
# Such days are counted provisionally: Monday to Friday except these fixed-date statutory holidays
# (元旦 1/1, 劳动节 5/1–5/2, 国庆节 10/1–10/3: 《全国年节及纪念日放假办法》, 2024 revision, certain);
# the lunar holidays (春节, 清明, 端午, 中秋) and 调休 come only with the notice.
BRIGADE_FIXED_HOLIDAYS = ("01-01", "05-01", "05-02", "10-01", "10-02", "10-03")

# Field photos (现场照片): the largest upload the server accepts (bytes), and the longest side (pixels) a
# phone shrinks a photo to before queueing it; files are kept under MEDIA_ROOT (var/media/photos/).
BRIGADE_PHOTO_MAX_BYTES = int(os.environ.get("BRIGADE_PHOTO_MAX_BYTES", 5 * 1024 * 1024))
BRIGADE_PHOTO_MAX_PIXELS = int(os.environ.get("BRIGADE_PHOTO_MAX_PIXELS", 1600))
