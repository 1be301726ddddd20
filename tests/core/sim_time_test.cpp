#include "jrads/core/sim_time.hpp"

#include <gtest/gtest.h>

namespace jrads {
namespace {

TEST(SimTime, TenthsOfASecondDoNotDrift) {
  SimTime t;
  const SimTime step = SimTime::from_s(0.1);
  for (int i = 0; i < 36000; ++i) t += step;
  EXPECT_EQ(t, SimTime::from_s(3600.0));
  EXPECT_EQ(t.ns(), 3'600'000'000'000LL);
}

TEST(SimTime, ArithmeticAndOrder) {
  const SimTime a = SimTime::from_s(1.5);
  const SimTime b = SimTime::from_ns(250'000'000);
  EXPECT_DOUBLE_EQ((a + b).s(), 1.75);
  EXPECT_DOUBLE_EQ((a - b).s(), 1.25);
  EXPECT_LT(b, a);
  EXPECT_EQ(SimTime::from_s(-2.0).ns(), -2'000'000'000LL);
}

}  // namespace
}  // namespace jrads
