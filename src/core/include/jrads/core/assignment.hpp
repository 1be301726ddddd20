#pragma once
// Rectangular linear sum assignment: the exact minimum-cost matching of rows to columns.
// Used by track-to-plot association (GNN) and by the OSPA/GOSPA metrics.
//
//   const std::vector<double> cost = {4, 1, 3,
//                                     2, 0, 5,
//                                     3, 2, 2};
//   const Result<Assignment> a = solve_assignment(cost, 3, 3);
//   // a->row_to_col == {1, 0, 2}, a->col_to_row == {1, 0, 2}, a->total_cost == 5
#include <limits>
#include <span>
#include <vector>

#include "jrads/core/result.hpp"

namespace jrads {

// The cost of a pair that must not be assigned.
inline constexpr double kForbidden = std::numeric_limits<double>::infinity();

// A minimum-cost matching of min(rows, cols) pairs.
struct Assignment {
  std::vector<int> row_to_col;  // size rows; -1 where a row is unassigned (only when rows > cols)
  std::vector<int> col_to_row;  // size cols; -1 where a column is unassigned
  double total_cost = 0.0;      // sum of the chosen entries, added in row order
};

// Minimises the total cost over the assignments that match min(rows, cols) pairs, each row to at
// most one column and each column to at most one row. `cost` is row-major, rows x cols. Entries
// may be negative; kForbidden (+inf) marks a pair that must not be used. Ties are broken
// deterministically. 0 rows or 0 columns give an empty assignment of cost 0.
// Errors (Errc::invalid_argument): negative sizes; cost.size() != rows * cols; a NaN or -inf
// entry (the message names its row and column); finite entries so large (|c| near 1e300 / n)
// that the dual sums could overflow; and "infeasible" when every assignment of min(rows, cols)
// pairs uses a forbidden pair. Callers for whom a row may stay unassigned add one dummy column
// per row holding that row's non-assignment cost (kForbidden for the other rows).
// Jonker-Volgenant initialisation, then shortest augmenting paths with dual potentials as in
// Crouse 2016: O(min^2 * max) worst case, work arrays allocated once per call; a tall matrix is
// transposed into a copy first.
[[nodiscard]] Result<Assignment> solve_assignment(std::span<const double> cost, int rows, int cols);

}  // namespace jrads
