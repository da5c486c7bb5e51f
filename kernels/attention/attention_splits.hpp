#pragma once
// How many chunks split-KV cuts each (batch, KV head)'s keys into when kv_chunk=auto: a pure
// function of the problem and of how many teams the device runs at once, so the rule is tested
// without the device (tests/kernels/test_attention_splits.cpp) and the same on every backend.
//
// Why split at all: a decode step has one query tile per (batch, KV head) — 4 teams for Hkv = 4 —
// while an H200 runs hundreds of blocks at once and a CPU one team per core. Streaming K and V
// at bandwidth needs enough teams in flight to cover every SM (or core) `waves` times; each extra
// chunk costs one partial O row per query row (written, then read by the combine), which is small
// next to the chunk's K and V as long as a chunk holds at least one key tile.
#include <cstdint>

namespace ridgeline::kernels {

// Teams a device keeps resident for one launch. GPU: SMs (CUs) x blocks per SM by threads,
// scratch and the hardware's block limit (registers are not known before the launch; the SASS
// report checks them). CPU: threads / team size (one team per thread at the host default).
struct team_residency {
  std::int64_t units = 1;           // SMs, CUs or host threads
  std::int64_t teams_per_unit = 1;  // teams one unit runs at once
  std::int64_t waves = 1;           // fill the resident slots this many times over
};

// Teams per SM/CU from the unit's limits; 0 when one team does not fit (scratch too large).
// A zero limit means "no limit of that kind" (a level of scratch outside shared memory).
std::int64_t teams_per_unit(std::int64_t threads_per_team, std::int64_t scratch_per_team,
                            std::int64_t max_threads_per_unit, std::int64_t scratch_per_unit,
                            std::int64_t max_teams_per_unit);

struct kv_split_problem {
  std::int64_t kv_heads = 1;  // batch x KV heads: independent (batch, KV head) pairs
  std::int64_t q_tiles = 1;   // query tiles per KV head (teams per pair before splitting)
  std::int64_t skv = 1;       // keys
  std::int64_t tile_k = 1;    // keys a team walks per step: a chunk is a whole number of them
};

// Keys per chunk for kv_chunk=auto: the fewest chunks that fill units x teams_per_unit x waves
// team slots, but never a chunk shorter than one key tile; a chunk >= skv (returned as skv)
// means no split — a prefill with enough query tiles, or a KV cache of one tile.
std::int64_t auto_kv_chunk(const kv_split_problem& p, const team_residency& r);

}  // namespace ridgeline::kernels
