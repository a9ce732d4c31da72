"""Where a node of `ast.parse` ends, and its source: the type stubs allow None, which only hand-built nodes have."""

import ast


def end_line(node: ast.stmt | ast.expr) -> int:
    """The line, counted from 1, that `node` ends on."""
    if node.end_lineno is None:
        raise ValueError(f"The {type(node).__name__} node was not parsed from source: it has no position.")
    return node.end_lineno


def end_column(node: ast.expr) -> int:
    """The UTF-8 byte offset, in its last line, right after `node`."""
    if node.end_col_offset is None:
        raise ValueError(f"The {type(node).__name__} node was not parsed from source: it has no position.")
    return node.end_col_offset


def source_of(source: str, node: ast.expr) -> str:
    """The text of `source` that `node` was parsed from."""
    segment = ast.get_source_segment(source, node)
    if segment is None:
        raise ValueError(f"The {type(node).__name__} node was not parsed from source: it has no position.")
    return segment
