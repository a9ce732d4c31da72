"""Rules about text, spelled so that Python and the OpenAPI document (ECMA-262 patterns) read them alike."""

import re

# Exactly the characters `str.isspace()` calls whitespace. Spelled out because `\s` means a different set in
# Python and in ECMA-262: U+001C to U+001F and U+0085 are blank to one and not to the other.
BLANK_CHARACTERS = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
_NOT_BLANK = re.compile(f"[^{BLANK_CHARACTERS}]")


def is_blank(text: str) -> bool:
    """True for text made of whitespace only, or of nothing at all."""
    return _NOT_BLANK.search(text) is None
