#pragma once
// All sensors of a run, observing the world window by window. Each sensor draws from its own
// named stream ("radar/<id>", "iff/<id>", "adsb-rx/<id>"); each ADS-B transmitter from
// "adsb-tx/<platform id>"), so adding a sensor leaves every other sensor's reports unchanged.
#include <memory>
#include <vector>

#include "jrads/core/rng.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/sensors/detection.hpp"
#include "jrads/sensors/sensor_params.hpp"
#include "jrads/world/world.hpp"

namespace jrads::sensors {

struct SensorInfo {
  std::string id;
  std::string party;
  SensorType type = SensorType::radar;
  Geodetic antenna;  // resolved: alt_m = terrain height + height_agl_m
  security::ItemLabel label;  // of its reports
};

class SensorSuite {
 public:
  // Builds every sensor (including its terrain-masking precomputation) against the terrain.
  // Every parameter set must pass validate() (sensor_params.hpp) and sensor ids must be
  // unique: otherwise this aborts, naming the sensor and the key (a caller's bug).
  SensorSuite(std::vector<SensorParams> sensors, AdsbBroadcastParams adsb, const world::ElevationGrid& terrain,
              const Rng& rng);
  ~SensorSuite();
  SensorSuite(SensorSuite&&) noexcept;
  SensorSuite& operator=(SensorSuite&&) noexcept;

  [[nodiscard]] const std::vector<SensorInfo>& sensors() const noexcept;
  // The longest time a report's stamp can lag the window it is generated in (a scan period,
  // plus a radar's cell carried into the next scan, plus negative clock offsets): output may
  // be flushed only up to now minus this lag.
  [[nodiscard]] double max_lag_s() const noexcept;
  // How far before a window's start observe() queries the world (as max_lag_s() without the
  // clock offsets, which shift stamps, not measurements): the world must keep this history.
  [[nodiscard]] double max_history_s() const noexcept;

  // Appends the reports of every radar/IFF scan that ends in [t0, t1) (a radar cell at the
  // end of a scan comes with the next one) and of every ADS-B broadcast in [t0, t1), in no
  // particular order; their time stamps may go back to t0 - max_lag_s(). Needs world history
  // from t0 - max_history_s() to t1. Windows must be contiguous and increasing; the reports do not depend on
  // how time is cut into windows.
  void observe(SimTime t0, SimTime t1, const world::WorldView& world, std::vector<Detection>& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jrads::sensors
