#pragma once
// Writes sensors.csv, truth.csv, detections.csv and detections_truth.csv exactly as
// shared FORMATS.md says. Numbers use the shortest text that reads back to the same double;
// latitudes and longitudes use 9 fixed decimals (0.1 mm).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <span>
#include <string>

#include "jrads/core/csv_format.hpp"
#include "jrads/core/result.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/sim/simulation.hpp"

namespace jrads::sim {

inline constexpr const char* kSensorsHeader = "sensor_id,party,type,lat_deg,lon_deg,alt_m\n";
inline constexpr const char* kDetectionsHeader =
    "time_s,sensor_id,type,range_m,azimuth_deg,elevation_deg,sigma_range_m,sigma_azimuth_deg,"
    "sigma_elevation_deg,lat_deg,lon_deg,alt_m,sigma_pos_m,icao,squawk,iff\n";
// sensors.csv (header and rows) and one detections.csv row, as the files hold them: an
// in-process picture parses these with the picture's own readers and so sees exactly what a
// picture reading the files would.
void append_sensors_csv(std::string& out, std::span<const sensors::SensorInfo> sensors);
void append_detection_row(std::string& out, const sensors::Detection& d, std::span<const std::string> sensor_ids);

class CsvOutput final : public SimulationSink {
 public:
  // Creates the directory if needed and opens the four files under temporary names
  // ("truth.csv.partial"...). Files of an earlier run stay untouched until commit().
  [[nodiscard]] static Result<std::unique_ptr<CsvOutput>> open(const std::filesystem::path& dir);
  // Removes the temporary files unless commit() succeeded.
  ~CsvOutput() override;

  void on_start(const std::vector<sensors::SensorInfo>& sensors, const world::World& world) override;
  void on_truth(SimTime t, std::span<const std::pair<PlatformIndex, world::PlatformState>> samples) override;
  void on_detections(std::span<const sensors::Detection> detections) override;
  void on_finish() override;
  // True after a write error: the simulation stops early.
  [[nodiscard]] bool failed() const override;
  // The first write error, if any (disk full...).
  [[nodiscard]] Result<void> status() const;
  // After the run: with no error, renames the four files to their final names; otherwise
  // removes them and returns the error. A run that fails never leaves a cut-off file under a
  // final name.
  [[nodiscard]] Result<void> commit();

 private:
  struct File;
  CsvOutput() = default;
  std::unique_ptr<File> sensors_, truth_, detections_, detections_truth_;
  std::vector<std::string> sensor_ids_;
  std::vector<std::string> truth_ids_;
  std::vector<const char*> truth_categories_;
  std::int64_t detection_row_ = 0;
  bool committed_ = false;
};

// The formatting helpers live in core (shared by every writer of FORMATS files).
using jrads::append_double;
using jrads::append_fixed;
using jrads::append_icao;
using jrads::append_squawk;
using jrads::append_time;

}  // namespace jrads::sim
