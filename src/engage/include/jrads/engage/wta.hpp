#pragma once
// Static weapon–target assignment (WTA): how many rounds each fire unit fires at which target.
// Notional decision support on simulated data; no real weapon data is modelled.
//
// Model (docs/ENGAGE.md has the derivations). Fire units i = 0..n_units-1, targets
// j = 0..n_targets-1, integer rounds x_ij >= 0. Rounds kill independently with p_ij, so
//   maximise  F(x) = sum_j V_j (1 - prod_i (1 - p_ij)^x_ij)        (expected value destroyed)
//   s.t.      sum_j x_ij <= rounds_i                                 (inventory)
//             |{j : x_ij > 0}| <= channels_i                         (simultaneous engagements)
//             x_ij = 0 where p_ij = 0 or feasible_ij = 0             (outside the envelope)
//             sum_i x_ij <= options.max_rounds_per_target            (per-target cap)
//             x_ij <= 1 when options.shoot_look_shoot                (first salvo only)
// A target of value 0 is never engaged (it could only waste rounds).
//
//   WtaProblem pb;                     // one unit, one round, two targets
//   pb.n_units = 1; pb.n_targets = 2;
//   pb.value = {10.0, 6.0}; pb.p_kill = {0.3, 0.6}; pb.rounds = {1}; pb.channels = {1};
//   auto s = solve_wta_exact(pb);      // s->engagements == {{0, 1, 1}}, s->objective == 3.6
//
// Every solver is deterministic: the same problem gives the same plan, bit for bit.
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "jrads/core/result.hpp"

namespace jrads::engage {

inline constexpr int kUnlimitedRounds = std::numeric_limits<int>::max();
// Largest rounds_i and channels_i accepted: far above any fire unit, low enough that the bounds'
// per-unit tables stay small.
inline constexpr int kMaxUnitRounds = 1000;
inline constexpr int kMaxUnitChannels = 1000;

struct WtaOptions {
  // Most rounds all units together may fire at one target (>= 1; 2 = shoot-shoot). Default: no cap.
  int max_rounds_per_target = kUnlimitedRounds;
  // Plan the first salvo of a shoot-look-shoot doctrine only: each unit fires at most one round at
  // each target (x_ij <= 1). F is then the first salvo's value; unfired rounds stay in the unit for
  // the second look, which the caller plans by re-solving after kill assessment with the
  // survivors and the remaining rounds. Nothing is reserved or valued for that second salvo: to
  // hold rounds back, pass fewer rounds.
  bool shoot_look_shoot = false;
};

struct WtaProblem {
  int n_units = 0;                     // >= 0
  int n_targets = 0;                   // >= 0
  std::vector<double> value;           // V_j, size n_targets: finite, >= 0 (notional value units)
  std::vector<double> p_kill;          // p_ij, n_units x n_targets row-major, each in [0, 1]
  std::vector<std::uint8_t> feasible;  // empty (every pair with p_ij > 0), or n_units x n_targets of 0/1
  std::vector<int> rounds;             // rounds_i in [0, kMaxUnitRounds], size n_units
  std::vector<int> channels;           // channels_i in [0, kMaxUnitChannels], size n_units
  WtaOptions options;
};

// x_ij = rounds > 0 for one (unit, target) pair.
struct WtaEngagement {
  int unit = 0;
  int target = 0;
  int rounds = 0;
  friend bool operator==(const WtaEngagement&, const WtaEngagement&) = default;
};

struct WtaSolution {
  std::vector<WtaEngagement> engagements;  // sorted by (unit, target); only pairs with x_ij > 0
  double objective = 0.0;                  // F(x) of `engagements`, evaluated as in evaluate_wta_plan
  double upper_bound = 0.0;                // >= F(x) of every feasible plan (see each solver for which bound)
  bool proven_optimal = false;             // exact only: no plan beats `objective` by more than the gap tolerance
  std::int64_t nodes = 0;                  // branch-and-bound nodes entered (exact); 0 for the others
  // greedy: rounds placed; heuristic: those + improving moves + kept kicks and chains; exact: its
  // incumbent's
  std::int64_t iterations = 0;

  // Rounds of `unit` at `target` (0 when not engaged).
  [[nodiscard]] int rounds_at(int unit, int target) const noexcept;
  // The dense x matrix, n_units x n_targets row-major.
  [[nodiscard]] std::vector<int> x_matrix(int n_units, int n_targets) const;
};

struct WtaHeuristicParams {
  int max_passes = 100;  // passes over the units (and chain passes) before stopping anyway (>= 0; 0 = greedy only)
  bool swaps = true;     // also try two-unit exchanges (else relocations and additions only)
  // Ejection chains after the kicks: most units one chain moves, each a block of rounds into the
  // target the previous one left, in [0, 16] (0 or 1 = no chains).
  int chain_length = 4;
  // Only a target's chain_neighbours best units by p move rounds into it in a chain, in [1, 1000].
  int chain_neighbours = 6;
  // Iterated local search: max(kicks_per_unit * n_units, min_kicks) kicks (both 0 = none).
  double kicks_per_unit = 1.0;  // >= 0
  int min_kicks = 200;          // >= 0
};

struct WtaBoundParams {
  int tangent_steps = 40;  // refinement steps of the tangent bound's points (>= 0; 0 = skip it)
  // Subgradient steps of the price bound (>= 0; 0 = skip it). Tighter than the tangent bound on
  // small instances (the exact solver's bound) but its per-target searches grow quickly with the
  // number of units that can reach a target (about 0.7 s for 200 steps at 200 x 200 in a
  // development run).
  int price_steps = 0;
};

struct WtaExactParams {
  std::int64_t max_nodes = 2'000'000;  // stop after this many nodes (>= 1), proven_optimal = false
  double relative_gap = 1e-9;          // prove optimality to within this fraction of the objective, [0, 1)
  int bound_iterations = 200;          // subgradient steps of the price bound at the root (>= 0)
  WtaHeuristicParams incumbent;        // the heuristic that gives the first incumbent
};

// Checks sizes and ranges. Errors (Errc::invalid_argument) name the field and index, e.g.
// "p_kill[2][5] (unit 2, target 5) = nan: must be in [0, 1]": negative or mismatched sizes,
// n_units * n_targets above 2^31, NaN/inf/negative values or a sum of values that overflows,
// p outside [0, 1] or NaN, feasible flags other than 0/1, rounds or channels outside
// [0, kMaxUnitRounds / kMaxUnitChannels], max_rounds_per_target < 1.
[[nodiscard]] Result<void> validate_wta_problem(const WtaProblem& problem);

// F(x) of a plan, after checking it against every constraint of the problem. Errors
// (Errc::invalid_argument): an invalid problem; a unit/target out of range, rounds < 1 or a pair
// listed twice; an infeasible pair; a unit over its rounds or channels; a target over its cap;
// more than one round per pair under shoot-look-shoot. F is summed over targets in index order,
// each survival the product over units in index order of (1 - p_ij)^x_ij.
[[nodiscard]] Result<double> evaluate_wta_plan(const WtaProblem& problem, std::span<const WtaEngagement> plan);

// Greedy maximum marginal return: repeatedly places the single round of largest gain
// V_j S_j p_ij (S_j the target's current survival) that keeps the plan feasible, until no round
// gains anything. Ties go to the lower target index, then to the lower unit index. upper_bound
// is the cheap saturation bound sum_j V_j (1 - S_j^min) (S_j^min: every possible round at j).
// O(nnz log nnz + (R + nnz) log n_targets), nnz feasible pairs, R rounds placed (after the
// O(n_units n_targets) validation of the dense input). Errors: as validate_wta_problem.
[[nodiscard]] Result<WtaSolution> solve_wta_greedy(const WtaProblem& problem);

// Greedy, then first-improvement local search in passes over the units until no move improves F
// by more than 1e-12 of sum V (or max_passes): add a spare round; move 1..x_ij rounds of a unit
// from one target to another (freeing the channel when all move); exchange t_a rounds of unit a
// at j with t_b rounds of unit b at k, t in {1, all}. Then an iterated local search: each kick
// moves one engagement of a few neighbouring units to random targets (a RngStream with a fixed
// key, so deterministic), repairs around the changed targets and is kept only if F improved.
// Then ejection chains: unit u_1 moves 1 or all rounds of an engagement from j_1 to k_0, u_2 from
// j_2 into j_1, ..., up to chain_length units, ending with a hole at the last target or with u_1
// moving there instead (a cycle); the best chain ending at each engagement is found by a dynamic
// programme over the chain length, and improving chains are kept best first (docs/ENGAGE.md).
// Never worse than greedy. upper_bound as greedy (call wta_upper_bound for a tighter one).
// Errors: as validate_wta_problem; max_passes < 0, kicks_per_unit outside [0, 1e6],
// min_kicks < 0, chain_length outside [0, 16], chain_neighbours outside [1, 1000].
[[nodiscard]] Result<WtaSolution> solve_wta_heuristic(const WtaProblem& problem, const WtaHeuristicParams& params = {});

// Exact depth-first branch and bound. It fixes the units one at a time, each by the engagements
// (target, rounds) it makes, in a fixed order of its targets; every node is bounded by the price
// (Lagrangian) relaxation of the free units' round and channel constraints, whose per-target
// subproblems are solved exactly, with multipliers inherited from the parent and improved by a
// few subgradient steps (docs/ENGAGE.md). The first incumbent is solve_wta_heuristic's plan.
// proven_optimal when the search completes: then no plan beats objective by more than
// relative_gap * objective + 1e-12 sum V, and upper_bound is that threshold. When max_nodes is
// reached it returns the best plan found, proven_optimal = false and upper_bound the largest bound
// of an unexplored subtree. There is no wall-clock limit, so results do not depend on machine
// load. Meant for tens of units: see docs/ENGAGE.md for the measured times. Errors: as
// validate_wta_problem; max_nodes < 1, relative_gap outside [0, 1), bound_iterations < 0, invalid
// incumbent parameters; Errc::unsupported when the search's multiplier stack would exceed 16 M
// entries (2 n_units x (sum_i min(rounds_i, channels_i) + n_units)).
[[nodiscard]] Result<WtaSolution> solve_wta_exact(const WtaProblem& problem, const WtaExactParams& params = {});

// An upper bound on F over all feasible plans, for instances beyond the exact solver: the least
// of the saturation bound, the tangent bound (tangent points started at the kill strengths of
// `hint`, a feasible plan such as the heuristic's, or greedy's when empty) and, if price_steps > 0,
// the price bound (multipliers started from `hint`); docs/ENGAGE.md derives both. Never below
// F(hint). A tangent step costs O(nnz x rounds) plus a small per-unit dynamic programme where
// channels bind. Errors: as validate_wta_problem; negative steps; a hint evaluate_wta_plan rejects.
[[nodiscard]] Result<double> wta_upper_bound(const WtaProblem& problem, std::span<const WtaEngagement> hint = {},
                                             const WtaBoundParams& params = {});

}  // namespace jrads::engage
