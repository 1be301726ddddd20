// Exact WTA: depth-first branch and bound over the units' allocations, bounded by the price
// (Lagrangian) relaxation of the units' constraints.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "wta_impl.hpp"

namespace jrads::engage::detail {
namespace {

constexpr int kNodeSteps = 12;  // subgradient steps at a node below the root
constexpr std::int64_t kMaxStackEntries = 16'000'000;

// The search fixes the units one at a time (in `order_`); within a unit it picks engagements
// (target, rounds) in increasing position of the unit's target list, each position at most once,
// so that each allocation is reached once. A node's bound is F(fixed) + L(lambda, mu) of the free
// rest: the current unit's later positions with its remaining resources, and the later units.
// Multipliers are inherited from the parent and improved by a few subgradient steps.
class BranchAndBound {
 public:
  BranchAndBound(const Instance& in, const WtaExactParams& params, std::vector<int>& best_x, double root_bound)
      : in_(in),
        best_x_(best_x),
        x_(best_x.size(), 0),
        zeros_(static_cast<std::size_t>(in.n_targets), 0),
        on_target_(static_cast<std::size_t>(in.n_targets), 0),
        nz_(static_cast<std::size_t>(in.n_targets), 1.0),
        level_of_(static_cast<std::size_t>(in.n_units), -1),
        position_of_(in.pairs.size(), -1),
        max_nodes_(params.max_nodes),
        root_steps_(params.bound_iterations),
        relative_gap_(params.relative_gap),
        abs_tol_(1e-12 * in.value_sum),
        root_bound_(root_bound) {
    best_f_ = objective_of(in, best_x_);
    initial_prices(in, best_x_, lambda_, mu_);
  }

  [[nodiscard]] Result<ExactOutcome> run() {
    std::int64_t depth = 1;
    for (int i = 0; i < in_.n_units; ++i) {
      const auto u = static_cast<std::size_t>(i);
      depth += std::min(in_.rounds[u], in_.channels[u]) + 1;
    }
    if (2 * depth * in_.n_units > kMaxStackEntries) {
      return fail(Errc::unsupported, "exact WTA: the search would keep " + std::to_string(2 * depth * in_.n_units) +
                                         " multipliers (limit " + std::to_string(kMaxStackEntries) +
                                         "); use solve_wta_heuristic and wta_upper_bound");
    }
    // Units that can do anything, the highest-priced (most contested) first.
    std::vector<std::pair<double, int>> units;
    for (int i = 0; i < in_.n_units; ++i) {
      if (!in_.unit_pairs(i).empty()) units.emplace_back(-lambda_[static_cast<std::size_t>(i)], i);
    }
    std::stable_sort(units.begin(), units.end());
    for (const auto& u : units) {
      level_of_[static_cast<std::size_t>(u.second)] = static_cast<int>(order_.size());
      order_.push_back(u.second);
    }
    levels_.resize(order_.size());
    enter(0, 0.0, root_bound_);
    ExactOutcome out;
    out.nodes = nodes_;
    out.proven = !aborted_;
    out.upper_bound = aborted_ ? std::min(root_bound_, std::max(best_f_, open_bound_)) : threshold();
    return out;
  }

 private:
  struct Level {
    int unit = 0;
    int rounds = 0;             // effective: at most what its live targets can absorb
    int channels = 0;           // effective: at most its number of live targets
    std::vector<int> pos_pair;  // pair index per position, most valuable first round first
  };
  struct Child {
    double score;
    int position;  // -1: the unit fires nothing more
    int rounds;
  };
  // Work space of one recursion depth.
  struct Saved {
    std::vector<double> lambda;
    std::vector<double> mu;
  };

  [[nodiscard]] int ymax_of(const Pair& pr) const noexcept {
    return std::min(pr.cap, in_.rounds[static_cast<std::size_t>(pr.unit)]);
  }
  [[nodiscard]] double survival(int j) const noexcept {
    const auto t = static_cast<std::size_t>(j);
    return zeros_[t] > 0 ? 0.0 : nz_[t];
  }
  [[nodiscard]] double remaining_value(int j) const noexcept {
    return in_.value[static_cast<std::size_t>(j)] * survival(j);
  }
  [[nodiscard]] int room(int j) const noexcept { return in_.target_cap - on_target_[static_cast<std::size_t>(j)]; }
  // Still worth a round: not surely dead and below its cap.
  [[nodiscard]] bool live(int j) const noexcept { return room(j) > 0 && remaining_value(j) > 0.0; }
  [[nodiscard]] double threshold() const noexcept { return best_f_ + relative_gap_ * best_f_ + abs_tol_; }

  void record(double f, std::span<const int> extra = {}) {
    if (f <= best_f_ + abs_tol_) return;
    best_f_ = f;
    best_x_ = x_;
    const std::span<const PriceParticipant> parts = relax_.participants();
    for (std::size_t e = 0; e < extra.size(); ++e) {
      if (extra[e] > 0) best_x_[static_cast<std::size_t>(parts[e].pair)] += extra[e];
    }
  }

  // The relaxation of the free rest at (level, pos, rounds, channels).
  void build_relaxation(int level, int pos, int rounds, int channels) {
    relax_.reset(in_.n_units);
    const int current = order_[static_cast<std::size_t>(level)];
    const bool current_free = rounds > 0 && channels > 0;
    if (current_free) relax_.set_unit(current, rounds, channels);
    for (std::size_t l = static_cast<std::size_t>(level) + 1; l < order_.size(); ++l) {
      const int u = order_[l];
      relax_.set_unit(u, in_.rounds[static_cast<std::size_t>(u)], in_.channels[static_cast<std::size_t>(u)]);
    }
    for (int j = 0; j < in_.n_targets; ++j) {
      if (!live(j)) continue;
      bool added = false;
      for (int k : in_.target_pairs(j)) {
        const Pair& pr = in_.pairs[static_cast<std::size_t>(k)];
        const int lv = level_of_[static_cast<std::size_t>(pr.unit)];
        int ymax = 0;
        if (lv > level) {
          ymax = std::min(ymax_of(pr), room(j));
        } else if (lv == level && current_free && position_of_[static_cast<std::size_t>(k)] >= pos) {
          ymax = std::min({ymax_of(pr), rounds, room(j)});
        }
        if (ymax <= 0) continue;
        if (!added) {
          relax_.add_target(j, remaining_value(j), room(j));
          added = true;
        }
        relax_.add_participant(PriceParticipant{pr.unit, k, pr.q, pr.a, ymax});
      }
    }
  }

  // f + the price bound of the rest, after up to `steps` subgradient steps from lambda_, mu_.
  double bound_at(int level, int pos, int rounds, int channels, double f, int steps) {
    build_relaxation(level, pos, rounds, channels);
    if (relax_.empty()) return f;
    const double rest = relax_.optimise(lambda_, mu_, steps, threshold() - f);
    if (relax_.feasible_gain() >= 0.0) record(f + relax_.feasible_gain(), relax_.feasible_plan());
    return f + rest;
  }

  void build_level(int level) {
    Level& lv = levels_[static_cast<std::size_t>(level)];
    const int unit = order_[static_cast<std::size_t>(level)];
    lv.unit = unit;
    for (int k : lv.pos_pair) position_of_[static_cast<std::size_t>(k)] = -1;
    lv.pos_pair.clear();
    const int base = in_.unit_begin[static_cast<std::size_t>(unit)];
    const int end = in_.unit_begin[static_cast<std::size_t>(unit) + 1];
    for (int k = base; k < end; ++k) {
      if (live(in_.pairs[static_cast<std::size_t>(k)].target)) lv.pos_pair.push_back(k);
    }
    std::stable_sort(lv.pos_pair.begin(), lv.pos_pair.end(), [&](int a, int b) {
      const Pair& pa = in_.pairs[static_cast<std::size_t>(a)];
      const Pair& pb = in_.pairs[static_cast<std::size_t>(b)];
      return remaining_value(pa.target) * pa.p > remaining_value(pb.target) * pb.p;
    });
    std::int64_t absorb = 0;
    for (std::size_t p = 0; p < lv.pos_pair.size(); ++p) {
      const int k = lv.pos_pair[p];
      position_of_[static_cast<std::size_t>(k)] = static_cast<int>(p);
      const Pair& pr = in_.pairs[static_cast<std::size_t>(k)];
      absorb += std::min(ymax_of(pr), room(pr.target));
    }
    lv.rounds = static_cast<int>(std::min<std::int64_t>(in_.rounds[static_cast<std::size_t>(unit)], absorb));
    lv.channels = std::min(in_.channels[static_cast<std::size_t>(unit)], static_cast<int>(lv.pos_pair.size()));
  }

  // Starts unit `level` (or records a complete plan).
  void enter(int level, double f, double parent_bound) {
    if (static_cast<std::size_t>(level) == order_.size()) {
      record(f);  // a complete plan: nothing below it to bound
      return;
    }
    build_level(level);
    const Level& lv = levels_[static_cast<std::size_t>(level)];
    node(level, 0, lv.rounds, lv.channels, f, parent_bound);
  }

  void node(int level, int pos, int rounds, int channels, double f, double parent_bound) {
    record(f);
    if (nodes_ >= max_nodes_) {
      aborted_ = true;
      open_bound_ = std::max(open_bound_, parent_bound);
      return;
    }
    ++nodes_;
    const int steps = nodes_ == 1 ? root_steps_ : kNodeSteps;
    const double bound = std::min(parent_bound, bound_at(level, pos, rounds, channels, f, steps));
    if (bound <= threshold()) return;
    if (saved_.size() <= static_cast<std::size_t>(depth_)) saved_.resize(static_cast<std::size_t>(depth_) + 1);
    saved_[static_cast<std::size_t>(depth_)].lambda = lambda_;
    saved_[static_cast<std::size_t>(depth_)].mu = mu_;
    ++depth_;
    // Children: the next engagement (position p >= pos, y rounds) or none; the largest priced
    // gain first.
    const Level& lv = levels_[static_cast<std::size_t>(level)];
    const auto u = static_cast<std::size_t>(lv.unit);
    const std::size_t start = pool_.size();
    if (channels >= 1 && rounds >= 1) {
      for (int p = pos; p < static_cast<int>(lv.pos_pair.size()); ++p) {
        const int k = lv.pos_pair[static_cast<std::size_t>(p)];
        const Pair& pr = in_.pairs[static_cast<std::size_t>(k)];
        const double w = remaining_value(pr.target);
        double qy = 1.0;
        for (int y = 1; y <= std::min({ymax_of(pr), rounds, room(pr.target)}); ++y) {
          qy *= pr.q;
          pool_.push_back(Child{w * (1.0 - qy) - lambda_[u] * y - mu_[u], p, y});
        }
      }
    }
    pool_.push_back(Child{0.0, -1, 0});
    std::sort(pool_.begin() + static_cast<std::ptrdiff_t>(start), pool_.end(), [](const Child& a, const Child& b) {
      if (a.score != b.score) return a.score > b.score;
      if (a.position != b.position) return a.position < b.position;
      return a.rounds > b.rounds;
    });
    const std::size_t end = pool_.size();
    for (std::size_t c = start; c < end; ++c) {
      if (bound <= threshold()) break;
      const Child child = pool_[c];
      lambda_ = saved_[static_cast<std::size_t>(depth_ - 1)].lambda;
      mu_ = saved_[static_cast<std::size_t>(depth_ - 1)].mu;
      if (child.position < 0) {
        enter(level + 1, f, bound);
      } else {
        engage(level, child, rounds, channels, f, bound);
      }
      if (aborted_) {
        if (c + 1 < end) open_bound_ = std::max(open_bound_, bound);
        break;
      }
    }
    pool_.resize(start);
    --depth_;
  }

  void engage(int level, const Child& child, int rounds, int channels, double f, double bound) {
    const Level& lv = levels_[static_cast<std::size_t>(level)];
    const int k = lv.pos_pair[static_cast<std::size_t>(child.position)];
    const Pair& pr = in_.pairs[static_cast<std::size_t>(k)];
    const auto j = static_cast<std::size_t>(pr.target);
    const int saved_zeros = zeros_[j];
    const double saved_nz = nz_[j];
    const double w_before = remaining_value(pr.target);
    x_[static_cast<std::size_t>(k)] += child.rounds;
    on_target_[j] += child.rounds;
    if (pr.q == 0.0) {
      zeros_[j] += child.rounds;
    } else {
      nz_[j] *= std::pow(pr.q, child.rounds);
    }
    const double f_after = f + (w_before - remaining_value(pr.target));
    node(level, child.position + 1, rounds - child.rounds, channels - 1, f_after, bound);
    x_[static_cast<std::size_t>(k)] -= child.rounds;
    on_target_[j] -= child.rounds;
    zeros_[j] = saved_zeros;
    nz_[j] = saved_nz;
  }

  const Instance& in_;
  std::vector<int>& best_x_;
  std::vector<int> x_;
  std::vector<int> zeros_;        // rounds of p = 1 fixed at each target
  std::vector<int> on_target_;    // rounds fixed at each target (for the per-target cap)
  std::vector<double> nz_;        // product of the other fixed rounds' (1 - p)
  std::vector<int> level_of_;     // per unit: its place in order_, -1 if it has no usable pair
  std::vector<int> position_of_;  // per pair of a unit being branched on: its position, else -1
  std::vector<double> lambda_;
  std::vector<double> mu_;
  std::vector<int> order_;
  std::vector<Level> levels_;
  std::vector<Saved> saved_;
  int depth_ = 0;
  std::vector<Child> pool_;
  PriceRelaxation relax_;
  double best_f_ = 0.0;
  std::int64_t nodes_ = 0;
  std::int64_t max_nodes_;
  int root_steps_;
  double relative_gap_;
  double abs_tol_;
  double root_bound_;
  bool aborted_ = false;
  double open_bound_ = 0.0;
};

}  // namespace

Result<ExactOutcome> branch_and_bound(const Instance& in, std::vector<int>& x, double root_bound,
                                      const WtaExactParams& params) {
  BranchAndBound search(in, params, x, root_bound);
  return search.run();
}

}  // namespace jrads::engage::detail
