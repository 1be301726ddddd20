#include "jrads/core/result.hpp"

#include <gtest/gtest.h>

namespace jrads {
namespace {

Result<int> parse_positive(int v) {
  if (v <= 0) return fail(Errc::invalid_argument, "must be > 0", Location{"f.yaml", 3, 7, 0, "a.b"});
  return v;
}

TEST(Result, CarriesValueOrError) {
  const auto ok = parse_positive(4);
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(*ok, 4);
  const auto bad = parse_positive(-1);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, Errc::invalid_argument);
  EXPECT_EQ(bad.error().to_string(), "f.yaml:3:7: a.b: must be > 0");
  EXPECT_NE(std::string(bad.error().origin.file_name()).find("result_test.cpp"), std::string::npos);
}

TEST(Result, LocationFormatsOnlyKnownParts) {
  EXPECT_EQ((Location{"x.csv", 0, 0, 12, ""}).to_string(), "x.csv: record 12");
  EXPECT_EQ((Location{"", 0, 0, 0, "sensors[3].scan_period_s"}).to_string(), "sensors[3].scan_period_s");
  EXPECT_EQ((Location{"s.yaml", 5, 0, 0, ""}).to_string(), "s.yaml:5");
  EXPECT_EQ(make_error(Errc::io_error, "gone").to_string(), "gone");
}

TEST(Result, VoidResult) {
  const Result<void> ok;
  EXPECT_TRUE(ok);
  const Result<void> bad = fail(Errc::io_error, "disk full");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "disk full");
}

TEST(ResultDeathTest, ValueOfErrorAborts) {
  const auto bad = parse_positive(0);
  EXPECT_DEATH((void)bad.value(), "value\\(\\) on an error Result");
}

}  // namespace
}  // namespace jrads
