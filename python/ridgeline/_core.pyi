# Type stubs of ridgeline._core, the private compiled module (python/src/*.cpp). Users call the
# `ridgeline` package; these signatures are what its Python layer passes. JSON text results are
# the documents of docs/json-schema.md.
from typing import Any, Callable, Dict, List, Optional, Protocol, Tuple

__version__: str

class RidgelineError(RuntimeError):
    """A well-formed request that cannot be carried out here (memory, libraries, database)."""

def build_info() -> Dict[str, str]: ...
def runtime_started() -> bool: ...

# bind_devices.cpp
def devices_json(catalog_dir: str) -> str: ...
def catalog_json(catalog_dir: str) -> str: ...

# bind_run.cpp: a ridgeline.results/1 document with one measurement and its placements.
def run(kernel: str, variant: str, dtype: str, problem: List[Tuple[str, str]],
        params: List[Tuple[str, str]], backend: str, check: bool, time: bool,
        seed: Optional[int], warmup: Optional[float], max_time: Optional[float],
        target_spread: Optional[float], min_samples: Optional[int],
        max_samples: Optional[int], counters: str, metrics_dir: str, catalog_dir: str,
        db: Optional[str], command: str) -> str: ...

# bind_tune.cpp: (ridgeline.tune/1 document plus "history", the exception that stopped it).
def tune(kernel: str, variant: str, dtype: str, problem: List[Tuple[str, str]], backend: str,
         strategy: str, strategy_options: List[Tuple[str, str]], seed: int, resume: bool,
         check: str, abandon_factor: float, budget: Optional[int], time: Optional[float],
         no_improvement: Optional[int], within_roof: Optional[float], warmup: Optional[float],
         max_time: Optional[float], target_spread: Optional[float], catalog_dir: str, db: str,
         command: str, progress: Optional[Callable[[Dict[str, Any]], Any]]
         ) -> Tuple[str, Optional[BaseException]]: ...

# bind_ceilings.cpp: (ridgeline.ceilings/1 document plus "interrupted" and "stored", the
# exception that interrupted it).
def ceilings(backend: str, time_per_point: float, max_bytes: Optional[int], quick: bool,
             catalog_dir: str, db: Optional[str], command: str,
             progress: Optional[Callable[[Dict[str, Any]], Any]]
             ) -> Tuple[str, Optional[BaseException]]: ...

# bind_import.cpp: (ridgeline.import/1 document: one summary per file, a refused file's "error"
# set and the others imported; the database path written). db "" = the default database.
def import_results(paths: List[str], format: str, device: str, kernel_filter: str,
                   metrics_dir: str, catalog_dir: str, db: str,
                   command: str) -> Tuple[str, str]: ...

# bind_problems.cpp: a case's problem fields: `problem`, or a model preset's (preset "" = none)
# with `problem`'s fields replacing or added.
def problem_fields(kernel: str, problem: List[Tuple[str, str]], preset: str,
                   tokens: Optional[int], directory: str) -> List[Tuple[str, str]]: ...
def preset_names(directory: str) -> List[str]: ...

# bind_kernels.cpp (the submodule _core.kernels): NumPy arrays in place; returns what ran
# ({"variant", "backend", "params"}). Use ridgeline.kernels.
class _Kernels(Protocol):
    def gemm(self, a: Any, b: Any, c: Any, alpha: float, beta: float, variant: str,
             params: Dict[str, str], backend: str) -> Dict[str, Any]: ...
    def attention(self, q: Any, k: Any, v: Any, o: Any, causal: bool, scale: Optional[float],
                  variant: str, params: Dict[str, str], backend: str) -> Dict[str, Any]: ...
    def moe_layer(self, x: Any, router_w: Any, w_gate: Any, w_up: Any, w_down: Any, out: Any,
                  topk_ids: Any, topk_weights: Any, top_k: int, groups: int, topk_groups: int,
                  scoring: str, renormalize: bool, routed_scale: float, variant: str,
                  params: Dict[str, str], backend: str) -> Dict[str, Any]: ...

kernels: _Kernels

# bind_columns.cpp: (database, csv, JSON pointer, json_text, copy) per measurement column.
def measurement_columns(
) -> List[Tuple[Optional[str], Optional[str], Optional[str], bool, bool]]: ...
