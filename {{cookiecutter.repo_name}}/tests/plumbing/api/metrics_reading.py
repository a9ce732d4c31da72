"""`sample_value`: one sample of a `/metrics` answer, read with prometheus_client's own parser."""

from prometheus_client.parser import text_string_to_metric_families


def sample_value(metrics_text: str, name: str, **labels: str) -> float:
    """The value of the sample `name` with exactly these labels; 0 when no such sample exists yet."""
    for family in text_string_to_metric_families(metrics_text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0
