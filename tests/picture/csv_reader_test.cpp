#include "jrads/picture/csv_reader.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace jrads::picture {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view kSensorsHeader = "sensor_id,party,type,lat_deg,lon_deg,alt_m\n";
constexpr std::string_view kHeader =
    "time_s,sensor_id,type,range_m,azimuth_deg,elevation_deg,sigma_range_m,sigma_azimuth_deg,"
    "sigma_elevation_deg,lat_deg,lon_deg,alt_m,sigma_pos_m,icao,squawk,iff\n";
constexpr std::array<std::string_view, 16> kColumns = {
    "time_s",  "sensor_id", "type",   "range_m",     "azimuth_deg", "elevation_deg",
    "sigma_range_m", "sigma_azimuth_deg", "sigma_elevation_deg", "lat_deg", "lon_deg",
    "alt_m",   "sigma_pos_m", "icao", "squawk",      "iff"};

// The table of sensors.csv below, in the simulator's exact format.
constexpr std::string_view kSensorsText =
    "sensor_id,party,type,lat_deg,lon_deg,alt_m\n"
    "KAL-R1,KAL,radar,44.300900000,19.601565000,263.65388675645045\n"
    "KAL-I1,KAL,iff,44.300900000,19.601565000,263.65388675645045\n"
    "MOR-A1,MOR,adsb,44.200000000,-18.100000000,-12.5\n";

std::vector<SensorSite> sensors() {
  auto s = parse_sensors_csv(kSensorsText, "sensors.csv");
  EXPECT_TRUE(s.has_value()) << s.error().to_string();
  return s ? *s : std::vector<SensorSite>{};
}

int column_of(std::string_view name) {
  const auto it = std::find(kColumns.begin(), kColumns.end(), name);
  EXPECT_NE(it, kColumns.end()) << name;
  return static_cast<int>(it - kColumns.begin()) + 1;
}

// One detections.csv row as its 16 fields, so a test changes exactly the field it is about.
struct Cells {
  std::array<std::string, 16> v;
  Cells& set(std::string_view column, std::string text) {
    v[static_cast<std::size_t>(column_of(column) - 1)] = std::move(text);
    return *this;
  }
  [[nodiscard]] std::string line() const {
    std::string out;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out += ',';
      out += v[i];
    }
    return out;
  }
};

Cells radar_row() {
  return {{"0.053783271", "KAL-R1", "radar", "85252.64854323035", "138.87239548388195", "-0.75713980169107", "30",
           "0.15", "0.5", "", "", "", "", "", "", ""}};
}
Cells iff_row() {
  return {{"1", "KAL-I1", "iff", "4428.663941690445", "313.7889916302867", "39.05166942525106", "30", "0.1", "1",
           "", "", "", "", "", "", "mode5_valid"}};
}
Cells adsb_row() {
  return {{"2", "MOR-A1", "adsb", "", "", "", "", "", "", "46.599676216", "17.400758889", "9451.799048091174",
           "12.256169479609047", "39B60B", "7233", ""}};
}

std::string detections(std::initializer_list<std::string> rows) {
  std::string text(kHeader);
  for (const auto& r : rows) {
    text += r;
    text += '\n';
  }
  return text;
}

// Parses a file whose line 2 is a valid radar row and line 3 is `bad`; expects one error there.
::testing::AssertionResult error_on_line3(const std::string& bad, std::string_view column, std::string_view words,
                                          std::string_view quoted = {}) {
  const auto out = parse_detections_csv(detections({radar_row().line(), bad}), sensors(), "d.csv");
  if (out) return ::testing::AssertionFailure() << "accepted: " << bad;
  const Error& e = out.error();
  const int col = column_of(column);
  if (e.where.file != "d.csv" || e.where.line != 3 || e.where.record != 2 || e.where.column != col ||
      e.where.path != column) {
    return ::testing::AssertionFailure() << "wrong location " << e.to_string() << " (want 3:" << col << ": " << column
                                         << ")";
  }
  if (e.message.find(words) == std::string::npos) {
    return ::testing::AssertionFailure() << "message '" << e.message << "' lacks '" << words << "'";
  }
  if (!quoted.empty() && e.message.find(std::string("'") + std::string(quoted) + "'") == std::string::npos) {
    return ::testing::AssertionFailure() << "message '" << e.message << "' does not quote '" << quoted << "'";
  }
  return ::testing::AssertionSuccess();
}

std::string temp_file(std::string_view name, std::string_view content) {
  const std::string path = ::testing::TempDir() + "jrads_csv_reader_" + std::string(name);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  return path;
}

std::string fixture(std::string_view name) { return std::string(JRADS_SOURCE_DIR) + "/tests/picture/data/" + std::string(name); }

// ------------------------------------------------------------------------------------------------
// sensors.csv

TEST(SensorsCsv, ReadsTheWritersFormat) {
  const auto s = parse_sensors_csv(kSensorsText, "sensors.csv");
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  ASSERT_EQ(s->size(), 3U);
  EXPECT_EQ((*s)[0].id, "KAL-R1");
  EXPECT_EQ((*s)[0].party, "KAL");
  EXPECT_EQ((*s)[0].kind, SensorKind::radar);
  EXPECT_EQ((*s)[0].pos.lat_deg, 44.3009);
  EXPECT_EQ((*s)[0].pos.lon_deg, 19.601565);
  EXPECT_EQ((*s)[0].pos.alt_m, 263.65388675645045);
  EXPECT_EQ((*s)[1].kind, SensorKind::iff);
  EXPECT_EQ((*s)[2].kind, SensorKind::adsb);
  EXPECT_EQ((*s)[2].pos.lon_deg, -18.1);
  EXPECT_EQ((*s)[2].pos.alt_m, -12.5);
}

TEST(SensorsCsv, KindNames) {
  EXPECT_STREQ(to_string(SensorKind::radar), "radar");
  EXPECT_STREQ(to_string(SensorKind::iff), "iff");
  EXPECT_STREQ(to_string(SensorKind::adsb), "adsb");
}

TEST(SensorsCsv, AcceptsExtraColumnsCrlfBomAndNoFinalNewline) {
  const auto s = parse_sensors_csv(
      "\xEF\xBB\xBFsensor_id,party,type,lat_deg,lon_deg,alt_m,note\r\nR1,P,radar,-90,180,100000,x\r\n"
      "R2,P,adsb,90,-180,-1000,y",
      "s.csv");
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  ASSERT_EQ(s->size(), 2U);
  EXPECT_EQ((*s)[0].pos.lon_deg, 180.0);
  EXPECT_EQ((*s)[1].id, "R2");
  EXPECT_EQ((*s)[1].pos.alt_m, -1000.0);
}

struct SensorsCase {
  const char* text;  // after the header
  int line;
  int column;
  const char* path;
  const char* words;
};

TEST(SensorsCsv, RejectsEveryBadRow) {
  const SensorsCase cases[] = {
      {"R1,P,sonar,1,2,3\n", 2, 3, "type", "unknown type 'sonar'"},
      {",P,radar,1,2,3\n", 2, 1, "sensor_id", "sensor_id is empty"},
      {"R1,,radar,1,2,3\n", 2, 2, "party", "party is empty"},
      {" R1,P,radar,1,2,3\n", 2, 1, "sensor_id", "' R1' has leading or trailing spaces"},
      {"R1,P,radar,1,2,3\nR2,P,iff,1,2,3\nR1,Q,adsb,1,2,3\n", 4, 1, "sensor_id", "duplicate sensor_id 'R1' (first on line 2)"},
      {"R1,P\tQ,radar,1,2,3\n", 2, 2, "party", "control character \\x09"},
      {"R1,P,radar,90.5,2,3\n", 2, 4, "lat_deg", "'90.5' must be in [-90, 90]"},
      {"R1,P,radar,1,-180.1,3\n", 2, 5, "lon_deg", "'-180.1' must be in [-180, 180]"},
      {"R1,P,radar,1,2,100001\n", 2, 6, "alt_m", "'100001' must be in [-1000, 100000]"},
      {"R1,P,radar,1,2,-1000.5\n", 2, 6, "alt_m", "must be in [-1000, 100000]"},
      {"R1,P,radar,+1,2,3\n", 2, 4, "lat_deg", "'+1' is not a number"},
      {"R1,P,radar, 1,2,3\n", 2, 4, "lat_deg", "' 1' is not a number"},
      {"R1,P,radar,1,2x,3\n", 2, 5, "lon_deg", "'2x' is not a number"},
      {"R1,P,radar,nan,2,3\n", 2, 4, "lat_deg", "'nan'"},
      {"R1,P,radar,1,2,inf\n", 2, 6, "alt_m", "'inf'"},
      {"R1,P,radar,1,2,\n", 2, 6, "alt_m", "alt_m is empty"},
      {"R1,P,radar,1,2\n", 2, 6, "alt_m", "too few fields: 5 of 6"},
      {"R1,P,radar,1,2,3,4\n", 2, 7, "", "too many fields: 7, the header has 6"},
      {"R1,P,radar,1,2,3\n\nR2,P,radar,1,2,3\n", 3, 0, "", "blank line"},
  };
  for (const auto& c : cases) {
    const auto s = parse_sensors_csv(std::string(kSensorsHeader) + c.text, "s.csv");
    ASSERT_FALSE(s.has_value()) << c.text;
    const Error& e = s.error();
    EXPECT_EQ(e.where.file, "s.csv") << c.text;
    EXPECT_EQ(e.where.line, c.line) << c.text;
    EXPECT_EQ(e.where.column, c.column) << c.text;
    EXPECT_EQ(e.where.path, c.path) << c.text;
    EXPECT_THAT(e.message, HasSubstr(c.words)) << c.text;
  }
}

TEST(SensorsCsv, RejectsBadHeadersAndEmptyTables) {
  auto s = parse_sensors_csv("sensor_id,party,lat_deg,lon_deg,alt_m\nR1,P,1,2,3\n", "s.csv");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().where.line, 1);
  EXPECT_EQ(s.error().where.column, 3);
  EXPECT_EQ(s.error().where.path, "type");
  EXPECT_THAT(s.error().message, HasSubstr("missing column 'type' (column 3)"));

  s = parse_sensors_csv("sensor_id,type,party,lat_deg,lon_deg,alt_m\n", "s.csv");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().where.column, 2);
  EXPECT_THAT(s.error().message, HasSubstr("misplaced column 'party': found at column 3, expected at column 2"));

  s = parse_sensors_csv(kSensorsHeader, "s.csv");
  ASSERT_FALSE(s.has_value());
  EXPECT_THAT(s.error().message, HasSubstr("no sensors"));

  s = parse_sensors_csv(std::string(kSensorsHeader) + "\n", "s.csv");  // a final blank line is no sensor
  ASSERT_FALSE(s.has_value());
  EXPECT_THAT(s.error().message, HasSubstr("no sensors"));

  s = parse_sensors_csv("", "s.csv");
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().where.line, 1);
  EXPECT_THAT(s.error().message, HasSubstr("empty file"));
}

TEST(SensorsCsv, ReadsAFileAndReportsAMissingOne) {
  const auto s = read_sensors_csv(temp_file("sensors.csv", kSensorsText));
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  EXPECT_EQ(s->size(), 3U);
  const auto missing = read_sensors_csv(::testing::TempDir() + "jrads_no_such_dir/sensors.csv");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, Errc::io_error);
  EXPECT_THAT(missing.error().message, HasSubstr("cannot open"));
}

// ------------------------------------------------------------------------------------------------
// detections.csv: valid files

TEST(DetectionsCsv, RoundTripsEveryKindOfRow) {
  const std::string text = detections({
      radar_row().set("time_s", "-0.5").line(),
      iff_row().set("time_s", "0").set("iff", "").line(),
      iff_row().set("time_s", "0").line(),
      iff_row().set("time_s", "12.25").set("iff", "mode3:7000").line(),
      adsb_row().set("time_s", "12.25").line(),
      adsb_row().set("time_s", "3599.756261228").set("squawk", "").set("icao", "abcdef").line(),
  });
  const auto out = parse_detections_csv(text, sensors(), "d.csv");
  ASSERT_TRUE(out.has_value()) << out.error().to_string();
  ASSERT_EQ(out->size(), 6U);
  const Report& radar = (*out)[0];
  EXPECT_EQ(radar.time.ns(), -500'000'000);
  EXPECT_EQ(radar.sensor, 0U);
  EXPECT_EQ(radar.kind, SensorKind::radar);
  EXPECT_EQ(radar.range_m, 85252.64854323035);
  EXPECT_EQ(radar.azimuth_deg, 138.87239548388195);
  EXPECT_EQ(radar.elevation_deg, -0.75713980169107);
  EXPECT_EQ(radar.sigma_range_m, 30.0);
  EXPECT_EQ(radar.sigma_azimuth_deg, 0.15);
  EXPECT_EQ(radar.sigma_elevation_deg, 0.5);
  EXPECT_FALSE(radar.has_icao);
  EXPECT_FALSE(radar.has_squawk);
  EXPECT_EQ(radar.iff, IffCode::none);

  EXPECT_EQ((*out)[1].time.ns(), 0);
  EXPECT_EQ((*out)[1].kind, SensorKind::iff);
  EXPECT_EQ((*out)[1].sensor, 1U);
  EXPECT_EQ((*out)[1].iff, IffCode::none);
  EXPECT_FALSE((*out)[1].has_squawk);
  EXPECT_EQ((*out)[1].range_m, 4428.663941690445);
  EXPECT_EQ((*out)[2].iff, IffCode::mode5_valid);
  EXPECT_FALSE((*out)[2].has_squawk);
  EXPECT_EQ((*out)[3].time.ns(), 12'250'000'000);
  EXPECT_EQ((*out)[3].iff, IffCode::mode3);
  EXPECT_TRUE((*out)[3].has_squawk);
  EXPECT_EQ((*out)[3].squawk, 7000);

  const Report& adsb = (*out)[4];
  EXPECT_EQ(adsb.kind, SensorKind::adsb);
  EXPECT_EQ(adsb.sensor, 2U);
  EXPECT_EQ(adsb.pos.lat_deg, 46.599676216);
  EXPECT_EQ(adsb.pos.lon_deg, 17.400758889);
  EXPECT_EQ(adsb.pos.alt_m, 9451.799048091174);
  EXPECT_EQ(adsb.sigma_pos_m, 12.256169479609047);
  EXPECT_TRUE(adsb.has_icao);
  EXPECT_EQ(adsb.icao, 0x39B60BU);
  EXPECT_TRUE(adsb.has_squawk);
  EXPECT_EQ(adsb.squawk, 7233);
  EXPECT_EQ(adsb.iff, IffCode::none);
  EXPECT_EQ(adsb.range_m, 0.0);

  EXPECT_EQ((*out)[5].time.ns(), 3'599'756'261'228);
  EXPECT_EQ((*out)[5].icao, 0xABCDEFU);
  EXPECT_FALSE((*out)[5].has_squawk);
}

TEST(DetectionsCsv, HeaderOnlyIsAnEmptyPicture) {
  const auto out = parse_detections_csv(kHeader, sensors(), "d.csv");
  ASSERT_TRUE(out.has_value()) << out.error().to_string();
  EXPECT_TRUE(out->empty());
}

TEST(DetectionsCsv, AzimuthOf360IsNorth) {
  const auto out = parse_detections_csv(
      detections({radar_row().set("azimuth_deg", "360").line(), radar_row().set("azimuth_deg", "-0").line(),
                  radar_row().set("azimuth_deg", "0").set("elevation_deg", "-90").line()}),
      sensors(), "d.csv");
  ASSERT_TRUE(out.has_value()) << out.error().to_string();
  EXPECT_EQ((*out)[0].azimuth_deg, 0.0);
  EXPECT_FALSE(std::signbit((*out)[1].azimuth_deg));
  EXPECT_EQ((*out)[2].elevation_deg, -90.0);
}

TEST(DetectionsCsv, ExtraColumnsAtTheEndAreIgnored) {
  std::string text(kHeader.substr(0, kHeader.size() - 1));
  text += ",truth_id,note\n";
  text += radar_row().line() + ",T1,x\n";
  text += adsb_row().line() + ",,\n";
  const auto out = parse_detections_csv(text, sensors(), "d.csv");
  ASSERT_TRUE(out.has_value()) << out.error().to_string();
  ASSERT_EQ(out->size(), 2U);
  EXPECT_EQ((*out)[1].icao, 0x39B60BU);
}

// ------------------------------------------------------------------------------------------------
// detections.csv: time_s

std::int64_t time_ns(const std::string& text) {
  const auto r = parse_detection_line(radar_row().set("time_s", text).line(), sensors(), "d.csv", 2);
  EXPECT_TRUE(r.has_value()) << text << ": " << r.error().to_string();
  return r ? r->time.ns() : -42;
}

TEST(DetectionsCsvTime, ParsesExactlyToTheNanosecond) {
  EXPECT_EQ(time_ns("0"), 0);
  EXPECT_EQ(time_ns("-0"), 0);
  EXPECT_EQ(time_ns("1.000000001"), 1'000'000'001);
  EXPECT_EQ(time_ns("-0.000000001"), -1);
  EXPECT_EQ(time_ns("0.1"), 100'000'000);
  EXPECT_EQ(time_ns("007.5"), 7'500'000'000);
  EXPECT_EQ(time_ns("3599.756261228"), 3'599'756'261'228);
  EXPECT_EQ(time_ns("1000000000"), 1'000'000'000'000'000'000);
  EXPECT_EQ(time_ns("-1000000000"), -1'000'000'000'000'000'000);
}

TEST(DetectionsCsvTime, RoundsDigitsBeyondTheNinthHalfAwayFromZero) {
  EXPECT_EQ(time_ns("0.0000000014999"), 1);
  EXPECT_EQ(time_ns("0.0000000015"), 2);
  EXPECT_EQ(time_ns("-0.0000000005"), -1);
  EXPECT_EQ(time_ns("-0.0000000004999"), 0);
  EXPECT_EQ(time_ns("0.30000000000000004"), 300'000'000);
  EXPECT_EQ(time_ns("0.9999999995"), 1'000'000'000);
}

TEST(DetectionsCsvTime, RejectsAnythingButAPlainDecimal) {
  for (const char* bad : {"1e3", "1E3", "+1", " 1", "1 ", "1.", ".5", "-", "--1", "1.2.3", "0x10", "nan", "inf",
                          "-inf", "1,5", "12.5s"}) {
    const std::string field = bad;
    if (field.find(',') != std::string::npos) continue;  // would split; covered by field counts
    EXPECT_TRUE(error_on_line3(radar_row().set("time_s", field).line(), "time_s", "is not a decimal number of seconds",
                               field))
        << bad;
  }
  EXPECT_TRUE(error_on_line3(radar_row().set("time_s", "").line(), "time_s", "time_s is empty"));
  EXPECT_TRUE(error_on_line3(radar_row().set("time_s", "1000000000.000000001").line(), "time_s", "beyond +-1e9 s"));
  EXPECT_TRUE(error_on_line3(radar_row().set("time_s", "-99999999999999999999999").line(), "time_s", "beyond +-1e9 s"));
}

TEST(DetectionsCsvTime, RejectsTimeGoingBackwards) {
  const auto out = parse_detections_csv(detections({radar_row().set("time_s", "13").line(),
                                                    radar_row().set("time_s", "13").line(),
                                                    radar_row().set("time_s", "12.5").line()}),
                                        sensors(), "d.csv");
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().where.line, 4);
  EXPECT_EQ(out.error().where.record, 3);
  EXPECT_EQ(out.error().where.column, 1);
  EXPECT_EQ(out.error().where.path, "time_s");
  EXPECT_EQ(out.error().message, "time 12.5 s goes backwards (previous row 13 s)");
  EXPECT_EQ(out.error().to_string(), "d.csv:4:1: record 3: time_s: time 12.5 s goes backwards (previous row 13 s)");
}

// ------------------------------------------------------------------------------------------------
// detections.csv: hostile rows, one rule each

TEST(DetectionsCsv, RejectsUnknownSensorsAndWrongTypes) {
  EXPECT_TRUE(error_on_line3(radar_row().set("sensor_id", "KAL-R9").line(), "sensor_id", "unknown sensor", "KAL-R9"));
  EXPECT_TRUE(error_on_line3(radar_row().set("sensor_id", "").line(), "sensor_id", "unknown sensor"));
  EXPECT_TRUE(error_on_line3(radar_row().set("type", "sonar").line(), "type", "unknown type", "sonar"));
  EXPECT_TRUE(error_on_line3(radar_row().set("type", "Radar").line(), "type", "unknown type", "Radar"));
  EXPECT_TRUE(error_on_line3(radar_row().set("sensor_id", "KAL-I1").line(), "type",
                             "type 'radar' disagrees with sensor 'KAL-I1', which is 'iff' in sensors.csv"));
  EXPECT_TRUE(error_on_line3(adsb_row().set("sensor_id", "KAL-R1").line(), "type", "disagrees with sensor"));
}

TEST(DetectionsCsv, RejectsBadPolarMeasurements) {
  for (const auto& row : {radar_row(), iff_row()}) {
    Cells r = row;
    EXPECT_TRUE(error_on_line3(Cells(r).set("range_m", "0").line(), "range_m", "must be > 0", "0"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("range_m", "-5").line(), "range_m", "must be > 0", "-5"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("range_m", "").line(), "range_m", "range_m is empty: a"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("range_m", "12.5x").line(), "range_m", "is not a number", "12.5x"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("range_m", "1e999").line(), "range_m", "too large", "1e999"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("azimuth_deg", "360.0001").line(), "azimuth_deg", "must be in [0, 360]"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("azimuth_deg", "-0.1").line(), "azimuth_deg", "must be in [0, 360]"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("elevation_deg", "90.5").line(), "elevation_deg", "must be in [-90, 90]"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("elevation_deg", "-inf").line(), "elevation_deg", "not a finite number"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("sigma_range_m", "0").line(), "sigma_range_m", "must be > 0"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("sigma_azimuth_deg", "nan").line(), "sigma_azimuth_deg", "not a finite number", "nan"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("sigma_elevation_deg", "inf").line(), "sigma_elevation_deg", "not a finite number"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("sigma_elevation_deg", "+1").line(), "sigma_elevation_deg", "not a number", "+1"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("sigma_range_m", " 30").line(), "sigma_range_m", "not a number", " 30"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("lat_deg", "44").line(), "lat_deg", "must be empty on a", "44"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("lon_deg", "19").line(), "lon_deg", "must be empty"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("alt_m", "0").line(), "alt_m", "must be empty"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("sigma_pos_m", "5").line(), "sigma_pos_m", "must be empty"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("icao", "39B60B").line(), "icao", "must be empty", "39B60B"));
    EXPECT_TRUE(error_on_line3(Cells(r).set("squawk", "7000").line(), "squawk", "must be empty", "7000"));
  }
  EXPECT_TRUE(error_on_line3(radar_row().set("iff", "mode5_valid").line(), "iff", "must be empty on a radar row",
                             "mode5_valid"));
}

TEST(DetectionsCsv, RejectsBadIffReplies) {
  for (const char* bad : {"mode4", "mode3:", "mode3:777", "mode3:7778", "mode3:77777", "MODE5_VALID", "mode5_valid "}) {
    EXPECT_TRUE(error_on_line3(iff_row().set("iff", bad).line(), "iff", "is not a reply code", bad)) << bad;
  }
}

TEST(DetectionsCsv, RejectsBadAdsbReports) {
  const Cells a = adsb_row();
  for (const char* polar : {"range_m", "azimuth_deg", "elevation_deg", "sigma_range_m", "sigma_azimuth_deg",
                            "sigma_elevation_deg"}) {
    EXPECT_TRUE(error_on_line3(Cells(a).set(polar, "1").line(), polar, "must be empty on an adsb row")) << polar;
  }
  EXPECT_TRUE(error_on_line3(Cells(a).set("lat_deg", "90.000001").line(), "lat_deg", "must be in [-90, 90]"));
  EXPECT_TRUE(error_on_line3(Cells(a).set("lon_deg", "-181").line(), "lon_deg", "must be in [-180, 180]", "-181"));
  EXPECT_TRUE(error_on_line3(Cells(a).set("alt_m", "100000.5").line(), "alt_m", "must be in [-1000, 100000]"));
  EXPECT_TRUE(error_on_line3(Cells(a).set("alt_m", "").line(), "alt_m", "alt_m is empty: an adsb row needs it"));
  EXPECT_TRUE(error_on_line3(Cells(a).set("sigma_pos_m", "0").line(), "sigma_pos_m", "must be > 0"));
  EXPECT_TRUE(error_on_line3(Cells(a).set("sigma_pos_m", "nan").line(), "sigma_pos_m", "not a finite number"));
  EXPECT_TRUE(error_on_line3(Cells(a).set("icao", "").line(), "icao", "icao is empty"));
  EXPECT_TRUE(error_on_line3(Cells(a).set("icao", "39B60").line(), "icao", "is not 6 hex digits", "39B60"));
  EXPECT_TRUE(error_on_line3(Cells(a).set("icao", "39B60B0").line(), "icao", "is not 6 hex digits"));
  EXPECT_TRUE(error_on_line3(Cells(a).set("icao", "39B60G").line(), "icao", "is not 6 hex digits", "39B60G"));
  EXPECT_TRUE(error_on_line3(Cells(a).set("icao", "-39B60").line(), "icao", "is not 6 hex digits"));
  EXPECT_TRUE(error_on_line3(Cells(a).set("squawk", "8000").line(), "squawk", "is not 4 octal digits", "8000"));
  EXPECT_TRUE(error_on_line3(Cells(a).set("squawk", "700").line(), "squawk", "is not 4 octal digits"));
  EXPECT_TRUE(error_on_line3(Cells(a).set("squawk", "+700").line(), "squawk", "is not 4 octal digits"));
  EXPECT_TRUE(error_on_line3(Cells(a).set("iff", "mode5_valid").line(), "iff", "must be empty on an adsb row"));
}

TEST(DetectionsCsv, RejectsWrongFieldCounts) {
  std::string short_row = radar_row().line();
  short_row.resize(short_row.rfind(','));  // 15 fields
  EXPECT_TRUE(error_on_line3(short_row, "iff", "too few fields: 15 of 16 (the row ends before column 'iff')"));
  EXPECT_TRUE(error_on_line3("1", "sensor_id", "too few fields: 1 of 16"));

  const auto extra = parse_detections_csv(detections({radar_row().line() + ","}), sensors(), "d.csv");
  ASSERT_FALSE(extra.has_value());
  EXPECT_EQ(extra.error().where.line, 2);
  EXPECT_EQ(extra.error().where.column, 17);
  EXPECT_THAT(extra.error().message, HasSubstr("too many fields: 17, the header has 16"));

  // With an extra header column every row needs it too.
  std::string text(kHeader.substr(0, kHeader.size() - 1));
  text += ",note\n" + radar_row().line() + "\n";
  const auto missing = parse_detections_csv(text, sensors(), "d.csv");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().where.column, 17);
  EXPECT_THAT(missing.error().message, HasSubstr("too few fields: 16 of 17"));
}

TEST(DetectionsCsv, RejectsControlBytesAndQuotesThemSafely) {
  std::string nul_row = radar_row().set("sensor_id", std::string("KAL-R1\0", 7)).line();
  EXPECT_TRUE(error_on_line3(nul_row, "sensor_id", "NUL byte in a field: 'KAL-R1\\x00'"));
  EXPECT_TRUE(error_on_line3(radar_row().set("range_m", "1\r2").line(), "range_m", "control character \\x0D"));
  // A NUL in an ignored extra column is still an error.
  std::string text(kHeader.substr(0, kHeader.size() - 1));
  text += ",note\n" + radar_row().line() + ",a" + std::string(1, '\0') + "b\n";
  const auto out = parse_detections_csv(text, sensors(), "d.csv");
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().where.column, 17);
  EXPECT_THAT(out.error().message, HasSubstr("NUL byte"));
  // Long or non-ASCII bad text is truncated and escaped in the message.
  const auto id = parse_detections_csv(detections({radar_row().set("sensor_id", "\xC3\xA9" + std::string(100, 'x')).line()}),
                                       sensors(), "d.csv");
  ASSERT_FALSE(id.has_value());
  EXPECT_THAT(id.error().message, HasSubstr("'\\xC3\\xA9xxxxx"));
  EXPECT_THAT(id.error().message, HasSubstr("...'"));
  EXPECT_LT(id.error().message.size(), 120U);
}

// ------------------------------------------------------------------------------------------------
// detections.csv: header and lines

TEST(DetectionsCsvLines, RejectsAMissingOrMisplacedHeaderColumn) {
  std::string no_az(kHeader);
  no_az.erase(no_az.find("azimuth_deg,"), 12);
  auto r = DetectionReader::from_text(no_az, "d.csv", sensors());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().where.line, 1);
  EXPECT_EQ(r.error().where.column, 5);
  EXPECT_EQ(r.error().where.path, "azimuth_deg");
  EXPECT_THAT(r.error().message, HasSubstr("missing column 'azimuth_deg' (column 5)"));

  std::string swapped(kHeader);
  swapped.replace(swapped.find("icao,squawk"), 11, "squawk,icao");
  r = DetectionReader::from_text(swapped, "d.csv", sensors());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().where.column, 14);
  EXPECT_EQ(r.error().where.path, "icao");
  EXPECT_THAT(r.error().message, HasSubstr("misplaced column 'icao': found at column 15, expected at column 14"));

  std::string truncated(kHeader.substr(0, kHeader.find(",iff")));
  r = DetectionReader::from_text(truncated + "\n", "d.csv", sensors());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().where.column, 16);
  EXPECT_THAT(r.error().message, HasSubstr("missing column 'iff' (column 16)"));

  std::string upper(kHeader);
  upper[0] = 'T';
  r = DetectionReader::from_text(upper, "d.csv", sensors());
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, HasSubstr("missing column 'time_s' (column 1): found 'Time_s'"));

  for (const char* extra : {",", ",time_s"}) {
    std::string h(kHeader.substr(0, kHeader.size() - 1));
    r = DetectionReader::from_text(h + extra + "\n", "d.csv", sensors());
    ASSERT_FALSE(r.has_value()) << extra;
    EXPECT_EQ(r.error().where.column, 17);
  }

  r = DetectionReader::from_text("", "d.csv", sensors());
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, HasSubstr("empty file"));
}

TEST(DetectionsCsvLines, AcceptsCrlfBomAndAMissingFinalNewline) {
  std::string text = "\xEF\xBB\xBF" + std::string(kHeader.substr(0, kHeader.size() - 1)) + "\r\n";
  text += radar_row().line() + "\r\n" + adsb_row().line();
  const auto out = parse_detections_csv(text, sensors(), "d.csv");
  ASSERT_TRUE(out.has_value()) << out.error().to_string();
  ASSERT_EQ(out->size(), 2U);
  EXPECT_EQ((*out)[0].iff, IffCode::none);
  EXPECT_EQ((*out)[1].icao, 0x39B60BU);
}

TEST(DetectionsCsvLines, AllowsOneBlankLineOnlyAtTheVeryEnd) {
  auto out = parse_detections_csv(detections({radar_row().line(), ""}), sensors(), "d.csv");
  ASSERT_TRUE(out.has_value()) << out.error().to_string();
  EXPECT_EQ(out->size(), 1U);
  out = parse_detections_csv(detections({radar_row().line()}) + "\r\n", sensors(), "d.csv");
  ASSERT_TRUE(out.has_value()) << out.error().to_string();

  out = parse_detections_csv(detections({radar_row().line(), "", ""}), sensors(), "d.csv");
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().where.line, 3);
  EXPECT_THAT(out.error().message, HasSubstr("blank line"));

  out = parse_detections_csv(detections({radar_row().line(), "", radar_row().line()}), sensors(), "d.csv");
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().where.line, 3);
  EXPECT_THAT(out.error().message, HasSubstr("blank line"));
}

// A valid radar row padded through an extra column to exactly `bytes` bytes.
std::string padded_row(std::size_t bytes) {
  std::string row = radar_row().line() + ",";
  row.append(bytes - row.size(), 'p');
  return row;
}

TEST(DetectionsCsvLines, RejectsLinesLongerThan4096Bytes) {
  const std::string header = std::string(kHeader.substr(0, kHeader.size() - 1)) + ",pad\n";
  auto out = parse_detections_csv(header + padded_row(4096) + "\r\n" + padded_row(4096) + "\n", sensors(), "d.csv");
  ASSERT_TRUE(out.has_value()) << out.error().to_string();
  EXPECT_EQ(out->size(), 2U);
  out = parse_detections_csv(header + padded_row(4096) + "\n" + padded_row(4097) + "\n", sensors(), "d.csv");
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().where.line, 3);
  EXPECT_THAT(out.error().message, HasSubstr("longer than 4096 bytes"));
  out = parse_detections_csv(header + padded_row(5000), sensors(), "d.csv");  // no final newline
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().where.line, 2);
  EXPECT_THAT(out.error().message, HasSubstr("longer than 4096 bytes"));

  const auto one = parse_detection_line(std::string(5000, '1'), sensors(), "d.csv", 7);
  ASSERT_FALSE(one.has_value());
  EXPECT_EQ(one.error().where.line, 7);
  EXPECT_THAT(one.error().message, HasSubstr("longer than 4096 bytes"));
}

TEST(DetectionsCsvLines, ParsesOneLineWithItsLocation) {
  const auto r = parse_detection_line(adsb_row().line(), sensors(), "x.csv", 41);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_EQ(r->icao, 0x39B60BU);
  const auto bad = parse_detection_line(adsb_row().set("squawk", "9").line(), sensors(), "x.csv", 41);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().where.to_string(), "x.csv:41:15: record 40: squawk");
  EXPECT_FALSE(parse_detection_line("", sensors(), "x.csv", 2).has_value());
}

// ------------------------------------------------------------------------------------------------
// DetectionReader

TEST(DetectionsCsvReader, ErrorsAreSticky) {
  auto reader = DetectionReader::from_text(
      detections({radar_row().line(), radar_row().set("range_m", "x").line(), radar_row().line()}), "d.csv", sensors());
  ASSERT_TRUE(reader.has_value()) << reader.error().to_string();
  Report r;
  auto more = reader->next(r);
  ASSERT_TRUE(more.has_value());
  EXPECT_TRUE(*more);
  r.range_m = -1.0;
  for (int i = 0; i < 3; ++i) {
    more = reader->next(r);
    ASSERT_FALSE(more.has_value());
    EXPECT_EQ(more.error().where.line, 3);
    EXPECT_EQ(more.error().where.path, "range_m");
    EXPECT_EQ(r.range_m, -1.0);  // `out` untouched on error
  }
}

TEST(DetectionsCsvReader, RejectsABadSensorTable) {
  auto table = sensors();
  table.push_back(table[0]);
  const auto dup = DetectionReader::from_text(std::string(kHeader), "d.csv", table);
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, Errc::duplicate_id);
  EXPECT_THAT(dup.error().message, HasSubstr("'KAL-R1'"));
}

TEST(DetectionsCsvReader, StreamsAFileAcrossChunksLikeMemory) {
  // About 3 MiB, so rows straddle the 1 MiB chunk boundaries; no final newline.
  std::string text(kHeader);
  for (int i = 0; i < 30000; ++i) {
    const std::string t = std::to_string(i / 3) + "." + std::to_string(i % 3);
    const Cells c = i % 3 == 0 ? radar_row() : i % 3 == 1 ? iff_row() : adsb_row();
    text += Cells(c).set("time_s", t).line();
    if (i + 1 < 30000) text += (i % 2 == 0) ? "\n" : "\r\n";
  }
  const std::string path = temp_file("stream.csv", text);
  auto reader = DetectionReader::open(path, sensors());
  ASSERT_TRUE(reader.has_value()) << reader.error().to_string();
  EXPECT_EQ(reader->bytes_total(), text.size());
  EXPECT_EQ(reader->sensors().size(), 3U);
  const auto memory = parse_detections_csv(text, sensors(), "d.csv");
  ASSERT_TRUE(memory.has_value()) << memory.error().to_string();
  ASSERT_EQ(memory->size(), 30000U);
  Report r;
  std::size_t n = 0;
  std::uint64_t last_read = reader->bytes_read();
  for (;;) {
    const auto more = reader->next(r);
    ASSERT_TRUE(more.has_value()) << more.error().to_string();
    if (!*more) break;
    ASSERT_LT(n, memory->size());
    const Report& m = (*memory)[n];
    ASSERT_EQ(r.time, m.time) << n;
    ASSERT_EQ(r.sensor, m.sensor) << n;
    ASSERT_EQ(r.range_m, m.range_m) << n;
    ASSERT_EQ(r.pos.alt_m, m.pos.alt_m) << n;
    ASSERT_EQ(r.iff, m.iff) << n;
    ASSERT_GE(reader->bytes_read(), last_read);
    last_read = reader->bytes_read();
    ++n;
  }
  EXPECT_EQ(n, 30000U);
  EXPECT_EQ(reader->bytes_read(), text.size());
  const auto again = reader->next(r);
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(*again);

  // A moved-to reader carries on; the moved-from one reports misuse instead of crashing.
  DetectionReader moved = std::move(*reader);
  EXPECT_EQ(moved.sensors().size(), 3U);
  EXPECT_FALSE(reader->next(r).has_value());  // NOLINT(bugprone-use-after-move): on purpose
}

TEST(DetectionsCsvReader, FindsALongLineAtAChunkBoundaryInAFile) {
  std::string text(kHeader);
  while (text.size() < (std::size_t{1} << 20) - 100) text += radar_row().line() + "\n";
  const int lines = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
  text += std::string(10000, '7') + "\n" + radar_row().line() + "\n";
  auto reader = DetectionReader::open(temp_file("long.csv", text), sensors());
  ASSERT_TRUE(reader.has_value()) << reader.error().to_string();
  Report r;
  Result<bool> more = true;
  int rows = 0;
  while ((more = reader->next(r)).has_value() && *more) ++rows;
  ASSERT_FALSE(more.has_value());
  EXPECT_EQ(rows, lines - 1);
  EXPECT_EQ(more.error().where.line, lines + 1);
  EXPECT_THAT(more.error().message, HasSubstr("longer than 4096 bytes"));
}

TEST(DetectionsCsvReader, StopsAtAHugeLineWithoutBufferingIt) {
  // 3 MiB without a newline: the reader must give up after its first chunk (ASan checks it
  // never grows or overruns its buffer).
  const std::string text = std::string(kHeader) + radar_row().line() + "\n" + std::string(3 << 20, '9');
  auto reader = DetectionReader::open(temp_file("huge.csv", text), sensors());
  ASSERT_TRUE(reader.has_value()) << reader.error().to_string();
  Report r;
  ASSERT_TRUE(reader->next(r).has_value());
  const auto more = reader->next(r);
  ASSERT_FALSE(more.has_value());
  EXPECT_EQ(more.error().where.line, 3);
  EXPECT_THAT(more.error().message, HasSubstr("longer than 4096 bytes"));
  EXPECT_LT(reader->bytes_read(), std::uint64_t{1} << 20);
}

TEST(DetectionsCsvReader, ReportsAMissingFile) {
  const auto reader = DetectionReader::open(::testing::TempDir() + "jrads_no_such_dir/d.csv", sensors());
  ASSERT_FALSE(reader.has_value());
  EXPECT_EQ(reader.error().code, Errc::io_error);
}

// ------------------------------------------------------------------------------------------------
// Files written by `jrads simulate` (tests/picture/data: sensors.csv, the first 200 lines of
// detections.csv, and its header plus lines 1800-1999).

struct Counts {
  int radar = 0, adsb = 0, iff_none = 0, mode5 = 0, mode3 = 0;
};

Counts read_fixture(std::string_view name, const std::vector<SensorSite>& sites) {
  Counts c;
  auto reader = DetectionReader::open(fixture(name), sites);
  EXPECT_TRUE(reader.has_value()) << reader.error().to_string();
  if (!reader) return c;
  Report r;
  SimTime previous = SimTime::from_ns(INT64_MIN);
  for (;;) {
    const auto more = reader->next(r);
    EXPECT_TRUE(more.has_value()) << more.error().to_string();
    if (!more || !*more) break;
    EXPECT_GE(r.time, previous);
    previous = r.time;
    EXPECT_EQ(r.kind, sites[r.sensor].kind);
    switch (r.kind) {
      case SensorKind::radar: ++c.radar; break;
      case SensorKind::adsb:
        ++c.adsb;
        EXPECT_TRUE(r.has_icao);
        EXPECT_GT(r.sigma_pos_m, 0.0);
        break;
      case SensorKind::iff:
        if (r.iff == IffCode::none) ++c.iff_none;
        if (r.iff == IffCode::mode5_valid) ++c.mode5;
        if (r.iff == IffCode::mode3) ++c.mode3;
        EXPECT_EQ(r.has_squawk, r.iff == IffCode::mode3);
        break;
    }
  }
  EXPECT_EQ(reader->bytes_read(), reader->bytes_total());
  return c;
}

TEST(CsvFixture, ReadsFilesWrittenByTheSimulator) {
  const auto sites = read_sensors_csv(fixture("sensors.csv"));
  ASSERT_TRUE(sites.has_value()) << sites.error().to_string();
  ASSERT_EQ(sites->size(), 13U);
  EXPECT_EQ((*sites)[0].id, "KAL-R1");
  EXPECT_EQ((*sites)[12].kind, SensorKind::adsb);

  const Counts head = read_fixture("detections_head.csv", *sites);
  EXPECT_EQ(head.radar, 199);
  const Counts mixed = read_fixture("detections_mixed.csv", *sites);
  EXPECT_EQ(mixed.radar, 135);
  EXPECT_EQ(mixed.adsb, 59);
  EXPECT_EQ(mixed.mode5, 5);
  EXPECT_EQ(mixed.mode3, 1);
  EXPECT_EQ(mixed.iff_none, 0);
}

}  // namespace
}  // namespace jrads::picture
