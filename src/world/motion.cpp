#include <algorithm>
#include <cmath>
#include <limits>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/units.hpp"
#include "motion_impl.hpp"

namespace jrads::world {
namespace {

using units::deg_from_rad;
using units::rad_from_deg;

double wrap180(double deg) noexcept {
  deg = std::fmod(deg + 180.0, 360.0);
  if (deg < 0) deg += 360.0;
  return deg - 180.0;
}

// Local north/east offset (m) from a point to another, on the tangent plane of the first,
// given the radii of curvature there. Guidance needs only a direction and a distance that
// shrink to zero at the waypoint, so this first-order form is enough and costs no geodesic
// solve per step.
struct Offset {
  double north_m, east_m;
};
Offset offset_to(const Radii& r, double lat_deg, double lon_deg, double alt_m, double lat2_deg,
                 double lon2_deg) noexcept {
  return {rad_from_deg(lat2_deg - lat_deg) * (r.meridional_m + alt_m),
          rad_from_deg(wrap180(lon2_deg - lon_deg)) * (r.prime_vertical_m + alt_m) * std::cos(rad_from_deg(lat_deg))};
}
Offset offset_to(double lat_deg, double lon_deg, double alt_m, double lat2_deg, double lon2_deg) noexcept {
  return offset_to(radii_at(lat_deg), lat_deg, lon_deg, alt_m, lat2_deg, lon2_deg);
}

double bearing_deg(const Offset& o) noexcept { return deg_from_rad(std::atan2(o.east_m, o.north_m)); }

double alt_of(const Waypoint& wp, const ElevationGrid& terrain) noexcept {
  return wp.alt_m ? *wp.alt_m : terrain.height_m(wp.lat_deg, wp.lon_deg) + wp.agl_m.value_or(0.0);
}

// Terrain following. The guidance flies an altitude hold towards the "required altitude":
// the highest ground (plus its set height) over the route ahead, where ground reached after
// more than reaction_s is lowered by the height the platform gains by then climbing at
// plan_climb_fraction of its maximum climb rate. reaction_s covers the time the vertical
// acceleration limit needs to reach that climb rate and the lag of the hold, so a ridge is
// climbed early enough, and far ground needs looking at only while it could still matter.
constexpr double terrain_tau_s = 3.0;          // altitude-hold time constant, terrain following
constexpr double altitude_tau_s = 10.0;        // altitude-hold time constant, set altitude
constexpr double plan_climb_fraction = 0.75;   // of the maximum climb rate, for planning
constexpr double max_look_ahead_m = 150'000.0;  // beyond the reach of any climb credit that matters
// A turn's lead applies only when flying this straight at the waypoint (degrees).
constexpr double lead_alignment_deg = 10.0;

// A vertical-speed command towards an altitude error (m): first order with time constant
// tau_s, and never faster than lets the platform level off at the target with vertical
// acceleration accel_mps2 (so it does not overshoot).
double hold_climb_mps(double err_m, double tau_s, double accel_mps2) noexcept {
  const double mag = std::min(std::abs(err_m) / tau_s, std::sqrt(2.0 * accel_mps2 * std::abs(err_m)));
  return std::copysign(mag, err_m);
}

}  // namespace

MotionModel::MotionModel(const PlatformParams& p, const ElevationGrid& terrain) : p_(p), terrain_(terrain) {
  for (std::size_t i = 0; i + 1 < p.route.size(); ++i) {
    const Waypoint& a = p.route[i];
    const Waypoint& b = p.route[i + 1];
    const Offset o = offset_to(a.lat_deg, a.lon_deg, 0.0, b.lat_deg, b.lon_deg);
    leg_bearing_deg_.push_back(bearing_deg(o));
    leg_length_m_.push_back(std::hypot(o.north_m, o.east_m));
  }
  agl_ahead_max_m_.assign(p.route.size(), 0.0);
  double agl_max = 0.0;
  bool all_agl = true;
  for (std::size_t i = p.route.size(); i-- > 0;) {
    all_agl = all_agl && p.route[i].agl_m.has_value();
    agl_max = all_agl ? std::max(agl_max, *p.route[i].agl_m) : 0.0;
    agl_ahead_max_m_[i] = agl_max;
  }
  if (!terrain.empty()) {
    const double mid_lat_deg = 0.5 * (terrain.south_lat_deg() + terrain.north_lat_deg());
    const Radii r = radii_at(mid_lat_deg);
    cell_m_ = std::min(rad_from_deg(terrain.dlat_deg()) * r.meridional_m,
                       rad_from_deg(terrain.dlon_deg()) * r.prime_vertical_m * std::cos(rad_from_deg(mid_lat_deg)));
  }
}

FlightState MotionModel::initial() const noexcept {
  const Waypoint& a = p_.route[0];
  const Waypoint& b = p_.route[1];
  FlightState s;
  s.t_ns = SimTime::from_s(p_.start_time_s).ns();
  s.lat_deg = a.lat_deg;
  s.lon_deg = a.lon_deg;
  s.alt_m = alt_of(a, terrain_);
  s.speed_mps = b.speed_mps;
  s.heading_deg = bearing_deg(offset_to(a.lat_deg, a.lon_deg, s.alt_m, b.lat_deg, b.lon_deg));
  s.next_wp = 1;
  return s;
}

double MotionModel::terrain_climb_mps(const FlightState& s, double v_h, double climb_max_mps,
                                      double vert_accel_mps2) const noexcept {
  const double dt_s = static_cast<double>(dt_ns) * 1e-9;
  const double plan_mps = plan_climb_fraction * climb_max_mps;
  // Time to reach the maximum climb rate from the present vertical speed (longer when
  // descending), plus the hold's lag.
  const double reaction_s = std::max(climb_max_mps - s.climb_mps, 0.0) / vert_accel_mps2 + terrain_tau_s + dt_s;
  const double v = std::max(v_h, 1.0);
  double required_m = -std::numeric_limits<double>::infinity();
  double required_rate_mps = 0.0;  // how fast required_m rises as the platform flies on
  const auto consider = [&](double lat, double lon, double dist_m, double agl_m) {
    const double credit_s = std::max(dist_m / v - reaction_s, 0.0);
    const double need_m = terrain_.height_m(lat, lon) + agl_m - plan_mps * credit_s;
    if (need_m > required_m) {
      required_m = need_m;
      required_rate_mps = credit_s > 0.0 ? plan_mps : 0.0;
    }
  };
  // The hold, with the rise of the requirement fed forward so that it does not lag behind.
  const auto command = [&] {
    return hold_climb_mps(required_m - s.alt_m, terrain_tau_s, vert_accel_mps2) + required_rate_mps;
  };
  // Nothing beyond this can raise the requirement: the highest ground minus the climb credit.
  const double top_m = std::max(static_cast<double>(terrain_.max_height_m()), 0.0) + agl_ahead_max_m_[s.next_wp];
  const auto beyond_reach = [&](double dist_m) {
    return dist_m > max_look_ahead_m || top_m - plan_mps * std::max(dist_m / v - reaction_s, 0.0) <= required_m;
  };
  // Sample spacing: a grid cell or a step's flight near by, coarser far ahead where ground
  // matters less and is looked at again as it comes closer.
  const auto spacing_m = [&](double dist_m) { return std::max({cell_m_, v * dt_s, 0.1 * dist_m, 1.0}); };

  const Waypoint& wp = p_.route[s.next_wp];
  consider(s.lat_deg, s.lon_deg, 0.0, *wp.agl_m);
  // The next seconds along the present heading: while turning, the path leaves the route.
  const Radii r = radii_at(s.lat_deg);
  const double hdg = rad_from_deg(s.heading_deg);
  const double per_m_lat = deg_from_rad(1.0 / (r.meridional_m + s.alt_m));
  const double per_m_lon = deg_from_rad(1.0 / ((r.prime_vertical_m + s.alt_m) * std::cos(rad_from_deg(s.lat_deg))));
  const double near_m = v * reaction_s;
  for (double d = spacing_m(0.0); d <= near_m; d += spacing_m(d)) {
    consider(s.lat_deg + d * std::cos(hdg) * per_m_lat, s.lon_deg + d * std::sin(hdg) * per_m_lon, d, *wp.agl_m);
  }
  // Then along the route: straight to the next waypoint and on along the legs, while they are
  // terrain following (a leg at a set altitude ends the look-ahead).
  double lat0 = s.lat_deg, lon0 = s.lon_deg, walked = 0.0, d = spacing_m(0.0);
  for (std::size_t k = s.next_wp; k < p_.route.size() && p_.route[k].agl_m; ++k) {
    const Waypoint& to = p_.route[k];
    const Offset o = offset_to(r, lat0, lon0, s.alt_m, to.lat_deg, to.lon_deg);
    const double len = std::hypot(o.north_m, o.east_m);
    const double dlon = wrap180(to.lon_deg - lon0);
    const auto fraction = [&](double dist_m) { return len > 0.0 ? std::min((dist_m - walked) / len, 1.0) : 1.0; };
    while (d <= walked + len) {
      if (beyond_reach(d)) return command();
      // A stretch whose highest ground could not raise the requirement is passed over
      // unsampled: the same answer, without looking at each point.
      const double end = std::min(walked + len, d + std::max(8.0 * spacing_m(d), 0.25 * d));
      const double f0 = fraction(d), f1 = fraction(end);
      const double lat_a = lat0 + f0 * (to.lat_deg - lat0), lat_b = lat0 + f1 * (to.lat_deg - lat0);
      const double lon_a = lon0 + f0 * dlon, lon_b = lon0 + f1 * dlon;
      constexpr double pad_deg = 1e-9;
      const double top_here_m =
          terrain_.max_height_m(std::min(lat_a, lat_b) - pad_deg, std::min(lon_a, lon_b) - pad_deg,
                                std::max(lat_a, lat_b) + pad_deg, std::max(lon_a, lon_b) + pad_deg);
      const bool skip = top_here_m + *to.agl_m - plan_mps * std::max(d / v - reaction_s, 0.0) <= required_m;
      for (; d <= end; d += spacing_m(d)) {
        if (skip) continue;
        const double f = fraction(d);
        consider(lat0 + f * (to.lat_deg - lat0), lon0 + f * dlon, d, *to.agl_m);
      }
    }
    lat0 = to.lat_deg;
    lon0 = to.lon_deg;
    walked += len;
  }
  return command();
}

FlightState MotionModel::step(const FlightState& in, std::int64_t step_ns) const noexcept {
  FlightState s = in;
  const double dt = static_cast<double>(step_ns) * 1e-9;
  const Performance& perf = p_.performance;
  const double omega_dps = perf.max_turn_rate_dps;
  const double v_h = std::sqrt(std::max(s.speed_mps * s.speed_mps - s.climb_mps * s.climb_mps, 1e-6));
  const double turn_radius_m = v_h / rad_from_deg(omega_dps);

  // Waypoint sequencing. A waypoint is reached when within a step's flight, or within the
  // turn's lead distance while flying straight at it (so the turn is flown onto the next leg
  // instead of overshooting). The lead is that of a turn of at most 120 degrees, so that the
  // turn circle passes within one turn radius of the waypoint, and at most half of either
  // leg, so that no waypoint of a short leg is skipped; a platform still turning towards the
  // waypoint flies on towards it. A waypoint the platform has closed on and now leaves
  // behind within one turn radius counts as passed: it lay inside the turn circle, where it
  // would otherwise be orbited for ever. A waypoint not yet closed on is never passed (so
  // none is at the start): the platform turns back for it.
  const Radii radii = radii_at(s.lat_deg);
  Offset o{};
  for (;;) {
    const Waypoint& wp = p_.route[s.next_wp];
    o = offset_to(radii, s.lat_deg, s.lon_deg, s.alt_m, wp.lat_deg, wp.lon_deg);
    const double dist = std::hypot(o.north_m, o.east_m);
    const double to_wp_deg = bearing_deg(o);
    if (s.wp_dist_m >= 0.0 && dist < s.wp_dist_m) s.wp_closed = true;
    const double off_deg = std::abs(wrap180(to_wp_deg - s.heading_deg));
    const bool ahead = off_deg <= 90.0;
    const bool passed = s.wp_closed && !ahead && dist < turn_radius_m;
    const bool last = s.next_wp + 1 == p_.route.size();
    bool reached = dist <= v_h * dt || passed;
    if (!last) {
      const double turn_deg = std::abs(wrap180(leg_bearing_deg_[s.next_wp] - to_wp_deg));
      const double lead_m = std::min({turn_radius_m * std::tan(rad_from_deg(std::min(turn_deg, 120.0)) / 2.0),
                                      0.5 * leg_length_m_[s.next_wp - 1], 0.5 * leg_length_m_[s.next_wp]});
      reached = reached || (off_deg <= lead_alignment_deg && dist <= lead_m);
    }
    if (!reached) {
      s.wp_dist_m = dist;
      break;
    }
    if (last) {
      s.finished = true;
      return s;
    }
    ++s.next_wp;
    s.wp_dist_m = -1.0;
    s.wp_closed = false;
  }

  const Waypoint& wp = p_.route[s.next_wp];
  const double err = wrap180(bearing_deg(o) - s.heading_deg);
  s.heading_deg = wrap180(s.heading_deg + std::clamp(err, -omega_dps * dt, omega_dps * dt));

  // Speed, then flight-path angle, each within its own acceleration (see motion_impl.hpp).
  const double speed0 = s.speed_mps;
  const double gamma0 = speed0 > 0.0 ? std::asin(std::clamp(s.climb_mps / speed0, -1.0, 1.0)) : 0.0;
  s.speed_mps += std::clamp(wp.speed_mps - s.speed_mps, -perf.max_accel_mps2 * dt, perf.max_accel_mps2 * dt);
  const double speed = std::max(s.speed_mps, 1e-3);
  const double climb_max = std::min(perf.max_climb_mps, 0.9 * speed);
  const double pitch_accel = pitch_accel_mps2(perf);
  // Vertical acceleration available at the steepest climb, for guidance that must not count
  // on more.
  const double vert_accel = std::max(pitch_accel * std::sqrt(1.0 - (climb_max / speed) * (climb_max / speed)), 1e-6);
  const double climb_cmd = wp.agl_m ? terrain_climb_mps(s, v_h, climb_max, vert_accel)
                                    : hold_climb_mps(*wp.alt_m - s.alt_m, altitude_tau_s, vert_accel);
  const double gamma_cmd = std::asin(std::clamp(climb_cmd, -climb_max, climb_max) / speed);
  const double max_dgamma = pitch_accel * dt / speed;
  const double gamma = gamma0 + std::clamp(gamma_cmd - gamma0, -max_dgamma, max_dgamma);
  s.climb_mps = s.speed_mps * std::sin(gamma);

  const double v_horiz = s.speed_mps * std::cos(gamma);
  const double hdg = rad_from_deg(s.heading_deg);
  const double cos_lat = std::cos(rad_from_deg(s.lat_deg));
  s.lat_deg += deg_from_rad(v_horiz * std::cos(hdg) * dt / (radii.meridional_m + s.alt_m));
  s.lon_deg = wrap180(s.lon_deg + deg_from_rad(v_horiz * std::sin(hdg) * dt /
                                               ((radii.prime_vertical_m + s.alt_m) * cos_lat)));
  s.alt_m += s.climb_mps * dt;
  if (wp.agl_m) {
    // Safety net: a terrain follower never flies into the ground, even over ground steeper
    // than its climb performance allows for (a cliff in a DEM). The guidance above leaves it
    // unused in ordinary terrain; when it acts, it lifts the position but not the velocity,
    // outside the acceleration bound.
    s.alt_m = std::max(s.alt_m, terrain_.height_m(s.lat_deg, s.lon_deg) + 0.5 * *wp.agl_m);
  }
  s.t_ns += step_ns;
  return s;
}

PlatformState MotionModel::sample(const FlightState& s) const noexcept {
  PlatformState out;
  out.time = SimTime::from_ns(s.t_ns);
  out.pos = Geodetic{s.lat_deg, s.lon_deg, s.alt_m};
  out.pos_ecef = ecef_from_geodetic(out.pos);
  const double v_horiz = std::sqrt(std::max(s.speed_mps * s.speed_mps - s.climb_mps * s.climb_mps, 0.0));
  const double hdg = rad_from_deg(s.heading_deg);
  out.vel_enu = Eigen::Vector3d(v_horiz * std::sin(hdg), v_horiz * std::cos(hdg), s.climb_mps);
  out.vel_ecef = rot_enu_from_ecef(s.lat_deg, s.lon_deg).transpose() * out.vel_enu;
  return out;
}

Trajectory::Trajectory(const PlatformParams& p, const ElevationGrid& terrain, double step_s)
    : model_(p, terrain), step_ns_(SimTime::from_s(step_s).ns()), state_(model_.initial()) {
  JRADS_ASSERT(step_ns_ > 0 && step_ns_ % MotionModel::dt_ns == 0);
  // Align the integrator to its own grid first, so grid samples are hit exactly.
  const std::int64_t rem = ((state_.t_ns % MotionModel::dt_ns) + MotionModel::dt_ns) % MotionModel::dt_ns;
  if (rem != 0) state_ = model_.step(state_, MotionModel::dt_ns - rem);
  const std::int64_t first = (state_.t_ns + step_ns_ - 1) / step_ns_ * step_ns_;
  first_ = SimTime::from_ns(state_.t_ns >= 0 ? first : 0);
}

void Trajectory::extend_to(SimTime t) {
  while (!state_.finished && (!started_ || last_sampled_ < t)) {
    const bool on_grid = state_.t_ns % step_ns_ == 0 && state_.t_ns >= first_.ns();
    if (on_grid && (!started_ || state_.t_ns > last_sampled_.ns())) {
      Sample sample{model_.sample(state_), {}};
      const PlatformState& st = sample.state;
      const Radii r = radii_at(st.pos.lat_deg);
      sample.geo_rate = Eigen::Vector3d(
          deg_from_rad(st.vel_enu.y() / (r.meridional_m + st.pos.alt_m)),
          deg_from_rad(st.vel_enu.x() / ((r.prime_vertical_m + st.pos.alt_m) * std::cos(rad_from_deg(st.pos.lat_deg)))),
          st.vel_enu.z());
      samples_.push_back(sample);
      last_sampled_ = st.time;
      started_ = true;
      if (last_sampled_ >= t) break;
    }
    state_ = model_.step(state_, MotionModel::dt_ns);
  }
}

void Trajectory::drop_before(SimTime t) {
  while (samples_.size() >= 2 && samples_[1].state.time <= t) samples_.pop_front();
}

SimTime Trajectory::last_time() const noexcept {
  return started_ ? last_sampled_ : first_;
}

const PlatformState* Trajectory::sample_at(SimTime t) const noexcept {
  if (samples_.empty() || t < samples_.front().state.time || t > samples_.back().state.time) return nullptr;
  const auto k = static_cast<std::size_t>((t - samples_.front().state.time).ns() / step_ns_);
  const PlatformState& s = samples_[k].state;
  return s.time == t ? &s : nullptr;
}

std::optional<PlatformState> Trajectory::state_at(SimTime t) const {
  if (samples_.empty() || t < first_ || t > samples_.back().state.time) return std::nullopt;
  JRADS_ASSERT(t >= samples_.front().state.time);  // history was dropped that a caller still needs
  const std::int64_t since = (t - samples_.front().state.time).ns();
  const auto k = static_cast<std::size_t>(since / step_ns_);
  const Sample& a = samples_[k];
  if (k + 1 >= samples_.size() || a.state.time == t) return a.state;
  const Sample& b = samples_[k + 1];
  // Cubic Hermite between grid samples, positions and velocities both matched: the error of a
  // 1 s step on a 3 deg/s turn is well under a metre.
  const double h = static_cast<double>(step_ns_) * 1e-9;
  const double u = static_cast<double>(since - static_cast<std::int64_t>(k) * step_ns_) / static_cast<double>(step_ns_);
  const double u2 = u * u, u3 = u2 * u;
  const double h00 = 2 * u3 - 3 * u2 + 1, h10 = u3 - 2 * u2 + u, h01 = -2 * u3 + 3 * u2, h11 = u3 - u2;
  const double d00 = 6 * u2 - 6 * u, d10 = 3 * u2 - 4 * u + 1, d01 = -6 * u2 + 6 * u, d11 = 3 * u2 - 2 * u;
  PlatformState out;
  out.time = t;
  const Eigen::Vector3d pa = a.state.pos_ecef.vec(), pb = b.state.pos_ecef.vec();
  out.pos_ecef = Ecef::from(h00 * pa + h10 * h * a.state.vel_ecef + h01 * pb + h11 * h * b.state.vel_ecef);
  out.vel_ecef = (d00 * pa + d01 * pb) / h + d10 * a.state.vel_ecef + d11 * b.state.vel_ecef;
  // Geodetic by the same interpolation on (lat, lon, alt) with their stored rates, which
  // avoids an iterative ECEF-to-geodetic solve per query.
  const Eigen::Vector3d ga(a.state.pos.lat_deg, a.state.pos.lon_deg, a.state.pos.alt_m);
  Eigen::Vector3d gb(b.state.pos.lat_deg, b.state.pos.lon_deg, b.state.pos.alt_m);
  gb.y() = ga.y() + wrap180(gb.y() - ga.y());
  const Eigen::Vector3d g = h00 * ga + h10 * h * a.geo_rate + h01 * gb + h11 * h * b.geo_rate;
  out.pos = Geodetic{g.x(), wrap180(g.y()), g.z()};
  // The local frame turns by microradians within a second: interpolating the ENU velocity
  // directly is as good as rotating the ECEF one.
  out.vel_enu = (1 - u) * a.state.vel_enu + u * b.state.vel_enu;
  return out;
}

}  // namespace jrads::world
