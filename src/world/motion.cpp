#include <algorithm>
#include <cmath>

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

}  // namespace

MotionModel::MotionModel(const PlatformParams& p, const ElevationGrid& terrain) : p_(p), terrain_(terrain) {
  for (std::size_t i = 0; i + 1 < p.route.size(); ++i) {
    const Waypoint& a = p.route[i];
    const Waypoint& b = p.route[i + 1];
    leg_bearing_deg_.push_back(bearing_deg(offset_to(a.lat_deg, a.lon_deg, 0.0, b.lat_deg, b.lon_deg)));
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

double MotionModel::target_alt_m(const FlightState& s, const Waypoint& wp) const noexcept {
  if (!wp.agl_m) return *wp.alt_m;
  // Terrain following: hold the set height above the highest ground over the next ~12 s of
  // flight, so the climb starts before a ridge rather than at it.
  const Radii r = radii_at(s.lat_deg);
  const double hdg = rad_from_deg(s.heading_deg);
  const double per_m_lat = deg_from_rad(1.0 / (r.meridional_m + s.alt_m));
  const double per_m_lon = deg_from_rad(1.0 / ((r.prime_vertical_m + s.alt_m) * std::cos(rad_from_deg(s.lat_deg))));
  double ground = terrain_.height_m(s.lat_deg, s.lon_deg);
  for (const double ahead_s : {2.0, 4.0, 8.0, 12.0}) {
    const double d = s.speed_mps * ahead_s;
    ground = std::max(ground, terrain_.height_m(s.lat_deg + d * std::cos(hdg) * per_m_lat,
                                                s.lon_deg + d * std::sin(hdg) * per_m_lon));
  }
  return ground + *wp.agl_m;
}

FlightState MotionModel::step(const FlightState& in, std::int64_t step_ns) const noexcept {
  FlightState s = in;
  const double dt = static_cast<double>(step_ns) * 1e-9;
  const Performance& perf = p_.performance;
  const double omega_dps = perf.max_turn_rate_dps;
  const double v_h = std::sqrt(std::max(s.speed_mps * s.speed_mps - s.climb_mps * s.climb_mps, 1e-6));
  const double turn_radius_m = v_h / rad_from_deg(omega_dps);

  // Waypoint sequencing: switch legs early by the turn's lead distance so the turn is flown
  // onto the next leg instead of overshooting; a waypoint inside the turn circle behind the
  // platform counts as passed (otherwise it would orbit it for ever).
  const Radii radii = radii_at(s.lat_deg);
  Offset o{};
  for (;;) {
    const Waypoint& wp = p_.route[s.next_wp];
    o = offset_to(radii, s.lat_deg, s.lon_deg, s.alt_m, wp.lat_deg, wp.lon_deg);
    const double dist = std::hypot(o.north_m, o.east_m);
    const double to_wp_deg = bearing_deg(o);
    const bool behind = dist < 2.0 * turn_radius_m && std::abs(wrap180(to_wp_deg - s.heading_deg)) > 90.0;
    const bool last = s.next_wp + 1 == p_.route.size();
    if (last) {
      if (dist <= v_h * dt || behind) {
        s.finished = true;
        return s;
      }
      break;
    }
    const double turn_deg = std::abs(wrap180(leg_bearing_deg_[s.next_wp] - to_wp_deg));
    const double lead_m = turn_radius_m * std::tan(rad_from_deg(std::min(turn_deg, 150.0)) / 2.0);
    if (dist <= std::max(lead_m, v_h * dt) || behind) {
      ++s.next_wp;
      continue;
    }
    break;
  }

  const Waypoint& wp = p_.route[s.next_wp];
  const double err = wrap180(bearing_deg(o) - s.heading_deg);
  s.heading_deg = wrap180(s.heading_deg + std::clamp(err, -omega_dps * dt, omega_dps * dt));
  s.speed_mps += std::clamp(wp.speed_mps - s.speed_mps, -perf.max_accel_mps2 * dt, perf.max_accel_mps2 * dt);
  // First-order altitude hold; faster for terrain following.
  const double tau_s = wp.agl_m ? 3.0 : 10.0;
  const double climb_cmd = (target_alt_m(s, wp) - s.alt_m) / tau_s;
  s.climb_mps = std::clamp(climb_cmd, -perf.max_climb_mps, perf.max_climb_mps);
  s.climb_mps = std::clamp(s.climb_mps, -0.9 * s.speed_mps, 0.9 * s.speed_mps);

  const double v_horiz = std::sqrt(std::max(s.speed_mps * s.speed_mps - s.climb_mps * s.climb_mps, 0.0));
  const double hdg = rad_from_deg(s.heading_deg);
  const double cos_lat = std::cos(rad_from_deg(s.lat_deg));
  s.lat_deg += deg_from_rad(v_horiz * std::cos(hdg) * dt / (radii.meridional_m + s.alt_m));
  s.lon_deg = wrap180(s.lon_deg + deg_from_rad(v_horiz * std::sin(hdg) * dt /
                                               ((radii.prime_vertical_m + s.alt_m) * cos_lat)));
  s.alt_m += s.climb_mps * dt;
  if (wp.agl_m) {
    // A terrain follower never flies into the ground: its pull-up is not limited by the climb
    // rate of its cruise profile (a documented simplification of its autopilot).
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
