#include "jrads/scenario/generate.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/rng.hpp"
#include "jrads/scenario/scenario.hpp"

namespace jrads::scenario {
namespace {

constexpr double kCentreLatDeg = 45.0;
constexpr double kCentreLonDeg = 20.0;
constexpr int kMaxCount = 100000;

// Appends printf-formatted text; the generator writes plain YAML flow mappings.
template <class... Args>
void put(std::string& out, const char* format, Args... args) {
  char buf[512];
  const int n = std::snprintf(buf, sizeof buf, format, args...);
  out.append(buf, static_cast<std::size_t>(std::min<int>(n, sizeof buf - 1)));
}

// The region as a small local flat box: east/north metres from the centre to degrees. Good to
// a fraction of a percent over 1000 km, which is all a synthetic layout needs.
struct Region {
  double width_m;
  double height_m;
  double m_per_deg_lat;
  double m_per_deg_lon;

  explicit Region(const GenerateOptions& o)
      : width_m(o.width_m),
        height_m(o.height_m),
        m_per_deg_lat(mean_earth_radius_m() * std::numbers::pi / 180.0),
        m_per_deg_lon(m_per_deg_lat * std::cos(kCentreLatDeg * std::numbers::pi / 180.0)) {}
  [[nodiscard]] double lat(double north_m) const { return kCentreLatDeg + north_m / m_per_deg_lat; }
  [[nodiscard]] double lon(double east_m) const { return kCentreLonDeg + east_m / m_per_deg_lon; }
};

struct Point {
  double east_m;
  double north_m;
};

Point random_point(RngStream& rng, const Region& r, double margin_fraction) {
  const double mx = r.width_m * (0.5 - margin_fraction);
  const double my = r.height_m * (0.5 - margin_fraction);
  return {rng.uniform(-mx, mx), rng.uniform(-my, my)};
}

void put_position(std::string& out, const Region& r, Point p) {
  put(out, "[%.5f, %.5f]", r.lat(p.north_m), r.lon(p.east_m));
}

void put_terrain(std::string& out, const Region& r, std::uint64_t seed) {
  // 60 km of terrain beyond the region so radar horizons and routes never leave the grid.
  const double pad = 60000.0;
  put(out, "terrain:\n  type: synthetic\n  seed: %llu\n", static_cast<unsigned long long>(seed));
  put(out, "  south_lat_deg: %.4f\n  north_lat_deg: %.4f\n", r.lat(-r.height_m / 2 - pad),
      r.lat(r.height_m / 2 + pad));
  put(out, "  west_lon_deg: %.4f\n  east_lon_deg: %.4f\n", r.lon(-r.width_m / 2 - pad),
      r.lon(r.width_m / 2 + pad));
  const double cells = (r.width_m + 2 * pad) * (r.height_m + 2 * pad);
  put(out, "  resolution_m: %.0f\n", std::max(500.0, std::ceil(std::sqrt(cells / 8e6))));
  out += "  base_height_m: 250\n  roughness_m: 150\n";
  // One range across the middle, cut by valleys every ~150 km, as in the default scenario.
  out += "  ridges:\n    - axis: [";
  const int axis_points = 7;
  for (int i = 0; i < axis_points; ++i) {
    const double east = -r.width_m / 2 - pad + (r.width_m + 2 * pad) * i / (axis_points - 1);
    const double north = (i % 2 == 0 ? 1.0 : -1.0) * r.height_m * 0.03;
    if (i > 0) out += ", ";
    put_position(out, r, {east, north});
  }
  out += "]\n      half_width_m: 25000\n      peak_min_m: 4000\n      peak_max_m: 7000\n";
  const int valleys = std::max(1, static_cast<int>(r.width_m / 150000.0));
  out += "  valleys:\n";
  for (int v = 0; v < valleys; ++v) {
    const double east = -r.width_m / 2 + r.width_m * (v + 0.5) / valleys;
    out += "    - {from: ";
    put_position(out, r, {east, r.height_m * 0.25});
    out += ", to: ";
    put_position(out, r, {east + 10000.0, -r.height_m * 0.25});
    out += ", half_width_m: 6000, floor_m: 700}\n";
  }
}

struct RadarSite {
  Point at;
  const char* party;
};

std::vector<RadarSite> put_sensors(std::string& out, const Region& r, RngStream& rng, int radars) {
  static constexpr std::array<const char*, 4> kBands = {"L", "S", "C", "X"};
  // Sigmas grow with wavelength: notional values per band.
  static constexpr std::array<double, 4> kSigmaRange = {80, 50, 30, 20};
  static constexpr std::array<double, 4> kSigmaAz = {0.3, 0.2, 0.15, 0.1};
  const int cols = std::max(1, static_cast<int>(std::ceil(std::sqrt(radars * r.width_m / r.height_m))));
  const int rows = (radars + cols - 1) / cols;
  std::vector<RadarSite> sites;
  out += "sensors:\n";
  for (int i = 0; i < radars; ++i) {
    const double cx = -r.width_m / 2 + r.width_m * ((i % cols) + 0.5) / cols;
    const double cy = -r.height_m / 2 + r.height_m * ((i / cols) + 0.5) / rows;
    const Point at{cx + rng.uniform(-0.25, 0.25) * r.width_m / cols,
                   cy + rng.uniform(-0.25, 0.25) * r.height_m / rows};
    const char* party = i % 2 == 0 ? "KAL" : "MOR";
    sites.push_back({at, party});
    const auto band = static_cast<std::size_t>(rng.below(kBands.size()));
    const double reference_range_m = std::round(rng.uniform(120, 250)) * 1000.0;
    put(out, "  - {id: R%03d, type: radar, party: %s, position: ", i + 1, party);
    put_position(out, r, at);
    put(out,
        ", height_agl_m: %.0f, band: %s, scan_period_s: %.1f, reference_range_m: %.0f, "
        "max_range_m: %.0f, sigma_range_m: %.0f, sigma_azimuth_deg: %.2f, start_azimuth_deg: %.0f}\n",
        rng.uniform(10, 30), kBands[band], std::round(rng.uniform(8, 24)) / 2.0, reference_range_m,
        1.5 * reference_range_m, kSigmaRange[band], kSigmaAz[band], std::floor(rng.uniform(0, 360)));
  }
  // Interrogators and ADS-B ground stations share radar sites.
  for (int i = 0; i * 5 < radars; ++i) {
    const RadarSite& s = sites[static_cast<std::size_t>(i * 5)];
    put(out, "  - {id: I%03d, type: iff, party: %s, position: ", i + 1, s.party);
    put_position(out, r, s.at);
    out += ", height_agl_m: 15, scan_period_s: 10, max_range_m: 300000}\n";
  }
  for (int i = 0; i * 4 < radars; ++i) {
    const RadarSite& s = sites[static_cast<std::size_t>(std::min(radars - 1, i * 4 + 2))];
    put(out, "  - {id: A%03d, type: adsb_receiver, party: %s, position: ", i + 1, i % 2 == 0 ? "MOR" : "KAL");
    put_position(out, r, s.at);
    out += ", height_agl_m: 20, max_range_m: 300000}\n";
  }
  return sites;
}

// A route of random legs inside the region, long enough to last until the end of the run.
void put_route(std::string& out, const Region& r, RngStream& rng, double length_m) {
  Point p = random_point(rng, r, 0.05);
  out += "    route: [";
  put_position(out, r, p);
  double flown = 0.0;
  int points = 1;
  while (flown < length_m || points < 2) {
    Point q = random_point(rng, r, 0.05);
    const double leg = std::hypot(q.east_m - p.east_m, q.north_m - p.north_m);
    if (leg < 50000.0) continue;  // short legs make needless sharp turns
    out += ", ";
    put_position(out, r, q);
    flown += leg;
    p = q;
    ++points;
  }
  out += "]\n";
}

void put_octal4(std::string& out, RngStream& rng) {
  put(out, "\"%llo%llo%llo%llo\"", static_cast<unsigned long long>(rng.below(8)),
      static_cast<unsigned long long>(rng.below(8)), static_cast<unsigned long long>(rng.below(8)),
      static_cast<unsigned long long>(rng.below(8)));
}

void put_platforms(std::string& out, const Region& r, RngStream& rng, const GenerateOptions& o) {
  const int civil = static_cast<int>(std::lround(0.7 * o.aircraft));
  const int friends = static_cast<int>(std::lround(0.1 * o.aircraft));
  const double start_window_s = std::min(300.0, o.duration_s / 10.0);
  out += "platforms:\n";
  for (int i = 0; i < o.aircraft; ++i) {
    const double start_s = std::floor(rng.uniform(0.0, start_window_s));
    double speed = 0;
    if (i < civil) {
      const bool jet = rng.bernoulli(0.2);
      speed = std::round(rng.uniform(jet ? 200 : 220, jet ? 230 : 250));
      put(out, "  - id: C%05d\n    callsign: C%05d\n    category: civil\n    kind: %s\n", i + 1, i + 1,
          jet ? "business_jet" : "airliner");
      put(out, "    alt_m: %.0f\n", 30.48 * 10.0 * std::round(rng.uniform(28, 41)));
      // Addresses are unique by construction: a fixed block plus the index.
      put(out, "    transponder: {icao: %06X, squawk: ", 0x400000U + static_cast<unsigned>(i));
      put_octal4(out, rng);
      put(out, ", adsb_out: %s, nacp: %d}\n", rng.bernoulli(0.97) ? "true" : "false",
          8 + static_cast<int>(rng.below(4)));
    } else if (i < civil + friends) {
      const bool fighter = rng.bernoulli(0.6);
      speed = std::round(fighter ? rng.uniform(220, 260) : rng.uniform(140, 170));
      put(out, "  - id: F%05d\n    callsign: F%05d\n    category: friend\n    kind: %s\n", i + 1, i + 1,
          fighter ? "fighter" : "transport");
      put(out, "    alt_m: %.0f\n", std::round(fighter ? rng.uniform(6000, 10000) : rng.uniform(5000, 8000)));
      out += "    transponder: {squawk: ";
      put_octal4(out, rng);
      put(out, ", mode5_equipped: %s}\n", rng.bernoulli(0.85) ? "true" : "false");
    } else {
      const double u = rng.uniform();
      const char* kind = u < 0.4 ? "cruise_missile" : (u < 0.7 ? "drone" : "fighter");
      put(out, "  - id: H%05d\n    category: hostile\n    kind: %s\n", i + 1, kind);
      if (u < 0.4) {
        speed = std::round(rng.uniform(230, 250));
        put(out, "    agl_m: %.0f\n", std::round(rng.uniform(60, 150)));
      } else if (u < 0.7) {
        speed = std::round(rng.uniform(40, 50));
        put(out, "    agl_m: %.0f\n", std::round(rng.uniform(200, 400)));
      } else {
        speed = std::round(rng.uniform(250, 290));
        put(out, "    alt_m: %.0f\n", std::round(rng.uniform(7000, 11000)));
      }
    }
    put(out, "    start_time_s: %.0f\n    speed_mps: %.0f\n", start_s, speed);
    // 10 % spare for lead turns and speed changes.
    put_route(out, r, rng, 1.1 * speed * (o.duration_s - start_s));
  }
}

}  // namespace

Result<std::string> generate_scenario_yaml(const GenerateOptions& o) {
  if (o.aircraft <= 0 || o.aircraft > kMaxCount) {
    return fail(Errc::invalid_argument, "aircraft must be in [1, 100000], got " + std::to_string(o.aircraft));
  }
  if (o.radars <= 0 || o.radars > 1000) {
    return fail(Errc::invalid_argument, "radars must be in [1, 1000], got " + std::to_string(o.radars));
  }
  if (!(o.duration_s > 0 && o.duration_s <= 86400)) {
    return fail(Errc::invalid_argument, "duration_s must be in (0, 86400]");
  }
  if (!(o.width_m >= 100000 && o.width_m <= 2000000 && o.height_m >= 100000 && o.height_m <= 2000000)) {
    return fail(Errc::invalid_argument, "the region's width and height must be in [100 km, 2000 km]");
  }
  const Region region(o);
  const Rng rng(o.seed);
  RngStream layout = rng.stream("generate/layout");
  RngStream traffic = rng.stream("generate/traffic");

  std::string out;
  out.reserve(static_cast<std::size_t>(o.aircraft) * 600 + 10000);
  put(out, "# Generated by `jrads generate --aircraft %d --radars %d --seed %llu --duration-s %.17g`.\n",
      o.aircraft, o.radars, static_cast<unsigned long long>(o.seed), o.duration_s);
  out += "# A notional load-test case: every aircraft flies for the whole run.\nversion: 1\n";
  put(out, "name: Generated load case (%d aircraft, %d radars)\n", o.aircraft, o.radars);
  put(out, "seed: %llu\nduration_s: %.17g\n", static_cast<unsigned long long>(o.seed), o.duration_s);
  out +=
      "parties:\n"
      "  - {id: KAL, name: Republic of Kalendria, role: coordinating, host: false}\n"
      "  - {id: MOR, name: Morvessa, role: directing, host: true}\n"
      "agreement: {signature_date: 2025-03-14}\n";
  put_terrain(out, region, layout.next_u64() >> 1);
  put_sensors(out, region, layout, o.radars);
  out += "defended_assets:\n";
  for (int i = 0; i < 3; ++i) {
    put(out, "  - {id: DA-%d, position: ", i + 1);
    put_position(out, region, {region.width_m * (i - 1) * 0.3, -region.height_m * 0.3});
    out += ", radius_m: 10000}\n";
  }
  put_platforms(out, region, traffic, o);
  if (out.size() > max_scenario_bytes) {
    return fail(Errc::invalid_argument, "the scenario would take " + std::to_string(out.size() >> 20) +
                                            " MiB, more than the reader accepts (" +
                                            std::to_string(max_scenario_bytes >> 20) + " MiB): ask for fewer aircraft");
  }
  return out;
}

}  // namespace jrads::scenario
