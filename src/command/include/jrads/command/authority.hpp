#pragma once
// Who may do what (mission R4, Article 6 of the agreement). The lead party's air force
// commander-in-chief coordinates the joint actions of both parties' air defence forces; each
// party's chain of command (its head — the coordinator for the lead party, the air defence
// commander for the others — then fire-unit commanders and operators) directs its own forces.
// A fire unit accepts orders from its own chain only, or from the coordinator where its
// commander has delegated that for a stated zone, time window and threat class. Coordination
// needs the agreement in force. Everything a role may not do is refused with every reason.
//
//   const Authority auth(chain).value();
//   Decision d = auth.check({.actor = "MOR-ADC", .action = Action::order_engagement,
//                            .unit = "FU-KAL-1", .at = now}, agreement);
//   // d.allowed == false; d.reasons: "MOR-ADC (air defence commander, MOR) is not in the
//   // chain of command of FU-KAL-1 (KAL) ..."
#include <cstdint>
#include <string>
#include <vector>

#include "jrads/command/agreement.hpp"
#include "jrads/core/result.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/engage/threat_class.hpp"

namespace jrads::command {

enum class RoleKind : std::uint8_t {
  coordinator,            // the lead party's air force commander-in-chief (exactly one)
  air_defence_commander,  // heads a non-lead party's chain (exactly one per such party)
  unit_commander,         // commands one fire unit
  fire_operator,          // operates one fire unit
};
[[nodiscard]] const char* to_string(RoleKind k) noexcept;

struct Role {
  std::string id;     // "KAL-CINC"
  std::string party;  // a party id
  RoleKind kind = RoleKind::fire_operator;
  std::string unit;   // unit_commander and fire_operator: the fire unit's id
};

struct FireUnitRef {
  std::string id;
  std::string party;
};

// The threat classes of delegations (engage/threat_class.hpp).
using engage::ThreatClass;

// A unit's commander (or its party's chain head) lets the coordinator order the unit, within
// a zone, a time window [from, until) and for one threat class (any: all of them).
struct Delegation {
  std::string unit;
  std::string by;    // the delegating role's id
  std::string zone;  // an airspace zone id (where the threat is)
  SimTime from, until;
  ThreatClass threat = ThreatClass::any;
};

struct ChainOfCommand {
  std::string lead_party;  // the coordinating party
  std::vector<std::string> parties;
  std::vector<Role> roles;
  std::vector<FireUnitRef> units;
  std::vector<Delegation> delegations;
};

enum class Action : std::uint8_t {
  propose_assignment,          // propose that a unit engage a track (to the unit's chain)
  set_weapons_control_status,  // set WCS: regional (unit empty: every party's forces) or for a unit
  approve_engagement,          // approve a proposal for a unit
  deny_engagement,             // deny it
  order_engagement,            // order a unit to engage
  launch,                      // fire the unit's interceptor (after an accepted order)
};
[[nodiscard]] const char* to_string(Action a) noexcept;

struct Request {
  std::string actor;  // role id
  Action action = Action::propose_assignment;
  std::string unit;   // the fire unit concerned; empty for regional WCS
  SimTime at;         // when (delegation windows)
  std::string zone;   // where the threat is (delegation zones); may be empty
  ThreatClass threat = ThreatClass::any;  // the threat's class (delegations)
};

struct Decision {
  bool allowed = false;
  std::vector<std::string> reasons;  // why: the rule that allowed it, or every rule that refused
};

class Authority {
 public:
  // Validates the chain: parties known and distinct, the lead among them; role and unit ids
  // unique; one coordinator, of the lead party; one air defence commander per other party and
  // none for the lead; unit roles name a unit of their own party; a delegation names a known
  // unit, is given by that unit's commander or its party's head, and has from < until.
  // Errc::invalid_argument / dangling_ref / duplicate_id naming the role, unit or delegation.
  [[nodiscard]] static Result<Authority> make(ChainOfCommand chain);

  // Whether the request is allowed on this day of the agreement, with the reasons.
  [[nodiscard]] Decision check(const Request& request, const AgreementState& agreement) const;

  // Would the unit accept an order from this role (its own chain, or a covering delegation)?
  [[nodiscard]] Decision accepts_order(const std::string& unit, const std::string& from, SimTime at,
                                       const std::string& zone, ThreatClass threat,
                                       const AgreementState& agreement) const;

  [[nodiscard]] const ChainOfCommand& chain() const noexcept { return chain_; }

 private:
  explicit Authority(ChainOfCommand chain) : chain_(std::move(chain)) {}
  [[nodiscard]] const Role* role(const std::string& id) const noexcept;
  [[nodiscard]] const FireUnitRef* unit(const std::string& id) const noexcept;
  [[nodiscard]] bool heads_party(const Role& r, const std::string& party) const noexcept;
  ChainOfCommand chain_;
};

}  // namespace jrads::command
