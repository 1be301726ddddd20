// Weapon–target assignment (notional data): the exact solver on 20 x 20, the heuristic on 200 x 200
// and 1,000 x 1,000, on seeded random instances. Sparse instances place units and targets in a
// 200 km square and give each unit an envelope covering 5-30 % of the area (so it reaches about
// that share of the targets), with p falling off towards the envelope's edge; dense instances let
// every unit reach every target. Gaps are counters, computed once outside the timing:
//   gap_vs_exact_pct = 100 (F_exact - F) / F_exact,  gap_vs_bound_pct = 100 (UB - F) / F.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

#include "jrads/core/rng.hpp"
#include "jrads/engage/wta.hpp"
#include "engage/random_wta.hpp"

namespace {

using jrads::engage::WtaProblem;
using jrads::engage::WtaSolution;

// Every pair feasible, p uniform in [0.2, 0.9]; rounds 2-4, 2 channels.
WtaProblem dense_instance(int units, int targets, std::uint64_t seed) {
  jrads::RngStream rng = jrads::Rng(seed).stream("bench/engage/wta/dense");
  return jrads::engage::test::dense_problem(rng, units, targets, 2, 4, 2);
}

std::vector<WtaProblem> instances(bool dense, int units, int targets, int count) {
  std::vector<WtaProblem> out;
  for (int k = 0; k < count; ++k) {
    const auto seed = static_cast<std::uint64_t>(1000 + k);
    out.push_back(dense ? dense_instance(units, targets, seed) : jrads::engage::test::sparse_instance(units, targets, seed));
  }
  return out;
}

double feasible_pct(const std::vector<WtaProblem>& pbs) {
  double pairs = 0.0;
  double cells = 0.0;
  for (const WtaProblem& pb : pbs) {
    for (double p : pb.p_kill) pairs += p > 0.0 ? 1.0 : 0.0;
    cells += static_cast<double>(pb.p_kill.size());
  }
  return 100.0 * pairs / cells;
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Exact: timed over the instances in turn; counters from one untimed pass: proven share, mean
// nodes, the slowest single solve, the heuristic's gap to the best plan found (mean and worst)
// and the largest gap between that plan and the exact solver's upper bound (0 when all proven).
void exact(benchmark::State& state, bool dense, int count, std::int64_t max_nodes) {
  const int n = static_cast<int>(state.range(0));
  const std::vector<WtaProblem> pbs = instances(dense, n, n, count);
  jrads::engage::WtaExactParams params;
  params.max_nodes = max_nodes;
  double open_gap_max = 0.0;
  double proven = 0.0;
  double nodes = 0.0;
  double slowest_ms = 0.0;
  double gap_sum = 0.0;
  double gap_max = 0.0;
  for (const WtaProblem& pb : pbs) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto e = jrads::engage::solve_wta_exact(pb, params);
    slowest_ms = std::max(slowest_ms, ms_since(t0));
    const auto h = jrads::engage::solve_wta_heuristic(pb);
    if (!e || !h) {
      state.SkipWithError("solver error");
      return;
    }
    proven += e->proven_optimal ? 1.0 : 0.0;
    open_gap_max = std::max(open_gap_max, 100.0 * (e->upper_bound - e->objective) / e->objective);
    nodes += static_cast<double>(e->nodes);
    const double gap = 100.0 * (e->objective - h->objective) / e->objective;
    gap_sum += gap;
    gap_max = std::max(gap_max, gap);
  }
  std::size_t k = 0;
  for (auto _ : state) {
    auto s = jrads::engage::solve_wta_exact(pbs[k++ % pbs.size()], params);
    benchmark::DoNotOptimize(s);
  }
  const auto solved = static_cast<double>(pbs.size());
  state.counters["feasible_pct"] = feasible_pct(pbs);
  state.counters["proven_frac"] = proven / solved;
  state.counters["nodes"] = nodes / solved;
  state.counters["slowest_ms"] = slowest_ms;
  state.counters["heur_gap_vs_exact_pct"] = gap_sum / solved;
  state.counters["heur_gap_vs_exact_max_pct"] = gap_max;
  state.counters["open_gap_max_pct"] = open_gap_max;
}

// 20 x 20 on 30 instances; 30 x 30 and 40 x 40 (4 instances, at most 200,000 nodes each: about
// two minutes for both) to see where the exact solver stops proving quickly.
void BM_WtaExactSparse(benchmark::State& state) {
  const bool small = state.range(0) <= 20;
  exact(state, false, small ? 30 : 4, small ? 2'000'000 : 200'000);
}
BENCHMARK(BM_WtaExactSparse)->ArgNames({"n"})->Arg(20)->Iterations(90)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WtaExactSparse)->ArgNames({"n"})->Arg(30)->Arg(40)->Iterations(4)->Unit(benchmark::kMillisecond);

// Dense: 8 instances of 10 x 10 and 12 x 12; 2 of 20 x 20, which stop at 200,000 nodes (slow:
// tens of seconds each with the counter pass).
void BM_WtaExactDense(benchmark::State& state) { exact(state, true, state.range(0) <= 12 ? 8 : 2, 200'000); }
BENCHMARK(BM_WtaExactDense)->ArgNames({"n"})->Arg(10)->Arg(12)->Iterations(8)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WtaExactDense)->ArgNames({"n"})->Arg(20)->Iterations(2)->Unit(benchmark::kMillisecond);

// Heuristic (or greedy): timed over 4 instances in turn; the gap to wta_upper_bound (tangent bound
// from the heuristic's plan) from one untimed pass.
void heuristic(benchmark::State& state, bool dense, bool greedy_only) {
  const int n = static_cast<int>(state.range(0));
  const std::vector<WtaProblem> pbs = instances(dense, n, n, 4);
  double gap_sum = 0.0;
  double gap_max = 0.0;
  double slowest_ms = 0.0;
  for (const WtaProblem& pb : pbs) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto s = greedy_only ? jrads::engage::solve_wta_greedy(pb) : jrads::engage::solve_wta_heuristic(pb);
    slowest_ms = std::max(slowest_ms, ms_since(t0));
    const auto h = jrads::engage::solve_wta_heuristic(pb);
    if (!s || !h) {
      state.SkipWithError("solver error");
      return;
    }
    const auto ub = jrads::engage::wta_upper_bound(pb, h->engagements);
    if (!ub) {
      state.SkipWithError(ub.error().message.c_str());
      return;
    }
    const double gap = 100.0 * (*ub - s->objective) / s->objective;
    gap_sum += gap;
    gap_max = std::max(gap_max, gap);
  }
  std::size_t k = 0;
  for (auto _ : state) {
    const WtaProblem& pb = pbs[k++ % pbs.size()];
    auto s = greedy_only ? jrads::engage::solve_wta_greedy(pb) : jrads::engage::solve_wta_heuristic(pb);
    benchmark::DoNotOptimize(s);
  }
  state.counters["feasible_pct"] = feasible_pct(pbs);
  state.counters["gap_vs_bound_pct"] = gap_sum / static_cast<double>(pbs.size());
  state.counters["gap_vs_bound_max_pct"] = gap_max;
  state.counters["slowest_ms"] = slowest_ms;
}

void BM_WtaHeuristicSparse(benchmark::State& state) { heuristic(state, false, false); }
BENCHMARK(BM_WtaHeuristicSparse)->ArgNames({"n"})->Arg(200)->Iterations(40)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WtaHeuristicSparse)->ArgNames({"n"})->Arg(1000)->Iterations(4)->Unit(benchmark::kMillisecond);

void BM_WtaHeuristicDense(benchmark::State& state) { heuristic(state, true, false); }
BENCHMARK(BM_WtaHeuristicDense)->ArgNames({"n"})->Arg(200)->Iterations(40)->Unit(benchmark::kMillisecond);

void BM_WtaGreedySparse(benchmark::State& state) { heuristic(state, false, true); }
BENCHMARK(BM_WtaGreedySparse)->ArgNames({"n"})->Arg(200)->Iterations(40)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WtaGreedySparse)->ArgNames({"n"})->Arg(1000)->Iterations(8)->Unit(benchmark::kMillisecond);

// The bound itself (tangent bound, 40 steps, from the heuristic's plan).
void BM_WtaUpperBoundSparse(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const std::vector<WtaProblem> pbs = instances(false, n, n, 2);
  std::vector<WtaSolution> plans;
  for (const WtaProblem& pb : pbs) plans.push_back(*jrads::engage::solve_wta_heuristic(pb));
  std::size_t k = 0;
  for (auto _ : state) {
    const std::size_t at = k++ % pbs.size();
    auto b = jrads::engage::wta_upper_bound(pbs[at], plans[at].engagements);
    benchmark::DoNotOptimize(b);
  }
}
BENCHMARK(BM_WtaUpperBoundSparse)->ArgNames({"n"})->Arg(200)->Iterations(20)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WtaUpperBoundSparse)->ArgNames({"n"})->Arg(1000)->Iterations(4)->Unit(benchmark::kMillisecond);

}  // namespace
