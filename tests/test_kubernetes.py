"""deploy/kubernetes: valid for the stated Kubernetes version, locked down, in step with the app."""

import os
import re
import shutil
import subprocess
import sys
import time
from importlib.metadata import version

import kubernetes_validate
import pytest
import yaml
from conftest import free_port, missing, postgres_server_url, wait_for_json
from slow_clients import under_attack
from test_bake import env_values
from test_deploy_files import load_yaml, workflow_commands
from test_gunicorn import project_environ, start_gunicorn, stop

KUBERNETES_VERSION = "1.34.0"
MANIFESTS = "deploy/kubernetes"
OVERLAY = f"{MANIFESTS}/overlays/example"
PREFIXES = ["", "example", "/example"]
RENDERED_KINDS = {
    "ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
    "NetworkPolicy", "Job",
}  # fmt: skip
PROBES = ("startupProbe", "livenessProbe", "readinessProbe")
# With worker=y: the Deployments and PodDisruptionBudgets of the outbox relay and the worker.
JOB_COMPONENTS = ("outbox-relay", "worker")
HEARTBEAT_SETTINGS = {"outbox-relay": "RELAY_HEARTBEAT_FILE", "worker": "WORKER_HEARTBEAT_FILE"}
IMAGE_USER = 10001
ATTACK_SECONDS = 15
READ_BIND = "import runpy, sys; print(runpy.run_path(sys.argv[1])['bind'])"


def manifest_files(project):
    """Every Kubernetes object file; kustomization.yaml files describe a build, not an object."""
    root = project / MANIFESTS
    return sorted(p for p in root.rglob("*.yaml") if p.name != "kustomization.yaml")


def documents(path):
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def component(document):
    return document["metadata"].get("labels", {}).get("app.kubernetes.io/component")


def objects(project):
    """{kind: object} of the base and the Secret example, without the relay's and the worker's."""
    found = {}
    for path in manifest_files(project):
        for document in documents(path):
            if component(document) not in JOB_COMPONENTS:
                found[document["kind"]] = document
    return found


def job_objects(project):
    """{component: {kind: object}} of the outbox relay and the worker."""
    found = {name: {} for name in JOB_COMPONENTS}
    for path in manifest_files(project):
        for document in documents(path):
            if component(document) in JOB_COMPONENTS:
                found[component(document)][document["kind"]] = document
    return found


def rendered(project):
    """`kubectl kustomize` of the example overlay: what `kubectl apply -k` would send."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        missing("kubectl is not installed", "render the kustomize overlay")
    completed = subprocess.run(
        [kubectl, "kustomize", OVERLAY],
        cwd=project,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return [doc for doc in yaml.safe_load_all(completed.stdout) if doc]


def pod_spec(manifest):
    return manifest["spec"]["template"]["spec"]


def gunicorn_port(project):
    """The port gunicorn.conf.py binds when nothing overrides it, as in the image.

    A process of its own: the file loads the project's .env into the environment it runs in.
    """
    completed = subprocess.run(
        [sys.executable, "-c", READ_BIND, "gunicorn.conf.py"],
        cwd=project,
        env=project_environ(),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    return int(completed.stdout.strip().rsplit(":", 1)[1])


@pytest.mark.parametrize(
    "options",
    [
        *({"service_prefix": prefix} for prefix in PREFIXES),
        {"use_sentry": "y"},
        {"worker": "y"},
        {"worker": "y", "use_prometheus": "n"},
    ],
    ids=repr,
)
def test_every_manifest_matches_the_kubernetes_schemas(bakery, options):
    project = bakery.bake(**options)
    files = manifest_files(project)
    assert files
    for path in files:
        for document in documents(path):
            kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("worker", ["n", "y"])
def test_the_example_overlay_renders_into_valid_manifests(bakery, worker):
    project = bakery.bake(repo_name="orders", version="2.1.0", worker=worker)
    manifests = rendered(project)
    for manifest in manifests:
        kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)
    assert {manifest["kind"] for manifest in manifests} == RENDERED_KINDS
    assert {manifest["metadata"]["namespace"] for manifest in manifests} == {"orders"}
    images = {
        container["image"]
        for manifest in manifests
        if manifest["kind"] in ("Deployment", "Job")
        for container in pod_spec(manifest)["containers"]
    }
    assert images == {"registry.example.com/orders:2.1.0"}
    deployments = {
        manifest["metadata"]["name"] for manifest in manifests if manifest["kind"] == "Deployment"
    }
    if worker == "y":
        assert deployments == {"orders", "orders-relay", "orders-worker"}
    else:
        assert deployments == {"orders"}


def test_the_longest_repo_name_keeps_every_object_name_within_63_characters(bakery):
    project = bakery.bake(repo_name="a" * 55, worker="y")
    names = [manifest["metadata"]["name"] for manifest in rendered(project)]
    assert names
    assert max(len(name) for name in names) <= 63, names


def test_a_schema_violation_is_caught(bakery):
    deployment = objects(bakery.bake())["Deployment"]
    deployment["spec"]["replica"] = 3
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("service_prefix", ["", "example"])
def test_probes_and_port_are_the_ones_gunicorn_and_the_app_serve(bakery, service_prefix):
    project = bakery.bake(service_prefix=service_prefix)
    found = objects(project)
    settings = found["ConfigMap"]["data"]
    (container,) = pod_spec(found["Deployment"])["containers"]
    (port,) = container["ports"]
    assert port["containerPort"] == gunicorn_port(project)

    listen = free_port()
    database = postgres_server_url("answer the readiness probe")
    server = start_gunicorn(
        project,
        **settings,
        SECRET_KEY="not-a-placeholder",
        SQLALCHEMY_DATABASE_URI=database,
        GUNICORN_BIND=f"127.0.0.1:{listen}",
        # No .env in the image (.dockerignore): the bake's development settings must not count.
        PYTHON_DOTENV_DISABLED="1",
    )
    try:
        for probe in PROBES:
            assert container[probe]["httpGet"]["port"] == port["name"]
            url = f"http://127.0.0.1:{listen}{container[probe]['httpGet']['path']}"
            assert wait_for_json(url, server) == (200, {"status": "ok"}), probe
    finally:
        stop(server)


def test_pods_keep_answering_while_slow_and_idle_clients_hold_connections(bakery):
    """gunicorn with the ConfigMap's settings, as a pod runs it, behind no proxy of its own."""
    project = bakery.bake()
    settings = objects(project)["ConfigMap"]["data"]
    listen = free_port()
    server = start_gunicorn(
        project,
        **settings,
        SECRET_KEY="not-a-placeholder",
        SQLALCHEMY_DATABASE_URI=postgres_server_url("serve the pods' settings"),
        GUNICORN_BIND=f"127.0.0.1:{listen}",
        PYTHON_DOTENV_DISABLED="1",
    )
    try:
        assert wait_for_json(f"http://127.0.0.1:{listen}/health/ready", server)[0] == 200
        probes = under_attack("127.0.0.1", listen, "/health/live", ATTACK_SECONDS)
    finally:
        stop(server)
    assert probes.failed == 0, probes
    assert probes.answered > ATTACK_SECONDS, probes


def test_shutdown_and_probe_timings_fit_gunicorn_and_the_database_timeout(bakery):
    found = objects(bakery.bake())
    settings = found["ConfigMap"]["data"]
    spec = pod_spec(found["Deployment"])
    (container,) = spec["containers"]
    pause = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    graceful = int(settings["GUNICORN_GRACEFUL_TIMEOUT"])
    assert spec["terminationGracePeriodSeconds"] > pause + graceful
    readiness_timeout = container["readinessProbe"]["timeoutSeconds"]
    assert readiness_timeout > int(settings["DATABASE_CONNECT_TIMEOUT"])


def test_pods_run_unprivileged_on_a_read_only_filesystem(bakery):
    found = objects(bakery.bake())
    for kind in ("Deployment", "Job"):
        spec = pod_spec(found[kind])
        assert spec["securityContext"]["runAsNonRoot"] is True
        assert spec["securityContext"]["runAsUser"] == IMAGE_USER
        assert spec["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        assert spec["automountServiceAccountToken"] is False
        scratch = {volume["name"] for volume in spec["volumes"] if "emptyDir" in volume}
        for container in spec["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, kind
            assert context["allowPrivilegeEscalation"] is False, kind
            assert context["capabilities"] == {"drop": ["ALL"]}, kind
            mounts = {mount["mountPath"]: mount["name"] for mount in container["volumeMounts"]}
            assert mounts["/tmp"] in scratch, kind
            for bound in ("requests", "limits"):
                assert set(container["resources"][bound]) == {"cpu", "memory"}, (kind, bound)


def test_the_image_user_is_the_one_the_pods_demand(bakery):
    dockerfile = (bakery.bake() / "Dockerfile").read_text(encoding="utf-8")
    assert f"USER {IMAGE_USER}:{IMAGE_USER}" in dockerfile


def test_objects_find_each_other_by_name_and_label(bakery):
    found = objects(bakery.bake())
    deployment, job = found["Deployment"], found["Job"]
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert deployment["spec"]["selector"]["matchLabels"] == pod_labels
    assert found["Service"]["spec"]["selector"] == pod_labels
    assert found["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"] == pod_labels
    scaled = found["HorizontalPodAutoscaler"]["spec"]["scaleTargetRef"]["name"]
    assert scaled == deployment["metadata"]["name"]
    assert "replicas" not in deployment["spec"], "the autoscaler owns the replica count"
    policy = found["NetworkPolicy"]["spec"]["podSelector"]["matchLabels"].items()
    assert policy <= pod_labels.items()
    assert policy <= job["spec"]["template"]["metadata"]["labels"].items()

    references = {
        "configMapRef": found["ConfigMap"]["metadata"]["name"],
        "secretRef": found["Secret"]["metadata"]["name"],
    }
    for kind in ("Deployment", "Job"):
        (container,) = pod_spec(found[kind])["containers"]
        assert container["envFrom"] == [{key: {"name": name}} for key, name in references.items()]
    (migrate,) = pod_spec(job)["containers"]
    assert migrate["command"] == ["flask", "upgrade_in_maintenance_window"]
    assert migrate["image"] == pod_spec(deployment)["containers"][0]["image"]


def test_the_secret_example_holds_placeholders_and_nothing_of_env(bakery):
    project = bakery.bake()
    found = objects(project)
    example = found["Secret"]["stringData"]
    assert set(example) == {
        "SECRET_KEY",
        "SQLALCHEMY_DATABASE_URI",
        "MAINTENANCE_TOKEN",
        "BROKER_URL",
    }
    assert example["SECRET_KEY"] == example["MAINTENANCE_TOKEN"] == "change-me"
    assert "PASSWORD@HOST" in example["SQLALCHEMY_DATABASE_URI"]
    assert "PASSWORD@HOST" in example["BROKER_URL"]
    without_worker = objects(bakery.bake(worker="n"))["Secret"]["stringData"]
    assert set(without_worker) == set(example) - {"BROKER_URL"}
    assert not set(example) & set(found["ConfigMap"]["data"])
    generated = env_values((project / ".env").read_text(encoding="utf-8"))
    shipped = (project / MANIFESTS / "secret.example.yaml").read_text(encoding="utf-8")
    for key in ("SECRET_KEY", "MAINTENANCE_TOKEN"):
        assert generated[key] not in shipped, f"the bake's own {key} leaked into the example"


def test_the_workflow_validates_the_manifests_with_the_pinned_tool(bakery):
    project = bakery.bake()
    pinned = (project / MANIFESTS / "requirements.txt").read_text(encoding="utf-8")
    assert f"kubernetes-validate=={version('kubernetes-validate')}" in pinned.splitlines()
    commands = workflow_commands(load_yaml(project / ".github/workflows/ci.yml"))
    # A throwaway environment of its own: the validator stays out of the service's uv.lock.
    (validation,) = [line for line in commands if " kubernetes-validate " in line]
    assert validation.startswith(
        f"uv run --no-project --with-requirements {MANIFESTS}/requirements.txt kubernetes-validate "
    )
    assert f"--strict --kubernetes-version {KUBERNETES_VERSION}" in validation


def test_without_the_option_the_workflow_leaves_kubernetes_alone(bakery):
    project = bakery.bake(use_kubernetes="n")
    assert not (project / "deploy").exists()
    workflow = (project / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    assert "kubernetes" not in workflow.lower()


def run_probe(command, heartbeat, path):
    """The exit status of a probe's command, pointed at `path` instead of the pod's heartbeat."""
    assert any(heartbeat in part for part in command), command
    pointed = [part.replace(heartbeat, str(path)) for part in command]
    return subprocess.run(
        pointed, stdin=subprocess.DEVNULL, capture_output=True, timeout=30
    ).returncode


@pytest.mark.parametrize("use_prometheus", ["y", "n"])
def test_the_relay_and_the_worker_run_as_locked_down_as_the_web_pods(bakery, use_prometheus):
    project = bakery.bake(worker="y", use_prometheus=use_prometheus)
    found, jobs = objects(project), job_objects(project)
    web = pod_spec(found["Deployment"])
    (web_container,) = web["containers"]
    for name, kinds in jobs.items():
        deployment = kinds["Deployment"]
        spec = pod_spec(deployment)
        (container,) = spec["containers"]
        for key in ("securityContext", "automountServiceAccountToken", "volumes"):
            assert spec[key] == web[key], (name, key)
        for key in ("image", "envFrom", "securityContext", "volumeMounts"):
            assert container[key] == web_container[key], (name, key)
        for bound in ("requests", "limits"):
            assert set(container["resources"][bound]) == {"cpu", "memory"}, (name, bound)

        pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert deployment["spec"]["selector"]["matchLabels"] == pod_labels
        assert pod_labels["app.kubernetes.io/component"] == name
        # Like the web pods: at least two, and a drain takes one at a time.
        assert deployment["spec"]["replicas"] >= 2, name
        budget = kinds["PodDisruptionBudget"]["spec"]
        assert budget == {"maxUnavailable": 1, "selector": {"matchLabels": pod_labels}}, name
        assert (
            found["NetworkPolicy"]["spec"]["podSelector"]["matchLabels"].items()
            <= pod_labels.items()
        )
        assert pod_labels != found["Service"]["spec"]["selector"], (
            "the web Service must not route to them"
        )


def test_the_relay_and_the_worker_run_their_commands_and_may_stop_gracefully(bakery):
    project = bakery.bake(worker="y")
    jobs = job_objects(project)
    settings = objects(project)["ConfigMap"]["data"]
    (relay,) = pod_spec(jobs["outbox-relay"]["Deployment"])["containers"]
    (worker,) = pod_spec(jobs["worker"]["Deployment"])["containers"]
    assert relay["command"][:3] == ["flask", "outbox", "relay"]
    assert "--once" not in relay["command"]
    # worker.py is the module of the broker; one process per pod, as job_metrics.py expects.
    assert worker["command"][:2] == ["dramatiq", "worker"]
    assert worker["command"][worker["command"].index("--processes") + 1] == "1"
    # A stopping worker finishes its jobs in hand, each within the time limit, before the SIGKILL.
    grace = pod_spec(jobs["worker"]["Deployment"])["terminationGracePeriodSeconds"]
    assert grace * 1000 > int(settings["JOB_TIME_LIMIT_MS"])
    assert (project / "worker.py").exists()


@pytest.mark.parametrize("name", JOB_COMPONENTS)
def test_the_probes_of_the_relay_and_the_worker_read_the_age_of_their_heartbeat_file(
    bakery, tmp_path, name
):
    deployment = job_objects(bakery.bake(worker="y"))[name]["Deployment"]
    (container,) = pod_spec(deployment)["containers"]
    environment = {variable["name"]: variable["value"] for variable in container["env"]}
    heartbeat = environment[HEARTBEAT_SETTINGS[name]]
    assert heartbeat.startswith("/tmp/"), "the one writable path"
    beat = tmp_path / "alive"
    for probe in PROBES:
        command = container[probe]["exec"]["command"]
        assert run_probe(command, heartbeat, beat) == 1, f"{probe}: no heartbeat yet"
        beat.touch()
        assert run_probe(command, heartbeat, beat) == 0, f"{probe}: a fresh heartbeat"
        stale = time.time() - 600
        os.utime(beat, (stale, stale))
        assert run_probe(command, heartbeat, beat) == 1, f"{probe}: a heartbeat 10 minutes old"
        beat.unlink()
        assert container[probe]["timeoutSeconds"] >= 5, "a Python start on a busy node"


def test_the_metrics_ports_of_the_relay_and_the_worker_are_declared_and_let_in(bakery):
    project = bakery.bake(worker="y", use_prometheus="y")
    jobs = job_objects(project)
    policy = objects(project)["NetworkPolicy"]["spec"]
    allowed_in = {port["port"] for rule in policy["ingress"] for port in rule["ports"]}
    allowed_out = {port["port"] for rule in policy["egress"] for port in rule["ports"]}
    assert 5672 in allowed_out, "RabbitMQ"
    (relay,) = pod_spec(jobs["outbox-relay"]["Deployment"])["containers"]
    (worker,) = pod_spec(jobs["worker"]["Deployment"])["containers"]
    relay_port = int(relay["command"][relay["command"].index("--metrics-port") + 1])
    worker_port = int(
        {item["name"]: item["value"] for item in worker["env"]}["WORKER_METRICS_PORT"]
    )
    for container, port in ((relay, relay_port), (worker, worker_port)):
        assert container["ports"] == [{"name": "metrics", "containerPort": port}]
        assert port in allowed_in


def test_the_broker_url_is_a_secret_of_the_example(bakery):
    found = objects(bakery.bake(worker="y"))
    assert "PASSWORD@HOST" in found["Secret"]["stringData"]["BROKER_URL"]
    assert "BROKER_URL" not in found["ConfigMap"]["data"]


def test_without_the_worker_no_manifest_mentions_it(bakery):
    project = bakery.bake(worker="n", use_prometheus="y")
    assert job_objects(project) == {name: {} for name in JOB_COMPONENTS}
    for path in manifest_files(project):
        text = path.read_text(encoding="utf-8").lower()
        for word in ("outbox", "dramatiq", "rabbitmq", "broker", "9101", "5672"):
            assert word not in text, (path.name, word)


def excluded_by(selector):
    """(label, values) of a `-l` selector that excludes: `key!=value` or `key notin (a,b)`."""
    if match := re.fullmatch(r"([\w./-]+)!=([\w.-]+)", selector):
        return match[1], {match[2]}
    match = re.fullmatch(r"([\w./-]+) notin \(([\w.,-]+)\)", selector)
    assert match, f"a selector this test cannot read: {selector}"
    return match[1], set(match[2].split(","))


@pytest.mark.parametrize("worker", ["n", "y"])
def test_the_release_steps_apply_no_deployment_before_the_migration_completes(bakery, worker):
    project = bakery.bake(worker=worker)
    guide = (project / "docs/deployment.md").read_text(encoding="utf-8")
    (selector,) = re.findall(rf"kubectl apply -k {OVERLAY} -l '([^']+)'", guide)
    label, excluded = excluded_by(selector)
    first_step = [
        manifest
        for manifest in rendered(project)
        if manifest["metadata"].get("labels", {}).get(label) not in excluded
    ]
    assert "Job" in {manifest["kind"] for manifest in first_step}
    assert not [
        manifest["metadata"]["name"] for manifest in first_step if manifest["kind"] == "Deployment"
    ]
    deployments = [
        manifest["metadata"]["name"]
        for manifest in rendered(project)
        if manifest["kind"] == "Deployment"
    ]
    for name in deployments:
        assert f"rollout status deployment/{name} " in guide, name
