// Per-kind defaults: the notional values docs/SCENARIO.md lists.
#include "jrads/scenario/kind_defaults.hpp"

#include <gtest/gtest.h>

namespace jrads::scenario {
namespace {

using world::PlatformKind;

TEST(KindDefaults, DocumentedValues) {
  const auto airliner = kind_defaults(PlatformKind::airliner);
  EXPECT_DOUBLE_EQ(airliner.performance.max_turn_rate_dps, 3.0);
  EXPECT_DOUBLE_EQ(airliner.performance.max_climb_mps, 15.0);
  EXPECT_DOUBLE_EQ(airliner.rcs_dbsm, 20.0);
  EXPECT_DOUBLE_EQ(kind_defaults(PlatformKind::fighter).performance.max_turn_rate_dps, 15.0);
  const auto missile = kind_defaults(PlatformKind::cruise_missile);
  EXPECT_DOUBLE_EQ(missile.rcs_dbsm, -10.0);
  EXPECT_DOUBLE_EQ(missile.speed_mps, 250.0);
  const auto drone = kind_defaults(PlatformKind::drone);
  EXPECT_DOUBLE_EQ(drone.rcs_dbsm, -15.0);
  EXPECT_DOUBLE_EQ(drone.speed_mps, 40.0);
}

TEST(KindDefaults, EveryKindIsUsable) {
  for (int k = 0; k <= static_cast<int>(PlatformKind::drone); ++k) {
    const auto d = kind_defaults(static_cast<PlatformKind>(k));
    EXPECT_GT(d.performance.max_turn_rate_dps, 0.0) << k;
    EXPECT_GT(d.performance.max_climb_mps, 0.0) << k;
    EXPECT_GT(d.performance.max_accel_mps2, 0.0) << k;
    EXPECT_GT(d.speed_mps, 0.0) << k;
    EXPECT_TRUE(d.swerling == 0 || d.swerling == 1 || d.swerling == 3) << k;
    EXPECT_GE(d.rcs_dbsm, -60.0) << k;
    EXPECT_LE(d.rcs_dbsm, 60.0) << k;
  }
}

TEST(KindDefaults, SmallThreatsAreHarderToSee) {
  EXPECT_LT(kind_defaults(PlatformKind::drone).rcs_dbsm, kind_defaults(PlatformKind::cruise_missile).rcs_dbsm);
  EXPECT_LT(kind_defaults(PlatformKind::cruise_missile).rcs_dbsm, kind_defaults(PlatformKind::fighter).rcs_dbsm);
  EXPECT_LT(kind_defaults(PlatformKind::fighter).rcs_dbsm, kind_defaults(PlatformKind::airliner).rcs_dbsm);
}

}  // namespace
}  // namespace jrads::scenario
