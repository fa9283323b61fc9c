#!/usr/bin/env bash
# Nightly backup: the database as the owner (RLS would refuse a partial dump to the app role) and uploads.
set -euo pipefail
: "${DATABASE_OWNER_URL:?set DATABASE_OWNER_URL}"
dest="${BACKUP_DIR:-/var/backups/nastavnik}/$(date +%Y-%m-%d)"
mkdir -p "$dest"
pg_dump --format=custom --file="$dest/db.dump" "$DATABASE_OWNER_URL"
tar -C "${PORTAL_UPLOAD_ROOT:-/var/lib/nastavnik/uploads}" -czf "$dest/uploads.tar.gz" .
sha256sum "$dest"/* > "$dest/SHA256SUMS"
