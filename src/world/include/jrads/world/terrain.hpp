#pragma once
// Terrain: a regular latitude/longitude grid of heights above the WGS84 ellipsoid with
// bilinear interpolation. Filled either by the synthetic generator or from a DEM read with
// GDAL (GeoTIFF, SRTM .hgt, DTED). DEM heights are taken as ellipsoidal (no geoid model):
// a documented simplification, tens of metres at most.
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "jrads/core/result.hpp"

namespace jrads::world {

class ElevationGrid {
 public:
  ElevationGrid() = default;
  // Row 0 is the southern edge; heights are row-major, rows * cols values.
  ElevationGrid(double south_lat_deg, double west_lon_deg, double dlat_deg, double dlon_deg, int rows, int cols,
                std::vector<float> heights_m);

  // Flat terrain of one height everywhere.
  [[nodiscard]] static ElevationGrid constant(double height_m);

  // Bilinear height at a point; outside the grid, the grid's outside height (0 m for DEM
  // and synthetic grids: sea level).
  [[nodiscard]] double height_m(double lat_deg, double lon_deg) const noexcept;
  [[nodiscard]] bool empty() const noexcept { return heights_m_.empty(); }
  [[nodiscard]] int rows() const noexcept { return rows_; }
  [[nodiscard]] int cols() const noexcept { return cols_; }
  [[nodiscard]] double south_lat_deg() const noexcept { return south_; }
  [[nodiscard]] double west_lon_deg() const noexcept { return west_; }
  [[nodiscard]] double north_lat_deg() const noexcept { return south_ + dlat_ * (rows_ - 1); }
  [[nodiscard]] double east_lon_deg() const noexcept { return west_ + dlon_ * (cols_ - 1); }
  [[nodiscard]] double dlat_deg() const noexcept { return dlat_; }
  [[nodiscard]] double dlon_deg() const noexcept { return dlon_; }
  [[nodiscard]] float at(int row, int col) const noexcept {
    return heights_m_[static_cast<std::size_t>(row) * static_cast<std::size_t>(cols_) + static_cast<std::size_t>(col)];
  }
  [[nodiscard]] float max_height_m() const noexcept { return max_m_; }
  // A bound never below height_m() anywhere in the box [south, north] x [west, east]
  // (degrees), from maxima kept per block of block_cells x block_cells cells, so cheap for
  // boxes of many cells; it counts the outside height when the box reaches outside the grid.
  [[nodiscard]] double max_height_m(double south_lat_deg, double west_lon_deg, double north_lat_deg,
                                    double east_lon_deg) const noexcept;

 private:
  static constexpr int block_cells = 16;
  double south_ = 0.0, west_ = 0.0, dlat_ = 1.0, dlon_ = 1.0;
  int rows_ = 0, cols_ = 0;
  std::vector<float> heights_m_;
  float max_m_ = 0.0F;
  double outside_m_ = 0.0;
  int block_cols_ = 0;
  std::vector<float> block_max_m_;  // row-major blocks; block (i, j) covers rows 16i..16i+15, cols 16j..16j+15
};

struct LatLon {
  double lat_deg = 0.0;
  double lon_deg = 0.0;
};

// A mountain range: a Gaussian cross-section around a polyline axis whose crest height
// varies smoothly (seeded) between peak_min_m and peak_max_m.
struct RidgeParams {
  std::vector<LatLon> axis;        // >= 2 points
  double half_width_m = 30000.0;   // distance from the axis at which height falls to 1/e
  double peak_min_m = 4000.0;
  double peak_max_m = 7000.0;
};

// A valley cut through the terrain along a straight segment: heights near the axis are
// capped at floor_m, rising linearly to the surrounding terrain over half_width_m.
struct ValleyParams {
  LatLon from;
  LatLon to;
  double half_width_m = 5000.0;
  double floor_m = 500.0;
};

struct SyntheticTerrainParams {
  std::uint64_t seed = 1;
  double south_lat_deg = 0.0, west_lon_deg = 0.0, north_lat_deg = 1.0, east_lon_deg = 1.0;
  double resolution_m = 500.0;     // grid spacing (north-south), > 0
  double base_height_m = 200.0;    // plain height
  double roughness_m = 150.0;      // amplitude of fractal noise over the whole region
  std::vector<RidgeParams> ridges;
  std::vector<ValleyParams> valleys;
};

struct DemTerrainParams {
  std::string path;  // any GDAL raster in geographic WGS84 coordinates; band 1 = height in metres
};

struct FlatTerrainParams {
  double height_m = 0.0;
};

using TerrainParams = std::variant<FlatTerrainParams, SyntheticTerrainParams, DemTerrainParams>;

[[nodiscard]] ElevationGrid make_synthetic_terrain(const SyntheticTerrainParams& params);
// Reads band 1 of a geographic (lat/lon) GeoTIFF, SRTM .hgt or DTED file through GDAL; other
// formats are refused (a VRT could point anywhere). Errors name the file and the problem
// (missing file, other format, projected or rotated grid, bounds off the globe, more than
// max_cells cells, no valid height). Heights outside [-1000, 9000] m and nodata become 0 m.
inline constexpr std::int64_t kMaxDemCells = 100'000'000;  // 400 MB of floats
[[nodiscard]] Result<ElevationGrid> load_dem(const std::string& path, std::int64_t max_cells = kMaxDemCells);
[[nodiscard]] Result<ElevationGrid> make_terrain(const TerrainParams& params);

}  // namespace jrads::world
