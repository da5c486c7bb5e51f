#!/usr/bin/env python3
"""Ridgeline's measured ceilings against likwid-bench, measured in one run on this machine.

Compares `ridgeline ceilings` (FMA peak per precision, load bandwidth per level) with likwid-bench's
peakflops_sp_avx512_fma, peakflops_avx512_fma and load_avx512 at L1-, L2- and DRAM-sized working
sets, all threads. Target: every ratio within 10% (issue 3). Writes JSON (schema
ridgeline.bench.ceilings_vs_likwid/1) and prints a table.

usage: bench/ceilings_vs_likwid.py [--ridgeline build/cli/ridgeline] [--out FILE]
Needs likwid-bench (Debian package `likwid`).
"""
import argparse
import datetime
import json
import os
import re
import shutil
import subprocess
import sys


def likwid(test, size, threads):
    out = subprocess.run(["likwid-bench", "-t", test, "-W", f"N:{size}:{threads}"],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    key = "MFlops/s" if test.startswith("peakflops") else "MByte/s"
    m = re.search(rf"^{re.escape(key)}:\s+([0-9.]+)", out, re.M)
    if not m:
        raise RuntimeError(f"likwid-bench {test}: no {key} in its output")
    return float(m.group(1)) * 1e6


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ridgeline", default="build/cli/ridgeline")
    ap.add_argument("--out", default="bench/results/ceilings_vs_likwid.json")
    args = ap.parse_args()
    if shutil.which("likwid-bench") is None:
        sys.exit("ceilings_vs_likwid: likwid-bench not found (apt-get install likwid)")

    devices = json.loads(subprocess.run([args.ridgeline, "--json", "devices"], capture_output=True,
                                        text=True, check=True).stdout)
    threads = next(b["concurrency"] for b in devices["backends"] if b["default"])
    ours = json.loads(subprocess.run([args.ridgeline, "--json", "ceilings"], capture_output=True,
                                     text=True, check=True).stdout)

    def ridgeline_value(kernel, precision, level=""):
        for c in ours["ceilings"]:
            if c["kernel"] == kernel and c["precision"] == precision and c["level"] == level:
                return c["max"]
        raise RuntimeError(f"ridgeline ceilings has no {kernel} {precision} {level}")

    # likwid sizes: total over all threads, chosen inside the same levels ridgeline classifies.
    cases = [
        ("peak f32 FMA", "peakflops_sp_avx512_fma", "32kB", ("fma", "f32", ""), "FLOP/s"),
        ("peak f64 FMA", "peakflops_avx512_fma", "32kB", ("fma", "f64", ""), "FLOP/s"),
        ("load L1", "load_avx512", "32kB", ("load", "f64", "l1"), "B/s"),
        ("load L2", "load_avx512", "1MB", ("load", "f64", "l2"), "B/s"),
        ("load DRAM", "load_avx512", "1GB", ("load", "f64", "dram"), "B/s"),
    ]
    rows = []
    for name, test, size, key, unit in cases:
        theirs = likwid(test, size, threads)
        mine = ridgeline_value(*key)
        rows.append({"ceiling": name, "unit": unit, "ridgeline": mine,
                     "likwid_test": test, "likwid_working_set": f"{size} over {threads} threads",
                     "likwid": theirs, "ratio_ridgeline_over_likwid": mine / theirs,
                     "within_10_percent": abs(mine / theirs - 1) <= 0.10})
    doc = {
        "schema": "ridgeline.bench.ceilings_vs_likwid/1",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cpu": devices["cpu"]["model"],
        "threads": threads,
        "target": "every ratio within 10%",
        "all_within_10_percent": all(r["within_10_percent"] for r in rows),
        "results": rows,
        "ridgeline_ceilings": ours,
    }
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(doc, f, indent=2)
        f.write("\n")
    print(f"{'ceiling':<14} {'ridgeline':>16} {'likwid':>16} {'ratio':>7}  within 10%")
    for r in rows:
        unit = "G" + r["unit"]
        print(f"{r['ceiling']:<14} {r['ridgeline'] / 1e9:>8.1f} {unit:<7} "
              f"{r['likwid'] / 1e9:>8.1f} {unit:<7} {r['ratio_ridgeline_over_likwid']:>7.3f}"
              f"  {'yes' if r['within_10_percent'] else 'NO'}")
    print(f"wrote {args.out}")
    return 0 if doc["all_within_10_percent"] else 1


if __name__ == "__main__":
    sys.exit(main())
