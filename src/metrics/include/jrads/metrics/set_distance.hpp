#pragma once
// OSPA and GOSPA between two finite sets of points at one time step, from one optimal
// assignment. Distances are Euclidean in whatever frame the points share (the metrics use ECEF).
//
//   const std::vector<Eigen::Vector3d> truths = {{0, 0, 0}, {100, 0, 0}};
//   const std::vector<Eigen::Vector3d> tracks = {{3, 4, 0}};
//   const SetDistance d = set_distance(truths, tracks, 50.0, 2.0);
//   // d.gospa_localisation == 25, d.gospa_missed == 50^2 / 2, d.gospa_false == 0
//   // d.ospa_m == sqrt((25 + 50^2) / 2), d.gospa_m == sqrt(25 + 50^2 / 2)
#include <span>
#include <vector>

#include <Eigen/Core>

namespace jrads::metrics {

// OSPA (Schuhmacher, Vo & Vo 2008) and GOSPA with alpha = 2 (Rahmathullah, Garcia-Fernandez &
// Svensson 2017) of one step, with cut-off c and order p. With d_c = min(d, c):
//   GOSPA^p = min over partial assignments g of  sum_{(i,j) in g} d(x_i, y_j)^p + c^p/2 (m + n - 2|g|)
//   OSPA^p  = (min over full matchings of sum d_c^p + c^p |m - n|) / max(m, n), 0 when m = n = 0.
// Both are minimised by the same assignment; only pairs with d < c are ever assigned.
struct SetDistance {
  double ospa_m = 0.0;              // in [0, c]
  double gospa_m = 0.0;             // (localisation + missed + false)^(1/p)
  double gospa_localisation = 0.0;  // sum of d^p over the assigned pairs, m^p
  double gospa_missed = 0.0;        // c^p / 2 per unassigned truth, m^p
  double gospa_false = 0.0;         // c^p / 2 per unassigned track, m^p
  int assigned = 0;                 // pairs, all with d < c
  int missed = 0;                   // truths left unassigned
  int false_tracks = 0;             // tracks left unassigned
  int components = 0;               // connected groups solved by assignment (see below)
  std::vector<int> truth_to_track;  // by truth: the assigned track, or -1
};

// Requires c in [1e-3, 1e7] m, p in [1, 20] and finite points (a broken precondition aborts).
// Cost: pairs closer than c are found with a spatial hash on cubes of side max(c, 1 m), and the
// bipartite graph of those pairs is split into connected components, each solved exactly with
// jrads::solve_assignment. That is O((m + n) log n + E + sum_k m_k n_k min(m_k, n_k)) for
// components of m_k truths and n_k tracks, instead of O(m n min(m, n)) for the dense problem;
// the answer is the same because a pair with d >= c costs as much as leaving both unassigned.
[[nodiscard]] SetDistance set_distance(std::span<const Eigen::Vector3d> truths,
                                       std::span<const Eigen::Vector3d> tracks, double cutoff_m, double order_p);

}  // namespace jrads::metrics
