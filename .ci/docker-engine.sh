#!/usr/bin/env bash
# A private Docker engine for the template's tests, and the images they need, built without a registry.
#   .ci/docker-engine.sh start   prints the `export` lines the tests need; logs go to stderr
#   .ci/docker-engine.sh stop    removes its containers and networks, stops dockerd, deletes its files and its bridge
# No image registry is reachable here: the images are Debian bookworm's postgresql-15, redis-server (the compose
# stack's rate-limit counts), rabbitmq-server (the compose stack's broker, and the baked tests' testcontainers
# broker) and python3 (the base the baked Dockerfile is built on, through its PYTHON_IMAGE build argument),
# bootstrapped with mmdebstrap and imported, and dockerd gets a proxy that refuses at once, so a stray pull fails fast.
# The engine touches no firewall rule and no sysctl, and binds published ports to 127.0.0.1 only.
set -euo pipefail

ci_dir="$(cd "$(dirname "$0")" && pwd)"
state="${CI_DOCKER_DIR:-/tmp/flask-onion-template-docker}"
bridge="${CI_DOCKER_BRIDGE:-fot-docker0}"
bridge_address="${CI_DOCKER_BRIDGE_ADDRESS:-10.213.46.1/24}"
cache="${CI_DOCKER_CACHE:-/var/cache/flask-onion-template}"
image="${TEST_POSTGRES_IMAGE:-local/postgres-debian:15}"
python_image="${TEST_PYTHON_IMAGE:-local/python-debian:3.11}"
uv_image="${TEST_UV_IMAGE:-local/uv:installed}"
redis_image="${TEST_REDIS_IMAGE:-local/redis-debian:7}"
rabbitmq_image="${TEST_RABBITMQ_IMAGE:-local/rabbitmq-debian:3}"
# Networks that compose creates take their subnets from here, next to the bridge, never from 172.16.0.0/12.
address_pool="${CI_DOCKER_ADDRESS_POOL:-10.213.47.0/24}"
export DOCKER_HOST="unix://${state}/docker.sock"

log() {
    echo "docker-engine: $*" >&2
}

network_state() {
    # What the engine must leave as it found it: firewall rules, links, IPv4 forwarding.
    iptables-save | sed '/^#/d'
    ip6tables-save | sed '/^#/d'
    ip -o link show | awk -F': ' '{ print $2 }' | sort
    cat /proc/sys/net/ipv4/ip_forward
}

install_packages() {
    if command -v dockerd >/dev/null && command -v mmdebstrap >/dev/null && command -v iptables-save >/dev/null &&
        command -v docker-compose >/dev/null; then
        return
    fi
    log "installing docker.io, docker-compose, iptables and mmdebstrap"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        docker.io docker-compose iptables mmdebstrap >/dev/null
}

start_dockerd() {
    if [ -e "${state}/dockerd.pid" ] || ip link show "$bridge" >/dev/null 2>&1; then
        log "an engine of a previous run is still there (${state}, bridge ${bridge}); run '$0 stop' first"
        exit 1
    fi
    mkdir -p "$state"
    network_state >"${state}/network-before"
    # dockerd and containerd make these whatever their roots are: plugin and shim socket folders.
    for dir in /run/docker /run/containerd; do
        [ -e "$dir" ] || echo "$dir" >>"${state}/created-dirs"
    done
    ip link add name "$bridge" type bridge
    ip address add "$bridge_address" dev "$bridge"
    ip link set "$bridge" up
    # --iptables=false and --ip-forward=false keep the host's firewall and sysctls untouched: the
    # userland proxy forwards each published port from 127.0.0.1 (--ip) to the container.
    HTTPS_PROXY=http://127.0.0.1:9 HTTP_PROXY=http://127.0.0.1:9 NO_PROXY='' setsid dockerd \
        --data-root "${state}/data" --exec-root "${state}/exec" --pidfile "${state}/dockerd.pid" \
        --host "$DOCKER_HOST" --bridge "$bridge" --ip 127.0.0.1 \
        --default-address-pool "base=${address_pool},size=28" \
        --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
        >"${state}/dockerd.log" 2>&1 </dev/null &
    for _ in $(seq 60); do
        docker version >/dev/null 2>&1 && return
        sleep 0.5
    done
    log "dockerd did not answer within 30s:"
    tail -n 20 "${state}/dockerd.log" >&2
    exit 1
}

image_tarball() {
    # The cache key covers everything that goes into the root file system.
    local key
    key="$({ declare -f build_rootfs; cat "${ci_dir}/postgres-entrypoint.sh"; } | sha256sum | cut -c1-16)"
    echo "${cache}/postgres-debian-15-${key}.tar"
}

build_rootfs() {
    local tarball="$1"
    log "building PostgreSQL 15 from Debian bookworm's packages (mmdebstrap)"
    mkdir -p "$cache"
    rm -rf "${cache}"/postgres-debian-15-*
    # The package would create and start a cluster of its own; the entrypoint creates the one it needs.
    # The hooks' "$1" is the new root, filled in by mmdebstrap.
    # shellcheck disable=SC2016
    mmdebstrap --quiet --format=tar --variant=minbase --include=postgresql-15 \
        --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --setup-hook='mkdir -p "$1/etc/postgresql-common/createcluster.d"' \
        --setup-hook='echo "create_main_cluster = false" >"$1/etc/postgresql-common/createcluster.d/ci.conf"' \
        --customize-hook="upload ${ci_dir}/postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh" \
        --customize-hook='chmod 755 "$1/usr/local/bin/docker-entrypoint.sh"' \
        bookworm "${tarball}.partial" >&2
    mv "${tarball}.partial" "$tarball"
}

import_image() {
    local tarball
    tarball="$(image_tarball)"
    [ -s "$tarball" ] || build_rootfs "$tarball"
    docker import \
        --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
        --change 'EXPOSE 5432' \
        "$tarball" "$image" >/dev/null
}

python_tarball() {
    local key
    key="$(declare -f build_python_rootfs | sha256sum | cut -c1-16)"
    echo "${cache}/python-debian-3.11-${key}.tar"
}

build_python_rootfs() {
    local tarball="$1"
    log "building a Python 3.11 base image from Debian bookworm's packages (mmdebstrap)"
    mkdir -p "$cache"
    rm -rf "${cache}"/python-debian-3.11-*
    # Like the official image: `python` and `pip` on PATH, and pip free to install into the system's Python.
    # shellcheck disable=SC2016
    mmdebstrap --quiet --format=tar --variant=minbase \
        --include=python3,python3-pip,python-is-python3,ca-certificates \
        --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --customize-hook='rm -f "$1"/usr/lib/python3*/EXTERNALLY-MANAGED' \
        bookworm "${tarball}.partial" >&2
    mv "${tarball}.partial" "$tarball"
}

import_python_image() {
    local tarball
    tarball="$(python_tarball)"
    [ -s "$tarball" ] || build_python_rootfs "$tarball"
    docker import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
        --change 'CMD ["python3"]' \
        "$tarball" "$python_image" >/dev/null
    # This machine's trust store, not cached with the image: pip and uv (through SSL_CERT_FILE) in a build reach
    # the package index through whatever proxy this machine's own pip goes through.
    local container
    container="$(docker create "$python_image")"
    docker cp /etc/ssl/certs/ca-certificates.crt "${container}:/etc/ssl/certs/ca-certificates.crt" >/dev/null
    docker commit "$container" "$python_image" >/dev/null
    docker rm "$container" >/dev/null
}

redis_tarball() {
    local key
    key="$(declare -f build_redis_rootfs | sha256sum | cut -c1-16)"
    echo "${cache}/redis-debian-7-${key}.tar"
}

build_redis_rootfs() {
    local tarball="$1"
    log "building Redis 7 from Debian bookworm's packages (mmdebstrap)"
    mkdir -p "$cache"
    rm -rf "${cache}"/redis-debian-7-*
    mmdebstrap --quiet --format=tar --variant=minbase --include=redis-server \
        --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        bookworm "${tarball}.partial" >&2
    mv "${tarball}.partial" "$tarball"
}

# Like the official image: redis-server in the foreground on every interface of the container, and redis-cli
# on PATH for the compose file's health check. It keeps nothing on disk.
import_redis_image() {
    local tarball
    tarball="$(redis_tarball)"
    [ -s "$tarball" ] || build_redis_rootfs "$tarball"
    docker import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--save", "", "--appendonly", "no"]' \
        --change 'EXPOSE 6379' \
        "$tarball" "$redis_image" >/dev/null
}

rabbitmq_tarball() {
    local key
    key="$(declare -f build_rabbitmq_rootfs | sha256sum | cut -c1-16)"
    echo "${cache}/rabbitmq-debian-3-${key}.tar"
}

build_rabbitmq_rootfs() {
    local tarball="$1"
    log "building RabbitMQ 3 from Debian bookworm's packages (mmdebstrap)"
    mkdir -p "$cache"
    rm -rf "${cache}"/rabbitmq-debian-3-*
    # As the official image does, `guest` may log in from outside the container: the only way in is a port.
    # shellcheck disable=SC2016
    mmdebstrap --quiet --format=tar --variant=minbase --include=rabbitmq-server \
        --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
        --dpkgopt='path-exclude=/usr/share/locale/*' \
        --customize-hook='mkdir -p "$1/etc/rabbitmq"' \
        --customize-hook='echo "loopback_users.guest = false" >"$1/etc/rabbitmq/rabbitmq.conf"' \
        bookworm "${tarball}.partial" >&2
    mv "${tarball}.partial" "$tarball"
}

# Like the official image: the broker in the foreground as the rabbitmq user, logging to stdout, on 5672 of every
# interface of the container. RabbitMQ itself honours RABBITMQ_DEFAULT_USER, RABBITMQ_DEFAULT_PASS,
# RABBITMQ_DEFAULT_VHOST and RABBITMQ_NODE_PORT (testcontainers sets them), and `rabbitmq-diagnostics -q ping`, the
# compose file's health check, runs as the same user with the same Erlang cookie. It keeps nothing on a volume.
import_rabbitmq_image() {
    local tarball
    tarball="$(rabbitmq_tarball)"
    [ -s "$tarball" ] || build_rabbitmq_rootfs "$tarball"
    docker import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'ENV LANG=C.UTF-8' \
        --change 'ENV HOME=/var/lib/rabbitmq' \
        --change 'ENV RABBITMQ_LOGS=-' \
        --change 'USER rabbitmq' \
        --change 'WORKDIR /var/lib/rabbitmq' \
        --change 'CMD ["/usr/lib/rabbitmq/bin/rabbitmq-server"]' \
        --change 'EXPOSE 5672' \
        "$tarball" "$rabbitmq_image" >/dev/null
}

# The Dockerfile copies /uv from the uv image; this one holds the uv binary of the active environment.
import_uv_image() {
    local binary folder
    binary="$(command -v uv)" || { log "uv is not on PATH: activate the environment of requirements-dev.txt"; return 1; }
    folder="$(mktemp -d)"
    cp "$binary" "${folder}/uv"
    tar -C "$folder" -c uv | docker import - "$uv_image" >/dev/null
    rm -rf "$folder"
}

start() {
    local began=$SECONDS
    install_packages
    start_dockerd
    import_image
    import_python_image
    import_uv_image
    import_redis_image
    import_rabbitmq_image
    log "engine and images ${image}, ${python_image}, ${uv_image}, ${redis_image}, ${rabbitmq_image} ready in $((SECONDS - began))s"
    cat <<EOF
export DOCKER_HOST='${DOCKER_HOST}'
export TEST_POSTGRES_IMAGE='${image}'
export TEST_PYTHON_IMAGE='${python_image}'
export TEST_UV_IMAGE='${uv_image}'
export TEST_REDIS_IMAGE='${redis_image}'
export TEST_RABBITMQ_IMAGE='${rabbitmq_image}'
export TESTCONTAINERS_RYUK_DISABLED=true
export TESTCONTAINERS_HOST_OVERRIDE=localhost
export TESTCONTAINERS_CONNECTION_MODE=docker_host
EOF
}

stop_dockerd() {
    local pid
    pid="$(cat "${state}/dockerd.pid" 2>/dev/null || true)"
    [ -n "$pid" ] || return 0
    if docker version >/dev/null 2>&1; then
        docker ps --all --quiet | xargs --no-run-if-empty docker rm --force --volumes >/dev/null
        # A compose stack a test could not take down leaves its network, and with it a bridge of the host.
        docker network prune --force >/dev/null
    fi
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 40); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.5
    done
    log "dockerd did not stop within 20s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
}

stop() {
    local began=$SECONDS
    stop_dockerd
    # A killed dockerd can leave its overlay and shm mounts behind; unmount the deepest first.
    awk -v root="$state" 'index($5, root) == 1 { print $5 }' /proc/self/mountinfo | sort -r |
        xargs --no-run-if-empty -n1 umount -l
    if ip link show "$bridge" >/dev/null 2>&1; then
        ip link delete "$bridge"
    fi
    if [ -f "${state}/created-dirs" ]; then
        # Only folders left empty: anything else there belongs to another engine.
        while read -r dir; do
            [ ! -d "$dir" ] || find "$dir" -depth -type d -empty -delete
        done <"${state}/created-dirs"
    fi
    local changed=0
    if [ -f "${state}/network-before" ] && ! network_state | diff "${state}/network-before" - >&2; then
        log "the network differs from before the engine started (see above)"
        changed=1
    fi
    rm -rf "$state"
    log "stopped and removed in $((SECONDS - began))s"
    return "$changed"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *)
        echo "usage: $0 start|stop" >&2
        exit 2
        ;;
esac
