#!/usr/bin/env bash
# Restore one set made by backup.sh into an EMPTY database (and, with local storage, an empty upload folder):
# checksums first, then the dump in one transaction (all or nothing), the files, the migrations (which also create
# and grant the app role), ANALYZE.    restore.sh /var/backups/nastavnik/2026-12-01T031500Z
set -euo pipefail
src="${1:?usage: restore.sh BACKUP_DIR/YYYY-MM-DDTHHMMSSZ}"
: "${DATABASE_OWNER_URL:?set DATABASE_OWNER_URL}"
(cd "$src" && sha256sum --quiet -c SHA256SUMS)
tables="$(psql -qtAX "$DATABASE_OWNER_URL" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
if [ "$tables" != "0" ]; then
  echo "the target database is not empty ($tables tables): restore into a new, empty database" >&2
  exit 1
fi
pg_restore --exit-on-error --single-transaction --no-owner --dbname="$DATABASE_OWNER_URL" "$src/db.dump"
if [ -f "$src/files.tar.gz" ]; then
  files="${PORTAL_UPLOAD_ROOT:-/var/lib/nastavnik/uploads}"
  mkdir -p "$files"
  if [ -n "$(ls -A "$files")" ]; then echo "the upload folder $files is not empty" >&2; exit 1; fi
  tar -C "$files" -xzf "$src/files.tar.gz"
fi
"${FLASK:-flask}" --app wsgi db upgrade
psql -q "$DATABASE_OWNER_URL" -c ANALYZE
echo "restored $src"
