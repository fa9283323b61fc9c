#!/usr/bin/env bash
# One consistent, dated backup set — the database and the files — that never overwrites an earlier one:
#   BACKUP_DIR/2026-12-01T031500Z/{db.dump, files.tar.gz (local storage only), MANIFEST, SHA256SUMS}
# The database is one pg_dump snapshot (a single repeatable-read transaction) taken as the owner (row-level security
# would refuse the app role a complete dump). With PORTAL_STORAGE=database (several nodes) every upload and generated
# file is a row of that same snapshot: the set is consistent by construction. With the local folder (one node) the
# folder is archived right after the snapshot: it may hold files newer than the snapshot (harmless: nothing refers
# to them, and the sweeper removes them after a restore), never lack a file the snapshot refers to, because a file
# is written before its row is committed and removed only after its row is gone.
set -euo pipefail
: "${DATABASE_OWNER_URL:?set DATABASE_OWNER_URL}"
root="${BACKUP_DIR:-/var/backups/nastavnik}"
stamp="$(date -u +%Y-%m-%dT%H%M%SZ)"
final="$root/$stamp"
partial="$root/.$stamp.partial"
mkdir -p "$root"
if [ -e "$final" ]; then echo "backup $final exists already: not overwritten" >&2; exit 1; fi
mkdir "$partial"   # fails if another backup of the same second is under way
trap 'rm -rf "$partial"' EXIT

pg_dump --format=custom --file="$partial/db.dump" "$DATABASE_OWNER_URL"
storage="${PORTAL_STORAGE:-local}"
if [ "$storage" = "local" ]; then
  files="${PORTAL_UPLOAD_ROOT:-/var/lib/nastavnik/uploads}"
  mkdir -p "$files"
  tar -C "$files" -czf "$partial/files.tar.gz" .
fi
revision="$(psql -qtAX "$DATABASE_OWNER_URL" -c 'SELECT version_num FROM alembic_version' 2>/dev/null | paste -sd, -)"
printf 'taken_at=%s\nstorage=%s\nschema_revision=%s\nhost=%s\n' "$stamp" "$storage" "$revision" "$(hostname)" \
  > "$partial/MANIFEST"
(cd "$partial" && sha256sum -- * > SHA256SUMS)
mv -T "$partial" "$final"   # atomic: a set is either complete or absent
trap - EXIT
echo "$final"
