// Linear sum assignment cost: dense uniform square matrices (the GOSPA case), a wide one (tracks x
// plots in GNN association), and a 90%-forbidden 1000 x 1000 matrix (gated association).
#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <utility>
#include <vector>

#include "jrads/core/assignment.hpp"
#include "jrads/core/rng.hpp"

namespace {

constexpr int kMatrices = 4;  // solves cycle through several draws so one lucky matrix cannot skew

std::vector<std::vector<double>> uniform_matrices(int rows, int cols, std::uint64_t seed) {
  jrads::RngStream rng = jrads::Rng(seed).stream("bench/assignment/uniform");
  std::vector<std::vector<double>> out(kMatrices);
  for (auto& m : out) {
    m.resize(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
    for (double& x : m) x = rng.uniform();
  }
  return out;
}

// Each entry forbidden with probability `p_forbidden`, except along a random permutation, which
// keeps the problem feasible.
std::vector<std::vector<double>> gated_matrices(int n, double p_forbidden) {
  jrads::RngStream rng = jrads::Rng(3).stream("bench/assignment/gated");
  std::vector<std::vector<double>> out(kMatrices);
  for (auto& m : out) {
    m.resize(static_cast<std::size_t>(n) * static_cast<std::size_t>(n));
    for (double& x : m) x = rng.bernoulli(p_forbidden) ? jrads::kForbidden : rng.uniform();
    std::vector<int> perm(static_cast<std::size_t>(n));
    std::iota(perm.begin(), perm.end(), 0);
    for (std::size_t k = perm.size() - 1; k > 0; --k) std::swap(perm[k], perm[rng.below(k + 1)]);
    for (std::size_t i = 0; i < perm.size(); ++i) {
      m[i * perm.size() + static_cast<std::size_t>(perm[i])] = rng.uniform();
    }
  }
  return out;
}

void run(benchmark::State& state, const std::vector<std::vector<double>>& matrices, int rows, int cols) {
  std::size_t k = 0;
  for (auto _ : state) {
    auto result = jrads::solve_assignment(matrices[k++ % matrices.size()], rows, cols);
    if (!result) {
      state.SkipWithError(result.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(result);
  }
}

void BM_AssignDense(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  run(state, uniform_matrices(n, n, 1), n, n);
}
BENCHMARK(BM_AssignDense)->ArgNames({"n"})->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

void BM_AssignWide(benchmark::State& state) {
  const int rows = static_cast<int>(state.range(0));
  const int cols = static_cast<int>(state.range(1));
  run(state, uniform_matrices(rows, cols, 2), rows, cols);
}
BENCHMARK(BM_AssignWide)->ArgNames({"tracks", "plots"})->Args({100, 1000})->Unit(benchmark::kMicrosecond);

void BM_AssignGated(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const double p_forbidden = static_cast<double>(state.range(1)) / 100.0;
  run(state, gated_matrices(n, p_forbidden), n, n);
}
BENCHMARK(BM_AssignGated)->ArgNames({"n", "forbidden_pct"})->Args({1000, 90})->Unit(benchmark::kMicrosecond);

}  // namespace
