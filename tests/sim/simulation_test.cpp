#include "jrads/sim/simulation.hpp"

#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "jrads/sim/csv_output.hpp"
#include "sim_fixture.hpp"

namespace jrads::sim {
namespace {

// Renders every report of a run as text, one line per report, in output order.
class TextSink final : public SimulationSink {
 public:
  void on_start(const std::vector<sensors::SensorInfo>& s, const world::World&) override { sensors_ = s; }
  void on_truth(SimTime t, std::span<const std::pair<PlatformIndex, world::PlatformState>> samples) override {
    for (const auto& [i, st] : samples) {
      std::ostringstream os;
      os.precision(17);
      os << t.ns() << ' ' << i.value() << ' ' << st.pos.lat_deg << ' ' << st.pos.lon_deg << ' ' << st.pos.alt_m;
      truth.push_back(os.str());
    }
  }
  void on_detections(std::span<const sensors::Detection> d) override {
    for (const auto& x : d) {
      std::ostringstream os;
      os.precision(17);
      os << x.time.ns() << ' ' << sensors_[x.sensor.value()].id << ' ' << x.range_m << ' ' << x.azimuth_deg << ' '
         << x.elevation_deg << ' ' << x.pos.lat_deg << ' ' << x.pos.lon_deg << ' ' << static_cast<int>(x.iff) << ' '
         << x.truth_index;
      by_sensor[sensors_[x.sensor.value()].id].push_back(os.str());
      all.push_back(os.str());
    }
  }
  void on_finish() override { finished = true; }
  std::vector<sensors::SensorInfo> sensors_;
  std::vector<std::string> truth, all;
  std::map<std::string, std::vector<std::string>> by_sensor;
  bool finished = false;
};

TextSink run(SimulationInput in, std::uint64_t seed, double window_s = 60) {
  TextSink sink;
  SimulationOptions options;
  options.seed = seed;
  options.window_s = window_s;
  SimulationSink* sinks[] = {&sink};
  run_simulation(std::move(in), options, sinks);
  return sink;
}

// Fails once it has seen truth past a given time, like a file writer on a full disk.
class FailingSink final : public SimulationSink {
 public:
  explicit FailingSink(SimTime fail_after) : fail_after_(fail_after) {}
  void on_start(const std::vector<sensors::SensorInfo>&, const world::World&) override {}
  void on_truth(SimTime t, std::span<const std::pair<PlatformIndex, world::PlatformState>>) override { last = t; }
  void on_detections(std::span<const sensors::Detection>) override {}
  void on_finish() override { finished = true; }
  [[nodiscard]] bool failed() const override { return last > fail_after_; }
  SimTime last;
  bool finished = false;

 private:
  SimTime fail_after_;
};

TEST(Simulation, AFailedSinkStopsTheRunAtTheEndOfTheWindow) {
  FailingSink failing(SimTime::from_s(25.0));
  TextSink text;
  SimulationOptions options;
  options.window_s = 10.0;
  SimulationSink* sinks[] = {&failing, &text};
  run_simulation(testing::small_input(), options, sinks);  // a 300 s scenario
  EXPECT_EQ(failing.last, SimTime::from_s(29.0));  // the window [20, 30) ran to its end, no further
  EXPECT_TRUE(failing.finished);
  EXPECT_TRUE(text.finished);
}

TEST(Simulation, SameSeedSameOutputOtherSeedOther) {
  const TextSink a = run(testing::small_input(), 7);
  const TextSink b = run(testing::small_input(), 7);
  const TextSink c = run(testing::small_input(), 8);
  ASSERT_TRUE(a.finished);
  ASSERT_GT(a.all.size(), 500U);
  EXPECT_EQ(a.all, b.all);
  EXPECT_EQ(a.truth, b.truth);
  EXPECT_NE(a.all, c.all);
  EXPECT_EQ(a.truth, c.truth);  // truth has no randomness
}

TEST(Simulation, WindowLengthDoesNotChangeOutput) {
  const TextSink a = run(testing::small_input(), 3, 60);
  const TextSink b = run(testing::small_input(), 3, 7.5);
  const TextSink c = run(testing::small_input(), 3, 300);
  EXPECT_EQ(a.all, b.all);
  EXPECT_EQ(a.all, c.all);
  EXPECT_EQ(a.truth, b.truth);
}

TEST(Simulation, AddingASensorLeavesTheOthersUnchanged) {
  const TextSink without = run(testing::small_input(false), 11);
  const TextSink with = run(testing::small_input(true), 11);
  ASSERT_TRUE(with.by_sensor.contains("R2"));
  EXPECT_FALSE(without.by_sensor.contains("R2"));
  for (const char* id : {"R1", "I1", "A1"}) {
    ASSERT_TRUE(without.by_sensor.contains(id)) << id;
    EXPECT_EQ(without.by_sensor.at(id), with.by_sensor.at(id)) << id;
  }
}

}  // namespace
}  // namespace jrads::sim
