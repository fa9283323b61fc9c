"""Configuration from the environment only; the embedded default needs none."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET = "dev-only-not-secret"


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class ConfigError(RuntimeError):
    """Raised at start-up when a production deployment is misconfigured."""


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Accept the common "postgres://" and plain "postgresql://" spellings, use psycopg 3.
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    return f"sqlite:///{instance_path / 'portal.sqlite3'}"


def celery_settings(redis_url: str) -> dict:
    """Celery's own settings. The visibility timeout (how long a message taken by a worker that died stays
    invisible before Redis hands it out again) must exceed the longest task (task_time_limit, 10 min) plus the
    longest retry countdown held by a worker (5 min): 20 minutes. Set in the three places Celery reads it."""
    visibility = int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "1200"))
    transport = {
        "visibility_timeout": visibility,
        # A worker sweeps for messages of dead workers every interval × throttle seconds (kombu's defaults, 10 × 10)
        # and a worker killed during a sweep leaves its lock behind for unacked_mutex_expire (kombu's 300 s).
        "unacked_restore_interval": int(os.environ.get("CELERY_RESTORE_INTERVAL", "10")),
        "unacked_restore_throttle": int(os.environ.get("CELERY_RESTORE_THROTTLE", "10")),
        "unacked_mutex_expire": int(os.environ.get("CELERY_RESTORE_LOCK_SECONDS", "300")),
        # A dead broker answers an error within seconds instead of hanging a request or a task.
        "socket_connect_timeout": 2, "socket_timeout": 5, "max_retries": 1,
    }
    return {
        "broker_url": redis_url or "memory://",
        "result_backend": redis_url or "cache+memory://",
        "task_always_eager": not redis_url,
        # In-process, a job that fails ends «не выполнено» in its row (as on a worker), not in the request.
        "task_eager_propagates": False,
        "task_ignore_result": True,
        # Acknowledge after the work is done, so a killed worker's task is redelivered; tasks are idempotent.
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        # A worker takes a message only when a process is free: a kill -9 strands the messages in hand, no more.
        "worker_prefetch_multiplier": 1,
        "worker_disable_prefetch": bool(redis_url),
        "task_time_limit": 600,
        "task_soft_time_limit": 540,
        "broker_connection_retry_on_startup": True,
        "broker_transport_options": transport,
        "result_backend_transport_options": {"visibility_timeout": visibility},
        "visibility_timeout": visibility,
        "redis_socket_connect_timeout": 2,
        "redis_socket_timeout": 5,
        # The single beat (tasks/beat.py) holds a Redis lock; it wakes at least this often to keep it.
        "beat_scheduler": "tasks.beat:LockedScheduler",
        "beat_max_loop_interval": 5,
        "beat_lock_key": os.environ.get("PORTAL_BEAT_LOCK_KEY", "nastavnik:beat-lock"),   # ours, not Celery's
        "beat_lock_ttl": int(os.environ.get("PORTAL_BEAT_LOCK_TTL", "30")),
        "timezone": "Asia/Yekaterinburg",
        "enable_utc": True,
    }


def build_config(instance_path: Path, overrides: dict | None = None) -> dict:
    env = os.environ.get("PORTAL_ENV", "development")
    production = env == "production"
    redis_url = os.environ.get("REDIS_URL", "")
    cfg: dict = {
        "PORTAL_ENV": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEFAULT_SECRET),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        # Owner connection for migrations; the app itself connects as a role that owns nothing (RLS).
        "DATABASE_OWNER_URL": os.environ.get("DATABASE_OWNER_URL", ""),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        # Every Celery setting in one dict, given to Celery as it is (tasks/celery_app.py). Without Redis tasks run
        # in-process (task_always_eager): the embedded default needs no broker.
        "CELERY": celery_settings(redis_url),
        # Transient failures (database or broker unreachable, SMTP down) retry with exponential backoff and equal
        # jitter: a step of backoff × 2^n seconds capped at backoff_max, half of it fixed and half random, at most
        # max_retries times (at least 255 s of outage in all, tasks/celery_app.py backoff_countdown); then the job
        # is marked «не выполнено» with a retry.
        "TASK_RETRY": {"backoff": int(os.environ.get("PORTAL_TASK_RETRY_BACKOFF", "2")),
                       "backoff_max": int(os.environ.get("PORTAL_TASK_RETRY_BACKOFF_MAX", "300")),
                       "max_retries": int(os.environ.get("PORTAL_TASK_MAX_RETRIES", "8"))},
        # The outbox relay (portal/jobs/relay.py): a job sent but neither in the broker nor finished is sent again
        # after `lost_after` seconds (a FLUSHALL, a Redis restart without persistence); one that never finishes
        # after `max_sends` deliveries is marked failed (a task that kills its worker must not loop forever).
        "JOBS": {"lost_after": int(os.environ.get("PORTAL_JOB_LOST_AFTER", "20")),
                 "resend_after": int(os.environ.get("PORTAL_JOB_RESEND_AFTER", "1800")),
                 "max_sends": int(os.environ.get("PORTAL_JOB_MAX_SENDS", "6"))},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_DURATION": timedelta(days=7),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "IDLE_TIMEOUT": timedelta(minutes=int(os.environ.get("PORTAL_IDLE_MINUTES", "30"))),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": int(os.environ.get("PORTAL_MAX_UPLOAD_MB", "20")) * 1024 * 1024,
        "UPLOAD_ROOT": os.environ.get("PORTAL_UPLOAD_ROOT", str(instance_path / "uploads")),
        # Where uploads and generated files are kept (portal/storage): `local` — the folder above, one machine only;
        # `database` — PostgreSQL, shared by every node and inside the database backup.
        "STORAGE": os.environ.get("PORTAL_STORAGE", "local"),
        "BABEL_DEFAULT_LOCALE": "ru",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Yekaterinburg",
        "MAIL_SERVER": os.environ.get("SMTP_HOST", ""),
        "MAIL_PORT": int(os.environ.get("SMTP_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("SMTP_USER", ""),
        "MAIL_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("SMTP_STARTTLS"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "nastavnik@localhost"),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        # argon2id at the OWASP minimum (19 MiB, t=2, p=1) unless raised here; see README "Passwords and login".
        "ARGON2_TIME_COST": int(os.environ.get("ARGON2_TIME_COST", "2")),
        "ARGON2_MEMORY_KIB": int(os.environ.get("ARGON2_MEMORY_KIB", "19456")),
        # Hashes running at once per process, and how long a login waits for a slot before "retry in a moment".
        "ARGON2_MAX_CONCURRENT": int(os.environ.get("ARGON2_MAX_CONCURRENT", "1")),
        "ARGON2_QUEUE_SECONDS": float(os.environ.get("ARGON2_QUEUE_SECONDS", "5")),
        # Throttling (portal/accounts/throttle.py): failures per account per hour before its owner must unlock it
        # by e-mail (ASVS 2.2.1: at most 100), failures per address in the window before that address is refused
        # for accounts that were themselves attacked.
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": int(os.environ.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", "100")),
        "LOGIN_MAX_FAILURES_PER_IP": int(os.environ.get("LOGIN_MAX_FAILURES_PER_IP", "50")),
        "LOGIN_FAILURE_WINDOW": timedelta(minutes=15),
        "PAGE_SIZE": 25,
        # Roles that must use a second factor (TOTP) to log in; production always includes admin and coordinator.
        "MFA_REQUIRED_ROLES": sorted(set(filter(None, os.environ.get("PORTAL_MFA_REQUIRED_ROLES", "").split(",")))
                                     | ({"admin", "coordinator"} if production else set())),
        # How many reverse proxies (nginx, a balancer) add X-Forwarded-For/-Proto in front of the app. 0 trusts none.
        "PROXY_HOPS": int(os.environ.get("PORTAL_PROXY_HOPS", "0")),
    }
    if overrides:
        overrides = dict(overrides)
        for key in ("CELERY", "TASK_RETRY", "JOBS"):   # merged, so a test overrides one setting
            if key in overrides:
                cfg[key] = {**cfg[key], **overrides.pop(key)}
        cfg.update(overrides)
    if production:
        check_production(cfg)
    return cfg


def check_production(cfg: dict) -> None:
    secret = cfg.get("SECRET_KEY") or ""
    if secret == DEFAULT_SECRET or len(secret) < 32:
        raise ConfigError("SECRET_KEY must be set to a random value of at least 32 characters in production")
    if cfg["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        raise ConfigError("production needs DATABASE_URL pointing at PostgreSQL")
    if cfg["STORAGE"] not in ("local", "database"):
        raise ConfigError("PORTAL_STORAGE must be `local` (one machine) or `database` (several machines)")
    if os.environ.get("PORTAL_DEMO_PASSWORD"):
        raise ConfigError("PORTAL_DEMO_PASSWORD must not be set in production")
