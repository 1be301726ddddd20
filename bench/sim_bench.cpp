// Whole-simulation throughput, one core, output counted in memory (no disk):
// - the embedded default scenario (one simulated hour);
// - the generated large case of the issue: 2,000 aircraft, 20 radars, one hour, with terrain
//   (`jrads generate --aircraft 2000 --radars 20 --seed 1`).
#include <benchmark/benchmark.h>

#include "jrads/core/log.hpp"
#include "jrads/scenario/generate.hpp"
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

// Simulates sc once per iteration (terrain built outside the timed loop).
void simulate_scenario(benchmark::State& state, const jrads::scenario::Scenario& sc) {
  auto terrain = jrads::world::make_terrain(sc.terrain);
  if (!terrain) {
    state.SkipWithError("terrain cannot be built");
    return;
  }
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
  state.counters["truth_rows"] = static_cast<double>(sink.truth) / static_cast<double>(state.iterations());
}

void BM_SimulateDefaultScenario(benchmark::State& state) {
  jrads::silence_logs();
  auto parsed = jrads::scenario::parse_scenario(jrads::scenario::default_scenario_yaml(), "default");
  if (!parsed.scenario) {
    state.SkipWithError("default scenario does not parse");
    return;
  }
  simulate_scenario(state, *parsed.scenario);
}
BENCHMARK(BM_SimulateDefaultScenario)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SimulateLargeCase(benchmark::State& state) {
  jrads::silence_logs();
  jrads::scenario::GenerateOptions options;
  options.aircraft = static_cast<int>(state.range(0));
  options.radars = static_cast<int>(state.range(1));
  options.seed = 1;
  const auto yaml = jrads::scenario::generate_scenario_yaml(options);
  auto parsed = jrads::scenario::parse_scenario(yaml ? *yaml : std::string(), "generated");
  if (!parsed.scenario) {
    state.SkipWithError("generated scenario does not parse");
    return;
  }
  simulate_scenario(state, *parsed.scenario);
}
// One iteration: a run takes tens of seconds.
BENCHMARK(BM_SimulateLargeCase)
    ->ArgNames({"aircraft", "radars"})
    ->Args({2000, 20})
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace
