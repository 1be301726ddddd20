#pragma once
// Adapter: the scenario's agreement as the command module's terms and notices, and the
// scenario's day. The schema has validated the dates, so these cannot fail on a parsed scenario.
#include <optional>
#include <vector>

#include "jrads/command/agreement.hpp"
#include "jrads/scenario/scenario.hpp"

namespace jrads::scenario {

// In force from the signature date (the scenario gives no separate date of entry into force).
[[nodiscard]] command::AgreementTerms agreement_terms(const Scenario& s);
[[nodiscard]] std::vector<command::TerminationNotice> termination_notices(const Scenario& s);
// The scenario's `date` (the first simulated day), when it gives one.
[[nodiscard]] std::optional<command::Date> scenario_day(const Scenario& s);

}  // namespace jrads::scenario
