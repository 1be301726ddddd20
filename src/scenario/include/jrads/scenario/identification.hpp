#pragma once
// The picture's identification context from a scenario: the flight plans filed for its civil
// and friendly flights (their codes, addresses and routes), and its defended assets. Hostile
// flights file no plan. Nothing here is truth the picture could not have: a flight plan is
// filed before the flight, and the assets are ours.
#include "jrads/picture/identity.hpp"
#include "jrads/scenario/scenario.hpp"

namespace jrads::scenario {

[[nodiscard]] picture::IdentificationContext identification_context(const Scenario& s);

}  // namespace jrads::scenario
