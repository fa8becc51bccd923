"""gunicorn settings for KruPD (scripts/serve-prod.sh; docs/deploy.md). All from environment.

Each app server is stateless: sessions, login throttling and task queue live in the database,
uploads in MEDIA_ROOT (shared storage), so any number run behind a load balancer.
"""

import multiprocessing
import os

bind = os.environ.get(
    "GUNICORN_BIND", f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
)
# Sync workers: Django's ORM is blocking; 2 × cores + 1 is gunicorn's advice for I/O-bound apps.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# Long enough for a large export or a PDF; big imports and bulk certificates run in db_worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then: bounds memory growth; the jitter avoids all restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
# The app is loaded once, in the master (krupd/wsgi.py: every page's code, the URL map, the
# Thai word dictionary), and each worker is forked from it: a worker recycled above then
# starts in milliseconds instead of spending about 3 s of CPU loading all of that again on
# cores that are serving requests, and the workers share those pages of memory. New code is
# loaded by restarting the master, as a deploy does (scripts/serve-prod.sh).
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() not in ("0", "false", "no")
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))
# Uploads up to 200 MB are buffered by nginx, not by a worker (client_max_body_size).
limit_request_line = 8190

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")  # "-" = stdout, for the journal/collector
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Request time in microseconds (%(D)s) for latency percentiles from the log.
access_log_format = '%(h)s %({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
wsgi_app = "krupd.wsgi:application"
