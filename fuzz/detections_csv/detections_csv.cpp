// libFuzzer target: the strict readers of sensors.csv and detections.csv on arbitrary bytes.
// If the input holds a line "%%", the part before it is a sensors.csv and, when that parses,
// the rest a detections.csv read against it; otherwise the whole input is a detections.csv
// read against a built-in table of one sensor of each type. The readers must never crash,
// hang or throw; every report they return must be finite and in range, and after an error
// the reader must keep returning that error.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "jrads/core/log.hpp"
#include "jrads/core/result.hpp"
#include "jrads/picture/csv_reader.hpp"

namespace {

using jrads::picture::IffCode;
using jrads::picture::Report;
using jrads::picture::SensorKind;
using jrads::picture::SensorSite;

std::vector<SensorSite> built_in_sensors() {
  return {
      SensorSite{"R1", "P", SensorKind::radar, {44.3, 19.6, 263.0}, {}},
      SensorSite{"I1", "P", SensorKind::iff, {44.3, 19.6, 263.0}, {}},
      SensorSite{"A1", "Q", SensorKind::adsb, {45.0, 19.3, 5919.0}, {}},
  };
}

bool in(double v, double lo, double hi) { return std::isfinite(v) && v >= lo && v <= hi; }

bool octal_digits(std::uint16_t code) {
  if (code > 7777) return false;
  for (int k = 0; k < 4; ++k, code /= 10) {
    if (code % 10 > 7) return false;
  }
  return true;
}

void check_report(const Report& r, const std::vector<SensorSite>& sensors) {
  JRADS_ASSERT(r.sensor < sensors.size());
  JRADS_ASSERT(r.kind == sensors[r.sensor].kind);
  JRADS_ASSERT(r.time.ns() >= -1'000'000'000'000'000'000 && r.time.ns() <= 1'000'000'000'000'000'000);
  if (r.has_squawk) JRADS_ASSERT(octal_digits(r.squawk));
  if (r.kind == SensorKind::adsb) {
    JRADS_ASSERT(in(r.pos.lat_deg, -90.0, 90.0) && in(r.pos.lon_deg, -180.0, 180.0) &&
                 in(r.pos.alt_m, -1000.0, 100000.0));
    JRADS_ASSERT(std::isfinite(r.sigma_pos_m) && r.sigma_pos_m > 0.0);
    JRADS_ASSERT(r.has_icao && r.icao < (1U << 24));
    JRADS_ASSERT(r.iff == IffCode::none);
    JRADS_ASSERT(r.range_m == 0.0 && r.sigma_range_m == 0.0);
    return;
  }
  JRADS_ASSERT(std::isfinite(r.range_m) && r.range_m > 0.0);
  JRADS_ASSERT(std::isfinite(r.azimuth_deg) && r.azimuth_deg >= 0.0 && r.azimuth_deg < 360.0);
  JRADS_ASSERT(in(r.elevation_deg, -90.0, 90.0));
  for (const double s : {r.sigma_range_m, r.sigma_azimuth_deg, r.sigma_elevation_deg}) {
    JRADS_ASSERT(std::isfinite(s) && s > 0.0);
  }
  JRADS_ASSERT(!r.has_icao && r.sigma_pos_m == 0.0);
  if (r.kind == SensorKind::radar) JRADS_ASSERT(r.iff == IffCode::none && !r.has_squawk);
  if (r.kind == SensorKind::iff) JRADS_ASSERT(r.has_squawk == (r.iff == IffCode::mode3));
}

void read_detections(std::string_view text, std::vector<SensorSite> sensors) {
  auto reader = jrads::picture::DetectionReader::from_text(std::string(text), "fuzz.csv", sensors);
  if (!reader) {
    JRADS_ASSERT(!reader.error().message.empty());
    return;
  }
  JRADS_ASSERT(reader->bytes_total() == text.size());
  Report r;
  jrads::SimTime previous = jrads::SimTime::from_ns(INT64_MIN);
  std::uint64_t consumed = reader->bytes_read();
  for (;;) {
    const auto more = reader->next(r);
    JRADS_ASSERT(reader->bytes_read() >= consumed && reader->bytes_read() <= reader->bytes_total());
    consumed = reader->bytes_read();
    if (!more) {
      const jrads::Error first = more.error();
      JRADS_ASSERT(!first.message.empty());
      const auto again = reader->next(r);
      JRADS_ASSERT(!again && again.error().message == first.message && again.error().where.line == first.where.line);
      return;
    }
    if (!*more) {
      const auto again = reader->next(r);
      JRADS_ASSERT(again && !*again);
      return;
    }
    check_report(r, sensors);
    JRADS_ASSERT(r.time >= previous);
    previous = r.time;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool silenced = [] {
    jrads::silence_logs();
    return true;
  }();
  (void)silenced;
  // The reader streams any size; beyond 1 MiB the fuzzer learns nothing new per second.
  if (size > (std::size_t{1} << 20)) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::size_t split = text.find("\n%%\n");
  if (split == std::string_view::npos) {
    read_detections(text, built_in_sensors());
    return 0;
  }
  const auto sensors = jrads::picture::parse_sensors_csv(text.substr(0, split + 1), "fuzz_sensors.csv");
  if (!sensors) {
    JRADS_ASSERT(!sensors.error().message.empty());
    return 0;
  }
  JRADS_ASSERT(!sensors->empty());
  for (const auto& s : *sensors) JRADS_ASSERT(!s.id.empty() && !s.party.empty());
  read_detections(text.substr(split + 4), *sensors);
  return 0;
}
