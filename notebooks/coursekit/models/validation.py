"""Input checks shared by every model: a clear ValueError naming the parameter, its value and the allowed range."""
from __future__ import annotations

import math

from ..numbers import number as _fmt


def check_range(name: str, value: float, low: float, high: float, unit: str = "") -> float:
    """Return value as float if low <= value <= high; otherwise raise ValueError saying what is allowed."""
    unit_text = f" {unit}" if unit else ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number between {_fmt(low)} and {_fmt(high)}{unit_text}; "
                         f"got {value!r}") from None
    if math.isnan(number) or not low <= number <= high:
        shown = "not a number" if math.isnan(number) else _fmt(number)
        raise ValueError(f"{name} = {shown}{unit_text} is outside the allowed range "
                         f"{_fmt(low)} to {_fmt(high)}{unit_text}")
    return number


def check_choice(name: str, value, allowed) -> None:
    """Raise ValueError unless value is one of allowed."""
    if value not in allowed:
        raise ValueError(f"{name} = {value!r} is not one of the allowed values: {', '.join(map(str, allowed))}")
