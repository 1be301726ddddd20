#include "jrads/sensors/sensor_params.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace jrads::sensors {
namespace {

TEST(SensorParams, DefaultsAreValid) {
  EXPECT_TRUE(validate(SensorParams{RadarParams{}}));
  EXPECT_TRUE(validate(SensorParams{IffParams{}}));
  EXPECT_TRUE(validate(SensorParams{AdsbReceiverParams{}}));
  EXPECT_TRUE(validate(AdsbBroadcastParams{}));
}

TEST(SensorParams, BadValuesNameTheSensorAndTheKey) {
  RadarParams r;
  r.id = "R7";
  r.pfa = 0.0;
  auto res = validate(SensorParams{r});
  ASSERT_FALSE(res);
  EXPECT_EQ(res.error().where.path, "pfa");
  EXPECT_NE(res.error().message.find("R7"), std::string::npos);

  r = RadarParams{};
  r.reference_pd = 1e-7;
  EXPECT_EQ(validate(SensorParams{r}).error().where.path, "reference_pd");
  r = RadarParams{};
  r.min_range_m = 300000.0;
  EXPECT_EQ(validate(SensorParams{r}).error().where.path, "min_range_m");
  r = RadarParams{};
  r.scan_period_s = std::nan("");
  EXPECT_EQ(validate(SensorParams{r}).error().where.path, "scan_period_s");
  r = RadarParams{};
  r.min_elevation_deg = 70.0;
  EXPECT_EQ(validate(SensorParams{r}).error().where.path, "min_elevation_deg");
  r = RadarParams{};
  r.k_factor = 0.0;
  EXPECT_EQ(validate(SensorParams{r}).error().where.path, "k_factor");

  IffParams i;
  i.p_garble = 1.5;
  EXPECT_EQ(validate(SensorParams{i}).error().where.path, "p_garble");
  AdsbReceiverParams a;
  a.antenna.lat_deg = 95.0;
  EXPECT_EQ(validate(SensorParams{a}).error().where.path, "antenna.lat_deg");
  AdsbBroadcastParams b;
  b.jitter_s = 1.0;
  EXPECT_EQ(validate(b).error().where.path, "jitter_s");
  b = AdsbBroadcastParams{};
  b.mean_interval_s = -1.0;
  EXPECT_EQ(validate(b).error().where.path, "mean_interval_s");
}

}  // namespace
}  // namespace jrads::sensors
