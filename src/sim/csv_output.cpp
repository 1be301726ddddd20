#include "jrads/sim/csv_output.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <system_error>

namespace jrads::sim {

// A buffered output file that remembers its first error.
struct CsvOutput::File {
  std::FILE* fp = nullptr;
  std::string path;     // the final name
  std::string partial;  // written here until commit()
  std::string buf;
  std::string error;

  ~File() { close(); }
  void flush_if_full() {
    if (buf.size() >= (1U << 20)) flush();
  }
  void flush() {
    if (fp == nullptr || buf.empty()) return;
    if (error.empty() && std::fwrite(buf.data(), 1, buf.size(), fp) != buf.size()) {
      error = partial + ": write failed: " + std::strerror(errno);
    }
    buf.clear();
  }
  void close() {
    flush();
    if (fp != nullptr && std::fclose(fp) != 0 && error.empty()) error = partial + ": close failed: " + std::strerror(errno);
    fp = nullptr;
  }
};

Result<std::unique_ptr<CsvOutput>> CsvOutput::open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return fail(Errc::io_error, "cannot create directory: " + ec.message(), Location::in_file(dir.string()));
  std::unique_ptr<CsvOutput> out(new CsvOutput());
  auto open_one = [&](std::unique_ptr<File>& f, const char* name) -> Result<void> {
    f = std::make_unique<File>();
    f->path = (dir / name).string();
    f->partial = f->path + ".partial";
    f->fp = std::fopen(f->partial.c_str(), "wb");
    if (f->fp == nullptr) return fail(Errc::io_error, std::string("cannot open for writing: ") + std::strerror(errno),
                                      Location::in_file(f->partial));
    return {};
  };
  for (auto [file, name] : {std::pair{&out->sensors_, "sensors.csv"}, std::pair{&out->truth_, "truth.csv"},
                            std::pair{&out->detections_, "detections.csv"},
                            std::pair{&out->detections_truth_, "detections_truth.csv"}}) {
    if (auto r = open_one(*file, name); !r) return fail(r.error());
  }
  return out;
}

CsvOutput::~CsvOutput() {
  if (committed_) return;
  for (File* f : {sensors_.get(), truth_.get(), detections_.get(), detections_truth_.get()}) {
    if (f == nullptr) continue;
    f->close();
    std::error_code ec;
    std::filesystem::remove(f->partial, ec);  // best effort: nothing else to do on failure
  }
}

void append_sensors_csv(std::string& s, std::span<const sensors::SensorInfo> sensors) {
  s += kSensorsHeader;
  for (const auto& info : sensors) {
    s += info.id;
    s += ',';
    s += info.party;
    s += ',';
    s += to_string(info.type);
    s += ',';
    append_fixed(s, info.antenna.lat_deg, 9);
    s += ',';
    append_fixed(s, info.antenna.lon_deg, 9);
    s += ',';
    append_double(s, info.antenna.alt_m);
    s += '\n';
  }
}

void append_detection_row(std::string& s, const sensors::Detection& d, std::span<const std::string> sensor_ids) {
  append_time(s, d.time);
  s += ',';
  s += sensor_ids[d.sensor.value()];
  s += ',';
  s += to_string(d.type);
  s += ',';
  if (d.type != sensors::SensorType::adsb) {
    for (const double v : {d.range_m, d.azimuth_deg, d.elevation_deg, d.sigma_range_m, d.sigma_azimuth_deg,
                           d.sigma_elevation_deg}) {
      append_double(s, v);
      s += ',';
    }
    s += ",,,,";
  } else {
    s += ",,,,,,";
    append_fixed(s, d.pos.lat_deg, 9);
    s += ',';
    append_fixed(s, d.pos.lon_deg, 9);
    s += ',';
    append_double(s, d.pos.alt_m);
    s += ',';
    append_double(s, d.sigma_pos_m);
    s += ',';
  }
  // icao and squawk columns belong to ADS-B reports; an IFF Mode 3/A code goes in iff.
  const bool adsb = d.type == sensors::SensorType::adsb;
  if (adsb && d.has_icao) append_icao(s, d.icao);
  s += ',';
  if (adsb && d.has_squawk) append_squawk(s, d.squawk);
  s += ',';
  if (d.type == sensors::SensorType::iff) {
    if (d.iff == sensors::IffReply::mode5_valid) {
      s += "mode5_valid";
    } else if (d.iff == sensors::IffReply::mode3) {
      s += "mode3:";
      append_squawk(s, d.squawk);
    }
  }
  s += '\n';
}

void CsvOutput::on_start(const std::vector<sensors::SensorInfo>& sensors, const world::World& world) {
  append_sensors_csv(sensors_->buf, sensors);
  for (const auto& info : sensors) sensor_ids_.push_back(info.id);
  sensors_->close();
  for (const auto& p : world.params().platforms) {
    truth_ids_.push_back(p.id);
    truth_categories_.push_back(world::to_string(p.category));
  }
  truth_->buf += "time_s,truth_id,category,lat_deg,lon_deg,alt_m,ve_mps,vn_mps,vu_mps\n";
  detections_->buf += kDetectionsHeader;
  detections_truth_->buf += "row,truth_id\n";
}

void CsvOutput::on_truth(SimTime t, std::span<const std::pair<PlatformIndex, world::PlatformState>> samples) {
  std::string& s = truth_->buf;
  for (const auto& [idx, st] : samples) {
    append_time(s, t);
    s += ',';
    s += truth_ids_[idx.value()];
    s += ',';
    s += truth_categories_[idx.value()];
    s += ',';
    append_fixed(s, st.pos.lat_deg, 9);
    s += ',';
    append_fixed(s, st.pos.lon_deg, 9);
    s += ',';
    append_double(s, st.pos.alt_m);
    for (int k = 0; k < 3; ++k) {
      s += ',';
      append_double(s, st.vel_enu[k]);
    }
    s += '\n';
  }
  truth_->flush_if_full();
}

void CsvOutput::on_detections(std::span<const sensors::Detection> detections) {
  std::string& s = detections_->buf;
  std::string& m = detections_truth_->buf;
  for (const auto& d : detections) {
    append_detection_row(s, d, sensor_ids_);
    ++detection_row_;
    m += std::to_string(detection_row_);
    m += ',';
    m += d.truth_index >= 0 ? truth_ids_[static_cast<std::size_t>(d.truth_index)] : std::string("-1");
    m += '\n';
  }
  detections_->flush_if_full();
  detections_truth_->flush_if_full();
}

void CsvOutput::on_finish() {
  truth_->close();
  detections_->close();
  detections_truth_->close();
}

bool CsvOutput::failed() const {
  for (const File* f : {sensors_.get(), truth_.get(), detections_.get(), detections_truth_.get()}) {
    if (!f->error.empty()) return true;
  }
  return false;
}

Result<void> CsvOutput::commit() {
  for (File* f : {sensors_.get(), truth_.get(), detections_.get(), detections_truth_.get()}) f->close();
  if (auto ok = status(); !ok) return ok;  // the destructor removes the partial files
  for (File* f : {sensors_.get(), truth_.get(), detections_.get(), detections_truth_.get()}) {
    std::error_code ec;
    std::filesystem::rename(f->partial, f->path, ec);
    if (ec) return fail(Errc::io_error, "cannot rename " + f->partial + ": " + ec.message(), Location::in_file(f->path));
  }
  committed_ = true;
  return {};
}

Result<void> CsvOutput::status() const {
  for (const File* f : {sensors_.get(), truth_.get(), detections_.get(), detections_truth_.get()}) {
    if (!f->error.empty()) return fail(Errc::io_error, f->error);
  }
  return {};
}

}  // namespace jrads::sim
