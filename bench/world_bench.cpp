// Truth generation cost: integrating N platforms for simulated time, and interpolated state
// queries (what every sensor does per target per scan).
#include <benchmark/benchmark.h>

#include "jrads/core/rng.hpp"
#include "jrads/world/world.hpp"

namespace {

using jrads::world::PlatformParams;
using jrads::world::Waypoint;

jrads::world::WorldParams random_traffic(int n, double duration_s) {
  jrads::RngStream rng = jrads::Rng(1).stream("bench/world");
  jrads::world::WorldParams params;
  params.duration_s = duration_s;
  for (int i = 0; i < n; ++i) {
    PlatformParams p;
    p.id = std::to_string(i);
    p.id.insert(0, 1, 'P');  // not "P" + ...: g++ 12 warns falsely (-Wrestrict) on that form
    for (int k = 0; k < 4; ++k) {
      Waypoint w;
      w.lat_deg = rng.uniform(43.5, 46.5);
      w.lon_deg = rng.uniform(18.0, 23.0);
      w.alt_m = rng.uniform(1000, 12000);
      w.speed_mps = rng.uniform(150, 260);
      p.route.push_back(w);
    }
    params.platforms.push_back(p);
  }
  return params;
}

void BM_WorldAdvance(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const double duration_s = static_cast<double>(state.range(1));
  const auto params = random_traffic(n, duration_s);
  for (auto _ : state) {
    jrads::world::World world(params, jrads::world::ElevationGrid::constant(0));
    for (double t = 60; t <= duration_s; t += 60) world.advance_to(jrads::SimTime::from_s(t), 75);
    benchmark::DoNotOptimize(world.now());
  }
  state.counters["platform_s_per_s"] =
      benchmark::Counter(static_cast<double>(n) * duration_s * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_WorldAdvance)->ArgNames({"platforms", "sim_s"})->Args({2000, 600})->Unit(benchmark::kMillisecond);

void BM_WorldStateAt(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto params = random_traffic(n, 120);
  jrads::world::World world(params, jrads::world::ElevationGrid::constant(0));
  world.advance_to(jrads::SimTime::from_s(120), 130);
  jrads::RngStream rng = jrads::Rng(2).stream("bench/query");
  std::int64_t queries = 0;
  for (auto _ : state) {
    for (int i = 0; i < n; ++i) {
      // A radar scan asks for every target within one scan period of history.
      const auto t = jrads::SimTime::from_s(rng.uniform(100, 110));
      benchmark::DoNotOptimize(world.state_at(jrads::PlatformIndex(static_cast<std::uint32_t>(i)), t));
    }
    queries += n;
  }
  state.counters["queries_per_s"] = benchmark::Counter(static_cast<double>(queries), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_WorldStateAt)->ArgNames({"platforms"})->Arg(2000);

}  // namespace
