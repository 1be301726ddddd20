#pragma once
// Terrain masking for one antenna, precomputed once so that a line-of-sight query costs a
// binary search.
//
// Geometry: the 4/3-earth model (refraction bends rays as if the earth's radius were
// k * R, R = mean_earth_radius_m()); ground distance d is measured along the earth, heights are
// above the WGS84 ellipsoid. Seen from the antenna at height h_a, a point (d, h) has the
// effective elevation angle whose tangent is
//     ((Re + h) cos(d/Re) - (Re + h_a)) / ((Re + h) sin(d/Re)),   Re = k R.
// For each azimuth bin the terrain is sampled once along the ray and the running maximum of
// that tangent is stored as a step function of d (only the points where it rises). A target
// at (d, h) is visible iff its own tangent exceeds the maximum over the terrain before it.
// The smooth-earth radio horizon falls out of this: terrain of constant height has its largest
// elevation angle exactly at the grazing point.
#include <cstdint>
#include <vector>

#include "jrads/core/geodesy.hpp"
#include "jrads/world/terrain.hpp"

namespace jrads::sensors {

struct HorizonProfileParams {
  double max_range_m = 250000.0;  // rays are sampled out to this ground distance
  double k_factor = 4.0 / 3.0;    // effective earth radius factor
  double azimuth_bin_deg = 0.25;  // width of one azimuth bin; the ray runs along its centre
  // Ground distance between terrain samples along a ray; 0 = automatic: the terrain grid
  // spacing, but at most 2000 samples per ray (and 500 m over grid-less constant terrain).
  double step_m = 0.0;
};

class HorizonProfile {
 public:
  // antenna: the antenna itself (alt_m = terrain height + mast height). Cost: one terrain
  // lookup per bin per step (360 / azimuth_bin_deg * max_range_m / step_m in all).
  HorizonProfile(const Geodetic& antenna, const world::ElevationGrid& terrain, const HorizonProfileParams& params);

  // Whether a point at this azimuth (degrees clockwise from north, any value), ground distance
  // (m, >= 0) and height above the ellipsoid is in line of sight of the antenna. Points beyond
  // max_range_m are judged against the terrain up to max_range_m. O(log n).
  [[nodiscard]] bool visible(double azimuth_deg, double ground_distance_m, double alt_m) const noexcept;
  // The same for a point given in the antenna's local ENU frame (LocalFrame at the antenna)
  // and its height above the ellipsoid (known by the caller: no geodetic conversion here).
  [[nodiscard]] bool visible(const Enu& pos_enu, double alt_m) const noexcept;

  // Ground distance (along a sphere of radius R, the same measure the profile uses) of a point
  // given in the antenna's ENU frame.
  [[nodiscard]] double ground_distance_m(const Enu& pos_enu) const noexcept;
  // Tangent of the effective-earth elevation angle of (d, h) from the antenna.
  [[nodiscard]] double tan_elevation(double ground_distance_m, double alt_m) const noexcept;
  // The largest tangent of the terrain's effective elevation angle over ground distances
  // (0, ground_distance_m) in the bin of azimuth_deg; -inf when no terrain sample lies there.
  [[nodiscard]] double terrain_tan_elevation(double azimuth_deg, double ground_distance_m) const noexcept;

  [[nodiscard]] const Geodetic& antenna() const noexcept { return antenna_; }
  [[nodiscard]] double step_m() const noexcept { return step_m_; }
  [[nodiscard]] double azimuth_bin_deg() const noexcept { return bin_deg_; }
  [[nodiscard]] int bin_count() const noexcept { return bins_; }
  // The azimuth (deg) of the ray that represents a bin.
  [[nodiscard]] double bin_center_deg(int bin) const noexcept { return (bin + 0.5) * bin_deg_; }
  [[nodiscard]] int bin_of(double azimuth_deg) const noexcept;
  // Stored breakpoints in all (memory is 8 bytes each).
  [[nodiscard]] std::size_t breakpoint_count() const noexcept { return steps_.size(); }

 private:
  struct Step {
    float ground_distance_m;  // the running maximum takes this value from here on
    float tan_elevation;
  };
  Geodetic antenna_;
  double bin_deg_ = 0.25;
  int bins_ = 0;
  double step_m_ = 0.0;
  double earth_m_ = 0.0;              // true mean earth radius (ground distance measure)
  double eff_earth_m_ = 0.0;          // k * R
  std::vector<std::uint32_t> first_;  // [bin] index of the bin's first step; bins_ + 1 entries
  std::vector<Step> steps_;
};

}  // namespace jrads::sensors
