"""How every number reads: money, durations, counts, tokens, FLOPs, days and quality.

The one place numbers become text for people. The app, the Markdown and HTML reports, the CLI's
Markdown and the charts' axes all format through here, so a cost reads "$0.00012" everywhere and
never "100µ", "1.2e-04" or "0.0001" (a rounding that hides the value used). JSON output keeps the
raw numbers: it is read by programs.

Why significant digits rather than fixed decimals: costs span eight orders of magnitude (a
hundredth of a cent per query to a six-figure training run), and two significant digits say
what matters at every scale without a scientific notation stakeholders have to decode.
"""

from __future__ import annotations

import math

MINUS = "\u2212"
SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
# Plotly axes: plain decimals with thousands separators, never SI prefixes ("100µ", "25k").
# Why not a d3 tickformat: on a log axis it writes every 2× and 5× tick in full ($0.0002,
# $0.0005, ...) and the labels run into each other; plotly's own labels keep those to a digit.
PLOTLY_PLAIN_TICKS = {"exponentformat": "none", "separatethousands": True}
# Linear axes only: on a log axis "$2" between $0.001 and $0.01 would misstate the 2× tick.
PLOTLY_USD_TICKS = {**PLOTLY_PLAIN_TICKS, "tickprefix": "$"}


def significant(value: float, digits: int = 2) -> str:
    """``value`` to ``digits`` significant digits in plain decimals: 0.00012, 0.50, 1,706.

    Whole-number digits are never dropped (1,706 stays 1,706 at two digits): rounding a large
    figure to 1,700 would misstate it for no gain in readability.
    """
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    exponent = math.floor(math.log10(abs(value)))
    decimals = max(digits - 1 - exponent, 0)
    rounded = round(value, decimals)
    if rounded and math.floor(math.log10(abs(rounded))) > exponent:  # 0.0995 → 0.10, not 0.100
        decimals = max(decimals - 1, 0)
    return f"{rounded:,.{decimals}f}"


def _trimmed(text: str, *, keep: int = 0) -> str:
    """``0.00010`` → ``0.0001``, ``5.0`` → ``5``: no trailing zeros beyond ``keep`` decimals."""
    if "." not in text:
        return text
    whole, decimals = text.split(".")
    decimals = decimals.rstrip("0").ljust(keep, "0")
    return f"{whole}.{decimals}" if decimals else whole


def usd(value: float, *, exact: bool = False) -> str:
    """Money: $0.0001, $0.00012, $0.011, $0.50, $1.25, $12.35, $1,706; negative as −$0.011.

    Args:
        value: US dollars.
        exact: add digits until the text states ``value`` exactly ($0.000125, not $0.00013):
            for what a user typed, and for thresholds that must not be rounded across.
    """
    if value < 0:
        return MINUS + usd(-value, exact=exact)
    if value == 0:
        return "$0"
    if value >= 100:
        text = f"${value:,.0f}"
    elif value >= 1:
        text = f"${value:,.2f}"
    else:
        text = "$" + _trimmed(significant(value, 2), keep=2)
    return _exactly(text, value, "$", "") if exact else text


def seconds(value: float, *, exact: bool = False) -> str:
    """A duration in the unit a person would use: 0.35 s, 2.3 s, 35 s, 5 min, 4.5 min, 2.5 h.

    Args:
        value: seconds.
        exact: fall back to seconds with the digits needed when the short form rounds
            (2.28 s, not 2.3 s; 150.5 s, not 2.5 min).
    """
    if value >= 7200:
        text = f"{_trimmed(f'{value / 3600:,.1f}')} h"
    elif value >= 120:
        text = f"{_trimmed(f'{value / 60:.1f}')} min"
    elif value >= 10:
        text = f"{value:.0f} s"
    elif value >= 1:
        text = f"{_trimmed(f'{value:.1f}')} s"
    else:
        text = f"{_trimmed(significant(value, 2))} s"
    return _exactly(text, value, "", " s") if exact else text


_SCALES = {"min": 60, "h": 3600}


def _reads_back(text: str, value: float) -> bool:
    """True when ``text`` (``$0.013``, ``2.3 s``, ``4.5 min``) states ``value`` exactly."""
    number, _, unit = text.lstrip("$").replace(",", "").partition(" ")
    return abs(float(number) * _SCALES.get(unit, 1) - value) <= 1e-9 * max(abs(value), 1)


def _exactly(text: str, value: float, prefix: str, suffix: str) -> str:
    digits = 2
    while not _reads_back(text, value) and digits < 17:
        digits += 1
        text = f"{prefix}{significant(value, digits)}{suffix}"
    return text


def decimals(value: float, *, most: int = 10) -> int:
    """How many decimals state ``value`` exactly (at most ``most``): 0 for 10, 5 for 0.00012.

    Why: a number field must show the value in use; a fixed ``%.4f`` showed 0.0001 for a
    budget of $0.00012.
    """
    for places in range(most + 1):
        if abs(round(value, places) - value) <= 1e-12 * max(abs(value), 1):
            return places
    return most


def count(value: float) -> str:
    """A whole number with thousands separators: 304,878."""
    return f"{value:,.0f}"


def tokens(value: float) -> str:
    """A token count: 850 tokens, 12,400 tokens, 3.2 million tokens, 1.5 billion tokens."""
    for scale, word in ((1e9, "billion"), (1e6, "million")):
        if value >= scale:
            return f"{significant(value / scale, 2)} {word} tokens"
    return f"{count(value)} tokens"


def power_of_ten(value: float, digits: int = 2) -> str:
    """``1.9 × 10¹³``: a very large number as a person writes it, not as ``1.9e13``."""
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPTS)}"


def flops(value: float | None) -> str:
    """Compute: ``4.8 × 10¹⁷ FLOPs``; ``unknown`` when the model size is not known."""
    if value is None:
        return "unknown"
    return f"{power_of_ten(value) if value >= 10_000 else count(value)} FLOPs"


def days_text(value: float) -> str:
    """A span of days: under an hour, 5.5 hours, 1 day, 3.5 days, 30 days, 2.1 years."""
    if value >= 730:
        return f"{value / 365:.1f} years"
    if value >= 10:
        return f"{value:,.0f} days"
    if value == 1:
        return "1 day"
    if value >= 1:
        return f"{significant(value, 2)} days"
    hours = value * 24
    return f"{significant(hours, 2)} hours" if hours >= 1 else "under an hour"


def quality(value: float) -> str:
    """Expected quality, the chance one answer is correct: 0.81."""
    return f"{value:.2f}"


def signed(value: float) -> str:
    """A change in quality points: ``+0.12`` / ``−0.03``."""
    return f"{'+' if value >= 0 else MINUS}{abs(value):.2f}"


def percent(value: float, *, decimals: int = 0) -> str:
    """A share: 75%; with ``decimals=1``, a measured accuracy: 62.5%."""
    return f"{value:.{decimals}%}"
