// The price (Lagrangian) relaxation of the WTA: per-target priced subproblems and subgradient steps.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "wta_impl.hpp"

namespace jrads::engage::detail {

namespace {

// max(0, max over y in [1, top] of G(y)), G(y) = min(linear * y, ws (1 - q^y)) - lambda y - mu
// (linear = +inf: no tangent cap). G is concave in y (a minimum of concave functions minus a
// linear one), so beyond a few rounds the peak is found by bisection on its increments.
double best_rounds_gain(double ws, double q, double linear, double lambda, double mu, int top) {
  const auto g = [&](int y) {
    const double qy = y <= 8 ? [&] { double r = 1.0; for (int k = 0; k < y; ++k) r *= q; return r; }() : std::pow(q, y);
    return std::min(linear * y, ws * (1.0 - qy)) - lambda * y - mu;
  };
  if (top <= 0) return 0.0;
  if (top <= 8) {
    double best = 0.0;
    double qy = 1.0;
    for (int y = 1; y <= top; ++y) {
      qy *= q;
      best = std::max(best, std::min(linear * y, ws * (1.0 - qy)) - lambda * y - mu);
    }
    return best;
  }
  int lo = 1;  // the peak is the first y whose increment g(y + 1) - g(y) is <= 0
  int hi = top;
  while (lo < hi) {
    const int mid = lo + (hi - lo) / 2;
    if (g(mid + 1) - g(mid) > 0.0) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return std::max(0.0, g(lo));
}

constexpr double kNoCap = std::numeric_limits<double>::infinity();

}  // namespace

double TargetPricing::alone(const Active& a, double survival, int room) const {
  const PriceParticipant& u = units_[static_cast<std::size_t>(a.index)];
  return best_rounds_gain(w_ * survival, u.q, kNoCap, lambda_[static_cast<std::size_t>(u.unit)],
                          mu_[static_cast<std::size_t>(u.unit)], std::min(u.ymax, room));
}

// An upper bound on the priced gain the participants from `depth` on can add at this survival:
// the least of W S (all of it, for free), the sum of their standalone gains (submodularity) and
// the tangent bound of docs/ENGAGE.md at the strength t = ln(W S / c), c the cheapest price per
// unit of kill strength (there the tangent's slope is c, so it is the continuous optimum).
double TargetPricing::rest_bound(std::size_t depth, double survival, int room) const {
  const double ws = w_ * survival;
  double standalone = 0.0;
  double cheapest = std::numeric_limits<double>::infinity();
  for (std::size_t e = depth; e < active_.size(); ++e) {
    standalone += alone(active_[e], survival, room);
    const PriceParticipant& u = units_[static_cast<std::size_t>(active_[e].index)];
    if (u.a > 0.0) cheapest = std::min(cheapest, lambda_[static_cast<std::size_t>(u.unit)] / u.a);
  }
  double best = std::min(ws, standalone);
  if (!(cheapest > 0.0) || !(ws > cheapest) || !std::isfinite(cheapest)) return best;
  const double t = std::log(ws / cheapest);
  const double slope = ws * std::exp(-t);
  double tangent = ws * tangent_intercept(t);
  for (std::size_t e = depth; e < active_.size() && tangent < best; ++e) {
    const PriceParticipant& u = units_[static_cast<std::size_t>(active_[e].index)];
    tangent += best_rounds_gain(ws, u.q, slope * u.a, lambda_[static_cast<std::size_t>(u.unit)],
                                mu_[static_cast<std::size_t>(u.unit)], std::min(u.ymax, room));
  }
  return std::min(best, tangent);
}

void TargetPricing::search(std::size_t depth, double survival, double value, int room) {
  if (value > best_) {
    best_ = value;
    best_y_ = y_;
  }
  if (depth == active_.size() || room == 0 || survival <= 0.0) return;
  const double bound = value + rest_bound(depth, survival, room);
  if (bound <= best_) return;
  if (budget_-- <= 0) {
    abandoned_ = std::max(abandoned_, bound);
    return;
  }
  const Active& a = active_[depth];
  const PriceParticipant& u = units_[static_cast<std::size_t>(a.index)];
  const double lambda = lambda_[static_cast<std::size_t>(u.unit)];
  const double mu = mu_[static_cast<std::size_t>(u.unit)];
  // Rounds of this unit by their priced gain, best first (0 rounds gains 0).
  struct Option {
    double gain;
    int y;
    double q_y;
  };
  std::array<Option, 8> options{};
  int n_options = 0;
  double qy = 1.0;
  const int top = std::min(u.ymax, room);
  // Up to 8 rounds: tried best priced gain first, then none. More: in increasing y, then none.
  if (top <= 8) {
    qy = 1.0;
    for (int y = 1; y <= top; ++y) {
      qy *= u.q;
      options[static_cast<std::size_t>(n_options++)] = Option{w_ * survival * (1.0 - qy) - lambda * y - mu, y, qy};
    }
    for (int o = 1; o < n_options; ++o) {  // insertion sort: best gain first, ties to more rounds
      const Option moving = options[o];
      int at = o;
      for (; at > 0 && (options[at - 1].gain < moving.gain ||
                        (options[at - 1].gain == moving.gain && options[at - 1].y < moving.y));
           --at) {
        options[at] = options[at - 1];
      }
      options[at] = moving;
    }
    for (int o = 0; o < n_options; ++o) {
      y_[static_cast<std::size_t>(a.index)] = options[o].y;
      search(depth + 1, survival * options[o].q_y, value + options[o].gain, room - options[o].y);
    }
  } else if (lambda == 0.0) {
    // Free rounds: all of them dominate fewer (F only rises, nobody else pays more).
    qy = std::pow(u.q, top);
    y_[static_cast<std::size_t>(a.index)] = top;
    search(depth + 1, survival * qy, value + w_ * survival * (1.0 - qy) - mu, room - top);
  } else {
    // A round whose marginal gain at this survival is below its price is never worth it later
    // either (survival only falls), so y stops there.
    qy = 1.0;
    for (int y = 1; y <= top; ++y) {
      if (w_ * survival * qy * (1.0 - u.q) < lambda) break;
      qy *= u.q;
      y_[static_cast<std::size_t>(a.index)] = y;
      search(depth + 1, survival * qy, value + w_ * survival * (1.0 - qy) - lambda * y - mu, room - y);
    }
  }
  y_[static_cast<std::size_t>(a.index)] = 0;
  search(depth + 1, survival, value, room);
}

double TargetPricing::solve(double w, int room, std::span<const PriceParticipant> units, std::span<const double> lambda,
                            std::span<const double> mu, std::span<int> y_out, std::int64_t budget) {
  w_ = w;
  units_ = units;
  lambda_ = lambda;
  mu_ = mu;
  active_.clear();
  for (std::size_t e = 0; e < units.size(); ++e) {
    const Active a{static_cast<int>(e), 0.0};
    const double b = alone(a, 1.0, room);
    if (b > 0.0) active_.push_back(Active{static_cast<int>(e), b});
  }
  std::fill(y_out.begin(), y_out.end(), 0);
  if (active_.empty() || room <= 0 || w <= 0.0) return 0.0;
  std::stable_sort(active_.begin(), active_.end(), [](const Active& l, const Active& r) { return l.alone > r.alone; });
  y_.assign(units.size(), 0);
  best_y_.assign(units.size(), 0);
  best_ = 0.0;
  abandoned_ = 0.0;
  budget_ = budget;
  search(0, 1.0, 0.0, room);
  std::copy(best_y_.begin(), best_y_.end(), y_out.begin());
  return std::max(best_, abandoned_);
}

void PriceRelaxation::reset(int n_units) {
  targets_.clear();
  parts_.clear();
  free_units_.clear();
  rounds_.assign(static_cast<std::size_t>(n_units), 0);
  channels_.assign(static_cast<std::size_t>(n_units), 0);
  used_rounds_.assign(static_cast<std::size_t>(n_units), 0);
  used_channels_.assign(static_cast<std::size_t>(n_units), 0);
}

void PriceRelaxation::set_unit(int unit, int rounds, int channels) {
  const auto u = static_cast<std::size_t>(unit);
  rounds_[u] = rounds;
  channels_[u] = channels;
  free_units_.push_back(unit);
}

void PriceRelaxation::add_target(int target, double w, int room) {
  const int at = static_cast<int>(parts_.size());
  targets_.push_back(Target{target, w, room, at, at});
}

void PriceRelaxation::add_participant(const PriceParticipant& p) {
  parts_.push_back(p);
  targets_.back().end = static_cast<int>(parts_.size());
}

double PriceRelaxation::evaluate(std::span<const double> lambda, std::span<const double> mu) {
  double total = 0.0;
  for (int u : free_units_) {
    const auto i = static_cast<std::size_t>(u);
    total += lambda[i] * rounds_[i] + mu[i] * channels_[i];
    used_rounds_[i] = 0;
    used_channels_[i] = 0;
  }
  y_.assign(parts_.size(), 0);
  plan_gain_ = 0.0;
  for (const Target& t : targets_) {
    const auto first = static_cast<std::size_t>(t.begin);
    const auto n = static_cast<std::size_t>(t.end - t.begin);
    const std::span<const PriceParticipant> units = std::span<const PriceParticipant>(parts_).subspan(first, n);
    const std::span<int> y = std::span<int>(y_).subspan(first, n);
    total += pricing_.solve(t.w, t.room, units, lambda, mu, y, budget_per_target);
    double survival = 1.0;
    for (std::size_t e = 0; e < n; ++e) {
      if (y[e] == 0) continue;
      const auto i = static_cast<std::size_t>(units[e].unit);
      used_rounds_[i] += y[e];
      ++used_channels_[i];
      survival *= std::pow(units[e].q, y[e]);
    }
    plan_gain_ += t.w * (1.0 - survival);
  }
  return total;
}

bool PriceRelaxation::plan_feasible() const {
  for (int u : free_units_) {
    const auto i = static_cast<std::size_t>(u);
    if (used_rounds_[i] > rounds_[i] || used_channels_[i] > channels_[i]) return false;
  }
  return true;
}

void PriceRelaxation::note_plan() {
  if (plan_gain_ > feasible_gain_ && plan_feasible()) {
    feasible_gain_ = plan_gain_;
    feasible_plan_ = y_;
  }
}

double PriceRelaxation::optimise(std::vector<double>& lambda, std::vector<double>& mu, int iterations, double goal) {
  feasible_gain_ = -1.0;
  double current = evaluate(lambda, mu);
  note_plan();
  double best = current;
  best_lambda_ = lambda;
  best_mu_ = mu;
  double theta = 1.0;
  int stalled = 0;
  for (int it = 0; it < iterations && best > goal; ++it) {
    double norm = 0.0;
    for (int u : free_units_) {
      const auto i = static_cast<std::size_t>(u);
      const double gr = rounds_[i] - used_rounds_[i];
      const double gc = channels_[i] - used_channels_[i];
      // Only directions that can move: a price at 0 cannot fall further.
      if (gr < 0.0 || lambda[i] > 0.0) norm += gr * gr;
      if (gc < 0.0 || mu[i] > 0.0) norm += gc * gc;
    }
    if (norm == 0.0) break;  // the relaxed plan is feasible and complementary: L is optimal here
    const double step = theta * (current - goal) / norm;
    for (int u : free_units_) {
      const auto i = static_cast<std::size_t>(u);
      lambda[i] = std::max(0.0, lambda[i] - step * (rounds_[i] - used_rounds_[i]));
      mu[i] = std::max(0.0, mu[i] - step * (channels_[i] - used_channels_[i]));
    }
    current = evaluate(lambda, mu);
    note_plan();
    if (current < best) {
      best = current;
      best_lambda_ = lambda;
      best_mu_ = mu;
      stalled = 0;
    } else if (++stalled >= 3) {
      theta *= 0.5;
      stalled = 0;
      if (theta < 1e-4) break;
    }
  }
  lambda = best_lambda_;
  mu = best_mu_;
  return best;
}

void initial_prices(const Instance& in, std::span<const int> x, std::vector<double>& lambda, std::vector<double>& mu) {
  const auto nu = static_cast<std::size_t>(in.n_units);
  lambda.assign(nu, 0.0);
  mu.assign(nu, 0.0);
  std::vector<double> survival(static_cast<std::size_t>(in.n_targets), 1.0);
  std::vector<int> used(nu, 0);
  for (std::size_t k = 0; k < in.pairs.size(); ++k) {
    if (x[k] == 0) continue;
    survival[static_cast<std::size_t>(in.pairs[k].target)] *= std::pow(in.pairs[k].q, x[k]);
    used[static_cast<std::size_t>(in.pairs[k].unit)] += x[k];
  }
  for (std::size_t i = 0; i < nu; ++i) {
    if (used[i] < in.rounds[i]) continue;
    double smallest = std::numeric_limits<double>::infinity();
    for (const Pair& pr : in.unit_pairs(static_cast<int>(i))) {
      const int xk = x[static_cast<std::size_t>(&pr - in.pairs.data())];
      if (xk == 0 || pr.q == 0.0) continue;
      const auto j = static_cast<std::size_t>(pr.target);
      // The loss from one round fewer: V (S / q - S).
      smallest = std::min(smallest, in.value[j] * survival[j] * (1.0 / pr.q - 1.0));
    }
    lambda[i] = std::isfinite(smallest) ? smallest : 0.0;
  }
}

double price_bound(const Instance& in, std::span<const int> x_hint, int iterations, double goal) {
  PriceRelaxation relax;
  relax.reset(in.n_units);
  for (int i = 0; i < in.n_units; ++i) {
    if (!in.unit_pairs(i).empty())
      relax.set_unit(i, in.rounds[static_cast<std::size_t>(i)], in.channels[static_cast<std::size_t>(i)]);
  }
  for (int j = 0; j < in.n_targets; ++j) {
    const std::span<const int> pairs = in.target_pairs(j);
    if (pairs.empty()) continue;
    relax.add_target(j, in.value[static_cast<std::size_t>(j)], in.target_cap);
    for (int k : pairs) {
      const Pair& pr = in.pairs[static_cast<std::size_t>(k)];
      relax.add_participant(PriceParticipant{pr.unit, k, pr.q, pr.a, pr.cap});
    }
  }
  std::vector<double> lambda;
  std::vector<double> mu;
  initial_prices(in, x_hint, lambda, mu);
  if (relax.empty()) return 0.0;
  return relax.optimise(lambda, mu, iterations, goal);
}

}  // namespace jrads::engage::detail
