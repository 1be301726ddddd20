#include "jrads/core/polygon.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace jrads {

namespace {

double cross(Point2 o, Point2 a, Point2 b) noexcept { return (a.x_m - o.x_m) * (b.y_m - o.y_m) - (a.y_m - o.y_m) * (b.x_m - o.x_m); }

// Orientation with a tolerance: areas below 1e-6 m^2 count as collinear.
int orient(Point2 o, Point2 a, Point2 b) noexcept {
  const double c = cross(o, a, b);
  constexpr double eps = 1e-6;
  return c > eps ? 1 : (c < -eps ? -1 : 0);
}

bool on_segment(Point2 a, Point2 b, Point2 p) noexcept {
  constexpr double eps = 1e-6;
  return p.x_m >= std::min(a.x_m, b.x_m) - eps && p.x_m <= std::max(a.x_m, b.x_m) + eps &&
         p.y_m >= std::min(a.y_m, b.y_m) - eps && p.y_m <= std::max(a.y_m, b.y_m) + eps;
}

// Closed segments ab and cd share at least one point.
bool segments_touch(Point2 a, Point2 b, Point2 c, Point2 d) noexcept {
  const int o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
  if (o1 * o2 < 0 && o3 * o4 < 0) return true;  // a proper crossing
  return (o1 == 0 && on_segment(a, b, c)) || (o2 == 0 && on_segment(a, b, d)) || (o3 == 0 && on_segment(c, d, a)) ||
         (o4 == 0 && on_segment(c, d, b));
}

std::string edge_name(std::size_t i, std::size_t n) {
  std::string s = std::to_string(i);
  s += "-";
  s += std::to_string((i + 1) % n);
  return s;
}

}  // namespace

Result<void> check_simple_polygon(std::span<const Point2> pts) {
  const std::size_t n = pts.size();
  for (const Point2& p : pts) {
    if (!std::isfinite(p.x_m) || !std::isfinite(p.y_m)) return fail(Errc::invalid_argument, "a vertex is not finite");
  }
  if (n < 3) return fail(Errc::invalid_argument, "a polygon needs at least 3 distinct vertices, got " + std::to_string(n));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 1; j < n; ++j) {
      if (std::hypot(pts[i].x_m - pts[j].x_m, pts[i].y_m - pts[j].y_m) < 0.01) {
        return fail(Errc::invalid_argument,
                    "vertices " + std::to_string(i) + " and " + std::to_string(j) + " coincide (closer than 1 cm)");
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Point2 a = pts[i], b = pts[(i + 1) % n];
    // Neighbouring edges share a vertex; they must not fold back over each other.
    const Point2 c = pts[(i + 2) % n];
    if (orient(a, b, c) == 0 && (b.x_m - a.x_m) * (c.x_m - b.x_m) + (b.y_m - a.y_m) * (c.y_m - b.y_m) < 0) {
      return fail(Errc::invalid_argument, "edges " + edge_name(i, n) + " and " + edge_name((i + 1) % n, n) +
                                              " fold back over each other");
    }
    for (std::size_t j = i + 2; j < n; ++j) {
      if (i == 0 && j == n - 1) continue;  // the closing edge neighbours edge 0
      if (segments_touch(a, b, pts[j], pts[(j + 1) % n])) {
        return fail(Errc::invalid_argument, "edges " + edge_name(i, n) + " and " + edge_name(j, n) +
                                                " cross or touch; the polygon must be simple");
      }
    }
  }
  return {};
}

const char* to_string(PointLocation l) noexcept {
  switch (l) {
    case PointLocation::outside: return "outside";
    case PointLocation::on_boundary: return "on_boundary";
    case PointLocation::inside: return "inside";
  }
  return "?";
}

double distance_to_segment(Point2 a, Point2 b, Point2 p) noexcept {
  const double dx = b.x_m - a.x_m, dy = b.y_m - a.y_m;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0.0 ? ((p.x_m - a.x_m) * dx + (p.y_m - a.y_m) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(p.x_m - (a.x_m + t * dx), p.y_m - (a.y_m + t * dy));
}

double distance_to_polyline(std::span<const Point2> line, Point2 p) noexcept {
  if (line.empty()) return std::numeric_limits<double>::infinity();
  if (line.size() == 1) return std::hypot(p.x_m - line[0].x_m, p.y_m - line[0].y_m);
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i + 1 < line.size(); ++i) best = std::min(best, distance_to_segment(line[i], line[i + 1], p));
  return best;
}

PointLocation locate_point(std::span<const Point2> ring, Point2 p, double tolerance_m) noexcept {
  const std::size_t n = ring.size();
  if (n < 3) return PointLocation::outside;
  bool inside = false;
  for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
    const Point2 a = ring[i], b = ring[j];
    if (distance_to_segment(a, b, p) <= tolerance_m) return PointLocation::on_boundary;
    // Even-odd crossing of the ray to +x: half-open in y, so a vertex is counted once.
    if ((a.y_m > p.y_m) != (b.y_m > p.y_m)) {
      const double x_at = a.x_m + (p.y_m - a.y_m) / (b.y_m - a.y_m) * (b.x_m - a.x_m);
      if (p.x_m < x_at) inside = !inside;
    }
  }
  return inside ? PointLocation::inside : PointLocation::outside;
}

}  // namespace jrads
