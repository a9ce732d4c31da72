"""Throughput of the local cluster through HAProxy: every instance, then one, alternating."""

import os
from dataclasses import asdict

from balancer import Balancer
from cluster_phases import PAGE
from instances import Instances
from load import Endpoint, LoadResult, run_load
from throughput import LoadSettings, summarize


def throughput(instances: Instances, balancer: Balancer, settings: LoadSettings) -> dict:
    """GET page through HAProxy with every instance and with one (the others in maintenance), alternating."""
    endpoint = Endpoint("GET page", PAGE)
    names = list(instances.ports)
    layouts = {f"{len(names)} instances": names, "1 instance": names[:1]}
    runs: dict[str, list[LoadResult]] = {layout: [] for layout in layouts}
    load_averages = []
    for repeat in range(settings.repeats):
        order = list(layouts.items()) if repeat % 2 == 0 else list(layouts.items())[::-1]
        for layout, serving in order:
            serve_only(balancer, names, serving)
            run_load(settings.client, balancer.base_url, endpoint, settings.warm_up_seconds, settings.connections)
            load_averages.append(os.getloadavg()[0])
            runs[layout].append(
                run_load(settings.client, balancer.base_url, endpoint, settings.seconds, settings.connections)
            )
    serve_only(balancer, names, names)
    results = {layout: asdict(summarize(measured)) for layout, measured in runs.items()}
    results["load_average_during"] = [round(value, 2) for value in load_averages]
    return results


def serve_only(balancer: Balancer, names: list[str], serving: list[str]) -> None:
    for name in names:
        balancer.set_state(name, "ready" if name in serving else "maint")
    for name in serving:
        balancer.wait_for(name, "UP")
