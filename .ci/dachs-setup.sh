#!/usr/bin/env bash
# The DaCHS TAP peer of the sync tests (test/interop/sync): Debian's gavodachs2-server on
# PostgreSQL 15, serving the synthetic SPICA-DB-like table of test/fixtures/sync as `spica`
# (schema public, dachs-spicapub-q.rd: the exact ADQL NSS sends) and `spicatest.spica`, on
# 127.0.0.1:8097. Follows ../shared/reference/jmmc/dachs-setup.sh. Idempotent; needs root.
# Prints the seconds each step took. Stop with: dachs serve stop.
set -euo pipefail
cd "$(dirname "$0")/.."
FIX="$PWD/test/fixtures/sync"
PORT="${SPICA_DACHS_PORT:-8097}"
t0=$(date +%s)
step() { echo "== dachs: $1 ($(( $(date +%s) - t0 )) s)"; }

# The package's postinst creates the gavo database, so PostgreSQL must be up while it runs. On a
# machine where PostgreSQL was installed before but its cluster is down (no init system), the
# install stops half-configured: start the cluster and finish the configuration.
start_cluster() {
  command -v pg_lsclusters >/dev/null 2>&1 || return 0
  local cluster ver name state
  cluster=$(pg_lsclusters -h | awk 'NR==1 {print $1" "$2" "$4}')
  [ -n "$cluster" ] || return 0
  read -r ver name state <<<"$cluster"
  [ "$state" = online ] || pg_ctlcluster "$ver" "$name" start
}
if ! dpkg -s gavodachs2-server 2>/dev/null | grep -q '^Status: install ok installed'; then
  step "apt-get install gavodachs2-server"
  export DEBIAN_FRONTEND=noninteractive
  start_cluster
  apt-get update -qq
  if ! apt-get -o DPkg::Lock::Timeout=600 install -y -qq gavodachs2-server >/dev/null; then
    start_cluster
    dpkg --configure -a
  fi
fi
step "PostgreSQL cluster"
start_cluster
if ! grep -q "serverPort: $PORT" /etc/gavo.rc 2>/dev/null; then
  printf '[web]\nserverPort: %s\nbindAddress: 127.0.0.1\nserverURL: http://127.0.0.1:%s\n\n[general]\n' "$PORT" "$PORT" > /etc/gavo.rc
fi
# The postinst runs `dachs init`; a machine where it did not (policy-rc.d, a chroot) needs it now.
if ! su postgres -c "psql -tAc \"select 1 from pg_database where datname='gavo'\"" | grep -q 1; then
  step "dachs init"
  dachs init >/dev/null
fi
for rd in spicatest spicapub; do
  step "dachs imp $rd"
  mkdir -p "/var/gavo/inputs/$rd/data"
  cp "$FIX/spica_like_3000.csv" "/var/gavo/inputs/$rd/data/spica_like.csv"
  cp "$FIX/dachs-$rd-q.rd" "/var/gavo/inputs/$rd/q.rd"
  chown -R dachsroot:gavo "/var/gavo/inputs/$rd"
  (cd "/var/gavo/inputs/$rd" && su dachsroot -c "dachs imp q" >/dev/null)
done
step "dachs serve"
if curl -fs -m 5 "http://127.0.0.1:$PORT/tap/availability" >/dev/null; then
  dachs serve reload >/dev/null 2>&1 || true
else
  dachs serve start >/dev/null
fi
for i in $(seq 1 60); do
  if curl -fs -m 5 -X POST "http://127.0.0.1:$PORT/tap/sync" --data-urlencode REQUEST=doQuery --data-urlencode LANG=ADQL \
      --data-urlencode 'QUERY=SELECT COUNT(*) AS n FROM spica' --data-urlencode FORMAT=csv | grep -q '^3000'; then
    step "ready: SELECT COUNT(*) FROM spica = 3000 on http://127.0.0.1:$PORT/tap"
    exit 0
  fi
  sleep 2
done
echo "DaCHS did not answer on http://127.0.0.1:$PORT/tap" >&2
exit 1
