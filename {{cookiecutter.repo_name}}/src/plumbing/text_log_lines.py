"""Text log lines that a client cannot forge: control characters in any field come out escaped.

A request path such as `/v1/todo%0A2026-01-01 INFO ...` is decoded before it is logged; printed as it is, it
would start a line that looks like a record of its own, and an escape sequence would drive the terminal of
whoever reads the log. So every record is one line, and the lines of its traceback are indented beneath it.
"""

import logging
from types import TracebackType

# C0 and C1 control characters, DEL, and the line and paragraph separators some viewers break lines at.
CONTROL_CHARACTERS = (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029)
ESCAPES = {code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" for code in CONTROL_CHARACTERS}
ESCAPES |= {ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
TRACEBACK_INDENT = "    "


def escaped(text: str) -> str:
    """`text` with each control character written as a Python escape, such as `\\n` or `\\x1b`."""
    return text.translate(ESCAPES)


def indented(text: str) -> str:
    """Each line of a traceback escaped and indented, so that no line of it starts at the margin."""
    return "\n".join(TRACEBACK_INDENT + escaped(line) for line in text.split("\n"))


class OneLineFormatter(logging.Formatter):
    """`logging.Formatter` whose record fields are escaped and whose tracebacks are indented."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return escaped(super().formatMessage(record))

    def formatException(
        self, ei: tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None]
    ) -> str:
        return indented(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:
        return indented(super().formatStack(stack_info))
