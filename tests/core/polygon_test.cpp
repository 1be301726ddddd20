#include "jrads/core/polygon.hpp"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "jrads/core/rng.hpp"

namespace jrads {
namespace {

using L = PointLocation;

// A concave "C": a 10 x 10 square with the notch x in (3, 10), y in (3, 7) cut out.
const std::vector<Point2> kC = {{0, 0}, {10, 0}, {10, 3}, {3, 3}, {3, 7}, {10, 7}, {10, 10}, {0, 10}};

TEST(Polygon, ConcavePolygonInsideOutsideAndTheNotch) {
  EXPECT_EQ(locate_point(kC, {1, 5}), L::inside);
  EXPECT_EQ(locate_point(kC, {5, 1}), L::inside);
  EXPECT_EQ(locate_point(kC, {5, 5}), L::outside);  // in the notch
  EXPECT_EQ(locate_point(kC, {8, 9}), L::inside);
  EXPECT_EQ(locate_point(kC, {11, 5}), L::outside);
  EXPECT_EQ(locate_point(kC, {-0.001, 5}), L::outside);
}

TEST(Polygon, PointsOnEdgesAndVerticesAreOnTheBoundary) {
  for (const Point2& v : kC) EXPECT_EQ(locate_point(kC, v), L::on_boundary) << v.x_m << "," << v.y_m;
  EXPECT_EQ(locate_point(kC, {5, 0}), L::on_boundary);
  EXPECT_EQ(locate_point(kC, {3, 5}), L::on_boundary);   // the notch's inner edge
  EXPECT_EQ(locate_point(kC, {6.5, 7}), L::on_boundary);
  EXPECT_EQ(locate_point(kC, {0, 10}), L::on_boundary);
  // Just off an edge, both sides, beyond the tolerance.
  EXPECT_EQ(locate_point(kC, {5, 3.001}, 1e-4), L::outside);
  EXPECT_EQ(locate_point(kC, {5, 2.999}, 1e-4), L::inside);
  EXPECT_EQ(locate_point(kC, {5, 3.001}, 0.01), L::on_boundary);
}

TEST(Polygon, RaysThroughVerticesCountOnce) {
  // Points level with vertices: the half-open rule must not count a vertex twice.
  EXPECT_EQ(locate_point(kC, {1, 3}), L::inside);
  EXPECT_EQ(locate_point(kC, {1, 7}), L::inside);
  EXPECT_EQ(locate_point(kC, {-1, 3}), L::outside);
  EXPECT_EQ(locate_point(kC, {-1, 10}), L::outside);
  const std::vector<Point2> diamond = {{0, -1}, {1, 0}, {0, 1}, {-1, 0}};
  EXPECT_EQ(locate_point(diamond, {-0.5, 0}), L::inside);
  EXPECT_EQ(locate_point(diamond, {-2, 0}), L::outside);
  EXPECT_EQ(locate_point(diamond, {2, 0}), L::outside);
}

TEST(Polygon, RandomPointsAgreeWithAGridOfSquares) {
  // A staircase polygon of unit squares, so membership is known exactly from the floor.
  const std::vector<Point2> stairs = {{0, 0}, {3, 0}, {3, 1}, {2, 1}, {2, 2}, {1, 2}, {1, 3}, {0, 3}};
  auto in_stairs = [](double x, double y) {
    const int cx = static_cast<int>(std::floor(x)), cy = static_cast<int>(std::floor(y));
    return cx >= 0 && cy >= 0 && cx + cy <= 2;
  };
  RngStream rng = Rng(3).stream("core/polygon");
  for (int k = 0; k < 20000; ++k) {
    const Point2 p{rng.uniform(-0.5, 3.5), rng.uniform(-0.5, 3.5)};
    const L where = locate_point(stairs, p, 1e-9);
    if (where == L::on_boundary) continue;  // measure zero
    EXPECT_EQ(where == L::inside, in_stairs(p.x_m, p.y_m)) << p.x_m << "," << p.y_m;
  }
}

TEST(Polygon, SimplicityErrorsNameTheEdges) {
  EXPECT_TRUE(check_simple_polygon(kC));
  auto message = [](const std::vector<Point2>& ring) {
    const auto r = check_simple_polygon(ring);
    return r ? std::string() : r.error().message;
  };
  EXPECT_EQ(message({{0, 0}, {10, 10}, {10, 0}, {0, 10}}), "edges 0-1 and 2-3 cross or touch; the polygon must be simple");
  EXPECT_EQ(message({{0, 0}, {1, 0}}), "a polygon needs at least 3 distinct vertices, got 2");
  EXPECT_EQ(message({{0, 0}, {1, 0}, {1, 0.001}, {0, 1}}), "vertices 1 and 2 coincide (closer than 1 cm)");
  EXPECT_EQ(message({{0, 0}, {2, 0}, {1, 0}}), "edges 0-1 and 1-2 fold back over each other");
  EXPECT_EQ(message({{0, 0}, {NAN, 0}, {1, 1}}), "a vertex is not finite");
  // A vertex touching another edge (a pinched polygon).
  EXPECT_NE(message({{0, 0}, {4, 0}, {4, 4}, {2, 0}, {0, 4}}).find("cross or touch"), std::string::npos);
}

TEST(Polygon, DistanceToAPolyline) {
  const std::vector<Point2> line = {{0, 0}, {10, 0}, {10, 10}};
  EXPECT_DOUBLE_EQ(distance_to_polyline(line, {5, 3}), 3.0);
  EXPECT_DOUBLE_EQ(distance_to_polyline(line, {13, 5}), 3.0);
  EXPECT_DOUBLE_EQ(distance_to_polyline(line, {-3, -4}), 5.0);  // beyond an end: to the end point
  EXPECT_DOUBLE_EQ(distance_to_polyline(std::vector<Point2>{{1, 1}}, {4, 5}), 5.0);
  EXPECT_TRUE(std::isinf(distance_to_polyline({}, {0, 0})));
  EXPECT_DOUBLE_EQ(distance_to_segment({0, 0}, {0, 0}, {3, 4}), 5.0);
}

}  // namespace
}  // namespace jrads
