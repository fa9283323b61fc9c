"""gunicorn settings for the web nodes: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`. Everything that differs
between nodes comes from the environment (portal.env)."""
import multiprocessing
import os

# A web node behind a balancer listens on its own address: PORTAL_BIND=10.0.0.11:8000.
bind = os.environ.get("PORTAL_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = 2
timeout = 60
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# No query strings in the access log: they may carry search terms with names.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
# The addresses of the proxies (nginx nodes) whose X-Forwarded-Proto gunicorn believes, comma-separated; the
# client address itself is taken by the app, PORTAL_PROXY_HOPS hops back (portal/__init__.py).
forwarded_allow_ips = os.environ.get("PORTAL_FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """The app is loaded: move what it made at start (modules, mappers, templates — some 300,000 objects) out of the
    garbage collector's reach. Otherwise every full collection walks them all, and a request that makes many
    objects (an order's DOCX loads ~1,500 rows) triggers several: a third of its time in the profile."""
    import gc

    gc.collect()
    gc.freeze()
