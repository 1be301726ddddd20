#pragma once
// Notional single-shot kill probability of a fire unit's interceptor against a threat class, at
// the geometry where they meet. Every number is generic and notional (docs/ENGAGE.md), invented
// for the simulation; no real system's data.
//
//   const Intercept i = predict_intercept(unit, track_pos, track_vel, 0.0, los);
//   const double pk = kill_probability(unit.type, ThreatClass::aircraft, geometry_of(unit, i, track_vel));
#include <array>

#include <Eigen/Core>

#include "jrads/core/result.hpp"
#include "jrads/engage/intercept.hpp"
#include "jrads/engage/threat_class.hpp"

namespace jrads::engage {

// Where an interceptor meets its target, as the kill probability needs it.
struct EngagementGeometry {
  double range_fraction = 0.0;   // slant range site -> intercept point / the envelope's max range, [0, 1]
  double aspect_deg = 0.0;       // target velocity vs the line intercept point -> site: 0 head-on, 90 crossing, 180 tail chase
  double intercept_alt_m = 0.0;  // intercept height above the ellipsoid
};

// Geometry of `intercept` of a target flying at `target_vel_enu` (region ENU, m/s). A target
// with no velocity, or an intercept at the site, has aspect 0. An infeasible intercept gets
// range_fraction = +inf, so its kill probability is 0.
[[nodiscard]] EngagementGeometry geometry_of(const FireUnitEnvelope& unit, const Intercept& intercept,
                                             const Eigen::Vector3d& target_vel_enu) noexcept;

// Notional kill-probability model; defaults tabled in docs/ENGAGE.md.
struct KillProbabilityParams {
  // Single-shot Pk at the best geometry: rows in FireUnitType order, columns aircraft,
  // cruise_missile, drone, ballistic_missile. ThreatClass::any takes the least of the row.
  std::array<std::array<double, 4>, 4> base = {{
      {0.85, 0.60, 0.50, 0.45},  // long_range
      {0.80, 0.65, 0.60, 0.25},  // medium_range
      {0.70, 0.70, 0.75, 0.10},  // short_range
      {0.50, 0.80, 0.85, 0.05},  // point_defence
  }};
  double edge_range_fraction = 0.7;  // beyond this fraction of max range Pk falls linearly ...
  double edge_factor = 0.5;          // ... to this factor at max range (the interceptor's energy runs out)
  double crossing_factor = 0.75;     // factor at 90 deg aspect and beyond: 1 - (1 - f) sin^2(aspect) up to 90 deg
  double low_alt_m = 150.0;          // below this intercept height the (radar-guided) Pk is multiplied ...
  double low_alt_factor = 0.8;       // ... by this factor (surface clutter)
};

// Errc::invalid_argument naming the field (also in Error::where.path), e.g.
// "base[point_defence][drone] = 1.5: must be in [0, 1]": a base not in [0, 1], a fraction not in
// (0, 1], a factor not in [0, 1], low_alt_m < 0; NaN and infinities fail every rule.
[[nodiscard]] Result<void> validate(const KillProbabilityParams& p);

// Single-shot kill probability in [0, 1]: base x range factor x aspect factor x low-height factor.
// 0 for a range fraction outside [0, 1], an aspect outside [0, 180] deg or non-finite input.
// `p` should pass validate(); pure.
[[nodiscard]] double kill_probability(FireUnitType unit, ThreatClass threat, const EngagementGeometry& g,
                                      const KillProbabilityParams& p = {}) noexcept;

}  // namespace jrads::engage
