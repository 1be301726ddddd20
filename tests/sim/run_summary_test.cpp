#include "jrads/sim/run_summary.hpp"

#include <gtest/gtest.h>

#include "sim_fixture.hpp"

namespace jrads::sim {
namespace {

TEST(RunSummary, CountsReportsClutterAndHeldTime) {
  SimulationInput in = testing::small_input();
  RunSummary summary(in.sensors);
  SimulationSink* sinks[] = {&summary};
  run_simulation(std::move(in), SimulationOptions{}, sinks);
  ASSERT_EQ(summary.sensors().size(), 4U);
  const SensorTally& r1 = summary.sensors()[0];
  EXPECT_EQ(r1.id, "R1");
  // 300 s at a 6 s scan is 50 scans of Poisson(3) clutter: about 150 false reports.
  EXPECT_GT(r1.false_reports, 100);
  EXPECT_LT(r1.false_reports, 200);
  EXPECT_GT(r1.reports, r1.false_reports);
  const auto& cats = summary.categories();
  ASSERT_TRUE(cats.contains("civil"));
  EXPECT_EQ(cats.at("civil").objects, 2);
  EXPECT_EQ(cats.at("hostile").objects, 1);
  // Everything flies at 9 km within 60 km of two radars: held nearly all the time.
  for (const auto& [name, c] : cats) {
    EXPECT_GT(c.alive_samples, 250) << name;
    EXPECT_LE(c.held_samples, c.alive_samples) << name;
    EXPECT_GT(static_cast<double>(c.held_samples) / static_cast<double>(c.alive_samples), 0.9) << name;
  }
  EXPECT_NE(summary.to_text().find("R1"), std::string::npos);
}

}  // namespace
}  // namespace jrads::sim
