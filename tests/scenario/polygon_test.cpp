// simple_polygon_area_m2: simplicity checks and ellipsoidal area.
#include "jrads/scenario/polygon.hpp"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "jrads/core/geodesy.hpp"

namespace jrads::scenario {
namespace {

using world::LatLon;

// A rectangle of about w x h metres with its south-west corner at (lat, lon).
std::vector<LatLon> rectangle(double lat, double lon, double w_m, double h_m) {
  const Geodetic sw{lat, lon, 0.0};
  const Geodetic se = geodesic_direct(sw, 90.0, w_m);
  const Geodetic nw = geodesic_direct(sw, 0.0, h_m);
  const Geodetic ne = geodesic_direct(se, 0.0, h_m);
  return {{sw.lat_deg, sw.lon_deg}, {se.lat_deg, se.lon_deg}, {ne.lat_deg, ne.lon_deg}, {nw.lat_deg, nw.lon_deg}};
}

template <class T>
std::string message(const Result<T>& r) { return r ? "" : r.error().message; }

TEST(Polygon, RectangleAreaMatchesItsSides) {
  for (const double lat : {0.0, 44.3, -60.0, 80.0}) {
    const auto r = simple_polygon_area_m2(rectangle(lat, 19.6, 250.0, 200.0));
    ASSERT_TRUE(r) << message(r);
    EXPECT_NEAR(*r, 50000.0, 50.0) << lat;  // 0.1 %: the sides are geodesics, not exact rhumb lines
  }
}

TEST(Polygon, OrientationAndClosingVertexDoNotMatter) {
  auto ring = rectangle(44.3, 19.6, 250.0, 200.0);
  const double ccw = *simple_polygon_area_m2(ring);
  std::vector<LatLon> cw(ring.rbegin(), ring.rend());
  EXPECT_NEAR(*simple_polygon_area_m2(cw), ccw, 1e-6);
  ring.push_back(ring.front());
  EXPECT_NEAR(*simple_polygon_area_m2(ring), ccw, 1e-6);
}

TEST(Polygon, ConcavePolygonIsSimple) {
  // An L shape: 3 of 4 unit squares of 100 m.
  const Geodetic o{45.0, 20.0, 0.0};
  auto at = [&](double e, double n) {
    const Geodetic p = geodesic_direct(geodesic_direct(o, 90.0, e), 0.0, n);
    return LatLon{p.lat_deg, p.lon_deg};
  };
  const std::vector<LatLon> l = {at(0, 0), at(200, 0), at(200, 100), at(100, 100), at(100, 200), at(0, 200)};
  const auto r = simple_polygon_area_m2(l);
  ASSERT_TRUE(r) << message(r);
  EXPECT_NEAR(*r, 30000.0, 30.0);
}

TEST(Polygon, BowTieIsRejected) {
  auto ring = rectangle(44.3, 19.6, 250.0, 200.0);
  std::swap(ring[1], ring[2]);
  const auto r = simple_polygon_area_m2(ring);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  EXPECT_NE(message(r).find("edges 0-1 and 2-3 cross"), std::string::npos) << message(r);
}

TEST(Polygon, VertexTouchingAnEdgeIsRejected) {
  const Geodetic o{45.0, 20.0, 0.0};
  auto at = [&](double e, double n) {
    const Geodetic p = geodesic_direct(geodesic_direct(o, 90.0, e), 0.0, n);
    return LatLon{p.lat_deg, p.lon_deg};
  };
  // Vertex 4 lies on edge 0-1.
  const std::vector<LatLon> ring = {at(0, 0), at(200, 0), at(200, 100), at(150, 100), at(100, 0), at(0, 100)};
  const auto r = simple_polygon_area_m2(ring);
  ASSERT_FALSE(r);
  EXPECT_NE(message(r).find("cross or touch"), std::string::npos) << message(r);
}

TEST(Polygon, DegenerateRingsAreRejected) {
  EXPECT_NE(message(simple_polygon_area_m2(std::vector<LatLon>{{45, 20}, {45.001, 20}})).find("at least 3"),
            std::string::npos);
  EXPECT_NE(message(simple_polygon_area_m2(std::vector<LatLon>{{45, 20}, {45.001, 20}, {45, 20}})).find("at least 3"),
            std::string::npos);
  EXPECT_NE(message(simple_polygon_area_m2(std::vector<LatLon>{{45, 20}, {45.001, 20}, {45.002, 20}})).find("fold back"),
            std::string::npos);
  EXPECT_NE(
      message(simple_polygon_area_m2(std::vector<LatLon>{{45, 20}, {45.002, 20}, {45.001, 20}})).find("fold back"),
      std::string::npos);
  EXPECT_NE(message(simple_polygon_area_m2(std::vector<LatLon>{{45, 20}, {45.001, 20}, {45.001, 20.001}, {45.001, 20}}))
                .find("coincide"),
            std::string::npos);
}

TEST(Polygon, InvalidAndDistantVerticesAreRejected) {
  EXPECT_NE(message(simple_polygon_area_m2(std::vector<LatLon>{{45, 20}, {NAN, 20}, {45, 20.1}})).find("vertex 1"),
            std::string::npos);
  EXPECT_NE(message(simple_polygon_area_m2(std::vector<LatLon>{{45, 20}, {91, 20}, {45, 20.1}})).find("vertex 1"),
            std::string::npos);
  EXPECT_NE(message(simple_polygon_area_m2(std::vector<LatLon>{{45, 20}, {46, 20}, {45, 21.5}})).find("at most 100 km"),
            std::string::npos);
}

TEST(Polygon, TooManyVerticesAreRejected) {
  std::vector<LatLon> ring;
  for (std::size_t i = 0; i <= max_plot_vertices; ++i) {
    const double a = 2.0 * 3.141592653589793 * static_cast<double>(i) / static_cast<double>(max_plot_vertices + 1);
    ring.push_back({45.0 + 0.01 * std::sin(a), 20.0 + 0.01 * std::cos(a)});
  }
  EXPECT_NE(message(simple_polygon_area_m2(ring)).find("at most 1000 vertices"), std::string::npos);
  ring.resize(max_plot_vertices);
  EXPECT_TRUE(simple_polygon_area_m2(ring));
}

TEST(Polygon, LatLonPolygonsOfAnySizeAreCheckedForSimplicity) {
  // A border region 800 km wide: too big for a plot, a valid area.
  EXPECT_TRUE(check_simple_latlon_polygon(std::vector<LatLon>{{45.5, 16.5}, {45.5, 23.5}, {47, 23.5}, {47, 16.5}}));
  // Concave (an L) is fine; explicitly closed too.
  EXPECT_TRUE(check_simple_latlon_polygon(
      std::vector<LatLon>{{45, 17}, {45, 23}, {46, 23}, {46, 20}, {47, 20}, {47, 17}, {45, 17}}));
  EXPECT_NE(message(check_simple_latlon_polygon(std::vector<LatLon>{{45.5, 16.5}, {47, 23.5}, {45.5, 23.5}, {47, 16.5}}))
                .find("edges 0-1 and 2-3 cross"),
            std::string::npos);
  EXPECT_NE(message(check_simple_latlon_polygon(std::vector<LatLon>{{45, 17}, {46, 18}})).find("at least 3"),
            std::string::npos);
  EXPECT_NE(message(check_simple_latlon_polygon(std::vector<LatLon>{{45, 17}, {45, 18}, {45, 17.5}})).find("fold back"),
            std::string::npos);
  EXPECT_NE(message(check_simple_latlon_polygon(std::vector<LatLon>{{45, 17}, {95, 18}, {46, 17.5}})).find("vertex 1"),
            std::string::npos);
}

}  // namespace
}  // namespace jrads::scenario
