#pragma once
// Adapter: the scenario's agreement as the command module's terms and notices, the
// scenario's day, and its chain of command (Article 6). The schema has validated the dates, so these cannot fail on a parsed scenario.
#include <optional>
#include <vector>

#include "jrads/command/agreement.hpp"
#include "jrads/command/authority.hpp"
#include "jrads/scenario/scenario.hpp"

namespace jrads::scenario {

// In force from the signature date (the scenario gives no separate date of entry into force).
[[nodiscard]] command::AgreementTerms agreement_terms(const Scenario& s);
[[nodiscard]] std::vector<command::TerminationNotice> termination_notices(const Scenario& s);
// The scenario's `date` (the first simulated day), when it gives one.
[[nodiscard]] std::optional<command::Date> scenario_day(const Scenario& s);
// The parties (the coordinating one as lead), roles, fire units and delegations, for
// command::Authority::make (which checks the chain as a whole).
[[nodiscard]] command::ChainOfCommand chain_of_command(const Scenario& s);
// The agreement's classification equivalence (each party's words on the common scale); empty
// when the scenario gives none.
[[nodiscard]] security::EquivalenceTable classification_table(const Scenario& s);

}  // namespace jrads::scenario
