#pragma once
// The command post: one node's engagement cycle, picture in and decisions out.
//
//   auto post = CommandPost::make(params, authority, airspace, agreement, region, seed, los).value();
//   for (each second) {
//     StepResult r = post.step(now, picture);   // r.events: every decision; r.launches: for the world
//   }
//
// Each planning cycle (EngagementRules::cycle_s): threats are evaluated against the defended
// assets (engage::ThreatEvaluator); every (fire unit, threat) pair is tested for an intercept
// inside the envelope, in line of sight and in cover of a linked sensor, with a notional kill
// probability; the civil interlock and the ROE refuse pairs (logged once per change of reasons);
// a weapon–target assignment (exact for small problems, heuristic beyond) picks pairs; the
// coordinator (or, without the agreement in force, the unit's own chain head) proposes each.
// A proposal is then decided by the unit's authorised role — its simulated operator, after a
// delay, by its policy — or at once where automatic engagement has been delegated for that zone
// and threat class. An approved engagement is ordered, and launched after the unit's reaction
// time, when the interlock and the ROE are checked again on the latest picture. After the
// predicted intercept the picture is watched (kill assessment): a track that stopped being
// updated is assessed destroyed; one still updated survived and may be engaged again
// (shoot-look-shoot).
//
// The post sees tracks only, never truth. Its only random draws are the operators' decision
// delays, from streams named "operator/<role>" of the run's seed: same inputs, same decisions.
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "jrads/command/agreement.hpp"
#include "jrads/command/airspace.hpp"
#include "jrads/command/authority.hpp"
#include "jrads/command/interlock.hpp"
#include "jrads/core/geodesy.hpp"
#include "jrads/core/result.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/engage/intercept.hpp"
#include "jrads/engage/kill_probability.hpp"
#include "jrads/engage/threat.hpp"
#include "jrads/engage/threat_class.hpp"
#include "jrads/node/node_params.hpp"
#include "jrads/picture/identity.hpp"
#include "jrads/picture/tracker.hpp"

namespace jrads::node {

// A radar that gives a fire unit its fire-control data: the intercept point must lie within
// its range and in its line of sight.
struct LinkedSensor {
  std::string id;
  Eigen::Vector3d pos_enu = Eigen::Vector3d::Zero();  // region frame
  double max_range_m = 0.0;
};

struct FireUnit {
  std::string id;
  std::string party;
  engage::FireUnitEnvelope envelope;  // site in the region frame
  int rounds = 8;
  int channels = 2;                   // engagements guided at once
  std::vector<std::string> mezs;      // assigned missile engagement zones (ROE)
  std::vector<LinkedSensor> linked_sensors;  // empty: no sensor condition
  SimTime ready_from;                 // not ready before
};

struct CommandPostParams {
  std::vector<FireUnit> units;
  std::vector<engage::Asset> assets;  // region frame
  engage::ThreatParams threat;
  engage::KillProbabilityParams kill;
  command::InterlockParams interlock;
  picture::IdentityRules identity;    // the speed and height profiles that give a threat class
  EngagementRules rules;
  std::vector<OperatorParams> operators;
  OperatorParams default_operator;    // for a role without an entry (its role field is ignored)
  std::vector<AutoEngagement> auto_engagements;
  double min_kill_probability = 0.05;  // a pair less likely to kill is not worth a round
  int exact_max_pairs = 400;           // WTA: exact branch and bound up to this many unit x target pairs
  // The parties as bits of labels (the run's table); an event's originator is its actor's
  // party, else its unit's, else party 0 (the table's first).
  security::PartyTable parties;
};

// A track of the picture, as the post reads it.
struct PictureTrack {
  picture::TrackRow row;                              // the latest row of the track
  Eigen::Vector3d pos_enu = Eigen::Vector3d::Zero();  // region frame, at row.time
  Eigen::Vector3d vel_enu = Eigen::Vector3d::Zero();  // region frame
  const picture::EvidenceRecord* evidence = nullptr;  // the tracker's, valid during step()
};

enum class EventKind : std::uint8_t {
  proposal,    // the proposer asks the unit's chain to engage a track
  approval,    // the authorised role (or a delegated automatic engagement) approves
  denial,      // ... or denies
  refusal,     // a check refused: civil interlock, ROE or authority (rules name which)
  order,       // the approver orders the unit
  launch,      // the unit fires one interceptor
  assessment,  // kill assessment through the picture: destroyed or survived
  cancelled,   // the track was lost, or its engagement became pointless, before launch
};
[[nodiscard]] const char* to_string(EventKind k) noexcept;

struct EngagementEvent {
  SimTime time;
  EventKind kind = EventKind::proposal;
  std::uint64_t engagement = 0;  // 0 for a refusal made while planning (no engagement yet)
  std::uint32_t track = 0;
  std::string unit;              // may be empty (a refusal of the track itself)
  std::string unit_party;
  std::string actor;             // role id, "auto" (delegated automatic engagement) or "interlock"/"roe"
  std::string actor_party;
  engage::ThreatClass threat = engage::ThreatClass::any;
  picture::Identity identity = picture::Identity::pending;
  double threat_value = 0.0;
  double kill_probability = 0.0;
  std::vector<std::string> rules;  // refusal: "interlock:identity", "roe:no_fire_area", "authority"...
  std::string outcome;             // assessment: "destroyed" or "survived"
  std::string reasons;             // readable, "; "-separated
  // The track's label (what the event tells of it: not SENSORS), with need-to-know ORDERS,
  // originated by the actor's party (else the unit's).
  security::ItemLabel label;
};

// An interceptor fired: what the simulated world needs to fly it out.
struct Launch {
  std::uint64_t engagement = 0;
  std::string unit;
  std::string unit_party;
  engage::FireUnitEnvelope envelope;  // the unit's: its type, and its site in the region frame
  std::uint32_t track = 0;
  engage::ThreatClass threat = engage::ThreatClass::any;  // as the picture sees the track
  picture::Identity identity = picture::Identity::pending;
  double threat_value = 0.0;
  SimTime at;                 // launch time
  SimTime intercept_at;       // predicted meeting time
  Eigen::Vector3d point_enu = Eigen::Vector3d::Zero();      // predicted intercept point (aim point)
  Eigen::Vector3d track_pos_enu = Eigen::Vector3d::Zero();  // the track's estimate at launch
  double kill_probability = 0.0;  // as planned, from the picture's view
  security::ItemLabel label;      // the launch event's (its outcome takes it)
};

// An order to a fire unit to engage a track: what the unit needs to check that it may act on
// it (FireUnitGate), besides the order event itself.
struct Order {
  std::uint64_t engagement = 0;
  std::string unit;
  std::string unit_party;
  std::uint32_t track = 0;
  int rounds = 1;            // the salvo ordered
  std::string by;            // the ordering role, or "auto"
  std::string delegated_by;  // automatic: the role that delegated it
  std::string zone;          // the zone the order is given for (may be empty)
  engage::ThreatClass threat = engage::ThreatClass::any;
  SimTime at;
  security::ItemLabel label;  // the order event's
  friend bool operator==(const Order&, const Order&) = default;
};

struct StepResult {
  std::vector<EngagementEvent> events;  // in time order
  std::vector<Order> orders;            // the order events' orders, in time order
  std::vector<Launch> launches;
  std::vector<engage::Threat> threats;  // a planning cycle's evaluation, ranked (empty when none was due)
};

struct UnitStatus {
  std::string id;
  std::string party;
  int rounds_left = 0;
  int channels_busy = 0;
  // FIRE-UNIT-STATUS, SECRET, releasable to every party of the run (the partners share their
  // units' status to coordinate), originated by the unit's party; unlabelled when that party
  // is not in the table.
  security::ItemLabel label;
  friend bool operator==(const UnitStatus&, const UnitStatus&) = default;
};
[[nodiscard]] security::ItemLabel unit_status_label(const security::PartyTable& parties, const std::string& party);

class CommandPost {
 public:
  // Errc::invalid_argument naming the field: no or duplicate unit ids, a unit unknown to the
  // authority or of another party there, an invalid envelope, negative rounds or channels, an
  // invalid operator (delays outside [0, 600]), doctrine outside its ranges, invalid interlock
  // or kill-probability parameters, an automatic engagement for an unknown unit.
  [[nodiscard]] static Result<CommandPost> make(CommandPostParams params, command::Authority authority,
                                                command::Airspace airspace, command::AgreementState agreement,
                                                const LocalFrame& region, std::uint64_t seed, engage::LineOfSight los);
  CommandPost(CommandPost&&) noexcept;
  CommandPost& operator=(CommandPost&&) noexcept;
  ~CommandPost();

  // Everything due up to `now` (not earlier than the previous call): decisions, launches,
  // kill assessments, and a planning cycle when one is due. `picture`: every confirmed or
  // coasting track, its latest row (times may lag `now`: the picture's own latency).
  [[nodiscard]] StepResult step(SimTime now, std::span<const PictureTrack> picture);

  // The order a role would give to engage a track with a unit now, checked as any order is
  // (authority, civil interlock, ROE, and whether the unit has an intercept at all): one event,
  // an order or a refusal with every rule that refused. Without the rest of the picture the
  // fighter-engagement-zone rule (friendly fighters present) is not judged. For tests and
  // exercises: it changes nothing.
  [[nodiscard]] std::vector<EngagementEvent> try_order(SimTime now, const std::string& actor, const std::string& unit,
                                                       const PictureTrack& track) const;

  [[nodiscard]] std::vector<UnitStatus> units() const;

 private:
  struct Impl;
  explicit CommandPost(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace jrads::node
