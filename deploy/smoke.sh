#!/usr/bin/env bash
# Smoke test of a deployment with several nodes, run from any node that has portal.env:
#   deploy/smoke.sh http://10.0.0.11:8000 http://10.0.0.12:8000 [https://nastavnik.example.ru]
# Every web node answers the login page with its security headers and the API document; every worker answers a
# ping; one job goes through outbox, broker and a worker; exactly one beat holds the lock.
set -euo pipefail
[ "$#" -ge 1 ] || set -- http://127.0.0.1:8000
bin="${VENV:-/opt/nastavnik/.venv}/bin"
for base in "$@"; do
  curl -fsS -D - -o /dev/null "$base/login" | grep -qi "content-security-policy" || { echo "no CSP on $base" >&2; exit 1; }
  curl -fsS "$base/api/v1/openapi.json" | grep -q '"openapi"' || { echo "no API document on $base" >&2; exit 1; }
  echo "web ok: $base"
done
workers="$("$bin/celery" -A tasks.worker inspect ping --timeout=10 2>/dev/null | grep -c "pong" || true)"
[ "$workers" -ge 1 ] || { echo "no worker answers a ping" >&2; exit 1; }
echo "workers answering: $workers"
"$bin/flask" --app wsgi jobs ping --timeout 60
"$bin/python" - <<'PY'
import os, sys
import redis
key = os.environ.get("PORTAL_BEAT_LOCK_KEY", "nastavnik:beat-lock")
holder = redis.Redis.from_url(os.environ["REDIS_URL"]).get(key)
if not holder:
    sys.exit("no beat holds the lock: periodic jobs are not being sent")
print("beat lock held by", holder.decode())
PY
echo "smoke ok: $# web node(s), $workers worker(s), one beat"
