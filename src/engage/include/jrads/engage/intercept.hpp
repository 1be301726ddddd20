#pragma once
// Engagement feasibility (notional): where and when a fire unit's interceptor would meet a
// track, whether that point lies in the unit's envelope and in its line of sight, and the
// window of launch times that would work. Every number is generic and notional; no real
// system's data. Straight-line target prediction, constant mean interceptor speed.
//
//   const Intercept i = predict_intercept(unit, track_pos, track_vel, 0.0, no_terrain);
//   if (i.feasible) launch_at(now + SimTime::from_s(i.launch_in_s));
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "jrads/core/result.hpp"

namespace jrads::engage {

enum class FireUnitType : std::uint8_t { long_range, medium_range, short_range, point_defence };
[[nodiscard]] const char* to_string(FireUnitType t) noexcept;

// Height above the ellipsoid of a point of the region's ENU frame (whose origin lies on the
// ellipsoid): the tangent plane falls below the earth's surface by d^2 / 2R at a distance d
// from the origin (1.8 km at 150 km), so z alone is no height. To within metres over a region.
[[nodiscard]] double height_m(const Eigen::Vector3d& pos_enu) noexcept;

// A fire unit's notional envelope. Positions in the region's ENU frame (m).
struct FireUnitEnvelope {
  FireUnitType type = FireUnitType::medium_range;
  Eigen::Vector3d pos_enu = Eigen::Vector3d::Zero();  // launcher site
  double min_range_m = 3000.0;      // slant range from the site to the intercept point
  double max_range_m = 40000.0;
  double min_alt_m = 50.0;          // intercept height above the ellipsoid
  double max_alt_m = 20000.0;
  double interceptor_speed_mps = 1000.0;  // mean over the fly-out
  double reaction_time_s = 10.0;    // from the order to the launch
};

// Notional defaults per type (docs/ENGAGE.md), site at the origin.
[[nodiscard]] FireUnitEnvelope notional_envelope(FireUnitType type) noexcept;

// Errc::invalid_argument naming the field: non-finite values, ranges not 0 <= min < max,
// heights not min < max, speed <= 0, reaction < 0.
[[nodiscard]] Result<void> validate(const FireUnitEnvelope& e);

// Line of sight from the site to a point (region ENU); the caller supplies terrain.
using LineOfSight = std::function<bool(const Eigen::Vector3d& from_enu, const Eigen::Vector3d& to_enu)>;

struct Intercept {
  bool feasible = false;
  double launch_in_s = 0.0;     // from now: the delay asked for plus the reaction time
  double fly_out_s = 0.0;       // interceptor flight time
  double intercept_in_s = 0.0;  // launch_in + fly_out
  Eigen::Vector3d point_enu = Eigen::Vector3d::Zero();
  double range_m = 0.0;         // slant range from the site to the point
  std::vector<std::string> reasons;  // why not (every envelope rule that fails), empty when feasible
};

// The intercept of a track at `pos`/`vel` (region ENU, m and m/s) by an interceptor launched
// `delay_s` (>= 0) plus the reaction time from now: the earliest meeting of the straight-line
// target and an interceptor flying at its mean speed from the site. No meeting at all (a
// target outrunning the interceptor) is infeasible with that reason.
[[nodiscard]] Intercept predict_intercept(const FireUnitEnvelope& unit, const Eigen::Vector3d& pos,
                                          const Eigen::Vector3d& vel, double delay_s, const LineOfSight& los);

struct LaunchWindow {
  bool open = false;        // some launch time works
  double earliest_s = 0.0;  // launch times (from now) of the first and last feasible intercept,
  double latest_s = 0.0;    // scanned in steps of step_s over [reaction, reaction + horizon_s]
};
[[nodiscard]] LaunchWindow launch_window(const FireUnitEnvelope& unit, const Eigen::Vector3d& pos,
                                         const Eigen::Vector3d& vel, const LineOfSight& los,
                                         double horizon_s = 600.0, double step_s = 1.0);

}  // namespace jrads::engage
