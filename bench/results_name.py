"""Where a benchmark script writes its results: one file per CPU, so a run on a Xeon VM does not
overwrite the record of a Zen 4 VM (bench/results/<bench>-<cpu>.json)."""
import re


def cpu_slug(cpu):
    """'genuineintel-intel-r-xeon-r-processor-2cpu' from `ridgeline --json devices`'s cpu."""
    text = f"{cpu['vendor']}-{cpu['model']}-{cpu['logical_cpus']}cpu".lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def results_path(bench, cpu):
    return f"bench/results/{bench}-{cpu_slug(cpu)}.json"
