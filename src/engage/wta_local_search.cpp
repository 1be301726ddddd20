// The WTA heuristic's local search: first-improvement additions, relocations and swaps, then an
// iterated local search (kick, repair, keep if better).
#include <algorithm>
#include <cmath>
#include <vector>

#include "jrads/core/rng.hpp"
#include "wta_impl.hpp"

namespace jrads::engage::detail {
namespace {

// q^n for the small n of round counts: repeated products are several times cheaper than std::pow.
double power(double q, int n) noexcept {
  if (n > 16) return std::pow(q, n);
  double r = 1.0;
  for (int k = 0; k < n; ++k) r *= q;
  return r;
}

class LocalSearch {
 public:
  LocalSearch(const Instance& in, std::vector<int>& x)
      : in_(in),
        x_(x),
        zeros_(static_cast<std::size_t>(in.n_targets), 0),
        nz_(static_cast<std::size_t>(in.n_targets), 1.0),
        on_target_(static_cast<std::size_t>(in.n_targets), 0),
        eng_target_(static_cast<std::size_t>(in.n_targets)),
        eng_unit_(static_cast<std::size_t>(in.n_units)),
        used_rounds_(static_cast<std::size_t>(in.n_units), 0),
        used_channels_(static_cast<std::size_t>(in.n_units), 0),
        threshold_(1e-12 * in.value_sum) {
    for (std::size_t k = 0; k < in.pairs.size(); ++k) {
      const int r = x_[k];
      if (r == 0) continue;
      x_[k] = 0;
      change(static_cast<int>(k), r);
    }
  }

  std::int64_t run(const WtaHeuristicParams& params) {
    swaps_ = params.swaps;
    std::int64_t moves = passes(params.max_passes);
    if (params.max_passes > 0 && (params.kicks_per_unit > 0.0 || params.min_kicks > 0)) {
      const auto kicks = static_cast<std::int64_t>(params.kicks_per_unit * in_.n_units);
      moves += perturb(std::max<std::int64_t>(kicks, params.min_kicks));
      moves += passes(params.max_passes);
    }
    return moves;
  }

 private:
  struct Change {
    int pair;
    int delta;
  };

  // Full passes over the units until one finds no improving move.
  std::int64_t passes(int max_passes) {
    std::int64_t moves = 0;
    for (int pass = 0; pass < max_passes; ++pass) {
      bool improved = false;
      for (int i = 0; i < in_.n_units; ++i) {
        // A unit may improve several times in a row; the budget only guards against float cycling.
        int budget = 4 * in_.rounds[static_cast<std::size_t>(i)] + 4;
        while (budget-- > 0 && improve_unit(i)) {
          improved = true;
          ++moves;
        }
      }
      if (!improved) break;
    }
    return moves;
  }
  bool improve_unit(int i) { return try_add(i) || try_relocate(i) || (swaps_ && try_swap(i)); }

  // Iterated local search: each kick moves all rounds of one engagement of a few neighbouring
  // units to random feasible targets, then repairs around the changed targets; kept only if F
  // improved, else undone. The random stream has a fixed key, so the result is deterministic.
  std::int64_t perturb(std::int64_t kicks) {
    RngStream rng(stable_hash("jrads/engage/wta/kicks"));
    std::int64_t accepted = 0;
    if (in_.n_units == 0 || in_.pairs.empty()) return 0;
    std::vector<int> cluster;
    for (std::int64_t n = 0; n < kicks; ++n) {
      const int a = static_cast<int>(rng.below(static_cast<std::uint64_t>(in_.n_units)));
      if (eng_unit_[static_cast<std::size_t>(a)].empty()) continue;
      const double before = objective_;
      logging_ = true;
      undo_.clear();
      touched_.clear();
      cluster.assign(1, a);
      // Up to two units that share a target with a.
      const auto& mine = eng_unit_[static_cast<std::size_t>(a)];
      for (int c = 0; c < 2; ++c) {
        const int e = mine[static_cast<std::size_t>(rng.below(mine.size()))];
        const auto& there = eng_target_[static_cast<std::size_t>(pair(e).target)];
        const int b = pair(there[static_cast<std::size_t>(rng.below(there.size()))]).unit;
        if (std::find(cluster.begin(), cluster.end(), b) == cluster.end()) cluster.push_back(b);
      }
      for (int u : cluster) kick(u, rng);
      settle(cluster);
      logging_ = false;
      if (objective_ > before + threshold_) {
        ++accepted;
      } else {
        for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) change(it->pair, -it->delta);
        objective_ = before;
      }
    }
    return accepted;
  }

  // Moves all rounds of a random engagement of `unit` to a random other target it can take them to.
  void kick(int unit, RngStream& rng) {
    const auto u = static_cast<std::size_t>(unit);
    if (eng_unit_[u].empty()) return;
    const int e = eng_unit_[u][static_cast<std::size_t>(rng.below(eng_unit_[u].size()))];
    const int xe = xv(e);
    const int n = in_.unit_begin[u + 1] - in_.unit_begin[u];
    for (int attempt = 0; attempt < 4; ++attempt) {
      const int f = in_.unit_begin[u] + static_cast<int>(rng.below(static_cast<std::uint64_t>(n)));
      const Pair& pf = pair(f);
      if (f == e || xv(f) + xe > pf.cap || on_target_[static_cast<std::size_t>(pf.target)] + xe > in_.target_cap) {
        continue;
      }
      change(e, -xe);
      change(f, +xe);
      return;
    }
  }

  // Local search from the kicked units and the targets they changed, until nothing improves
  // there (a bounded number of steps).
  void settle(const std::vector<int>& start) {
    unit_queue_.clear();
    target_queue_.clear();
    const auto push_unit = [&](int u) {
      if (std::find(unit_queue_.begin(), unit_queue_.end(), u) == unit_queue_.end()) unit_queue_.push_back(u);
    };
    const auto push_touched = [&](std::size_t from) {
      for (std::size_t n = from; n < touched_.size(); ++n) {
        const int t = touched_[n];
        if (std::find(target_queue_.begin(), target_queue_.end(), t) == target_queue_.end()) target_queue_.push_back(t);
        for (int e : eng_target_[static_cast<std::size_t>(t)]) push_unit(pair(e).unit);
      }
    };
    for (int u : start) push_unit(u);
    push_touched(0);
    int steps = 64;
    std::size_t unit_at = 0;
    std::size_t target_at = 0;
    while (steps-- > 0) {
      const std::size_t seen = touched_.size();
      bool moved = false;
      if (target_at < target_queue_.size()) {
        moved = try_fill(target_queue_[target_at++]);
      } else if (unit_at < unit_queue_.size()) {
        const int u = unit_queue_[unit_at];
        moved = try_add(u) || try_relocate(u) || (swaps_ && try_swap(u));
        if (!moved) ++unit_at;
      } else {
        break;
      }
      if (moved) push_touched(seen);
    }
  }

  // The best move of one or all rounds from another engagement, or of a spare round, into target j.
  bool try_fill(int j) {
    const auto t = static_cast<std::size_t>(j);
    if (on_target_[t] >= in_.target_cap) return false;
    const double vs = value(j) * survival(j);
    double best = threshold_;
    int best_from = -1;
    int best_to = -1;
    int best_rounds = 0;
    for (int h : in_.target_pairs(j)) {
      const Pair& ph = pair(h);
      const auto b = static_cast<std::size_t>(ph.unit);
      const int xh = xv(h);
      if (xh >= ph.cap) continue;
      if (used_rounds_[b] < in_.rounds[b] && (xh > 0 || channel_free(ph.unit))) {
        const double gain = vs * ph.p;
        if (gain > best) {
          best = gain;
          best_from = -1;
          best_to = h;
          best_rounds = 1;
        }
      }
      for (int e : eng_unit_[b]) {
        if (e == h) continue;
        const Pair& pe = pair(e);
        const int xe = xv(e);
        for (int r : {1, xe}) {
          if (xh + r > ph.cap || on_target_[t] + r > in_.target_cap) continue;
          if (xh == 0 && r != xe && !channel_free(ph.unit)) continue;
          const double loss = value(pe.target) * (survival_after(pe.target, pe.q, r, 1.0, 0) - survival(pe.target));
          const double delta = vs * (1.0 - power(ph.q, r)) - loss;
          if (delta > best) {
            best = delta;
            best_from = e;
            best_to = h;
            best_rounds = r;
          }
          if (xe == 1) break;
        }
      }
    }
    if (best_to < 0) return false;
    if (best_from >= 0) change(best_from, -best_rounds);
    change(best_to, +best_rounds);
    return true;
  }

  [[nodiscard]] const Pair& pair(int k) const noexcept { return in_.pairs[static_cast<std::size_t>(k)]; }
  [[nodiscard]] int xv(int k) const noexcept { return x_[static_cast<std::size_t>(k)]; }
  [[nodiscard]] double value(int j) const noexcept { return in_.value[static_cast<std::size_t>(j)]; }
  [[nodiscard]] double survival(int j) const noexcept {
    const auto t = static_cast<std::size_t>(j);
    return zeros_[t] > 0 ? 0.0 : nz_[t];
  }
  // Survival of target j once n_out rounds of kill-miss q_out leave and n_in rounds of q_in arrive.
  [[nodiscard]] double survival_after(int j, double q_out, int n_out, double q_in, int n_in) const noexcept {
    const auto t = static_cast<std::size_t>(j);
    const int zeros = zeros_[t] - (q_out == 0.0 ? n_out : 0) + (q_in == 0.0 ? n_in : 0);
    if (zeros > 0) return 0.0;
    double s = nz_[t];
    if (n_out > 0 && q_out != 0.0) s /= power(q_out, n_out);
    if (n_in > 0 && q_in != 0.0) s *= power(q_in, n_in);
    return s;
  }

  static void erase_value(std::vector<int>& v, int value) { v.erase(std::find(v.begin(), v.end(), value)); }

  // x[k] += delta with every derived quantity kept exact (survival recomputed from the target's pairs).
  void change(int k, int delta) {
    const Pair& pr = pair(k);
    const auto u = static_cast<std::size_t>(pr.unit);
    const auto t = static_cast<std::size_t>(pr.target);
    const double survival_before = survival(pr.target);
    if (logging_) {
      undo_.push_back(Change{k, delta});
      touched_.push_back(pr.target);
    }
    const int before = x_[static_cast<std::size_t>(k)];
    const int after = before + delta;
    x_[static_cast<std::size_t>(k)] = after;
    used_rounds_[u] += delta;
    on_target_[t] += delta;
    if (before == 0 && after > 0) {
      ++used_channels_[u];
      eng_unit_[u].push_back(k);
      eng_target_[t].push_back(k);
    } else if (before > 0 && after == 0) {
      --used_channels_[u];
      erase_value(eng_unit_[u], k);
      erase_value(eng_target_[t], k);
    }
    int zeros = 0;
    double nz = 1.0;
    for (int e : eng_target_[t]) {
      const Pair& pe = pair(e);
      if (pe.q == 0.0) {
        zeros += xv(e);
      } else {
        nz *= power(pe.q, xv(e));
      }
    }
    zeros_[t] = zeros;
    nz_[t] = nz;
    objective_ += value(pr.target) * (survival_before - survival(pr.target));
  }

  [[nodiscard]] bool channel_free(int unit) const noexcept {
    const auto u = static_cast<std::size_t>(unit);
    return used_channels_[u] < in_.channels[u];
  }

  // The best single spare round (greedy's step, needed again after other moves free a channel).
  bool try_add(int i) {
    const auto u = static_cast<std::size_t>(i);
    if (used_rounds_[u] >= in_.rounds[u]) return false;
    int best = -1;
    double best_gain = threshold_;
    const bool free = channel_free(i);
    for (int k = in_.unit_begin[u]; k < in_.unit_begin[u + 1]; ++k) {
      const Pair& pr = pair(k);
      if (xv(k) >= pr.cap || on_target_[static_cast<std::size_t>(pr.target)] >= in_.target_cap) continue;
      if (xv(k) == 0 && !free) continue;
      const double gain = value(pr.target) * survival(pr.target) * pr.p;
      if (gain > best_gain) {
        best_gain = gain;
        best = k;
      }
    }
    if (best < 0) return false;
    change(best, +1);
    return true;
  }

  // Moves 1..x_ij rounds of unit i from target j to another target k.
  bool try_relocate(int i) {
    const auto u = static_cast<std::size_t>(i);
    const bool free = channel_free(i);
    for (std::size_t n = 0; n < eng_unit_[u].size(); ++n) {
      const int e = eng_unit_[u][n];
      const Pair& pe = pair(e);
      const int j = pe.target;
      const int xe = xv(e);
      const double sj = survival(j);
      for (int t = 1; t <= xe; ++t) {
        const double loss = value(j) * (survival_after(j, pe.q, t, 1.0, 0) - sj);
        const bool frees = t == xe;
        for (int f = in_.unit_begin[u]; f < in_.unit_begin[u + 1]; ++f) {
          const Pair& pf = pair(f);
          const int k = pf.target;
          if (k == j) continue;
          const int xf = xv(f);
          if (xf + t > pf.cap || on_target_[static_cast<std::size_t>(k)] + t > in_.target_cap) continue;
          if (xf == 0 && !frees && !free) continue;
          const double vs = value(k) * survival(k);
          if (vs <= loss + threshold_) continue;  // the gain is below V_k S_k
          const double gain = vs * (1.0 - power(pf.q, t));
          if (gain - loss > threshold_) {
            change(e, -t);
            change(f, +t);
            return true;
          }
        }
      }
    }
    return false;
  }

  // Unit a moves t_a rounds from j to k while unit b moves t_b rounds from k to j, t in {1, all}:
  // with all rounds on both sides neither unit needs a new channel.
  bool try_swap(int a) {
    const auto ua = static_cast<std::size_t>(a);
    const bool free_a = channel_free(a);
    for (std::size_t n = 0; n < eng_unit_[ua].size(); ++n) {
      const int e = eng_unit_[ua][n];
      const Pair& pe = pair(e);
      const int j = pe.target;
      const int xe = xv(e);
      const double sj = survival(j);
      for (int f = in_.unit_begin[ua]; f < in_.unit_begin[ua + 1]; ++f) {
        const Pair& pf = pair(f);
        const int k = pf.target;
        if (k == j) continue;
        const int xf = xv(f);
        const double sk = survival(k);
        for (int g : eng_target_[static_cast<std::size_t>(k)]) {
          const Pair& pg = pair(g);
          const int b = pg.unit;
          if (b == a) continue;
          const int h = in_.pair_index(b, j);
          if (h < 0) continue;
          const Pair& ph = pair(h);
          const int xg = xv(g);
          const int xh = xv(h);
          // With as many rounds each way, a swap can only gain if one of the two is the better
          // shot where it arrives.
          const bool may_gain = pf.q < pg.q || ph.q < pe.q;
          for (int ta : {1, xe}) {
            if (xf + ta > pf.cap) continue;
            if (xf == 0 && ta != xe && !free_a) continue;
            for (int tb : {1, xg}) {
              if (ta == tb && !may_gain) continue;
              if (xh + tb > ph.cap) continue;
              if (xh == 0 && tb != xg && !channel_free(b)) continue;
              if (on_target_[static_cast<std::size_t>(j)] - ta + tb > in_.target_cap ||
                  on_target_[static_cast<std::size_t>(k)] + ta - tb > in_.target_cap) {
                continue;
              }
              const double delta = value(j) * (sj - survival_after(j, pe.q, ta, ph.q, tb)) +
                                   value(k) * (sk - survival_after(k, pg.q, tb, pf.q, ta));
              if (delta > threshold_) {
                change(e, -ta);
                change(g, -tb);
                change(h, +tb);
                change(f, +ta);
                return true;
              }
              if (xg == 1) break;
            }
            if (xe == 1) break;
          }
        }
      }
    }
    return false;
  }

  const Instance& in_;
  std::vector<int>& x_;
  std::vector<int> zeros_;  // rounds of p = 1 at each target
  std::vector<double> nz_;  // product of the other rounds' (1 - p)
  std::vector<int> on_target_;
  std::vector<std::vector<int>> eng_target_;  // pairs with x > 0, per target
  std::vector<std::vector<int>> eng_unit_;    // pairs with x > 0, per unit
  std::vector<int> used_rounds_;
  std::vector<int> used_channels_;
  double threshold_;        // smallest improvement accepted
  double objective_ = 0.0;  // F, kept up to date by change()
  bool swaps_ = true;
  bool logging_ = false;
  std::vector<Change> undo_;
  std::vector<int> touched_;  // targets changed while logging
  std::vector<int> unit_queue_;
  std::vector<int> target_queue_;
};

}  // namespace

void local_search(const Instance& in, std::vector<int>& x, const WtaHeuristicParams& params, std::int64_t* moves) {
  LocalSearch search(in, x);
  const std::int64_t made = search.run(params);
  if (moves != nullptr) *moves += made;
}

}  // namespace jrads::engage::detail
