#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "jrads/metrics/metrics.hpp"

namespace jrads::metrics {
namespace {

using ::testing::HasSubstr;

const std::string kDetHeader =
    "time_s,sensor_id,type,range_m,azimuth_deg,elevation_deg,sigma_range_m,sigma_azimuth_deg,sigma_elevation_deg,"
    "lat_deg,lon_deg,alt_m,sigma_pos_m,icao,squawk,iff\n";

TruthTable two_truths() {
  auto t = parse_truth_csv(
      "time_s,truth_id,category,lat_deg,lon_deg,alt_m,ve_mps,vn_mps,vu_mps\n"
      "0,A,civil,52,4,9000,0,0,0\n"
      "0,B,hostile,52,5,9000,0,0,0\n",
      "truth.csv");
  JRADS_ASSERT(t.has_value());
  return *t;
}

std::string detections(const std::vector<double>& times) {
  std::string out = kDetHeader;
  for (const double t : times) out += std::to_string(t) + ",R1,radar,1000,10,1,20,0.1,0.1,,,,,,,\n";
  return out;
}

// Rows 1..8 at these times; 1,3,5,6 are A, 4 and 7 are B, 2 is clutter, 8 is not listed.
const std::vector<double> kTimes = {10, 12, 20, 25, 80, 95, 200, 201};
const std::string kMap = "row,truth_id\n1,A\n2,-1\n3,A\n4,B\n5,A\n6,A\n7,B\n";

Result<Coverage> coverage(const std::string& det, const std::string& map, double window_s, int min_detections) {
  MetricsParams p;
  p.coverage_window_s = window_s;
  p.coverage_min_detections = min_detections;
  return parse_coverage(det, "detections.csv", map, "detections_truth.csv", two_truths(), p);
}

TEST(MetricsCoverage, TwoDetectionsWithinTheWindow) {
  // A at 10, 20, 80, 95 with k = 2, w = 30: covered on [20, 10 + 30] and [95, 80 + 30].
  const auto c = coverage(detections(kTimes), kMap, 30.0, 2);
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  EXPECT_EQ(c->detection_rows, 8);
  EXPECT_EQ(c->attributed_rows, 6);
  EXPECT_EQ(c->clutter_rows, 1);
  EXPECT_FALSE(c->covers(0, 19.99));
  EXPECT_TRUE(c->covers(0, 20.0));
  EXPECT_TRUE(c->covers(0, 40.0));
  EXPECT_FALSE(c->covers(0, 40.01));
  EXPECT_FALSE(c->covers(0, 94.0));
  EXPECT_TRUE(c->covers(0, 95.0));
  EXPECT_TRUE(c->covers(0, 110.0));
  EXPECT_FALSE(c->covers(0, 110.5));
  // B at 25 and 200: never two within 30 s.
  EXPECT_TRUE(c->intervals[1].empty());
  EXPECT_FALSE(c->covers(1, 200.0));
  EXPECT_FALSE(c->covers(7, 20.0));  // no such truth
}

TEST(MetricsCoverage, OneDetectionMergesOverlappingWindows) {
  const auto c = coverage(detections(kTimes), kMap, 30.0, 1);
  ASSERT_TRUE(c.has_value()) << c.error().to_string();
  ASSERT_EQ(c->intervals[0].size(), 2U);  // [10, 50] and [80, 125]
  EXPECT_DOUBLE_EQ(c->intervals[0][0].begin_s, 10.0);
  EXPECT_DOUBLE_EQ(c->intervals[0][0].end_s, 50.0);
  EXPECT_DOUBLE_EQ(c->intervals[0][1].begin_s, 80.0);
  EXPECT_DOUBLE_EQ(c->intervals[0][1].end_s, 125.0);
  ASSERT_EQ(c->intervals[1].size(), 2U);  // [25, 55] and [200, 230]
  EXPECT_TRUE(c->covers(1, 230.0));
  EXPECT_FALSE(c->covers(1, 60.0));
}

TEST(MetricsCoverage, ThreeDetectionsNeedAThirdInsideTheWindow) {
  // A with k = 3, w = 70: 10, 20, 80 spans 70 s: covered on [80, 80]; 20, 80, 95 on [95, 90].
  const auto c = coverage(detections(kTimes), kMap, 70.0, 3);
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->covers(0, 80.0));
  EXPECT_FALSE(c->covers(0, 80.5));
  EXPECT_FALSE(c->covers(0, 95.0));
}

void expect_error(const Result<Coverage>& c, const char* file, int line, const char* path, const char* message) {
  ASSERT_FALSE(c.has_value()) << message;
  EXPECT_EQ(c.error().where.file, file) << c.error().to_string();
  EXPECT_EQ(c.error().where.line, line) << c.error().to_string();
  EXPECT_EQ(c.error().where.path, path) << c.error().to_string();
  EXPECT_THAT(c.error().message, HasSubstr(message));
}

TEST(MetricsCoverage, RejectsBadInputNamingFileLineAndColumn) {
  const std::string det = detections(kTimes);
  expect_error(coverage(det, "row,truth_id\n1,A\n3,A\n2,A\n", 30, 2), "detections_truth.csv", 4, "row",
               "strictly increasing");
  expect_error(coverage(det, "row,truth_id\n9,A\n", 30, 2), "detections_truth.csv", 2, "row", "beyond the 8");
  expect_error(coverage(det, "row,truth_id\n1,Z\n", 30, 2), "detections_truth.csv", 2, "truth_id",
               "not in truth.csv");
  expect_error(coverage(det, "row,truth_id\nx,A\n", 30, 2), "detections_truth.csv", 2, "row", "integer");
  expect_error(coverage(det, "row,truth_id\n1\n", 30, 2), "detections_truth.csv", 2, "truth_id", "fields");
  expect_error(coverage(det, "row,truth\n", 30, 2), "detections_truth.csv", 1, "truth_id", "must be truth_id");
  expect_error(coverage(det, "", 30, 2), "detections_truth.csv", 1, "row", "empty file");
  expect_error(coverage(kDetHeader + "5,R1\n4,R1\n", "row,truth_id\n2,A\n", 30, 2), "detections.csv", 3, "time_s",
               "backwards");
  expect_error(coverage(kDetHeader + "nan,R1\n", "row,truth_id\n1,A\n", 30, 2), "detections.csv", 2, "time_s",
               "finite");
  expect_error(coverage("time_s,sensor_id\n", kMap, 30, 2), "detections.csv", 1, "type", "lacks column");
  // Rows after the last listed one are still checked.
  expect_error(coverage(detections(kTimes) + "1,R1\n", kMap, 30, 2), "detections.csv", 10, "time_s", "backwards");
  const auto bad_params = coverage(det, kMap, 30, 0);
  ASSERT_FALSE(bad_params.has_value());
  EXPECT_EQ(bad_params.error().where.path, "coverage_min_detections");
}

TEST(MetricsCoverage, StreamedFilesMatchTheInMemoryParser) {
  const auto dir = std::filesystem::path(JRADS_BINARY_DIR) / "test_scratch" / "metrics_coverage";
  std::filesystem::create_directories(dir);
  std::vector<double> times;
  std::string map = "row,truth_id\n";
  for (int i = 0; i < 60'000; ++i) {
    times.push_back(0.25 * i);
    // A seen in bursts, B every 7th row, the rest clutter or unlisted.
    const int row = i + 1;
    if ((i / 500) % 3 == 0 && i % 5 == 0) {
      map += std::to_string(row) + ",A\n";
    } else if (i % 7 == 0) {
      map += std::to_string(row) + ",B\n";
    } else if (i % 2 == 0) {
      map += std::to_string(row) + ",-1\n";
    }
  }
  const std::string det = detections(times);
  ASSERT_GT(det.size(), 2U << 20);
  std::ofstream(dir / "detections.csv", std::ios::binary) << det;
  std::ofstream(dir / "detections_truth.csv", std::ios::binary) << map;
  MetricsParams p;
  p.coverage_window_s = 10.0;
  const auto from_files = read_coverage(dir / "detections.csv", dir / "detections_truth.csv", two_truths(), p);
  const auto from_text = parse_coverage(det, "d", map, "m", two_truths(), p);
  ASSERT_TRUE(from_files.has_value()) << from_files.error().to_string();
  ASSERT_TRUE(from_text.has_value());
  EXPECT_EQ(from_files->detection_rows, 60'000);
  EXPECT_EQ(from_files->attributed_rows, from_text->attributed_rows);
  ASSERT_EQ(from_files->intervals.size(), 2U);
  for (std::size_t j = 0; j < 2; ++j) {
    ASSERT_EQ(from_files->intervals[j].size(), from_text->intervals[j].size());
    for (std::size_t k = 0; k < from_files->intervals[j].size(); ++k) {
      EXPECT_EQ(from_files->intervals[j][k].begin_s, from_text->intervals[j][k].begin_s);
      EXPECT_EQ(from_files->intervals[j][k].end_s, from_text->intervals[j][k].end_s);
    }
  }
  // A's bursts (every 1.25 s for 125 s, then 250 s of silence) are separate intervals.
  EXPECT_GE(from_files->intervals[0].size(), 20U);
  // B every 1.75 s (3.5 s where A takes the row) with a 10 s window: one interval from its
  // second detection (row 0 is A's, so B's first two are at 1.75 s and 3.5 s) to the end.
  ASSERT_EQ(from_files->intervals[1].size(), 1U);
  EXPECT_DOUBLE_EQ(from_files->intervals[1][0].begin_s, 3.5);

  const auto missing = read_coverage(dir / "nope.csv", dir / "detections_truth.csv", two_truths(), p);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, Errc::io_error);
}

}  // namespace
}  // namespace jrads::metrics
