#pragma once
// A scenario generator for load and scale tests (`jrads generate`): a region with a mountain
// range, radars on a jittered grid, and aircraft of every category that fly for the whole
// duration. The output is scenario YAML (docs/SCENARIO.md), so a generated case goes through
// the same reader and validation as a hand-written one. Same options → same bytes.
#include <cstdint>
#include <string>

#include "jrads/core/result.hpp"

namespace jrads::scenario {

struct GenerateOptions {
  int aircraft = 2000;       // platforms in the air at once: 70 % civil, 10 % friend, 20 % hostile
  int radars = 20;           // plus one IFF interrogator per 5 radars and one ADS-B receiver per 4
  std::uint64_t seed = 1;    // drives the layout and the scenario's own seed
  double duration_s = 3600;  // every platform's route lasts at least this long
  double width_m = 800000;   // east-west extent of the region
  double height_m = 600000;  // north-south extent of the region
};

// Fails on options out of range (counts ≤ 0 or above their limits, duration or extent out of
// range) and when the file would exceed max_scenario_bytes (about 55 000 aircraft).
[[nodiscard]] Result<std::string> generate_scenario_yaml(const GenerateOptions& options);

}  // namespace jrads::scenario
