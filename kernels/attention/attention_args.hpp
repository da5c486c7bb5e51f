#pragma once
// O = softmax(Q Kᵀ · scale [+ causal mask]) V, forward, on dense row-major tensors
// q, o [batch, hq, sq, d] and k, v [batch, hkv, skv, d] (KERNELS.md). Query head h reads KV head
// h / (hq / hkv). Causal with sq != skv aligns the last query with the last key: query i sees
// keys j <= i + skv - sq. A query that sees no key at all (causal, sq > skv, i < sq - skv) gets an
// output row of zeros (FlashAttention's convention; a NaN would poison every later layer).
#include <cstdint>

namespace ridgeline::kernels {

struct attention_shape {
  int batch = 1, hq = 1, hkv = 1, sq = 1, skv = 1, d = 1;
  bool causal = false;

  int group() const { return hq / hkv; }  // query heads per KV head
  std::int64_t q_elements() const { return std::int64_t(batch) * hq * sq * d; }
  std::int64_t kv_elements() const { return std::int64_t(batch) * hkv * skv * d; }
  std::int64_t rows() const { return std::int64_t(batch) * hq * sq; }  // query rows of Q and O
  // The last key query i may see (-1: none). Non-causal: every key.
  std::int64_t last_key(std::int64_t i) const {
    return causal ? i + skv - sq : std::int64_t(skv) - 1;
  }
  // Query-key pairs that are not masked: the work model's count.
  std::uint64_t visible_pairs() const {
    std::uint64_t per_head = 0;
    for (std::int64_t i = 0; i < sq; ++i) {
      const std::int64_t last = last_key(i);
      per_head += static_cast<std::uint64_t>(last < 0 ? 0 : (last + 1 < skv ? last + 1 : skv));
    }
    return per_head * static_cast<std::uint64_t>(batch) * static_cast<std::uint64_t>(hq);
  }
};

// One launch's operands: the shape, the softmax scale as the kernel's type (1/sqrt(d) rounded to
// T, the same value the reference uses), and device pointers.
template <class T>
struct attention_args {
  attention_shape s;
  T scale = 1;
  const T* q = nullptr;
  const T* k = nullptr;
  const T* v = nullptr;
  T* o = nullptr;
};

}  // namespace ridgeline::kernels
