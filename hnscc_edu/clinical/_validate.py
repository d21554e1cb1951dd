"""Input checks shared by the calculators.

Every failure is a ``ValueError`` whose message a clinician can act on: it names the quantity, the unit and the
value received. ``bool`` is refused wherever a number is expected, because ``True`` silently counting as 1 fraction
or 1 Gy is exactly the kind of error a teaching calculator must not hide. Wrong types raise ``ValueError`` too (not
``TypeError``): the public API promises one exception type for every input a clinician can get wrong.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from numbers import Integral, Real


def _shown(value: object, unit: str = "") -> str:
    text = f"{value:g}" if isinstance(value, float) else repr(value) if isinstance(value, str) else f"{value}"
    return f"{text} {unit}".rstrip() if unit else text


def number(value: object, what: str, unit: str = "") -> float:
    """A finite real number (not a bool, not text)."""
    where = f" in {unit}" if unit else ""
    if isinstance(value, bool):
        raise ValueError(  # noqa: TRY004 - one error type for every wrong input (module docstring)
            f"{what} must be a number{where}, not a yes/no value: got {value}."
        )
    if not isinstance(value, Real):
        raise ValueError(  # noqa: TRY004 - one error type for every wrong input (module docstring)
            f"{what} must be a number{where}: got {value!r}."
        )
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{what} must be a finite number{where}: got {value}.")
    return result


def non_negative(value: object, what: str, unit: str = "") -> float:
    result = number(value, what, unit)
    if result < 0:
        raise ValueError(f"{what} cannot be negative: got {_shown(value, unit)}.")
    return result


def positive(value: object, what: str, unit: str = "") -> float:
    result = number(value, what, unit)
    if result <= 0:
        raise ValueError(f"{what} must be greater than 0{' ' + unit if unit else ''}: got {_shown(value, unit)}.")
    return result


def fraction_count(value: object, what: str = "The number of fractions") -> int:
    """A whole number of fractions, at least 1 (25 and 25.0 are accepted; 25.5 is not)."""
    if isinstance(value, bool):
        raise ValueError(  # noqa: TRY004 - one error type for every wrong input (module docstring)
            f"{what} must be a whole number, not a yes/no value: got {value}."
        )
    if isinstance(value, Integral):
        count = int(value)
    elif isinstance(value, Real) and math.isfinite(float(value)) and float(value).is_integer():
        count = int(float(value))
    elif isinstance(value, Real):
        raise ValueError(f"{what} must be a whole number: got {_shown(value)}.")
    else:
        raise ValueError(f"{what} must be a whole number: got {value!r}.")
    if count < 1:
        raise ValueError(f"{what} must be at least 1: got {count}.")
    return count


def alpha_beta(value: object) -> float:
    return positive(value, "The α/β ratio", "Gy")


def proportion(value: object, what: str) -> float:
    result = number(value, what)
    if not 0.0 <= result <= 1.0:
        raise ValueError(f"{what} must lie between 0 and 1 (0 = none, 1 = complete): got {_shown(value)}.")
    return result


def flag(value: object, what: str) -> bool:
    """A strict yes/no: the text "No" must not count as true."""
    if not isinstance(value, bool):
        raise ValueError(  # noqa: TRY004 - one error type for every wrong input (module docstring)
            f"{what} must be True or False: got {value!r}."
        )
    return value


def items(value: object, what: str) -> list:
    """A list from any iterable except text and mappings, which iterate in misleading ways."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        raise ValueError(  # noqa: TRY004 - one error type for every wrong input (module docstring)
            f"{what} must be a list: got {value!r}."
        )
    return list(value)
