#!/bin/sh
# Entrypoint of the PostgreSQL image .ci/docker-engine.sh builds from Debian's packages: it honours
# POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB as the official image does, for testcontainers and
# scripts/run_postgres.sh alike.
set -eu

user="${POSTGRES_USER:-postgres}"
password="${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
database="${POSTGRES_DB:-$user}"
data=/var/lib/postgresql/data
sockets=/run/postgresql
bin="$(echo /usr/lib/postgresql/*/bin)"

as_postgres() {
    runuser -u postgres -- "$@"
}

mkdir -p "$data" "$sockets"
chown postgres:postgres "$data" "$sockets"
chmod 700 "$data"

if [ ! -s "$data/PG_VERSION" ]; then
    password_file="$(mktemp)"
    printf '%s\n' "$password" >"$password_file"
    chown postgres "$password_file"
    # Inside the container the socket is trusted, as in the official image; TCP needs the password.
    as_postgres "$bin/initdb" --pgdata="$data" --username="$user" --pwfile="$password_file" \
        --encoding=UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    rm -f "$password_file"
    echo "host all all all scram-sha-256" >>"$data/pg_hba.conf"
    # Create the database on a server that listens on the socket only, so no client sees it half done.
    as_postgres "$bin/pg_ctl" --pgdata="$data" --wait --silent --options="-c listen_addresses=''" start
    if [ "$database" != postgres ]; then
        as_postgres "$bin/createdb" --host="$sockets" --username="$user" -- "$database"
    fi
    as_postgres "$bin/pg_ctl" --pgdata="$data" --wait --silent --mode=fast stop
fi

exec runuser -u postgres -- "$bin/postgres" -D "$data" -c listen_addresses='*'
