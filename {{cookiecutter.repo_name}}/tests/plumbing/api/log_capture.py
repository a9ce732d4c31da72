"""`captured_log_lines`: what the service's log handler writes, in a chosen format, while a block runs."""

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from src.plumbing.logs import configure_logging


@contextmanager
def captured_log_lines(log_format: str) -> Iterator[io.StringIO]:
    """Configure logging as the service does at INFO, writing to the returned buffer instead of stderr."""
    configure_logging(log_format, "INFO")
    buffer = io.StringIO()
    for handler in logging.getLogger().handlers:
        handler.setStream(buffer)
    try:
        yield buffer
    finally:
        configure_logging(log_format, "WARNING")
