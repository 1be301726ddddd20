#pragma once
// The fire unit's own guard (docs/RUN.md "The fire units' gates"): a unit fires only on an
// order it holds from a role it takes orders from, at most the rounds that order names, never
// at a track identified neutral (civil traffic) or friendly, and never twice for one order.
// It is the unit's check, apart from the command post's: a post that erred, a forged or
// replayed order, or an order resent after a lost link does not make it fire.
//
//   FireUnitGate gate = FireUnitGate::make(units_of_my_party, autos, authority, agreement).value();
//   for (const Order& o : step.orders) gate.order(o);      // held, duplicate or refused
//   for (const Launch& l : step.launches) if (gate.fire(l).allowed) fly(l);
//   for (each engagement over) gate.end(id);
//
// The gate reads no picture and no clock: the same orders and launches give the same answers.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "jrads/command/agreement.hpp"
#include "jrads/command/authority.hpp"
#include "jrads/core/result.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/node/command_post.hpp"

namespace jrads::node {

struct GateDecision {
  bool allowed = false;
  bool duplicate = false;  // an order already held or carried out: nothing changes
  std::string rule;        // when refused: "unit:no_order", "unit:authority", "unit:identity", ...
  std::string reason;      // readable
};

struct GateCounts {
  std::uint64_t orders_held = 0, orders_duplicated = 0, orders_refused = 0;
  std::uint64_t rounds_fired = 0, launches_refused = 0;
  friend bool operator==(const GateCounts&, const GateCounts&) = default;
};

class FireUnitGate {
 public:
  // `units`: the units this gate guards (a national node's: its party's); `autos`: the
  // automatic engagements delegated to them. Errc::invalid_argument: no units, a duplicate id,
  // a unit unknown to the chain of command or of another party there.
  [[nodiscard]] static Result<FireUnitGate> make(std::vector<FireUnit> units, std::vector<AutoEngagement> autos,
                                                 command::Authority authority, command::AgreementState agreement);
  FireUnitGate(FireUnitGate&&) noexcept;
  FireUnitGate& operator=(FireUnitGate&&) noexcept;
  ~FireUnitGate();

  // An order for one of its units. Held when its role may order the unit then (its chain, or
  // a delegation covering the zone and threat class), or when it is automatic and a delegation
  // of the unit's own chain covers it; and when its rounds are 1 to the unit's. The same order
  // again (an engagement already held, carried out or ended) is a duplicate: allowed, and
  // nothing changes. Another order under a known engagement is refused.
  GateDecision order(const Order& o);
  // One round of a launch: allowed when its engagement's order is held for this unit and
  // track, not yet fully fired, not earlier than the order, the unit has a round left, its
  // fire operator (or commander) may launch, and the track is not identified neutral (civil
  // traffic), friend or assumed friend. An allowed round is counted.
  GateDecision fire(const Launch& l);
  // The engagement is over (cancelled, refused, assessed): nothing more is fired for it.
  void end(std::uint64_t engagement);

  [[nodiscard]] bool guards(const std::string& unit) const;
  [[nodiscard]] int rounds_left(const std::string& unit) const;  // -1: not guarded
  [[nodiscard]] GateCounts counts() const;

 private:
  struct Impl;
  explicit FireUnitGate(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace jrads::node
