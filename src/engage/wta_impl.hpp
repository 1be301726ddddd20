#pragma once
// Private to src/engage: the compiled form of a WtaProblem shared by the WTA solvers.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "jrads/engage/wta.hpp"

namespace jrads::engage::detail {

// One usable (unit, target) pair: feasible, p > 0, V > 0, and the unit has a round and a channel.
struct Pair {
  int unit = 0;
  int target = 0;
  double p = 0.0;  // kill probability of one round
  double q = 1.0;  // 1 - p
  double a = 0.0;  // -ln q: the round's "kill strength"; +inf when p = 1
  int cap = 0;     // most rounds the pair can take: min(rounds, per-target cap, 1 under shoot-look-shoot)
};

struct Instance {
  int n_units = 0;
  int n_targets = 0;
  std::vector<double> value;  // V_j
  std::vector<int> rounds;
  std::vector<int> channels;
  int target_cap = kUnlimitedRounds;
  double value_sum = 0.0;
  std::vector<Pair> pairs;        // by unit, then target
  std::vector<int> unit_begin;    // n_units + 1 offsets into pairs
  std::vector<int> by_target;     // pair indices by target, then unit
  std::vector<int> target_begin;  // n_targets + 1 offsets into by_target
  std::vector<int> pair_of;       // n_units x n_targets: pair index or -1

  [[nodiscard]] int pair_index(int unit, int target) const noexcept {
    return pair_of[static_cast<std::size_t>(unit) * static_cast<std::size_t>(n_targets) +
                   static_cast<std::size_t>(target)];
  }
  [[nodiscard]] std::span<const Pair> unit_pairs(int unit) const noexcept {
    return std::span<const Pair>(pairs).subspan(
        static_cast<std::size_t>(unit_begin[static_cast<std::size_t>(unit)]),
        static_cast<std::size_t>(unit_begin[static_cast<std::size_t>(unit) + 1] -
                                 unit_begin[static_cast<std::size_t>(unit)]));
  }
  [[nodiscard]] std::span<const int> target_pairs(int target) const noexcept {
    const auto t = static_cast<std::size_t>(target);
    return std::span<const int>(by_target).subspan(static_cast<std::size_t>(target_begin[t]),
                                                   static_cast<std::size_t>(target_begin[t + 1] - target_begin[t]));
  }
};

// A validated problem in compiled form.
[[nodiscard]] Instance compile(const WtaProblem& problem);

// F(x) for rounds per pair (x.size() == pairs.size()), summed as evaluate_wta_plan does.
[[nodiscard]] double objective_of(const Instance& in, std::span<const int> x);

// The solution value type for rounds per pair: sorted engagements and their F.
[[nodiscard]] WtaSolution make_solution(const Instance& in, std::span<const int> x);

// Rounds per pair of a hint plan that evaluate_wta_plan accepted (pairs outside `pairs` ignored).
[[nodiscard]] std::vector<int> x_of_plan(const Instance& in, std::span<const WtaEngagement> plan);

// Greedy maximum marginal return; returns rounds per pair and sets *steps to the rounds placed.
[[nodiscard]] std::vector<int> greedy_plan(const Instance& in, std::int64_t* steps);

// Improves x in place by first-improvement local search; adds the moves made to *moves.
void local_search(const Instance& in, std::vector<int>& x, const WtaHeuristicParams& params, std::int64_t* moves);

// Smallest survival any feasible plan can leave at each target: the product of its best rounds
// (every pair at its cap, best first, until the per-target cap).
[[nodiscard]] std::vector<double> min_survival(const Instance& in);

// sum_j V_j (1 - min_survival_j).
[[nodiscard]] double saturation_bound(const Instance& in, std::span<const double> q_min);

// 1 - (1 + t) e^{-t}: the intercept of the tangent of 1 - e^{-z} at z = t (0 at t = 0, -> 1).
[[nodiscard]] double tangent_intercept(double t) noexcept;

// Maximises sum_k g_k(y_k) over integers 0 <= y_k <= ymax_k, sum_k y_k <= rounds and at most
// `channels` items with y_k > 0, for g_k concave nondecreasing with g_k(0) = 0. g_k(y) is
// g[k * stride + y - 1]. Exact: when channels cannot bind, the best `rounds` marginal gains; else
// a dynamic programme over the items that are among the `channels` best for some y (an optimum
// uses only those). Should that programme exceed 4 M table updates, the channel limit is dropped
// instead: still an upper bound, no longer exact. Keeps its work buffers between calls.
class UnitSubproblem {
 public:
  // The optimum (or the upper bound above); with `y_out` (size n) also its y.
  double solve(std::span<const double> g, int stride, std::span<const int> ymax, int rounds, int channels,
               std::span<int> y_out = {});

 private:
  double best_marginals(std::span<const double> g, int stride, std::span<const int> ymax, int rounds,
                        std::span<int> y_out);
  std::vector<double> marginals_;
  std::vector<int> order_;
  std::vector<int> candidates_;
  std::vector<std::uint8_t> is_candidate_;
  std::vector<double> dp_;
  std::vector<int> choice_;
};

// The tangent bound (docs/ENGAGE.md): for tangent points t_j,
//   F(x) <= sum_j V_j k_j + sum_i max_{y_i feasible for unit i} sum_j g_ij(y_ij),
//   g_ij(y) = min(V_j e^{-t_j} a_ij y, V_j (1 - q_ij^y)),  k_j = min(tangent_intercept(t_j), 1 - q_min_j),
// with g_ij = 0 for targets in cap mode (tangent_intercept(t_j) >= 1 - q_min_j).
struct TangentBound {
  double value = 0.0;
  std::vector<double> t;  // best tangent point per target
  int iterations = 0;
};
[[nodiscard]] TangentBound tangent_bound(const Instance& in, std::span<const int> x_hint, std::span<const double> q_min,
                                         int iterations);

// One unit's share in a target's priced subproblem.
struct PriceParticipant {
  int unit = 0;    // index into the multiplier arrays
  int pair = 0;    // index into Instance::pairs
  double q = 1.0;  // 1 - p
  double a = 0.0;  // -ln q (+inf for p = 1)
  int ymax = 0;    // most rounds it may fire at this target
};

// max over integer y of  W (1 - prod_i q_i^{y_i}) - sum_i (lambda_i y_i + mu_i [y_i > 0]),
// 0 <= y_i <= ymax_i, sum_i y_i <= room. Depth-first search over the participants with a
// standalone-gain bound (the gain of a unit given the others is at most its gain alone, by
// submodularity). Exact unless `budget` nodes run out; then the returned value is still an upper
// bound (the largest bound of the abandoned subtrees) and `y_out` the best plan found.
class TargetPricing {
 public:
  double solve(double w, int room, std::span<const PriceParticipant> units, std::span<const double> lambda,
               std::span<const double> mu, std::span<int> y_out, std::int64_t budget);

 private:
  struct Active {
    int index;     // into units
    double alone;  // best standalone priced gain
  };
  [[nodiscard]] double alone(const Active& a, double survival, int room) const;
  [[nodiscard]] double rest_bound(std::size_t depth, double survival, int room) const;
  void search(std::size_t depth, double survival, double value, int room);

  double w_ = 0.0;
  std::span<const PriceParticipant> units_;
  std::span<const double> lambda_;
  std::span<const double> mu_;
  std::vector<Active> active_;
  std::vector<int> y_;
  std::vector<int> best_y_;
  double best_ = 0.0;
  double abandoned_ = 0.0;
  std::int64_t budget_ = 0;
};

// The Lagrangian relaxation of the units' round and channel constraints (prices lambda_i per round,
// mu_i per engagement) over a set of targets, each with its remaining value W_j, its room under the
// per-target cap and its participants:
//   L(lambda, mu) = sum_{free units} (lambda_i R_i + mu_i C_i) + sum_j h_j(lambda, mu) >= F_rest(x)
// for every plan x of the free units, h_j the optimum of target j's priced subproblem.
class PriceRelaxation {
 public:
  void reset(int n_units);
  void set_unit(int unit, int rounds, int channels);  // a free unit and its remaining resources
  void add_target(int target, double w, int room);    // then its participants
  void add_participant(const PriceParticipant& p);
  [[nodiscard]] bool empty() const noexcept { return targets_.empty(); }

  // L at (lambda, mu); records the relaxed plan (per participant) and each unit's use.
  double evaluate(std::span<const double> lambda, std::span<const double> mu);
  // Projected subgradient steps (Polyak's rule aiming at `goal`), stopping early once L <= goal.
  // Returns the smallest L seen and leaves its multipliers in lambda, mu.
  double optimise(std::vector<double>& lambda, std::vector<double>& mu, int iterations, double goal);

  // The last evaluate's relaxed plan: whether it keeps every free unit within its rounds and
  // channels, and its unpriced gain sum_j W_j (1 - prod q^y).
  [[nodiscard]] bool plan_feasible() const;
  [[nodiscard]] double plan_gain() const noexcept { return plan_gain_; }
  [[nodiscard]] std::span<const PriceParticipant> participants() const noexcept { return parts_; }
  [[nodiscard]] std::span<const int> plan() const noexcept { return y_; }
  // The best relaxed plan of the last optimise that kept every free unit within its resources
  // (a feasible completion), and its unpriced gain; gain < 0 when there was none.
  [[nodiscard]] double feasible_gain() const noexcept { return feasible_gain_; }
  [[nodiscard]] std::span<const int> feasible_plan() const noexcept { return feasible_plan_; }
  std::int64_t budget_per_target = 2'000;

 private:
  struct Target {
    int target;
    double w;
    int room;
    int begin;
    int end;
  };
  std::vector<Target> targets_;
  std::vector<PriceParticipant> parts_;
  std::vector<int> y_;
  std::vector<int> rounds_;
  std::vector<int> channels_;
  std::vector<int> free_units_;
  std::vector<int> used_rounds_;
  std::vector<int> used_channels_;
  std::vector<double> best_lambda_;
  std::vector<double> best_mu_;
  void note_plan();
  double plan_gain_ = 0.0;
  double feasible_gain_ = -1.0;
  std::vector<int> feasible_plan_;
  TargetPricing pricing_;
};

// Multipliers from a plan: lambda_i = the smallest loss from taking one round of unit i back
// (0 if the unit has a spare round), mu_i = 0.
void initial_prices(const Instance& in, std::span<const int> x, std::vector<double>& lambda, std::vector<double>& mu);

// The exact branch and bound. `x` holds the incumbent on entry and the best plan on exit.
struct ExactOutcome {
  bool proven = false;
  double upper_bound = 0.0;
  std::int64_t nodes = 0;
};
// The price bound of the whole problem from multipliers started at initial_prices(x_hint), with
// `iterations` subgradient steps aiming at `goal` (stops early below it).
[[nodiscard]] double price_bound(const Instance& in, std::span<const int> x_hint, int iterations, double goal);

// `root_bound` is any valid upper bound (reported when it is the smaller).
[[nodiscard]] Result<ExactOutcome> branch_and_bound(const Instance& in, std::vector<int>& x, double root_bound,
                                                    const WtaExactParams& params);

}  // namespace jrads::engage::detail
