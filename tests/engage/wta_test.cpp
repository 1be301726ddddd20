#include "jrads/engage/wta.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <numbers>
#include <string>
#include <vector>

#include "jrads/core/rng.hpp"
#include "engage/random_wta.hpp"

namespace jrads::engage {
namespace {

using ::testing::HasSubstr;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

std::size_t cell(const WtaProblem& pb, int i, int j) {
  return static_cast<std::size_t>(i) * static_cast<std::size_t>(pb.n_targets) + static_cast<std::size_t>(j);
}

bool pair_feasible(const WtaProblem& pb, int i, int j) {
  return pb.p_kill[cell(pb, i, j)] > 0.0 && (pb.feasible.empty() || pb.feasible[cell(pb, i, j)] != 0);
}

// F(x) straight from the formula, independent of the library.
double objective(const WtaProblem& pb, const std::vector<int>& x) {
  double f = 0.0;
  for (int j = 0; j < pb.n_targets; ++j) {
    double s = 1.0;
    for (int i = 0; i < pb.n_units; ++i) s *= std::pow(1.0 - pb.p_kill[cell(pb, i, j)], x[cell(pb, i, j)]);
    f += pb.value[static_cast<std::size_t>(j)] * (1.0 - s);
  }
  return f;
}

// Every constraint, checked here rather than by evaluate_wta_plan; "" when the plan is feasible.
std::string violation(const WtaProblem& pb, const WtaSolution& s) {
  for (std::size_t k = 1; k < s.engagements.size(); ++k) {
    const auto& a = s.engagements[k - 1];
    const auto& b = s.engagements[k];
    if (!(a.unit < b.unit || (a.unit == b.unit && a.target < b.target))) return "engagements not sorted/unique";
  }
  std::vector<int> used(static_cast<std::size_t>(pb.n_units), 0);
  std::vector<int> chan(static_cast<std::size_t>(pb.n_units), 0);
  std::vector<int> on(static_cast<std::size_t>(pb.n_targets), 0);
  for (const WtaEngagement& e : s.engagements) {
    if (e.unit < 0 || e.unit >= pb.n_units || e.target < 0 || e.target >= pb.n_targets) return "out of range";
    if (e.rounds < 1) return "rounds < 1";
    if (!pair_feasible(pb, e.unit, e.target)) return "infeasible pair";
    if (pb.options.shoot_look_shoot && e.rounds > 1) return "more than one round under shoot-look-shoot";
    used[static_cast<std::size_t>(e.unit)] += e.rounds;
    ++chan[static_cast<std::size_t>(e.unit)];
    on[static_cast<std::size_t>(e.target)] += e.rounds;
  }
  for (int i = 0; i < pb.n_units; ++i) {
    if (used[static_cast<std::size_t>(i)] > pb.rounds[static_cast<std::size_t>(i)]) return "over rounds";
    if (chan[static_cast<std::size_t>(i)] > pb.channels[static_cast<std::size_t>(i)]) return "over channels";
  }
  for (int j = 0; j < pb.n_targets; ++j) {
    if (on[static_cast<std::size_t>(j)] > pb.options.max_rounds_per_target) return "over the per-target cap";
  }
  return "";
}

// The optimum by enumerating every feasible x (unit by unit, target by target).
double brute_force(const WtaProblem& pb) {
  std::vector<int> x(static_cast<std::size_t>(pb.n_units) * static_cast<std::size_t>(pb.n_targets), 0);
  std::vector<int> on(static_cast<std::size_t>(pb.n_targets), 0);
  double best = 0.0;
  const int pair_cap = pb.options.shoot_look_shoot ? 1 : std::numeric_limits<int>::max();
  std::function<void(int, int, int, int)> rec = [&](int i, int j, int rounds_left, int channels_left) {
    if (i == pb.n_units) {
      best = std::max(best, objective(pb, x));
      return;
    }
    if (j == pb.n_targets) {
      const int next = i + 1;
      rec(next, 0, next < pb.n_units ? pb.rounds[static_cast<std::size_t>(next)] : 0,
          next < pb.n_units ? pb.channels[static_cast<std::size_t>(next)] : 0);
      return;
    }
    rec(i, j + 1, rounds_left, channels_left);
    if (channels_left == 0 || !pair_feasible(pb, i, j)) return;
    const auto t = static_cast<std::size_t>(j);
    for (int y = 1; y <= std::min(rounds_left, pair_cap) && on[t] + y <= pb.options.max_rounds_per_target; ++y) {
      x[cell(pb, i, j)] = y;
      on[t] += y;
      rec(i, j + 1, rounds_left - y, channels_left - 1);
      on[t] -= y;
    }
    x[cell(pb, i, j)] = 0;
  };
  if (pb.n_units == 0) return 0.0;
  rec(0, 0, pb.rounds[0], pb.channels[0]);
  return best;
}

WtaProblem random_problem(RngStream& rng, int max_units, int max_targets, int max_rounds, int max_channels) {
  WtaProblem pb;
  pb.n_units = 1 + static_cast<int>(rng.below(static_cast<std::uint64_t>(max_units)));
  pb.n_targets = 1 + static_cast<int>(rng.below(static_cast<std::uint64_t>(max_targets)));
  for (int j = 0; j < pb.n_targets; ++j) pb.value.push_back(rng.bernoulli(0.1) ? 0.0 : rng.uniform(0.5, 10.0));
  const bool flags = rng.bernoulli(0.5);
  for (int k = 0; k < pb.n_units * pb.n_targets; ++k) {
    const double u = rng.uniform();
    pb.p_kill.push_back(u < 0.2 ? 0.0 : u < 0.25 ? 1.0 : rng.uniform(0.05, 0.95));
    if (flags) pb.feasible.push_back(rng.bernoulli(0.85) ? 1 : 0);
  }
  for (int i = 0; i < pb.n_units; ++i) {
    pb.rounds.push_back(static_cast<int>(rng.below(static_cast<std::uint64_t>(max_rounds) + 1)));
    pb.channels.push_back(
        rng.bernoulli(0.1) ? 0 : 1 + static_cast<int>(rng.below(static_cast<std::uint64_t>(max_channels))));
  }
  if (rng.bernoulli(0.2)) pb.options.max_rounds_per_target = 1 + static_cast<int>(rng.below(3));
  if (rng.bernoulli(0.15)) pb.options.shoot_look_shoot = true;
  return pb;
}

using test::dense_problem;

bool near(double a, double b, double tol = 1e-9) { return std::abs(a - b) <= tol * std::max(1.0, std::abs(b)); }

WtaProblem one_unit(std::vector<double> value, std::vector<double> p, int rounds, int channels) {
  WtaProblem pb;
  pb.n_units = 1;
  pb.n_targets = static_cast<int>(value.size());
  pb.value = std::move(value);
  pb.p_kill = std::move(p);
  pb.rounds = {rounds};
  pb.channels = {channels};
  return pb;
}

// ---- hand-computed cases ---------------------------------------------------------------------

TEST(Wta, OneRoundGoesToTheLargerGain) {
  // Gains 10 * 0.3 = 3 and 6 * 0.6 = 3.6.
  const WtaProblem pb = one_unit({10.0, 6.0}, {0.3, 0.6}, 1, 1);
  for (const auto& s : {solve_wta_greedy(pb), solve_wta_heuristic(pb), solve_wta_exact(pb)}) {
    ASSERT_TRUE(s.has_value()) << s.error().to_string();
    EXPECT_EQ(s->engagements, (std::vector<WtaEngagement>{{0, 1, 1}}));
    EXPECT_DOUBLE_EQ(s->objective, 3.6);
  }
  const auto exact = solve_wta_exact(pb);
  EXPECT_TRUE(exact->proven_optimal);
  EXPECT_GE(exact->upper_bound, exact->objective);
  EXPECT_LE(exact->upper_bound, 3.6 * (1 + 1e-8));
}

TEST(Wta, TwoRoundsOnOneTarget) {
  const auto s = solve_wta_exact(one_unit({1.0}, {0.5}, 2, 1));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->engagements, (std::vector<WtaEngagement>{{0, 0, 2}}));
  EXPECT_DOUBLE_EQ(s->objective, 0.75);
}

TEST(Wta, OneChannelConcentratesTheRounds) {
  // 3 rounds, 1 channel, two equal targets: all three at target 0 (ties go to the lower index).
  const WtaProblem one = one_unit({1.0, 1.0}, {0.5, 0.5}, 3, 1);
  for (const auto& s : {solve_wta_greedy(one), solve_wta_heuristic(one), solve_wta_exact(one)}) {
    EXPECT_EQ(s->engagements, (std::vector<WtaEngagement>{{0, 0, 3}}));
    EXPECT_DOUBLE_EQ(s->objective, 0.875);
  }
  // Two channels: 2 + 1 rounds, 0.75 + 0.5.
  const auto two = solve_wta_exact(one_unit({1.0, 1.0}, {0.5, 0.5}, 3, 2));
  EXPECT_EQ(two->engagements, (std::vector<WtaEngagement>{{0, 0, 2}, {0, 1, 1}}));
  EXPECT_DOUBLE_EQ(two->objective, 1.25);
}

TEST(Wta, GreedyIsMyopicLocalSearchAndExactAreNot) {
  // A: p = (0.9, 0.8), B: p = (0.9, 0); one round each. Greedy gives A target 0 first (tie with
  // B at 0.9, lower target then lower unit) and B then adds 0.09: 0.99. Optimum: B -> 0, A -> 1.
  WtaProblem pb;
  pb.n_units = 2;
  pb.n_targets = 2;
  pb.value = {1.0, 1.0};
  pb.p_kill = {0.9, 0.8, 0.9, 0.0};
  pb.rounds = {1, 1};
  pb.channels = {1, 1};
  const auto greedy = solve_wta_greedy(pb);
  EXPECT_EQ(greedy->engagements, (std::vector<WtaEngagement>{{0, 0, 1}, {1, 0, 1}}));
  EXPECT_NEAR(greedy->objective, 0.99, 1e-12);
  const std::vector<WtaEngagement> best = {{0, 1, 1}, {1, 0, 1}};
  EXPECT_EQ(solve_wta_heuristic(pb)->engagements, best);
  const auto exact = solve_wta_exact(pb);
  EXPECT_EQ(exact->engagements, best);
  EXPECT_NEAR(exact->objective, 1.7, 1e-12);
  EXPECT_TRUE(exact->proven_optimal);
}

TEST(Wta, InfeasibleFlagIsRespected) {
  WtaProblem pb = one_unit({1.0, 1.0}, {0.9, 0.1}, 1, 1);
  pb.feasible = {0, 1};
  for (const auto& s : {solve_wta_greedy(pb), solve_wta_heuristic(pb), solve_wta_exact(pb)}) {
    EXPECT_EQ(s->engagements, (std::vector<WtaEngagement>{{0, 1, 1}}));
  }
  pb.feasible = {0, 0};
  EXPECT_TRUE(solve_wta_exact(pb)->engagements.empty());
  EXPECT_EQ(solve_wta_exact(pb)->objective, 0.0);
}

TEST(Wta, CertainKillNeedsOneRound) {
  // p = 1 at target 0: a second round there gains nothing, target 1 gains 0.5.
  const WtaProblem pb = one_unit({5.0, 1.0}, {1.0, 0.5}, 2, 2);
  for (const auto& s : {solve_wta_greedy(pb), solve_wta_heuristic(pb), solve_wta_exact(pb)}) {
    EXPECT_EQ(s->engagements, (std::vector<WtaEngagement>{{0, 0, 1}, {0, 1, 1}}));
    EXPECT_DOUBLE_EQ(s->objective, 5.5);
  }
}

TEST(Wta, PerTargetCap) {
  WtaProblem pb;
  pb.n_units = 3;
  pb.n_targets = 1;
  pb.value = {1.0};
  pb.p_kill = {0.5, 0.5, 0.5};
  pb.rounds = {1, 1, 1};
  pb.channels = {1, 1, 1};
  pb.options.max_rounds_per_target = 2;  // shoot-shoot
  for (const auto& s : {solve_wta_greedy(pb), solve_wta_heuristic(pb), solve_wta_exact(pb)}) {
    EXPECT_EQ(violation(pb, *s), "");
    EXPECT_DOUBLE_EQ(s->objective, 0.75);
  }
}

TEST(Wta, ShootLookShootPlansTheFirstSalvoOnly) {
  // Without it all 3 rounds go to target 0 (0.5 + 0.25 + 0.125 > 0.05); with it one round per
  // pair: one at each target, the third round is kept.
  WtaProblem pb = one_unit({1.0, 0.1}, {0.5, 0.5}, 3, 3);
  EXPECT_EQ(solve_wta_exact(pb)->engagements, (std::vector<WtaEngagement>{{0, 0, 3}}));
  pb.options.shoot_look_shoot = true;
  for (const auto& s : {solve_wta_greedy(pb), solve_wta_heuristic(pb), solve_wta_exact(pb)}) {
    EXPECT_EQ(s->engagements, (std::vector<WtaEngagement>{{0, 0, 1}, {0, 1, 1}}));
    EXPECT_DOUBLE_EQ(s->objective, 0.55);
  }
}

TEST(Wta, ZeroValueTargetIsNeverEngaged) {
  const auto s = solve_wta_exact(one_unit({0.0, 1.0}, {0.9, 0.1}, 2, 2));
  EXPECT_EQ(s->engagements, (std::vector<WtaEngagement>{{0, 1, 2}}));
}

TEST(Wta, EmptyProblems) {
  WtaProblem none;
  for (const auto& s : {solve_wta_greedy(none), solve_wta_heuristic(none), solve_wta_exact(none)}) {
    ASSERT_TRUE(s.has_value()) << s.error().to_string();
    EXPECT_TRUE(s->engagements.empty());
    EXPECT_EQ(s->objective, 0.0);
  }
  EXPECT_TRUE(solve_wta_exact(none)->proven_optimal);
  WtaProblem no_targets;
  no_targets.n_units = 2;
  no_targets.rounds = {3, 3};
  no_targets.channels = {1, 1};
  EXPECT_EQ(solve_wta_exact(no_targets)->objective, 0.0);
  EXPECT_EQ(*wta_upper_bound(no_targets), 0.0);
}

TEST(Wta, SolutionAccessors) {
  const auto s = solve_wta_exact(one_unit({1.0, 1.0}, {0.5, 0.5}, 3, 2));
  EXPECT_EQ(s->rounds_at(0, 0), 2);
  EXPECT_EQ(s->rounds_at(0, 1), 1);
  EXPECT_EQ(s->rounds_at(1, 0), 0);
  EXPECT_EQ(s->x_matrix(1, 2), (std::vector<int>{2, 1}));
}

// ---- hostile input -------------------------------------------------------------------------

TEST(Wta, MalformedProblemsAreRejectedWithTheField) {
  const WtaProblem good = [] {
    WtaProblem pb;
    pb.n_units = 2;
    pb.n_targets = 3;
    pb.value = {1, 2, 3};
    pb.p_kill = {0.5, 0.5, 0.5, 0.5, 0.5, 0.5};
    pb.rounds = {2, 2};
    pb.channels = {1, 1};
    return pb;
  }();
  ASSERT_TRUE(validate_wta_problem(good).has_value());
  struct Case {
    std::function<void(WtaProblem&)> mutate;
    std::string message;
  };
  const std::vector<Case> cases = {
      {[](WtaProblem& p) { p.n_units = -1; }, "n_units = -1"},
      {[](WtaProblem& p) { p.n_targets = -2; }, "n_targets = -2"},
      {[](WtaProblem& p) {
         p.n_units = 100000;
         p.n_targets = 100000;
       },
       "n_units * n_targets = 10000000000"},
      {[](WtaProblem& p) { p.value.pop_back(); }, "value has 2 entries, expected n_targets = 3"},
      {[](WtaProblem& p) { p.p_kill.push_back(0.1); }, "p_kill has 7 entries, expected n_units * n_targets = 6"},
      {[](WtaProblem& p) {
         p.feasible = {1, 1};
       },
       "feasible has 2 entries"},
      {[](WtaProblem& p) { p.rounds = {1}; }, "rounds has 1 entries, expected n_units = 2"},
      {[](WtaProblem& p) {
         p.channels = {1, 1, 1};
       },
       "channels has 3 entries"},
      {[](WtaProblem& p) { p.value[1] = -1.0; }, "value[1] = -1: must be finite and >= 0"},
      {[](WtaProblem& p) { p.value[2] = kNaN; }, "value[2] = nan"},
      {[](WtaProblem& p) { p.value[0] = kInf; }, "value[0] = inf"},
      {[](WtaProblem& p) {
         p.value = {1e308, 1e308, 1e308};
       },
       "value sums to inf"},
      {[](WtaProblem& p) { p.p_kill[5] = kNaN; }, "p_kill[1][2] (unit 1, target 2) = nan: must be in [0, 1]"},
      {[](WtaProblem& p) { p.p_kill[1] = 1.5; }, "p_kill[0][1] (unit 0, target 1) = 1.5"},
      {[](WtaProblem& p) { p.p_kill[3] = -0.25; }, "p_kill[1][0] (unit 1, target 0) = -0.25"},
      {[](WtaProblem& p) { p.p_kill[4] = -kInf; }, "p_kill[1][1] (unit 1, target 1) = -inf"},
      {[](WtaProblem& p) { p.feasible = {1, 1, 1, 1, 2, 1}; }, "feasible[1][1] (unit 1, target 1) = 2: must be 0 or 1"},
      {[](WtaProblem& p) { p.rounds[1] = -3; }, "rounds[1] = -3: must be in [0, 1000]"},
      {[](WtaProblem& p) { p.rounds[0] = 1001; }, "rounds[0] = 1001: must be in [0, 1000]"},
      {[](WtaProblem& p) { p.channels[0] = -1; }, "channels[0] = -1: must be in [0, 1000]"},
      {[](WtaProblem& p) { p.channels[1] = std::numeric_limits<int>::max(); }, "channels[1] = 2147483647"},
      {[](WtaProblem& p) { p.options.max_rounds_per_target = 0; }, "options.max_rounds_per_target = 0: must be >= 1"},
  };
  for (const Case& c : cases) {
    WtaProblem pb = good;
    c.mutate(pb);
    const auto check = [&](const Error& e) {
      EXPECT_EQ(e.code, Errc::invalid_argument);
      EXPECT_THAT(e.message, HasSubstr(c.message));
    };
    check(validate_wta_problem(pb).error());
    check(solve_wta_greedy(pb).error());
    check(solve_wta_heuristic(pb).error());
    check(solve_wta_exact(pb).error());
    check(wta_upper_bound(pb).error());
    check(evaluate_wta_plan(pb, {}).error());
  }
}

TEST(Wta, BadParametersAreRejected) {
  const WtaProblem pb = one_unit({1.0}, {0.5}, 1, 1);
  WtaExactParams e;
  e.max_nodes = 0;
  EXPECT_THAT(solve_wta_exact(pb, e).error().message, HasSubstr("max_nodes = 0"));
  e = {};
  e.relative_gap = 1.0;
  EXPECT_THAT(solve_wta_exact(pb, e).error().message, HasSubstr("relative_gap = 1"));
  e.relative_gap = kNaN;
  EXPECT_THAT(solve_wta_exact(pb, e).error().message, HasSubstr("relative_gap = nan"));
  e = {};
  e.bound_iterations = -1;
  EXPECT_THAT(solve_wta_exact(pb, e).error().message, HasSubstr("bound_iterations = -1"));
  WtaHeuristicParams h;
  h.max_passes = -1;
  EXPECT_THAT(solve_wta_heuristic(pb, h).error().message, HasSubstr("max_passes = -1"));
  h = {};
  h.kicks_per_unit = kNaN;
  EXPECT_THAT(solve_wta_heuristic(pb, h).error().message, HasSubstr("kicks_per_unit = nan"));
  h = {};
  h.min_kicks = -1;
  EXPECT_THAT(solve_wta_heuristic(pb, h).error().message, HasSubstr("min_kicks = -1"));
  h = {};
  h.chain_length = 17;
  EXPECT_THAT(solve_wta_heuristic(pb, h).error().message, HasSubstr("chain_length = 17"));
  h.chain_length = -1;
  EXPECT_THAT(solve_wta_heuristic(pb, h).error().message, HasSubstr("chain_length = -1"));
  h = {};
  h.chain_neighbours = 0;
  EXPECT_THAT(solve_wta_heuristic(pb, h).error().message, HasSubstr("chain_neighbours = 0"));
  e = {};
  e.incumbent.kicks_per_unit = -2.0;
  EXPECT_THAT(solve_wta_exact(pb, e).error().message, HasSubstr("incumbent.kicks_per_unit = -2"));
  WtaBoundParams b;
  b.tangent_steps = -5;
  EXPECT_THAT(wta_upper_bound(pb, {}, b).error().message, HasSubstr("tangent_steps = -5"));
  b = {};
  b.price_steps = -2;
  EXPECT_THAT(wta_upper_bound(pb, {}, b).error().message, HasSubstr("price_steps = -2"));
}

TEST(Wta, EvaluateRejectsInfeasiblePlans) {
  WtaProblem pb;
  pb.n_units = 2;
  pb.n_targets = 2;
  pb.value = {1.0, 1.0};
  pb.p_kill = {0.5, 0.0, 0.5, 0.5};
  pb.rounds = {2, 1};
  pb.channels = {1, 2};
  EXPECT_NEAR(*evaluate_wta_plan(pb, std::vector<WtaEngagement>{{0, 0, 2}, {1, 1, 1}}), 0.75 + 0.5, 1e-15);
  const auto msg = [&](std::vector<WtaEngagement> plan) { return evaluate_wta_plan(pb, plan).error().message; };
  EXPECT_THAT(msg({{0, 0, 3}}), HasSubstr("unit 0 fires 3 rounds, it has 2"));
  EXPECT_THAT(msg({{0, 1, 1}}), HasSubstr("(unit 0, target 1): the pair is infeasible"));
  EXPECT_THAT(msg({{1, 0, 1}, {1, 1, 1}, {0, 0, 1}, {0, 0, 1}}), HasSubstr("listed twice"));
  EXPECT_THAT(msg({{2, 0, 1}}), HasSubstr("out of range"));
  EXPECT_THAT(msg({{1, 0, 0}}), HasSubstr("rounds = 0"));
  pb.rounds = {2, 2};
  pb.channels = {1, 1};
  EXPECT_THAT(msg({{1, 0, 1}, {1, 1, 1}}), HasSubstr("unit 1 engages 2 targets, it has 1 channels"));
  pb.options.max_rounds_per_target = 2;
  EXPECT_THAT(msg({{0, 0, 2}, {1, 0, 1}}), HasSubstr("target 0 receives 3 rounds"));
  pb.options.shoot_look_shoot = true;
  EXPECT_THAT(msg({{0, 0, 2}}), HasSubstr("shoot-look-shoot allows 1 per pair"));
  EXPECT_FALSE(wta_upper_bound(pb, std::vector<WtaEngagement>{{0, 0, 2}}).has_value());
}

// ---- properties on seeded random instances -----------------------------------------------------

TEST(Wta, ExactMatchesBruteForceOnSmallInstances) {
  RngStream rng = Rng(20261201).stream("tests/engage/wta/brute");
  int greedy_suboptimal = 0;
  int heuristic_suboptimal = 0;
  constexpr int kInstances = 3000;
  for (int n = 0; n < kInstances; ++n) {
    const WtaProblem pb = random_problem(rng, 4, 4, 3, 2);
    SCOPED_TRACE("instance " + std::to_string(n) + ": " + std::to_string(pb.n_units) + " x " +
                 std::to_string(pb.n_targets));
    const double opt = brute_force(pb);
    const auto exact = solve_wta_exact(pb);
    const auto greedy = solve_wta_greedy(pb);
    const auto heur = solve_wta_heuristic(pb);
    ASSERT_TRUE(exact.has_value() && greedy.has_value() && heur.has_value());
    ASSERT_TRUE(exact->proven_optimal);
    ASSERT_TRUE(near(exact->objective, opt)) << exact->objective << " vs brute force " << opt;
    for (const WtaSolution* s : {&*exact, &*greedy, &*heur}) {
      ASSERT_EQ(violation(pb, *s), "");
      ASSERT_TRUE(near(s->objective, objective(pb, s->x_matrix(pb.n_units, pb.n_targets)), 1e-12));
      ASSERT_GE(s->upper_bound, opt * (1 - 1e-12));
      ASSERT_LE(s->objective, opt * (1 + 1e-12) + 1e-15);
    }
    ASSERT_GE(heur->objective, greedy->objective);
    const auto bound = wta_upper_bound(pb, heur->engagements);
    ASSERT_TRUE(bound.has_value());
    ASSERT_GE(*bound, opt * (1 - 1e-12));
    ASSERT_GE(*wta_upper_bound(pb), opt * (1 - 1e-12));
    WtaBoundParams priced;
    priced.price_steps = 30;
    ASSERT_GE(*wta_upper_bound(pb, greedy->engagements, priced), opt * (1 - 1e-12));
    if (greedy->objective < opt * (1 - 1e-9)) ++greedy_suboptimal;
    if (heur->objective < opt * (1 - 1e-9)) ++heuristic_suboptimal;
  }
  std::printf("greedy below the optimum on %d, heuristic on %d of %d\n", greedy_suboptimal, heuristic_suboptimal,
              kInstances);
  // The instances are not all trivial: greedy misses the optimum on some of them (231 of 3000
  // with this seed; the heuristic on 16).
  EXPECT_GT(greedy_suboptimal, 10);
  EXPECT_LT(heuristic_suboptimal, greedy_suboptimal);
}

TEST(Wta, HeuristicBetweenGreedyAndExactOnMediumInstances) {
  RngStream rng = Rng(7).stream("tests/engage/wta/medium");
  for (int n = 0; n < 60; ++n) {
    const WtaProblem pb = n % 2 == 0 ? random_problem(rng, 10, 10, 4, 3) : dense_problem(rng, 8, 8, 1, 4, 2);
    SCOPED_TRACE("instance " + std::to_string(n));
    const auto greedy = solve_wta_greedy(pb);
    const auto heur = solve_wta_heuristic(pb);
    const auto exact = solve_wta_exact(pb);
    ASSERT_TRUE(greedy && heur && exact);
    ASSERT_TRUE(exact->proven_optimal) << exact->nodes << " nodes";
    EXPECT_GE(heur->objective, greedy->objective);
    // Each neighbourhood alone keeps the guarantee too.
    WtaHeuristicParams plain;
    plain.swaps = false;
    plain.kicks_per_unit = 0.0;
    plain.min_kicks = 0;
    plain.chain_length = 0;
    WtaHeuristicParams chains_only = plain;
    chains_only.chain_length = 5;
    chains_only.chain_neighbours = 2;
    for (const WtaHeuristicParams& params : {plain, chains_only}) {
      const auto local = solve_wta_heuristic(pb, params);
      ASSERT_TRUE(local.has_value());
      EXPECT_GE(local->objective, greedy->objective);
      EXPECT_LE(local->objective, exact->objective * (1 + 1e-9));
      EXPECT_EQ(violation(pb, *local), "");
    }
    EXPECT_LE(heur->objective, exact->objective * (1 + 1e-9));
    EXPECT_GE(exact->upper_bound, exact->objective);
    EXPECT_GE(*wta_upper_bound(pb, heur->engagements), exact->objective * (1 - 1e-12));
    for (const WtaSolution* s : {&*greedy, &*heur, &*exact}) EXPECT_EQ(violation(pb, *s), "");
  }
}

TEST(Wta, EjectionChainsBringTheBenchmarkSetWithinOnePercent) {
  // Seed 1014 of the benchmark's 20 x 20 set was 1.23 % below the optimum, a local optimum of the
  // one- and two-unit moves that 200 kicks did not leave. A chain of four units repairs it: unit
  // 15 moves both rounds from target 7 to 17, unit 0 from 15 into 7, unit 11 from 14 into 15 and
  // unit 9 from 3 into 14, then the local repair re-balances. Every instance is within 1 % now.
  for (int k = 0; k < 30; ++k) {
    const auto seed = static_cast<std::uint64_t>(1000 + k);
    SCOPED_TRACE("seed " + std::to_string(seed));
    const WtaProblem pb = test::sparse_instance(20, 20, seed);
    const auto exact = solve_wta_exact(pb);
    const auto heur = solve_wta_heuristic(pb);
    ASSERT_TRUE(exact && heur);
    ASSERT_TRUE(exact->proven_optimal);
    EXPECT_GE(heur->objective, 0.99 * exact->objective);
    EXPECT_EQ(violation(pb, *heur), "");
    EXPECT_EQ(heur->engagements, solve_wta_heuristic(pb)->engagements);
    if (seed == 1014) {
      WtaHeuristicParams no_chains;
      no_chains.chain_length = 0;
      const auto before = solve_wta_heuristic(pb, no_chains);
      ASSERT_TRUE(before.has_value());
      EXPECT_LT(before->objective, 0.99 * exact->objective);  // the miss the chains repair
      EXPECT_GE(heur->objective, 0.999 * exact->objective);   // 0.063 % below it now
    }
  }
}

TEST(Wta, LargeSparseInstancesRespectConstraintsAndAreDeterministic) {
  RngStream rng = Rng(11).stream("tests/engage/wta/large");
  for (int n = 0; n < 3; ++n) {
    WtaProblem pb;
    pb.n_units = 150;
    pb.n_targets = 120;
    for (int j = 0; j < pb.n_targets; ++j) pb.value.push_back(rng.uniform(1.0, 10.0));
    for (int k = 0; k < pb.n_units * pb.n_targets; ++k)
      pb.p_kill.push_back(rng.bernoulli(0.15) ? rng.uniform(0.2, 0.95) : 0.0);
    for (int i = 0; i < pb.n_units; ++i) {
      pb.rounds.push_back(1 + static_cast<int>(rng.below(6)));
      pb.channels.push_back(1 + static_cast<int>(rng.below(3)));
    }
    if (n == 1) pb.options.max_rounds_per_target = 2;
    if (n == 2) pb.options.shoot_look_shoot = true;
    const auto greedy = solve_wta_greedy(pb);
    const auto heur = solve_wta_heuristic(pb);
    ASSERT_TRUE(greedy && heur);
    EXPECT_EQ(violation(pb, *greedy), "");
    EXPECT_EQ(violation(pb, *heur), "");
    EXPECT_GE(heur->objective, greedy->objective);
    EXPECT_EQ(heur->engagements, solve_wta_heuristic(pb)->engagements);
    EXPECT_EQ(greedy->engagements, solve_wta_greedy(pb)->engagements);
    const double bound = *wta_upper_bound(pb, heur->engagements);
    EXPECT_GE(bound, heur->objective);
    EXPECT_LE(bound, heur->upper_bound);  // the tangent bound is no weaker than saturation
  }
}

TEST(Wta, LargestResourcesStayTractable) {
  // Units at the rounds limit, with many or few channels: every solver must finish promptly and
  // respect the constraints (the bounds fall back to looser forms rather than huge tables).
  RngStream rng = Rng(5).stream("tests/engage/wta/extreme");
  WtaProblem pb;
  pb.n_units = 4;
  pb.n_targets = 30;
  for (int j = 0; j < pb.n_targets; ++j) pb.value.push_back(rng.uniform(1.0, 10.0));
  for (int k = 0; k < pb.n_units * pb.n_targets; ++k) pb.p_kill.push_back(rng.uniform(0.05, 0.3));
  pb.rounds = {kMaxUnitRounds, kMaxUnitRounds, 7, kMaxUnitRounds};
  pb.channels = {kMaxUnitChannels, 3, 2, 1};
  const auto greedy = solve_wta_greedy(pb);
  const auto heur = solve_wta_heuristic(pb);
  WtaExactParams params;
  params.max_nodes = 20;
  params.bound_iterations = 20;
  const auto exact = solve_wta_exact(pb, params);
  ASSERT_TRUE(greedy && heur && exact);
  for (const WtaSolution* s : {&*greedy, &*heur, &*exact}) EXPECT_EQ(violation(pb, *s), "");
  EXPECT_GE(heur->objective, greedy->objective);
  EXPECT_GE(exact->objective, heur->objective);
  EXPECT_GE(exact->upper_bound, exact->objective);
  WtaBoundParams priced;
  priced.price_steps = 5;
  EXPECT_GE(*wta_upper_bound(pb, heur->engagements, priced), exact->objective);
}

TEST(Wta, NodeLimitReturnsTheBestPlanAndAnOpenBound) {
  RngStream rng = Rng(3).stream("tests/engage/wta/limit");
  int limited = 0;
  for (int n = 0; n < 6; ++n) {
    const WtaProblem pb = dense_problem(rng, 10, 10, 2, 4, 2);
    const auto full = solve_wta_exact(pb);
    ASSERT_TRUE(full.has_value());
    if (full->nodes <= 5) continue;  // proven at the root: nothing to cut short
    WtaExactParams params;
    params.max_nodes = 5;
    const auto cut = solve_wta_exact(pb, params);
    ASSERT_TRUE(cut.has_value());
    EXPECT_FALSE(cut->proven_optimal);
    EXPECT_LE(cut->nodes, 5);
    EXPECT_GE(cut->objective, solve_wta_heuristic(pb)->objective);
    EXPECT_GE(cut->upper_bound, full->objective * (1 - 1e-12));
    EXPECT_EQ(violation(pb, *cut), "");
    ++limited;
  }
  EXPECT_GT(limited, 0);
}

}  // namespace
}  // namespace jrads::engage
