// libFuzzer target: the metrics CSV readers on arbitrary bytes. The first byte picks the reader
// (truth.csv, tracks.csv, detections.csv or detections_truth.csv for the coverage filter); the
// rest is the file. A reader must never crash, hang or throw; an error must name a line; a
// table it accepts must be consistent, and small accepted tables go through compute_metrics,
// whose results must stay in range (and, for tracks copied from the truth, show no misses).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "jrads/core/log.hpp"
#include "jrads/core/result.hpp"
#include "jrads/metrics/csv_input.hpp"
#include "jrads/metrics/metrics.hpp"

namespace {

using namespace jrads::metrics;

bool in_unit(double v) { return std::isnan(v) || (v >= 0.0 && v <= 1.0 + 1e-12); }

void check_report(const MetricsReport& r) {
  JRADS_ASSERT(std::isnan(r.ospa_m) || (r.ospa_m >= 0.0 && r.ospa_m <= r.params.cutoff_m * (1 + 1e-9)));
  JRADS_ASSERT(std::isnan(r.gospa.mean_pow_p) ||
               std::abs(r.gospa.mean_pow_p - (r.gospa.localisation + r.gospa.missed + r.gospa.false_part)) <=
                   1e-6 * std::max(1.0, r.gospa.mean_pow_p));
  JRADS_ASSERT(in_unit(r.siap.completeness));
  JRADS_ASSERT(in_unit(r.siap.spuriousness));
  JRADS_ASSERT(in_unit(r.siap.longest_track_segment));
  JRADS_ASSERT(in_unit(r.identity.correct_fraction));
  JRADS_ASSERT(std::isnan(r.siap.ambiguity) || r.siap.ambiguity >= 1.0);
  JRADS_ASSERT(r.siap.tracked_truth_steps <= r.siap.truth_steps);
  JRADS_ASSERT(!to_json(r).empty() && !to_text(r).empty());
}

// Tracks that follow the truth exactly: OSPA must then be (close to) zero.
TrackTable tracks_from(const TruthTable& truth) {
  TrackTable t;
  t.ids = truth.ids;
  for (const TruthRow& r : truth.rows) {
    TrackRow k;
    k.time_s = r.time_s;
    k.track = r.truth;
    k.status = TrackStatus::confirmed;
    k.identity = Identity::neutral;
    k.lat_deg = r.lat_deg;
    k.lon_deg = r.lon_deg;
    k.alt_m = r.alt_m;
    k.ve_mps = r.ve_mps;
    k.vn_mps = r.vn_mps;
    k.vu_mps = r.vu_mps;
    t.rows.push_back(k);
  }
  return t;
}

TruthTable truth_from(const TrackTable& tracks) {
  TruthTable t;
  t.ids = tracks.ids;
  for (std::size_t i = 0; i < tracks.ids.size(); ++i) t.categories.push_back(static_cast<Category>(i % 3));
  for (const TrackRow& k : tracks.rows) {
    t.rows.push_back({k.time_s, k.track, k.lat_deg, k.lon_deg, k.alt_m, k.ve_mps, k.vn_mps, k.vu_mps});
  }
  return t;
}

const char* const kTruth =
    "time_s,truth_id,category,lat_deg,lon_deg,alt_m,ve_mps,vn_mps,vu_mps\n"
    "0,A,civil,52,4,9000,200,0,0\n0,B,hostile,52.1,4,300,0,0,0\n";
const char* const kDetections =
    "time_s,sensor_id,type,range_m,azimuth_deg,elevation_deg,sigma_range_m,sigma_azimuth_deg,sigma_elevation_deg,"
    "lat_deg,lon_deg,alt_m,sigma_pos_m,icao,squawk,iff\n0,R,radar,1,1,1,1,1,1,,,,,,,\n1,R,radar,1,1,1,1,1,1,,,,,,,\n";
const char* const kDetectionsTruth = "row,truth_id\n1,A\n2,B\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool silenced = [] {
    jrads::silence_logs();
    return true;
  }();
  (void)silenced;
  // Lines are capped at 4 KiB; 256 KiB holds many rows and keeps each run fast.
  if (size == 0 || size > (std::size_t{1} << 18)) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  constexpr std::size_t kMaxRowsForMetrics = 300;
  switch (data[0] % 4) {
    case 0: {
      const auto truth = parse_truth_csv(text, "truth.csv");
      if (!truth) {
        JRADS_ASSERT(truth.error().where.line >= 1);
        break;
      }
      JRADS_ASSERT(truth->categories.size() == truth->ids.size());
      for (const TruthRow& r : truth->rows) JRADS_ASSERT(r.truth < truth->ids.size());
      if (truth->rows.size() <= kMaxRowsForMetrics) {
        const auto r = compute_metrics(*truth, tracks_from(*truth), MetricsParams{}, nullptr);
        JRADS_ASSERT(r.has_value());
        check_report(*r);
        // Each truth has a track at distance 0, so none is missed and localisation is zero.
        JRADS_ASSERT(std::isnan(r->gospa.missed) || r->gospa.missed == 0.0);
        JRADS_ASSERT(std::isnan(r->gospa.localisation) || r->gospa.localisation < 1e-6);
      }
      break;
    }
    case 1: {
      const auto tracks = parse_tracks_csv(text, "tracks.csv");
      if (!tracks) {
        JRADS_ASSERT(tracks.error().where.line >= 1);
        break;
      }
      for (const TrackRow& r : tracks->rows) JRADS_ASSERT(r.track < tracks->ids.size());
      if (tracks->rows.size() <= kMaxRowsForMetrics) {
        const auto r = compute_metrics(truth_from(*tracks), *tracks, MetricsParams{}, nullptr);
        JRADS_ASSERT(r.has_value());
        check_report(*r);
      }
      break;
    }
    default: {
      const auto truth = parse_truth_csv(kTruth, "truth.csv");
      JRADS_ASSERT(truth.has_value());
      const bool det = data[0] % 4 == 2;
      const auto cov = parse_coverage(det ? text : std::string_view(kDetections), "detections.csv",
                                      det ? std::string_view(kDetectionsTruth) : text, "detections_truth.csv",
                                      *truth, MetricsParams{});
      if (!cov) {
        JRADS_ASSERT(cov.error().where.line >= 1);
        break;
      }
      JRADS_ASSERT(cov->intervals.size() == truth->ids.size());
      for (const auto& list : cov->intervals) {
        for (std::size_t i = 0; i < list.size(); ++i) {
          JRADS_ASSERT(list[i].begin_s <= list[i].end_s);
          JRADS_ASSERT(i == 0 || list[i - 1].end_s < list[i].begin_s);
        }
      }
      const auto r = compute_metrics(*truth, tracks_from(*truth), MetricsParams{}, &*cov);
      JRADS_ASSERT(r.has_value());
      check_report(*r);
      break;
    }
  }
  return 0;
}
