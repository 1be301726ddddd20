#pragma once
// The civil interlock: the last check before any engagement, which no role can override and
// no setting can switch off. It refuses a track that is identified neutral, friend or assumed
// friend; or that has civil evidence (a Mode 3/A or emergency squawk, ADS-B, a civil flight
// plan match) within the recent window; or that flies in a safe corridor with an airliner-like
// profile. Every refusal carries all the reasons that apply.
//
//   const InterlockDecision d = civil_interlock(facts, airspace, now, InterlockParams{});
//   if (d.refused) log(d.reasons);   // never engaged
#include <cstdint>
#include <string>
#include <vector>

#include "jrads/command/airspace.hpp"
#include "jrads/core/polygon.hpp"
#include "jrads/core/result.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/picture/identity.hpp"

namespace jrads::command {

// Notional profile of an airliner and the memory of civil evidence. There is no "off": the
// window and the profile can be widened, never removed (validate()).
struct InterlockParams {
  double civil_evidence_window_s = 900.0;   // civil evidence this recent refuses (>= 60 s)
  double airliner_min_speed_mps = 110.0;    // airliner-like: ground speed in [min, max] ...
  double airliner_max_speed_mps = 320.0;
  double airliner_min_alt_m = 3000.0;       // ... at or above this height ...
  double airliner_max_climb_mps = 40.0;     // ... climbing or descending no faster than this
};
// Errc::invalid_argument when the window is under 60 s, a bound is not finite, or the speed
// band is empty or negative.
[[nodiscard]] Result<void> validate(const InterlockParams& p);

// What the interlock needs to know about a track, from the picture.
struct TrackFacts {
  std::uint32_t track_number = 0;
  picture::Identity identity = picture::Identity::pending;
  const picture::EvidenceRecord* evidence = nullptr;  // may be null (then no evidence is known)
  Point2 pos;             // region plane (Airspace::plane_from_geodetic)
  double alt_m = 0.0;     // height above the ellipsoid
  double speed_mps = 0.0; // horizontal
  double climb_mps = 0.0; // vertical, up positive
};

struct InterlockDecision {
  bool refused = false;
  std::vector<std::string> reasons;  // every rule that refused ("track 12 is neutral", ...)
  std::vector<std::string> rules;    // the rule of each reason: "identity", "civil_evidence", "friendly_evidence", "corridor_airliner"
};

// Requires validate(params). Pure: the same facts, airspace and time give the same answer.
[[nodiscard]] InterlockDecision civil_interlock(const TrackFacts& track, const Airspace& airspace, SimTime now,
                                                const InterlockParams& params);

// Whether speed, height and climb look like an airliner's (the corridor rule).
[[nodiscard]] bool airliner_like(const TrackFacts& track, const InterlockParams& params) noexcept;

}  // namespace jrads::command
