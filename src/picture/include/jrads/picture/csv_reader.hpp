#pragma once
// Strict readers of sensors.csv and detections.csv (shared/FORMATS.md). Every problem is an
// error naming the file, the line and the column: a missing or misplaced header column, a bad
// number, NaN or infinity, a value out of range, an unknown sensor, a type that disagrees with
// the sensor's, fields that the row's type forbids or needs, time going backwards. The readers
// never throw and never crash on any bytes (fuzz/detections_csv).
//
//   auto sensors = picture::read_sensors_csv("run/sensors.csv");
//   auto reader = picture::DetectionReader::open("run/detections.csv", *sensors);
//   picture::Report r;
//   while (true) { auto more = reader->next(r); if (!more) error...; if (!*more) break; use(r); }
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/picture/report.hpp"

namespace jrads::picture {

// Parses a whole sensors.csv held in memory. `file_name` is used in error locations only.
// Errors: the header is not exactly the FORMATS one (extra columns at the end are allowed),
// an empty or duplicate sensor id, an unknown type, a bad coordinate; an empty table.
[[nodiscard]] Result<std::vector<SensorSite>> parse_sensors_csv(std::string_view text, std::string_view file_name);
[[nodiscard]] Result<std::vector<SensorSite>> read_sensors_csv(const std::filesystem::path& path);

// Parses one data line of detections.csv (without its line ending). `line_number` is the
// 1-based line of the file (the header is line 1), used in the error's location.
[[nodiscard]] Result<Report> parse_detection_line(std::string_view line, std::span<const SensorSite> sensors,
                                                  std::string_view file_name, int line_number);

// Streams detections.csv in bounded memory: the file may be gigabytes.
class DetectionReader {
 public:
  // Opens the file and checks its header.
  [[nodiscard]] static Result<DetectionReader> open(const std::filesystem::path& path,
                                                    std::vector<SensorSite> sensors);
  // Reads from memory (tests, fuzzing): the same checks as a file.
  [[nodiscard]] static Result<DetectionReader> from_text(std::string text, std::string file_name,
                                                         std::vector<SensorSite> sensors);
  DetectionReader(DetectionReader&&) noexcept;
  DetectionReader& operator=(DetectionReader&&) noexcept;
  ~DetectionReader();

  // The next report: true with `out` filled, false at the end of the file, or an error
  // (after which the reader stays failed). Rejects time going backwards.
  [[nodiscard]] Result<bool> next(Report& out);
  [[nodiscard]] const std::vector<SensorSite>& sensors() const noexcept;
  // Bytes consumed so far and in all (0 when unknown), for a progress bar.
  [[nodiscard]] std::uint64_t bytes_read() const noexcept;
  [[nodiscard]] std::uint64_t bytes_total() const noexcept;

 private:
  struct Impl;
  explicit DetectionReader(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

// Convenience for small inputs: every report of an in-memory detections.csv.
[[nodiscard]] Result<std::vector<Report>> parse_detections_csv(std::string_view text,
                                                               std::span<const SensorSite> sensors,
                                                               std::string_view file_name);

}  // namespace jrads::picture
