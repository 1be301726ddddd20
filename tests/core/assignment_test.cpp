#include "jrads/core/assignment.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "jrads/core/rng.hpp"

namespace jrads {
namespace {

using ::testing::HasSubstr;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Matrix {
  int rows = 0;
  int cols = 0;
  std::vector<double> cost;  // row-major
  [[nodiscard]] double at(int i, int j) const { return cost[static_cast<std::size_t>(i * cols + j)]; }
};

bool near(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)}); }

Result<Assignment> solve(const Matrix& m) { return solve_assignment(m.cost, m.rows, m.cols); }

// The optimum by enumerating every injection of the smaller side into the larger; nullopt when
// every one uses a forbidden pair.
struct BruteForce {
  const Matrix& m;
  bool wide = m.rows <= m.cols;
  int small = std::min(m.rows, m.cols);
  int big = std::max(m.rows, m.cols);
  std::vector<bool> used = std::vector<bool>(static_cast<std::size_t>(big), false);
  double best = kForbidden;

  [[nodiscard]] double entry(int s, int b) const { return wide ? m.at(s, b) : m.at(b, s); }
  void search(int s, double sum) {
    if (s == small) {
      best = std::min(best, sum);
      return;
    }
    for (int b = 0; b < big; ++b) {
      if (used[static_cast<std::size_t>(b)] || entry(s, b) == kForbidden) continue;
      used[static_cast<std::size_t>(b)] = true;
      search(s + 1, sum + entry(s, b));
      used[static_cast<std::size_t>(b)] = false;
    }
  }
};

std::optional<double> brute_force_optimum(const Matrix& m) {
  BruteForce bf{m};
  bf.search(0, 0.0);
  if (bf.best == kForbidden) return std::nullopt;
  return bf.best;
}

// The assignment is a matching of min(rows, cols) allowed pairs whose entries add up to total_cost.
::testing::AssertionResult is_valid(const Matrix& m, const Assignment& a) {
  if (a.row_to_col.size() != static_cast<std::size_t>(m.rows) ||
      a.col_to_row.size() != static_cast<std::size_t>(m.cols)) {
    return ::testing::AssertionFailure() << "wrong sizes";
  }
  int pairs = 0;
  double sum = 0.0;
  for (int i = 0; i < m.rows; ++i) {
    const int j = a.row_to_col[static_cast<std::size_t>(i)];
    if (j == -1) continue;
    if (j < 0 || j >= m.cols) return ::testing::AssertionFailure() << "row " << i << " -> bad column " << j;
    if (a.col_to_row[static_cast<std::size_t>(j)] != i) {
      return ::testing::AssertionFailure() << "row " << i << " -> " << j << " not mirrored in col_to_row";
    }
    if (m.at(i, j) == kForbidden) return ::testing::AssertionFailure() << "forbidden pair " << i << "," << j;
    ++pairs;
    sum += m.at(i, j);
  }
  const int mirrored = static_cast<int>(std::count_if(a.col_to_row.begin(), a.col_to_row.end(),
                                                      [](int r) { return r != -1; }));
  if (pairs != std::min(m.rows, m.cols) || mirrored != pairs) {
    return ::testing::AssertionFailure() << pairs << " pairs, " << mirrored << " in col_to_row";
  }
  if (!near(sum, a.total_cost)) {
    return ::testing::AssertionFailure() << "total_cost " << a.total_cost << " but entries sum to " << sum;
  }
  return ::testing::AssertionSuccess();
}

// Random matrix with a chosen cost style: continuous, signed, or few distinct integers (ties).
Matrix random_matrix(RngStream& rng, int rows, int cols, int style, double p_forbidden) {
  Matrix m{rows, cols, std::vector<double>(static_cast<std::size_t>(rows * cols))};
  for (double& x : m.cost) {
    switch (style) {
      case 0: x = rng.uniform(0.0, 1.0); break;
      case 1: x = rng.uniform(-10.0, 10.0); break;
      case 2: x = static_cast<double>(rng.below(6)) - 2.0; break;
      default: x = static_cast<double>(rng.below(2)); break;
    }
    if (rng.bernoulli(p_forbidden)) x = kForbidden;
  }
  return m;
}

bool is_infeasible_error(const Result<Assignment>& r) {
  return !r && r.error().code == Errc::invalid_argument &&
         r.error().message.find("infeasible") != std::string::npos;
}

TEST(Assignment, MatchesBruteForceOnSmallRandomMatrices) {
  RngStream rng = Rng(2016).stream("test/assignment/brute");
  constexpr double kForbiddenShare[] = {0.0, 0.15, 0.35, 0.6};
  int feasible = 0, infeasible = 0, rectangular = 0;
  for (int trial = 0; trial < 5000; ++trial) {
    const int rows = 1 + static_cast<int>(rng.below(7));
    const int cols = trial % 4 == 0 ? rows : 1 + static_cast<int>(rng.below(7));  // square: more init paths
    const int style = static_cast<int>(rng.below(4));
    const double p = kForbiddenShare[rng.below(4)];
    const Matrix m = random_matrix(rng, rows, cols, style, p);
    const auto expected = brute_force_optimum(m);
    const auto got = solve(m);
    SCOPED_TRACE(::testing::Message() << "trial " << trial << ": " << rows << " x " << cols
                                      << ", style " << style << ", forbidden " << p);
    rectangular += rows != cols;
    if (!expected) {
      ++infeasible;
      ASSERT_TRUE(is_infeasible_error(got)) << (got ? "solved with cost " + std::to_string(got->total_cost)
                                                    : got.error().message);
      continue;
    }
    ++feasible;
    ASSERT_TRUE(got) << got.error().message << " but brute force found " << *expected;
    ASSERT_TRUE(is_valid(m, *got));
    ASSERT_TRUE(near(got->total_cost, *expected)) << got->total_cost << " vs brute force " << *expected;
  }
  // The draw must exercise both outcomes and the rectangular paths.
  EXPECT_GT(feasible, 2500);
  EXPECT_GT(infeasible, 200);
  EXPECT_GT(rectangular, 2500);
}

// An independent reference for sizes beyond brute force: the textbook O(n^2 m) Hungarian method
// with potentials (Kuhn-Munkres as in e-maxx.ru), for rows <= cols and finite costs. Forbidden
// pairs get a penalty larger than any feasible total, so an optimum above `threshold` means
// infeasible.
std::optional<double> reference_optimum(const Matrix& input) {
  const Matrix m = input.rows <= input.cols ? input : [&] {
    Matrix t{input.cols, input.rows, std::vector<double>(input.cost.size())};
    for (int i = 0; i < input.rows; ++i) {
      for (int j = 0; j < input.cols; ++j) t.cost[static_cast<std::size_t>(j * input.rows + i)] = input.at(i, j);
    }
    return t;
  }();
  double max_abs = 0.0;
  for (const double x : m.cost) {
    if (x != kForbidden) max_abs = std::max(max_abs, std::abs(x));
  }
  const double threshold = 2.0 * m.rows * max_abs + 1.0;  // above any feasible total
  const double penalty = 2.0 * threshold;                 // one forbidden pair lifts a total past it
  const auto a = [&](int i, int j) { return m.at(i - 1, j - 1) == kForbidden ? penalty : m.at(i - 1, j - 1); };
  const int n = m.rows, w = m.cols;
  const auto z = [](int k) { return static_cast<std::size_t>(k); };
  std::vector<double> u(z(n + 1), 0.0), v(z(w + 1), 0.0), minv(z(w + 1));
  std::vector<int> p(z(w + 1), 0), way(z(w + 1), 0);
  std::vector<char> used(z(w + 1));
  for (int i = 1; i <= n; ++i) {
    p[0] = i;
    int j0 = 0;
    std::fill(minv.begin(), minv.end(), kForbidden);
    std::fill(used.begin(), used.end(), 0);
    do {
      used[z(j0)] = 1;
      const int i0 = p[z(j0)];
      double delta = kForbidden;
      int j1 = 0;
      for (int j = 1; j <= w; ++j) {
        if (used[z(j)]) continue;
        const double cur = a(i0, j) - u[z(i0)] - v[z(j)];
        if (cur < minv[z(j)]) {
          minv[z(j)] = cur;
          way[z(j)] = j0;
        }
        if (minv[z(j)] < delta) {
          delta = minv[z(j)];
          j1 = j;
        }
      }
      for (int j = 0; j <= w; ++j) {
        if (used[z(j)]) {
          u[z(p[z(j)])] += delta;
          v[z(j)] -= delta;
        } else {
          minv[z(j)] -= delta;
        }
      }
      j0 = j1;
    } while (p[z(j0)] != 0);
    do {
      const int j1 = way[z(j0)];
      p[z(j0)] = p[z(j1)];
      j0 = j1;
    } while (j0 != 0);
  }
  double total = 0.0;
  for (int j = 1; j <= w; ++j) {
    if (p[z(j)] != 0) total += a(p[z(j)], j);
  }
  if (total > threshold) return std::nullopt;
  return total;
}

TEST(Assignment, MatchesReferenceHungarianOnMediumMatrices) {
  // Sizes where the Jonker-Volgenant initialisation's step budget sometimes runs out and where
  // ties leave many rows to the augmenting paths.
  RngStream rng = Rng(1990).stream("test/assignment/reference");
  constexpr double kForbiddenShare[] = {0.0, 0.5, 0.9, 0.97};
  int feasible = 0, infeasible = 0;
  for (int trial = 0; trial < 80; ++trial) {
    const int rows = 10 + static_cast<int>(rng.below(141));
    const int cols = trial % 2 == 0 ? rows : 10 + static_cast<int>(rng.below(141));
    const int style = static_cast<int>(rng.below(4));
    const double p = kForbiddenShare[rng.below(4)];
    const Matrix m = random_matrix(rng, rows, cols, style, p);
    SCOPED_TRACE(::testing::Message() << "trial " << trial << ": " << rows << " x " << cols
                                      << ", style " << style << ", forbidden " << p);
    const auto expected = reference_optimum(m);
    const auto got = solve(m);
    if (!expected) {
      ++infeasible;
      ASSERT_TRUE(is_infeasible_error(got)) << (got ? "solved with cost " + std::to_string(got->total_cost)
                                                    : got.error().message);
      continue;
    }
    ++feasible;
    ASSERT_TRUE(got) << got.error().message << " but the reference found " << *expected;
    ASSERT_TRUE(is_valid(m, *got));
    ASSERT_TRUE(near(got->total_cost, *expected)) << got->total_cost << " vs reference " << *expected;
  }
  EXPECT_GT(feasible, 40);
  EXPECT_GT(infeasible, 5);
}

TEST(Assignment, IdentityIsOptimalWhenTheDiagonalIsFree) {
  Matrix m{5, 5, std::vector<double>(25, 1.0)};
  for (int i = 0; i < 5; ++i) m.cost[static_cast<std::size_t>(i * 6)] = 0.0;
  const auto a = solve(m);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->row_to_col, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(a->col_to_row, (std::vector<int>{0, 1, 2, 3, 4}));
  EXPECT_EQ(a->total_cost, 0.0);
}

TEST(Assignment, ClassicThreeByThree) {
  // The scipy.optimize.linear_sum_assignment documentation example: optimum 1 + 2 + 2 = 5.
  const Matrix m{3, 3, {4, 1, 3, 2, 0, 5, 3, 2, 2}};
  const auto a = solve(m);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->row_to_col, (std::vector<int>{1, 0, 2}));
  EXPECT_EQ(a->col_to_row, (std::vector<int>{1, 0, 2}));
  EXPECT_EQ(a->total_cost, 5.0);
}

TEST(Assignment, WideTwoByFour) {
  // Row 1's cheapest column (2) is also the best global choice once row 0 takes column 1.
  const Matrix m{2, 4, {9, 2, 7, 8,  //
                        6, 4, 3, 7}};
  const auto a = solve(m);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->row_to_col, (std::vector<int>{1, 2}));
  EXPECT_EQ(a->col_to_row, (std::vector<int>{-1, 0, 1, -1}));
  EXPECT_EQ(a->total_cost, 5.0);
}

TEST(Assignment, TallFourByTwo) {
  // Greedy column by column would give column 0 to row 2 (1) and column 1 to row 1 (5): 6.
  // The optimum gives column 0 to row 3 (2) and column 1 to row 2 (1): 3.
  const Matrix m{4, 2, {8, 9,  //
                        6, 5,  //
                        1, 1,  //
                        2, 7}};
  const auto a = solve(m);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->row_to_col, (std::vector<int>{-1, -1, 1, 0}));
  EXPECT_EQ(a->col_to_row, (std::vector<int>{3, 2}));
  EXPECT_EQ(a->total_cost, 3.0);
}

TEST(Assignment, NegativeCostsAreMinimisedNotAvoided) {
  const Matrix m{2, 3, {-5, -1, 0,  //
                        -4, 2, -3}};
  const auto a = solve(m);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->row_to_col, (std::vector<int>{0, 2}));
  EXPECT_EQ(a->total_cost, -8.0);
}

TEST(Assignment, ForbiddenPairsAreAvoided) {
  // The cheap diagonal is forbidden except at (2, 2).
  const Matrix m{3, 3, {kForbidden, 1, 9,  //
                        1, kForbidden, 9,  //
                        9, 9, 0}};
  const auto a = solve(m);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->row_to_col, (std::vector<int>{1, 0, 2}));
  EXPECT_EQ(a->total_cost, 2.0);
}

TEST(Assignment, AllForbiddenRowIsInfeasible) {
  const Matrix m{3, 3, {1, 2, 3,  //
                        kForbidden, kForbidden, kForbidden,  //
                        4, 5, 6}};
  const auto a = solve(m);
  ASSERT_FALSE(a);
  EXPECT_TRUE(is_infeasible_error(a)) << a.error().message;
}

TEST(Assignment, HallViolationIsInfeasible) {
  // Every row has an allowed pair, but rows 0-2 share only columns 0 and 1.
  const Matrix m{4, 4, {1, 1, kForbidden, kForbidden,  //
                        1, 1, kForbidden, kForbidden,  //
                        1, 1, kForbidden, kForbidden,  //
                        1, 1, 1, 1}};
  EXPECT_TRUE(is_infeasible_error(solve(m)));
}

TEST(Assignment, SpareSideMayBeEntirelyForbidden) {
  // A column of a wide matrix, or a row of a tall one, need not be used, so it may be all forbidden.
  const Matrix wide{2, 3, {1, kForbidden, 2,  //
                           3, kForbidden, 1}};
  const auto a = solve(wide);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->col_to_row, (std::vector<int>{0, -1, 1}));
  const Matrix tall{3, 2, {1, 3,  //
                           kForbidden, kForbidden,  //
                           2, 1}};
  const auto b = solve(tall);
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->row_to_col, (std::vector<int>{0, -1, 1}));
  EXPECT_EQ(b->total_cost, 2.0);
}

TEST(Assignment, EmptyInputGivesEmptyAssignment) {
  for (const auto& [rows, cols] : {std::pair{0, 0}, std::pair{0, 3}, std::pair{4, 0}}) {
    const auto a = solve_assignment({}, rows, cols);
    ASSERT_TRUE(a) << a.error().message;
    EXPECT_EQ(a->row_to_col, std::vector<int>(static_cast<std::size_t>(rows), -1));
    EXPECT_EQ(a->col_to_row, std::vector<int>(static_cast<std::size_t>(cols), -1));
    EXPECT_EQ(a->total_cost, 0.0);
  }
}

TEST(Assignment, NaNAndMinusInfinityAreErrorsNamingTheCell) {
  Matrix m{2, 3, {1, 2, 3, 4, 5, 6}};
  m.cost[5] = kNaN;
  const auto a = solve(m);
  ASSERT_FALSE(a);
  EXPECT_EQ(a.error().code, Errc::invalid_argument);
  EXPECT_THAT(a.error().message, HasSubstr("row 1, column 2"));
  EXPECT_THAT(a.error().message, HasSubstr("NaN"));

  m.cost[5] = 6;
  m.cost[1] = -kForbidden;
  const auto b = solve(m);
  ASSERT_FALSE(b);
  EXPECT_THAT(b.error().message, HasSubstr("row 0, column 1"));
  EXPECT_THAT(b.error().message, HasSubstr("-inf"));
}

TEST(Assignment, BadSizesAreErrors) {
  const std::vector<double> six(6, 1.0);
  for (const auto& [rows, cols] : {std::pair{2, 2}, std::pair{3, 3}, std::pair{6, 0}, std::pair{-2, -3},
                                   std::pair{-1, 6}, std::pair{INT_MAX, INT_MAX}, std::pair{INT_MAX, 2}}) {
    const auto a = solve_assignment(six, rows, cols);
    ASSERT_FALSE(a) << rows << " x " << cols;
    EXPECT_EQ(a.error().code, Errc::invalid_argument);
    EXPECT_THAT(a.error().message, HasSubstr("assignment")) << a.error().message;
  }
  EXPECT_TRUE(solve_assignment(six, 2, 3));
  EXPECT_TRUE(solve_assignment(six, 6, 1));
}

TEST(Assignment, CostsTooLargeToAddAreErrors) {
  const auto big = std::numeric_limits<double>::max() / 4;
  const auto a = solve(Matrix{2, 2, {big, -big, 0, big}});
  ASSERT_FALSE(a);
  EXPECT_THAT(a.error().message, HasSubstr("overflow"));
  const auto b = solve(Matrix{2, 2, {1e300, -1e300, 0, 1e300}});
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->total_cost, -1e300);
}

// Necessary optimality conditions that are cheap to check on a large solution: no two assigned
// pairs gain by exchanging columns, and no assigned pair gains by moving to a free row or column.
::testing::AssertionResult no_improving_swap(const Matrix& m, const Assignment& a) {
  constexpr double kTol = 1e-9;
  for (int i = 0; i < m.rows; ++i) {
    const int ci = a.row_to_col[static_cast<std::size_t>(i)];
    if (ci < 0) continue;
    for (int k = i + 1; k < m.rows; ++k) {
      const int ck = a.row_to_col[static_cast<std::size_t>(k)];
      if (ck < 0) continue;
      if (m.at(i, ck) + m.at(k, ci) < m.at(i, ci) + m.at(k, ck) - kTol) {
        return ::testing::AssertionFailure() << "rows " << i << " and " << k << " gain by swapping";
      }
    }
    for (int j = 0; j < m.cols; ++j) {
      if (a.col_to_row[static_cast<std::size_t>(j)] < 0 && m.at(i, j) < m.at(i, ci) - kTol) {
        return ::testing::AssertionFailure() << "row " << i << " gains by moving to free column " << j;
      }
    }
    for (int r = 0; r < m.rows; ++r) {
      if (a.row_to_col[static_cast<std::size_t>(r)] < 0 && m.at(r, ci) < m.at(i, ci) - kTol) {
        return ::testing::AssertionFailure() << "free row " << r << " is cheaper in column " << ci;
      }
    }
  }
  return ::testing::AssertionSuccess();
}

Matrix transposed(const Matrix& m) {
  Matrix t{m.cols, m.rows, std::vector<double>(m.cost.size())};
  for (int i = 0; i < m.rows; ++i) {
    for (int j = 0; j < m.cols; ++j) t.cost[static_cast<std::size_t>(j * m.rows + i)] = m.at(i, j);
  }
  return t;
}

TEST(Assignment, LargeSolutionsAreConsistent) {
  RngStream rng = Rng(7).stream("test/assignment/large");
  struct Case {
    int rows, cols, style;
    double p_forbidden;
  };
  for (const Case c : {Case{200, 200, 0, 0.0}, Case{200, 200, 3, 0.0}, Case{150, 260, 1, 0.5},
                       Case{260, 150, 2, 0.5}}) {
    SCOPED_TRACE(::testing::Message() << c.rows << " x " << c.cols << ", style " << c.style);
    const Matrix m = random_matrix(rng, c.rows, c.cols, c.style, c.p_forbidden);
    const auto a = solve(m);
    ASSERT_TRUE(a) << a.error().message;
    ASSERT_TRUE(is_valid(m, *a));
    EXPECT_TRUE(no_improving_swap(m, *a));
    // The optimum is invariant under transposition.
    const auto t = solve(transposed(m));
    ASSERT_TRUE(t) << t.error().message;
    EXPECT_TRUE(near(t->total_cost, a->total_cost)) << t->total_cost << " vs " << a->total_cost;
  }
}

TEST(Assignment, OptimumShiftsWithRowOffsetsAndIgnoresPermutation) {
  // Adding d_i to every entry of row i adds sum(d) to every full assignment, so the optimum moves
  // by exactly that; relabelling rows and columns does not change it. Both fail for a solver that
  // returns a merely good assignment.
  RngStream rng = Rng(11).stream("test/assignment/shift");
  const Matrix m = random_matrix(rng, 120, 160, 0, 0.2);
  const auto base = solve(m);
  ASSERT_TRUE(base) << base.error().message;

  Matrix shifted = m;
  double shift_sum = 0.0;
  for (int i = 0; i < m.rows; ++i) {
    const double d = rng.uniform(-50.0, 50.0);
    shift_sum += d;
    for (int j = 0; j < m.cols; ++j) shifted.cost[static_cast<std::size_t>(i * m.cols + j)] += d;
  }
  const auto s = solve(shifted);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_NEAR(s->total_cost, base->total_cost + shift_sum, 1e-8);

  std::vector<int> row_perm(static_cast<std::size_t>(m.rows)), col_perm(static_cast<std::size_t>(m.cols));
  std::iota(row_perm.begin(), row_perm.end(), 0);
  std::iota(col_perm.begin(), col_perm.end(), 0);
  for (auto* perm : {&row_perm, &col_perm}) {
    for (std::size_t k = perm->size() - 1; k > 0; --k) std::swap((*perm)[k], (*perm)[rng.below(k + 1)]);
  }
  Matrix permuted{m.rows, m.cols, std::vector<double>(m.cost.size())};
  for (int i = 0; i < m.rows; ++i) {
    for (int j = 0; j < m.cols; ++j) {
      permuted.cost[static_cast<std::size_t>(i * m.cols + j)] =
          m.at(row_perm[static_cast<std::size_t>(i)], col_perm[static_cast<std::size_t>(j)]);
    }
  }
  const auto p = solve(permuted);
  ASSERT_TRUE(p) << p.error().message;
  EXPECT_NEAR(p->total_cost, base->total_cost, 1e-9);
}

TEST(Assignment, DummyColumnsLetRowsStayUnassigned) {
  // The documented pattern: one dummy column per row holding its non-assignment cost.
  // Row 0 prefers its dummy (cost 3) to its only real pair (cost 10).
  constexpr double F = kForbidden;
  const Matrix m{2, 4, {10, F, 3, F,  //
                        1, 20, F, 3}};
  const auto a = solve(m);
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->row_to_col, (std::vector<int>{2, 0}));
  EXPECT_EQ(a->total_cost, 4.0);
}

}  // namespace
}  // namespace jrads
