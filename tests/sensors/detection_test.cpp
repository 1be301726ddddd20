#include "jrads/sensors/detection.hpp"

#include <gtest/gtest.h>

#include <string>

namespace jrads::sensors {
namespace {

TEST(Detection, TypeNamesAreTheCsvNames) {
  EXPECT_EQ(std::string(to_string(SensorType::radar)), "radar");
  EXPECT_EQ(std::string(to_string(SensorType::iff)), "iff");
  EXPECT_EQ(std::string(to_string(SensorType::adsb)), "adsb");
}

TEST(Detection, DefaultIsAClutterlessEmptyRadarRow) {
  const Detection d;
  EXPECT_EQ(d.type, SensorType::radar);
  EXPECT_EQ(d.truth_index, -1);
  EXPECT_FALSE(d.has_icao);
  EXPECT_FALSE(d.has_squawk);
  EXPECT_EQ(d.iff, IffReply::none);
}

}  // namespace
}  // namespace jrads::sensors
