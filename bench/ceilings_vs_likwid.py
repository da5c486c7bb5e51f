#!/usr/bin/env python3
"""Ridgeline's measured ceilings against likwid-bench, measured in one run on this machine.

Compares `ridgeline ceilings` (FMA peak per precision, load bandwidth per level) with likwid-bench's
peakflops and load kernels at the widest vector ISA this CPU executes (AVX-512 where present, else
AVX/FMA), all threads, at the working sets Ridgeline's own sweep classified at each level (the
best of them, as a Ridgeline ceiling is the best of its points; DRAM needs >= 4x the last-level
cache, which is > 2 GB on a 480 MiB-L3 Xeon).
Target: every ratio within 10% (issue 13). Writes JSON (schema ridgeline.bench.ceilings_vs_likwid/1,
named after the CPU unless --out is given) and prints a table.

usage: bench/ceilings_vs_likwid.py [--ridgeline build/cli/ridgeline] [--out FILE] [--repeats 3]
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

from results_name import results_path


def likwid(test, size, threads):
    out = subprocess.run(["likwid-bench", "-t", test, "-W", f"N:{size}:{threads}"],
                         capture_output=True, text=True, timeout=300, check=True).stdout
    key = "MFlops/s" if test.startswith("peakflops") else "MByte/s"
    m = re.search(rf"^{re.escape(key)}:\s+([0-9.]+)", out, re.M)
    if not m:
        raise RuntimeError(f"likwid-bench {test}: no {key} in its output")
    return float(m.group(1)) * 1e6


def cache_bytes(cpu, level):
    """One instance of the data/unified cache at `level`, 0 when unknown."""
    for c in cpu["caches"]:
        if c["level"] == level and c["type"] != "Instruction":
            return c["size_bytes"]
    return 0


def last_level_total(cpu):
    level = max((c["level"] for c in cpu["caches"] if c["type"] == "Unified"), default=0)
    return sum(c["size_bytes"] * c["instances"] for c in cpu["caches"]
               if c["level"] == level and c["type"] == "Unified")


def likwid_cases(cpu, ours, threads):
    """(name, likwid test, total working sets, ridgeline key, unit) at this CPU's widest ISA.

    A Ridgeline ceiling is the best of its sweep points at that level, so likwid-bench runs at the
    same working sets (the sweep points `ridgeline ceilings` classified at the level) and its best
    is taken too: like for like, not a maximum against one noisy run. L1 also gets 2/3 of each
    thread's L1: likwid's load kernel pays a per-sweep overhead that small arrays do not amortize
    (on the Xeon VM it read ~700 GB/s at 4 KiB a thread and ~900 at 32 KiB, where Ridgeline's
    sweep reads ~950-980 at every L1 size), so likwid's own best L1 size is part of its best."""
    flags = set(cpu["flags"])
    if "avx512f" in flags:
        sp, dp, load = "peakflops_sp_avx512_fma", "peakflops_avx512_fma", "load_avx512"
    elif "fma" in flags:
        sp, dp, load = "peakflops_sp_avx_fma", "peakflops_avx_fma", "load_avx"
    else:
        sp, dp, load = "peakflops_sp_sse", "peakflops_sse", "load_sse"

    def sizes(level):
        found = sorted({p["working_set_bytes"] for p in ours["sweep"]
                        if p["kernel"] == "load" and p["level"] == level})
        if not found:
            raise RuntimeError(f"ridgeline ceilings classified no load point at {level}")
        return [f"{b // 1024}kB" for b in found]

    l1 = sizes("l1")
    peak_size = l1[-1]
    l1_fill = cache_bytes(cpu, 1) * 2 // 3 * threads // 1024
    if l1_fill > int(peak_size[:-len("kB")]):  # only when larger than Ridgeline's largest L1 point
        l1 = l1 + [f"{l1_fill}kB"]
    return [
        ("peak f32 FMA", sp, [peak_size], ("fma", "f32", ""), "FLOP/s"),
        ("peak f64 FMA", dp, [peak_size], ("fma", "f64", ""), "FLOP/s"),
        ("load L1", load, l1, ("load", "f64", "l1"), "B/s"),
        ("load L2", load, sizes("l2"), ("load", "f64", "l2"), "B/s"),
        ("load DRAM", load, sizes("dram"), ("load", "f64", "dram"), "B/s"),
    ]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ridgeline", default="build/cli/ridgeline")
    ap.add_argument("--out", help="default: bench/results/ceilings_vs_likwid-<cpu>.json")
    ap.add_argument("--repeats", type=int, default=3,
                    help="likwid-bench runs per working set (the best is kept)")
    args = ap.parse_args()
    if args.repeats < 1:
        sys.exit("ceilings_vs_likwid: --repeats must be at least 1")
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

    cases = likwid_cases(devices["cpu"], ours, threads)
    rows = []
    for name, test, sizes, key, unit in cases:
        # Each likwid-bench run reports one ~1 s average while a Ridgeline ceiling is the best of
        # its samples, and this VM's clock moves between minutes (likwid's L1 load read 836 and
        # 916 GB/s on one day): the best of `--repeats` runs per working set is the like.
        runs = {size: [likwid(test, size, threads) for _ in range(args.repeats)]
                for size in sizes}
        theirs = max(max(r) for r in runs.values())
        mine = ridgeline_value(*key)
        rows.append({"ceiling": name, "unit": unit, "ridgeline": mine,
                     "likwid_test": test,
                     "likwid_working_sets": f"{', '.join(sizes)} over {threads} threads (best)",
                     "likwid_runs": runs,
                     "likwid": theirs, "ratio_ridgeline_over_likwid": mine / theirs,
                     "within_10_percent": abs(mine / theirs - 1) <= 0.10})
    doc = {
        "schema": "ridgeline.bench.ceilings_vs_likwid/1",
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cpu": devices["cpu"]["model"],
        "cpu_vendor": devices["cpu"]["vendor"],
        "cpu_flags_vector": devices["cpu"].get("vector_isa", []),
        "threads": threads,
        "target": "every ratio within 10%",
        "all_within_10_percent": all(r["within_10_percent"] for r in rows),
        "results": rows,
        "ridgeline_ceilings": ours,
    }
    if args.out is None:
        args.out = results_path("ceilings_vs_likwid", devices["cpu"])
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
