#include "jrads/engage/kill_probability.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <limits>
#include <numbers>
#include <string>
#include <utility>

namespace jrads::engage {
namespace {

constexpr double kDegPerRad = 180.0 / std::numbers::pi;

Unexpected field_error(std::string path, double v, const char* rule) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  Location where;
  where.path = path;
  return fail(Errc::invalid_argument, std::move(path) + " = " + buf + ": " + rule, std::move(where));
}

bool in_unit_interval(double v) noexcept { return v >= 0.0 && v <= 1.0; }  // false for NaN

}  // namespace

EngagementGeometry geometry_of(const FireUnitEnvelope& unit, const Intercept& intercept,
                               const Eigen::Vector3d& target_vel_enu) noexcept {
  EngagementGeometry g;
  const Eigen::Vector3d to_site = unit.pos_enu - intercept.point_enu;
  const double range_m = to_site.norm();
  g.range_fraction = intercept.feasible ? range_m / unit.max_range_m : std::numeric_limits<double>::infinity();
  g.intercept_alt_m = height_m(intercept.point_enu);  // the same height the envelope check uses
  const double speed_mps = target_vel_enu.norm();
  if (speed_mps > 0.0 && range_m > 0.0) {
    const double cos_aspect = to_site.dot(target_vel_enu) / (range_m * speed_mps);
    g.aspect_deg = std::acos(std::clamp(cos_aspect, -1.0, 1.0)) * kDegPerRad;
  }
  return g;
}

Result<void> validate(const KillProbabilityParams& p) {
  for (std::size_t u = 0; u < p.base.size(); ++u) {
    for (std::size_t c = 0; c < p.base[u].size(); ++c) {
      const double v = p.base[u][c];
      if (!in_unit_interval(v)) {
        return field_error(std::string("base[") + to_string(static_cast<FireUnitType>(u)) + "][" +
                               to_string(static_cast<ThreatClass>(c + 1)) + "]",
                           v, "must be in [0, 1]");
      }
    }
  }
  if (!(p.edge_range_fraction > 0.0 && p.edge_range_fraction <= 1.0)) {
    return field_error("edge_range_fraction", p.edge_range_fraction, "must be in (0, 1]");
  }
  if (!in_unit_interval(p.edge_factor)) return field_error("edge_factor", p.edge_factor, "must be in [0, 1]");
  if (!in_unit_interval(p.crossing_factor)) return field_error("crossing_factor", p.crossing_factor, "must be in [0, 1]");
  if (!(p.low_alt_m >= 0.0 && std::isfinite(p.low_alt_m))) {
    return field_error("low_alt_m", p.low_alt_m, "must be finite and >= 0");
  }
  if (!in_unit_interval(p.low_alt_factor)) return field_error("low_alt_factor", p.low_alt_factor, "must be in [0, 1]");
  return {};
}

double kill_probability(FireUnitType unit, ThreatClass threat, const EngagementGeometry& g,
                        const KillProbabilityParams& p) noexcept {
  const auto row = static_cast<std::size_t>(unit);
  if (row >= p.base.size()) return 0.0;
  const auto& pk_row = p.base[row];
  double base = 0.0;
  if (threat == ThreatClass::any) {
    base = *std::min_element(pk_row.begin(), pk_row.end());  // unknown class: assume the hardest
  } else {
    const auto col = static_cast<std::size_t>(threat) - 1;
    if (col >= pk_row.size()) return 0.0;
    base = pk_row[col];
  }
  const double r = g.range_fraction;
  const double aspect_deg = g.aspect_deg;
  if (!in_unit_interval(r) || !(aspect_deg >= 0.0 && aspect_deg <= 180.0) || !std::isfinite(g.intercept_alt_m)) {
    return 0.0;
  }
  const double e = p.edge_range_fraction;
  const double range_factor = r <= e ? 1.0 : 1.0 - (1.0 - p.edge_factor) * (r - e) / (1.0 - e);
  // sin^2 has zero slope at 90 deg, so the fall to the crossing factor joins the plateau smoothly.
  const double s = std::sin(aspect_deg / kDegPerRad);
  const double aspect_factor = aspect_deg <= 90.0 ? 1.0 - (1.0 - p.crossing_factor) * s * s : p.crossing_factor;
  const double alt_factor = g.intercept_alt_m < p.low_alt_m ? p.low_alt_factor : 1.0;
  const double pk = base * range_factor * aspect_factor * alt_factor;
  return pk >= 0.0 ? std::min(pk, 1.0) : 0.0;  // invalid params: still a probability, NaN -> 0
}

}  // namespace jrads::engage
