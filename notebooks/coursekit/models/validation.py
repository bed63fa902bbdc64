"""Input checks shared by every model: a clear ValueError naming the parameter, its value and the allowed range."""
from __future__ import annotations

import math


def check_range(name: str, value: float, low: float, high: float, unit: str = "") -> float:
    """Return value as float if low <= value <= high; otherwise raise ValueError saying what is allowed."""
    unit_text = f" {unit}" if unit else ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number between {low:g} and {high:g}{unit_text}; got {value!r}") from None
    if math.isnan(number) or not low <= number <= high:
        raise ValueError(f"{name} = {value:g}{unit_text} is outside the allowed range "
                         f"{low:g} to {high:g}{unit_text}")
    return number


def check_choice(name: str, value, allowed) -> None:
    """Raise ValueError unless value is one of allowed."""
    if value not in allowed:
        raise ValueError(f"{name} = {value!r} is not one of the allowed values: {', '.join(map(str, allowed))}")
