#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite, on a Unix socket in a temporary folder.
#   pg-throwaway.sh start URL_FILE   -> writes DATABASE_URL to URL_FILE (line 1), folder (line 2)
#   pg-throwaway.sh stop URL_FILE    -> stops the cluster and removes the folder
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.
set -euo pipefail
cmd=${1:?start|stop}; url_file=${2:?url file}

find_bin() {
  if command -v pg_config >/dev/null && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  local dir; dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  if command -v initdb >/dev/null; then dirname "$(command -v initdb)"; return; fi
  return 1
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  bin=$(find_bin) || { echo "no PostgreSQL server binaries found" >&2; exit 1; }
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "running as root but there is no postgres user" >&2; exit 1
  fi
  dir=$(mktemp -d /tmp/onestop-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # Durability is pointless for a cluster that lives for one test run; speed is not.
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-k $dir -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
  enc_dir=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$dir")
  printf 'postgres://postgres@%s:%s/onestop\n%s\n%s\n' "$enc_dir" "$port" "$dir" "$bin" >"$url_file"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') started in $dir (port $port)"
  ;;
stop)
  [ -s "$url_file" ] || exit 0
  dir=$(sed -n 2p "$url_file"); bin=$(sed -n 3p "$url_file")
  as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir" "$url_file"
  ;;
esac
