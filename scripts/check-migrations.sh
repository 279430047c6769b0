#!/usr/bin/env bash
# Do the committed migrations match electron/db/schema.ts? drizzle-kit generates into a COPY of
# the migrations folder (.tmp/drift), so the tree is never touched. drizzle-kit exits 0 even when
# it cannot load the schema, so success is read from its output as well as its exit code.
set -euo pipefail
cd "$(dirname "$0")/.."
work=.tmp/drift
rm -rf "$work" && mkdir -p "$work"
cp -r electron/db/migrations "$work/migrations"
status=0
npx drizzle-kit generate --dialect sqlite --schema ./electron/db/schema.ts --out "$work/migrations" --name drift-check > "$work/log" 2>&1 || status=$?
if [ "$status" -ne 0 ] || ! grep -qE 'No schema changes, nothing to migrate|Your SQL migration file' "$work/log"; then
  cat "$work/log"
  echo "drizzle-kit failed (exit $status): the migrations could not be checked against the schema" >&2
  exit 1
fi
if ! diff -rq electron/db/migrations "$work/migrations"; then
  echo "electron/db/schema.ts changed without a migration: run npm run db:generate -- --name <what>" >&2
  exit 1
fi
echo "migrations match the schema"
