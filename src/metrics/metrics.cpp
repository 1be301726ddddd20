#include "jrads/metrics/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <limits>

#include <Eigen/Core>

#include "cell_index_impl.hpp"
#include "jrads/core/geodesy.hpp"
#include "jrads/metrics/set_distance.hpp"

namespace jrads::metrics {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Unexpected bad_param(const char* name, const std::string& rule) {
  Location where;
  where.path = name;
  return fail(Errc::invalid_argument, std::string(name) + " must be " + rule, where);
}

double ratio(double num, double den) { return den > 0.0 ? num / den : kNaN; }

bool all_finite(std::initializer_list<double> values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return std::isfinite(v); });
}

// Times so large that t - 1 s == t would break the matching windows; the readers cap at 1e9 s.
bool usable_time(double t) { return std::abs(t) <= 1e9; }

struct State {
  Eigen::Vector3d pos_ecef;
  Eigen::Vector3d vel_ecef;
};

State state_of(double lat_deg, double lon_deg, double alt_m, double ve, double vn, double vu) {
  const Ecef p = ecef_from_geodetic({lat_deg, lon_deg, alt_m});
  const Eigen::Vector3d v_enu(ve, vn, vu);
  return {p.vec(), rot_enu_from_ecef(lat_deg, lon_deg).transpose() * v_enu};
}

bool identity_correct(Category truth, Identity id) {
  switch (truth) {
    case Category::civil: return id == Identity::neutral;
    case Category::friendly: return id == Identity::friendly || id == Identity::assumed_friend;
    case Category::hostile: return id == Identity::hostile || id == Identity::suspect;
  }
  return false;
}

// What is remembered about a track from one step to the next.
struct TrackMemory {
  std::int64_t assoc_step = -1;  // the step of the last association decision
  int assoc_truth = -1;          // the truth it was associated with then, or -1
  double first_confirmed_s = kNaN;
  // The row chosen for the current step.
  std::int64_t chosen_step = -1;
  std::size_t chosen_row = 0;
  bool chosen_exact = false;
  double chosen_gap_s = 0.0;  // |row time - t| of an exact row
};

struct TruthMemory {
  std::int64_t present_step = -1;  // the last step the truth was present
  int slot = -1;                   // its position among the truths of that step
  std::int64_t primary_step = -1;  // the last step it had a primary track
  int primary = -1;                // that primary track
  int last_primary = -1;           // the last primary ever (across gaps), for number changes
  std::int64_t changes = 0;
  std::int64_t life_steps = 0;
  std::int64_t run = 0;            // current run of consecutive present steps with one primary
  std::int64_t longest = 0;
  bool declared_hostile = false, declared_suspect = false, declared_friend = false;
};

}  // namespace

Result<void> validate(const MetricsParams& p) {
  if (!(p.cutoff_m >= 1e-3 && p.cutoff_m <= 1e7)) return bad_param("cutoff_m", "in [1e-3, 1e7] m");
  if (!(p.order_p >= 1.0 && p.order_p <= 20.0)) return bad_param("order_p", "in [1, 20]");
  if (!(p.association_threshold_m > 0.0 && p.association_threshold_m <= 1e7)) {
    return bad_param("association_threshold_m", "in (0, 1e7] m");
  }
  if (!(p.identity_grace_s >= 0.0 && p.identity_grace_s <= 1e7)) return bad_param("identity_grace_s", "in [0, 1e7] s");
  if (!(p.coverage_window_s >= 0.0 && p.coverage_window_s <= 1e7)) {
    return bad_param("coverage_window_s", "in [0, 1e7] s");
  }
  if (p.coverage_min_detections < 1 || p.coverage_min_detections > 1000) {
    return bad_param("coverage_min_detections", "in [1, 1000]");
  }
  if (!(p.match_tolerance_s >= 0.0 && p.match_tolerance_s < 0.5)) return bad_param("match_tolerance_s", "in [0, 0.5) s");
  if (!(p.extrapolation_window_s > p.match_tolerance_s && p.extrapolation_window_s <= 60.0)) {
    return bad_param("extrapolation_window_s", "in (match_tolerance_s, 60] s");
  }
  return {};
}

Result<MetricsReport> compute_metrics(const TruthTable& truth, const TrackTable& tracks, const MetricsParams& params,
                                      const Coverage* coverage) {
  if (auto ok = validate(params); !ok) return fail(ok.error());
  if (truth.categories.size() != truth.ids.size()) {
    return fail(Errc::invalid_argument, "truth table: ids and categories differ in size");
  }
  for (const TruthRow& r : truth.rows) {
    if (r.truth >= truth.ids.size()) return fail(Errc::invalid_argument, "truth table: a row has an unknown index");
    if (!all_finite({r.time_s, r.lat_deg, r.lon_deg, r.alt_m, r.ve_mps, r.vn_mps, r.vu_mps}) ||
        !usable_time(r.time_s)) {
      return fail(Errc::invalid_argument, "truth table: a row has a non-finite number or |time_s| > 1e9");
    }
  }
  for (const TrackRow& r : tracks.rows) {
    if (r.track >= tracks.ids.size()) return fail(Errc::invalid_argument, "track table: a row has an unknown index");
    if (!all_finite({r.time_s, r.lat_deg, r.lon_deg, r.alt_m, r.ve_mps, r.vn_mps, r.vu_mps}) ||
        !usable_time(r.time_s)) {
      return fail(Errc::invalid_argument, "track table: a row has a non-finite number or |time_s| > 1e9");
    }
  }
  for (std::size_t i = 1; i < truth.rows.size(); ++i) {
    if (!(truth.rows[i].time_s >= truth.rows[i - 1].time_s)) {
      return fail(Errc::invalid_argument, "truth table: rows are not sorted by time");
    }
  }
  for (std::size_t i = 1; i < tracks.rows.size(); ++i) {
    if (!(tracks.rows[i].time_s >= tracks.rows[i - 1].time_s)) {
      return fail(Errc::invalid_argument, "track table: rows are not sorted by time");
    }
  }
  if (coverage != nullptr && coverage->intervals.size() != truth.ids.size()) {
    return fail(Errc::invalid_argument, "the coverage was built for another truth table");
  }

  MetricsReport rep;
  rep.params = params;
  rep.has_coverage = coverage != nullptr;
  if (coverage != nullptr) {
    // The coverage was built with its own window; report what was used.
    rep.params.coverage_window_s = coverage->window_s;
    rep.params.coverage_min_detections = coverage->min_detections;
  }
  rep.truths = static_cast<std::int64_t>(truth.ids.size());
  rep.tracks = static_cast<std::int64_t>(tracks.ids.size());
  rep.truth_rows = static_cast<std::int64_t>(truth.rows.size());
  rep.track_rows = static_cast<std::int64_t>(tracks.rows.size());

  // Counted rows (confirmed or coasting), in time order; and each track's first confirmation.
  std::vector<TrackMemory> tm(tracks.ids.size());
  std::vector<std::size_t> counted;
  counted.reserve(tracks.rows.size());
  std::vector<bool> ever_counted(tracks.ids.size(), false);
  for (std::size_t i = 0; i < tracks.rows.size(); ++i) {
    const TrackRow& r = tracks.rows[i];
    if (r.status == TrackStatus::tentative) continue;
    counted.push_back(i);
    ever_counted[r.track] = true;
    if (r.status == TrackStatus::confirmed && std::isnan(tm[r.track].first_confirmed_s)) {
      tm[r.track].first_confirmed_s = r.time_s;
    }
  }
  // A track seen only coasting is scored from its first counted row.
  for (const std::size_t i : counted) {
    TrackMemory& m = tm[tracks.rows[i].track];
    if (std::isnan(m.first_confirmed_s)) m.first_confirmed_s = tracks.rows[i].time_s;
  }
  rep.counted_track_rows = static_cast<std::int64_t>(counted.size());
  rep.tracks_counted = std::count(ever_counted.begin(), ever_counted.end(), true);

  std::vector<TruthMemory> um(truth.ids.size());
  const double c = params.cutoff_m;
  const double gate = params.association_threshold_m;
  const double tol = params.match_tolerance_s;

  // Sums over steps.
  double ospa_sum = 0.0, gospa_sum = 0.0, gospa_pow_sum = 0.0, loc_sum = 0.0, missed_sum = 0.0, false_sum = 0.0;
  double missed_count_sum = 0.0, false_count_sum = 0.0;
  double pos_sq = 0.0, vel_sq = 0.0;
  std::int64_t pairs = 0;
  std::int64_t id_counted[3] = {0, 0, 0};
  std::int64_t id_correct[3] = {0, 0, 0};
  SiapReport& siap = rep.siap;

  // Per-step work arrays, reused.
  std::vector<int> step_truths;  // truth index by slot
  std::vector<Eigen::Vector3d> truth_pos, truth_vel;
  std::vector<int> step_tracks;  // track index by slot
  std::vector<Eigen::Vector3d> track_pos, track_vel;
  std::vector<Identity> track_id;
  std::vector<int> track_assoc;     // by track slot: truth slot or -1
  std::vector<int> assoc_count;     // by truth slot
  std::vector<int> nearest_track;   // by truth slot: track slot
  std::vector<double> nearest_d;
  std::vector<int> kept_primary;    // by truth slot: the slot of last step's primary if still associated
  std::vector<std::size_t> touched;

  std::size_t lo = 0, hi = 0;  // window of counted rows [lo, hi) for the current step
  std::int64_t step = -1;
  for (std::size_t begin = 0; begin < truth.rows.size();) {
    const double t = truth.rows[begin].time_s;
    std::size_t end = begin;
    while (end < truth.rows.size() && truth.rows[end].time_s == t) ++end;
    ++step;

    // Truths at t.
    step_truths.clear();
    truth_pos.clear();
    truth_vel.clear();
    for (std::size_t i = begin; i < end; ++i) {
      const TruthRow& r = truth.rows[i];
      if (um[r.truth].present_step == step) {
        return fail(Errc::invalid_argument, "truth table: truth " + truth.ids[r.truth] + " has two rows at one time");
      }
      const State s = state_of(r.lat_deg, r.lon_deg, r.alt_m, r.ve_mps, r.vn_mps, r.vu_mps);
      um[r.truth].present_step = step;
      um[r.truth].slot = static_cast<int>(step_truths.size());
      step_truths.push_back(static_cast<int>(r.truth));
      truth_pos.push_back(s.pos_ecef);
      truth_vel.push_back(s.vel_ecef);
    }
    begin = end;

    // Tracks at t: a row within tol of t (the closest), else the latest row in (t - window, t].
    while (lo < counted.size() && tracks.rows[counted[lo]].time_s <= t - params.extrapolation_window_s) ++lo;
    while (hi < counted.size() && tracks.rows[counted[hi]].time_s <= t + tol) ++hi;
    touched.clear();
    for (std::size_t k = lo; k < hi; ++k) {
      const TrackRow& r = tracks.rows[counted[k]];
      TrackMemory& m = tm[r.track];
      const double gap = std::abs(r.time_s - t);
      const bool exact = gap <= tol;
      if (m.chosen_step != step) {
        m.chosen_step = step;
        touched.push_back(r.track);
      } else if (m.chosen_exact && (!exact || gap >= m.chosen_gap_s)) {
        continue;  // keep the closer exact row
      }
      m.chosen_row = counted[k];
      m.chosen_exact = exact;
      m.chosen_gap_s = gap;
    }
    std::sort(touched.begin(), touched.end());  // slots in track index order: deterministic ties
    step_tracks.clear();
    track_pos.clear();
    track_vel.clear();
    track_id.clear();
    for (const std::size_t k : touched) {
      const TrackMemory& m = tm[k];
      const TrackRow& r = tracks.rows[m.chosen_row];
      const State s = state_of(r.lat_deg, r.lon_deg, r.alt_m, r.ve_mps, r.vn_mps, r.vu_mps);
      step_tracks.push_back(static_cast<int>(k));
      track_pos.push_back(s.pos_ecef + s.vel_ecef * (t - r.time_s));
      track_vel.push_back(s.vel_ecef);
      track_id.push_back(r.identity);
      if (!m.chosen_exact) ++rep.extrapolated_states;
    }
    const int nt = static_cast<int>(step_truths.size());
    const int nk = static_cast<int>(step_tracks.size());
    rep.track_states += nk;

    // OSPA / GOSPA.
    if (nt + nk > 0) {
      const SetDistance d = set_distance(truth_pos, track_pos, c, params.order_p);
      ++rep.scored_steps;
      ospa_sum += d.ospa_m;
      gospa_sum += d.gospa_m;
      gospa_pow_sum += d.gospa_localisation + d.gospa_missed + d.gospa_false;
      loc_sum += d.gospa_localisation;
      missed_sum += d.gospa_missed;
      false_sum += d.gospa_false;
      missed_count_sum += d.missed;
      false_count_sum += d.false_tracks;
    }

    // SIAP association: each track to its previous truth while within the gate, else to the
    // nearest truth within the gate (ties: the lower truth index).
    const detail::CellIndex truth_index(truth_pos, std::max(gate, 1.0));
    track_assoc.assign(static_cast<std::size_t>(nk), -1);
    assoc_count.assign(static_cast<std::size_t>(nt), 0);
    nearest_track.assign(static_cast<std::size_t>(nt), -1);
    nearest_d.assign(static_cast<std::size_t>(nt), 0.0);
    kept_primary.assign(static_cast<std::size_t>(nt), -1);
    for (int ks = 0; ks < nk; ++ks) {
      const int k = step_tracks[static_cast<std::size_t>(ks)];
      TrackMemory& m = tm[static_cast<std::size_t>(k)];
      const Eigen::Vector3d& p = track_pos[static_cast<std::size_t>(ks)];
      int chosen = -1;
      if (m.assoc_step == step - 1 && m.assoc_truth >= 0) {
        const TruthMemory& u = um[static_cast<std::size_t>(m.assoc_truth)];
        if (u.present_step == step && (truth_pos[static_cast<std::size_t>(u.slot)] - p).norm() <= gate) chosen = u.slot;
      }
      if (chosen < 0) {
        double best = std::numeric_limits<double>::infinity();
        truth_index.for_each_near(p, [&](int slot) {
          const double d = (truth_pos[static_cast<std::size_t>(slot)] - p).norm();
          if (d > gate) return;
          const int j = step_truths[static_cast<std::size_t>(slot)];
          if (d < best || (d == best && j < step_truths[static_cast<std::size_t>(chosen)])) {
            best = d;
            chosen = slot;
          }
        });
      }
      m.assoc_step = step;
      m.assoc_truth = chosen >= 0 ? step_truths[static_cast<std::size_t>(chosen)] : -1;
      track_assoc[static_cast<std::size_t>(ks)] = chosen;
      if (chosen < 0) continue;
      const auto js = static_cast<std::size_t>(chosen);
      const int j = step_truths[js];
      const TruthMemory& u = um[static_cast<std::size_t>(j)];
      const double d = (truth_pos[js] - p).norm();
      ++assoc_count[js];
      if (u.primary_step == step - 1 && u.primary == k) kept_primary[js] = ks;
      if (nearest_track[js] < 0 || d < nearest_d[js]) {  // ks ascends with k: ties keep the lower
        nearest_track[js] = ks;
        nearest_d[js] = d;
      }
      pos_sq += (truth_pos[js] - p).squaredNorm();
      vel_sq += (truth_vel[js] - track_vel[static_cast<std::size_t>(ks)]).squaredNorm();
      ++pairs;
      const Category cat = truth.categories[static_cast<std::size_t>(j)];
      const Identity id = track_id[static_cast<std::size_t>(ks)];
      TruthMemory& uw = um[static_cast<std::size_t>(j)];
      if (cat == Category::civil && id == Identity::hostile) uw.declared_hostile = true;
      if (cat == Category::civil && id == Identity::suspect) uw.declared_suspect = true;
      if (cat == Category::hostile && (id == Identity::friendly || id == Identity::assumed_friend)) {
        uw.declared_friend = true;
      }
      if (cat == Category::friendly && id == Identity::hostile) uw.declared_hostile = true;
    }

    // Per truth: counts, primary track, number changes, segments, identity.
    siap.track_steps += nk;
    for (int ks = 0; ks < nk; ++ks) {
      if (track_assoc[static_cast<std::size_t>(ks)] < 0) ++siap.spurious_track_steps;
    }
    siap.associated_track_steps += nk - std::count(track_assoc.begin(), track_assoc.end(), -1);
    for (int js = 0; js < nt; ++js) {
      const int j = step_truths[static_cast<std::size_t>(js)];
      TruthMemory& u = um[static_cast<std::size_t>(j)];
      const bool tracked = assoc_count[static_cast<std::size_t>(js)] > 0;
      const bool covered = coverage != nullptr && coverage->covers(static_cast<std::uint32_t>(j), t);
      ++siap.truth_steps;
      if (tracked) ++siap.tracked_truth_steps;
      if (covered) {
        ++siap.covered_truth_steps;
        if (tracked) ++siap.covered_tracked_truth_steps;
      }
      ++u.life_steps;
      if (!tracked) {
        u.run = 0;
        continue;
      }
      const int kept = kept_primary[static_cast<std::size_t>(js)];
      const int ks = kept >= 0 ? kept : nearest_track[static_cast<std::size_t>(js)];
      const int k = step_tracks[static_cast<std::size_t>(ks)];
      if (u.last_primary >= 0 && u.last_primary != k) ++u.changes;
      const bool continues = u.primary_step >= 0 && u.primary == k && u.run > 0;
      u.run = continues ? u.run + 1 : 1;
      u.longest = std::max(u.longest, u.run);
      u.primary_step = step;
      u.primary = k;
      u.last_primary = k;
      const TrackMemory& m = tm[static_cast<std::size_t>(k)];
      if (t >= m.first_confirmed_s + params.identity_grace_s) {
        const auto cat = static_cast<std::size_t>(truth.categories[static_cast<std::size_t>(j)]);
        ++id_counted[cat];
        if (identity_correct(truth.categories[static_cast<std::size_t>(j)], track_id[static_cast<std::size_t>(ks)])) {
          ++id_correct[cat];
        }
      }
    }
    rep.time_steps = step + 1;
  }

  // Averages.
  const auto steps = static_cast<double>(rep.scored_steps);
  rep.ospa_m = ratio(ospa_sum, steps);
  rep.gospa.mean_m = ratio(gospa_sum, steps);
  rep.gospa.mean_pow_p = ratio(gospa_pow_sum, steps);
  rep.gospa.localisation = ratio(loc_sum, steps);
  rep.gospa.missed = ratio(missed_sum, steps);
  rep.gospa.false_part = ratio(false_sum, steps);
  rep.gospa.missed_count = ratio(missed_count_sum, steps);
  rep.gospa.false_count = ratio(false_count_sum, steps);

  siap.completeness = ratio(static_cast<double>(siap.tracked_truth_steps), static_cast<double>(siap.truth_steps));
  siap.completeness_in_coverage =
      coverage != nullptr ? ratio(static_cast<double>(siap.covered_tracked_truth_steps),
                                  static_cast<double>(siap.covered_truth_steps))
                          : kNaN;
  siap.ambiguity =
      ratio(static_cast<double>(siap.associated_track_steps), static_cast<double>(siap.tracked_truth_steps));
  siap.spuriousness = ratio(static_cast<double>(siap.spurious_track_steps), static_cast<double>(siap.track_steps));
  siap.position_accuracy_m = pairs > 0 ? std::sqrt(pos_sq / static_cast<double>(pairs)) : kNaN;
  siap.velocity_accuracy_mps = pairs > 0 ? std::sqrt(vel_sq / static_cast<double>(pairs)) : kNaN;
  double segment_sum = 0.0;
  std::int64_t lived = 0;
  for (const TruthMemory& u : um) {
    siap.track_number_changes += u.changes;
    if (u.last_primary >= 0) ++siap.truths_tracked;
    if (u.life_steps > 0) {
      segment_sum += static_cast<double>(u.longest) / static_cast<double>(u.life_steps);
      ++lived;
    }
  }
  siap.track_number_changes_per_truth =
      ratio(static_cast<double>(siap.track_number_changes), static_cast<double>(siap.truths_tracked));
  siap.longest_track_segment = ratio(segment_sum, static_cast<double>(lived));

  IdentityReport& idr = rep.identity;
  for (int k = 0; k < 3; ++k) {
    idr.counted_pairs += id_counted[k];
    idr.correct_pairs += id_correct[k];
  }
  idr.correct_fraction = ratio(static_cast<double>(idr.correct_pairs), static_cast<double>(idr.counted_pairs));
  idr.correct_fraction_civil = ratio(static_cast<double>(id_correct[0]), static_cast<double>(id_counted[0]));
  idr.correct_fraction_friend = ratio(static_cast<double>(id_correct[1]), static_cast<double>(id_counted[1]));
  idr.correct_fraction_hostile = ratio(static_cast<double>(id_correct[2]), static_cast<double>(id_counted[2]));
  for (std::size_t j = 0; j < um.size(); ++j) {
    const TruthMemory& u = um[j];
    switch (truth.categories[j]) {
      case Category::civil:
        idr.civil_declared_hostile += u.declared_hostile ? 1 : 0;
        idr.civil_declared_suspect += u.declared_suspect ? 1 : 0;
        break;
      case Category::friendly: idr.friend_declared_hostile += u.declared_hostile ? 1 : 0; break;
      case Category::hostile: idr.hostile_declared_friend += u.declared_friend ? 1 : 0; break;
    }
  }
  return rep;
}

}  // namespace jrads::metrics
