#include "jrads/core/assignment.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>

namespace jrads {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Solver for nr <= nc on a row-major nr x nc matrix: the Jonker-Volgenant (1987) initialisation
// assigns most rows cheaply, then each remaining row gets a shortest augmenting path (Crouse 2016,
// Algorithm 1, with the Jonker-Volgenant tie rule). Invariants after every step: each assigned
// row i has c(i, j) - u[i] - v[j] >= 0 for all j, with equality at its column, and in a
// rectangular problem v[j] <= 0 with v[j] == 0 on unassigned columns. These are the LP dual
// conditions, so the final matching is optimal. Reduced costs on edges leaving assigned rows are
// therefore non-negative and Dijkstra applies; the source row's edges may be negative (negative
// costs) because distances start at the source. Forbidden pairs have reduced cost +inf and are
// never relaxed; potentials stay finite.
class Solver {
 public:
  Solver(const double* cost, int nr, int nc)
      : c_(cost), nr_(nr), nc_(nc), u_(nr, 0.0), v_(nc, 0.0), dist_(nc, kInf), path_(nc, -1),
        row4col_(nc, -1), col4row_(nr, -1), remaining_(nc, 0), scanned_cols_(nc, 0),
        scanned_rows_(nr, 0), free_(nr, 0) {}

  // Assigns every row; false when some row cannot be matched without a forbidden pair.
  [[nodiscard]] bool run() {
    if (nr_ == nc_ && !reduce_columns()) return false;
    if (!reduce_rows()) return false;
    // Potentials of the rows assigned so far, from their tight pair.
    for (int i = 0; i < nr_; ++i) {
      const int j = col4row_[i];
      if (j >= 0) u_[i] = c_[static_cast<std::ptrdiff_t>(i) * nc_ + j] - v_[j];
    }
    for (int k = 0; k < num_free_; ++k) {
      if (!augment(free_[k])) return false;
    }
    return true;
  }
  [[nodiscard]] const std::vector<int>& col4row() const noexcept { return col4row_; }

 private:
  // Jonker-Volgenant column reduction (square only: it sets v[j] = min_i c(i, j), which may be
  // positive, and a rectangular problem needs v <= 0). Each column goes to its cheapest row if that
  // row is still free; a row that got exactly one column then transfers its slack to that column.
  [[nodiscard]] bool reduce_columns() {
    // Column minima by rows: the matrix is row-major.
    std::vector<int> best_row(static_cast<std::size_t>(nc_), -1);
    std::fill(v_.begin(), v_.end(), kInf);
    for (int i = 0; i < nr_; ++i) {
      const double* ci = c_ + static_cast<std::ptrdiff_t>(i) * nc_;
      for (int j = 0; j < nc_; ++j) {
        if (ci[j] < v_[j]) {
          v_[j] = ci[j];
          best_row[j] = i;
        }
      }
    }
    std::vector<int> matches(static_cast<std::size_t>(nr_), 0);  // columns whose cheapest row is i
    for (int j = nc_ - 1; j >= 0; --j) {
      const int i = best_row[j];
      if (i < 0) return false;  // a square problem must use every column
      if (matches[i]++ == 0) {
        col4row_[i] = j;
        row4col_[j] = i;
      }
    }
    num_free_ = 0;
    for (int i = 0; i < nr_; ++i) {
      if (matches[i] == 0) {
        free_[num_free_++] = i;
      } else if (matches[i] == 1) {
        const int j1 = col4row_[i];
        const double* ci = c_ + static_cast<std::ptrdiff_t>(i) * nc_;
        double slack = kInf;
        for (int j = 0; j < nc_; ++j) {
          if (j != j1) slack = std::min(slack, ci[j] - v_[j]);
        }
        if (slack < kInf) v_[j1] -= slack;  // else row i has no other allowed column
      }
    }
    return true;
  }

  // Jonker-Volgenant augmenting row reduction, two passes over the free rows: a free row takes
  // its cheapest column at reduced cost c - v and lowers that column's v until its second cheapest
  // is as good, displacing the owner. It keeps the invariants: v only falls, and only on columns
  // that stay assigned. Rounding can make a price fall by nothing, so the work is capped and
  // whatever is left goes to the augmenting paths, which are exact on their own.
  [[nodiscard]] bool reduce_rows() {
    if (nr_ != nc_) {
      num_free_ = nr_;
      for (int i = 0; i < nr_; ++i) free_[i] = i;
    }
    long budget = 8L * nr_ + 64;
    for (int pass = 0; pass < 2; ++pass) {
      const int num_prev = num_free_;
      num_free_ = 0;
      int k = 0;
      while (k < num_prev) {
        const int i = free_[k++];
        if (--budget < 0) {
          free_[num_free_++] = i;
          continue;
        }
        const double* ci = c_ + static_cast<std::ptrdiff_t>(i) * nc_;
        double min1 = kInf, min2 = kInf;
        int j1 = -1, j2 = -1;
        for (int j = 0; j < nc_; ++j) {
          const double h = ci[j] - v_[j];
          if (h < min2) {
            if (h >= min1) {
              min2 = h;
              j2 = j;
            } else {
              min2 = min1;
              j2 = j1;
              min1 = h;
              j1 = j;
            }
          }
        }
        if (j1 < 0) return false;  // row i has no allowed column
        int owner = row4col_[j1];
        const bool lowered = min1 < min2 && min2 < kInf;
        if (lowered) {
          v_[j1] -= min2 - min1;
        } else if (owner >= 0) {
          if (j2 < 0) {  // its only allowed column is taken: leave it to the augmenting paths
            free_[num_free_++] = i;
            continue;
          }
          j1 = j2;  // a tie: take the other cheapest column instead of lowering a price
          owner = row4col_[j1];
        }
        col4row_[i] = j1;
        row4col_[j1] = i;
        if (owner >= 0) {
          col4row_[owner] = -1;
          // After a strict price cut the displaced row bids again at once (into the slot just
          // read, so k >= 1); after a tie it waits for the next pass.
          if (lowered) {
            free_[--k] = owner;
          } else {
            free_[num_free_++] = owner;
          }
        }
      }
    }
    return true;
  }

  [[nodiscard]] bool augment(int cur_row) {
    // Per-augmentation reset: O(nc), against O(nr * nc) for the scans below.
    std::fill(dist_.begin(), dist_.end(), kInf);
    for (int j = 0; j < nc_; ++j) remaining_[j] = j;
    int num_remaining = nc_;
    int num_scanned_rows = 0;
    int num_scanned_cols = 0;

    double min_val = 0.0;
    int i = cur_row;
    int sink = -1;
    while (sink < 0) {
      scanned_rows_[num_scanned_rows++] = i;
      const double* ci = c_ + static_cast<std::ptrdiff_t>(i) * nc_;
      const double base = min_val - u_[i];
      double lowest = kInf;
      int index = -1;
      for (int it = 0; it < num_remaining; ++it) {
        const int j = remaining_[it];
        const double r = base + ci[j] - v_[j];  // +inf for a forbidden pair
        double d = dist_[j];
        if (r < d) {
          path_[j] = i;
          dist_[j] = r;
          d = r;
        }
        // Among equal distances prefer a free column: it ends the search sooner.
        if (d < lowest || (d == lowest && row4col_[j] < 0)) {
          lowest = d;
          index = it;
        }
      }
      if (!(lowest < kInf)) return false;  // no column reachable: no augmenting path exists
      min_val = lowest;
      const int j = remaining_[index];
      scanned_cols_[num_scanned_cols++] = j;
      remaining_[index] = remaining_[--num_remaining];
      if (row4col_[j] < 0) {
        sink = j;
      } else {
        i = row4col_[j];
      }
    }

    // Dual update that keeps the invariants (Crouse 2016, Algorithm 1, step 4).
    u_[cur_row] += min_val;
    for (int k = 1; k < num_scanned_rows; ++k) {
      const int r = scanned_rows_[k];
      u_[r] += min_val - dist_[col4row_[r]];
    }
    for (int k = 0; k < num_scanned_cols; ++k) {
      const int j = scanned_cols_[k];
      v_[j] -= min_val - dist_[j];
    }

    // Flip the path from the sink back to cur_row.
    int j = sink;
    for (;;) {
      const int r = path_[j];
      row4col_[j] = r;
      std::swap(col4row_[r], j);
      if (r == cur_row) break;
    }
    return true;
  }

  const double* c_;
  int nr_;
  int nc_;
  std::vector<double> u_;          // row potentials
  std::vector<double> v_;          // column potentials, <= 0
  std::vector<double> dist_;       // shortest reduced distance from cur_row to each column
  std::vector<int> path_;          // predecessor row of each column on its shortest path
  std::vector<int> row4col_;       // -1 when free
  std::vector<int> col4row_;       // -1 when free
  std::vector<int> remaining_;     // columns not yet scanned in this augmentation
  std::vector<int> scanned_cols_;  // in scan order
  std::vector<int> scanned_rows_;  // in scan order; [0] is cur_row
  std::vector<int> free_;          // rows still to assign
  int num_free_ = 0;
};

std::string cell_name(std::size_t index, int cols) {
  const auto c = static_cast<std::size_t>(cols);
  return "row " + std::to_string(index / c) + ", column " + std::to_string(index % c);
}

}  // namespace

Result<Assignment> solve_assignment(std::span<const double> cost, int rows, int cols) {
  if (rows < 0 || cols < 0) {
    return fail(Errc::invalid_argument,
                "assignment: negative size " + std::to_string(rows) + " x " + std::to_string(cols));
  }
  const auto r = static_cast<std::size_t>(rows);
  const auto c = static_cast<std::size_t>(cols);
  if (c != 0 && r > std::numeric_limits<std::size_t>::max() / c) {
    return fail(Errc::invalid_argument, "assignment: " + std::to_string(rows) + " x " +
                                            std::to_string(cols) + " overflows the matrix size");
  }
  if (cost.size() != r * c) {
    return fail(Errc::invalid_argument, "assignment: " + std::to_string(cost.size()) +
                                            " costs for a " + std::to_string(rows) + " x " +
                                            std::to_string(cols) + " matrix");
  }

  double max_abs = 0.0;
  for (std::size_t k = 0; k < cost.size(); ++k) {
    const double x = cost[k];
    if (std::isnan(x)) {
      return fail(Errc::invalid_argument, "assignment: cost at " + cell_name(k, cols) + " is NaN");
    }
    if (x == -kInf) {
      return fail(Errc::invalid_argument, "assignment: cost at " + cell_name(k, cols) + " is -inf");
    }
    if (x != kInf) max_abs = std::max(max_abs, std::abs(x));
  }
  // Potentials and path lengths stay within a few times n * max|c|; beyond that the sums in the
  // solver could overflow into inf or NaN and silently corrupt the result.
  const int n_small = std::min(rows, cols);
  const double bound = max_abs * 8.0 * (static_cast<double>(n_small) + 2.0);
  if (!(bound < std::numeric_limits<double>::max())) {
    return fail(Errc::invalid_argument,
                "assignment: finite costs too large in magnitude to add without overflow");
  }

  Assignment out;
  out.row_to_col.assign(r, -1);
  out.col_to_row.assign(c, -1);
  if (rows == 0 || cols == 0) return out;

  if (rows <= cols) {
    Solver solver(cost.data(), rows, cols);
    if (!solver.run()) {
      return fail(Errc::invalid_argument,
                  "assignment: infeasible, every assignment of all rows uses a forbidden pair");
    }
    out.row_to_col = solver.col4row();
    for (int i = 0; i < rows; ++i) out.col_to_row[out.row_to_col[i]] = i;
  } else {
    // The solver assigns every row of a wide matrix, so solve the transpose.
    std::vector<double> t(cost.size());
    for (std::size_t i = 0; i < r; ++i) {
      for (std::size_t j = 0; j < c; ++j) t[j * r + i] = cost[i * c + j];
    }
    Solver solver(t.data(), cols, rows);
    if (!solver.run()) {
      return fail(Errc::invalid_argument,
                  "assignment: infeasible, every assignment of all columns uses a forbidden pair");
    }
    out.col_to_row = solver.col4row();
    for (int j = 0; j < cols; ++j) out.row_to_col[out.col_to_row[j]] = j;
  }

  for (std::size_t i = 0; i < r; ++i) {
    const int j = out.row_to_col[i];
    if (j >= 0) out.total_cost += cost[i * c + static_cast<std::size_t>(j)];
  }
  return out;
}

}  // namespace jrads
