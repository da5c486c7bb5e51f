// kv_chunk=auto's rule (kernels/attention/attention_splits.cpp): enough chunks to fill the
// device's resident team slots, none shorter than a key tile, one chunk when there is no need.
#include <gtest/gtest.h>

#include "kernels/attention/attention_splits.hpp"

namespace ridgeline::kernels {
namespace {

std::int64_t chunks(std::int64_t skv, std::int64_t chunk) {
  return (skv + chunk - 1) / chunk;
}

// H200-like: 132 SMs, 2048 threads, 228 KiB shared memory and 32 blocks per SM.
team_residency h200_like(std::int64_t threads, std::int64_t scratch) {
  return {132, teams_per_unit(threads, scratch, 2048, 228 * 1024, 32), 2};
}

TEST(AttentionSplits, TeamsPerUnitIsTheTightestLimit) {
  EXPECT_EQ(teams_per_unit(32, 40 * 1024, 2048, 228 * 1024, 32), 5);   // scratch
  EXPECT_EQ(teams_per_unit(256, 1024, 2048, 228 * 1024, 32), 8);       // threads
  EXPECT_EQ(teams_per_unit(32, 0, 2048, 228 * 1024, 32), 32);          // the block limit
  EXPECT_EQ(teams_per_unit(32, 300 * 1024, 2048, 228 * 1024, 32), 0);  // does not fit
  EXPECT_EQ(teams_per_unit(1, 0, 0, 0, 0), 1);                         // a host thread
}

TEST(AttentionSplits, DecodeOnAnH200LikeCardFillsEverySmSeveralTimes) {
  const team_residency r = h200_like(32, 36 * 1024);
  ASSERT_EQ(r.teams_per_unit, 6);
  const kv_split_problem p{1 * 4, 1, 32768, 16};
  const std::int64_t chunk = auto_kv_chunk(p, r);
  EXPECT_EQ(chunk % p.tile_k, 0);
  const std::int64_t teams = p.kv_heads * p.q_tiles * chunks(p.skv, chunk);
  EXPECT_GE(teams, 132 * 6);          // every resident slot busy...
  EXPECT_GE(teams, 3 * 132);          // ...i.e. every SM several times over
  EXPECT_LE(teams, 2 * 132 * 6 + 4);  // and not far more chunks than the waves asked for
}

TEST(AttentionSplits, TinyOrShortCachesAreNotSplit) {
  const team_residency r = h200_like(32, 36 * 1024);
  EXPECT_EQ(auto_kv_chunk({4, 1, 1, 16}, r), 1);    // a 1-token cache
  EXPECT_EQ(auto_kv_chunk({4, 1, 16, 16}, r), 16);  // one tile
  EXPECT_EQ(auto_kv_chunk({4, 1, 10, 16}, r), 10);  // less than a tile
}

TEST(AttentionSplits, NeverAChunkShorterThanATile) {
  const team_residency r = h200_like(32, 36 * 1024);
  for (std::int64_t skv : {17, 33, 100, 1000, 4097, 32768, 100003}) {
    for (std::int64_t tile : {8, 16, 128}) {
      const std::int64_t chunk = auto_kv_chunk({1, 1, skv, tile}, r);
      EXPECT_TRUE(chunk == skv || (chunk >= tile && chunk % tile == 0))
          << "skv " << skv << " tile " << tile << " chunk " << chunk;
    }
  }
}

TEST(AttentionSplits, EnoughTeamsWithoutSplittingMeansNoSplit) {
  // A prefill of 64 query tiles on each of 64 (batch, KV head) pairs already fills the card.
  EXPECT_EQ(auto_kv_chunk({64, 64, 2048, 16}, h200_like(32, 36 * 1024)), 2048);
  // A CPU of 2 threads, 4 waves: 8 teams; 4 KV heads need 2 chunks each, 16 heads none.
  const team_residency cpu{2, 1, 4};
  EXPECT_EQ(auto_kv_chunk({4, 1, 32768, 128}, cpu), 16384);
  EXPECT_EQ(auto_kv_chunk({16, 1, 32768, 128}, cpu), 32768);
}

TEST(AttentionSplits, MoreUnitsNeverMeanFewerChunks) {
  std::int64_t last = 1;
  for (std::int64_t units : {1, 2, 8, 32, 132, 304}) {
    const std::int64_t n = chunks(32768, auto_kv_chunk({4, 1, 32768, 64}, {units, 4, 2}));
    EXPECT_GE(n, last) << units;
    last = n;
  }
}

}  // namespace
}  // namespace ridgeline::kernels
