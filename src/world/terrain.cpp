#include "jrads/world/terrain.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include <gdal_priv.h>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/rng.hpp"
#include "jrads/core/units.hpp"

namespace jrads::world {

ElevationGrid::ElevationGrid(double south_lat_deg, double west_lon_deg, double dlat_deg, double dlon_deg, int rows,
                             int cols, std::vector<float> heights_m)
    : south_(south_lat_deg),
      west_(west_lon_deg),
      dlat_(dlat_deg),
      dlon_(dlon_deg),
      rows_(rows),
      cols_(cols),
      heights_m_(std::move(heights_m)) {
  JRADS_ASSERT(rows_ >= 2 && cols_ >= 2 && dlat_ > 0.0 && dlon_ > 0.0);
  JRADS_ASSERT(heights_m_.size() == static_cast<std::size_t>(rows_) * static_cast<std::size_t>(cols_));
  max_m_ = *std::max_element(heights_m_.begin(), heights_m_.end());
  block_cols_ = (cols_ + block_cells - 1) / block_cells;
  const int block_rows = (rows_ + block_cells - 1) / block_cells;
  block_max_m_.assign(static_cast<std::size_t>(block_rows) * static_cast<std::size_t>(block_cols_),
                      -std::numeric_limits<float>::infinity());
  for (int r = 0; r < rows_; ++r) {
    for (int c = 0; c < cols_; ++c) {
      float& m = block_max_m_[static_cast<std::size_t>(r / block_cells) * static_cast<std::size_t>(block_cols_) +
                              static_cast<std::size_t>(c / block_cells)];
      m = std::max(m, at(r, c));
    }
  }
}

double ElevationGrid::max_height_m(double south_lat_deg, double west_lon_deg, double north_lat_deg,
                                   double east_lon_deg) const noexcept {
  if (heights_m_.empty()) return outside_m_;
  const double fr0 = (south_lat_deg - south_) / dlat_, fr1 = (north_lat_deg - south_) / dlat_;
  const double fc0 = (west_lon_deg - west_) / dlon_, fc1 = (east_lon_deg - west_) / dlon_;
  // NaN or an empty box: the bound of everything.
  if (!(fr0 <= fr1 && fc0 <= fc1)) return std::max(static_cast<double>(max_m_), outside_m_);
  // As height_m(): points within this of the grid count as on it.
  constexpr double edge = 1e-6;
  const double last_r = rows_ - 1, last_c = cols_ - 1;
  double best = -std::numeric_limits<double>::infinity();
  if (fr0 < -edge || fc0 < -edge || fr1 > last_r + edge || fc1 > last_c + edge) best = outside_m_;
  if (fr1 < -edge || fc1 < -edge || fr0 > last_r + edge || fc0 > last_c + edge) return best;
  // A height inside a cell is a weighted mean of its corner nodes: the nodes from the row
  // below the box to the row above it (and the same for columns) bound it.
  const auto r0 = static_cast<int>(std::clamp(std::floor(fr0), 0.0, last_r));
  const auto r1 = static_cast<int>(std::clamp(std::ceil(fr1), 0.0, last_r));
  const auto c0 = static_cast<int>(std::clamp(std::floor(fc0), 0.0, last_c));
  const auto c1 = static_cast<int>(std::clamp(std::ceil(fc1), 0.0, last_c));
  for (int br = r0 / block_cells; br <= r1 / block_cells; ++br) {
    for (int bc = c0 / block_cells; bc <= c1 / block_cells; ++bc) {
      best = std::max(best, static_cast<double>(block_max_m_[static_cast<std::size_t>(br) *
                                                                 static_cast<std::size_t>(block_cols_) +
                                                             static_cast<std::size_t>(bc)]));
    }
  }
  // The interpolation's rounding may exceed its largest node by an ulp or so.
  return best + 1e-6 * (1.0 + std::abs(best));
}

ElevationGrid ElevationGrid::constant(double height_m) {
  ElevationGrid g;
  g.outside_m_ = height_m;
  g.max_m_ = static_cast<float>(height_m);
  return g;
}

double ElevationGrid::height_m(double lat_deg, double lon_deg) const noexcept {
  if (heights_m_.empty()) return outside_m_;
  double fr = (lat_deg - south_) / dlat_;
  double fc = (lon_deg - west_) / dlon_;
  // A point on the edge must not fall outside through rounding of the grid's corner; the
  // negated comparison also sends NaN outside.
  constexpr double edge = 1e-6;
  if (!(fr >= -edge && fc >= -edge && fr <= rows_ - 1 + edge && fc <= cols_ - 1 + edge)) return outside_m_;
  fr = std::clamp(fr, 0.0, static_cast<double>(rows_ - 1));
  fc = std::clamp(fc, 0.0, static_cast<double>(cols_ - 1));
  const int r = std::min(static_cast<int>(fr), rows_ - 2);
  const int c = std::min(static_cast<int>(fc), cols_ - 2);
  const double tr = fr - r;
  const double tc = fc - c;
  const double h00 = at(r, c), h01 = at(r, c + 1), h10 = at(r + 1, c), h11 = at(r + 1, c + 1);
  return (1 - tr) * ((1 - tc) * h00 + tc * h01) + tr * ((1 - tc) * h10 + tc * h11);
}

namespace {

// Value noise on an integer lattice: a seeded hash gives each lattice point a value in
// [-1, 1]; quintic interpolation between them keeps slopes continuous.
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

// Fractal Brownian motion: octaves of value noise, each twice the frequency and half the
// amplitude of the last; result roughly in [-1, 1].
double fbm(std::uint64_t seed, double x, double y, int octaves) noexcept {
  double sum = 0.0, amp = 0.5, freq = 1.0;
  for (int o = 0; o < octaves; ++o) {
    sum += amp * value_noise(seed + static_cast<std::uint64_t>(o) * 1013, x * freq, y * freq);
    amp *= 0.5;
    freq *= 2.0;
  }
  return sum;
}

// A planar approximation of the region (metres east/north of its south-west corner): the
// generator only shapes terrain, so a few hundred metres of projection error are harmless.
struct Plane {
  double lat0_deg, lon0_deg, m_per_deg_lat, m_per_deg_lon;
  [[nodiscard]] std::pair<double, double> xy(double lat_deg, double lon_deg) const noexcept {
    return {(lon_deg - lon0_deg) * m_per_deg_lon, (lat_deg - lat0_deg) * m_per_deg_lat};
  }
};

struct SegmentHit {
  double distance_m;
  double along_m;  // distance along the polyline to the closest point
};

// The squared distance from (x, y) to the box [x0, x1] x [y0, y1].
inline double box_distance2(double x0, double y0, double x1, double y1, double x, double y) noexcept {
  const double dx = std::max(std::max(x0 - x, x - x1), 0.0);
  const double dy = std::max(std::max(y0 - y, y - y1), 0.0);
  return dx * dx + dy * dy;
}

// Whether everything in a box at squared distance box_d2 is certainly farther than limit_m,
// with a margin so that the rounding of a distance computed to a point of the box can never
// make the answer wrong.
inline bool certainly_beyond(double box_d2, double limit_m) noexcept {
  const double padded = (limit_m + 1e-6) * (1.0 + 1e-12);
  return box_d2 > padded * padded;
}

struct Box {
  double x0, y0, x1, y1;
  [[nodiscard]] double distance2(double x, double y) const noexcept { return box_distance2(x0, y0, x1, y1, x, y); }
};

// A polyline axis with a tree of bounding boxes over consecutive runs of its segments, for
// the closest-point query of every grid cell. The query returns exactly what a scan of all
// segments in order returns (the first segment at the least distance, the same arithmetic
// per segment) whenever that distance is within the cut-off; beyond it, infinity. A polyline
// is spatially coherent, so runs of consecutive segments have tight boxes.
class AxisIndex {
 public:
  explicit AxisIndex(const std::vector<std::pair<double, double>>& pts) {
    double walked = 0.0;
    for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
      const auto [ax, ay] = pts[i];
      const auto [bx, by] = pts[i + 1];
      Segment s{ax, ay, bx - ax, by - ay, 0.0, 0.0, walked};
      s.len2 = s.dx * s.dx + s.dy * s.dy;
      s.len = std::sqrt(s.len2);
      walked += s.len;  // the same running sum, in the same order, as the scan
      segments_.push_back(s);
    }
    if (!segments_.empty()) build(0, segments_.size());
  }

  // The closest point of the axis to (x, y) if it lies within cutoff_m (or cutoff_m is not a
  // positive number: then no cut); hint is the index of a segment likely to be close (the
  // last cell's answer), updated.
  [[nodiscard]] SegmentHit closest(double x, double y, double cutoff_m, std::size_t& hint) const noexcept {
    SegmentHit best{std::numeric_limits<double>::infinity(), 0.0};
    std::size_t best_i = segments_.size();
    // Distances up to the cut-off may tie for the minimum only with distances up to it.
    const double cut = cutoff_m > 0.0 ? cutoff_m * (1.0 + 1e-12) : std::numeric_limits<double>::infinity();
    const auto consider = [&](std::size_t i) {
      const SegmentHit h = hit(i, x, y);
      if (h.distance_m < best.distance_m || (h.distance_m == best.distance_m && i < best_i)) {
        best = h;
        best_i = i;
      }
    };
    if (segments_.empty() || certainly_beyond(nodes_[0].box.distance2(x, y), cut)) return best;
    if (hint < segments_.size()) consider(hint);
    std::size_t stack[64];
    std::size_t top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const Node& n = nodes_[stack[--top]];
      const double limit = std::min(best.distance_m, cut);
      if (certainly_beyond(n.box.distance2(x, y), limit)) continue;
      if (n.left == 0) {
        for (std::size_t i = n.lo; i < n.hi; ++i) {
          const Segment& g = segments_[i];
          const double bx = g.ax + g.dx, by = g.ay + g.dy;
          const double d2 = box_distance2(std::min(g.ax, bx), std::min(g.ay, by), std::max(g.ax, bx),
                                          std::max(g.ay, by), x, y);
          if (i != hint && !certainly_beyond(d2, std::min(best.distance_m, cut))) consider(i);
        }
        continue;
      }
      // Nearer child last, so that it is searched first and tightens the bound.
      const bool left_nearer = nodes_[n.left].box.distance2(x, y) <= nodes_[n.right].box.distance2(x, y);
      stack[top++] = left_nearer ? n.right : n.left;
      stack[top++] = left_nearer ? n.left : n.right;
    }
    if (best.distance_m > cut) return {std::numeric_limits<double>::infinity(), 0.0};
    if (best_i < segments_.size()) hint = best_i;
    return best;
  }

 private:
  struct Segment {
    double ax, ay, dx, dy, len2, len, walked;
  };
  struct Node {
    Box box;
    std::size_t lo, hi;             // segments [lo, hi)
    std::size_t left = 0, right = 0;  // children; 0 for a leaf (node 0 is the root)
  };
  static constexpr std::size_t leaf_size = 4;

  [[nodiscard]] SegmentHit hit(std::size_t i, double x, double y) const noexcept {
    // The arithmetic of the plain scan, term for term, so that results are bit-identical.
    const Segment& s = segments_[i];
    const double t = s.len2 > 0 ? std::clamp(((x - s.ax) * s.dx + (y - s.ay) * s.dy) / s.len2, 0.0, 1.0) : 0.0;
    const double d = std::hypot(x - (s.ax + t * s.dx), y - (s.ay + t * s.dy));
    return {d, s.walked + t * s.len};
  }

  std::size_t build(std::size_t lo, std::size_t hi) {
    const std::size_t at = nodes_.size();
    nodes_.push_back({{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
                       -std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()},
                      lo, hi});
    Box box = nodes_[at].box;
    for (std::size_t i = lo; i < hi; ++i) {
      const Segment& s = segments_[i];
      const double bx = s.ax + s.dx, by = s.ay + s.dy;
      box = {std::min({box.x0, s.ax, bx}), std::min({box.y0, s.ay, by}), std::max({box.x1, s.ax, bx}),
             std::max({box.y1, s.ay, by})};
    }
    nodes_[at].box = box;
    if (hi - lo > leaf_size) {
      const std::size_t mid = lo + (hi - lo) / 2;
      const std::size_t left = build(lo, mid);
      const std::size_t right = build(mid, hi);
      nodes_[at].left = left;
      nodes_[at].right = right;
    }
    return at;
  }

  std::vector<Segment> segments_;
  std::vector<Node> nodes_;
};

}  // namespace

ElevationGrid make_synthetic_terrain(const SyntheticTerrainParams& p) {
  const double mid_lat = 0.5 * (p.south_lat_deg + p.north_lat_deg);
  const Radii radii = radii_at(mid_lat);
  const Plane plane{p.south_lat_deg, p.west_lon_deg, radii.meridional_m * units::rad_per_deg,
                    radii.prime_vertical_m * std::cos(units::rad_from_deg(mid_lat)) * units::rad_per_deg};
  const double dlat = p.resolution_m / plane.m_per_deg_lat;
  const double dlon = p.resolution_m / plane.m_per_deg_lon;
  const int rows = std::max(2, static_cast<int>(std::ceil((p.north_lat_deg - p.south_lat_deg) / dlat)) + 1);
  const int cols = std::max(2, static_cast<int>(std::ceil((p.east_lon_deg - p.west_lon_deg) / dlon)) + 1);

  // A ridge adds nothing beyond 4 half-widths of its axis and a valley changes nothing beyond
  // one: the axis indexes skip those cells without computing their distances.
  std::vector<AxisIndex> ridge_axes;
  for (const auto& r : p.ridges) {
    std::vector<std::pair<double, double>> axis;
    for (const auto& pt : r.axis) axis.push_back(plane.xy(pt.lat_deg, pt.lon_deg));
    ridge_axes.emplace_back(axis);
  }
  std::vector<AxisIndex> valley_axes;
  for (const auto& v : p.valleys) {
    valley_axes.emplace_back(std::vector<std::pair<double, double>>{plane.xy(v.from.lat_deg, v.from.lon_deg),
                                                                    plane.xy(v.to.lat_deg, v.to.lon_deg)});
  }
  std::vector<std::size_t> ridge_hint(p.ridges.size(), 0);
  std::size_t valley_hint = 0;

  const std::uint64_t seed = p.seed * 0x2545F4914F6CDD1DULL + 17;
  constexpr double noise_wavelength_m = 40000.0;  // largest feature of the plains' roughness
  constexpr double crest_wavelength_m = 60000.0;  // distance over which crest height varies
  std::vector<float> h(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
  for (int r = 0; r < rows; ++r) {
    const double lat = p.south_lat_deg + r * dlat;
    for (int c = 0; c < cols; ++c) {
      const double lon = p.west_lon_deg + c * dlon;
      const auto [x, y] = plane.xy(lat, lon);
      double height = p.base_height_m + p.roughness_m * fbm(seed, x / noise_wavelength_m, y / noise_wavelength_m, 5);
      for (std::size_t k = 0; k < p.ridges.size(); ++k) {
        const auto& ridge = p.ridges[k];
        const SegmentHit hit = ridge_axes[k].closest(x, y, 4.0 * ridge.half_width_m, ridge_hint[k]);
        const double u = hit.distance_m / ridge.half_width_m;
        if (u > 4.0) continue;
        // Crest height wanders between the bounds along the axis; rugged detail grows with
        // height so that the range has spurs and saddles, not a smooth bump.
        const double crest01 = 0.5 + 0.9 * fbm(seed + 7 + k, hit.along_m / crest_wavelength_m, 0.5, 3);
        const double crest = ridge.peak_min_m + (ridge.peak_max_m - ridge.peak_min_m) * std::clamp(crest01, 0.0, 1.0);
        const double shape = std::exp(-u * u);
        const double rugged = 1.0 + 0.25 * fbm(seed + 101 + k, x / 8000.0, y / 8000.0, 4);
        height += (crest - p.base_height_m) * shape * rugged;
      }
      for (std::size_t k = 0; k < p.valleys.size(); ++k) {
        const auto& valley = p.valleys[k];
        const double d = valley_axes[k].closest(x, y, valley.half_width_m, valley_hint).distance_m;
        if (d >= valley.half_width_m || height <= valley.floor_m) continue;
        const double t = d / valley.half_width_m;
        height = valley.floor_m + (height - valley.floor_m) * t * t;  // U-shaped glacial profile
      }
      h[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) + static_cast<std::size_t>(c)] =
          static_cast<float>(height);
    }
  }
  return ElevationGrid(p.south_lat_deg, p.west_lon_deg, dlat, dlon, rows, cols, std::move(h));
}

Result<ElevationGrid> load_dem(const std::string& path, std::int64_t max_cells) {
  GDALAllRegister();
  static const char* const kAllowedDrivers[] = {"GTiff", "SRTMHGT", "DTED", nullptr};
  CPLPushErrorHandler(CPLQuietErrorHandler);  // errors are reported through Result, not stderr
  CPLErrorReset();
  auto* ds = static_cast<GDALDataset*>(
      GDALOpenEx(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, kAllowedDrivers, nullptr, nullptr));
  CPLPopErrorHandler();
  const Location where = Location::in_file(path);
  if (ds == nullptr) {
    return fail(Errc::io_error,
                "cannot open as a GeoTIFF, SRTM .hgt or DTED raster: " + std::string(CPLGetLastErrorMsg()), where);
  }
  const GDALDatasetUniquePtr guard(ds);
  if (ds->GetRasterCount() < 1) return fail(Errc::parse_error, "raster has no band", where);
  const OGRSpatialReference* srs = ds->GetSpatialRef();
  if (srs != nullptr && !srs->IsGeographic()) {
    return fail(Errc::unsupported, "raster is in projected coordinates; a geographic (lat/lon) raster is needed",
                where);
  }
  double gt[6];
  if (ds->GetGeoTransform(gt) != CE_None) return fail(Errc::parse_error, "raster has no geotransform", where);
  if (gt[2] != 0.0 || gt[4] != 0.0 || !(gt[1] > 0.0) || !(gt[5] < 0.0)) {
    return fail(Errc::unsupported, "raster is rotated or not north-up", where);
  }
  const int cols = ds->GetRasterXSize();
  const int rows = ds->GetRasterYSize();
  if (rows < 2 || cols < 2) return fail(Errc::parse_error, "raster is smaller than 2 x 2", where);
  if (static_cast<double>(rows) * cols > static_cast<double>(max_cells)) {
    return fail(Errc::unsupported,
                "raster has " + std::to_string(rows) + " x " + std::to_string(cols) + " cells; at most " +
                    std::to_string(max_cells) + " are read",
                where);
  }
  const double dlon = gt[1];
  const double dlat = -gt[5];
  const double west = gt[0] + 0.5 * dlon;
  const double south = gt[3] - (rows - 0.5) * dlat;
  const double east = west + (cols - 1) * dlon;
  const double north = south + (rows - 1) * dlat;
  // Pixel centres must lie on the globe (tiles whose outer edge touches a pole or the
  // antimeridian are fine).
  if (!std::isfinite(west) || !std::isfinite(east) || !std::isfinite(south) || !std::isfinite(north) ||
      south < -90.0 || north > 90.0 || west < -180.0 || east > 180.0) {
    return fail(Errc::parse_error, "raster's pixel centres are not all within lat [-90, 90] and lon [-180, 180]",
                where);
  }
  GDALRasterBand* band = ds->GetRasterBand(1);
  std::vector<float> heights(static_cast<std::size_t>(rows) * static_cast<std::size_t>(cols));
  if (band->RasterIO(GF_Read, 0, 0, cols, rows, heights.data(), cols, rows, GDT_Float32, 0, 0, nullptr) != CE_None) {
    return fail(Errc::io_error, "cannot read band 1: " + std::string(CPLGetLastErrorMsg()), where);
  }
  int has_nodata = 0;
  const double nodata = band->GetNoDataValue(&has_nodata);
  std::size_t valid = 0;
  for (float& v : heights) {
    if ((has_nodata != 0 && v == static_cast<float>(nodata)) || !std::isfinite(v) || v < -1000.0F || v > 9000.0F) {
      v = 0.0F;  // voids become sea level: a documented, visible simplification
    } else {
      ++valid;
    }
  }
  if (valid == 0) return fail(Errc::parse_error, "raster has no valid height", where);
  // GDAL rows run north to south; the grid's row 0 is the south edge: flip in place.
  for (int r = 0; r < rows / 2; ++r) {
    std::swap_ranges(heights.begin() + static_cast<std::ptrdiff_t>(r) * cols,
                     heights.begin() + static_cast<std::ptrdiff_t>(r + 1) * cols,
                     heights.begin() + static_cast<std::ptrdiff_t>(rows - 1 - r) * cols);
  }
  return ElevationGrid(south, west, dlat, dlon, rows, cols, std::move(heights));
}

Result<ElevationGrid> make_terrain(const TerrainParams& params) {
  if (const auto* flat = std::get_if<FlatTerrainParams>(&params)) return ElevationGrid::constant(flat->height_m);
  if (const auto* syn = std::get_if<SyntheticTerrainParams>(&params)) return make_synthetic_terrain(*syn);
  return load_dem(std::get<DemTerrainParams>(params).path);
}

}  // namespace jrads::world
