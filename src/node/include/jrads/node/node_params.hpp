#pragma once
// What a command post (node) is told by the scenario: how its simulated operators decide,
// where automatic engagement has been delegated, and the engagement doctrine. Plain data;
// `scenario` parses it (docs/SCENARIO.md), `node` acts on it (docs/ENGAGE.md).
#include <cstdint>
#include <string>
#include <vector>

#include "jrads/core/sim_time.hpp"
#include "jrads/engage/threat_class.hpp"

namespace jrads::node {

// How a simulated operator decides a proposal that passed every check.
enum class OperatorPolicy : std::uint8_t {
  approve,          // approves every proposal
  approve_hostile,  // approves a track identified hostile; denies anything else (suspect, unknown, pending)
  deny,             // denies every proposal (exercises: a cautious or absent operator)
};
[[nodiscard]] const char* to_string(OperatorPolicy p) noexcept;

// A role's simulated operator: decides `decision_delay_s` plus a uniform draw in
// [0, delay_jitter_s] after a proposal reaches it (its own seeded stream, "operator/<role>").
struct OperatorParams {
  std::string role;               // a role id
  double decision_delay_s = 10.0; // [0, 600]
  double delay_jitter_s = 0.0;    // [0, 600]
  OperatorPolicy policy = OperatorPolicy::approve_hostile;
};

// A unit's commander (or its party's chain head) lets the unit engage without waiting for a
// human decision, for one threat class within one zone and time window [from, until). Never
// for manned aircraft or for `any` class: those always need a human.
struct AutoEngagement {
  std::string unit;  // a fire unit id
  std::string by;    // the delegating role: the unit's commander or its party's chain head
  std::string zone;  // an airspace zone id where the threat is
  engage::ThreatClass threat = engage::ThreatClass::cruise_missile;  // cruise_missile, drone or ballistic_missile
  SimTime from;
  SimTime until;
};

// The engagement doctrine of a run.
struct EngagementRules {
  double cycle_s = 2.0;             // planning cycle: threats evaluated and assigned this often, [0.5, 60]
  bool shoot_look_shoot = true;     // one round per unit and target, then assess before firing again
  double kill_assessment_s = 20.0;  // after the predicted intercept, the picture is looked at this long, [1, 300]
  int max_rounds_per_target = 2;    // all units together, in flight at once, [1, 10]
};

}  // namespace jrads::node
