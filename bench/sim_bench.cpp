// Whole-simulation throughput: the embedded default scenario (one simulated hour) through
// world and sensors, with the output kept in memory (no disk), on one core.
#include <benchmark/benchmark.h>

#include "jrads/core/log.hpp"
#include "jrads/scenario/scenario.hpp"
#include "jrads/sim/run_summary.hpp"
#include "jrads/sim/simulation.hpp"

namespace {

// Counts what the simulation produces so the work cannot be optimised away.
class CountingSink final : public jrads::sim::SimulationSink {
 public:
  void on_start(const std::vector<jrads::sensors::SensorInfo>&, const jrads::world::World&) override {}
  void on_truth(jrads::SimTime, std::span<const std::pair<jrads::PlatformIndex, jrads::world::PlatformState>> s) override {
    truth += static_cast<std::int64_t>(s.size());
  }
  void on_detections(std::span<const jrads::sensors::Detection> d) override {
    detections += static_cast<std::int64_t>(d.size());
  }
  void on_finish() override {}
  std::int64_t truth = 0, detections = 0;
};

void BM_SimulateDefaultScenario(benchmark::State& state) {
  jrads::silence_logs();
  auto parsed = jrads::scenario::parse_scenario(jrads::scenario::default_scenario_yaml(), "default");
  if (!parsed.scenario) {
    state.SkipWithError("default scenario does not parse");
    return;
  }
  const auto& sc = *parsed.scenario;
  auto terrain = jrads::world::make_terrain(sc.terrain);
  double simulated_s = 0;
  CountingSink sink;
  for (auto _ : state) {
    jrads::sim::SimulationInput input{sc.world, *terrain, sc.sensors, sc.adsb};
    input.world.duration_s = sc.duration_s;
    jrads::sim::SimulationOptions options;
    options.seed = sc.seed;
    jrads::sim::SimulationSink* sinks[] = {&sink};
    jrads::sim::run_simulation(std::move(input), options, sinks);
    simulated_s += sc.duration_s;
  }
  state.counters["sim_s_per_wall_s"] = benchmark::Counter(simulated_s, benchmark::Counter::kIsRate);
  state.counters["detections"] = static_cast<double>(sink.detections) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_SimulateDefaultScenario)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
