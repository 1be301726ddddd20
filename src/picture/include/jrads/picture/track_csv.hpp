#pragma once
// Writers of the picture's files: tracks.csv exactly as shared/FORMATS.md says, and alerts.csv
// (`time_s,kind,track_id,sensor_id,text`, documented in docs/PICTURE.md). Both appear under
// their final names only when complete (core OutputFile).
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "jrads/core/csv_format.hpp"
#include "jrads/core/result.hpp"
#include "jrads/picture/report.hpp"
#include "jrads/picture/tracker.hpp"

namespace jrads::picture {

// Appends the tracks.csv line of one row (with its newline).
void append_track_row(std::string& out, const TrackRow& row);
inline constexpr const char* kTracksHeader =
    "time_s,track_id,status,identity,lat_deg,lon_deg,alt_m,ve_mps,vn_mps,vu_mps,sigma_pos_m,sigma_vel_mps\n";

class TrackCsvWriter {
 public:
  [[nodiscard]] static Result<TrackCsvWriter> open(const std::filesystem::path& path);
  void write(std::span<const TrackRow> rows);
  [[nodiscard]] Result<void> commit() { return file_.commit(); }

 private:
  explicit TrackCsvWriter(OutputFile f) : file_(std::move(f)) {}
  OutputFile file_;
};

inline constexpr const char* kAlertsHeader = "time_s,kind,track_id,sensor_id,text\n";
// One alerts.csv row; `sensors` names the sensor column, left empty unless `with_sensor` (a
// release that stripped SENSORS).
void append_alert_row(std::string& s, const Alert& a, std::span<const SensorSite> sensors, bool with_sensor);
// Writes every alert (header and rows as above).
[[nodiscard]] Result<void> write_alerts_csv(const std::filesystem::path& path, std::span<const Alert> alerts,
                                            std::span<const SensorSite> sensors);

}  // namespace jrads::picture
