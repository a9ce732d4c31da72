#!/usr/bin/env bash
# Start (or reuse) a local PostgreSQL container, wait until it accepts connections,
# and point SQLALCHEMY_DATABASE_URI in .env at it. Override any setting through the environment:
#   POSTGRES_PORT=5433 POSTGRES_PASSWORD=secret ./scripts/run_postgres.sh
set -euo pipefail

container="${POSTGRES_CONTAINER:-{{ cookiecutter.repo_name }}-postgres}"
image="${POSTGRES_IMAGE:-postgres:16-alpine}"
port="${POSTGRES_PORT:-5432}"
user="${POSTGRES_USER:-postgres}"
password="${POSTGRES_PASSWORD:-postgres}"
database="${POSTGRES_DB:-{{ cookiecutter.repo_name | replace('-', '_') }}}"
wait_seconds="${POSTGRES_WAIT_SECONDS:-60}"
env_file="$(cd "$(dirname "$0")/.." && pwd)/.env"

fail() {
    echo "run_postgres.sh: $*" >&2
    exit 1
}

if ! command -v docker >/dev/null 2>&1; then
    fail "Docker is not installed (no 'docker' command on PATH). Install Docker, or run PostgreSQL yourself and set SQLALCHEMY_DATABASE_URI in .env."
fi
if ! docker info >/dev/null 2>&1; then
    fail "Docker is installed but its engine does not answer. Start Docker, or run PostgreSQL yourself and set SQLALCHEMY_DATABASE_URI in .env."
fi

if [ -n "$(docker ps --quiet --filter "name=^${container}\$")" ]; then
    echo "Reusing the running container ${container}."
elif [ -n "$(docker ps --all --quiet --filter "name=^${container}\$")" ]; then
    echo "Starting the existing container ${container}."
    docker start "$container" >/dev/null
else
    echo "Creating the container ${container} from ${image} on port ${port}."
    docker run --detach --name "$container" \
        --env POSTGRES_USER="$user" --env POSTGRES_PASSWORD="$password" --env POSTGRES_DB="$database" \
        --publish "${port}:5432" "$image" >/dev/null
fi

# A reused container keeps the port it was created with: read it back, e.g. from "0.0.0.0:5432".
published="$(docker port "$container" 5432/tcp)"
published="${published%%$'\n'*}"
port="${published##*:}"

# TCP to 127.0.0.1 answers only once initialisation is over; the init server listens on the socket alone.
for ((waited = 0; ; waited++)); do
    if docker exec "$container" pg_isready --quiet --host 127.0.0.1 --username "$user" --dbname "$database"; then
        break
    fi
    if ((waited >= wait_seconds)); then
        fail "PostgreSQL in ${container} did not accept connections within ${wait_seconds}s; see 'docker logs ${container}'."
    fi
    sleep 1
done

url_encode() {
    python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$1"
}
line="SQLALCHEMY_DATABASE_URI=postgresql://$(url_encode "$user"):$(url_encode "$password")@127.0.0.1:${port}/${database}"

# Replace the first SQLALCHEMY_DATABASE_URI line and drop any other, so reruns never duplicate it.
umask 077
touch "$env_file"
updated="$(LINE="$line" awk '
    /^SQLALCHEMY_DATABASE_URI=/ { if (!done) print ENVIRON["LINE"]; done = 1; next }
    { print }
    END { if (!done) print ENVIRON["LINE"] }
' "$env_file")"
printf '%s\n' "$updated" >"$env_file"

echo "PostgreSQL is ready on 127.0.0.1:${port} (database ${database}); .env now sets SQLALCHEMY_DATABASE_URI."
