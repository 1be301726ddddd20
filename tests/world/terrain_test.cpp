#include "jrads/world/terrain.hpp"

#include <cmath>
#include <filesystem>
#include <limits>
#include <vector>

#include <gdal_priv.h>
#include <gtest/gtest.h>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/rng.hpp"

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
