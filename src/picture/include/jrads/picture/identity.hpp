#pragma once
// Identification: each track's STANAG 1241 standard identity, decided from the evidence the
// track has gathered (IFF replies, ADS-B, missing replies, kinematics), by rules that are data
// (IdentityRules; defaults and meaning in docs/PICTURE.md). Conflicting evidence never yields a
// silent hostile: it gives a cautious identity and an alert.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/sim_time.hpp"

namespace jrads::picture {

enum class Identity : std::uint8_t { pending, unknown, assumed_friend, friend_, neutral, suspect, hostile };
[[nodiscard]] const char* to_string(Identity id) noexcept;  // FORMATS spelling: "friend", "assumed_friend"...

enum class EvidenceKind : std::uint8_t {
  mode5_valid,        // a valid Mode 5 reply was associated (value: interrogator index)
  mode3,              // a Mode 3/A reply (value: the code, octal digits read as decimal)
  adsb,               // an ADS-B report was fused (value: the 24-bit address)
  no_reply,           // an interrogator swept the track and no reply was associated (value: interrogator)
  iff_garble,         // a garbled reply (no valid code) was associated
  adsb_inconsistent,  // an ADS-B report claiming this track's address was far from it (value: address)
  emergency_squawk,   // 7500, 7600 or 7700
  hostile_kinematics, // speed and height like a missile or an attacking aircraft (value: speed m/s)
  civil_flight_plan,  // its code or address and position match a filed civil flight plan (value: plan)
  friendly_flight_plan,  // ... a filed flight plan of a friendly aircraft (value: plan)
  heading_for_asset,  // its course passes over a defended asset soon (value: asset)
  unanswered,         // an interrogator in range completed a rotation without a reply, but it is
                      // not known to see the track (value: interrogator): cancels earlier
                      // replies, never counts towards hostile
  hostile_origin,     // confirmed inside an area whose origin counts as hostile (value: area)
};
inline constexpr int kEvidenceKinds = 13;
[[nodiscard]] const char* to_string(EvidenceKind k) noexcept;

struct Evidence {
  SimTime time;
  EvidenceKind kind = EvidenceKind::no_reply;
  std::uint32_t value = 0;
};

// The rules, as data. Times in seconds of simulation time.
struct IdentityRules {
  double mode5_memory_s = 300.0;       // a valid Mode 5 reply counts for this long
  double civil_memory_s = 120.0;       // Mode 3/A and flight-plan evidence counts for this long
  double adsb_memory_s = 60.0;         // ADS-B evidence counts for this long (it comes every second)
  int no_reply_for_unknown = 1;        // interrogations without a reply before pending -> unknown
  int no_reply_for_suspect = 2;        // ... before a track with hostile kinematics is suspect, and
                                       // before earlier replies stop vouching for the track
  int no_reply_for_hostile = 4;        // ... before it is hostile (with hostile kinematics held)
  double hostile_kinematics_hold_s = 30.0;  // hostile kinematics seen for this long
  double missile_min_speed_mps = 200.0;     // hostile kinematics: at least this fast ...
  double missile_max_alt_m = 1500.0;        // ... and at most this high (height above ellipsoid)
  double fast_min_speed_mps = 450.0;        // or this fast at any height
  double drone_max_speed_mps = 70.0;        // slow and low without any reply: drone-like
  double drone_max_alt_m = 1500.0;
  double threat_hold_s = 60.0;              // heading for an asset this long, silent: hostile
  double missile_suspect_hold_s = 20.0;     // missile-like this long without any reply: suspect
  double plan_position_tolerance_m = 10000.0;  // a procedural (code-less) civil plan match: this near the planned position ...
  double plan_heading_tolerance_deg = 30.0;    // ... on the planned heading within this
  double plan_corridor_m = 10000.0;         // a flight-plan match: within this of the planned route
  double asset_margin_m = 5000.0;           // heading for an asset: predicted to pass within radius + this ...
  double asset_horizon_s = 900.0;           // ... within this time, on its present course
};

// What the picture may know besides its sensors' reports: the flight plans filed for civil and
// friendly flights, and the defended assets. Both come from the scenario (an adapter).
struct FlightPlan {
  std::string callsign;
  std::optional<std::uint32_t> icao;
  std::optional<std::uint16_t> squawk;
  bool friendly = false;       // a friendly military flight (otherwise civil)
  std::vector<Geodetic> route;  // the planned route, >= 2 points
  double departure_s = 0.0;     // planned time at route[0]
  std::vector<double> leg_speed_mps;  // planned ground speed towards route[k] (k >= 1); size = route size
};
struct DefendedArea {
  std::string id;
  Geodetic centre;
  double radius_m = 0.0;
};
// An area (territory beyond a border, say) a track's origin in which is hostile behaviour:
// a simple polygon, vertices in order (heights ignored).
struct OriginArea {
  std::string id;
  std::vector<Geodetic> polygon;
};
struct IdentificationContext {
  std::vector<FlightPlan> flight_plans;
  std::vector<DefendedArea> assets;
  std::vector<OriginArea> hostile_origins;
};

// What a track has gathered: the last time and count of each kind of evidence, and a bounded
// log with times (the first and the latest entries of each kind are always kept).
// What a record tells identification and the civil interlock, without its log: what a node
// sends with a track (federation), from which the receiving node rebuilds a record.
struct EvidenceSummary {
  std::array<int, kEvidenceKinds> count{};
  std::array<SimTime, kEvidenceKinds> last{};
  std::array<std::uint32_t, kEvidenceKinds> last_value{};
  int no_reply_since_reply = 0;
  int unanswered_since_reply = 0;
  friend bool operator==(const EvidenceSummary&, const EvidenceSummary&) = default;
};

class EvidenceRecord {
 public:
  EvidenceRecord() = default;
  // A record with these totals and an empty log.
  explicit EvidenceRecord(const EvidenceSummary& s) noexcept;
  [[nodiscard]] EvidenceSummary summary() const noexcept;
  void add(const Evidence& e);
  [[nodiscard]] int count(EvidenceKind k) const noexcept { return count_[static_cast<int>(k)]; }
  // Time of the latest evidence of kind k; only meaningful when count(k) > 0.
  [[nodiscard]] SimTime last(EvidenceKind k) const noexcept { return last_[static_cast<int>(k)]; }
  [[nodiscard]] const std::vector<Evidence>& log() const noexcept { return log_; }
  // Merges another track's evidence into this one (duplicate tracks of one aircraft).
  void merge(const EvidenceRecord& other);
  // The value of the latest evidence of kind k (code, address...); meaningful when count(k) > 0.
  [[nodiscard]] std::uint32_t last_value(EvidenceKind k) const noexcept { return last_value_[static_cast<int>(k)]; }
  // Interrogations without a reply since the latest valid reply of any kind (no_reply only).
  [[nodiscard]] int no_reply_since_reply() const noexcept { return no_reply_since_reply_; }
  // The same counting unanswered interrogations too.
  [[nodiscard]] int unanswered_since_reply() const noexcept { return unanswered_since_reply_; }

  static constexpr std::size_t kMaxLog = 24;

 private:
  std::array<int, kEvidenceKinds> count_{};
  std::array<SimTime, kEvidenceKinds> last_{};
  std::array<std::uint32_t, kEvidenceKinds> last_value_{};
  std::vector<Evidence> log_;
  int no_reply_since_reply_ = 0;
  int unanswered_since_reply_ = 0;
};

struct IdentityDecision {
  Identity identity = Identity::pending;
  bool conflict = false;  // evidence disagrees: an alert is due and the identity is cautious
  const char* reason = "";  // the rule that decided (static text)
};

// What a track's speed and height look like (missile_*, fast_*, drone_* rules).
enum class Profile : std::uint8_t { ordinary, missile_like, fast_jet, drone_like };
[[nodiscard]] const char* to_string(Profile p) noexcept;
[[nodiscard]] Profile classify_profile(double speed_mps, double alt_m, const IdentityRules& rules) noexcept;

// The track's behaviour now: its profile and whether its course threatens a defended asset,
// each with how long it has held without a break.
struct Behaviour {
  Profile profile = Profile::ordinary;
  double profile_held_s = 0.0;
  bool threatening = false;
  double threatening_held_s = 0.0;
};

// Decides the identity at `now` from the record and the behaviour. Kinematics alone never make
// a track hostile; a drone-like profile (slow and low, like a helicopter) never goes beyond
// suspect without a threatening course.
[[nodiscard]] IdentityDecision decide_identity(const EvidenceRecord& record, const Behaviour& behaviour, SimTime now,
                                               const IdentityRules& rules) noexcept;

}  // namespace jrads::picture
