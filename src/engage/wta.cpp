// Validation, the compiled instance, plan evaluation, the greedy solver and the public entry points.
#include "jrads/engage/wta.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <queue>
#include <string>
#include <utility>

#include "wta_impl.hpp"

namespace jrads::engage {
namespace {

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

Unexpected field_error(std::string path, std::string message) {
  Location where;
  where.path = path;
  return fail(Errc::invalid_argument, path + " " + std::move(message), std::move(where));
}

std::string pair_name(const char* field, int i, int j) {
  return std::string(field) + "[" + std::to_string(i) + "][" + std::to_string(j) + "] (unit " + std::to_string(i) +
         ", target " + std::to_string(j) + ")";
}

Result<void> check_size(const char* field, std::size_t got, std::int64_t want, const char* want_text) {
  if (static_cast<std::int64_t>(got) == want) return {};
  return field_error(field,
                     "has " + std::to_string(got) + " entries, expected " + want_text + " = " + std::to_string(want));
}

Result<void> check_heuristic_params(const WtaHeuristicParams& params, const std::string& prefix) {
  if (params.max_passes < 0) {
    return field_error(prefix + "max_passes", "= " + std::to_string(params.max_passes) + ": must be >= 0");
  }
  if (!(params.kicks_per_unit >= 0.0 && params.kicks_per_unit <= 1e6)) {
    return field_error(prefix + "kicks_per_unit", "= " + number(params.kicks_per_unit) + ": must be in [0, 1e6]");
  }
  if (params.min_kicks < 0) {
    return field_error(prefix + "min_kicks", "= " + std::to_string(params.min_kicks) + ": must be >= 0");
  }
  if (params.chain_length < 0 || params.chain_length > 16) {
    return field_error(prefix + "chain_length", "= " + std::to_string(params.chain_length) + ": must be in [0, 16]");
  }
  if (params.chain_neighbours < 1 || params.chain_neighbours > 1000) {
    return field_error(prefix + "chain_neighbours",
                       "= " + std::to_string(params.chain_neighbours) + ": must be in [1, 1000]");
  }
  return {};
}

}  // namespace

int WtaSolution::rounds_at(int unit, int target) const noexcept {
  const auto it = std::lower_bound(engagements.begin(), engagements.end(), std::pair{unit, target},
                                   [](const WtaEngagement& e, const std::pair<int, int>& key) {
                                     return std::pair{e.unit, e.target} < key;
                                   });
  return (it != engagements.end() && it->unit == unit && it->target == target) ? it->rounds : 0;
}

std::vector<int> WtaSolution::x_matrix(int n_units, int n_targets) const {
  std::vector<int> x(static_cast<std::size_t>(std::max(n_units, 0)) * static_cast<std::size_t>(std::max(n_targets, 0)),
                     0);
  for (const WtaEngagement& e : engagements) {
    if (e.unit < 0 || e.unit >= n_units || e.target < 0 || e.target >= n_targets) continue;
    x[static_cast<std::size_t>(e.unit) * static_cast<std::size_t>(n_targets) + static_cast<std::size_t>(e.target)] =
        e.rounds;
  }
  return x;
}

Result<void> validate_wta_problem(const WtaProblem& pb) {
  if (pb.n_units < 0) return field_error("n_units", "= " + std::to_string(pb.n_units) + ": must be >= 0");
  if (pb.n_targets < 0) return field_error("n_targets", "= " + std::to_string(pb.n_targets) + ": must be >= 0");
  const std::int64_t cells = static_cast<std::int64_t>(pb.n_units) * static_cast<std::int64_t>(pb.n_targets);
  if (cells > std::numeric_limits<int>::max()) {
    return field_error("n_units * n_targets", "= " + std::to_string(cells) + ": must be <= 2^31 - 1");
  }
  if (auto r = check_size("value", pb.value.size(), pb.n_targets, "n_targets"); !r) return fail(r.error());
  if (auto r = check_size("p_kill", pb.p_kill.size(), cells, "n_units * n_targets"); !r) return fail(r.error());
  if (!pb.feasible.empty()) {
    if (auto r = check_size("feasible", pb.feasible.size(), cells, "n_units * n_targets (or 0)"); !r)
      return fail(r.error());
  }
  if (auto r = check_size("rounds", pb.rounds.size(), pb.n_units, "n_units"); !r) return fail(r.error());
  if (auto r = check_size("channels", pb.channels.size(), pb.n_units, "n_units"); !r) return fail(r.error());
  double sum = 0.0;
  for (int j = 0; j < pb.n_targets; ++j) {
    const double v = pb.value[static_cast<std::size_t>(j)];
    if (!std::isfinite(v) || v < 0.0) {
      return field_error("value[" + std::to_string(j) + "]", "= " + number(v) + ": must be finite and >= 0");
    }
    sum += v;
  }
  if (!std::isfinite(sum)) return field_error("value", "sums to " + number(sum) + ": the values are too large");
  for (int i = 0; i < pb.n_units; ++i) {
    for (int j = 0; j < pb.n_targets; ++j) {
      const auto k = static_cast<std::size_t>(i) * static_cast<std::size_t>(pb.n_targets) + static_cast<std::size_t>(j);
      const double p = pb.p_kill[k];
      if (!(p >= 0.0 && p <= 1.0))
        return field_error(pair_name("p_kill", i, j), "= " + number(p) + ": must be in [0, 1]");
      if (!pb.feasible.empty() && pb.feasible[k] > 1) {
        return field_error(pair_name("feasible", i, j), "= " + std::to_string(pb.feasible[k]) + ": must be 0 or 1");
      }
    }
  }
  for (int i = 0; i < pb.n_units; ++i) {
    const int r = pb.rounds[static_cast<std::size_t>(i)];
    if (r < 0 || r > kMaxUnitRounds) {
      return field_error("rounds[" + std::to_string(i) + "]",
                         "= " + std::to_string(r) + ": must be in [0, " + std::to_string(kMaxUnitRounds) + "]");
    }
    const int c = pb.channels[static_cast<std::size_t>(i)];
    if (c < 0 || c > kMaxUnitChannels) {
      return field_error("channels[" + std::to_string(i) + "]",
                         "= " + std::to_string(c) + ": must be in [0, " + std::to_string(kMaxUnitChannels) + "]");
    }
  }
  if (pb.options.max_rounds_per_target < 1) {
    return field_error("options.max_rounds_per_target",
                       "= " + std::to_string(pb.options.max_rounds_per_target) + ": must be >= 1");
  }
  return {};
}

Result<double> evaluate_wta_plan(const WtaProblem& pb, std::span<const WtaEngagement> plan) {
  if (auto r = validate_wta_problem(pb); !r) return fail(r.error());
  const auto nt = static_cast<std::size_t>(pb.n_targets);
  std::vector<WtaEngagement> sorted(plan.begin(), plan.end());
  std::sort(sorted.begin(), sorted.end(), [](const WtaEngagement& a, const WtaEngagement& b) {
    return std::pair{a.target, a.unit} < std::pair{b.target, b.unit};
  });
  std::vector<std::int64_t> used_rounds(static_cast<std::size_t>(pb.n_units), 0);
  std::vector<int> used_channels(static_cast<std::size_t>(pb.n_units), 0);
  std::vector<std::int64_t> on_target(nt, 0);
  for (std::size_t k = 0; k < sorted.size(); ++k) {
    const WtaEngagement& e = sorted[k];
    const std::string name =
        "plan entry (unit " + std::to_string(e.unit) + ", target " + std::to_string(e.target) + ")";
    if (e.unit < 0 || e.unit >= pb.n_units || e.target < 0 || e.target >= pb.n_targets) {
      return fail(Errc::invalid_argument, name + ": unit or target out of range");
    }
    if (e.rounds < 1)
      return fail(Errc::invalid_argument, name + ": rounds = " + std::to_string(e.rounds) + ", must be >= 1");
    if (k > 0 && sorted[k - 1].unit == e.unit && sorted[k - 1].target == e.target) {
      return fail(Errc::invalid_argument, name + ": the pair is listed twice");
    }
    const auto cell = static_cast<std::size_t>(e.unit) * nt + static_cast<std::size_t>(e.target);
    if (pb.p_kill[cell] <= 0.0 || (!pb.feasible.empty() && pb.feasible[cell] == 0)) {
      return fail(Errc::invalid_argument, name + ": the pair is infeasible");
    }
    if (pb.options.shoot_look_shoot && e.rounds > 1) {
      return fail(Errc::invalid_argument,
                  name + ": " + std::to_string(e.rounds) + " rounds, but shoot-look-shoot allows 1 per pair");
    }
    const auto u = static_cast<std::size_t>(e.unit);
    used_rounds[u] += e.rounds;
    ++used_channels[u];
    on_target[static_cast<std::size_t>(e.target)] += e.rounds;
  }
  for (int i = 0; i < pb.n_units; ++i) {
    const auto u = static_cast<std::size_t>(i);
    if (used_rounds[u] > pb.rounds[u]) {
      return fail(Errc::invalid_argument, "unit " + std::to_string(i) + " fires " + std::to_string(used_rounds[u]) +
                                              " rounds, it has " + std::to_string(pb.rounds[u]));
    }
    if (used_channels[u] > pb.channels[u]) {
      return fail(Errc::invalid_argument, "unit " + std::to_string(i) + " engages " + std::to_string(used_channels[u]) +
                                              " targets, it has " + std::to_string(pb.channels[u]) + " channels");
    }
  }
  for (int j = 0; j < pb.n_targets; ++j) {
    if (on_target[static_cast<std::size_t>(j)] > pb.options.max_rounds_per_target) {
      return fail(Errc::invalid_argument, "target " + std::to_string(j) + " receives " +
                                              std::to_string(on_target[static_cast<std::size_t>(j)]) +
                                              " rounds, max_rounds_per_target is " +
                                              std::to_string(pb.options.max_rounds_per_target));
    }
  }
  // The same arithmetic, in the same order, as detail::objective_of.
  double f = 0.0;
  std::size_t k = 0;
  for (int j = 0; j < pb.n_targets; ++j) {
    double survival = 1.0;
    for (; k < sorted.size() && sorted[k].target == j; ++k) {
      const double q = 1.0 - pb.p_kill[static_cast<std::size_t>(sorted[k].unit) * nt + static_cast<std::size_t>(j)];
      survival *= std::pow(q, sorted[k].rounds);
    }
    f += pb.value[static_cast<std::size_t>(j)] * (1.0 - survival);
  }
  return f;
}

namespace detail {

Instance compile(const WtaProblem& pb) {
  Instance in;
  in.n_units = pb.n_units;
  in.n_targets = pb.n_targets;
  in.value = pb.value;
  in.rounds = pb.rounds;
  in.channels = pb.channels;
  in.target_cap = pb.options.max_rounds_per_target;
  for (double v : in.value) in.value_sum += v;
  const int pair_cap = pb.options.shoot_look_shoot ? 1 : kUnlimitedRounds;
  const auto nt = static_cast<std::size_t>(pb.n_targets);
  in.pair_of.assign(static_cast<std::size_t>(pb.n_units) * nt, -1);
  in.unit_begin.assign(static_cast<std::size_t>(pb.n_units) + 1, 0);
  for (int i = 0; i < pb.n_units; ++i) {
    const auto u = static_cast<std::size_t>(i);
    in.unit_begin[u] = static_cast<int>(in.pairs.size());
    if (pb.rounds[u] <= 0 || pb.channels[u] <= 0) continue;
    const int cap = std::min({pb.rounds[u], in.target_cap, pair_cap});
    for (int j = 0; j < pb.n_targets; ++j) {
      const std::size_t cell = u * nt + static_cast<std::size_t>(j);
      const double p = pb.p_kill[cell];
      if (p <= 0.0 || pb.value[static_cast<std::size_t>(j)] <= 0.0) continue;
      if (!pb.feasible.empty() && pb.feasible[cell] == 0) continue;
      Pair pr;
      pr.unit = i;
      pr.target = j;
      pr.p = p;
      pr.q = 1.0 - p;
      pr.a = pr.q > 0.0 ? -std::log1p(-p) : std::numeric_limits<double>::infinity();
      pr.cap = cap;
      in.pair_of[cell] = static_cast<int>(in.pairs.size());
      in.pairs.push_back(pr);
    }
  }
  in.unit_begin[static_cast<std::size_t>(pb.n_units)] = static_cast<int>(in.pairs.size());
  // Counting sort of the pairs by target (stable: units stay in index order).
  in.target_begin.assign(nt + 1, 0);
  for (const Pair& pr : in.pairs) ++in.target_begin[static_cast<std::size_t>(pr.target) + 1];
  for (std::size_t j = 0; j < nt; ++j) in.target_begin[j + 1] += in.target_begin[j];
  in.by_target.assign(in.pairs.size(), 0);
  std::vector<int> fill(in.target_begin.begin(), in.target_begin.end() - 1);
  for (std::size_t k = 0; k < in.pairs.size(); ++k) {
    in.by_target[static_cast<std::size_t>(fill[static_cast<std::size_t>(in.pairs[k].target)]++)] = static_cast<int>(k);
  }
  return in;
}

double objective_of(const Instance& in, std::span<const int> x) {
  double f = 0.0;
  for (int j = 0; j < in.n_targets; ++j) {
    double survival = 1.0;
    for (int k : in.target_pairs(j)) {
      const int r = x[static_cast<std::size_t>(k)];
      if (r > 0) survival *= std::pow(in.pairs[static_cast<std::size_t>(k)].q, r);
    }
    f += in.value[static_cast<std::size_t>(j)] * (1.0 - survival);
  }
  return f;
}

WtaSolution make_solution(const Instance& in, std::span<const int> x) {
  WtaSolution s;
  for (std::size_t k = 0; k < in.pairs.size(); ++k) {
    if (x[k] > 0) s.engagements.push_back(WtaEngagement{in.pairs[k].unit, in.pairs[k].target, x[k]});
  }
  s.objective = objective_of(in, x);
  return s;
}

std::vector<int> x_of_plan(const Instance& in, std::span<const WtaEngagement> plan) {
  std::vector<int> x(in.pairs.size(), 0);
  for (const WtaEngagement& e : plan) {
    const int k = in.pair_index(e.unit, e.target);
    if (k >= 0) x[static_cast<std::size_t>(k)] = e.rounds;
  }
  return x;
}

std::vector<double> min_survival(const Instance& in) {
  std::vector<double> out(static_cast<std::size_t>(in.n_targets), 1.0);
  std::vector<std::pair<double, int>> rounds;  // (q, rounds available), best first
  for (int j = 0; j < in.n_targets; ++j) {
    rounds.clear();
    for (int k : in.target_pairs(j)) {
      const Pair& pr = in.pairs[static_cast<std::size_t>(k)];
      rounds.emplace_back(pr.q, pr.cap);
    }
    std::sort(rounds.begin(), rounds.end());
    std::int64_t left = in.target_cap;
    double s = 1.0;
    for (const auto& [q, n] : rounds) {
      if (left <= 0) break;
      const int take = static_cast<int>(std::min<std::int64_t>(left, n));
      s *= std::pow(q, take);
      left -= take;
    }
    out[static_cast<std::size_t>(j)] = s;
  }
  return out;
}

double saturation_bound(const Instance& in, std::span<const double> q_min) {
  double b = 0.0;
  for (int j = 0; j < in.n_targets; ++j) {
    b += in.value[static_cast<std::size_t>(j)] * (1.0 - q_min[static_cast<std::size_t>(j)]);
  }
  return b;
}

// Lazy greedy: a max-heap of targets keyed by an upper estimate of their best round's gain. The
// gain of a target's rounds never grows (its survival only falls and its usable units only
// leave), so an entry whose recomputed gain equals its key is the true maximum.
std::vector<int> greedy_plan(const Instance& in, std::int64_t* steps) {
  std::vector<int> x(in.pairs.size(), 0);
  const auto nt = static_cast<std::size_t>(in.n_targets);
  // Each target's pairs, best round first (ties: lower unit).
  std::vector<int> order(in.by_target);
  for (std::size_t j = 0; j < nt; ++j) {
    std::sort(order.begin() + in.target_begin[j], order.begin() + in.target_begin[j + 1], [&](int a, int b) {
      const Pair& pa = in.pairs[static_cast<std::size_t>(a)];
      const Pair& pb = in.pairs[static_cast<std::size_t>(b)];
      return pa.p != pb.p ? pa.p > pb.p : pa.unit < pb.unit;
    });
  }
  std::vector<int> next(in.target_begin.begin(), in.target_begin.end() - 1);
  std::vector<int> rounds_left(in.rounds);
  std::vector<int> channels_left(in.channels);
  std::vector<int> on_target(nt, 0);
  std::vector<double> survival(nt, 1.0);
  const auto dead = [&](int k) {
    const Pair& pr = in.pairs[static_cast<std::size_t>(k)];
    const auto u = static_cast<std::size_t>(pr.unit);
    const int xk = x[static_cast<std::size_t>(k)];
    return rounds_left[u] == 0 || xk >= pr.cap || (xk == 0 && channels_left[u] == 0);
  };
  struct Entry {
    double gain;
    int target;
  };
  const auto worse = [](const Entry& a, const Entry& b) {
    return a.gain != b.gain ? a.gain < b.gain : a.target > b.target;
  };
  std::priority_queue<Entry, std::vector<Entry>, decltype(worse)> heap(worse);
  for (std::size_t j = 0; j < nt; ++j) {
    if (next[j] < in.target_begin[j + 1]) {
      heap.push(Entry{in.value[j] * in.pairs[static_cast<std::size_t>(order[static_cast<std::size_t>(next[j])])].p,
                      static_cast<int>(j)});
    }
  }
  std::int64_t placed = 0;
  while (!heap.empty()) {
    const Entry top = heap.top();
    heap.pop();
    const auto j = static_cast<std::size_t>(top.target);
    if (on_target[j] >= in.target_cap) continue;
    while (next[j] < in.target_begin[j + 1] && dead(order[static_cast<std::size_t>(next[j])])) ++next[j];
    if (next[j] == in.target_begin[j + 1]) continue;
    const int k = order[static_cast<std::size_t>(next[j])];
    const Pair& pr = in.pairs[static_cast<std::size_t>(k)];
    const double gain = in.value[j] * survival[j] * pr.p;
    if (!(gain > 0.0)) continue;
    if (gain < top.gain) {
      heap.push(Entry{gain, top.target});
      continue;
    }
    if (x[static_cast<std::size_t>(k)]++ == 0) --channels_left[static_cast<std::size_t>(pr.unit)];
    --rounds_left[static_cast<std::size_t>(pr.unit)];
    ++on_target[j];
    survival[j] *= pr.q;
    ++placed;
    heap.push(Entry{in.value[j] * survival[j] * pr.p, top.target});
  }
  if (steps != nullptr) *steps = placed;
  return x;
}

}  // namespace detail

Result<WtaSolution> solve_wta_greedy(const WtaProblem& problem) {
  if (auto r = validate_wta_problem(problem); !r) return fail(r.error());
  const detail::Instance in = detail::compile(problem);
  std::int64_t steps = 0;
  const std::vector<int> x = detail::greedy_plan(in, &steps);
  WtaSolution s = detail::make_solution(in, x);
  s.iterations = steps;
  s.upper_bound = std::max(s.objective, detail::saturation_bound(in, detail::min_survival(in)));
  return s;
}

Result<WtaSolution> solve_wta_heuristic(const WtaProblem& problem, const WtaHeuristicParams& params) {
  if (auto r = validate_wta_problem(problem); !r) return fail(r.error());
  if (auto r = check_heuristic_params(params, ""); !r) return fail(r.error());
  const detail::Instance in = detail::compile(problem);
  std::int64_t steps = 0;
  const std::vector<int> greedy_x = detail::greedy_plan(in, &steps);
  std::vector<int> x = greedy_x;
  detail::local_search(in, x, params, &steps);
  WtaSolution s = detail::make_solution(in, x);
  const double greedy_f = detail::objective_of(in, greedy_x);
  if (s.objective < greedy_f) s = detail::make_solution(in, greedy_x);  // only ever by rounding
  s.iterations = steps;
  s.upper_bound = std::max(s.objective, detail::saturation_bound(in, detail::min_survival(in)));
  return s;
}

Result<double> wta_upper_bound(const WtaProblem& problem, std::span<const WtaEngagement> hint,
                               const WtaBoundParams& params) {
  if (params.tangent_steps < 0) {
    return field_error("tangent_steps", "= " + std::to_string(params.tangent_steps) + ": must be >= 0");
  }
  if (params.price_steps < 0) {
    return field_error("price_steps", "= " + std::to_string(params.price_steps) + ": must be >= 0");
  }
  double hint_f = 0.0;
  if (!hint.empty()) {
    auto f = evaluate_wta_plan(problem, hint);
    if (!f) return fail(f.error());
    hint_f = *f;
  } else if (auto r = validate_wta_problem(problem); !r) {
    return fail(r.error());
  }
  const detail::Instance in = detail::compile(problem);
  const std::vector<int> x = hint.empty() ? detail::greedy_plan(in, nullptr) : detail::x_of_plan(in, hint);
  if (hint.empty()) hint_f = detail::objective_of(in, x);
  const std::vector<double> q_min = detail::min_survival(in);
  double bound = detail::saturation_bound(in, q_min);
  if (params.tangent_steps > 0)
    bound = std::min(bound, detail::tangent_bound(in, x, q_min, params.tangent_steps).value);
  if (params.price_steps > 0) bound = std::min(bound, detail::price_bound(in, x, params.price_steps, hint_f));
  return std::max(hint_f, bound);
}

Result<WtaSolution> solve_wta_exact(const WtaProblem& problem, const WtaExactParams& params) {
  if (auto r = validate_wta_problem(problem); !r) return fail(r.error());
  if (params.max_nodes < 1) return field_error("max_nodes", "= " + std::to_string(params.max_nodes) + ": must be >= 1");
  if (!(params.relative_gap >= 0.0 && params.relative_gap < 1.0)) {
    return field_error("relative_gap", "= " + number(params.relative_gap) + ": must be in [0, 1)");
  }
  if (params.bound_iterations < 0) {
    return field_error("bound_iterations", "= " + std::to_string(params.bound_iterations) + ": must be >= 0");
  }
  if (auto r = check_heuristic_params(params.incumbent, "incumbent."); !r) return fail(r.error());
  const detail::Instance in = detail::compile(problem);
  std::int64_t steps = 0;
  std::vector<int> x = detail::greedy_plan(in, &steps);
  detail::local_search(in, x, params.incumbent, &steps);
  const std::vector<int> incumbent_x = x;
  const double incumbent_f = detail::objective_of(in, incumbent_x);
  const std::vector<double> q_min = detail::min_survival(in);
  auto outcome = detail::branch_and_bound(in, x, detail::saturation_bound(in, q_min), params);
  if (!outcome) return fail(outcome.error());
  WtaSolution s = detail::make_solution(in, x);
  if (s.objective < incumbent_f) s = detail::make_solution(in, incumbent_x);  // only ever by rounding
  s.proven_optimal = outcome->proven;
  s.upper_bound = std::max(s.objective, std::min(outcome->upper_bound, detail::saturation_bound(in, q_min)));
  s.nodes = outcome->nodes;
  s.iterations = steps;
  return s;
}

}  // namespace jrads::engage
