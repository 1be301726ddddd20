#include "jrads/world/terrain.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <vector>

#include <gdal_priv.h>
#include <gtest/gtest.h>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/rng.hpp"
#include "jrads/core/units.hpp"

namespace jrads::world {
namespace {

TEST(ElevationGrid, BilinearIsExactOnAPlaneAndFlatOutside) {
  // h = 100 + 2000 lat + 500 lon over a 5 x 4 grid: bilinear interpolation must reproduce it.
  std::vector<float> h;
  const double south = 44.0, west = 20.0, dlat = 0.01, dlon = 0.02;
  for (int r = 0; r < 5; ++r)
    for (int c = 0; c < 4; ++c) h.push_back(static_cast<float>(100 + 2000 * (r * dlat) + 500 * (c * dlon)));
  const ElevationGrid g(south, west, dlat, dlon, 5, 4, h);
  RngStream rng = Rng(1).stream("plane");
  for (int i = 0; i < 200; ++i) {
    const double lat = rng.uniform(south, g.north_lat_deg()), lon = rng.uniform(west, g.east_lon_deg());
    EXPECT_NEAR(g.height_m(lat, lon), 100 + 2000 * (lat - south) + 500 * (lon - west), 1e-3);
  }
  EXPECT_EQ(g.height_m(43.0, 20.01), 0.0);
  EXPECT_EQ(g.height_m(std::nan(""), 20.01), 0.0);
  EXPECT_FLOAT_EQ(g.max_height_m(), h.back());
  EXPECT_EQ(ElevationGrid::constant(250).height_m(10, 10), 250.0);
}

TEST(ElevationGrid, BlockMaximumBoundsEveryHeightInABox) {
  // Property: for random boxes, small and large, inside, across and outside the grid's edge,
  // no height in the box exceeds the bound. Heights slope down (then up) across rows and
  // columns with some noise, so that a bound missing the box's first (last) row or column
  // of nodes shows at the boundaries of the blocks.
  RngStream rng = Rng(3).stream("boxes");
  const int rows = 70, cols = 50;
  for (const double slope : {-1.0, 1.0}) {
    std::vector<float> h;
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c)
        h.push_back(static_cast<float>(5000 + slope * (50.0 * r + 30.0 * c) + rng.uniform(0.0, 20.0)));
    const ElevationGrid g(44.0, 20.0, 0.01, 0.02, rows, cols, h);
    for (int n = 0; n < 4000; ++n) {
      const double size = n % 2 == 0 ? 0.02 : 0.5;
      const double s = rng.uniform(43.8, 44.8), w = rng.uniform(19.8, 21.1);
      const double nn = s + rng.uniform(0.0, size), e = w + rng.uniform(0.0, size);
      const double bound = g.max_height_m(s, w, nn, e);
      for (int k = 0; k < 10; ++k) {
        const double lat = rng.uniform(s, nn), lon = rng.uniform(w, e);
        ASSERT_LE(g.height_m(lat, lon), bound) << lat << " " << lon;
      }
      ASSERT_LE(g.height_m(s, w), bound);
      ASSERT_LE(g.height_m(nn, e), bound);
    }
    // Round a single node the bound is its block's maximum, not the grid's.
    const double node = g.max_height_m(44.2 - 1e-9, 20.4 - 1e-9, 44.2 + 1e-9, 20.4 + 1e-9);
    EXPECT_LT(node, g.max_height_m() - 100.0);
    EXPECT_GE(node, g.height_m(44.2, 20.4));
    // Wholly outside: the outside height.
    EXPECT_EQ(g.max_height_m(10, 10, 11, 11), 0.0);
  }
  EXPECT_EQ(ElevationGrid::constant(250).max_height_m(10, 10, 11, 11), 250.0);
}

SyntheticTerrainParams range_params() {
  SyntheticTerrainParams p;
  p.seed = 4;
  p.south_lat_deg = 44.0;
  p.north_lat_deg = 45.0;
  p.west_lon_deg = 20.0;
  p.east_lon_deg = 21.5;
  p.resolution_m = 1000;
  p.base_height_m = 200;
  p.roughness_m = 100;
  p.ridges.push_back({{{44.5, 20.0}, {44.5, 21.5}}, 15000, 4000, 7000});
  p.valleys.push_back({{44.2, 20.7}, {44.8, 20.7}, 4000, 600});
  return p;
}

// The generator as it was before its cells were culled by distance: every cell against
// every ridge and valley segment, kept as the reference the faster one must match bit for bit.
namespace reference {

double lattice_value(std::uint64_t seed, std::int64_t ix, std::int64_t iy) noexcept {
  std::uint64_t h = seed ^ (static_cast<std::uint64_t>(ix) * 0x9E3779B97F4A7C15ULL) ^
                    (static_cast<std::uint64_t>(iy) * 0xC2B2AE3D27D4EB4FULL);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return static_cast<double>(h >> 11) * 0x1.0p-52 - 1.0;
}

double fade(double t) noexcept { return t * t * t * (t * (t * 6 - 15) + 10); }

double value_noise(std::uint64_t seed, double x, double y) noexcept {
  const double fx = std::floor(x), fy = std::floor(y);
  const auto ix = static_cast<std::int64_t>(fx), iy = static_cast<std::int64_t>(fy);
  const double tx = fade(x - fx), ty = fade(y - fy);
  const double a = lattice_value(seed, ix, iy), b = lattice_value(seed, ix + 1, iy);
  const double c = lattice_value(seed, ix, iy + 1), d = lattice_value(seed, ix + 1, iy + 1);
  return (1 - ty) * ((1 - tx) * a + tx * b) + ty * ((1 - tx) * c + tx * d);
}

double fbm(std::uint64_t seed, double x, double y, int octaves) noexcept {
  double sum = 0.0, amp = 0.5, freq = 1.0;
  for (int o = 0; o < octaves; ++o) {
    sum += amp * value_noise(seed + static_cast<std::uint64_t>(o) * 1013, x * freq, y * freq);
    amp *= 0.5;
    freq *= 2.0;
  }
  return sum;
}

struct Plane {
  double lat0_deg, lon0_deg, m_per_deg_lat, m_per_deg_lon;
  [[nodiscard]] std::pair<double, double> xy(double lat_deg, double lon_deg) const noexcept {
    return {(lon_deg - lon0_deg) * m_per_deg_lon, (lat_deg - lat0_deg) * m_per_deg_lat};
  }
};

struct SegmentHit {
  double distance_m;
  double along_m;
};

SegmentHit closest_on_polyline(const std::vector<std::pair<double, double>>& pts, double x, double y) noexcept {
  SegmentHit best{std::numeric_limits<double>::infinity(), 0.0};
  double walked = 0.0;
  for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
    const auto [ax, ay] = pts[i];
    const auto [bx, by] = pts[i + 1];
    const double dx = bx - ax, dy = by - ay;
    const double len2 = dx * dx + dy * dy;
    const double len = std::sqrt(len2);
    const double t = len2 > 0 ? std::clamp(((x - ax) * dx + (y - ay) * dy) / len2, 0.0, 1.0) : 0.0;
    const double d = std::hypot(x - (ax + t * dx), y - (ay + t * dy));
    if (d < best.distance_m) best = {d, walked + t * len};
    walked += len;
  }
  return best;
}

std::vector<float> synthetic_terrain(const SyntheticTerrainParams& p) {
  const double mid_lat = 0.5 * (p.south_lat_deg + p.north_lat_deg);
  const Radii radii = radii_at(mid_lat);
  const Plane plane{p.south_lat_deg, p.west_lon_deg, radii.meridional_m * units::rad_per_deg,
                    radii.prime_vertical_m * std::cos(units::rad_from_deg(mid_lat)) * units::rad_per_deg};
  const double dlat = p.resolution_m / plane.m_per_deg_lat;
  const double dlon = p.resolution_m / plane.m_per_deg_lon;
  const int rows = std::max(2, static_cast<int>(std::ceil((p.north_lat_deg - p.south_lat_deg) / dlat)) + 1);
  const int cols = std::max(2, static_cast<int>(std::ceil((p.east_lon_deg - p.west_lon_deg) / dlon)) + 1);
  std::vector<std::vector<std::pair<double, double>>> ridge_axes;
  for (const auto& r : p.ridges) {
    auto& axis = ridge_axes.emplace_back();
    for (const auto& pt : r.axis) axis.push_back(plane.xy(pt.lat_deg, pt.lon_deg));
  }
  std::vector<std::vector<std::pair<double, double>>> valley_axes;
  for (const auto& v : p.valleys) {
    valley_axes.push_back({plane.xy(v.from.lat_deg, v.from.lon_deg), plane.xy(v.to.lat_deg, v.to.lon_deg)});
  }
  const std::uint64_t seed = p.seed * 0x2545F4914F6CDD1DULL + 17;
  constexpr double noise_wavelength_m = 40000.0;
  constexpr double crest_wavelength_m = 60000.0;
  std::vector<float> h(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
  for (int r = 0; r < rows; ++r) {
    const double lat = p.south_lat_deg + r * dlat;
    for (int c = 0; c < cols; ++c) {
      const double lon = p.west_lon_deg + c * dlon;
      const auto [x, y] = plane.xy(lat, lon);
      double height = p.base_height_m + p.roughness_m * fbm(seed, x / noise_wavelength_m, y / noise_wavelength_m, 5);
      for (std::size_t k = 0; k < p.ridges.size(); ++k) {
        const auto& ridge = p.ridges[k];
        const SegmentHit hit = closest_on_polyline(ridge_axes[k], x, y);
        const double u = hit.distance_m / ridge.half_width_m;
        if (u > 4.0) continue;
        const double crest01 = 0.5 + 0.9 * fbm(seed + 7 + k, hit.along_m / crest_wavelength_m, 0.5, 3);
        const double crest = ridge.peak_min_m + (ridge.peak_max_m - ridge.peak_min_m) * std::clamp(crest01, 0.0, 1.0);
        const double shape = std::exp(-u * u);
        const double rugged = 1.0 + 0.25 * fbm(seed + 101 + k, x / 8000.0, y / 8000.0, 4);
        height += (crest - p.base_height_m) * shape * rugged;
      }
      for (std::size_t k = 0; k < p.valleys.size(); ++k) {
        const auto& valley = p.valleys[k];
        const double d = closest_on_polyline(valley_axes[k], x, y).distance_m;
        if (d >= valley.half_width_m || height <= valley.floor_m) continue;
        const double t = d / valley.half_width_m;
        height = valley.floor_m + (height - valley.floor_m) * t * t;
      }
      h[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(c)] =
          static_cast<float>(height);
    }
  }
  return h;
}

}  // namespace reference

// Every cell bit for bit (as float bit patterns, so that NaN would be caught too).
void expect_same_as_reference(const SyntheticTerrainParams& p) {
  const ElevationGrid g = make_synthetic_terrain(p);
  const std::vector<float> want = reference::synthetic_terrain(p);
  ASSERT_EQ(static_cast<std::size_t>(g.rows()) * static_cast<std::size_t>(g.cols()), want.size());
  std::size_t differ = 0, first = want.size();
  for (int r = 0; r < g.rows(); ++r)
    for (int c = 0; c < g.cols(); ++c) {
      const auto i = static_cast<std::size_t>(r) * static_cast<std::size_t>(g.cols()) + static_cast<std::size_t>(c);
      const float got = g.at(r, c);
      if (std::memcmp(&got, &want[i], sizeof got) != 0) {
        ++differ;
        first = std::min(first, i);
      }
    }
  EXPECT_EQ(differ, 0U) << "first at cell " << first << " of " << want.size();
}

TEST(SyntheticTerrain, DefaultScenarioTerrainIsUnchanged) {
  // scenarios/default.yaml's terrain, copied here (world tests do not read scenarios).
  SyntheticTerrainParams p;
  p.seed = 7;
  p.south_lat_deg = 43.6;
  p.north_lat_deg = 46.3;
  p.west_lon_deg = 17.5;
  p.east_lon_deg = 22.6;
  p.resolution_m = 500;
  p.base_height_m = 250;
  p.roughness_m = 150;
  p.ridges.push_back(
      {{{45.05, 17.2}, {45.25, 18.4}, {45.00, 19.6}, {45.20, 20.8}, {44.95, 22.0}, {45.10, 22.9}}, 22000, 4000, 7000});
  p.valleys.push_back({{45.75, 18.85}, {44.55, 19.05}, 6000, 600});
  p.valleys.push_back({{45.80, 20.25}, {44.45, 20.15}, 7000, 800});
  p.valleys.push_back({{45.70, 21.55}, {44.50, 21.35}, 6000, 700});
  expect_same_as_reference(p);
}

TEST(SyntheticTerrain, ManyLongRidgesMatchTheFullScan) {
  // Property: seeded random ranges of winding axes, with widths from far below a cell to
  // wider than the region, repeated points (zero-length segments), axes doubling back on
  // themselves (equal distances to two segments: the first must win, as in the scan) and
  // valleys, give the grid the scan of every segment gives.
  RngStream rng = Rng(5).stream("ridges");
  SyntheticTerrainParams p;
  p.seed = 9;
  p.south_lat_deg = 44.0;
  p.north_lat_deg = 45.5;
  p.west_lon_deg = 19.0;
  p.east_lon_deg = 21.0;
  p.resolution_m = 1000;
  const double half_widths[] = {300.0, 3000.0, 15000.0, 60000.0, 500000.0};
  for (int k = 0; k < 10; ++k) {
    RidgeParams ridge;
    LatLon at{rng.uniform(43.8, 45.7), rng.uniform(18.8, 21.2)};
    double heading = rng.uniform(0.0, 2 * units::pi);
    for (int i = 0; i < 60; ++i) {
      ridge.axis.push_back(at);
      if (i % 17 == 5) ridge.axis.push_back(at);  // a repeated point
      heading += rng.uniform(-0.6, 0.6);
      const double step_deg = rng.uniform(0.005, 0.05);
      at = {at.lat_deg + step_deg * std::cos(heading), at.lon_deg + step_deg * std::sin(heading)};
    }
    if (k % 3 == 0) {  // back along itself
      const auto there = ridge.axis;
      ridge.axis.insert(ridge.axis.end(), there.rbegin(), there.rend());
    }
    ridge.half_width_m = half_widths[k % 5];
    ridge.peak_min_m = 1000 + 100 * k;
    ridge.peak_max_m = 3000 + 100 * k;
    p.ridges.push_back(ridge);
  }
  for (int k = 0; k < 6; ++k) {
    p.valleys.push_back({{rng.uniform(44.0, 45.5), rng.uniform(19.0, 21.0)},
                         {rng.uniform(44.0, 45.5), rng.uniform(19.0, 21.0)},
                         half_widths[k % 4],
                         rng.uniform(200.0, 1500.0)});
  }
  expect_same_as_reference(p);
}

TEST(SyntheticTerrain, RidgeReachesItsPeaksAndValleyCutsIt) {
  const ElevationGrid g = make_synthetic_terrain(range_params());
  double crest_max = 0;
  for (double lon = 20.0; lon <= 21.5; lon += 0.01) crest_max = std::max(crest_max, g.height_m(44.5, lon));
  EXPECT_GT(crest_max, 4000);
  EXPECT_LT(crest_max, 7000 * 1.3);
  // Far from the ridge the plain stays near its base height.
  EXPECT_NEAR(g.height_m(44.02, 20.2), 200, 300);
  // On the valley axis the crossing of the ridge is near the valley floor: within what the
  // U-profile rises over one grid cell either side of the axis, 7000 (1 km / 4 km)^2.
  EXPECT_LE(g.height_m(44.5, 20.7), 600 + 7000.0 / 16);
  EXPECT_GT(g.height_m(44.5, 20.9), 2000);
}

TEST(SyntheticTerrain, SameSeedSameTerrainOtherSeedOther) {
  const ElevationGrid a = make_synthetic_terrain(range_params());
  const ElevationGrid b = make_synthetic_terrain(range_params());
  auto p = range_params();
  p.seed = 5;
  const ElevationGrid c = make_synthetic_terrain(p);
  ASSERT_EQ(a.rows(), b.rows());
  int differ_ab = 0, differ_ac = 0;
  for (int r = 0; r < a.rows(); ++r)
    for (int col = 0; col < a.cols(); ++col) {
      differ_ab += a.at(r, col) != b.at(r, col);
      differ_ac += a.at(r, col) != c.at(r, col);
    }
  EXPECT_EQ(differ_ab, 0);
  EXPECT_GT(differ_ac, a.rows() * a.cols() / 2);
}

std::filesystem::path temp_path(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("jrads_terrain_test_" + std::to_string(::getpid()) + name);
}

TEST(Dem, GeoTiffRoundTripsThroughGdal) {
  GDALAllRegister();
  const auto path = temp_path(".tif");
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
  ASSERT_NE(drv, nullptr);
  const int cols = 6, rows = 5;
  GDALDataset* ds = drv->Create(path.c_str(), cols, rows, 1, GDT_Float32, nullptr);
  ASSERT_NE(ds, nullptr);
  // North-up, pixel size 0.01 deg, top-left corner at (45.05 N, 20.0 E).
  double gt[6] = {20.0, 0.01, 0.0, 45.05, 0.0, -0.01};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.importFromEPSG(4326);
  ds->SetSpatialRef(&srs);
  std::vector<float> data(rows * cols);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) data[r * cols + c] = static_cast<float>(1000 + 10 * r + c);
  ASSERT_EQ(ds->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, cols, rows, data.data(), cols, rows, GDT_Float32, 0, 0),
            CE_None);
  GDALClose(ds);

  const auto grid = load_dem(path.string());
  ASSERT_TRUE(grid) << grid.error().to_string();
  // Pixel (row 0, col 0) has its centre at (45.045 N, 20.005 E); row 4 is the southernmost.
  EXPECT_NEAR(grid->height_m(45.045, 20.005), 1000, 1e-3);  // the north-west corner pixel
  EXPECT_NEAR(grid->height_m(45.005, 20.055), 1045, 1e-3);  // the south-east corner pixel
  EXPECT_NEAR(grid->height_m(45.025, 20.025), 1022, 1e-3);
  std::filesystem::remove(path);
}

TEST(Dem, MissingOrForeignFilesAreClearErrors) {
  const auto missing = load_dem("/nonexistent/dem.tif");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().where.file, "/nonexistent/dem.tif");
  EXPECT_EQ(missing.error().code, Errc::io_error);

  const auto text = temp_path(".txt");
  { std::FILE* f = std::fopen(text.c_str(), "w"); std::fputs("not a raster\n", f); std::fclose(f); }
  const auto garbage = load_dem(text.string());
  ASSERT_FALSE(garbage);
  EXPECT_NE(garbage.error().message.find("raster"), std::string::npos);
  std::filesystem::remove(text);

  // A projected (UTM) raster is refused rather than misread as degrees.
  GDALAllRegister();
  const auto utm = temp_path("_utm.tif");
  GDALDataset* ds = GetGDALDriverManager()->GetDriverByName("GTiff")->Create(utm.c_str(), 3, 3, 1, GDT_Float32, nullptr);
  double gt[6] = {500000, 30, 0, 4900000, 0, -30};
  ds->SetGeoTransform(gt);
  OGRSpatialReference srs;
  srs.importFromEPSG(32634);
  ds->SetSpatialRef(&srs);
  GDALClose(ds);
  const auto projected = load_dem(utm.string());
  ASSERT_FALSE(projected);
  EXPECT_NE(projected.error().message.find("projected"), std::string::npos);
  std::filesystem::remove(utm);
}

// Writes a small geographic raster with the given driver; returns false if GDAL refused.
bool write_raster(const char* driver, const std::filesystem::path& path, int rows, int cols, const double gt[6],
                  float value) {
  GDALAllRegister();
  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver);
  if (drv == nullptr) return false;
  GDALDataset* mem = GetGDALDriverManager()->GetDriverByName("MEM")->Create("", cols, rows, 1, GDT_Float32, nullptr);
  mem->SetGeoTransform(const_cast<double*>(gt));
  OGRSpatialReference srs;
  srs.importFromEPSG(4326);
  mem->SetSpatialRef(&srs);
  std::vector<float> data(static_cast<std::size_t>(rows) * cols, value);
  const bool wrote =
      mem->GetRasterBand(1)->RasterIO(GF_Write, 0, 0, cols, rows, data.data(), cols, rows, GDT_Float32, 0, 0) == CE_None;
  GDALDataset* out = drv->CreateCopy(path.c_str(), mem, FALSE, nullptr, nullptr, nullptr);
  GDALClose(mem);
  if (out == nullptr) return false;
  GDALClose(out);
  return wrote;
}

TEST(Dem, DtedTileLoads) {
  const auto path = temp_path(".dt0");
  // A DTED level 0 tile: 1 degree, 121 x 121 posts, corner posts on whole degrees.
  const double gt[6] = {20.0 - 1.0 / 240, 1.0 / 120, 0.0, 46.0 + 1.0 / 240, 0.0, -1.0 / 120};
  ASSERT_TRUE(write_raster("DTED", path, 121, 121, gt, 1234.0F));
  const auto grid = load_dem(path.string());
  ASSERT_TRUE(grid) << grid.error().to_string();
  EXPECT_NEAR(grid->height_m(45.5, 20.5), 1234.0, 1e-3);
  EXPECT_NEAR(grid->south_lat_deg(), 45.0, 1e-6);
  EXPECT_NEAR(grid->west_lon_deg(), 20.0, 1e-6);
  std::filesystem::remove(path);
}

TEST(Dem, HostileRastersAreRefusedWithTheReason) {
  const double gt[6] = {20.0, 0.01, 0.0, 45.05, 0.0, -0.01};
  // A format GDAL reads but we do not accept (an ASCII grid could as well be a VRT pointing
  // at any file on the machine).
  const auto asc = temp_path(".asc");
  ASSERT_TRUE(write_raster("AAIGrid", asc, 4, 4, gt, 100.0F));
  const auto other_format = load_dem(asc.string());
  ASSERT_FALSE(other_format);
  EXPECT_NE(other_format.error().message.find("GeoTIFF, SRTM .hgt or DTED"), std::string::npos)
      << other_format.error().message;
  std::filesystem::remove(asc);
  std::filesystem::remove(asc.string() + ".aux.xml");
  std::filesystem::remove(temp_path(".prj"));

  // A GeoTIFF cut short.
  const auto whole = temp_path("_whole.tif");
  ASSERT_TRUE(write_raster("GTiff", whole, 16, 16, gt, 100.0F));
  const auto cut = temp_path("_cut.tif");
  std::filesystem::copy_file(whole, cut, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::resize_file(cut, 200);
  const auto truncated = load_dem(cut.string());
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error().where.file, cut.string());

  // More cells than the caller allows.
  const auto too_big = load_dem(whole.string(), 100);
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.error().message.find("16 x 16 cells; at most 100"), std::string::npos) << too_big.error().message;
  std::filesystem::remove(whole);
  std::filesystem::remove(cut);

  // Pixel centres off the globe.
  const auto off = temp_path("_off.tif");
  const double beyond_pole[6] = {20.0, 0.5, 0.0, 95.0, 0.0, -0.5};
  ASSERT_TRUE(write_raster("GTiff", off, 4, 4, beyond_pole, 100.0F));
  const auto off_globe = load_dem(off.string());
  ASSERT_FALSE(off_globe);
  EXPECT_NE(off_globe.error().message.find("lat [-90, 90]"), std::string::npos) << off_globe.error().message;
  std::filesystem::remove(off);

  // Nothing but voids.
  const auto voids = temp_path("_void.tif");
  ASSERT_TRUE(write_raster("GTiff", voids, 4, 4, gt, std::numeric_limits<float>::quiet_NaN()));
  const auto no_height = load_dem(voids.string());
  ASSERT_FALSE(no_height);
  EXPECT_NE(no_height.error().message.find("no valid height"), std::string::npos);
  std::filesystem::remove(voids);
}

}  // namespace
}  // namespace jrads::world
