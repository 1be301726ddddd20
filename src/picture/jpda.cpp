// JPDA marginals, PDA and IMM-PDA updates of jpda.hpp. Formulas in docs/PICTURE.md,
// "JPDA (building blocks)".
#include "jrads/picture/jpda.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <map>
#include <queue>
#include <string>

#include <Eigen/Cholesky>

#include "jrads/core/assignment.hpp"

namespace jrads::picture {
namespace {

constexpr double kNegInf = -std::numeric_limits<double>::infinity();
// The k-best search stops once the next event is this far (in log weight) below the best:
// such an event changes no marginal by more than e^-40 ~ 4e-18 of the best event's weight.
constexpr double kNegligibleLogRatio = 40.0;
// Event counting by dynamic programming over the subsets of the smaller side up to this size.
constexpr int kMaxSubsetSide = 12;
// Mode probabilities are kept in [kMinMu, 1 - kMinMu], as imm_update does (filter.cpp).
constexpr double kMinMu = 1e-6;
// pda_update: tolerance on "the innovations share S and H" and on beta0 + sum beta = 1.
constexpr double kSharedRelTol = 1e-9;
constexpr double kBetaSumTol = 1e-6;

[[nodiscard]] std::size_t idx(int i, int j, int cols) noexcept {
  return static_cast<std::size_t>(i) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(j);
}

[[nodiscard]] std::int64_t sat_add(std::int64_t a, std::int64_t b, std::int64_t cap) noexcept {
  return (a > cap - b) ? cap + 1 : a + b;  // a, b <= cap + 1 and cap < INT64_MAX / 2
}

// Per-event log weights, relative to the common factor lambda^-m of the parametric model:
// pair (i, j): log Pd_i + l_ij - log lambda; track i missed: log(1 - Pd_i Pg).
struct Weights {
  int n = 0, m = 0;
  std::vector<double> pair;  // n x m, kNegInf where not gated
  std::vector<double> miss;  // n, kNegInf when Pd_i Pg = 1
  std::vector<std::vector<int>> gated;  // per track, the gated reports in increasing order
};

[[nodiscard]] Weights make_weights(std::span<const double> ll, int n, int m, std::span<const double> pd,
                                   const JpdaParams& p) {
  Weights w;
  w.n = n;
  w.m = m;
  w.pair.assign(ll.begin(), ll.end());
  w.miss.resize(static_cast<std::size_t>(n));
  w.gated.resize(static_cast<std::size_t>(n));
  const double log_lambda = std::log(p.clutter_density);
  for (int i = 0; i < n; ++i) {
    const double pdi = pd[static_cast<std::size_t>(i)];
    const double miss = 1.0 - pdi * p.gate_probability;
    w.miss[static_cast<std::size_t>(i)] = miss > 0.0 ? std::log1p(-pdi * p.gate_probability) : kNegInf;
    for (int j = 0; j < m; ++j) {
      double& a = w.pair[idx(i, j, m)];
      if (a == kNegInf) continue;
      a += std::log(pdi) - log_lambda;
      if (a != kNegInf) w.gated[static_cast<std::size_t>(i)].push_back(j);
    }
  }
  return w;
}

// Accumulates event weights into the marginals with a running reference: all sums are
// relative to exp(ref), the largest log weight seen so far, rescaled when it grows.
struct Accumulator {
  int n = 0, m = 0;
  std::vector<double> acc;  // n x (m + 1): column 0 is "missed", column j + 1 report j
  double ref = kNegInf;
  double total = 0.0;
  std::int64_t events = 0;

  // JPDA*: of the events that detect the same tracks with the same reports, only the most
  // probable is kept (keyed by those two sets), until flush().
  bool star = false;
  std::map<std::vector<char>, std::pair<double, std::vector<int>>> best_of_class;

  Accumulator(int n_tracks, int n_reports, bool coalescence_avoidance = false)
      : n(n_tracks), m(n_reports), acc(static_cast<std::size_t>(n_tracks) * static_cast<std::size_t>(n_reports + 1), 0.0),
        star(coalescence_avoidance) {}

  void add(double log_w, std::span<const int> choice) {
    if (log_w == kNegInf) return;
    if (!star) {
      sum(log_w, choice);
      return;
    }
    std::vector<char> key(static_cast<std::size_t>(n + m), 0);
    for (int i = 0; i < n; ++i) {
      const int j = choice[static_cast<std::size_t>(i)];
      if (j < 0) continue;
      key[static_cast<std::size_t>(i)] = 1;
      key[static_cast<std::size_t>(n + j)] = 1;
    }
    auto [it, fresh] = best_of_class.try_emplace(std::move(key), log_w, std::vector<int>(choice.begin(), choice.end()));
    if (!fresh && log_w > it->second.first) it->second = {log_w, std::vector<int>(choice.begin(), choice.end())};
  }

  void flush() {
    for (const auto& [key, event] : best_of_class) sum(event.first, event.second);
    best_of_class.clear();
  }

  void sum(double log_w, std::span<const int> choice) {
    if (log_w > ref) {
      const double scale = ref == kNegInf ? 0.0 : std::exp(ref - log_w);
      for (double& a : acc) a *= scale;
      total *= scale;
      ref = log_w;
    }
    const double w = std::exp(log_w - ref);
    total += w;
    ++events;
    for (int i = 0; i < n; ++i) acc[idx(i, choice[static_cast<std::size_t>(i)] + 1, m + 1)] += w;
  }

  [[nodiscard]] JpdaMarginals finish(JpdaMethod method) const {
    JpdaMarginals out;
    out.n_tracks = n;
    out.n_reports = m;
    out.beta.assign(static_cast<std::size_t>(n) * static_cast<std::size_t>(m), 0.0);
    out.beta0.assign(static_cast<std::size_t>(n), 1.0);
    if (!(total > 0.0)) {
      out.method = JpdaMethod::degenerate;
      return out;
    }
    out.method = method;
    out.events = events;
    for (int i = 0; i < n; ++i) {
      out.beta0[static_cast<std::size_t>(i)] = acc[idx(i, 0, m + 1)] / total;
      for (int j = 0; j < m; ++j) out.beta[idx(i, j, m)] = acc[idx(i, j + 1, m + 1)] / total;
    }
    return out;
  }
};

// Depth-first enumeration of every feasible event, track by track.
class Enumerator {
 public:
  Enumerator(const Weights& w, Accumulator& acc)
      : w_(w), acc_(acc), used_(static_cast<std::size_t>(w.m), 0), choice_(static_cast<std::size_t>(w.n), -1) {}
  void run() { visit(0, 0.0); }

 private:
  void visit(int i, double log_w) {
    if (i == w_.n) {
      acc_.add(log_w, choice_);
      return;
    }
    const auto ui = static_cast<std::size_t>(i);
    const double miss = w_.miss[ui];
    if (miss != kNegInf) {
      choice_[ui] = -1;
      visit(i + 1, log_w + miss);
    }
    for (const int j : w_.gated[ui]) {
      const auto uj = static_cast<std::size_t>(j);
      if (used_[uj]) continue;
      used_[uj] = 1;
      choice_[ui] = j;
      visit(i + 1, log_w + w_.pair[idx(i, j, w_.m)]);
      used_[uj] = 0;
    }
  }

  const Weights& w_;
  Accumulator& acc_;
  std::vector<char> used_;
  std::vector<int> choice_;
};

// Counts matchings of a bipartite graph (rows x cols, edge(r, c)) by dynamic programming over
// the subsets of the rows, saturating at cap + 1. Rows are the smaller side.
template <class Edge>
[[nodiscard]] std::int64_t count_by_subsets(int rows, int cols, Edge edge, std::int64_t cap) {
  std::vector<std::int64_t> ways(std::size_t{1} << rows, 0);  // ways[S]: rows in S used
  ways[0] = 1;
  for (int c = 0; c < cols; ++c) {
    // Descending S, so ways[S \ {r}] (a smaller index) still holds the previous column's count.
    for (std::size_t s = ways.size(); s-- > 1;) {
      std::int64_t v = ways[s];
      for (int r = 0; r < rows; ++r) {
        if ((s >> r & 1U) != 0 && edge(r, c)) v = sat_add(v, ways[s & ~(std::size_t{1} << r)], cap);
      }
      ways[s] = v;
    }
  }
  std::int64_t total = 0;
  for (const std::int64_t v : ways) total = sat_add(total, v, cap);
  return total;
}

[[nodiscard]] std::int64_t count_by_search(int i, const std::vector<std::vector<int>>& gated, std::vector<char>& used,
                                           std::int64_t found, std::int64_t cap) {
  if (found > cap) return found;
  if (i == static_cast<int>(gated.size())) return found + 1;
  found = count_by_search(i + 1, gated, used, found, cap);
  for (const int j : gated[static_cast<std::size_t>(i)]) {
    if (found > cap) break;
    if (used[static_cast<std::size_t>(j)]) continue;
    used[static_cast<std::size_t>(j)] = 1;
    found = count_by_search(i + 1, gated, used, found, cap);
    used[static_cast<std::size_t>(j)] = 0;
  }
  return found;
}

// Murty's k-best assignments on the n x (m + n) cost matrix -log weight: column j < m is
// report j, column m + i is "track i missed" (allowed for row i only).
class KBest {
 public:
  KBest(const Weights& w, Accumulator& acc) : w_(w), acc_(acc), cols_(w.m + w.n) {}

  void run(int k) {
    Node root;
    root.allowed.assign(static_cast<std::size_t>(w_.n) * static_cast<std::size_t>(cols_), 0);
    for (int i = 0; i < w_.n; ++i) {
      for (const int j : w_.gated[static_cast<std::size_t>(i)]) root.allowed[idx(i, j, cols_)] = 1;
      if (w_.miss[static_cast<std::size_t>(i)] != kNegInf) root.allowed[idx(i, w_.m + i, cols_)] = 1;
    }
    if (!solve(root)) return;
    push(std::move(root));
    double best = kNegInf;
    std::vector<int> choice(static_cast<std::size_t>(w_.n));
    int found = 0;
    while (!queue_.empty() && found < k) {
      const Key key = queue_.top();
      queue_.pop();
      Node& node = nodes_[key.node];
      if (best == kNegInf) best = node.log_w;
      if (node.log_w < best - kNegligibleLogRatio) break;
      for (int i = 0; i < w_.n; ++i) {
        const int c = node.row_to_col[static_cast<std::size_t>(i)];
        choice[static_cast<std::size_t>(i)] = c < w_.m ? c : -1;
      }
      acc_.add(node.log_w, choice);
      ++found;
      if (found < k) branch(key.node);
      nodes_[key.node] = Node{};  // its space is partitioned among its children
    }
  }

 private:
  struct Node {
    std::vector<char> allowed;  // n x cols
    std::vector<int> row_to_col;
    int forced_rows = 0;  // rows 0 .. forced_rows - 1 are fixed to their column
    double log_w = kNegInf;
  };
  struct Key {
    double log_w;
    std::size_t node;  // index into nodes_, in creation order
  };
  struct Later {  // priority: larger log weight first, then earlier creation
    bool operator()(const Key& a, const Key& b) const noexcept {
      return a.log_w != b.log_w ? a.log_w < b.log_w : a.node > b.node;
    }
  };

  // The best assignment under node.allowed; false when none exists.
  bool solve(Node& node) {
    cost_.assign(node.allowed.size(), kForbidden);
    for (int i = 0; i < w_.n; ++i) {
      for (int c = 0; c < cols_; ++c) {
        if (node.allowed[idx(i, c, cols_)] == 0) continue;
        cost_[idx(i, c, cols_)] = c < w_.m ? -w_.pair[idx(i, c, w_.m)] : -w_.miss[static_cast<std::size_t>(i)];
      }
    }
    const Result<Assignment> a = solve_assignment(cost_, w_.n, cols_);
    if (!a.has_value()) return false;
    node.row_to_col = a->row_to_col;
    double log_w = 0.0;
    for (int i = 0; i < w_.n; ++i) {
      const int c = node.row_to_col[static_cast<std::size_t>(i)];
      if (c < 0) return false;
      log_w += c < w_.m ? w_.pair[idx(i, c, w_.m)] : w_.miss[static_cast<std::size_t>(i)];
    }
    node.log_w = log_w;
    return log_w != kNegInf;
  }

  void push(Node&& node) {
    queue_.push(Key{node.log_w, nodes_.size()});
    nodes_.push_back(std::move(node));
  }

  // Murty's partition of node's solution space minus its solution: child t fixes rows
  // < t to the solution and forbids row t's column.
  void branch(std::size_t parent) {
    std::vector<char> fixed = nodes_[parent].allowed;
    const std::vector<int> solution = nodes_[parent].row_to_col;  // push() may move nodes_
    for (int t = nodes_[parent].forced_rows; t < w_.n; ++t) {
      const int col = solution[static_cast<std::size_t>(t)];
      Node child;
      child.allowed = fixed;
      child.allowed[idx(t, col, cols_)] = 0;
      child.forced_rows = t;  // rows < t are fixed in `fixed`
      if (solve(child)) push(std::move(child));
      // Fix row t to col: nothing else in its row or its column.
      for (int c = 0; c < cols_; ++c) fixed[idx(t, c, cols_)] = c == col ? 1 : 0;
      for (int r = 0; r < w_.n; ++r) {
        if (r != t) fixed[idx(r, col, cols_)] = 0;
      }
    }
  }

  const Weights& w_;
  Accumulator& acc_;
  int cols_;
  std::vector<double> cost_;
  std::vector<Node> nodes_;
  std::priority_queue<Key, std::vector<Key>, Later> queue_;
};

[[nodiscard]] bool near(const auto& a, const auto& b) noexcept {
  return (a - b).norm() <= kSharedRelTol * std::max(a.norm(), b.norm());
}

void symmetrise(StateCov& p) noexcept { p = 0.5 * (p + p.transpose()).eval(); }

[[nodiscard]] double clamp_mu(double mu) noexcept { return std::clamp(mu, kMinMu, 1.0 - kMinMu); }

[[nodiscard]] bool betas_ok(std::span<const double> betas, double beta0) noexcept {
  if (!(beta0 >= 0.0 && beta0 <= 1.0)) return false;
  double sum = beta0;
  for (const double b : betas) {
    if (!(b >= 0.0 && b <= 1.0)) return false;
    sum += b;
  }
  return std::abs(sum - 1.0) <= kBetaSumTol;
}

}  // namespace

std::int64_t jpda_feasible_events(std::span<const double> log_likelihood, int n_tracks, int n_reports,
                                  std::int64_t cap) noexcept {
  if (n_tracks < 0 || n_reports < 0 || cap < 0) return 0;
  if (log_likelihood.size() != static_cast<std::size_t>(n_tracks) * static_cast<std::size_t>(n_reports)) return 0;
  cap = std::min<std::int64_t>(cap, std::numeric_limits<std::int64_t>::max() / 4);
  auto gated = [&](int i, int j) { return log_likelihood[idx(i, j, n_reports)] != kNotGated; };
  if (std::min(n_tracks, n_reports) <= kMaxSubsetSide) {
    if (n_tracks <= n_reports) return count_by_subsets(n_tracks, n_reports, gated, cap);
    return count_by_subsets(n_reports, n_tracks, [&](int j, int i) { return gated(i, j); }, cap);
  }
  std::vector<std::vector<int>> lists(static_cast<std::size_t>(n_tracks));
  for (int i = 0; i < n_tracks; ++i)
    for (int j = 0; j < n_reports; ++j)
      if (gated(i, j)) lists[static_cast<std::size_t>(i)].push_back(j);
  std::vector<char> used(static_cast<std::size_t>(n_reports), 0);
  return std::min(count_by_search(0, lists, used, 0, cap), cap + 1);
}

Result<JpdaMarginals> jpda_marginals(std::span<const double> log_likelihood, int n_tracks, int n_reports,
                                     std::span<const double> detection_probability, const JpdaParams& params) {
  if (n_tracks < 0 || n_reports < 0)
    return fail(Errc::invalid_argument, "jpda: negative cluster size " + std::to_string(n_tracks) + " x " +
                                            std::to_string(n_reports));
  if (log_likelihood.size() != static_cast<std::size_t>(n_tracks) * static_cast<std::size_t>(n_reports))
    return fail(Errc::invalid_argument, "jpda: " + std::to_string(log_likelihood.size()) +
                                            " log-likelihoods for a " + std::to_string(n_tracks) + " x " +
                                            std::to_string(n_reports) + " cluster");
  if (detection_probability.size() != static_cast<std::size_t>(n_tracks))
    return fail(Errc::invalid_argument, "jpda: " + std::to_string(detection_probability.size()) +
                                            " detection probabilities for " + std::to_string(n_tracks) + " tracks");
  for (std::size_t k = 0; k < log_likelihood.size(); ++k) {
    const double l = log_likelihood[k];
    if (std::isnan(l) || l == std::numeric_limits<double>::infinity())
      return fail(Errc::invalid_argument,
                  "jpda: log-likelihood of track " + std::to_string(k / static_cast<std::size_t>(n_reports)) +
                      ", report " + std::to_string(k % static_cast<std::size_t>(n_reports)) + " is NaN or +inf");
  }
  for (const double pd : detection_probability) {
    if (!(pd > 0.0 && pd <= 1.0)) return fail(Errc::invalid_argument, "jpda: detection probability outside (0, 1]");
  }
  if (!(params.gate_probability > 0.0 && params.gate_probability <= 1.0))
    return fail(Errc::invalid_argument, "jpda: gate probability outside (0, 1]");
  if (!(params.clutter_density > 0.0 && std::isfinite(params.clutter_density)))
    return fail(Errc::invalid_argument, "jpda: clutter density not finite and > 0");
  if (params.max_exact_events < 0 || params.max_best_events < 1)
    return fail(Errc::invalid_argument, "jpda: max_exact_events < 0 or max_best_events < 1");

  if (n_reports == 0) return Accumulator(n_tracks, 0).finish(JpdaMethod::degenerate);
  const Weights w = make_weights(log_likelihood, n_tracks, n_reports, detection_probability, params);
  Accumulator acc(n_tracks, n_reports, params.coalescence_avoidance);
  if (jpda_feasible_events(log_likelihood, n_tracks, n_reports, params.max_exact_events) <=
      params.max_exact_events) {
    Enumerator(w, acc).run();
    acc.flush();
    return acc.finish(JpdaMethod::exact);
  }
  KBest(w, acc).run(params.max_best_events);
  acc.flush();
  return acc.finish(JpdaMethod::k_best);
}

Gaussian pda_update(const Gaussian& prior, std::span<const Innovation> innovations, std::span<const double> betas,
                    double beta0, const Measurement& any_of_them) noexcept {
  if (innovations.empty() || innovations.size() != betas.size() || !betas_ok(betas, beta0) || beta0 >= 1.0)
    return prior;
  const Innovation& first = innovations.front();
  for (const Innovation& inn : innovations) {
    if (!inn.valid || !inn.nu.allFinite() || !near(inn.S, first.S) || !near(inn.H, first.H)) return prior;
  }
  Innovation combined = first;
  combined.nu.setZero();
  Eigen::Matrix3d spread = Eigen::Matrix3d::Zero();  // sum_j beta_j nu_j nu_j^T
  for (std::size_t j = 0; j < innovations.size(); ++j) {
    combined.nu += betas[j] * innovations[j].nu;
    spread.noalias() += (betas[j] * innovations[j].nu) * innovations[j].nu.transpose();
  }
  spread.noalias() -= combined.nu * combined.nu.transpose();
  // x + K nu and the Joseph-form P_c, exactly as the single-report EKF.
  const Gaussian single = ekf_update(prior, combined, any_of_them);
  const Eigen::LLT<Eigen::Matrix3d> llt(first.S);
  if (llt.info() != Eigen::Success) return prior;
  Eigen::Matrix<double, kStateDim, 3> pht;
  pht.noalias() = prior.P.leftCols<3>() * first.H.leftCols<3>().transpose();
  const Eigen::Matrix<double, kStateDim, 3> k = llt.solve(pht.transpose()).transpose();
  Gaussian out;
  out.x = single.x;
  out.P = beta0 * prior.P + (1.0 - beta0) * single.P;
  Eigen::Matrix<double, kStateDim, 3> ks;
  ks.noalias() = k * spread;
  out.P.noalias() += ks * k.transpose();
  symmetrise(out.P);
  if (!out.x.allFinite() || !out.P.allFinite()) return prior;
  return out;
}

ImmState imm_pda_update(const ImmState& predicted, std::span<const Measurement> reports, std::span<const double> betas,
                        double beta0) noexcept {
  if (reports.size() != betas.size() || !betas_ok(betas, beta0)) return predicted;
  std::vector<std::size_t> used;
  for (std::size_t k = 0; k < betas.size(); ++k) {
    if (betas[k] > 0.0) used.push_back(k);
  }
  if (used.empty()) return predicted;
  const Gaussian combined = imm_combined(predicted);
  std::vector<double> log_lc(used.size());  // log N_k of the combined estimate
  for (std::size_t u = 0; u < used.size(); ++u) {
    const Innovation inn = innovate(combined, reports[used[u]]);
    if (!inn.valid) return predicted;
    log_lc[u] = inn.log_likelihood;
  }
  std::vector<double> used_betas(used.size());
  for (std::size_t u = 0; u < used.size(); ++u) used_betas[u] = betas[used[u]];

  ImmState out = predicted;
  std::array<double, 2> log_lambda{};
  std::vector<Innovation> inns(used.size());
  std::vector<double> terms;
  for (std::size_t j = 0; j < 2; ++j) {
    for (std::size_t u = 0; u < used.size(); ++u) {
      inns[u] = innovate(predicted.model[j], reports[used[u]]);
      if (!inns[u].valid) return predicted;
    }
    out.model[j] = pda_update(predicted.model[j], inns, used_betas, beta0, reports[used.front()]);
    // log Lambda_j = log(beta0 + sum_k beta_k N_jk / N_k) by log-sum-exp.
    terms.clear();
    if (beta0 > 0.0) terms.push_back(std::log(beta0));
    for (std::size_t u = 0; u < used.size(); ++u)
      terms.push_back(std::log(used_betas[u]) + inns[u].log_likelihood - log_lc[u]);
    const double top = *std::max_element(terms.begin(), terms.end());
    double sum = 0.0;
    for (const double t : terms) sum += std::exp(t - top);
    log_lambda[j] = top + std::log(sum);
  }
  const double log_odds_cv =
      std::log(predicted.mu[0]) - std::log(predicted.mu[1]) + log_lambda[0] - log_lambda[1];
  if (!std::isfinite(log_odds_cv)) return predicted;
  const double mu_cv = clamp_mu(1.0 / (1.0 + std::exp(-std::clamp(log_odds_cv, -700.0, 700.0))));
  out.mu = {mu_cv, 1.0 - mu_cv};
  return out;
}

}  // namespace jrads::picture
