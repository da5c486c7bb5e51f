// ridgeline._core.kernels: the kernels on NumPy arrays (kernels/on_arrays.hpp). The user-facing
// checks and messages live in python/ridgeline/kernels.py; these bindings check again what memory
// safety depends on (array type, dtype, C order, shapes, writable outputs) so that no call can
// crash the interpreter, then launch with the GIL released and kokkos_lock() held.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "kernels/on_arrays.hpp"
#include "kernels/runtime.hpp"
#include "python/src/bindings.hpp"

namespace ridgeline::python {

namespace {

namespace k = ridgeline::kernels;

// One argument checked: a C-ordered ndarray of dtype `want` (the call's, fixed by its first
// array) with `ndim` dimensions, each in [1, 2^31).
struct operand {
  py::array array;
  std::vector<py::ssize_t> shape;
};

// str(obj) in Python.
std::string text_of(py::handle obj) {
  return std::string(py::str(obj));
}

std::string shape_text(const std::vector<py::ssize_t>& s) {
  std::string out = "(";
  for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
  return out + (s.size() == 1 ? ",)" : ")");
}

operand check_array(const py::handle& obj, const char* name, int ndim, const py::dtype& want,
                    bool output) {
  if (!py::isinstance<py::array>(obj)) {
    throw py::type_error(std::string(name) + ": expected a numpy.ndarray, got " +
                         text_of(obj.get_type().attr("__name__")));
  }
  auto a = py::reinterpret_borrow<py::array>(obj);
  if (!a.dtype().is(want) && !a.dtype().equal(want)) {
    throw py::type_error(std::string(name) + ": expected dtype " + text_of(want) + ", got " +
                         text_of(a.dtype()));
  }
  if (a.ndim() != ndim) {
    throw py::value_error(std::string(name) + ": expected a " + std::to_string(ndim) +
                          "-D array, got " + std::to_string(a.ndim()) + "-D");
  }
  if (!(a.flags() & py::array::c_style)) {
    throw py::value_error(std::string(name) + ": expected a C-contiguous array");
  }
  if (output && !a.writeable()) {
    throw py::value_error(std::string(name) + ": output array is read-only");
  }
  operand o{a, {}};
  for (py::ssize_t i = 0; i < a.ndim(); ++i) {
    // The kernels index with 32-bit sizes (the problem parser refuses 2^31 and more).
    if (a.shape(i) < 1 || a.shape(i) > 2147483647) {
      throw py::value_error(std::string(name) + ": every dimension must be in [1, 2^31), got " +
                            shape_text(std::vector<py::ssize_t>(a.shape(), a.shape() + a.ndim())));
    }
    o.shape.push_back(a.shape(i));
  }
  return o;
}

void expect_shape(const operand& o, const char* name, const std::vector<py::ssize_t>& want) {
  if (o.shape != want) {
    throw py::value_error(std::string(name) + ": expected shape " + shape_text(want) + ", got " +
                          shape_text(o.shape));
  }
}

// The call's dtype from its first array: float32 or float64.
std::pair<k::dtype, py::dtype> dtype_of(const py::handle& obj, const char* name) {
  if (!py::isinstance<py::array>(obj)) {
    throw py::type_error(std::string(name) + ": expected a numpy.ndarray, got " +
                         text_of(obj.get_type().attr("__name__")));
  }
  const py::dtype d = py::reinterpret_borrow<py::array>(obj).dtype();
  if (d.equal(py::dtype::of<float>())) return {k::dtype::f32, py::dtype::of<float>()};
  if (d.equal(py::dtype::of<double>())) return {k::dtype::f64, py::dtype::of<double>()};
  throw py::type_error(std::string(name) + ": expected dtype float32 or float64, got " +
                       text_of(d));
}

k::array_call call_of(const std::string& variant, const std::map<std::string, std::string>& params,
                      const std::string& backend) {
  k::array_call c;
  c.variant = variant;
  for (const auto& [name, value] : params) c.params.emplace_back(name, value);
  c.backend = backend;
  return c;
}

py::dict result_dict(const k::array_result& r) {
  py::dict params;
  for (const auto& [name, value] : r.params) params[py::str(name)] = value;
  py::dict d;
  d["variant"] = r.variant;
  d["backend"] = r.backend;
  d["params"] = params;
  return d;
}

int as_int(py::ssize_t v) {
  return static_cast<int>(v);  // check_array bounded every dimension below 2^31
}

// Runs `launch` on the process's Kokkos runtime without the GIL (bindings.hpp's rule: release
// the GIL, then take the lock).
template <class F>
k::array_result launch_released(F&& launch) {
  const k::runtime& rt = process_runtime();
  py::gil_scoped_release release;
  auto lock = kokkos_lock();
  return launch(rt);
}

py::dict gemm(const py::object& a_obj, const py::object& b_obj, const py::object& c_obj,
              double alpha, double beta, const std::string& variant,
              const std::map<std::string, std::string>& params, const std::string& backend) {
  const auto call_dtype = dtype_of(a_obj, "a");
  const k::dtype t = call_dtype.first;
  const py::dtype want = call_dtype.second;
  const operand a = check_array(a_obj, "a", 2, want, false);
  const operand b = check_array(b_obj, "b", 2, want, false);
  operand c = check_array(c_obj, "c", 2, want, true);
  expect_shape(b, "b", {a.shape[1], b.shape[1]});
  expect_shape(c, "c", {a.shape[0], b.shape[1]});
  const k::gemm_shape s{as_int(a.shape[0]), as_int(b.shape[1]), as_int(a.shape[1]), alpha, beta};
  const void* pa = a.array.data();
  const void* pb = b.array.data();
  void* pc = c.array.mutable_data();
  const k::array_call call = call_of(variant, params, backend);
  return result_dict(launch_released(
      [&](const k::runtime& rt) { return k::gemm_on_arrays(rt, t, s, pa, pb, pc, call); }));
}

py::dict attention(const py::object& q_obj, const py::object& k_obj, const py::object& v_obj,
                   const py::object& o_obj, bool causal, std::optional<double> scale,
                   const std::string& variant, const std::map<std::string, std::string>& params,
                   const std::string& backend) {
  const auto call_dtype = dtype_of(q_obj, "q");
  const k::dtype t = call_dtype.first;
  const py::dtype want = call_dtype.second;
  const operand q = check_array(q_obj, "q", 4, want, false);
  const operand kk = check_array(k_obj, "k", 4, want, false);
  const operand v = check_array(v_obj, "v", 4, want, false);
  operand o = check_array(o_obj, "o", 4, want, true);
  if (kk.shape[0] != q.shape[0] || kk.shape[3] != q.shape[3] || q.shape[1] % kk.shape[1] != 0) {
    throw py::value_error(
        "k: expected shape (batch, hkv, skv, d) with q's batch and d and hkv "
        "dividing q's heads, got " +
        shape_text(kk.shape) + " for q " + shape_text(q.shape));
  }
  expect_shape(v, "v", kk.shape);
  expect_shape(o, "o", q.shape);
  k::attention_shape s;
  s.batch = as_int(q.shape[0]);
  s.hq = as_int(q.shape[1]);
  s.hkv = as_int(kk.shape[1]);
  s.sq = as_int(q.shape[2]);
  s.skv = as_int(kk.shape[2]);
  s.d = as_int(q.shape[3]);
  s.causal = causal;
  const void* pq = q.array.data();
  const void* pk = kk.array.data();
  const void* pv = v.array.data();
  void* po = o.array.mutable_data();
  const k::array_call call = call_of(variant, params, backend);
  return result_dict(launch_released([&](const k::runtime& rt) {
    return k::attention_on_arrays(rt, t, s, scale, pq, pk, pv, po, call);
  }));
}

py::dict moe_layer(const py::object& x_obj, const py::object& router_obj, const py::object& wg_obj,
                   const py::object& wu_obj, const py::object& wd_obj, const py::object& out_obj,
                   const py::object& ids_obj, const py::object& weights_obj, std::int64_t top_k,
                   std::int64_t groups, std::int64_t topk_groups, const std::string& scoring,
                   bool renormalize, double routed_scale, const std::string& variant,
                   const std::map<std::string, std::string>& params, const std::string& backend) {
  const auto call_dtype = dtype_of(x_obj, "x");
  const k::dtype t = call_dtype.first;
  const py::dtype want = call_dtype.second;
  const operand x = check_array(x_obj, "x", 2, want, false);
  const operand router = check_array(router_obj, "router_w", 2, want, false);
  const operand wg = check_array(wg_obj, "w_gate", 3, want, false);
  const operand wu = check_array(wu_obj, "w_up", 3, want, false);
  const operand wd = check_array(wd_obj, "w_down", 3, want, false);
  operand out = check_array(out_obj, "out", 2, want, true);
  const py::ssize_t T = x.shape[0], h = x.shape[1], E = router.shape[1], I = wg.shape[2];
  expect_shape(router, "router_w", {h, E});
  expect_shape(wg, "w_gate", {E, h, I});
  expect_shape(wu, "w_up", {E, h, I});
  expect_shape(wd, "w_down", {E, I, h});
  expect_shape(out, "out", {T, h});
  if (scoring != "softmax" && scoring != "sigmoid") {
    throw py::value_error("scoring: expected 'softmax' or 'sigmoid', got '" + scoring + "'");
  }
  k::moe_shape s;
  s.tokens = T;
  s.experts = E;
  s.top_k = top_k;
  s.groups = groups;
  s.topk_groups = topk_groups;
  s.scoring = scoring == "sigmoid" ? k::moe_scoring::sigmoid : k::moe_scoring::softmax;
  s.renormalize = renormalize;
  s.routed_scale = routed_scale;
  s.hidden = h;
  s.intermediate = I;
  // Padding of each expert's rows: changes no result; the problem field's default.
  for (const auto& f : k::moe_problem_fields()) {
    if (f.name == "block" && f.default_value) s.block = static_cast<std::int64_t>(*f.default_value);
  }
  k::moe_layer_arrays arrays;
  arrays.x = x.array.data();
  arrays.router = router.array.data();
  arrays.w_gate = wg.array.data();
  arrays.w_up = wu.array.data();
  arrays.w_down = wd.array.data();
  arrays.out = out.array.mutable_data();
  // The routing outputs: [tokens, top_k] int32 ids and weights of the call's dtype, or None.
  std::optional<operand> ids, weights;
  if (!ids_obj.is_none()) {
    ids = check_array(ids_obj, "topk_ids", 2, py::dtype::of<std::int32_t>(), true);
    expect_shape(*ids, "topk_ids", {T, static_cast<py::ssize_t>(top_k)});
    arrays.topk_ids = static_cast<std::int32_t*>(ids->array.mutable_data());
  }
  if (!weights_obj.is_none()) {
    weights = check_array(weights_obj, "topk_weights", 2, want, true);
    expect_shape(*weights, "topk_weights", {T, static_cast<py::ssize_t>(top_k)});
    arrays.topk_weights = weights->array.mutable_data();
  }
  const k::array_call call = call_of(variant, params, backend);
  return result_dict(launch_released(
      [&](const k::runtime& rt) { return k::moe_layer_on_arrays(rt, t, s, arrays, call); }));
}

}  // namespace

void bind_kernels(py::module_& m) {
  using namespace pybind11::literals;
  m.def("gemm", &gemm, "a"_a, "b"_a, "c"_a, "alpha"_a, "beta"_a, "variant"_a, "params"_a,
        "backend"_a,
        "c = alpha*a@b + beta*c in place (c read only when beta != 0); returns what ran. "
        "Use ridgeline.kernels.gemm.");
  m.def("attention", &attention, "q"_a, "k"_a, "v"_a, "o"_a, "causal"_a, "scale"_a, "variant"_a,
        "params"_a, "backend"_a,
        "o = softmax(q k^T * scale [causal]) v in place; returns what ran. "
        "Use ridgeline.kernels.attention.");
  m.def("moe_layer", &moe_layer, "x"_a, "router_w"_a, "w_gate"_a, "w_up"_a, "w_down"_a, "out"_a,
        "topk_ids"_a, "topk_weights"_a, "top_k"_a, "groups"_a, "topk_groups"_a, "scoring"_a,
        "renormalize"_a, "routed_scale"_a, "variant"_a, "params"_a, "backend"_a,
        "The MoE layer into out (and the routing into topk_ids/topk_weights when given); returns "
        "what ran. Use ridgeline.kernels.moe_layer.");
}

}  // namespace ridgeline::python
