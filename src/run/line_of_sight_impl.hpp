#pragma once
// Line of sight over the terrain between two points of the region frame, for the fire units'
// and their linked sensors' view of an intercept point. A straight chord (no refraction): its
// height at a fraction f of the way is the endpoints' heights interpolated, less the earth's
// bulge f (1 - f) D^2 / 2R; latitude and longitude are interpolated linearly (tens of metres
// from the great circle over the distances an envelope spans, well under a terrain cell).
#include <algorithm>
#include <cmath>

#include <Eigen/Core>

#include "jrads/core/geodesy.hpp"
#include "jrads/world/terrain.hpp"

namespace jrads::run {

class TerrainLineOfSight {
 public:
  TerrainLineOfSight() = default;
  TerrainLineOfSight(const LocalFrame& region, const world::ElevationGrid* terrain) : region_(&region), terrain_(terrain) {}

  // True when no terrain rises above the chord between a and b (region ENU, m), except within
  // end_margin_m of either end (a site on a slope is not masked by its own hillside).
  [[nodiscard]] bool clear(const Eigen::Vector3d& a, const Eigen::Vector3d& b) const {
    if (region_ == nullptr || terrain_ == nullptr || terrain_->empty()) return true;
    const Geodetic ga = region_->geodetic_from_enu(Enu::from(a));
    const Geodetic gb = region_->geodetic_from_enu(Enu::from(b));
    const double d_m = (b - a).norm();
    // The chord sags up to D^2 / 8R below its lower end.
    if (std::min(ga.alt_m, gb.alt_m) - d_m * d_m / (8.0 * mean_earth_radius_m()) > terrain_->max_height_m()) return true;
    const int n = std::max(2, static_cast<int>(std::ceil(d_m / kStepM)));
    const double bulge_m = d_m * d_m / (2.0 * mean_earth_radius_m());
    for (int k = 1; k < n; ++k) {
      const double f = static_cast<double>(k) / n;
      if (f * d_m < kEndMarginM || (1.0 - f) * d_m < kEndMarginM) continue;
      const double h = ga.alt_m + f * (gb.alt_m - ga.alt_m) - f * (1.0 - f) * bulge_m;
      const double ground = terrain_->height_m(ga.lat_deg + f * (gb.lat_deg - ga.lat_deg), ga.lon_deg + f * (gb.lon_deg - ga.lon_deg));
      if (ground > h) return false;
    }
    return true;
  }

 private:
  static constexpr double kStepM = 250.0;
  static constexpr double kEndMarginM = 300.0;
  const LocalFrame* region_ = nullptr;
  const world::ElevationGrid* terrain_ = nullptr;
};

}  // namespace jrads::run
