#pragma once
// Rules of engagement: one function that says whether an engagement is allowed by the
// weapons control status and the airspace control measures, with the verdict of every rule.
// The civil interlock (interlock.hpp) and authority (authority.hpp) are separate checks; an
// engagement needs all three.
//
//   const RoeDecision d = check_roe(c, airspace);
//   for (const RoeRule& r : d.rules) log(r.rule, r.passed, r.text);
#include <string>
#include <vector>

#include "jrads/command/airspace.hpp"
#include "jrads/picture/identity.hpp"

namespace jrads::command {

struct Position3 {
  Point2 pos;          // region plane
  double alt_m = 0.0;  // above the ellipsoid
};

struct RoeCase {
  std::string unit_party;              // the firing unit's party (its WCS)
  std::vector<std::string> unit_mezs;  // missile engagement zones the unit is assigned (may be empty)
  picture::Identity identity = picture::Identity::pending;
  Position3 target;                    // where the track is now
  Position3 intercept;                 // the predicted intercept point
  std::vector<Position3> friendly_aircraft;  // friendly tracks now (fighters in engagement zones)
};

struct RoeRule {
  std::string rule;  // "weapons_control_status", "no_fire_area", "safe_corridor", "missile_engagement_zone", "fighter_engagement_zone"
  bool passed = true;
  std::string text;  // readable verdict
};

struct RoeDecision {
  bool allowed = false;
  std::vector<RoeRule> rules;  // every rule, in the order above; allowed <=> all passed
};

// The rules: (1) the weapons control status for the unit's party at the intercept point:
// hold refuses; tight needs a hostile identity; free needs anything but friend, assumed
// friend or neutral. (2) Neither the target nor the intercept point in a no-fire area, nor
// (3) in a safe corridor. (4) A unit assigned MEZs intercepts inside one of them. (5) No
// friendly aircraft inside a fighter engagement zone that holds the intercept point.
[[nodiscard]] RoeDecision check_roe(const RoeCase& c, const Airspace& airspace);

}  // namespace jrads::command
