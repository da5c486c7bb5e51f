"""ridgeline.kernels: Ridgeline's kernels on NumPy arrays.

Every variant and both dtypes against NumPy references computed in a wider type (float64 for f32
kernels, long double for f64 ones), with the error bounds of the kernels' own C++ checks
(kernels/gemm/gemm_reference.hpp, kernels/attention/attention_reference.hpp,
kernels/moe/moe_reference.hpp), on fresh seeded random data (never zeros), odd and degenerate
sizes; plus every misuse, which must raise TypeError/ValueError naming the argument.
"""

import threading
import time

import numpy as np
import pytest

from ridgeline import kernels

# Every test runs kernels: skipped, with the reason, where ridgeline._core is not built (conftest).
pytestmark = pytest.mark.core

DTYPES = [np.float32, np.float64]


def wide(dtype):
    """The reference's type: the C++ checks' wider type (f32 -> f64, f64 -> long double)."""
    return np.float64 if np.dtype(dtype) == np.float32 else np.longdouble


def unit_roundoff(dtype):
    return np.finfo(dtype).eps / 2


def tiny(dtype):
    return np.finfo(dtype).tiny


def uniform(rng, shape, dtype, scale=1.0):
    """Uniform in [-scale, scale) in `dtype`, never exactly zero (zeros would hide dropped terms)."""
    x = (rng.uniform(-scale, scale, size=shape)).astype(dtype)
    while True:
        zero = x == 0
        if not zero.any():
            return x
        x[zero] = rng.uniform(-scale, scale, size=int(zero.sum())).astype(dtype)


def assert_within(got, want, bound, what):
    err = np.abs(got.astype(want.dtype) - want)
    bad = ~(err <= bound)  # NaN counts as bad
    assert not bad.any(), (
        f"{what}: {int(bad.sum())} of {bad.size} elements outside the bound; first at "
        f"{np.argwhere(bad)[0].tolist()}: got {got[bad][0]!r}, want {want[bad][0]!r}, "
        f"bound {bound[bad][0]!r}; max error/bound {float(np.nanmax(err / bound))}"
    )


# --- GEMM -----------------------------------------------------------------------------------


def gemm_reference(a, b, alpha, beta, c0):
    """alpha*a@b + beta*c0 in the wider type, and the GEMM check's bound per element:
    4*sqrt(K+2)*u*(|alpha| sum_k |a_ik b_kj| + |beta||c0_ij|) + tiny."""
    W = wide(a.dtype)
    u = unit_roundoff(a.dtype)
    aw, bw = a.astype(W), b.astype(W)
    want = W(alpha) * (aw @ bw)
    mag = abs(W(alpha)) * (np.abs(aw) @ np.abs(bw))
    if beta != 0:
        want = want + W(beta) * c0.astype(W)
        mag = mag + abs(W(beta)) * np.abs(c0.astype(W))
    bound = W(4) * np.sqrt(W(a.shape[1] + 2)) * W(u) * mag + W(tiny(a.dtype))
    return want, bound


GEMM_SHAPES = [(1, 1, 1), (7, 33, 1), (33, 7, 65), (1, 130, 7), (64, 5, 63)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("variant", [None, "kokkos_tiled", "vendor", "reference"])
def test_gemm_matches_the_reference(dtype, variant):
    rng = np.random.default_rng(11)
    for m, n, k in GEMM_SHAPES:
        a = uniform(rng, (m, k), dtype)
        b = uniform(rng, (k, n), dtype)
        try:
            c = kernels.gemm(a, b, variant=variant)
        except RuntimeError as e:  # RidgelineError: e.g. a build without OpenBLAS
            if variant == "vendor" and "not available" in str(e):
                pytest.skip(str(e))
            raise
        assert c.dtype == dtype and c.shape == (m, n) and c.flags.c_contiguous
        want, bound = gemm_reference(a, b, 1.0, 0.0, None)
        assert_within(c, want, bound, f"gemm {variant} {np.dtype(dtype)} m={m} n={n} k={k}")


@pytest.mark.parametrize("dtype", DTYPES)
def test_gemm_alpha_beta_and_c(dtype):
    rng = np.random.default_rng(12)
    a = uniform(rng, (33, 17), dtype)
    b = uniform(rng, (17, 7), dtype)
    c0 = uniform(rng, (33, 7), dtype)
    c_before = c0.copy()
    out = kernels.gemm(a, b, alpha=-0.75, beta=0.5, c=c0)
    np.testing.assert_array_equal(c0, c_before)  # c is an input, never modified
    want, bound = gemm_reference(a, b, -0.75, 0.5, c0)
    assert_within(out, want, bound, "gemm alpha=-0.75 beta=0.5")
    # beta = 0: c is not read (BLAS convention), even when it holds NaN.
    out = kernels.gemm(a, b, alpha=2, c=np.full_like(c0, np.nan))
    want, bound = gemm_reference(a, b, 2.0, 0.0, None)
    assert_within(out, want, bound, "gemm beta=0 with NaN c")


def test_gemm_params_override_the_default_configuration():
    rng = np.random.default_rng(13)
    a = uniform(rng, (37, 19), np.float32)
    b = uniform(rng, (19, 41), np.float32)
    params = {"tile_m": 8, "tile_n": 16, "tile_k": 8, "reg_m": 2, "reg_n": 8, "stage": "none"}
    c = kernels.gemm(a, b, params=params)
    want, bound = gemm_reference(a, b, 1.0, 0.0, None)
    assert_within(c, want, bound, "gemm with params")
    # The override reaches the launch: a value the backend refuses is reported, naming params.
    with pytest.raises(ValueError, match=r"^params: .*team_size"):
        kernels.gemm(a, b, params={"team_size": 1024})


def test_gemm_non_contiguous_and_read_only_inputs():
    rng = np.random.default_rng(14)
    base_a = uniform(rng, (20, 66), np.float64)
    a = base_a[:, ::2]  # strided view: (20, 33)
    b = np.asfortranarray(uniform(rng, (33, 9), np.float64))
    b.flags.writeable = False
    c = kernels.gemm(a, b)
    want, bound = gemm_reference(np.ascontiguousarray(a), np.ascontiguousarray(b), 1.0, 0.0, None)
    assert_within(c, want, bound, "gemm on a strided view and a Fortran-order array")
    at = uniform(rng, (9, 20), np.float64).T  # transposed view
    c = kernels.gemm(at, uniform(rng, (9, 5), np.float64))
    assert c.shape == (20, 5)


# --- attention ------------------------------------------------------------------------------


def attention_reference(q, k, v, causal, scale):
    """O in the wider type and the attention check's bound per element (attention_reference.hpp):
    4u [ sum_j w_j e_j |v_jc - O_c| + sqrt(n+2) sum_j w_j |v_jc| ] + tiny,
    e_j = sqrt(D+2) scale sum_d |q_d k_jd| + |s_j| + |m| + 4; rows that see no key are exactly 0.
    """
    dtype = q.dtype
    W = wide(dtype)
    u = W(unit_roundoff(dtype))
    batch, hq, sq, d = q.shape
    hkv, skv = k.shape[1], k.shape[2]
    s_eff = W(dtype.type(1 / np.sqrt(d) if scale is None else scale))  # rounded to T, as the kernel
    qw, kw, vw = q.astype(W), k.astype(W), v.astype(W)
    i = np.arange(sq)[:, None]
    j = np.arange(skv)[None, :]
    visible = j <= i + skv - sq if causal else np.ones((sq, skv), dtype=bool)
    n = visible.sum(axis=1)
    out = np.zeros(q.shape, dtype=W)
    bound = np.zeros(q.shape, dtype=W)
    for bi in range(batch):
        for h in range(hq):
            kv = h // (hq // hkv)
            qh, kh, vh = qw[bi, h], kw[bi, kv], vw[bi, kv]
            s = s_eff * (qh @ kh.T)
            s_masked = np.where(visible, s, -np.inf)
            m = np.max(s_masked, axis=1, keepdims=True)
            m = np.where(np.isfinite(m), m, 0)
            p = np.where(visible, np.exp(s_masked - m), 0)
            total = p.sum(axis=1, keepdims=True)
            w = np.divide(p, total, out=np.zeros_like(p), where=total > 0)
            o = w @ vh
            e = np.sqrt(W(d + 2)) * abs(s_eff) * (np.abs(qh) @ np.abs(kh).T) + np.abs(s) + np.abs(m) + 4
            spread = np.abs(vh[None, :, :] - o[:, None, :])  # [sq, skv, d]
            term1 = np.einsum("ij,ijc->ic", w * e, spread)
            term2 = np.sqrt(n[:, None].astype(W) + 2) * (w @ np.abs(vh))
            out[bi, h] = o
            bound[bi, h] = 4 * u * (term1 + term2) + W(tiny(dtype))
            bound[bi, h][n == 0] = 0  # must be exactly 0
    return out, bound


# (batch, hq, hkv, sq, skv, d): everything 1; MQA with sq < skv and odd d; 3:1 GQA with sq > skv
# (causal rows that see no key); a decode step (sq = 1) over 65 keys; 33-long MHA prefill.
ATTENTION_SHAPES = [
    (1, 1, 1, 1, 1, 1),
    (1, 4, 1, 5, 7, 33),
    (2, 3, 1, 33, 7, 8),
    (3, 8, 2, 1, 65, 7),
    (1, 2, 2, 33, 33, 16),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("variant", [None, "unfused", "reference"])
@pytest.mark.parametrize("causal", [False, True])
def test_attention_matches_the_reference(dtype, variant, causal):
    rng = np.random.default_rng(21)
    for batch, hq, hkv, sq, skv, d in ATTENTION_SHAPES:
        q = uniform(rng, (batch, hq, sq, d), dtype)
        k = uniform(rng, (batch, hkv, skv, d), dtype)
        v = uniform(rng, (batch, hkv, skv, d), dtype)
        o = kernels.attention(q, k, v, causal=causal, variant=variant)
        assert o.dtype == dtype and o.shape == q.shape
        want, bound = attention_reference(q, k, v, causal, None)
        assert_within(
            o, want, bound,
            f"attention {variant} {np.dtype(dtype)} {(batch, hq, hkv, sq, skv, d)} causal={causal}",
        )


def test_attention_causal_rows_that_see_no_key_are_zero():
    rng = np.random.default_rng(22)
    q = uniform(rng, (1, 2, 9, 4), np.float32)
    k = uniform(rng, (1, 1, 3, 4), np.float32)
    v = uniform(rng, (1, 1, 3, 4), np.float32)
    o = kernels.attention(q, k, v, causal=True)
    # sq=9 > skv=3: query i sees keys j <= i - 6, so rows 0..5 see none.
    assert np.all(o[:, :, :6] == 0)
    assert np.all(o[:, :, 6:] != 0)


@pytest.mark.parametrize("dtype", DTYPES)
def test_attention_custom_scale(dtype):
    rng = np.random.default_rng(23)
    q = uniform(rng, (2, 4, 7, 33), dtype)
    k = uniform(rng, (2, 2, 12, 33), dtype)
    v = uniform(rng, (2, 2, 12, 33), dtype)
    for scale in (0.3, 2.0):
        o = kernels.attention(q, k, v, causal=True, scale=scale)
        want, bound = attention_reference(q, k, v, True, scale)
        assert_within(o, want, bound, f"attention scale={scale}")
    # A different scale gives a different answer (the scale reaches the kernel).
    default = kernels.attention(q, k, v, causal=True)
    assert not np.allclose(default, kernels.attention(q, k, v, causal=True, scale=2.0))


# --- MoE layer ------------------------------------------------------------------------------


def silu(z):
    return z / (1 + np.exp(-z))


def moe_scores(logits, scoring):
    if scoring == "sigmoid":
        return 1 / (1 + np.exp(-logits))
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def moe_select(scores, top_k, groups, topk_groups):
    """Per token: the top_k experts, best first, ties to the lower id; group-limited when
    groups > 1 (a group scores the sum of its two best scores)."""
    tokens, experts = scores.shape
    per = experts // groups
    ids = np.empty((tokens, top_k), dtype=np.int64)
    for t in range(tokens):
        allowed = np.ones(experts, dtype=bool)
        if groups > 1:
            g = np.sort(scores[t].reshape(groups, per), axis=1)[:, ::-1]
            gs = g[:, 0] + g[:, 1] if per >= 2 else g[:, 0]
            keep = sorted(range(groups), key=lambda q: (-gs[q], q))[:topk_groups]
            allowed[:] = False
            for q in keep:
                allowed[q * per:(q + 1) * per] = True
        cand = [e for e in range(experts) if allowed[e]]
        ids[t] = sorted(cand, key=lambda e: (-scores[t, e], e))[:top_k]
    return ids


def moe_reference(x, router_w, w_gate, w_up, w_down, ids, top_k, scoring, groups, topk_groups,
                  renormalize, routed_scale):
    """The layer in the wider type over the experts `ids` the kernel chose, and the bounds of the
    layer check (moe_instance.hpp check_layer, moe_reference.hpp): logits within the router GEMM's
    dot-product bound, weights within rel = (E+8)u + 4 dl, out within the propagated MLP bound plus
    2(k+2)u sum|w y|. Returns (logits, logit_bound, ref_ids, weights, weight_bound, out, out_bound).
    """
    dtype = x.dtype
    W = wide(dtype)
    u = W(unit_roundoff(dtype))
    tokens, hidden = x.shape
    experts, inter = router_w.shape[1], w_gate.shape[2]
    xw = x.astype(W)
    fh = 4 * np.sqrt(W(hidden + 2)) * u
    fi = 4 * np.sqrt(W(inter + 2)) * u
    logits = xw @ router_w.astype(W)
    dl = (fh * (np.abs(xw) @ np.abs(router_w.astype(W)))).max(axis=1)  # per token
    logit_bound = dl[:, None] + 2 * u * np.abs(logits) + W(tiny(dtype))
    # Scores from the reference logits rounded to T, as the check does.
    sc = moe_scores(logits.astype(dtype).astype(W), scoring)
    ref_ids = moe_select(sc, top_k, groups, topk_groups)
    chosen = np.take_along_axis(sc, ids.astype(np.int64), axis=1)
    wts = chosen / chosen.sum(axis=1, keepdims=True) if renormalize else chosen
    wts = wts * W(routed_scale)
    rel = W(experts + 8) * u + 4 * dl
    weight_bound = rel[:, None] * np.abs(wts) + W(tiny(dtype))
    out = np.zeros((tokens, hidden), dtype=W)
    tol = np.zeros((tokens, hidden), dtype=W)
    mag = np.zeros((tokens, hidden), dtype=W)
    for j in range(top_k):
        e = ids[:, j]
        wg, wu, wd = w_gate[e].astype(W), w_up[e].astype(W), w_down[e].astype(W)
        g = np.einsum("th,thi->ti", xw, wg)
        up = np.einsum("th,thi->ti", xw, wu)
        mg = np.einsum("th,thi->ti", np.abs(xw), np.abs(wg))
        mu = np.einsum("th,thi->ti", np.abs(xw), np.abs(wu))
        sg = silu(g)
        hv = sg * up
        dh = W(1.1) * np.abs(up) * fh * mg + np.abs(sg) * fh * mu + 4 * u * np.abs(hv)
        y = np.einsum("ti,tic->tc", hv, wd)
        ytol = np.einsum("ti,tic->tc", dh, np.abs(wd)) + fi * np.einsum(
            "ti,tic->tc", np.abs(hv), np.abs(wd))
        wj = wts[:, j][:, None]
        out += wj * y
        mag += np.abs(wj * y)
        tol += np.abs(wj) * ytol + rel[:, None] * np.abs(wj) * np.abs(y)
    out_bound = tol + 2 * W(top_k + 2) * u * mag + W(tiny(dtype))
    return logits, logit_bound, ref_ids, wts, weight_bound, out, out_bound


def moe_inputs(rng, dtype, tokens, experts, hidden, inter):
    return (
        uniform(rng, (tokens, hidden), dtype),
        uniform(rng, (hidden, experts), dtype, 4 / np.sqrt(hidden)),
        uniform(rng, (experts, hidden, inter), dtype, 1 / np.sqrt(hidden)),
        uniform(rng, (experts, hidden, inter), dtype, 1 / np.sqrt(hidden)),
        uniform(rng, (experts, inter, hidden), dtype, 1 / np.sqrt(inter)),
    )


# (tokens, experts, top_k, hidden, intermediate, routing keywords)
MOE_CASES = [
    (1, 1, 1, 1, 1, {}),
    (7, 8, 2, 33, 17, {}),
    (33, 5, 5, 7, 3, {}),  # k = E: every expert
    (9, 16, 3, 16, 8, dict(scoring="sigmoid", groups=4, topk_groups=2, routed_scale=2.5)),
    (5, 6, 2, 8, 4, dict(renormalize=False)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("variant", [None, "reference"])
def test_moe_layer_matches_the_reference(dtype, variant):
    rng = np.random.default_rng(31)
    for tokens, experts, top_k, hidden, inter, routing in MOE_CASES:
        arrays = moe_inputs(rng, dtype, tokens, experts, hidden, inter)
        out, ids, wts = kernels.moe_layer(*arrays, top_k=top_k, return_routing=True,
                                          variant=variant, **routing)
        what = f"moe_layer {variant} {np.dtype(dtype)} T={tokens} E={experts} k={top_k} {routing}"
        assert out.dtype == dtype and out.shape == (tokens, hidden)
        assert ids.dtype == np.int32 and ids.shape == (tokens, top_k)
        assert wts.dtype == dtype and wts.shape == (tokens, top_k)
        opts = dict(scoring="softmax", groups=1, topk_groups=1, renormalize=True, routed_scale=1.0)
        opts.update(routing)
        _, _, ref_ids, want_w, w_bound, want, bound = moe_reference(
            *arrays, ids, top_k, opts["scoring"], opts["groups"], opts["topk_groups"],
            opts["renormalize"], opts["routed_scale"])
        # Random data has no rounding-level near-ties: the routing is the reference's exactly.
        np.testing.assert_array_equal(ids, ref_ids, err_msg=what)
        assert_within(wts, want_w, w_bound, what + " weights")
        assert_within(out, want, bound, what + " out")
        # Without return_routing: the same output alone.
        alone = kernels.moe_layer(*arrays, top_k=top_k, variant=variant, **routing)
        np.testing.assert_array_equal(alone, out)


def test_moe_layer_ties_go_to_the_lowest_ids():
    rng = np.random.default_rng(32)
    x, router_w, wg, wu, wd = moe_inputs(rng, np.float64, 4, 6, 5, 3)
    router_w = np.repeat(router_w[:, :1], 6, axis=1)  # equal columns: every logit of a token tied
    _, ids, wts = kernels.moe_layer(x, router_w, wg, wu, wd, top_k=3, return_routing=True)
    np.testing.assert_array_equal(ids, np.tile(np.arange(3, dtype=np.int32), (4, 1)))
    np.testing.assert_allclose(wts, 1 / 3, rtol=1e-12)


def test_moe_layer_default_equals_deepseek_sigmoid_only_when_asked():
    rng = np.random.default_rng(33)
    arrays = moe_inputs(rng, np.float32, 6, 8, 8, 4)
    soft = kernels.moe_layer(*arrays, top_k=2)
    sig = kernels.moe_layer(*arrays, top_k=2, scoring="sigmoid", groups=4, topk_groups=2)
    assert not np.allclose(soft, sig)  # the routing keywords reach the kernel


# --- the GIL and threads --------------------------------------------------------------------


def test_long_calls_release_the_gil():
    """While a kernel runs, other Python threads run: a ticker thread keeps counting."""
    rng = np.random.default_rng(41)
    a = uniform(rng, (400, 400), np.float64)
    b = uniform(rng, (400, 400), np.float64)
    kernels.gemm(a[:2], b)  # Kokkos started (on this thread) before timing
    stop = threading.Event()
    ticks = []

    def ticker():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    thread = threading.Thread(target=ticker)
    thread.start()
    time.sleep(0.01)
    start = time.perf_counter()
    c = kernels.gemm(a, b, variant="reference")  # long double accumulation: slow enough
    end = time.perf_counter()
    stop.set()
    thread.join()
    if end - start < 0.05:
        pytest.skip(f"the call took {end - start:.3f} s: too short to see other threads run")
    # With the GIL held for the whole call the ticker would stop for (nearly) all of it.
    times = [start] + [t for t in ticks if start < t < end] + [end]
    longest_pause = max(t1 - t0 for t0, t1 in zip(times, times[1:]))
    assert longest_pause < 0.5 * (end - start), (longest_pause, end - start)
    want, bound = gemm_reference(a, b, 1.0, 0.0, None)
    assert_within(c, want, bound, "gemm while another thread runs")


def test_calls_from_other_threads():
    """Kokkos 3.4's OpenMP backend launches only from the thread that initialized Kokkos: from
    other threads the call either works (later Kokkos, or a runtime that launches on its own
    thread) or raises RidgelineError saying why — never a crash or a silently wrong result. The
    serial backend works from any thread; calls from several threads at once are serialised."""
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(42)
    cases = [(uniform(rng, (33, 17), np.float32), uniform(rng, (17, 9), np.float32))
             for _ in range(6)]
    kernels.gemm(*cases[0])  # Kokkos started on this thread

    def default_backend(ab):
        try:
            return kernels.gemm(*ab)
        except RuntimeError as e:
            assert str(e).startswith("backend: ") and "thread that initialized Kokkos" in str(e)
            return None

    def serial(ab):
        try:
            return kernels.gemm(*ab, backend="serial")
        except ValueError as e:  # a build without the Serial backend
            pytest.skip(str(e))

    with ThreadPoolExecutor(max_workers=3) as pool:
        for run in (default_backend, serial):
            for (a, b), c in zip(cases, pool.map(run, cases)):
                if c is not None:
                    want, bound = gemm_reference(a, b, 1.0, 0.0, None)
                    assert_within(c, want, bound, f"gemm from a pool ({run.__name__})")
            if run is serial:
                assert all(c is not None for c in pool.map(run, cases))


# --- misuse ---------------------------------------------------------------------------------

A = np.ones((4, 3), np.float32)
B = np.ones((3, 5), np.float32)
Q = np.ones((1, 4, 5, 8), np.float32)
K = np.ones((1, 2, 6, 8), np.float32)
X = np.ones((3, 4), np.float32)
R = np.ones((4, 6), np.float32)
WG = np.ones((6, 4, 2), np.float32)
WD = np.ones((6, 2, 4), np.float32)


def moe(**kw):
    args = dict(x=X, router_w=R, w_gate=WG, w_up=WG, w_down=WD)
    args.update({k: kw.pop(k) for k in list(kw) if k in args})
    kw.setdefault("top_k", 2)
    return kernels.moe_layer(args["x"], args["router_w"], args["w_gate"], args["w_up"],
                             args["w_down"], **kw)


MISUSE = [
    # GEMM
    (lambda: kernels.gemm([[1.0]], B), TypeError, r"^a: expected a numpy\.ndarray"),
    (lambda: kernels.gemm(A, 3.0), TypeError, r"^b: expected a numpy\.ndarray"),
    (lambda: kernels.gemm(A.astype(np.int32), B), TypeError, r"^a: expected dtype float32 or float64, got int32"),
    (lambda: kernels.gemm(A.astype(np.float16), B), TypeError, r"^a: .*float16"),
    (lambda: kernels.gemm(A.astype(np.complex64), B), TypeError, r"^a: .*complex64"),
    (lambda: kernels.gemm(A, B.astype(np.float64)), TypeError, r"^b: dtype float64 does not match a's float32"),
    (lambda: kernels.gemm(A, np.ones((63, 5), np.float32)), ValueError,
     r"^b: expected 2-D array with shape \(k, n\) = \(3, n\), got \(63, 5\)"),
    (lambda: kernels.gemm(np.ones(4, np.float32), B), ValueError, r"^a: expected 2-D array"),
    (lambda: kernels.gemm(np.ones((4, 3, 1), np.float32), B), ValueError, r"^a: expected 2-D array"),
    (lambda: kernels.gemm(np.ones((0, 3), np.float32), B), ValueError, r"^a: every dimension must be >= 1"),
    (lambda: kernels.gemm(np.float32(1), B), TypeError, r"^a: expected a numpy\.ndarray"),
    (lambda: kernels.gemm(A, B, alpha="2"), TypeError, r"^alpha: expected a real number"),
    (lambda: kernels.gemm(A, B, alpha=float("nan")), ValueError, r"^alpha: expected a finite number"),
    (lambda: kernels.gemm(A, B, beta=1.0), ValueError, r"^c: required when beta != 0"),
    (lambda: kernels.gemm(A, B, beta=1.0, c=np.ones((4, 4), np.float32)), ValueError, r"^c: expected 2-D array"),
    (lambda: kernels.gemm(A, B, variant="blocked"), ValueError, r"^variant: unknown variant 'blocked'"),
    (lambda: kernels.gemm(A, B, variant=3), TypeError, r"^variant: "),
    (lambda: kernels.gemm(A, B, params={"tile_q": 8}), ValueError, r"^params: .*tile_q"),
    (lambda: kernels.gemm(A, B, params={"tile_m": 7}), ValueError, r"^params: .*tile_m"),
    (lambda: kernels.gemm(A, B, params={"tile_m": 6, "reg_m": 4}), ValueError,
     r"^params: .*tile_m is a multiple of reg_m"),
    (lambda: kernels.gemm(A, B, params={"stage": "l7"}), ValueError, r"^params: .*stage"),
    (lambda: kernels.gemm(A, B, params={"tile_m": 6.0}), TypeError, r"^params: tile_m must be an integer"),
    (lambda: kernels.gemm(A, B, params={"tile_m": True}), TypeError, r"^params: tile_m"),
    (lambda: kernels.gemm(A, B, params=[("tile_m", 8)]), TypeError, r"^params: expected a dict"),
    (lambda: kernels.gemm(A, B, backend="sycl"), ValueError, r"^backend: 'sycl'"),
    (lambda: kernels.gemm(A, B, backend=1), TypeError, r"^backend: "),
    (lambda: kernels.gemm(A, B, 1.0), TypeError, r"positional"),
    # attention
    (lambda: kernels.attention(Q, K), TypeError, r"v"),
    (lambda: kernels.attention(Q.tolist(), K, K), TypeError, r"^q: expected a numpy\.ndarray"),
    (lambda: kernels.attention(Q, K.astype(np.float64), K), TypeError, r"^k: dtype float64 does not match q's float32"),
    (lambda: kernels.attention(Q[0], K, K), ValueError, r"^q: expected 4-D array with shape \(batch, hq, sq, d\)"),
    (lambda: kernels.attention(Q, np.ones((1, 2, 6, 7), np.float32), K), ValueError,
     r"^k: expected 4-D array with shape \(batch, hkv, skv, d\) = \(1, hkv, skv, 8\), got \(1, 2, 6, 7\)"),
    (lambda: kernels.attention(Q, np.ones((2, 2, 6, 8), np.float32), K), ValueError, r"^k: expected 4-D"),
    (lambda: kernels.attention(Q, np.ones((1, 3, 6, 8), np.float32), np.ones((1, 3, 6, 8), np.float32)),
     ValueError, r"^k: hkv=3 key/value heads do not divide q's hq=4 heads"),
    (lambda: kernels.attention(Q, K, np.ones((1, 2, 5, 8), np.float32)), ValueError,
     r"^v: expected 4-D array with shape \(batch, hkv, skv, d\) = \(1, 2, 6, 8\), got \(1, 2, 5, 8\)"),
    (lambda: kernels.attention(Q, K, K, causal=1), TypeError, r"^causal: expected True or False"),
    (lambda: kernels.attention(Q, K, K, scale="x"), TypeError, r"^scale: expected a real number"),
    (lambda: kernels.attention(Q, K, K, scale=float("inf")), ValueError, r"^scale: expected a finite number"),
    (lambda: kernels.attention(Q, K, K, variant="flash2"), ValueError, r"^variant: unknown variant 'flash2'"),
    (lambda: kernels.attention(Q, K, K, params={"tile_q": 5}), ValueError, r"^params: .*tile_q"),
    # MoE layer
    (lambda: moe(x=X.astype(np.int64)), TypeError, r"^x: expected dtype float32 or float64, got int64"),
    (lambda: moe(w_up=WG.astype(np.float64)), TypeError, r"^w_up: dtype float64 does not match x's float32"),
    (lambda: moe(router_w=np.ones((5, 6), np.float32)), ValueError,
     r"^router_w: expected 2-D array with shape \(hidden, experts\) = \(4, experts\), got \(5, 6\)"),
    (lambda: moe(w_gate=np.ones((6, 2, 4), np.float32)), ValueError, r"^w_gate: expected 3-D array"),
    (lambda: moe(w_up=np.ones((6, 4, 3), np.float32)), ValueError,
     r"^w_up: expected 3-D array with shape \(experts, hidden, intermediate\) = \(6, 4, 2\)"),
    (lambda: moe(w_down=np.ones((6, 4, 2), np.float32)), ValueError, r"^w_down: expected 3-D array"),
    (lambda: moe(w_down="w"), TypeError, r"^w_down: expected a numpy\.ndarray"),
    (lambda: moe(top_k=0), ValueError, r"^top_k: must be >= 1"),
    (lambda: moe(top_k=7), ValueError, r"^top_k: must be <= experts = 6"),
    (lambda: moe(top_k=2.0), TypeError, r"^top_k: expected an integer"),
    (lambda: moe(groups=4), ValueError, r"^groups: must divide experts = 6"),
    (lambda: moe(groups=3, topk_groups=4), ValueError, r"^topk_groups: must be <= groups = 3"),
    (lambda: moe(groups=3, topk_groups=1, top_k=3), ValueError, r"^top_k: must be <= topk_groups \* experts/groups = 2"),
    (lambda: moe(scoring="relu"), ValueError, r"^scoring: expected 'softmax' or 'sigmoid'"),
    (lambda: moe(scoring=1), TypeError, r"^scoring: "),
    (lambda: moe(renormalize="yes"), TypeError, r"^renormalize: expected True or False"),
    (lambda: moe(routed_scale=0), ValueError, r"^routed_scale: must be > 0"),
    (lambda: moe(return_routing=None), TypeError, r"^return_routing: "),
    (lambda: moe(variant="fused"), ValueError, r"^variant: unknown variant 'fused'"),
    (lambda: moe(params={"tile_m": 3}), ValueError, r"^params: .*tile_m"),
]


@pytest.mark.parametrize("call,error,message", MISUSE, ids=[m[2][:60] for m in MISUSE])
def test_misuse_raises_naming_the_argument(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_the_compiled_module_rechecks_what_memory_safety_depends_on(core):
    """ridgeline.kernels checks everything first; _core checks again, so a direct call with wrong
    arrays is an exception, never a crash."""
    core = core.kernels
    c = np.empty((4, 5), np.float32)
    cases = [
        (lambda: core.gemm(A, B, np.empty((4, 4), np.float32), 1.0, 0.0, "", {}, ""), ValueError, r"^c: expected shape \(4, 5\)"),
        (lambda: core.gemm(A, B[:, ::2], np.empty((4, 3), np.float32), 1.0, 0.0, "", {}, ""), ValueError, r"^b: expected a C-contiguous"),
        (lambda: core.gemm(A, B.astype(np.float64), c, 1.0, 0.0, "", {}, ""), TypeError, r"^b: expected dtype float32"),
        (lambda: core.gemm(A, B, _read_only(c), 1.0, 0.0, "", {}, ""), ValueError, r"^c: output array is read-only"),
        (lambda: core.gemm(None, B, c, 1.0, 0.0, "", {}, ""), TypeError, r"^a: expected a numpy\.ndarray"),
        (lambda: core.attention(Q, K, K, np.empty((1, 4, 5, 7), np.float32), False, None, "", {}, ""), ValueError, r"^o: expected shape"),
        (lambda: core.moe_layer(X, R, WG, WG, WD, np.empty((3, 4), np.float32), np.empty((3, 2), np.int64), None, 2, 1, 1, "softmax", True, 1.0, "", {}, ""), TypeError, r"^topk_ids: expected dtype int32"),
        (lambda: core.moe_layer(X, R, WG, WG, WD, np.empty((3, 4), np.float32), None, None, 2, 1, 1, "tanh", True, 1.0, "", {}, ""), ValueError, r"^scoring: "),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()


def _read_only(a):
    b = a.copy()
    b.flags.writeable = False
    return b
