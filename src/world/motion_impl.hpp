#pragma once
// Platform motion: waypoint following with bounded turn rate, climb rate and acceleration,
// optional terrain following, integrated in geodetic coordinates on the WGS84 ellipsoid
// (so Earth curvature is exact) and sampled on a fixed time grid. Private to world.
//
// Acceleration bound. The velocity is (speed V, flight-path angle gamma, heading psi). Per
// integration step dt, V changes by at most a_t dt (a_t = max_accel_mps2), gamma by at most
// a_p dt / V (a_p = pitch_accel_mps2() in platform.hpp, the normal acceleration for climbing
// and levelling off) and psi by at most omega dt (omega = max_turn_rate_dps). The three
// changes move the velocity vector by chords no longer than a_t dt, a_p dt and
// V cos(gamma) omega dt, so over any interval T on the integration grid
//     |v(t + T) - v(t)| <= (a_t + a_p + omega * max V cos(gamma)) * T
// (vector difference; the maximum over the interval), and the vertical speed V sin(gamma)
// changes by at most (a_t + a_p) T. The one exception is the terrain follower's floor (see
// step()): a safety net that lifts the position, not the velocity, and that the guidance is
// built never to need.
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
  double climb_mps = 0.0;    // vertical speed, V sin(flight-path angle)
  std::size_t next_wp = 1;   // index of the waypoint flown towards
  double wp_dist_m = -1.0;   // horizontal distance to next_wp after the last step; < 0: none yet
  bool wp_closed = false;    // the distance to next_wp has decreased since it became the target
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
  // The vertical speed the terrain follower wants now (m/s), from the ground ahead.
  [[nodiscard]] double terrain_climb_mps(const FlightState& s, double v_h, double climb_max_mps,
                                          double vert_accel_mps2) const noexcept;
  const PlatformParams& p_;
  const ElevationGrid& terrain_;
  std::vector<double> leg_bearing_deg_;  // [i]: direction of the leg from waypoint i to i + 1
  std::vector<double> leg_length_m_;     // [i]: length of the leg from waypoint i to i + 1
  std::vector<double> agl_ahead_max_m_;  // [i]: the largest agl_m of waypoints i.. while they all have one
  double cell_m_ = 0.0;                  // terrain grid spacing, metres (0: flat terrain)
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
