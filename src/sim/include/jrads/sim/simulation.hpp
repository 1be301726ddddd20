#pragma once
// The simulation loop: advances the world window by window, lets every sensor observe it,
// and hands truth and time-sorted reports to sinks (CSV files, statistics). Deterministic:
// the same inputs and seed give the same calls with the same values.
#include <functional>
#include <span>
#include <utility>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/core/rng.hpp"
#include "jrads/sensors/detection.hpp"
#include "jrads/sensors/sensor_params.hpp"
#include "jrads/sensors/sensor_suite.hpp"
#include "jrads/world/terrain.hpp"
#include "jrads/world/world.hpp"

namespace jrads::sim {

// Receives the run's output in time order. Each call's items are sorted by time and come
// after every item of earlier calls of the same kind.
class SimulationSink {
 public:
  virtual ~SimulationSink() = default;
  virtual void on_start(const std::vector<sensors::SensorInfo>& sensors, const world::World& world) = 0;
  virtual void on_truth(SimTime t, std::span<const std::pair<PlatformIndex, world::PlatformState>> samples) = 0;
  virtual void on_detections(std::span<const sensors::Detection> detections) = 0;
  virtual void on_finish() = 0;
  // A sink that can no longer do its work (a write failed) stops the run early; on_finish is
  // still called.
  [[nodiscard]] virtual bool failed() const { return false; }
};

struct SimulationInput {
  world::WorldParams world;
  world::ElevationGrid terrain;
  std::vector<sensors::SensorParams> sensors;
  sensors::AdsbBroadcastParams adsb;
};

struct SimulationOptions {
  std::uint64_t seed = 1;
  double window_s = 60.0;  // processing chunk; does not change the output
  // Called after each window with the fraction of simulated time done (for progress bars).
  std::function<void(double)> progress;
  // Hooks of a closed-loop run (`jrads run`). before_observe: after the world has advanced to
  // the window's end [t0, t1), before the window's truth samples and observation, so that a
  // platform destroyed here at a time within the window is neither sampled nor seen from then
  // on. after_window: once the window's final reports have gone to the sinks.
  std::function<void(SimTime t0, SimTime t1, world::World& world)> before_observe;
  std::function<void(SimTime t1, const world::World& world)> after_window;
};

// Runs the whole scenario duration, or until a sink has failed, and feeds every sink.
void run_simulation(SimulationInput input, const SimulationOptions& options, std::span<SimulationSink* const> sinks);

}  // namespace jrads::sim
