#pragma once
// Checks on a site's plot: a simple polygon of latitude/longitude vertices, and its area on
// the WGS84 ellipsoid (GeographicLib PolygonArea).
#include <cstddef>
#include <span>

#include "jrads/core/result.hpp"
#include "jrads/world/terrain.hpp"

namespace jrads::scenario {

// Longest distance allowed between any vertex and the first one: a plot is a piece of
// ground, and the simplicity test works on a local tangent plane.
inline constexpr double max_plot_extent_m = 100000.0;
// Most vertices a plot may have (the simplicity test is quadratic).
inline constexpr std::size_t max_plot_vertices = 1000;

// The area in m^2 of a simple polygon (>= 3 distinct vertices, no two edges crossing or
// touching except neighbours at their shared vertex, non-zero area). The ring may repeat its
// first vertex at the end. Vertices must be finite, lat in [-90, 90], lon in [-180, 180].
// Errors (Errc::invalid_argument) say what is wrong and name the vertex or edge indices
// (0-based), e.g. "edges 0-1 and 2-3 cross".
[[nodiscard]] Result<double> simple_polygon_area_m2(std::span<const world::LatLon> ring);

// The same simplicity test for a polygon of any extent (a border region) whose edges are
// straight in latitude and longitude, as identification takes them: no area, no size limit
// other than the vertex count.
[[nodiscard]] Result<void> check_simple_latlon_polygon(std::span<const world::LatLon> ring);

}  // namespace jrads::scenario
