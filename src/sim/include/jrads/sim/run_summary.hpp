#pragma once
// What `jrads demo` prints about a simulation: per sensor, reports and the clutter fraction;
// per truth category, objects and the fraction of their life during which at least one radar
// was holding them (a radar "holds" a target from a detection until one scan period later).
#include <map>
#include <string>
#include <vector>

#include "jrads/sim/simulation.hpp"

namespace jrads::sim {

struct SensorTally {
  std::string id;
  std::string party;
  sensors::SensorType type = sensors::SensorType::radar;
  std::int64_t reports = 0;
  std::int64_t false_reports = 0;  // clutter and false replies (truth_index -1)
};

struct CategoryTally {
  std::int64_t objects = 0;
  std::int64_t alive_samples = 0;  // truth samples (seconds at the default step)
  std::int64_t held_samples = 0;   // of those, samples held by >= 1 radar
};

class RunSummary final : public SimulationSink {
 public:
  // The sensors' parameters give each radar's scan period (the hold time).
  explicit RunSummary(const std::vector<sensors::SensorParams>& sensors);
  void on_start(const std::vector<sensors::SensorInfo>& sensors, const world::World& world) override;
  void on_truth(SimTime t, std::span<const std::pair<PlatformIndex, world::PlatformState>> samples) override;
  void on_detections(std::span<const sensors::Detection> detections) override;
  void on_finish() override;

  [[nodiscard]] const std::vector<SensorTally>& sensors() const noexcept { return sensors_; }
  [[nodiscard]] const std::map<std::string, CategoryTally>& categories() const noexcept { return categories_; }
  // A short readable report.
  [[nodiscard]] std::string to_text() const;

 private:
  std::vector<SensorTally> sensors_;
  std::vector<double> scan_period_s_;  // per sensor; 0 for non-radars
  std::vector<std::int64_t> clock_offset_ns_;  // per sensor: the radar's time-stamp error
  std::map<std::string, CategoryTally> categories_;
  std::vector<std::string> category_of_;
  // Per platform: its first and last truth sample and the radar hold intervals, merged as
  // they come and counted at the end (detections can arrive after the truth samples they cover).
  struct Life {
    std::int64_t first_ns = -1, last_ns = -1, samples = 0;
  };
  std::vector<Life> life_;
  std::int64_t step_ns_ = 0;
  std::vector<std::vector<std::pair<std::int64_t, std::int64_t>>> holds_ns_;
};

}  // namespace jrads::sim
