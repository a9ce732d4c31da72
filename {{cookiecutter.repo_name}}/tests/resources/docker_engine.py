"""Whether a Docker engine answers, so that testcontainers can start the servers the tests need."""


def docker_answers() -> bool:
    """True when the engine of DOCKER_HOST (or the default socket) answers; a run with URLs never imports docker."""
    try:
        import docker

        return bool(docker.from_env().ping())
    except Exception:
        return False
