#include "jrads/sim/csv_output.hpp"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "sim_fixture.hpp"

namespace jrads::sim {
namespace {

std::vector<std::string> read_lines(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> fields(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (const char c : line) {
    if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

TEST(CsvFormat, NumbersRoundTripAndCodesArePadded) {
  for (const double v : {0.1, 1e-9, 123456.789012345, -3.0, 6378137.0}) {
    std::string s;
    append_double(s, v);
    double back = 0;
    std::from_chars(s.data(), s.data() + s.size(), back);
    EXPECT_EQ(back, v) << s;
  }
  std::string s;
  append_fixed(s, 45.123456789123, 9);
  EXPECT_EQ(s, "45.123456789");
  s.clear();
  append_icao(s, 0x00A3F1);
  EXPECT_EQ(s, "00A3F1");
  s.clear();
  append_squawk(s, 7);
  EXPECT_EQ(s, "0007");
}

TEST(CsvFormat, TimesAreExactDecimalSeconds) {
  const auto text = [](SimTime t) {
    std::string s;
    append_time(s, t);
    return s;
  };
  EXPECT_EQ(text(SimTime::from_ns(0)), "0");
  EXPECT_EQ(text(SimTime::from_s(120.0)), "120");
  EXPECT_EQ(text(SimTime::from_ns(22'591'510)), "0.02259151");
  EXPECT_EQ(text(SimTime::from_ns(3'600'000'000'001)), "3600.000000001");
  EXPECT_EQ(text(SimTime::from_ns(-1'500'000'000)), "-1.5");
  // 0.1 s steps stay exact where a double sum would not.
  EXPECT_EQ(text(SimTime::from_s(0.1) + SimTime::from_s(0.2)), "0.3");
}

class CsvRun : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("jrads_csv_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    auto out = CsvOutput::open(dir_);
    ASSERT_TRUE(out) << out.error().to_string();
    SimulationSink* sinks[] = {out->get()};
    run_simulation(testing::small_input(), SimulationOptions{}, sinks);
    ASSERT_TRUE((*out)->commit());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(CsvRun, FilesFollowFormatsExactly) {
  const auto sensors = read_lines(dir_ / "sensors.csv");
  ASSERT_EQ(sensors.size(), 5U);
  EXPECT_EQ(sensors[0], "sensor_id,party,type,lat_deg,lon_deg,alt_m");
  EXPECT_EQ(sensors[1].rfind("R1,A,radar,45.000000000,20.000000000,20", 0), 0U);
  EXPECT_EQ(sensors[3].rfind("I1,A,iff,", 0), 0U);
  EXPECT_EQ(sensors[4].rfind("A1,B,adsb,", 0), 0U);

  const auto truth = read_lines(dir_ / "truth.csv");
  ASSERT_GT(truth.size(), 4U * 290);
  EXPECT_EQ(truth[0], "time_s,truth_id,category,lat_deg,lon_deg,alt_m,ve_mps,vn_mps,vu_mps");
  double last_t = -1;
  for (std::size_t i = 1; i < truth.size(); ++i) {
    const auto f = fields(truth[i]);
    ASSERT_EQ(f.size(), 9U) << truth[i];
    const double t = std::stod(f[0]);
    ASSERT_GE(t, last_t);
    last_t = t;
    ASSERT_TRUE(f[2] == "civil" || f[2] == "friend" || f[2] == "hostile") << f[2];
    ASSERT_GE(f[3].size() - f[3].find('.') - 1, 9U);  // lat with at least 9 decimals
  }

  const auto det = read_lines(dir_ / "detections.csv");
  const auto map = read_lines(dir_ / "detections_truth.csv");
  EXPECT_EQ(det[0],
            "time_s,sensor_id,type,range_m,azimuth_deg,elevation_deg,sigma_range_m,sigma_azimuth_deg,"
            "sigma_elevation_deg,lat_deg,lon_deg,alt_m,sigma_pos_m,icao,squawk,iff");
  EXPECT_EQ(map[0], "row,truth_id");
  ASSERT_EQ(det.size(), map.size());
  std::map<std::string, int> by_type;
  last_t = -1e9;
  for (std::size_t i = 1; i < det.size(); ++i) {
    const auto f = fields(det[i]);
    ASSERT_EQ(f.size(), 16U) << det[i];
    const double t = std::stod(f[0]);
    ASSERT_GE(t, last_t) << "row " << i;
    last_t = t;
    ++by_type[f[2]];
    if (f[2] == "adsb") {
      EXPECT_TRUE(f[3].empty() && f[4].empty() && f[5].empty());
      EXPECT_FALSE(f[9].empty() || f[10].empty() || f[11].empty() || f[12].empty());
      EXPECT_EQ(f[13].size(), 6U);
      EXPECT_EQ(f[14], "1234");
    } else {
      EXPECT_FALSE(f[3].empty() || f[4].empty() || f[5].empty());
      EXPECT_TRUE(f[9].empty() && f[10].empty() && f[11].empty() && f[12].empty());
      const double az = std::stod(f[4]);
      EXPECT_GE(az, 0.0);
      EXPECT_LT(az, 360.0);
    }
    if (f[2] == "iff") {
      EXPECT_TRUE(f[15].empty() || f[15] == "mode5_valid" || f[15] == "mode3:1234") << f[15];
    } else {
      EXPECT_TRUE(f[15].empty());
    }
    const auto m = fields(map[i]);
    ASSERT_EQ(m.size(), 2U);
    EXPECT_EQ(m[0], std::to_string(i));
    EXPECT_TRUE(m[1] == "-1" || m[1] == "C1" || m[1] == "C2" || m[1] == "F1" || m[1] == "H1") << m[1];
  }
  EXPECT_GT(by_type["radar"], 100);
  EXPECT_GT(by_type["iff"], 10);
  EXPECT_GT(by_type["adsb"], 300);
}

TEST(CsvOutput, FilesAppearUnderTheirNamesOnlyWhenCommitted) {
  const auto dir = std::filesystem::temp_directory_path() / ("jrads_csv_commit_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  { std::FILE* f = std::fopen((dir / "truth.csv").c_str(), "w"); std::fputs("an earlier run\n", f); std::fclose(f); }
  {
    auto out = CsvOutput::open(dir);
    ASSERT_TRUE(out) << out.error().to_string();
    SimulationSink* sinks[] = {out->get()};
    run_simulation(testing::small_input(), SimulationOptions{}, sinks);
    // Not committed (as when the program stops on an error): the earlier file is intact and
    // the partial files go with the writer.
    EXPECT_TRUE(std::filesystem::exists(dir / "truth.csv.partial"));
    EXPECT_EQ(read_lines(dir / "truth.csv"), std::vector<std::string>{"an earlier run"});
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "truth.csv.partial"));
  EXPECT_FALSE(std::filesystem::exists(dir / "detections.csv"));
  {
    auto out = CsvOutput::open(dir);
    ASSERT_TRUE(out);
    SimulationSink* sinks[] = {out->get()};
    run_simulation(testing::small_input(), SimulationOptions{}, sinks);
    ASSERT_TRUE((*out)->commit());
  }
  EXPECT_EQ(read_lines(dir / "truth.csv")[0], "time_s,truth_id,category,lat_deg,lon_deg,alt_m,ve_mps,vn_mps,vu_mps");
  EXPECT_TRUE(std::filesystem::exists(dir / "detections_truth.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir / "truth.csv.partial"));
  std::filesystem::remove_all(dir);
}

TEST(CsvOutput, AWriteErrorCommitsNothing) {
  if (!std::filesystem::exists("/dev/full")) GTEST_SKIP() << "needs /dev/full";
  const auto dir = std::filesystem::temp_directory_path() / ("jrads_csv_full_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  // Every write to the truth file fails as on a full disk.
  std::filesystem::create_symlink("/dev/full", dir / "truth.csv.partial");
  auto out = CsvOutput::open(dir);
  ASSERT_TRUE(out) << out.error().to_string();
  SimulationSink* sinks[] = {out->get()};
  run_simulation(testing::small_input(), SimulationOptions{}, sinks);
  EXPECT_TRUE((*out)->failed());
  const auto committed = (*out)->commit();
  ASSERT_FALSE(committed);
  EXPECT_NE(committed.error().to_string().find("write failed"), std::string::npos) << committed.error().to_string();
  out->reset();
  for (const char* name : {"sensors.csv", "truth.csv", "detections.csv", "detections_truth.csv"}) {
    EXPECT_FALSE(std::filesystem::exists(dir / name)) << name;
  }
  std::filesystem::remove_all(dir);
}

TEST(CsvOutput, UnwritableDirectoryIsAClearError) {
  const auto out = CsvOutput::open("/proc/jrads_cannot_write_here");
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().code, Errc::io_error);
  EXPECT_NE(out.error().to_string().find("/proc/jrads_cannot_write_here"), std::string::npos);
}

}  // namespace
}  // namespace jrads::sim
