#!/usr/bin/env bash
# Restore a backup made by backup.sh into an empty database, then re-grant the app role via migrations.
set -euo pipefail
src="${1:?usage: restore.sh /var/backups/nastavnik/YYYY-MM-DD}"
: "${DATABASE_OWNER_URL:?set DATABASE_OWNER_URL}"
(cd "$src" && sha256sum -c SHA256SUMS)
pg_restore --clean --if-exists --no-owner --dbname="$DATABASE_OWNER_URL" "$src/db.dump"
mkdir -p "${PORTAL_UPLOAD_ROOT:-/var/lib/nastavnik/uploads}"
tar -C "${PORTAL_UPLOAD_ROOT:-/var/lib/nastavnik/uploads}" -xzf "$src/uploads.tar.gz"
flask --app wsgi db upgrade
