#!/usr/bin/env bash
# Smoke test after a deploy: the login page answers with the security headers, the API document is served.
set -euo pipefail
base="${1:-http://127.0.0.1:8000}"
curl -fsS -D - -o /dev/null "$base/login" | grep -qi "content-security-policy"
curl -fsS "$base/api/v1/openapi.json" | grep -q '"openapi"'
echo "smoke ok: $base"
