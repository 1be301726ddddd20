#pragma once
// Air-picture quality: compares tracks.csv with truth.csv (FORMATS.md) and averages OSPA,
// GOSPA, SIAP and identity measures over the truth time steps. docs/METRICS.md gives every
// definition with its reference.
//
//   auto truth = read_truth_csv("out/truth.csv");
//   auto tracks = read_tracks_csv("out/tracks.csv");
//   if (!truth || !tracks) ...;
//   const Result<MetricsReport> report = compute_metrics(*truth, *tracks, MetricsParams{}, nullptr);
//   std::puts(to_text(*report).c_str());   // or to_json(*report)
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/metrics/csv_input.hpp"

namespace jrads::metrics {

struct MetricsParams {
  double cutoff_m = 2000.0;                 // OSPA/GOSPA cut-off c, [1e-3, 1e7] m
  double order_p = 2.0;                     // OSPA/GOSPA order p, [1, 20]
  double association_threshold_m = 2000.0;  // SIAP track-to-truth gate, (0, 1e7] m
  double identity_grace_s = 30.0;           // identity scored from first confirmation + this, >= 0 s
  double coverage_window_s = 30.0;          // coverage: detections counted in [t - window, t], >= 0 s
  int coverage_min_detections = 2;          // coverage: at least this many, [1, 1000]
  double match_tolerance_s = 0.001;         // a track row within this of t is "at t", [0, 0.5) s
  double extrapolation_window_s = 1.0;      // else its latest row in (t - window, t], (tolerance, 60] s
};

// Errc::invalid_argument naming the parameter (in where.path) when one is out of range.
[[nodiscard]] Result<void> validate(const MetricsParams& params);

// When each truth could be seen: t is covered for a truth when at least min_detections
// detections attributed to it have time in [t - window_s, t]. Kept as merged time intervals.
struct CoverageInterval {
  double begin_s = 0.0;
  double end_s = 0.0;  // inclusive
};
struct Coverage {
  double window_s = 0.0;
  int min_detections = 0;
  std::vector<std::vector<CoverageInterval>> intervals;  // by TruthTable index, sorted, disjoint
  std::int64_t detection_rows = 0;   // data rows of detections.csv
  std::int64_t attributed_rows = 0;  // rows detections_truth.csv gives a truth
  std::int64_t clutter_rows = 0;     // rows it marks -1
  [[nodiscard]] bool covers(std::uint32_t truth, double time_s) const noexcept;
};

// Builds the coverage of `truth` from detections.csv (only its time_s column is read, and its
// header is checked) and detections_truth.csv (`row,truth_id`, rows strictly increasing, 1-based
// data rows of detections.csv, truth_id -1 for clutter). The two are read in step, so neither
// is held in memory. Errors name file, line and column: a bad header or number, time_s going
// backwards, a row out of order or beyond the end of detections.csv, a truth_id that truth.csv
// lacks (Errc::dangling_ref), and invalid window/min_detections in params.
[[nodiscard]] Result<Coverage> parse_coverage(std::string_view detections, std::string_view detections_name,
                                              std::string_view detections_truth,
                                              std::string_view detections_truth_name, const TruthTable& truth,
                                              const MetricsParams& params);
// The same, streaming both files in 1 MiB chunks (detections.csv may be gigabytes).
[[nodiscard]] Result<Coverage> read_coverage(const std::filesystem::path& detections,
                                             const std::filesystem::path& detections_truth,
                                             const TruthTable& truth, const MetricsParams& params);

// Every ratio below is NaN when its denominator is zero (JSON: null).
struct GospaReport {
  double mean_m = 0.0;        // mean over steps of GOSPA (metres)
  double mean_pow_p = 0.0;    // mean over steps of GOSPA^p (m^p) == localisation + missed + false
  double localisation = 0.0;  // mean over steps of the sum of d^p over assigned pairs (m^p)
  double missed = 0.0;        // mean over steps of c^p/2 * missed truths (m^p)
  double false_part = 0.0;    // mean over steps of c^p/2 * false tracks (m^p); JSON key "false"
  double missed_count = 0.0;  // mean number of missed truths per step
  double false_count = 0.0;   // mean number of false tracks per step
};

struct SiapReport {
  double completeness = 0.0;              // sum N_JT / sum N_T
  double completeness_in_coverage = 0.0;  // the same over covered truths; NaN without coverage
  double ambiguity = 0.0;                 // sum N_A / sum N_JT (1 is perfect)
  double spuriousness = 0.0;              // sum N_S / sum N_J
  double position_accuracy_m = 0.0;       // RMS over associated (track, truth) pairs
  double velocity_accuracy_mps = 0.0;     // RMS over the same pairs
  double track_number_changes_per_truth = 0.0;  // 0 is perfect
  double longest_track_segment = 0.0;           // mean over truths, in [0, 1]
  std::int64_t truth_steps = 0;              // sum N_T
  std::int64_t tracked_truth_steps = 0;      // sum N_JT
  std::int64_t covered_truth_steps = 0;      // sum N_T in coverage
  std::int64_t covered_tracked_truth_steps = 0;
  std::int64_t track_steps = 0;              // sum N_J
  std::int64_t associated_track_steps = 0;   // sum N_A
  std::int64_t spurious_track_steps = 0;     // sum N_S
  std::int64_t track_number_changes = 0;
  std::int64_t truths_tracked = 0;           // truths that ever had a primary track
};

struct IdentityReport {
  double correct_fraction = 0.0;  // correct / counted primary pairs after the grace period
  double correct_fraction_civil = 0.0;
  double correct_fraction_friend = 0.0;
  double correct_fraction_hostile = 0.0;
  std::int64_t counted_pairs = 0;
  std::int64_t correct_pairs = 0;
  std::int64_t civil_declared_hostile = 0;   // distinct civil truths ever associated with a hostile track
  std::int64_t civil_declared_suspect = 0;   // ... with a suspect track
  std::int64_t hostile_declared_friend = 0;  // distinct hostile truths ever with friend/assumed_friend
  std::int64_t friend_declared_hostile = 0;  // distinct friend truths ever with a hostile track
};

struct MetricsReport {
  MetricsParams params;
  bool has_coverage = false;
  std::int64_t time_steps = 0;          // distinct truth.csv times
  std::int64_t scored_steps = 0;        // steps with >= 1 truth or track (OSPA/GOSPA average)
  std::int64_t truths = 0;              // distinct truth_id
  std::int64_t tracks = 0;              // distinct track_id in tracks.csv
  std::int64_t tracks_counted = 0;      // distinct track_id with >= 1 confirmed/coasting row
  std::int64_t truth_rows = 0;
  std::int64_t track_rows = 0;
  std::int64_t counted_track_rows = 0;  // confirmed or coasting rows
  std::int64_t track_states = 0;        // (track, step) states used
  std::int64_t extrapolated_states = 0; // of which extrapolated from an earlier row
  double ospa_m = 0.0;                  // mean over scored steps
  GospaReport gospa;
  SiapReport siap;
  IdentityReport identity;
};

// Errors: invalid params (see validate), or a coverage built for a table of another size.
[[nodiscard]] Result<MetricsReport> compute_metrics(const TruthTable& truth, const TrackTable& tracks,
                                                    const MetricsParams& params, const Coverage* coverage);

// A readable, aligned summary with the short name and definition of each measure.
[[nodiscard]] std::string to_text(const MetricsReport& report);
// The FORMATS.md metrics object (nlohmann::json, indent 2); NaN ratios are written as null.
[[nodiscard]] std::string to_json(const MetricsReport& report);

}  // namespace jrads::metrics
