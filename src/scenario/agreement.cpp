#include "jrads/scenario/agreement.hpp"

#include "jrads/core/result.hpp"

namespace jrads::scenario {

namespace {
command::Date checked_date(const std::string& text) {
  const Result<command::Date> d = command::parse_date(text);
  JRADS_ASSERT(d.has_value());  // validated by the schema
  return *d;
}
}  // namespace

command::AgreementTerms agreement_terms(const Scenario& s) {
  command::AgreementTerms t;
  t.in_force = checked_date(s.agreement.signature_date);
  t.term_years = s.agreement.term_years;
  t.automatic_renewal = s.agreement.automatic_renewal;
  t.notice_months = s.agreement.notice_months;
  return t;
}

std::vector<command::TerminationNotice> termination_notices(const Scenario& s) {
  std::vector<command::TerminationNotice> out;
  for (const TerminationNotice& n : s.agreement.notices) out.push_back({n.party, checked_date(n.date)});
  return out;
}

std::optional<command::Date> scenario_day(const Scenario& s) {
  if (s.date.empty()) return std::nullopt;
  return checked_date(s.date);
}

security::EquivalenceTable classification_table(const Scenario& s) {
  auto t = security::EquivalenceTable::make(s.agreement.classification_equivalence);
  JRADS_ASSERT(t.has_value());  // validated by the schema
  return std::move(*t);
}

command::ChainOfCommand chain_of_command(const Scenario& s) {
  command::ChainOfCommand c;
  for (const Party& p : s.parties) {
    c.parties.push_back(p.id);
    if (p.role == PartyRole::coordinating) c.lead_party = p.id;
  }
  for (const FireUnit& f : s.fire_units) c.units.push_back({f.id, f.party});
  c.roles = s.roles;
  c.delegations = s.delegations;
  return c;
}

}  // namespace jrads::scenario
