#include "jrads/security/release_gate.hpp"

namespace jrads::security {
namespace {

static_assert(kCategories <= 8 && kLevels <= 8 && kMaxParties <= 32);

// Every field of the compact label and the receiver in one key; nullopt for a label with bits
// outside the known categories or parties (decided afresh each time, and refused).
std::optional<std::uint64_t> cache_key(const ItemLabel& l, std::size_t receiver) noexcept {
  if ((l.categories & ~kAllCategories) != 0 || static_cast<int>(l.level) >= kLevels || l.originator >= kMaxParties ||
      receiver >= (1u << 15))
    return std::nullopt;
  return std::uint64_t{l.rel} | std::uint64_t{l.categories} << 32 | std::uint64_t{l.originator} << 40 |
         std::uint64_t{static_cast<std::uint8_t>(l.level)} << 45 | std::uint64_t{l.rel_alliance} << 48 |
         std::uint64_t{receiver} << 49;
}

}  // namespace

ReleaseGate::ReleaseGate(PartyTable parties, std::vector<ReceiverSpec> receivers, bool agreement_in_force,
                         OnDecision on_decision)
    : parties_(std::move(parties)),
      receivers_(std::move(receivers)),
      in_force_(agreement_in_force),
      on_decision_(std::move(on_decision)),
      counts_(receivers_.size()) {}

const ReleaseDecision& ReleaseGate::decide(const ItemLabel& label, std::size_t receiver, SimTime time) {
  JRADS_ASSERT(receiver < receivers_.size());
  const ReceiverSpec& spec = receivers_[receiver];
  ReleaseCounts& c = counts_[receiver];
  const auto key = cache_key(label, receiver);
  auto it = key ? cache_.find(*key) : cache_.end();
  if (it == cache_.end()) {
    // Bits outside the table cannot name a party: such a label is invalid, and refused.
    const bool in_table = label.originator < parties_.size() && (label.rel & ~parties_.all()) == 0;
    ReleaseDecision d;
    Label full;
    if (in_table) {
      full = to_label(label, parties_, time);
      d = decide_release(full, spec.receiver, in_force_ || full.originator == spec.receiver.party, spec.policy);
    } else {
      d.rules = {"label"};
      d.reasons = {"label names a party outside this run's table"};
    }
    ++c.decisions;
    if (on_decision_) on_decision_(spec, full, d);
    if (key) {
      it = cache_.emplace(*key, std::move(d)).first;
    } else {
      uncached_ = std::move(d);  // valid until the next decide()
    }
    const ReleaseDecision& made = key ? it->second : uncached_;
    (made.allowed ? c.allowed : c.refused) += 1;
    if (made.allowed && made.stripped != 0) ++c.stripped;
    return made;
  }
  const ReleaseDecision& d = it->second;
  (d.allowed ? c.allowed : c.refused) += 1;
  if (d.allowed && d.stripped != 0) ++c.stripped;
  return d;
}

void ReleaseGate::set_agreement_in_force(bool in_force) {
  if (in_force == in_force_) return;
  in_force_ = in_force;
  cache_.clear();
}

ReleaseCounts ReleaseGate::total() const noexcept {
  ReleaseCounts t;
  for (const auto& c : counts_) {
    t.decisions += c.decisions;
    t.allowed += c.allowed;
    t.refused += c.refused;
    t.stripped += c.stripped;
  }
  return t;
}

}  // namespace jrads::security
