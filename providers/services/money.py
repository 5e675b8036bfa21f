"""Money to the penny: Decimal pounds in, whole pennies inside, largest-remainder splits.

Splitting a sum by weights (beds, people, percentages) gives each part its exact share
rounded down to the penny, then hands the pennies left over, one each, to the parts with the
largest fractions cut off (ties: the earlier part). The parts add up to the sum exactly.
"""

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError

PENNY = Decimal("0.01")


def to_pennies(amount: Decimal) -> int:
    """£12.34 → 1234; refuses fractions of a penny rather than rounding them away."""
    pennies = Decimal(amount) * 100
    if pennies != pennies.to_integral_value():
        raise ValidationError(f"£{amount} is not a whole number of pence.")
    return int(pennies)


def from_pennies(pennies: int) -> Decimal:
    return (Decimal(pennies) / 100).quantize(PENNY)


def largest_remainder(total: int, weights: Sequence[int | Decimal | Fraction]) -> list[int]:
    """Split `total` whole units (pennies) in proportion to `weights`, summing to `total`.

    Weights must be ≥ 0 and not all zero. Computed with exact fractions: no float anywhere.
    """
    if total < 0:
        raise ValueError("Cannot split a negative amount.")
    exact = [Fraction(weight) for weight in weights]
    if any(weight < 0 for weight in exact):
        raise ValueError("Weights cannot be negative.")
    whole = sum(exact)
    if whole == 0:
        raise ValueError("At least one weight must be above zero.")
    quotas = [total * weight / whole for weight in exact]
    parts = [int(quota) for quota in quotas]  # floor: quotas are ≥ 0
    left_over = total - sum(parts)
    by_remainder = sorted(
        range(len(quotas)), key=lambda index: (-(quotas[index] - parts[index]), index)
    )
    for index in by_remainder[:left_over]:
        parts[index] += 1
    return parts
