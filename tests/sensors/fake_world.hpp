#pragma once
// A small WorldView for the sensor tests: platforms in straight-line ECEF motion (or standing
// still) over a given terrain, each existing within [t_begin, t_end]. No integration, no
// history limits: the tests control the geometry exactly.
#include <cmath>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/units.hpp"
#include "jrads/world/world.hpp"

namespace jrads::sensors::testing {

class FakeWorld final : public world::WorldView {
 public:
  explicit FakeWorld(world::ElevationGrid terrain = world::ElevationGrid::constant(0.0))
      : terrain_(std::move(terrain)) {}

  // Adds a platform at `start` at t_begin_s, moving with the constant ENU velocity vel_enu
  // (taken at its start point; the motion is a straight line in ECEF).
  PlatformIndex add(world::PlatformParams params, const Geodetic& start,
                    const Eigen::Vector3d& vel_enu = Eigen::Vector3d::Zero(), double t_begin_s = 0.0,
                    double t_end_s = 1e9) {
    if (params.id.empty()) params.id = "P" + std::to_string(params_.size());
    params_.push_back(std::move(params));
    const LocalFrame frame(start);
    motions_.push_back(Motion{ecef_from_geodetic(start).vec(), frame.ecef_from_enu_vec(vel_enu), t_begin_s, t_end_s});
    return PlatformIndex(static_cast<std::uint32_t>(params_.size() - 1));
  }

  [[nodiscard]] const world::ElevationGrid& terrain() const noexcept override { return terrain_; }
  [[nodiscard]] std::size_t platform_count() const noexcept override { return params_.size(); }
  [[nodiscard]] const world::PlatformParams& platform(PlatformIndex i) const noexcept override {
    return params_[i.value()];
  }
  [[nodiscard]] std::optional<world::PlatformState> state_at(PlatformIndex i, SimTime t) const override {
    ++queries_;
    if (t < history_begin_ || t > history_end_) ++outside_history_;
    const Motion& m = motions_[i.value()];
    const double ts = t.s();
    if (ts < m.t_begin_s || ts > m.t_end_s) return std::nullopt;
    world::PlatformState s;
    s.time = t;
    s.pos_ecef = Ecef::from(m.start_ecef + m.vel_ecef * (ts - m.t_begin_s));
    s.vel_ecef = m.vel_ecef;
    s.pos = geodetic_from_ecef(s.pos_ecef);
    s.vel_enu = rot_enu_from_ecef(s.pos.lat_deg, s.pos.lon_deg) * m.vel_ecef;
    return s;
  }
  [[nodiscard]] bool alive_during(PlatformIndex i, SimTime t0, SimTime t1) const noexcept override {
    const Motion& m = motions_[i.value()];
    return m.t_begin_s <= t1.s() && m.t_end_s >= t0.s();
  }
  [[nodiscard]] std::size_t queries() const noexcept { return queries_; }
  // Declares the history a real world would hold; queries outside it are counted.
  void set_history(SimTime begin, SimTime end) {
    history_begin_ = begin;
    history_end_ = end;
  }
  [[nodiscard]] std::size_t queries_outside_history() const noexcept { return outside_history_; }
  [[nodiscard]] world::PlatformParams& params(PlatformIndex i) { return params_[i.value()]; }

 private:
  struct Motion {
    Eigen::Vector3d start_ecef;
    Eigen::Vector3d vel_ecef;
    double t_begin_s, t_end_s;
  };
  world::ElevationGrid terrain_;
  std::vector<world::PlatformParams> params_;
  std::vector<Motion> motions_;
  mutable std::size_t queries_ = 0;
  mutable std::size_t outside_history_ = 0;
  SimTime history_begin_ = SimTime::from_ns(std::numeric_limits<std::int64_t>::min());
  SimTime history_end_ = SimTime::from_ns(std::numeric_limits<std::int64_t>::max());
};

// The point at ground distance ground_m along azimuth az_deg from `from`, at height alt_m.
inline Geodetic point_from(const Geodetic& from, double az_deg, double ground_m, double alt_m) {
  Geodetic g = geodesic_direct(from, az_deg, ground_m);
  g.alt_m = alt_m;
  return g;
}

// A platform with the given mean RCS and Swerling case and nothing else.
inline world::PlatformParams target(double rcs_dbsm = 10.0, int swerling = 1,
                                    world::Category category = world::Category::civil) {
  world::PlatformParams p;
  p.rcs_dbsm = rcs_dbsm;
  p.swerling = swerling;
  p.category = category;
  return p;
}

// Two-sided check of an observed count of successes against probability p over n trials:
// true when |k/n - p| is within z binomial standard deviations (plus one count of slack).
inline bool within_binomial(std::size_t k, std::size_t n, double p, double z = 4.0) {
  const double nn = static_cast<double>(n);
  return std::abs(static_cast<double>(k) / nn - p) <= z * std::sqrt(p * (1.0 - p) / nn) + 1.0 / nn;
}

// A terrain grid around (lat0, lon0) that is flat at base_m except a straight east-west wall
// of height wall_m whose southern face lies north_m north of the centre, wall_depth_m deep.
inline world::ElevationGrid wall_terrain(double lat0, double lon0, double north_m, double wall_depth_m, double wall_m,
                                         double base_m = 0.0) {
  const double m_per_deg_lat = radii_at(lat0).meridional_m * units::rad_per_deg;
  const double dlat = 400.0 / m_per_deg_lat, dlon = 0.008;
  const int rows = 501, cols = 251;  // 200 km x ~160 km at 45 deg
  const double south = lat0 - 250 * dlat, west = lon0 - 125 * dlon;
  std::vector<float> h(static_cast<std::size_t>(rows * cols), static_cast<float>(base_m));
  for (int r = 0; r < rows; ++r) {
    const double y_m = (south + r * dlat - lat0) * m_per_deg_lat;
    if (y_m >= north_m && y_m <= north_m + wall_depth_m) {
      for (int c = 0; c < cols; ++c) h[static_cast<std::size_t>(r * cols + c)] = static_cast<float>(wall_m);
    }
  }
  return world::ElevationGrid(south, west, dlat, dlon, rows, cols, std::move(h));
}

}  // namespace jrads::sensors::testing
