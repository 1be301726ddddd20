#pragma once
// The scenario schema: walks a loaded YAML document into a Scenario, reporting every problem
// with its location. docs/SCENARIO.md documents each key; keep the two in step.
#include <string>

#include <yaml-cpp/yaml.h>

#include "jrads/scenario/scenario.hpp"
#include "yaml_reader_impl.hpp"

namespace jrads::scenario::detail {

// The scenario is meaningful only when d is still clean afterwards. Relative file paths
// (terrain.path) are resolved against base_dir when it is not empty.
[[nodiscard]] Scenario read_scenario(Diagnostics& d, const YAML::Node& root, const std::string& base_dir);

// "YYYY-MM-DD" naming a real calendar day in 1900..2199.
[[nodiscard]] bool is_calendar_date(std::string_view text);

}  // namespace jrads::scenario::detail
