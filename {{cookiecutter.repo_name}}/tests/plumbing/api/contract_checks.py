"""What schemathesis' checks accept from the service: the statuses each check may see, per operation."""

from typing import Any

import schemathesis

CHECKS = {
    # 428 Precondition Required (RFC 6585) is the precise answer to a write that omits the required If-Match.
    "missing_required_header": {"expected-statuses": [400, 401, 403, 406, 415, 422, 428]},
    # A generated ETag is well-formed but cannot be the current one, so 412 is the right answer to it.
    "positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", 401, 403, 404, 409, 412, 429, "5xx"]},
    # An If-Match outside RFC 9110's syntax is still read as a tag, and it names no current version either.
    "negative_data_rejection": {"expected-statuses": [400, 401, 403, 404, 405, 406, 409, 412, 415, 422, 428, 429]},
}
# An operation that declares business rules (`x-rules`) may refuse input its schemas accept: its 422 says so.
CHECKS_WITH_RULES = {
    **CHECKS,
    "positive_data_acceptance": {"expected-statuses": [*CHECKS["positive_data_acceptance"]["expected-statuses"], 422]},
}


def contract_config(document: dict[str, Any]) -> schemathesis.Config:
    """The checks for `document`: a 422 on valid input passes only where the operation declares its rules."""
    with_rules = [
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict) and operation.get("x-rules")
    ]
    operations = [{"include-name": name, "checks": CHECKS_WITH_RULES} for name in with_rules]
    return schemathesis.Config.from_dict({"checks": CHECKS, "operations": operations})
