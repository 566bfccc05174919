# pg_cluster.sh -- a private PostgreSQL cluster for one test (sourced after
# tests/lib.sh, which gives $work and skip).
#
#   pg_start      initdb and pg_ctl start in a new temporary folder: a Unix
#                 socket only (listen_addresses ''), trust for the test's
#                 own superuser, a password (scram-sha-256) for the role
#                 "reader"; sets $pg_sock and $pg_bin; stops the cluster and
#                 removes the folder when the script exits, whatever way
#   pg_psql ARGS  psql as the superuser on the cluster
#   pg_dsn DB [USER [PASSWORD]]   a connection string for tocm
#
# PostgreSQL's server refuses to run as root, so as root the cluster runs
# as the user nobody (its folder is theirs; tocm, as root, reaches the
# socket). Skips (exit 77) when the server programs are not installed.

pg_find_bin() {
  local dir
  for dir in "${TOCM_PG_BIN:-}" $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) \
             "$(pg_config --bindir 2>/dev/null)"; do
    [[ -n $dir && -x $dir/initdb && -x $dir/pg_ctl ]] && { echo "$dir"; return; }
  done
}

pg_as_owner() {
  if ((EUID == 0)); then runuser -u nobody -- "$@"; else "$@"; fi
}

pg_stop() {
  [[ -n ${pg_root:-} && -d $pg_root ]] || return 0
  pg_as_owner "$pg_bin/pg_ctl" -D "$pg_root/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$pg_root"
  pg_root=
}

pg_start() {
  pg_bin=$(pg_find_bin)
  [[ -n $pg_bin ]] || skip "PostgreSQL's server programs (initdb, pg_ctl) are not installed"
  command -v psql >/dev/null || [[ -x $pg_bin/psql ]] || skip "psql is not installed"
  pg_root=$(mktemp -d /tmp/tocm-pg.XXXXXX)
  # Stop the cluster on any exit, then lib.sh's own clean-up, with the
  # script's status.
  trap 'tl_status=$?; pg_stop; (exit $tl_status); tl_cleanup' EXIT
  chmod 755 "$pg_root"
  mkdir -p "$pg_root/data" "$pg_root/sock" "$pg_root/log"
  ((EUID == 0)) && chown nobody "$pg_root/data" "$pg_root/sock" "$pg_root/log"
  pg_sock=$pg_root/sock
  pg_as_owner "$pg_bin/initdb" -D "$pg_root/data" -U tocm -A trust -E UTF8 --locale=C.UTF-8 \
    >"$pg_root/initdb.log" 2>&1 ||
    { cat "$pg_root/initdb.log" >&2; fail pg-initdb; finish; }
  # The reader logs in with a password; everyone else is trusted.
  pg_as_owner sh -c "printf 'local all reader scram-sha-256\nlocal all all trust\n' >'$pg_root/data/pg_hba.conf'"
  pg_as_owner "$pg_bin/pg_ctl" -D "$pg_root/data" -w -t 60 -l "$pg_root/log/server.log" \
    -o "-c listen_addresses='' -c unix_socket_directories='$pg_sock' -c fsync=off" start \
    >/dev/null 2>&1 || { cat "$pg_root/log/server.log" >&2; fail pg-start; finish; }
  pass pg-start
}

pg_psql() {
  local psql=psql
  [[ -x $pg_bin/psql ]] && psql=$pg_bin/psql
  "$psql" -X -q -v ON_ERROR_STOP=1 -h "$pg_sock" -U tocm "$@"
}

pg_dsn() {
  echo "host=$pg_sock dbname=$1 user=${2:-tocm}${3:+ password=$3}"
}
