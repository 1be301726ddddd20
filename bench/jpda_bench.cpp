// JPDA association marginals of one cluster (jpda.hpp): exact enumeration for 2x3, 4x6 and
// 8x10 tracks x reports... 8x10 fully gated has 13 million events, above the exact limit, so
// it and 10x12 run the k-best approximation (k = 10,000 by default); "8x10 sparse" is gated at
// 45 % and stays exact. Likelihoods are spread over a 3-D chi-square gate, seeded.
#include <benchmark/benchmark.h>

#include <cmath>
#include <vector>

#include "jrads/core/rng.hpp"
#include "jrads/picture/jpda.hpp"

namespace {

using namespace jrads::picture;

struct Cluster {
  int n, m;
  std::vector<double> ll, pd;
  JpdaParams params;
};

Cluster make_cluster(int n, int m, double p_gated) {
  jrads::RngStream rng = jrads::Rng(5).stream("bench/jpda");
  Cluster c{n, m, {}, {}, {}};
  c.params.clutter_density = 1e-10;
  for (int i = 0; i < n; ++i) c.pd.push_back(0.9);
  for (int k = 0; k < n * m; ++k)
    c.ll.push_back(k % m == k / m % m || rng.bernoulli(p_gated) ? -9.0 - 0.5 * rng.uniform(0.0, 16.0) : kNotGated);
  return c;
}

void run(benchmark::State& state, const Cluster& c) {
  JpdaMethod method = JpdaMethod::exact;
  std::int64_t events = 0;
  for (auto _ : state) {
    auto r = jpda_marginals(c.ll, c.n, c.m, c.pd, c.params);
    benchmark::DoNotOptimize(r);
    method = r->method;
    events = r->events;
  }
  state.counters["events"] = static_cast<double>(events);
  state.counters["exact"] = method == JpdaMethod::exact ? 1.0 : 0.0;
}

void BM_JpdaMarginals(benchmark::State& state) {
  const auto n = static_cast<int>(state.range(0));
  const auto m = static_cast<int>(state.range(1));
  const double p_gated = static_cast<double>(state.range(2)) / 100.0;
  static thread_local Cluster c{0, 0, {}, {}, {}};
  c = make_cluster(n, m, p_gated);
  run(state, c);
}

}  // namespace

BENCHMARK(BM_JpdaMarginals)
    ->ArgNames({"tracks", "reports", "gated_pct"})
    ->Args({2, 3, 100})
    ->Args({4, 6, 100})
    ->Args({6, 8, 100})
    ->Args({8, 10, 45})
    ->Args({8, 10, 100})
    ->Args({10, 12, 100})
    ->Unit(benchmark::kMicrosecond);
