// Text and JSON forms of a MetricsReport.
#include <cmath>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "jrads/metrics/metrics.hpp"

namespace jrads::metrics {

namespace {

constexpr const char* kAveraging =
    "ospa, gospa and the gospa parts: arithmetic mean over the scored time steps (distinct truth.csv times with at "
    "least one truth or track); gospa parts are per-step sums in m^p, so localisation + missed + false = "
    "value_pow_p, the mean of GOSPA^p, while value_m is the mean of GOSPA; siap ratios: sum over steps of the "
    "numerator / sum over steps of the denominator; accuracies: RMS over all associated (track, truth) pairs of "
    "all steps; longest_track_segment: mean over truths; identity correct fractions: over primary pairs of all "
    "steps after the grace period; declared_* counts: distinct truths";

// null for NaN, as nlohmann would write it anyway, but explicit.
nlohmann::ordered_json number(double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nullptr; }

std::string fmt(double v, const char* spec = "%.6g") {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, spec, v);
  return buf;
}

void line(std::string& out, const std::string& name, const std::string& value, const std::string& note) {
  char buf[512];
  std::snprintf(buf, sizeof buf, "  %-32s %14s", name.c_str(), value.c_str());
  out += buf;
  if (!note.empty()) {
    out += "  ";
    out += note;
  }
  out += '\n';
}

}  // namespace

std::string to_json(const MetricsReport& r) {
  using J = nlohmann::ordered_json;
  const MetricsParams& p = r.params;
  J j;
  j["format"] = "jrads.metrics/1";
  j["averaging"] = kAveraging;
  j["association_threshold_m"] = p.association_threshold_m;
  j["counts"] = J{{"time_steps", r.time_steps},
                  {"scored_steps", r.scored_steps},
                  {"truths", r.truths},
                  {"tracks", r.tracks},
                  {"tracks_counted", r.tracks_counted},
                  {"truth_rows", r.truth_rows},
                  {"track_rows", r.track_rows},
                  {"counted_track_rows", r.counted_track_rows},
                  {"track_states", r.track_states},
                  {"extrapolated_states", r.extrapolated_states}};
  j["params"] = J{{"cutoff_m", p.cutoff_m},
                  {"order_p", p.order_p},
                  {"association_threshold_m", p.association_threshold_m},
                  {"identity_grace_s", p.identity_grace_s},
                  {"match_tolerance_s", p.match_tolerance_s},
                  {"extrapolation_window_s", p.extrapolation_window_s}};
  j["ospa"] = number(r.ospa_m);
  j["ospa_cutoff_m"] = p.cutoff_m;
  j["ospa_order_p"] = p.order_p;
  j["gospa"] = J{{"value_m", number(r.gospa.mean_m)},
                 {"value_pow_p", number(r.gospa.mean_pow_p)},
                 {"c_m", p.cutoff_m},
                 {"p", p.order_p},
                 {"alpha", 2},
                 {"localisation", number(r.gospa.localisation)},
                 {"missed", number(r.gospa.missed)},
                 {"false", number(r.gospa.false_part)},
                 {"parts_unit", "m^p"},
                 {"parts_averaging", "mean over scored steps of each per-step part; the three parts add up to "
                                     "value_pow_p"},
                 {"missed_count", number(r.gospa.missed_count)},
                 {"false_count", number(r.gospa.false_count)}};
  const SiapReport& s = r.siap;
  j["siap"] = J{{"completeness", number(s.completeness)},
                {"completeness_in_coverage", number(s.completeness_in_coverage)},
                {"ambiguity", number(s.ambiguity)},
                {"spuriousness", number(s.spuriousness)},
                {"position_accuracy_m", number(s.position_accuracy_m)},
                {"velocity_accuracy_mps", number(s.velocity_accuracy_mps)},
                {"track_number_changes_per_truth", number(s.track_number_changes_per_truth)},
                {"longest_track_segment", number(s.longest_track_segment)},
                {"truth_steps", s.truth_steps},
                {"tracked_truth_steps", s.tracked_truth_steps},
                {"covered_truth_steps", s.covered_truth_steps},
                {"covered_tracked_truth_steps", s.covered_tracked_truth_steps},
                {"track_steps", s.track_steps},
                {"associated_track_steps", s.associated_track_steps},
                {"spurious_track_steps", s.spurious_track_steps},
                {"track_number_changes", s.track_number_changes},
                {"truths_tracked", s.truths_tracked}};
  const IdentityReport& i = r.identity;
  j["identity"] = J{{"correct_fraction", number(i.correct_fraction)},
                    {"correct_fraction_civil", number(i.correct_fraction_civil)},
                    {"correct_fraction_friend", number(i.correct_fraction_friend)},
                    {"correct_fraction_hostile", number(i.correct_fraction_hostile)},
                    {"civil_declared_hostile", i.civil_declared_hostile},
                    {"civil_declared_suspect", i.civil_declared_suspect},
                    {"hostile_declared_friend", i.hostile_declared_friend},
                    {"friend_declared_hostile", i.friend_declared_hostile},
                    {"counted_pairs", i.counted_pairs},
                    {"correct_pairs", i.correct_pairs},
                    {"grace_s", p.identity_grace_s}};
  j["coverage"] = J{{"used", r.has_coverage}};
  if (r.has_coverage) {
    j["coverage"]["window_s"] = p.coverage_window_s;
    j["coverage"]["min_detections"] = p.coverage_min_detections;
  }
  return j.dump(2);
}

std::string to_text(const MetricsReport& r) {
  const MetricsParams& p = r.params;
  const SiapReport& s = r.siap;
  const IdentityReport& i = r.identity;
  const std::string pw = "m^" + fmt(p.order_p, "%g");
  std::string out;
  out += "JRADS air-picture metrics (docs/METRICS.md)\n";
  line(out, "time steps", std::to_string(r.time_steps), "distinct truth.csv times; " +
                                                             std::to_string(r.scored_steps) + " scored");
  line(out, "truths", std::to_string(r.truths), std::to_string(r.truth_rows) + " rows");
  line(out, "tracks", std::to_string(r.tracks),
       std::to_string(r.tracks_counted) + " with confirmed/coasting rows, " + std::to_string(r.counted_track_rows) +
           " of " + std::to_string(r.track_rows) + " rows counted");
  line(out, "track states", std::to_string(r.track_states),
       std::to_string(r.extrapolated_states) + " extrapolated from rows off the truth times");
  out += "Set distances (mean over scored steps), c = " + fmt(p.cutoff_m, "%g") + " m, p = " + fmt(p.order_p, "%g") +
         "\n";
  line(out, "OSPA", fmt(r.ospa_m, "%.3f"), "m  Schuhmacher, Vo & Vo 2008");
  line(out, "GOSPA (alpha = 2)", fmt(r.gospa.mean_m, "%.3f"), "m  Rahmathullah et al. 2017");
  line(out, "GOSPA^p", fmt(r.gospa.mean_pow_p, "%.6g"), pw + "  = localisation + missed + false");
  line(out, "  localisation", fmt(r.gospa.localisation, "%.6g"), pw + "  sum of d^p over assigned pairs");
  line(out, "  missed", fmt(r.gospa.missed, "%.6g"),
       pw + "  c^p/2 per missed truth (mean " + fmt(r.gospa.missed_count, "%.3f") + " per step)");
  line(out, "  false", fmt(r.gospa.false_part, "%.6g"),
       pw + "  c^p/2 per false track (mean " + fmt(r.gospa.false_count, "%.3f") + " per step)");
  out += "SIAP (association threshold " + fmt(p.association_threshold_m, "%g") + " m)\n";
  line(out, "completeness", fmt(s.completeness, "%.4f"), "sum N_JT / sum N_T, 1 is perfect");
  if (r.has_coverage) {
    line(out, "completeness in coverage", fmt(s.completeness_in_coverage, "%.4f"),
         ">= " + std::to_string(p.coverage_min_detections) + " detections in the last " +
             fmt(p.coverage_window_s, "%g") + " s");
  }
  line(out, "ambiguity", fmt(s.ambiguity, "%.4f"), "sum N_A / sum N_JT, 1 is perfect");
  line(out, "spuriousness", fmt(s.spuriousness, "%.4f"), "sum N_S / sum N_J, 0 is perfect");
  line(out, "position accuracy", fmt(s.position_accuracy_m, "%.3f"), "m  RMS over associated pairs");
  line(out, "velocity accuracy", fmt(s.velocity_accuracy_mps, "%.3f"), "m/s  RMS over associated pairs");
  line(out, "track number changes / truth", fmt(s.track_number_changes_per_truth, "%.4f"),
       "primary track number changes per tracked truth, 0 is perfect");
  line(out, "longest track segment", fmt(s.longest_track_segment, "%.4f"),
       "mean longest share of a truth's life held by one track, 1 is perfect");
  out += "Identity (grace " + fmt(p.identity_grace_s, "%g") + " s after confirmation)\n";
  line(out, "correct fraction", fmt(i.correct_fraction, "%.4f"),
       std::to_string(i.correct_pairs) + " of " + std::to_string(i.counted_pairs) + " primary pairs");
  line(out, "  civil (neutral)", fmt(i.correct_fraction_civil, "%.4f"), "");
  line(out, "  friend (friend, assumed)", fmt(i.correct_fraction_friend, "%.4f"), "");
  line(out, "  hostile (hostile, suspect)", fmt(i.correct_fraction_hostile, "%.4f"), "");
  line(out, "civil declared hostile", std::to_string(i.civil_declared_hostile), "distinct civil truths");
  line(out, "civil declared suspect", std::to_string(i.civil_declared_suspect), "distinct civil truths");
  line(out, "hostile declared friend", std::to_string(i.hostile_declared_friend), "distinct hostile truths");
  line(out, "friend declared hostile", std::to_string(i.friend_declared_hostile), "distinct friend truths");
  return out;
}

}  // namespace jrads::metrics
