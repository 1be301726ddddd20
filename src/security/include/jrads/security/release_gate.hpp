#pragma once
// The one door of every egress (the bus between nodes, file exports, logs, the picture
// server). An egress holds a ReleaseGate and asks it for each item and receiver; it can only
// emit what comes back as Released<T> — a type nobody else can make — so an egress that
// skipped the gate would not compile against its writer.
//
//   ReleaseGate gate(parties, receivers, in_force, on_decision);
//   if (auto r = gate.release(row, row_label, mor)) writer.write(*r);   // r->stripped() to sanitise
//
// Decisions come from decide_release (a pure function), so one is made per distinct (label,
// receiver) while the agreement's state stays the same, and reported once through
// `on_decision` (the audit log). Every item is counted.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "jrads/security/item_label.hpp"
#include "jrads/security/release.hpp"

namespace jrads::security {

struct ReceiverSpec {
  std::string name;  // for reports: "MOR national node", "tracks export to MOR"
  Receiver receiver;
  ReleasePolicy policy = ReleasePolicy::refuse;
};

template <class T>
class Released {
 public:
  [[nodiscard]] const T& item() const noexcept { return *item_; }
  const T& operator*() const noexcept { return *item_; }
  const T* operator->() const noexcept { return item_; }
  // Categories the egress must remove before sending (ReleasePolicy::strip).
  [[nodiscard]] CategorySet stripped() const noexcept { return stripped_; }

 private:
  friend class ReleaseGate;
  Released(const T& item, CategorySet stripped) noexcept : item_(&item), stripped_(stripped) {}
  const T* item_;
  CategorySet stripped_;
};

struct ReleaseCounts {
  std::uint64_t decisions = 0;  // distinct decisions made (and reported)
  std::uint64_t allowed = 0, refused = 0, stripped = 0;  // items (stripped ones are also allowed)
};

class ReleaseGate {
 public:
  // Called once for each new decision: the receiver, the full label (at the item's time) and
  // the decision with its reasons.
  using OnDecision = std::function<void(const ReceiverSpec&, const Label&, const ReleaseDecision&)>;

  // `agreement_in_force`: whether the agreement is in force (it binds every receiver of another
  // party than the item's originator; decide_release rule 3).
  ReleaseGate(PartyTable parties, std::vector<ReceiverSpec> receivers, bool agreement_in_force, OnDecision on_decision);

  // The item if `receiver` (an index into the receivers) may have it, else nothing.
  template <class T>
  [[nodiscard]] std::optional<Released<T>> release(const T& item, const ItemLabel& label, std::size_t receiver,
                                                   SimTime time) {
    const ReleaseDecision& d = decide(label, receiver, time);
    if (!d.allowed) return std::nullopt;
    return Released<T>(item, d.stripped);
  }
  // The decision itself (counted as one item); the reference is valid until the next call.
  const ReleaseDecision& decide(const ItemLabel& label, std::size_t receiver, SimTime time);

  // A new agreement state: later decisions are made afresh (and reported again).
  void set_agreement_in_force(bool in_force);

  [[nodiscard]] const std::vector<ReceiverSpec>& receivers() const noexcept { return receivers_; }
  [[nodiscard]] const ReleaseCounts& counts(std::size_t receiver) const { return counts_.at(receiver); }
  [[nodiscard]] ReleaseCounts total() const noexcept;
  [[nodiscard]] const PartyTable& parties() const noexcept { return parties_; }

 private:
  PartyTable parties_;
  std::vector<ReceiverSpec> receivers_;
  bool in_force_;
  OnDecision on_decision_;
  std::unordered_map<std::uint64_t, ReleaseDecision> cache_;
  ReleaseDecision uncached_;  // the last decision on a label that cannot be a cache key
  std::vector<ReleaseCounts> counts_;
};

}  // namespace jrads::security
