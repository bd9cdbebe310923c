"""Sizes and times as the figures write them (binary units, as zeroscope does)."""
import numpy as np


def fmt_bytes(n):
    """65536 -> '64 KiB'; a size that is not a whole number of units gets 3 digits."""
    n = int(n)
    for unit, size in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= size and n % size == 0:
            return "%d %s" % (n // size, unit)
        if n >= size:
            return "%.3g %s" % (n / size, unit)
    return "%d B" % n


def parse_size(text):
    """'2MB', '2MiB', '64KB', '2097152' -> bytes (zeroscope's sizes are binary)."""
    t = str(text).strip().upper().replace("IB", "B")
    mult = {"KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "B": 1}
    for suffix in ("KB", "MB", "GB", "K", "M", "G", "B"):
        if t.endswith(suffix):
            return int(float(t[: -len(suffix)]) * mult[suffix])
    return int(t)


def us(ns_values):
    """Nanoseconds (samples.csv) to microseconds (every time axis)."""
    return np.asarray(ns_values, dtype=float) / 1000.0
