"""Ridgeline's kernels on NumPy arrays, to validate them against your own framework.

Each function runs one Ridgeline kernel variant — by default the tuned Kokkos one, with the
variant's default configuration for the backend, exactly as ``ridgeline run`` launches it — on
your arrays, and returns a new array. The arrays are copied into the kernel's own buffers, the
kernel is launched once and fenced, and the result is copied back; the GIL is released meanwhile.
Kokkos 3.4's OpenMP backend launches only from the thread that initialized Kokkos (the first to
run a kernel): from another thread, pass ``backend="serial"`` (else RidgelineError says why).

Arrays: ``numpy.ndarray`` of float32 or float64, all arguments of one call of the same dtype, the
result of that dtype. Arrays that are not C-contiguous are copied first. Every dimension is >= 1.
Wrong types (not an array, an integer or mixed dtype) raise ``TypeError``, wrong shapes and
values ``ValueError``; each message starts with the argument's name.

Common keywords:

``variant``
    ``None`` (the kernel's first variant: ``kokkos_tiled``, ``kokkos_flash``, ``kokkos``) or a
    variant name as ``ridgeline run --variant`` takes it (``vendor``, ``unfused``, ``reference``,
    ...).
``params``
    ``None`` or a dict overriding the variant's default configuration, e.g.
    ``{"tile_m": 64, "stage": "l1"}``; names and values as ``ridgeline run --params`` takes them,
    validated by the variant's parameter space.
``backend``
    ``None`` (Kokkos' default execution space) or a backend id (``"openmp"``, ``"serial"``, ...).

The layouts and conventions are the kernels' own (docs/python.md, "Kernels on NumPy arrays").
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Mapping, Optional, Tuple, Union

import numpy as np

__all__ = ["gemm", "attention", "moe_layer"]

_FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _core_kernels():
    # The same first import as rl.run's (OpenMP thread binding, the ImportError saying how to
    # build the compiled module when it is missing).
    from ._api import _core

    return _core().kernels


def _shape_text(shape) -> str:
    return "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"


def _first_array(name: str, x: Any) -> np.ndarray:
    """The call's first array: fixes the dtype every other array must have."""
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"{name}: expected a numpy.ndarray of float32 or float64, got {type(x).__name__}"
        )
    if x.dtype not in _FLOAT_DTYPES:
        raise TypeError(f"{name}: expected dtype float32 or float64, got {x.dtype}")
    return x


def _array(name: str, x: Any, dtype: np.dtype, first: str) -> np.ndarray:
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name}: expected a numpy.ndarray of {dtype}, got {type(x).__name__}")
    if x.dtype != dtype:
        raise TypeError(
            f"{name}: dtype {x.dtype} does not match {first}'s {dtype} "
            "(the arrays of one call share one dtype)"
        )
    return x


def _shaped(name: str, x: np.ndarray, dims: Tuple[str, ...], want: Tuple[Optional[int], ...]):
    """Checks ndim and the known dimensions; returns the array C-contiguous (copied if needed).

    dims names the axes ("k", "n"); want holds each axis' required size or None (free, >= 1).
    """
    spec = "(" + ", ".join(dims) + ")"
    if any(w is not None for w in want):
        spec += " = (" + ", ".join(d if w is None else str(w) for d, w in zip(dims, want)) + ")"
    if x.ndim != len(dims) or any(w is not None and s != w for s, w in zip(x.shape, want)):
        raise ValueError(
            f"{name}: expected {len(dims)}-D array with shape {spec}, got {_shape_text(x.shape)}"
        )
    if any(s < 1 for s in x.shape):
        raise ValueError(f"{name}: every dimension must be >= 1, got {_shape_text(x.shape)}")
    return np.ascontiguousarray(x)


def _real(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: expected a real number, got {type(value).__name__}")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"{name}: expected a finite number, got {v}")
    return v


def _integer(name: str, value: Any, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected an integer, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{name}: must be >= {minimum}, got {value}")
    return int(value)


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: expected True or False, got {type(value).__name__}")
    return bool(value)


def _choice(variant: Any, params: Any, backend: Any) -> Tuple[str, dict, str]:
    """variant/params/backend as the compiled module takes them ("" = the default)."""
    if variant is not None and not isinstance(variant, str):
        raise TypeError(f"variant: expected a variant name (str) or None, got {type(variant).__name__}")
    if backend is not None and not isinstance(backend, str):
        raise TypeError(f"backend: expected a backend id (str) or None, got {type(backend).__name__}")
    text = {}
    if params is not None:
        if not isinstance(params, Mapping):
            raise TypeError(f"params: expected a dict of name -> value, got {type(params).__name__}")
        for key, value in params.items():
            if not isinstance(key, str):
                raise TypeError(f"params: names must be str, got {key!r}")
            if isinstance(value, bool) or not isinstance(value, (numbers.Integral, str)):
                raise TypeError(
                    f"params: {key} must be an integer or a label (str), got {type(value).__name__}"
                )
            text[key] = str(int(value)) if isinstance(value, numbers.Integral) else value
    return variant or "", text, backend or ""


def gemm(
    a: np.ndarray,
    b: np.ndarray,
    *,
    alpha: float = 1.0,
    beta: float = 0.0,
    c: Optional[np.ndarray] = None,
    variant: Optional[str] = None,
    params: Optional[Mapping[str, Union[int, str]]] = None,
    backend: Optional[str] = None,
) -> np.ndarray:
    """``alpha * a @ b + beta * c`` with Ridgeline's GEMM kernel.

    a: (m, k); b: (k, n); c: (m, n), required when ``beta != 0`` and not read when ``beta == 0``
    (BLAS convention; it is never modified). Returns a new (m, n) array.
    Variants: ``kokkos_tiled`` (default), ``vendor`` (OpenBLAS on CPUs), ``reference``.
    """
    a = _first_array("a", a)
    dtype = a.dtype
    b = _array("b", b, dtype, "a")
    a = _shaped("a", a, ("m", "k"), (None, None))
    m, k = a.shape
    b = _shaped("b", b, ("k", "n"), (k, None))
    n = b.shape[1]
    alpha = _real("alpha", alpha)
    beta = _real("beta", beta)
    if c is None:
        if beta != 0:
            raise ValueError(f"c: required when beta != 0 (beta={beta})")
        out = np.empty((m, n), dtype=dtype)
    else:
        c = _shaped("c", _array("c", c, dtype, "a"), ("m", "n"), (m, n))
        out = np.array(c, dtype=dtype, order="C", copy=True)
    v, p, be = _choice(variant, params, backend)
    _core_kernels().gemm(a, b, out, alpha, beta, v, p, be)
    return out


def attention(
    q: np.ndarray,
    k: np.ndarray,
    v: np.ndarray,
    *,
    causal: bool = False,
    scale: Optional[float] = None,
    variant: Optional[str] = None,
    params: Optional[Mapping[str, Union[int, str]]] = None,
    backend: Optional[str] = None,
) -> np.ndarray:
    """``softmax(q @ k^T * scale [+ causal mask]) @ v`` with Ridgeline's attention kernel (forward).

    q: (batch, hq, sq, d); k and v: (batch, hkv, skv, d) with hq a multiple of hkv — query head h
    reads KV head ``h // (hq // hkv)`` (MHA: hkv = hq, GQA, MQA: hkv = 1). Returns a new
    (batch, hq, sq, d) array.

    scale: ``None`` = ``1/sqrt(d)``. causal: query i sees keys ``j <= i + skv - sq`` (the last
    query aligned with the last key, as for a decode step over a KV cache); a query that sees no
    key (causal with sq > skv, i < sq - skv) gets a row of zeros.
    Variants: ``kokkos_flash`` (default), ``unfused`` (Q K^T, softmax, P V with the score matrix in
    memory), ``reference``.
    """
    q = _first_array("q", q)
    dtype = q.dtype
    k = _array("k", k, dtype, "q")
    v = _array("v", v, dtype, "q")
    q = _shaped("q", q, ("batch", "hq", "sq", "d"), (None,) * 4)
    batch, hq, sq, d = q.shape
    k = _shaped("k", k, ("batch", "hkv", "skv", "d"), (batch, None, None, d))
    hkv, skv = k.shape[1], k.shape[2]
    if hq % hkv != 0:
        raise ValueError(
            f"k: hkv={hkv} key/value heads do not divide q's hq={hq} heads "
            "(each KV head serves hq/hkv query heads)"
        )
    v = _shaped("v", v, ("batch", "hkv", "skv", "d"), (batch, hkv, skv, d))
    causal = _flag("causal", causal)
    if scale is not None:
        scale = _real("scale", scale)
    out = np.empty(q.shape, dtype=dtype)
    vv, p, be = _choice(variant, params, backend)
    _core_kernels().attention(q, k, v, out, causal, scale, vv, p, be)
    return out


def moe_layer(
    x: np.ndarray,
    router_w: np.ndarray,
    w_gate: np.ndarray,
    w_up: np.ndarray,
    w_down: np.ndarray,
    *,
    top_k: int,
    scoring: str = "softmax",
    groups: int = 1,
    topk_groups: int = 1,
    renormalize: bool = True,
    routed_scale: float = 1.0,
    return_routing: bool = False,
    variant: Optional[str] = None,
    params: Optional[Mapping[str, Union[int, str]]] = None,
    backend: Optional[str] = None,
) -> Union[np.ndarray, Tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """A mixture-of-experts layer (routed experts) with Ridgeline's MoE kernels.

    x: (tokens, hidden); router_w: (hidden, experts); w_gate and w_up: (experts, hidden,
    intermediate); w_down: (experts, intermediate, hidden) — every weight as the right operand of
    ``x @ W`` (a torch ``nn.Linear.weight`` is its transpose).

    Per token t: ``logits = x[t] @ router_w``; scores ``softmax(logits)`` over all experts
    (``scoring="softmax"``) or ``sigmoid(logits)`` (``"sigmoid"``). With ``groups > 1`` the experts
    form `groups` contiguous groups, a group scores the sum of its two best scores and only the
    best ``topk_groups`` groups are eligible (DeepSeek-V3's group-limited routing). The top_k
    eligible experts by score are chosen (ties to the lower expert id); their weights are the
    chosen scores, divided by their sum when ``renormalize``, times ``routed_scale``. Then
    ``out[t] = sum_j w[t, j] * (silu(x[t] @ w_gate[e_j]) * (x[t] @ w_up[e_j])) @ w_down[e_j]``.
    DeepSeek-V3: ``scoring="sigmoid", groups=8, topk_groups=4, top_k=8, routed_scale=2.5``
    (its selection bias and shared experts are not part of this layer).

    Returns out (tokens, hidden), or with ``return_routing=True`` the tuple
    ``(out, topk_ids, topk_weights)``: int32 (tokens, top_k) expert ids, best first, and their
    weights (the call's dtype).
    Variants: ``kokkos`` (default: router GEMM, gating, permute, grouped expert GEMMs, combine),
    ``reference`` (the naive host oracle in a wider type).
    """
    x = _first_array("x", x)
    dtype = x.dtype
    router_w = _array("router_w", router_w, dtype, "x")
    w_gate = _array("w_gate", w_gate, dtype, "x")
    w_up = _array("w_up", w_up, dtype, "x")
    w_down = _array("w_down", w_down, dtype, "x")
    x = _shaped("x", x, ("tokens", "hidden"), (None, None))
    tokens, hidden = x.shape
    router_w = _shaped("router_w", router_w, ("hidden", "experts"), (hidden, None))
    experts = router_w.shape[1]
    w_gate = _shaped(
        "w_gate", w_gate, ("experts", "hidden", "intermediate"), (experts, hidden, None)
    )
    inter = w_gate.shape[2]
    w_up = _shaped("w_up", w_up, ("experts", "hidden", "intermediate"), (experts, hidden, inter))
    w_down = _shaped(
        "w_down", w_down, ("experts", "intermediate", "hidden"), (experts, inter, hidden)
    )
    top_k = _integer("top_k", top_k)
    groups = _integer("groups", groups)
    topk_groups = _integer("topk_groups", topk_groups)
    if not isinstance(scoring, str):
        raise TypeError(f"scoring: expected 'softmax' or 'sigmoid', got {type(scoring).__name__}")
    if scoring not in ("softmax", "sigmoid"):
        raise ValueError(f"scoring: expected 'softmax' or 'sigmoid', got {scoring!r}")
    renormalize = _flag("renormalize", renormalize)
    return_routing = _flag("return_routing", return_routing)
    routed_scale = _real("routed_scale", routed_scale)
    if routed_scale <= 0:
        raise ValueError(f"routed_scale: must be > 0, got {routed_scale}")
    if top_k > experts:
        raise ValueError(f"top_k: must be <= experts = {experts} (router_w's columns), got {top_k}")
    if experts % groups != 0:
        raise ValueError(f"groups: must divide experts = {experts}, got {groups}")
    if topk_groups > groups:
        raise ValueError(f"topk_groups: must be <= groups = {groups}, got {topk_groups}")
    if groups > 1 and top_k > topk_groups * (experts // groups):
        raise ValueError(
            f"top_k: must be <= topk_groups * experts/groups = {topk_groups * (experts // groups)} "
            f"(the experts of the eligible groups), got {top_k}"
        )
    out = np.empty((tokens, hidden), dtype=dtype)
    ids = np.empty((tokens, top_k), dtype=np.int32) if return_routing else None
    weights = np.empty((tokens, top_k), dtype=dtype) if return_routing else None
    vv, p, be = _choice(variant, params, backend)
    _core_kernels().moe_layer(
        x, router_w, w_gate, w_up, w_down, out, ids, weights,
        top_k, groups, topk_groups, scoring, renormalize, routed_scale, vv, p, be,
    )
    if return_routing:
        return out, ids, weights
    return out
