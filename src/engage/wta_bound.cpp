// The tangent upper bound of the WTA objective and the per-unit subproblem it decomposes into.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "wta_impl.hpp"

namespace jrads::engage::detail {

namespace {
constexpr double kMaxTangent = 60.0;          // e^-60 ~ 1e-26: beyond this every target is in cap mode
constexpr std::int64_t kMaxWork = 4'000'000;  // per-unit dynamic programme, in table updates
}  // namespace

double tangent_intercept(double t) noexcept { return 1.0 - (1.0 + t) * std::exp(-t); }

double UnitSubproblem::best_marginals(std::span<const double> g, int stride, std::span<const int> ymax, int rounds,
                                      std::span<int> y_out) {
  // The `rounds` largest marginal gains (each g_k is concave, so they form a prefix of every
  // item's marginals, up to ties of equal value).
  const auto n = static_cast<int>(ymax.size());
  marginals_.clear();
  order_.clear();
  for (int k = 0; k < n; ++k) {
    double prev = 0.0;
    for (int y = 1; y <= ymax[static_cast<std::size_t>(k)]; ++y) {
      const double gy =
          g[static_cast<std::size_t>(k) * static_cast<std::size_t>(stride) + static_cast<std::size_t>(y - 1)];
      const double m = gy - prev;
      if (!(m > 0.0)) break;
      prev = gy;
      marginals_.push_back(m);
      order_.push_back(k);
    }
  }
  const std::size_t take = std::min(marginals_.size(), static_cast<std::size_t>(rounds));
  std::vector<int>& idx = candidates_;
  idx.resize(marginals_.size());
  for (std::size_t m = 0; m < idx.size(); ++m) idx[m] = static_cast<int>(m);
  if (take < idx.size()) {
    std::nth_element(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(take), idx.end(), [&](int a, int b) {
      const double ma = marginals_[static_cast<std::size_t>(a)];
      const double mb = marginals_[static_cast<std::size_t>(b)];
      return ma != mb ? ma > mb : a < b;
    });
  }
  double total = 0.0;
  for (std::size_t m = 0; m < take; ++m) total += marginals_[static_cast<std::size_t>(idx[m])];
  if (!y_out.empty()) {
    std::fill(y_out.begin(), y_out.end(), 0);
    for (std::size_t m = 0; m < take; ++m) ++y_out[static_cast<std::size_t>(order_[static_cast<std::size_t>(idx[m])])];
  }
  return total;
}

double UnitSubproblem::solve(std::span<const double> g, int stride, std::span<const int> ymax, int rounds, int channels,
                             std::span<int> y_out) {
  const auto n = static_cast<int>(ymax.size());
  std::fill(y_out.begin(), y_out.end(), 0);
  if (rounds <= 0 || channels <= 0 || n == 0) return 0.0;
  const auto gv = [&](int k, int y) {
    return g[static_cast<std::size_t>(k) * static_cast<std::size_t>(stride) + static_cast<std::size_t>(y - 1)];
  };
  int active = 0;
  for (int k = 0; k < n; ++k) {
    if (ymax[static_cast<std::size_t>(k)] > 0 && gv(k, 1) > 0.0) ++active;
  }
  if (active == 0) return 0.0;
  // When channels cannot bind, or the dynamic programme would be too big, drop the channel
  // constraint: still an upper bound (only looser), and exact in the first case.
  if (channels >= std::min(rounds, active) || static_cast<std::int64_t>(rounds) * n > kMaxWork) {
    return best_marginals(g, stride, ymax, rounds, y_out);
  }
  // Channels bind. An optimum engages with y rounds only items among the `channels` best by
  // g(y): otherwise one of those is unused and takes over the allocation for at least as much.
  is_candidate_.assign(static_cast<std::size_t>(n), 0);
  candidates_.clear();
  for (int y = 1; y <= rounds; ++y) {
    order_.clear();
    for (int k = 0; k < n; ++k) {
      if (ymax[static_cast<std::size_t>(k)] >= y && gv(k, y) > 0.0) order_.push_back(k);
    }
    if (order_.empty()) break;
    const auto c = std::min(order_.size(), static_cast<std::size_t>(channels));
    const auto better = [&](int a, int b) {
      const double ga = gv(a, y);
      const double gb = gv(b, y);
      return ga != gb ? ga > gb : a < b;
    };
    if (c < order_.size())
      std::nth_element(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(c), order_.end(), better);
    for (std::size_t m = 0; m < c; ++m) {
      const auto k = static_cast<std::size_t>(order_[m]);
      if (!is_candidate_[k]) {
        is_candidate_[k] = 1;
        candidates_.push_back(order_[m]);
      }
    }
  }
  std::sort(candidates_.begin(), candidates_.end());
  const int nc = static_cast<int>(candidates_.size());
  std::int64_t work = 0;
  for (int k : candidates_) work += ymax[static_cast<std::size_t>(k)];
  if (work * channels * rounds > kMaxWork) return best_marginals(g, stride, ymax, rounds, y_out);
  const auto width = static_cast<std::size_t>(rounds + 1);
  const auto layer = static_cast<std::size_t>(channels + 1) * width;
  dp_.assign(layer, 0.0);
  const bool trace = !y_out.empty();
  if (trace) choice_.assign(static_cast<std::size_t>(nc) * layer, 0);
  for (int m = 0; m < nc; ++m) {
    const int k = candidates_[static_cast<std::size_t>(m)];
    const int ym = ymax[static_cast<std::size_t>(k)];
    for (int c = channels; c >= 1; --c) {
      for (int r = rounds; r >= 1; --r) {
        double best = dp_[static_cast<std::size_t>(c) * width + static_cast<std::size_t>(r)];
        int pick = 0;
        for (int y = 1; y <= std::min(ym, r); ++y) {
          const double v = dp_[static_cast<std::size_t>(c - 1) * width + static_cast<std::size_t>(r - y)] + gv(k, y);
          if (v > best) {
            best = v;
            pick = y;
          }
        }
        dp_[static_cast<std::size_t>(c) * width + static_cast<std::size_t>(r)] = best;
        if (trace)
          choice_[static_cast<std::size_t>(m) * layer + static_cast<std::size_t>(c) * width +
                  static_cast<std::size_t>(r)] = pick;
      }
    }
  }
  if (trace) {
    int c = channels;
    int r = rounds;
    for (int m = nc - 1; m >= 0 && c > 0 && r > 0; --m) {
      const int y = choice_[static_cast<std::size_t>(m) * layer + static_cast<std::size_t>(c) * width +
                            static_cast<std::size_t>(r)];
      if (y > 0) {
        y_out[static_cast<std::size_t>(candidates_[static_cast<std::size_t>(m)])] = y;
        --c;
        r -= y;
      }
    }
  }
  return dp_[static_cast<std::size_t>(channels) * width + static_cast<std::size_t>(rounds)];
}

namespace {

// Evaluates the bound for tangent points t and, per target, the kill strength z_j that the units'
// optimal allocations put on it in the linear regime of g (the derivative's fixed point).
class TangentEvaluator {
 public:
  TangentEvaluator(const Instance& in, std::span<const double> q_min) : in_(in), q_min_(q_min) {}

  double evaluate(std::span<const double> t, std::vector<double>& z_linear) {
    const auto nt = static_cast<std::size_t>(in_.n_targets);
    slope_.assign(nt, 0.0);
    z_linear.assign(nt, 0.0);
    double total = 0.0;
    for (std::size_t j = 0; j < nt; ++j) {
      const double cap = 1.0 - q_min_[j];
      const double c = tangent_intercept(t[j]);
      if (c < cap) slope_[j] = in_.value[j] * std::exp(-t[j]);
      total += in_.value[j] * std::min(c, cap);
    }
    for (int i = 0; i < in_.n_units; ++i) {
      const auto u = static_cast<std::size_t>(i);
      const std::span<const Pair> pairs = in_.unit_pairs(i);
      if (pairs.empty()) continue;
      const int rounds = in_.rounds[u];
      int stride = 1;
      for (const Pair& pr : pairs) stride = std::max(stride, std::min(pr.cap, rounds));
      g_.assign(pairs.size() * static_cast<std::size_t>(stride), 0.0);
      ymax_.assign(pairs.size(), 0);
      y_.assign(pairs.size(), 0);
      for (std::size_t k = 0; k < pairs.size(); ++k) {
        const Pair& pr = pairs[k];
        const auto j = static_cast<std::size_t>(pr.target);
        const int ym = std::min(pr.cap, rounds);
        ymax_[k] = ym;
        if (slope_[j] == 0.0) continue;
        double qy = 1.0;
        for (int y = 1; y <= ym; ++y) {
          qy *= pr.q;
          g_[k * static_cast<std::size_t>(stride) + static_cast<std::size_t>(y - 1)] =
              std::min(slope_[j] * pr.a * y, in_.value[j] * (1.0 - qy));
        }
      }
      total += sub_.solve(g_, stride, ymax_, rounds, in_.channels[u], y_);
      for (std::size_t k = 0; k < pairs.size(); ++k) {
        const int y = y_[k];
        if (y == 0) continue;
        const Pair& pr = pairs[k];
        const auto j = static_cast<std::size_t>(pr.target);
        if (slope_[j] * pr.a * y < in_.value[j] * (1.0 - std::pow(pr.q, y))) z_linear[j] += pr.a * y;
      }
    }
    return total;
  }

 private:
  const Instance& in_;
  std::span<const double> q_min_;
  std::vector<double> slope_;
  std::vector<double> g_;
  std::vector<int> ymax_;
  std::vector<int> y_;
  UnitSubproblem sub_;
};

}  // namespace

TangentBound tangent_bound(const Instance& in, std::span<const int> x_hint, std::span<const double> q_min,
                           int iterations) {
  const auto nt = static_cast<std::size_t>(in.n_targets);
  TangentEvaluator eval(in, q_min);
  // Start at the hint's kill strengths: the tangent touches where a good plan is.
  std::vector<double> t(nt, 0.0);
  for (std::size_t k = 0; k < in.pairs.size(); ++k) {
    if (x_hint[k] > 0) t[static_cast<std::size_t>(in.pairs[k].target)] += in.pairs[k].a * x_hint[k];
  }
  for (double& tj : t) tj = std::min(tj, kMaxTangent);
  std::vector<double> z;
  TangentBound out;
  out.value = eval.evaluate(t, z);
  out.t = t;
  // Damped fixed-point steps t <- t + alpha (z - t): dB/dt_j = V_j e^{-t_j} (t_j - z_j) with the
  // allocations held. B is not convex in t, so keep the best point and shrink alpha on failure.
  double alpha = 1.0;
  for (int it = 0; it < iterations; ++it) {
    for (std::size_t j = 0; j < nt; ++j) t[j] = std::clamp(t[j] + alpha * (z[j] - t[j]), 0.0, kMaxTangent);
    const double b = eval.evaluate(t, z);
    ++out.iterations;
    if (b < out.value) {
      out.value = b;
      out.t = t;
    } else {
      alpha *= 0.6;
      t = out.t;
      out.value = std::min(out.value, eval.evaluate(t, z));  // the allocations at the best point
      if (alpha < 1e-3) break;
    }
  }
  return out;
}

}  // namespace jrads::engage::detail
