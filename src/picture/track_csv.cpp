#include "jrads/picture/track_csv.hpp"

namespace jrads::picture {

void append_track_row(std::string& s, const TrackRow& row) {
  append_time(s, row.time);
  s += ',';
  s += std::to_string(row.track_number);
  s += ',';
  s += to_string(row.status);
  s += ',';
  s += to_string(row.identity);
  s += ',';
  append_fixed(s, row.pos.lat_deg, 9);
  s += ',';
  append_fixed(s, row.pos.lon_deg, 9);
  s += ',';
  append_double(s, row.pos.alt_m);
  for (int k = 0; k < 3; ++k) {
    s += ',';
    append_double(s, row.vel_enu[k]);
  }
  s += ',';
  append_double(s, row.sigma_pos_m);
  s += ',';
  append_double(s, row.sigma_vel_mps);
  s += '\n';
}

Result<TrackCsvWriter> TrackCsvWriter::open(const std::filesystem::path& path) {
  auto f = OutputFile::open(path);
  if (!f) return fail(f.error());
  f->buffer() += kTracksHeader;
  return TrackCsvWriter(std::move(*f));
}

void TrackCsvWriter::write(std::span<const TrackRow> rows) {
  std::string& s = file_.buffer();
  for (const TrackRow& row : rows) append_track_row(s, row);
  file_.flush_if_full();
}

void append_alert_row(std::string& s, const Alert& a, std::span<const SensorSite> sensors, bool with_sensor) {
  append_time(s, a.time);
  s += ',';
  s += to_string(a.kind);
  s += ',';
  if (a.track_number != 0) s += std::to_string(a.track_number);
  s += ',';
  if (with_sensor && a.kind != AlertKind::identity_conflict && a.sensor < sensors.size()) s += sensors[a.sensor].id;
  s += ',';
  for (char c : a.text) s += c == ',' ? ';' : c;  // FORMATS-style CSV: no field holds a comma
  s += '\n';
}

Result<void> write_alerts_csv(const std::filesystem::path& path, std::span<const Alert> alerts,
                              std::span<const SensorSite> sensors) {
  auto f = OutputFile::open(path);
  if (!f) return fail(f.error());
  std::string& s = f->buffer();
  s += kAlertsHeader;
  for (const Alert& a : alerts) {
    append_alert_row(s, a, sensors, true);
    f->flush_if_full();
  }
  return f->commit();
}

}  // namespace jrads::picture
