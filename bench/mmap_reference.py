#!/usr/bin/env python3
"""Independent reference for `zeroscope mmap-bench --backing thp`.

Written against the kernel interface only (Python stdlib, no zeroscope
code): per loop, time mmap of an anonymous private region, its 2 MiB
alignment, madvise(MADV_HUGEPAGE) and one write at offset 0 of every 2 MiB
page; unmap outside the timing. Rates are perf's "GB/sec": bytes / seconds
/ 2^30, so GB here means GiB. The AnonHugePages of the region (from
/proc/self/smaps) is printed so a 4 KiB fallback is visible.

    python3 bench/mmap_reference.py --size 1GB --loops 5
"""
import argparse
import ctypes
import mmap
import re
import statistics
import sys
import time

HUGE = 2 << 20
UNITS = {"": 1, "B": 1, "K": 1 << 10, "KB": 1 << 10, "KIB": 1 << 10, "M": 1 << 20, "MB": 1 << 20,
         "MIB": 1 << 20, "G": 1 << 30, "GB": 1 << 30, "GIB": 1 << 30}


def parse_size(text):
    m = re.fullmatch(r"(\d+)([A-Za-z]*)", text)
    if not m or m.group(2).upper() not in UNITS:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size (e.g. 1GB)")
    size = int(m.group(1)) * UNITS[m.group(2).upper()]
    if size == 0 or size % HUGE:
        raise argparse.ArgumentTypeError(f"'{text}' is not a positive multiple of 2MB")
    return size


def anon_huge_bytes(lo, hi):
    total, inside = 0, False
    with open("/proc/self/smaps") as f:
        for line in f:
            head = re.match(r"([0-9a-f]+)-([0-9a-f]+) ", line)
            if head:
                a, b = int(head.group(1), 16), int(head.group(2), 16)
                inside = a < hi and b > lo
            elif inside and line.startswith("AnonHugePages:"):
                total += int(line.split()[1]) * 1024
    return total


def one_loop(size):
    t0 = time.perf_counter_ns()
    # MAP_PRIVATE: Python's default for fd -1 is MAP_SHARED, which is shmem
    # and follows shmem_enabled, not the anonymous THP settings.
    m = mmap.mmap(-1, size + HUGE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    view = ctypes.c_char.from_buffer(m)
    addr = ctypes.addressof(view)
    off = (-addr) % HUGE
    m.madvise(mmap.MADV_HUGEPAGE, off, size)
    for pos in range(off, off + size, HUGE):
        m[pos] = 1
    t1 = time.perf_counter_ns()
    huge = anon_huge_bytes(addr + off, addr + off + size)
    del view
    m.close()
    return t1 - t0, huge


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=parse_size, default=parse_size("1GB"), help="bytes per loop (default 1GB)")
    ap.add_argument("--loops", type=int, default=1, help="loops (default 1)")
    args = ap.parse_args()
    if args.loops < 1:
        ap.error("--loops: must be >= 1")
    rates, huge_total = [], 0
    for _ in range(args.loops):
        ns, huge = one_loop(args.size)
        huge_total += huge
        rates.append(args.size / (ns / 1e9) / (1 << 30))
        print(f" {rates[-1]:14.6f} GB/sec", flush=True)
    pages = args.size // HUGE * args.loops
    spread = (f"+- {statistics.stdev(rates) / statistics.mean(rates) * 100:.2f}% (stddev)"
              if len(rates) > 1 else "(stddev needs 2 or more loops)")
    print(f"# {args.loops} loop{'s' if args.loops > 1 else ''}: mean {statistics.mean(rates):.6f} GB/sec "
          f"{spread}, {pages} pages of 2MB touched, {huge_total // HUGE} of {pages} THP-backed "
          f"(smaps AnonHugePages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
