#pragma once
// Platform motion: waypoint following with bounded turn rate, climb rate and acceleration,
// optional terrain following, integrated in geodetic coordinates on the WGS84 ellipsoid
// (so Earth curvature is exact) and sampled on a fixed time grid. Private to world.
#include <deque>
#include <optional>
#include <vector>

#include "jrads/core/sim_time.hpp"
#include "jrads/world/platform.hpp"
#include "jrads/world/terrain.hpp"
#include "jrads/world/world.hpp"

namespace jrads::world {

// The continuous kinematic state the integrator carries between steps.
struct FlightState {
  std::int64_t t_ns = 0;     // exact, so that samples land on the grid
  double lat_deg = 0.0, lon_deg = 0.0, alt_m = 0.0;
  double speed_mps = 0.0;    // along the flight path
  double heading_deg = 0.0;  // clockwise from north
  double climb_mps = 0.0;    // vertical speed
  std::size_t next_wp = 1;   // index of the waypoint flown towards
  bool finished = false;
};

// Guidance and integration of one platform. step() is a pure function of the state, the
// platform and the terrain, so a trajectory is fully determined by its parameters.
class MotionModel {
 public:
  static constexpr std::int64_t dt_ns = 250'000'000;  // integration step; truth is sampled on a coarser grid
  MotionModel(const PlatformParams& p, const ElevationGrid& terrain);
  [[nodiscard]] FlightState initial() const noexcept;
  [[nodiscard]] FlightState step(const FlightState& s, std::int64_t step_ns) const noexcept;
  [[nodiscard]] PlatformState sample(const FlightState& s) const noexcept;

 private:
  [[nodiscard]] double target_alt_m(const FlightState& s, const Waypoint& wp) const noexcept;
  const PlatformParams& p_;
  const ElevationGrid& terrain_;
  std::vector<double> leg_bearing_deg_;  // [i]: direction of the leg from waypoint i to i + 1
};

// A grid sample with the rates of its geodetic coordinates (deg/s, deg/s, m/s), kept so
// that interpolation between samples costs no trigonometry.
struct Sample {
  PlatformState state;
  Eigen::Vector3d geo_rate = Eigen::Vector3d::Zero();
};

// Samples of one platform on the grid k * step_s, generated on demand and dropped when old.
class Trajectory {
 public:
  Trajectory(const PlatformParams& p, const ElevationGrid& terrain, double step_s);
  // Integrates until a sample at or after t exists or the platform has finished.
  void extend_to(SimTime t);
  // Forgets samples before t (keeps one at or before t for interpolation).
  void drop_before(SimTime t);
  [[nodiscard]] std::optional<PlatformState> state_at(SimTime t) const;
  [[nodiscard]] const PlatformState* sample_at(SimTime t) const noexcept;
  // Existence: from the first grid sample to the last one (the end is known once finished).
  [[nodiscard]] SimTime first_time() const noexcept { return first_; }
  [[nodiscard]] bool finished() const noexcept { return state_.finished; }
  [[nodiscard]] SimTime last_time() const noexcept;

 private:
  MotionModel model_;
  std::int64_t step_ns_;
  SimTime first_;
  FlightState state_;
  std::deque<Sample> samples_;
  SimTime last_sampled_;
  bool started_ = false;
};

}  // namespace jrads::world
