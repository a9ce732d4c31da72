"""Variables that libraries read for themselves follow the service's own rule: empty means unset."""

import os
from collections.abc import MutableMapping

# prometheus_client reads its variables when it is imported, OpenTelemetry's SDK when tracing starts; an empty
# line in a ConfigMap or a compose file would otherwise stop them (the OpenTelemetry specification itself says
# an empty value means unset, which its Python SDK does not always honour).
LIBRARY_PREFIXES = ("PROMETHEUS_", "prometheus_", "OTEL_")


def drop_empty_library_settings(environ: MutableMapping[str, str] = os.environ) -> None:
    """Remove every library variable whose value is empty or blank, so that the library's default applies."""
    for name in [name for name, value in environ.items() if name.startswith(LIBRARY_PREFIXES) and not value.strip()]:
        del environ[name]
