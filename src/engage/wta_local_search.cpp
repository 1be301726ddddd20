// The WTA heuristic's local search: first-improvement additions, relocations and swaps, an
// iterated local search (kick, repair, keep if better), then ejection chains (path and cyclic
// exchanges of up to chain_length units, found by a dynamic programme over the improvement graph).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
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
    if (params.max_passes == 0) return moves;
    if (params.kicks_per_unit > 0.0 || params.min_kicks > 0) {
      const auto kicks = static_cast<std::int64_t>(params.kicks_per_unit * in_.n_units);
      moves += perturb(std::max<std::int64_t>(kicks, params.min_kicks));
      moves += passes(params.max_passes);
    }
    moves += chains(params);
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

  // ---- Ejection chains: path and cyclic exchanges in the improvement graph ----------------------
  // A block is 1 or all rounds of one engagement. In a chain, unit u_1 takes a block from its
  // target j_1 to another target k_0 (the head); unit u_2 takes a block from j_2 into j_1; ...;
  // u_m takes a block from j_m into j_{m-1}; j_m keeps the hole (a path), or u_1's block goes to
  // j_m instead of k_0 (a cycle). With distinct units and targets the change in F is a sum of one
  // term per target, so the best chain ending at each block is a label of a dynamic programme over
  // the chain length, as in Ahuja et al.'s improvement graph. Labels are extended only while their
  // partial sum stays positive (Lin and Kernighan's gain criterion).
  static constexpr int kMaxChain = 16;  // WtaHeuristicParams::chain_length's limit
  struct Block {
    int pair = 0;       // the engagement
    int unit = 0;
    int target = 0;
    int x = 0;          // its rounds when the blocks were built
    int rounds = 0;     // the block: 1 or all of them
    double left = 0.0;  // its target's survival once the block has left
    double hole = 0.0;  // change in F when it leaves and nothing arrives (<= 0)
    int entry = -1;     // the pair of its unit a head takes it to (-1: none)
    double entry_gain = 0.0;
  };
  struct Candidate {
    double value;  // change in F predicted by the labels
    int level;     // units in the chain
    int node;      // its last block
    bool cycle;
  };

  // Chain passes until a full one improves nothing (at most max_passes). After a pass that kept
  // chains, only chains whose first unit changed, or is engaged where something changed, are
  // sought (don't-look bits, as in 2-opt and Lin-Kernighan codes); a full pass confirms the end.
  std::int64_t chains(const WtaHeuristicParams& params) {
    std::int64_t applied = 0;
    if (params.chain_length < 2) return 0;
    if (active_.empty()) neighbour_lists(params.chain_neighbours);
    bool full = true;
    for (int pass = 0; pass < params.max_passes; ++pass) {
      const std::int64_t made = chain_pass(params.chain_length, full);
      if (made == 0 && full) break;
      full = made == 0;
      applied += made;
    }
    return applied;
  }

  // Each target's pairs by kill probability, best first (ties to the lower unit); a pair is near
  // when it is among the first `k` of its target. Only near pairs receive rounds in a chain.
  void neighbour_lists(int k) {
    active_.assign(static_cast<std::size_t>(in_.n_units), 0);
    by_q_ = in_.by_target;
    near_.assign(in_.pairs.size(), 0);
    near_unit_.resize(by_q_.size());
    near_q_.resize(by_q_.size());
    near_end_.clear();
    near_pairs_.clear();
    for (int j = 0; j < in_.n_targets; ++j) {
      const auto tj = static_cast<std::size_t>(j);
      const auto begin = by_q_.begin() + in_.target_begin[tj];
      const auto end = by_q_.begin() + in_.target_begin[tj + 1];
      std::sort(begin, end, [&](int a, int b) {
        return pair(a).q != pair(b).q ? pair(a).q < pair(b).q : pair(a).unit < pair(b).unit;
      });
      for (auto it = begin; it != end && it - begin < k; ++it) near_[static_cast<std::size_t>(*it)] = 1;
      for (auto it = begin; it != end; ++it) {
        const auto at = static_cast<std::size_t>(it - by_q_.begin());
        near_unit_[at] = pair(*it).unit;
        near_q_[at] = pair(*it).q;
      }
      near_end_.push_back(in_.target_begin[tj] + static_cast<int>(std::min<std::ptrdiff_t>(end - begin, k)));
    }
    unit_near_.assign(static_cast<std::size_t>(in_.n_units) + 1, 0);
    for (int u = 0; u < in_.n_units; ++u) {
      const auto uu = static_cast<std::size_t>(u);
      unit_near_[uu] = static_cast<int>(near_pairs_.size());
      for (int f = in_.unit_begin[uu]; f < in_.unit_begin[uu + 1]; ++f) {
        if (near_[static_cast<std::size_t>(f)]) near_pairs_.push_back(f);
      }
    }
    unit_near_[static_cast<std::size_t>(in_.n_units)] = static_cast<int>(near_pairs_.size());
  }

  // Whether `rounds` rounds of engagement e can go to pair h of the same unit, when `leaving`
  // rounds of another unit leave h's target at the same time.
  [[nodiscard]] bool can_take(int e, int rounds, int h, int leaving) const noexcept {
    const Pair& ph = pair(h);
    const int xh = xv(h);
    if (xh + rounds > ph.cap) return false;
    if (on_target_[static_cast<std::size_t>(ph.target)] - leaving + rounds > in_.target_cap) return false;
    return xh > 0 || rounds == xv(e) || channel_free(ph.unit);
  }

  // The blocks of the current plan; the head's entry only for the units that may start a chain.
  void build_blocks(bool full, int mark) {
    blocks_.clear();
    blk_pair_.clear();
    blk_target_.clear();
    blk_rounds_.clear();
    unit_blocks_.assign(static_cast<std::size_t>(in_.n_units) + 1, 0);
    unit_tmax_.assign(static_cast<std::size_t>(in_.n_units), 0);
    for (int u = 0; u < in_.n_units; ++u) {
      const auto uu = static_cast<std::size_t>(u);
      unit_blocks_[uu] = static_cast<int>(blocks_.size());
      for (int e : eng_unit_[uu]) {
        const Pair& pe = pair(e);
        const int xe = xv(e);
        unit_tmax_[uu] = std::max(unit_tmax_[uu], xe);
        for (int t : {1, xe}) {
          Block b;
          b.pair = e;
          b.unit = u;
          b.target = pe.target;
          b.x = xe;
          b.rounds = t;
          b.left = survival_after(pe.target, pe.q, t, 1.0, 0);
          b.hole = value(pe.target) * (survival(pe.target) - b.left);
          const bool head = full || active_[uu] == mark;
          for (int at = unit_near_[uu]; head && at < unit_near_[uu + 1]; ++at) {
            const int f = near_pairs_[static_cast<std::size_t>(at)];
            const Pair& pf = pair(f);
            if (pf.target == pe.target || !can_take(e, t, f, 0)) continue;
            const double gain = value(pf.target) * survival(pf.target) * (1.0 - power(pf.q, t));
            if (gain > b.entry_gain) {
              b.entry_gain = gain;
              b.entry = f;
            }
          }
          blocks_.push_back(b);
          blk_pair_.push_back(e);
          blk_target_.push_back(pe.target);
          blk_rounds_.push_back(t);
          if (xe == 1) break;
        }
      }
    }
    unit_blocks_[static_cast<std::size_t>(in_.n_units)] = static_cast<int>(blocks_.size());
  }

  [[nodiscard]] const Block& block(int c) const noexcept { return blocks_[static_cast<std::size_t>(c)]; }

  // The chain ending at (level, node), head first.
  void chain_of(int level, int node, std::vector<int>& out) const {
    out.resize(static_cast<std::size_t>(level));
    for (int s = level; s >= 1; --s) {
      out[static_cast<std::size_t>(s - 1)] = node;
      node = pred_[static_cast<std::size_t>(s) * blocks_.size() + static_cast<std::size_t>(node)];
    }
  }

  // The labels of chains of 2..length units, one extension at a time, from the blocks with an entry.
  void label_chains(int length) {
    const std::size_t n = blocks_.size();
    constexpr double kNone = -std::numeric_limits<double>::infinity();
    label_.assign((static_cast<std::size_t>(length) + 1) * n, kNone);
    pred_.assign(label_.size(), -1);
    for (std::size_t b = 0; b < n; ++b) {
      if (blocks_[b].entry >= 0) label_[n + b] = blocks_[b].entry_gain;
    }
    candidates_.clear();
    for (int s = 1; s <= length; ++s) {
      const std::size_t row = static_cast<std::size_t>(s) * n;
      for (std::size_t b = 0; b < n; ++b) {
        const double label = label_[row + b];
        if (!(label > threshold_)) continue;
        const Block& bl = blocks_[b];
        const int j = bl.target;
        chain_of(s, static_cast<int>(b), path_);
        const Block& head = block(path_.front());
        if (s >= 2) {
          const double open = label + bl.hole;
          if (open > threshold_) candidates_.push_back(Candidate{open, s, static_cast<int>(b), false});
          const int h = in_.pair_index(head.unit, j);
          if (h >= 0 && near_[static_cast<std::size_t>(h)] && can_take(head.pair, head.rounds, h, bl.rounds)) {
            const double closed =
                label - head.entry_gain + value(j) * (survival(j) - bl.left * power(pair(h).q, head.rounds));
            if (closed > threshold_) candidates_.push_back(Candidate{closed, s, static_cast<int>(b), true});
          }
        }
        if (s == length) continue;
        // The units and targets the chain already uses (its targets and k_0).
        int units[kMaxChain];
        int targets[kMaxChain + 1];
        for (int m = 0; m < s; ++m) {
          const Block& bm = block(path_[static_cast<std::size_t>(m)]);
          units[m] = bm.unit;
          targets[m] = bm.target;
        }
        targets[s] = pair(head.entry).target;
        // An arriving block of t rounds of kill-miss q changes F at j by v_s - v_left q^t.
        const double v_s = value(j) * survival(j);
        const double v_left = value(j) * bl.left;
        const double base = label + v_s;
        double* next = label_.data() + row + n;
        int* next_pred = pred_.data() + row + n;
        const auto tj = static_cast<std::size_t>(j);
        for (int at = in_.target_begin[tj]; at < near_end_[tj]; ++at) {
          const auto ua = static_cast<std::size_t>(at);
          const int unit = near_unit_[ua];
          const auto uu = static_cast<std::size_t>(unit);
          const int first = unit_blocks_[uu];
          const int last = unit_blocks_[uu + 1];
          const double q = near_q_[ua];
          if (first == last || base - v_left * power(q, unit_tmax_[uu]) <= threshold_) continue;
          if (std::find(units, units + s, unit) != units + s) continue;
          const int h = by_q_[ua];
          for (int c = first; c < last; ++c) {
            const auto uc = static_cast<std::size_t>(c);
            const double v = base - v_left * power(q, blk_rounds_[uc]);
            if (!(v > threshold_) || !(v > next[uc]) || blk_pair_[uc] == h) continue;
            if (std::find(targets, targets + s + 1, blk_target_[uc]) != targets + s + 1) continue;
            if (!can_take(blk_pair_[uc], blk_rounds_[uc], h, bl.rounds)) continue;
            next[uc] = v;
            next_pred[uc] = static_cast<int>(b);
          }
        }
      }
    }
    std::sort(candidates_.begin(), candidates_.end(), [](const Candidate& a, const Candidate& b) {
      if (a.value != b.value) return a.value > b.value;
      if (a.level != b.level) return a.level < b.level;
      if (a.node != b.node) return a.node < b.node;
      return a.cycle < b.cycle;
    });
  }

  // One round of the dynamic programme, then its chains best first, each checked against the
  // current plan (an earlier chain may have changed what it moves), kept only if F improves, then
  // repaired locally. Returns the chains kept.
  std::int64_t chain_pass(int length, bool full) {
    const int mark = generation_++;
    build_blocks(full, mark);
    if (blocks_.empty()) return 0;
    label_chains(length);
    std::int64_t applied = 0;
    for (const Candidate& cand : candidates_) {
      chain_of(cand.level, cand.node, path_);
      const Block& head = block(path_.front());
      const Block& tail = block(path_.back());
      bool valid = true;
      for (std::size_t m = 0; m < path_.size() && valid; ++m) {
        const Block& bm = block(path_[m]);
        valid = xv(bm.pair) == bm.x;
        if (valid && m > 0) {
          const Block& prev = block(path_[m - 1]);
          valid = can_take(bm.pair, bm.rounds, in_.pair_index(bm.unit, prev.target), prev.rounds);
        }
      }
      const int closing = cand.cycle ? in_.pair_index(head.unit, tail.target) : head.entry;
      if (!valid || !can_take(head.pair, head.rounds, closing, cand.cycle ? tail.rounds : 0)) continue;
      const double before = objective_;
      logging_ = true;
      undo_.clear();
      touched_.clear();
      cluster_.clear();
      for (std::size_t m = 0; m < path_.size(); ++m) {
        const Block& bm = block(path_[m]);
        cluster_.push_back(bm.unit);
        change(bm.pair, -bm.rounds);
        if (m > 0) change(in_.pair_index(bm.unit, block(path_[m - 1]).target), +bm.rounds);
      }
      change(closing, +head.rounds);
      if (objective_ > before + threshold_) settle(cluster_, false);
      logging_ = false;
      if (objective_ > before + threshold_) {
        ++applied;
        for (const Change& ch : undo_) active_[static_cast<std::size_t>(pair(ch.pair).unit)] = generation_;
        for (int t : touched_) {
          for (int e : eng_target_[static_cast<std::size_t>(t)]) {
            active_[static_cast<std::size_t>(pair(e).unit)] = generation_;
          }
        }
      } else {
        for (auto it = undo_.rbegin(); it != undo_.rend(); ++it) change(it->pair, -it->delta);
        objective_ = before;
      }
    }
    return applied;
  }

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
      settle(cluster, swaps_);
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
  void settle(const std::vector<int>& start, bool swaps) {
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
        moved = try_add(u) || try_relocate(u) || (swaps && try_swap(u));
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
  // Ejection chains.
  std::vector<Block> blocks_;      // by unit
  std::vector<int> unit_blocks_;   // n_units + 1 offsets into blocks_
  std::vector<int> unit_tmax_;     // most rounds of one engagement of the unit
  std::vector<double> label_;      // (length + 1) x blocks: best partial sum of a chain ending there
  std::vector<int> pred_;          // the block before it in that chain
  std::vector<Candidate> candidates_;
  std::vector<int> path_;
  std::vector<int> cluster_;
  // == generation_ - 1 during a pass: the unit changed, or is engaged where something changed, in
  // the pass before.
  std::vector<int> active_;
  int generation_ = 1;
  std::vector<int> by_q_;          // in_.by_target, each target's pairs by q ascending
  std::vector<int> near_end_;      // per target: the end of its near pairs in by_q_
  std::vector<std::uint8_t> near_;  // per pair
  std::vector<int> near_pairs_;    // the near pairs, by unit
  std::vector<int> unit_near_;     // n_units + 1 offsets into near_pairs_
  std::vector<int> near_unit_;     // per by_q_ entry: its pair's unit and q
  std::vector<double> near_q_;
  std::vector<int> blk_pair_;      // blocks_' pair, target and rounds, contiguous for the labels' inner loop
  std::vector<int> blk_target_;
  std::vector<int> blk_rounds_;
};

}  // namespace

void local_search(const Instance& in, std::vector<int>& x, const WtaHeuristicParams& params, std::int64_t* moves) {
  LocalSearch search(in, x);
  const std::int64_t made = search.run(params);
  if (moves != nullptr) *moves += made;
}

}  // namespace jrads::engage::detail
