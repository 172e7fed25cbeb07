#!/usr/bin/env bash
# Sourced by scripts/test.sh: starts a throwaway PostgreSQL cluster for the tests and exports its URL as
# APIARY_TEST_DATABASE (and APIARY_TEST_PG_CTL, pg_ctl on it). The cluster lives in one temporary directory (data,
# log, Unix socket), listens on a free loopback port, runs as 'nobody' when the tests run as root (PostgreSQL refuses
# to run as root), and is stopped and removed when the sourcing shell exits, leaving nothing in /tmp. Needs Debian's
# postgresql package (setup.sh).

apiary_pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$apiary_pg_bin" ] || [ ! -x "$apiary_pg_bin/initdb" ]; then
    echo "error: no PostgreSQL server found under /usr/lib/postgresql; run scripts/setup.sh (apt package postgresql)." >&2
    exit 1
fi
APIARY_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/apiary-postgres.XXXXXX")
apiary_pg_as=()
if [ "$(id -u)" = 0 ]; then
    chown nobody "$APIARY_PG_DIR"
    apiary_pg_as=(runuser -u nobody --)
fi

apiary_pg_stop() {
    "${apiary_pg_as[@]}" "$apiary_pg_bin/pg_ctl" -D "$APIARY_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$APIARY_PG_DIR"
}
trap apiary_pg_stop EXIT

apiary_pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
apiary_pg_options="-c listen_addresses=127.0.0.1 -p $apiary_pg_port -k $APIARY_PG_DIR -c fsync=off"
(
    cd "$APIARY_PG_DIR"
    "${apiary_pg_as[@]}" "$apiary_pg_bin/initdb" -D "$APIARY_PG_DIR/data" -U apiary -A trust -E UTF8 --no-sync >"$APIARY_PG_DIR/initdb.log" 2>&1 \
        || { cat "$APIARY_PG_DIR/initdb.log" >&2; exit 1; }
    "${apiary_pg_as[@]}" "$apiary_pg_bin/pg_ctl" -D "$APIARY_PG_DIR/data" -l "$APIARY_PG_DIR/server.log" -w \
        -o "$apiary_pg_options" start >/dev/null \
        || { cat "$APIARY_PG_DIR/server.log" >&2; exit 1; }
)
"$apiary_pg_bin/pg_isready" -q -h 127.0.0.1 -p "$apiary_pg_port" || {
    echo "error: the throwaway PostgreSQL cluster on port $apiary_pg_port does not answer" >&2
    exit 1
}
# pg_ctl on this cluster, as its owner and with its options, for tests that stop, start or restart the server under
# load ("$APIARY_TEST_PG_CTL" -w -m fast restart).
printf '#!/bin/sh\ncd "%s" && exec %s "%s" -D "%s" -l "%s" -o "%s" "$@"\n' "$APIARY_PG_DIR" "${apiary_pg_as[*]}" "$apiary_pg_bin/pg_ctl" \
    "$APIARY_PG_DIR/data" "$APIARY_PG_DIR/server.log" "$apiary_pg_options" >"$APIARY_PG_DIR/pg_ctl"
chmod +x "$APIARY_PG_DIR/pg_ctl"
export APIARY_TEST_PG_CTL="$APIARY_PG_DIR/pg_ctl"
export APIARY_TEST_DATABASE="postgresql://apiary@127.0.0.1:$apiary_pg_port/postgres"
echo "==> throwaway PostgreSQL on 127.0.0.1:$apiary_pg_port (APIARY_TEST_DATABASE), removed at exit" >&2
