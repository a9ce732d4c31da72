"""`Refusal`: why `flask scaffold` writes nothing, in one line."""


class Refusal(Exception):
    """The command stops before writing anything and prints this message."""
