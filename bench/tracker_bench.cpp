// Tracker throughput: 20 radars (10 s scans, Pd 0.9, 10 clutter reports per scan each) over an
// 800 x 600 km region, with 10, 100, 1,000 and 10,000 targets flying straight at airliner to
// fighter speeds. The reports are made once, outside the timing; each iteration runs a fresh
// tracker over all of them. `detections_per_s` is reports processed per second of one core.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <map>
#include <vector>

#include "jrads/core/rng.hpp"
#include "jrads/picture/tracker.hpp"
#include "picture/synthetic.hpp"

namespace {

using namespace jrads::picture;

constexpr double kDuration_s = 120.0;

struct Case {
  synth::Scene scene;
  std::vector<Report> reports;
};

const Case& make_case(int targets) {
  static std::map<int, Case> cache;
  auto it = cache.find(targets);
  if (it != cache.end()) return it->second;
  Case c;
  // 20 radars on a 5 x 4 grid over 800 x 600 km (grid_sites lays them on a square; stretch it).
  c.scene.sensors = synth::grid_sites(45.0, 20.0, 700000.0, 20, 0);
  jrads::RngStream rng = jrads::Rng(11).stream("bench/tracker");
  for (std::uint32_t i = 0; i < 20; ++i) {
    synth::Radar r;
    r.sensor = i;
    r.period_s = 10.0;
    r.start_az_deg = rng.uniform(0.0, 360.0);
    r.clutter_per_scan = 10.0;
    r.max_range_m = 250000.0;
    c.scene.radars.push_back(r);
  }
  for (int k = 0; k < targets; ++k) {
    synth::Target t;
    t.pos0 = {rng.uniform(-400000.0, 400000.0), rng.uniform(-300000.0, 300000.0), rng.uniform(1000.0, 12000.0)};
    const double heading = rng.uniform(0.0, 6.283185307179586);
    const double speed = rng.uniform(150.0, 300.0);
    t.vel = {speed * std::sin(heading), speed * std::cos(heading), 0.0};
    c.scene.targets.push_back(t);
  }
  const CommonFrame frame(CommonFrame::centroid_of(c.scene.sensors), c.scene.sensors);
  c.reports = synth::generate(c.scene, frame, kDuration_s, 5);
  return cache.emplace(targets, std::move(c)).first->second;
}

void run_throughput(benchmark::State& state, Association association) {
  const Case& c = make_case(static_cast<int>(state.range(0)));
  std::size_t live = 0;
  std::uint64_t gate_tests = 0;
  TrackerParams params;
  params.association = association;
  for (auto _ : state) {
    Tracker tracker(c.scene.sensors, params);
    for (const Report& r : c.reports) tracker.add(r);
    tracker.finish();
    live = tracker.live_tracks();
    gate_tests = tracker.stats().gate_tests;
    benchmark::DoNotOptimize(tracker.take_rows());
  }
  state.counters["detections"] = static_cast<double>(c.reports.size());
  state.counters["detections_per_s"] =
      benchmark::Counter(static_cast<double>(c.reports.size()) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
  state.counters["live_tracks_at_end"] = static_cast<double>(live);
  state.counters["gate_tests_per_report"] = static_cast<double>(gate_tests) / static_cast<double>(c.reports.size());
  state.counters["bytes_per_track"] = static_cast<double>(Tracker::bytes_per_track());
}
void BM_TrackerThroughput(benchmark::State& state) { run_throughput(state, Association::gnn); }
BENCHMARK(BM_TrackerThroughput)->ArgNames({"targets"})->Arg(10)->Arg(100)->Arg(1000)->Arg(10000)
    ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

// The same with the JPDA option: what it costs where clutter is light.
void BM_TrackerThroughputJpda(benchmark::State& state) { run_throughput(state, Association::jpda); }
BENCHMARK(BM_TrackerThroughputJpda)->ArgNames({"targets"})->Arg(1000)->Arg(10000)
    ->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

}  // namespace
