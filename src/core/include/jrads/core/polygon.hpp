#pragma once
// Planar polygon geometry in metres (a local ENU plane, or any plane whose units are metres):
// simplicity checks for validating input, and point location that says when a point lies on
// the boundary (zone rules treat edges and vertices explicitly).
//
//   const std::vector<Point2> square = {{0, 0}, {10, 0}, {10, 10}, {0, 10}};
//   locate_point(square, {5, 0}) == PointLocation::on_boundary;
#include <cstdint>
#include <span>

#include "jrads/core/result.hpp"

namespace jrads {

struct Point2 {
  double x_m = 0.0;
  double y_m = 0.0;
};

// A simple polygon: >= 3 vertices (no closing repeat), no two closer than 1 cm, no two
// neighbouring edges folding back over each other, no two other edges crossing or touching.
// Errc::invalid_argument naming the vertices or edges (0-based; edge i runs from vertex i to
// i + 1), e.g. "edges 0-1 and 2-3 cross or touch; the polygon must be simple".
[[nodiscard]] Result<void> check_simple_polygon(std::span<const Point2> ring);

enum class PointLocation : std::uint8_t { outside, on_boundary, inside };
[[nodiscard]] const char* to_string(PointLocation l) noexcept;

// Where p lies with respect to a simple polygon (convex or not): on its boundary when within
// tolerance_m of an edge or vertex, else inside or outside (even-odd rule).
[[nodiscard]] PointLocation locate_point(std::span<const Point2> ring, Point2 p, double tolerance_m = 1e-6) noexcept;

// Shortest distance from p to the segment ab, and to a polyline (>= 1 point).
[[nodiscard]] double distance_to_segment(Point2 a, Point2 b, Point2 p) noexcept;
[[nodiscard]] double distance_to_polyline(std::span<const Point2> line, Point2 p) noexcept;

}  // namespace jrads
