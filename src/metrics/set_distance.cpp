#include "jrads/metrics/set_distance.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "cell_index_impl.hpp"
#include "jrads/core/assignment.hpp"
#include "jrads/core/result.hpp"

namespace jrads::metrics {

namespace {

struct Edge {
  int truth;
  int track;
  double cost;  // (d / c)^p, in [0, 1)
};

class UnionFind {
 public:
  explicit UnionFind(int n) : parent_(static_cast<std::size_t>(n)) { std::iota(parent_.begin(), parent_.end(), 0); }
  int find(int a) {
    while (parent_[static_cast<std::size_t>(a)] != a) {
      auto& p = parent_[static_cast<std::size_t>(a)];
      p = parent_[static_cast<std::size_t>(p)];  // path halving
      a = p;
    }
    return a;
  }
  void unite(int a, int b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[static_cast<std::size_t>(std::max(a, b))] = std::min(a, b);
  }

 private:
  std::vector<int> parent_;
};

}  // namespace

SetDistance set_distance(std::span<const Eigen::Vector3d> truths, std::span<const Eigen::Vector3d> tracks,
                         double cutoff_m, double order_p) {
  JRADS_ASSERT(cutoff_m >= 1e-3 && cutoff_m <= 1e7);
  JRADS_ASSERT(order_p >= 1.0 && order_p <= 20.0);
  const int m = static_cast<int>(truths.size());
  const int n = static_cast<int>(tracks.size());
  SetDistance out;
  out.truth_to_track.assign(truths.size(), -1);
  if (m == 0 && n == 0) return out;
  for (const auto& p : truths) JRADS_ASSERT(p.allFinite());
  for (const auto& p : tracks) JRADS_ASSERT(p.allFinite());

  // Candidate pairs: closer than c. Costs are kept in units of c^p so that they lie in [0, 1].
  const detail::CellIndex index(tracks, std::max(cutoff_m, 1.0));
  std::vector<Edge> edges;
  for (int i = 0; i < m; ++i) {
    index.for_each_near(truths[static_cast<std::size_t>(i)], [&](int j) {
      const double d = (truths[static_cast<std::size_t>(i)] - tracks[static_cast<std::size_t>(j)]).norm();
      if (d < cutoff_m) edges.push_back({i, j, std::pow(d / cutoff_m, order_p)});
    });
  }

  // Connected components of the pair graph; nodes 0..m-1 are truths, m..m+n-1 tracks.
  UnionFind groups(m + n);
  for (const Edge& e : edges) groups.unite(e.truth, m + e.track);
  std::vector<int> root_to_component(static_cast<std::size_t>(m + n), -1);
  std::vector<std::vector<int>> comp_truths, comp_tracks;
  std::vector<int> local(static_cast<std::size_t>(m + n), -1);  // index inside its component
  auto component_of = [&](int node) {
    const int root = groups.find(node);
    int& c = root_to_component[static_cast<std::size_t>(root)];
    if (c < 0) {
      c = static_cast<int>(comp_truths.size());
      comp_truths.emplace_back();
      comp_tracks.emplace_back();
    }
    return c;
  };
  for (const Edge& e : edges) {
    for (const int node : {e.truth, m + e.track}) {
      if (local[static_cast<std::size_t>(node)] >= 0) continue;
      const int c = component_of(node);
      auto& members = node < m ? comp_truths[static_cast<std::size_t>(c)] : comp_tracks[static_cast<std::size_t>(c)];
      local[static_cast<std::size_t>(node)] = static_cast<int>(members.size());
      members.push_back(node < m ? node : node - m);
    }
  }
  std::vector<std::vector<Edge>> comp_edges(comp_truths.size());
  for (const Edge& e : edges) comp_edges[static_cast<std::size_t>(component_of(e.truth))].push_back(e);

  // Each component exactly: rows truths, columns tracks, cost (d_c / c)^p with 1 for pairs at or
  // beyond the cut-off. A chosen pair of cost 1 is the same as two unassigned points.
  double localisation = 0.0;  // in units of c^p
  std::vector<double> cost;
  for (std::size_t c = 0; c < comp_truths.size(); ++c) {
    const auto& rows = comp_truths[c];
    const auto& cols = comp_tracks[c];
    const int r = static_cast<int>(rows.size());
    const int k = static_cast<int>(cols.size());
    cost.assign(static_cast<std::size_t>(r) * static_cast<std::size_t>(k), 1.0);
    for (const Edge& e : comp_edges[c]) {
      const auto li = static_cast<std::size_t>(local[static_cast<std::size_t>(e.truth)]);
      const auto lj = static_cast<std::size_t>(local[static_cast<std::size_t>(m + e.track)]);
      cost[li * static_cast<std::size_t>(k) + lj] = e.cost;
    }
    const Result<Assignment> a = solve_assignment(cost, r, k);
    JRADS_ASSERT(a.has_value());  // no forbidden entries, all in [0, 1]: always feasible
    for (int li = 0; li < r; ++li) {
      const int lj = a->row_to_col[static_cast<std::size_t>(li)];
      if (lj < 0) continue;
      const double x = cost[static_cast<std::size_t>(li) * static_cast<std::size_t>(k) + static_cast<std::size_t>(lj)];
      if (x >= 1.0) continue;
      out.truth_to_track[static_cast<std::size_t>(rows[static_cast<std::size_t>(li)])] =
          cols[static_cast<std::size_t>(lj)];
      localisation += x;
      ++out.assigned;
    }
  }
  out.components = static_cast<int>(comp_truths.size());
  out.missed = m - out.assigned;
  out.false_tracks = n - out.assigned;

  const double cp = std::pow(cutoff_m, order_p);
  out.gospa_localisation = cp * localisation;
  out.gospa_missed = cp / 2.0 * out.missed;
  out.gospa_false = cp / 2.0 * out.false_tracks;
  out.gospa_m = cutoff_m * std::pow(localisation + 0.5 * (out.missed + out.false_tracks), 1.0 / order_p);
  // OSPA: the best full matching is the assigned pairs plus arbitrary pairs at cost c^p, and
  // every point beyond min(m, n) costs c^p as well.
  const int big = std::max(m, n);
  const double ospa_p = (localisation + static_cast<double>(big - out.assigned)) / static_cast<double>(big);
  out.ospa_m = cutoff_m * std::pow(ospa_p, 1.0 / order_p);
  return out;
}

}  // namespace jrads::metrics
