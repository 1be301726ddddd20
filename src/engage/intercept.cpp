#include "jrads/engage/intercept.hpp"

#include "jrads/core/geodesy.hpp"

#include <cmath>
#include <cstdio>

namespace jrads::engage {

const char* to_string(FireUnitType t) noexcept {
  switch (t) {
    case FireUnitType::long_range: return "long_range";
    case FireUnitType::medium_range: return "medium_range";
    case FireUnitType::short_range: return "short_range";
    case FireUnitType::point_defence: return "point_defence";
  }
  return "?";
}

double height_m(const Eigen::Vector3d& p) noexcept {
  // The ellipsoid's radii of curvature differ from the mean radius by under 0.7 %.
  return p.z() + (p.x() * p.x() + p.y() * p.y()) / (2.0 * mean_earth_radius_m());
}

FireUnitEnvelope notional_envelope(FireUnitType type) noexcept {
  FireUnitEnvelope e;
  e.type = type;
  // Generic round numbers chosen for the simulation (docs/ENGAGE.md); no real system's.
  switch (type) {
    case FireUnitType::long_range:
      e.min_range_m = 5000.0, e.max_range_m = 120000.0, e.min_alt_m = 100.0, e.max_alt_m = 25000.0;
      e.interceptor_speed_mps = 1200.0, e.reaction_time_s = 15.0;
      break;
    case FireUnitType::medium_range:
      e.min_range_m = 3000.0, e.max_range_m = 40000.0, e.min_alt_m = 50.0, e.max_alt_m = 20000.0;
      e.interceptor_speed_mps = 1000.0, e.reaction_time_s = 10.0;
      break;
    case FireUnitType::short_range:
      e.min_range_m = 1000.0, e.max_range_m = 12000.0, e.min_alt_m = 15.0, e.max_alt_m = 8000.0;
      e.interceptor_speed_mps = 700.0, e.reaction_time_s = 6.0;
      break;
    case FireUnitType::point_defence:
      e.min_range_m = 300.0, e.max_range_m = 4000.0, e.min_alt_m = 5.0, e.max_alt_m = 3000.0;
      e.interceptor_speed_mps = 600.0, e.reaction_time_s = 3.0;
      break;
  }
  return e;
}

Result<void> validate(const FireUnitEnvelope& e) {
  const double all[] = {e.pos_enu.x(), e.pos_enu.y(), e.pos_enu.z(), e.min_range_m, e.max_range_m, e.min_alt_m,
                        e.max_alt_m,   e.interceptor_speed_mps, e.reaction_time_s};
  for (const double v : all) {
    if (!std::isfinite(v)) return fail(Errc::invalid_argument, "fire unit envelope: a value is not finite");
  }
  if (!(e.min_range_m >= 0.0 && e.min_range_m < e.max_range_m)) {
    return fail(Errc::invalid_argument, "fire unit envelope: ranges must satisfy 0 <= min_range_m < max_range_m");
  }
  if (!(e.min_alt_m < e.max_alt_m)) return fail(Errc::invalid_argument, "fire unit envelope: min_alt_m must be below max_alt_m");
  if (!(e.interceptor_speed_mps > 0.0)) return fail(Errc::invalid_argument, "fire unit envelope: interceptor_speed_mps must be > 0");
  if (!(e.reaction_time_s >= 0.0)) return fail(Errc::invalid_argument, "fire unit envelope: reaction_time_s must be >= 0");
  return {};
}

namespace {
std::string km(double m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f km", m / 1000.0);
  return buf;
}
std::string metres(double m) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f m", m);
  return buf;
}
}  // namespace

Intercept predict_intercept(const FireUnitEnvelope& u, const Eigen::Vector3d& pos, const Eigen::Vector3d& vel,
                            double delay_s, const LineOfSight& los) {
  Intercept out;
  out.launch_in_s = std::max(0.0, delay_s) + u.reaction_time_s;
  // Where the target is at launch, relative to the site; then |d + v tau| = speed tau.
  const Eigen::Vector3d d = pos + out.launch_in_s * vel - u.pos_enu;
  const double a = vel.squaredNorm() - u.interceptor_speed_mps * u.interceptor_speed_mps;
  const double b = 2.0 * d.dot(vel);
  const double c = d.squaredNorm();
  double tau = -1.0;
  if (std::abs(a) < 1e-9) {
    if (b < 0.0) tau = -c / b;  // as fast as the interceptor: meets it only coming closer
  } else {
    const double disc = b * b - 4.0 * a * c;
    if (disc >= 0.0) {
      const double s = std::sqrt(disc);
      const double r1 = (-b - s) / (2.0 * a), r2 = (-b + s) / (2.0 * a);
      const double lo = std::min(r1, r2), hi = std::max(r1, r2);
      tau = lo >= 0.0 ? lo : hi;  // the earliest meeting in the future
    }
  }
  if (!(tau >= 0.0) || !std::isfinite(tau)) {
    out.reasons.push_back("the interceptor cannot catch the target");
    return out;
  }
  out.fly_out_s = tau;
  out.intercept_in_s = out.launch_in_s + tau;
  out.point_enu = pos + out.intercept_in_s * vel;
  out.range_m = (out.point_enu - u.pos_enu).norm();
  if (out.range_m < u.min_range_m) out.reasons.push_back("intercept at " + km(out.range_m) + ", inside the minimum range " + km(u.min_range_m));
  if (out.range_m > u.max_range_m) out.reasons.push_back("intercept at " + km(out.range_m) + ", beyond the maximum range " + km(u.max_range_m));
  const double alt = height_m(out.point_enu);
  if (alt < u.min_alt_m) out.reasons.push_back("intercept at " + metres(alt) + ", below the minimum height " + metres(u.min_alt_m));
  if (alt > u.max_alt_m) out.reasons.push_back("intercept at " + metres(alt) + ", above the maximum height " + metres(u.max_alt_m));
  if (los && !los(u.pos_enu, out.point_enu)) out.reasons.push_back("no line of sight from the site to the intercept point");
  out.feasible = out.reasons.empty();
  return out;
}

LaunchWindow launch_window(const FireUnitEnvelope& u, const Eigen::Vector3d& pos, const Eigen::Vector3d& vel,
                           const LineOfSight& los, double horizon_s, double step_s) {
  LaunchWindow w;
  if (!(step_s > 0.0) || !(horizon_s >= 0.0)) return w;
  for (double delay = 0.0; delay <= horizon_s + 1e-9; delay += step_s) {
    const Intercept i = predict_intercept(u, pos, vel, delay, los);
    if (!i.feasible) {
      if (w.open) break;  // the first window only (one passing over the site opens another beyond the minimum range)
      continue;
    }
    if (!w.open) {
      w.open = true;
      w.earliest_s = i.launch_in_s;
    }
    w.latest_s = i.launch_in_s;
  }
  return w;
}

}  // namespace jrads::engage
