#pragma once
// Whether tonight's time of one job entry is a regression (docs/nightly.md, "Regression
// detection"). Two tests, each flagged on its own, both only when the slowdown is at least the
// job's min_effect:
//  - Mann-Whitney U: tonight's samples against those of the last good night (verdict pass) of the
//    same hardware type and entry — "is tonight slower than the last night we trusted";
//  - E-divisive means over the series of nightly medians (the last `history` nights and tonight):
//    a change point after the last good night whose later segment is slower — "the series shifted
//    up", robust to one noisy night, which a two-night comparison is not.
// Pure: the caller reads the history (nightly/history.hpp); tested without a database.
#include <string>
#include <vector>

#include "nightly/job_file.hpp"
#include "nightly/night_point.hpp"
#include "storage/nightly_record.hpp"

namespace ridgeline::nightly {

// `earlier`: previous nights of this entry, oldest first (any verdict); `tonight` last.
std::vector<storage::nightly_flag_record> regression_flags(const std::string& entry_key,
                                                           const std::vector<night_point>& earlier,
                                                           const night_point& tonight,
                                                           const regression_policy& policy);

// The fewest samples per night with which the Mann-Whitney test can flag at all: a night whose
// every sample is slower than every sample of an equally sampled good night must reach a p-value
// ten times below `max_p_value` (room for some overlap). The harness stops at 5 samples when they
// agree, and 5 against 5 can never go below p = 0.006, so without this a policy of 0.001 would
// only flag when some night happened to be noisy. At least `at_least`; throws
// ridgeline::usage_error naming max_p_value when it is outside (0, 1].
int samples_for_significance(double max_p_value, int at_least);

}  // namespace ridgeline::nightly
