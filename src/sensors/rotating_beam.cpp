#include "jrads/sensors/rotating_beam.hpp"

#include <algorithm>
#include <cmath>

#include "jrads/core/result.hpp"
#include "jrads/core/units.hpp"

namespace jrads::sensors {

RotatingBeam::RotatingBeam(double scan_period_s, double start_azimuth_deg)
    : period_ns_(std::llround(scan_period_s * 1e9)), start_azimuth_deg_(wrap_360(start_azimuth_deg)) {
  JRADS_ASSERT(period_ns_ > 0);
}

std::int64_t RotatingBeam::first_scan_ending_at_or_after(SimTime t) const noexcept {
  // Smallest k with (k + 1) P >= t, i.e. k = ceil(t / P) - 1, with floor division for t < 0.
  const std::int64_t ns = t.ns();
  std::int64_t q = ns / period_ns_;
  if (ns % period_ns_ != 0 && ns > 0) ++q;  // ceil for positive t; truncation is ceil for negative t
  return q - 1;
}

double RotatingBeam::azimuth_deg(SimTime t) const noexcept {
  std::int64_t r = t.ns() % period_ns_;
  if (r < 0) r += period_ns_;
  return wrap_360(start_azimuth_deg_ + 360.0 * static_cast<double>(r) / static_cast<double>(period_ns_));
}

SimTime RotatingBeam::crossing_time(std::int64_t k, double azimuth_deg) const noexcept {
  const double frac = wrap_360(azimuth_deg - start_azimuth_deg_) / 360.0;
  std::int64_t off = std::llround(frac * static_cast<double>(period_ns_));
  if (off >= period_ns_) off = period_ns_ - 1;
  return SimTime::from_ns(k * period_ns_ + off);
}

std::optional<BeamHit> find_beam_hit(const RotatingBeam& beam, std::int64_t k, const SensorSite& site,
                                     const world::WorldView& world, PlatformIndex i, double reach_m) {
  const SimTime t_start = beam.scan_start(k);
  const SimTime t_last = beam.scan_end(k) - SimTime::from_ns(1);
  if (!world.alive_during(i, t_start, t_last)) return std::nullopt;
  // A first position anywhere in the scan serves the cull; a platform may appear mid-scan.
  std::optional<world::PlatformState> s = world.state_at(i, t_start);
  if (!s) s = world.state_at(i, SimTime::from_ns((t_start.ns() + t_last.ns()) / 2));
  if (!s) s = world.state_at(i, t_last);
  if (!s) return std::nullopt;
  // Wherever it is crossed, the platform is within about speed * P of this position (the margin
  // covers a scan's worth of acceleration).
  const double reach = reach_m + (s->vel_ecef.norm() + 50.0) * beam.period().s();
  if (site.distance2_m2(s->pos_ecef) > reach * reach) return std::nullopt;

  // Solve beam_az(t) = target_az(t) by Newton's method, the target's azimuth rate coming from
  // its velocity: straight flight is linear in ECEF, so one state query at the first guess
  // usually confirms it. Queries stay inside the scan, so the world need keep no more history
  // than the scan itself: an iterate leaving it means the nearest crossing lies outside.
  const SimTime period = beam.period();
  const double beam_dps = 360.0 / period.s();
  constexpr double tolerance_s = 1e-4;
  const LocalFrame& frame = site.frame();
  // How fast the beam closes on the target (deg/s); a target turning almost as fast as the beam
  // (fast and very close) falls back to the beam's own rate, which still converges, slowly.
  const auto closing_dps = [&](const Enu& p, const Eigen::Vector3d& vel_ecef) {
    const Eigen::Vector3d v = frame.enu_from_ecef_vec(vel_ecef);
    const double h2 = p.e_m * p.e_m + p.n_m * p.n_m;
    const double target_dps = h2 > 1.0 ? units::deg_from_rad((p.n_m * v.x() - p.e_m * v.y()) / h2) : 0.0;
    const double closing = beam_dps - target_dps;
    return closing > 0.2 * beam_dps ? closing : beam_dps;
  };
  const auto clamp_to_scan = [&](SimTime t) { return std::clamp(t, t_start, t_last); };
  // On failure, `outside` holds where the iteration wanted to go beyond the scan (or stays at
  // the scan's start when it simply did not converge).
  auto solve = [&](SimTime t, SimTime& outside) -> std::optional<BeamHit> {
    outside = t_start;
    for (int iter = 0; iter < 8; ++iter) {
      const std::optional<world::PlatformState> st = world.state_at(i, t);
      if (!st) return std::nullopt;
      const Enu enu = frame.enu_from_ecef(st->pos_ecef);
      const double f = std::remainder(azimuth_deg_of(enu) - beam.azimuth_deg(t), 360.0);
      if (std::abs(f) <= tolerance_s * beam_dps) return BeamHit{*st, enu, polar_from_enu(enu)};
      const SimTime next = t + SimTime::from_s(f / closing_dps(enu, st->vel_ecef));
      // A step out of the scan from its very edge: the crossing is not in this scan's reach.
      if ((next < t_start && t == t_start) || (next > t_last && t == t_last)) {
        outside = next;
        return std::nullopt;
      }
      t = clamp_to_scan(next);
    }
    return std::nullopt;  // a target circling the antenna about as fast as the beam
  };
  // First guess from the cull's state: the beam turns to the target's azimuth while the target
  // moves on.
  const Enu enu0 = frame.enu_from_ecef(s->pos_ecef);
  const double ahead_deg = wrap_360(azimuth_deg_of(enu0) - beam.azimuth_deg(s->time));
  const SimTime guess = s->time + SimTime::from_s(ahead_deg / closing_dps(enu0, s->vel_ecef));
  SimTime outside;
  std::optional<BeamHit> hit = solve(clamp_to_scan(guess), outside);
  if (hit || (outside >= t_start && outside <= t_last)) return hit;
  // The nearest crossing belongs to a neighbouring scan. Unless the target slipped across the
  // scan's seam against the beam's direction (then this scan has no crossing), the crossing a
  // turn later or earlier is this scan's.
  return solve(clamp_to_scan(outside < t_start ? outside + period : outside - period), outside);
}

}  // namespace jrads::sensors
