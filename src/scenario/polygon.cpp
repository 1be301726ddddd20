#include "jrads/scenario/polygon.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/PolygonArea.hpp>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/polygon.hpp"
#include "jrads/core/units.hpp"

namespace jrads::scenario {
namespace {

// Validates the vertices and removes an explicit closing vertex.
Result<std::vector<world::LatLon>> ring_of(std::span<const world::LatLon> ring_in) {
  std::vector<world::LatLon> ring(ring_in.begin(), ring_in.end());
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const auto& v = ring[i];
    if (!std::isfinite(v.lat_deg) || !std::isfinite(v.lon_deg) || v.lat_deg < -90.0 || v.lat_deg > 90.0 ||
        v.lon_deg < -180.0 || v.lon_deg > 180.0) {
      return fail(Errc::invalid_argument, "vertex " + std::to_string(i) +
                                              " is not a valid position (lat in [-90, 90], lon in [-180, 180])");
    }
  }
  if (ring.size() >= 2 && ring.front().lat_deg == ring.back().lat_deg && ring.front().lon_deg == ring.back().lon_deg) {
    ring.pop_back();  // an explicitly closed ring
  }
  const std::size_t n = ring.size();
  if (n < 3) {
    return fail(Errc::invalid_argument,
                "a polygon needs at least 3 distinct vertices, got " + std::to_string(n));
  }
  if (n > max_plot_vertices) {
    return fail(Errc::invalid_argument, "a polygon may have at most " + std::to_string(max_plot_vertices) +
                                            " vertices, got " + std::to_string(n));
  }
  return ring;
}

}  // namespace

Result<double> simple_polygon_area_m2(std::span<const world::LatLon> ring_in) {
  auto checked = ring_of(ring_in);
  if (!checked) return fail(checked.error());
  const std::vector<world::LatLon>& ring = *checked;
  const std::size_t n = ring.size();
  const LocalFrame frame(Geodetic{ring[0].lat_deg, ring[0].lon_deg, 0.0});
  std::vector<Point2> pts;
  pts.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto dist = geodesic_inverse(ring[0].lat_deg, ring[0].lon_deg, ring[i].lat_deg, ring[i].lon_deg).distance_m;
    if (!(dist <= max_plot_extent_m)) {
      return fail(Errc::invalid_argument, "vertex " + std::to_string(i) + " lies " +
                                              std::to_string(static_cast<long long>(dist / 1000.0)) +
                                              " km from vertex 0; a plot spans at most " +
                                              std::to_string(static_cast<int>(max_plot_extent_m / 1000.0)) + " km");
    }
    const Enu e = frame.enu_from_geodetic(Geodetic{ring[i].lat_deg, ring[i].lon_deg, 0.0});
    pts.push_back({e.e_m, e.n_m});
  }
  if (auto simple = check_simple_polygon(pts); !simple) return fail(simple.error());
  GeographicLib::PolygonArea poly(GeographicLib::Geodesic::WGS84(), false);
  for (const auto& v : ring) poly.AddPoint(v.lat_deg, v.lon_deg);
  double perimeter_m = 0.0, area_m2 = 0.0;
  poly.Compute(false, true, perimeter_m, area_m2);
  area_m2 = std::abs(area_m2);
  if (!(area_m2 >= 1.0)) {
    return fail(Errc::invalid_argument, "the polygon has no area (its vertices are collinear)");
  }
  return area_m2;
}

Result<void> check_simple_latlon_polygon(std::span<const world::LatLon> ring_in) {
  auto checked = ring_of(ring_in);
  if (!checked) return fail(checked.error());
  const std::vector<world::LatLon>& ring = *checked;
  // Edges straight in latitude and longitude are straight on an equirectangular plane; scaled
  // to metres at the mean latitude so the tolerances keep their meaning.
  double mean_lat = 0.0;
  for (const auto& v : ring) mean_lat += v.lat_deg / static_cast<double>(ring.size());
  constexpr double m_per_deg = 111195.0;
  const double kx = m_per_deg * std::cos(mean_lat * units::pi / 180.0);
  std::vector<Point2> pts;
  pts.reserve(ring.size());
  for (const auto& v : ring) pts.push_back({v.lon_deg * kx, v.lat_deg * m_per_deg});
  return check_simple_polygon(pts);
}

}  // namespace jrads::scenario
