"""Readers of environment variables that check what they read: a bad value names its variable and what it expects."""

from collections.abc import Mapping

TRUTHY = frozenset({"1", "true", "yes", "on"})
FALSY = frozenset({"", "0", "false", "no", "off"})
# Values that mean a secret was never set: `.env.example` ships `change-me`.
PLACEHOLDER_SECRETS = frozenset({"", "change-me"})


class ConfigurationError(RuntimeError):
    """The environment describes a configuration the service refuses to run with."""


def flag(environ: Mapping[str, str], name: str, default: bool = False) -> bool:
    """`true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`); unset means `default`."""
    value = environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUTHY:
        return True
    if value in FALSY:
        return False
    raise ConfigurationError(f"{name} must be true or false; got {value!r}.")


def integer(environ: Mapping[str, str], name: str, default: int, minimum: int = 1) -> int:
    """A whole number of at least `minimum`; `default` when unset."""
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number; got {value!r}.") from None
    if number < minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}; got {number}.")
    return number


def seconds(environ: Mapping[str, str], name: str, default: float) -> float:
    """A number of seconds from 0 to 60; `default` when unset."""
    return _number_up_to(environ, name, default, 60, "a number of seconds", " seconds")


def fraction(environ: Mapping[str, str], name: str, default: float) -> float:
    """A share from 0 to 1, such as a sampling rate; `default` when unset."""
    return _number_up_to(environ, name, default, 1, "a number from 0 to 1", "")


def _number_up_to(environ: Mapping[str, str], name: str, default: float, maximum: float, kind: str, unit: str) -> float:
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be {kind}; got {value!r}.") from None
    if not 0 <= number <= maximum:
        raise ConfigurationError(f"{name} must be between 0 and {maximum}{unit}; got {number}.")
    return number
