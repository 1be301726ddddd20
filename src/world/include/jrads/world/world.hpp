#pragma once
// Truth: every platform's kinematic state over time. The world integrates each platform's
// motion ahead in windows and keeps a short history of 1 s samples, so a sensor can ask for
// the state at any instant of the recent past (cubic Hermite interpolation in ECEF).
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/id.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/world/platform.hpp"
#include "jrads/world/terrain.hpp"

namespace jrads::world {

struct DefendedAssetParams {
  std::string id;
  std::string name;
  double lat_deg = 0.0;
  double lon_deg = 0.0;
  double radius_m = 5000.0;
  int priority = 1;  // 1 = highest
};

struct PlatformState {
  SimTime time;
  Ecef pos_ecef;
  Eigen::Vector3d vel_ecef = Eigen::Vector3d::Zero();
  Geodetic pos;                                          // the same position, geodetic
  Eigen::Vector3d vel_enu = Eigen::Vector3d::Zero();     // at the platform's own position
};

struct WorldParams {
  double duration_s = 3600.0;
  double truth_step_s = 1.0;   // truth sample spacing (<= 1 s)
  std::vector<PlatformParams> platforms;
  std::vector<DefendedAssetParams> defended_assets;
};

// The motion of one platform, integrated ahead on demand.
class Trajectory;

// Read-only view used by sensors. Valid for times within the retained history
// [history_start(), now()].
class WorldView {
 public:
  virtual ~WorldView() = default;
  [[nodiscard]] virtual const ElevationGrid& terrain() const noexcept = 0;
  [[nodiscard]] virtual std::size_t platform_count() const noexcept = 0;
  [[nodiscard]] virtual const PlatformParams& platform(PlatformIndex i) const noexcept = 0;
  // The platform's state at t, or nothing when it does not exist at t.
  [[nodiscard]] virtual std::optional<PlatformState> state_at(PlatformIndex i, SimTime t) const = 0;
  // Whether the platform exists at some time in [t0, t1] (cheap: a pre-filter for sensors).
  [[nodiscard]] virtual bool alive_during(PlatformIndex i, SimTime t0, SimTime t1) const noexcept = 0;
};

class World final : public WorldView {
 public:
  World(WorldParams params, ElevationGrid terrain);
  ~World() override;
  World(World&&) noexcept;
  World& operator=(World&&) noexcept;

  // Integrates every platform up to t (monotone) and drops history older than t - keep_s.
  void advance_to(SimTime t, double keep_s);
  [[nodiscard]] SimTime now() const noexcept { return now_; }
  [[nodiscard]] const WorldParams& params() const noexcept { return params_; }

  // Ends the platform's existence at t (destroyed): from t on, state_at returns nothing,
  // alive_during is false for intervals that start at or after t, samples_at leaves it out.
  // Destroying an already destroyed platform keeps the earlier time. t may be in the past
  // or future of now(); the platform is no longer integrated beyond it.
  void destroy(PlatformIndex i, SimTime t);
  // When the platform was destroyed, if it was.
  [[nodiscard]] std::optional<SimTime> destroyed_at(PlatformIndex i) const noexcept;

  // The truth samples of every live platform at exactly t (a multiple of truth_step_s, within
  // the retained history), in platform order.
  [[nodiscard]] std::vector<std::pair<PlatformIndex, PlatformState>> samples_at(SimTime t) const;

  [[nodiscard]] const ElevationGrid& terrain() const noexcept override { return terrain_; }
  [[nodiscard]] std::size_t platform_count() const noexcept override { return params_.platforms.size(); }
  [[nodiscard]] const PlatformParams& platform(PlatformIndex i) const noexcept override {
    return params_.platforms[i.value()];
  }
  [[nodiscard]] std::optional<PlatformState> state_at(PlatformIndex i, SimTime t) const override;
  [[nodiscard]] bool alive_during(PlatformIndex i, SimTime t0, SimTime t1) const noexcept override;

 private:
  WorldParams params_;
  ElevationGrid terrain_;
  std::vector<std::unique_ptr<Trajectory>> trajectories_;
  std::vector<std::optional<SimTime>> destroyed_;  // [i]: platform i's destruction time, if any
  SimTime now_;
};

}  // namespace jrads::world
