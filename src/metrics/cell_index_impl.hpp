#pragma once
// Private to jrads::metrics: a static spatial hash of points on cubes of a fixed side, for
// finding every point within a distance <= side of a query point.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Core>

namespace jrads::metrics::detail {

class CellIndex {
 public:
  // side_m > 0. The index keeps only cells and indices, not the points.
  CellIndex(std::span<const Eigen::Vector3d> points, double side_m) : side_m_(side_m) {
    entries_.reserve(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) entries_.push_back({cell_of(points[i]), static_cast<int>(i)});
    std::sort(entries_.begin(), entries_.end());
  }

  // Calls fn(index) for every point in the 27 cubes around p: a superset of the points within
  // side_m of p. Each point is visited at most once, in increasing cell then index order.
  template <class Fn>
  void for_each_near(const Eigen::Vector3d& p, Fn&& fn) const {
    const Cell c = cell_of(p);
    for (std::int64_t dx = -1; dx <= 1; ++dx) {
      for (std::int64_t dy = -1; dy <= 1; ++dy) {
        for (std::int64_t dz = -1; dz <= 1; ++dz) {
          const Entry lo{{c[0] + dx, c[1] + dy, c[2] + dz}, -1};
          for (auto it = std::lower_bound(entries_.begin(), entries_.end(), lo);
               it != entries_.end() && it->cell == lo.cell; ++it) {
            fn(it->index);
          }
        }
      }
    }
  }

 private:
  using Cell = std::array<std::int64_t, 3>;
  struct Entry {
    Cell cell;
    int index;
    auto operator<=>(const Entry&) const = default;
  };

  [[nodiscard]] Cell cell_of(const Eigen::Vector3d& p) const {
    Cell c{};
    for (int k = 0; k < 3; ++k) {
      // Clamped so that the conversion is defined for any finite coordinate; points that far
      // out share a cell, which only costs time.
      const double q = std::clamp(std::floor(p[k] / side_m_), -1e15, 1e15);
      c[static_cast<std::size_t>(k)] = static_cast<std::int64_t>(q);
    }
    return c;
  }

  double side_m_;
  std::vector<Entry> entries_;
};

}  // namespace jrads::metrics::detail
