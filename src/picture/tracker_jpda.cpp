// Tracker::Impl (tracker_impl.hpp): JPDA association of radar reports with established tracks,
// the learnt clutter maps and score-based confirmation.
#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/core/units.hpp"
#include "jrads/picture/jpda.hpp"
#include "tracker_impl.hpp"

namespace jrads::picture {

using namespace detail;

namespace {

int clutter_cell(double range_m, double az_deg, double el_deg) noexcept {
  // The readers reject non-finite numbers; a caller of Tracker::clutter_density might not.
  if (!std::isfinite(range_m)) range_m = 0.0;
  if (!std::isfinite(az_deg)) az_deg = 0.0;
  if (!std::isfinite(el_deg)) el_deg = 0.0;
  range_m = std::clamp(range_m, 0.0, 1e9);
  az_deg = std::clamp(az_deg, 0.0, 360.0);
  const int rb = std::clamp(static_cast<int>(range_m / kClutterRangeBin_m), 0, kClutterRangeBins - 1);
  const int ab = std::clamp(static_cast<int>(az_deg / (360.0 / kClutterAzBins)), 0, kClutterAzBins - 1);
  int eb = 0;
  while (eb + 1 < kClutterElBins && el_deg >= kClutterElEdges_deg[static_cast<std::size_t>(eb + 1)]) ++eb;
  return (rb * kClutterAzBins + ab) * kClutterElBins + eb;
}

// Measurement-space volume of a cell (m rad^2: range x azimuth x elevation, the units of a
// polar likelihood).
double clutter_cell_volume(int cell) noexcept {
  const int eb = cell % kClutterElBins;
  const double del_deg = kClutterElEdges_deg[static_cast<std::size_t>(eb + 1)] - kClutterElEdges_deg[static_cast<std::size_t>(eb)];
  return kClutterRangeBin_m * (2.0 * units::pi / kClutterAzBins) * (del_deg * units::pi / 180.0);
}

// P(d2 <= g) for a chi-square with 3 degrees of freedom: the probability a true report is gated.
double gate_probability_3dof(double g) noexcept {
  const double x = std::sqrt(std::max(g, 0.0));
  return std::erf(x / std::sqrt(2.0)) - std::sqrt(2.0 / units::pi) * x * std::exp(-0.5 * g);
}

}  // namespace

// ---- JPDA ----------------------------------------------------------------------------------

// Ages every radar's clutter map to `now`: counts and exposure decay alike, so their ratio is
// the recent rate (the exposure is the decayed integral of time, tau (1 - e^-dt/tau)).
void Tracker::Impl::age_clutter_maps(SimTime now) {
  const double tau = params.jpda_clutter_memory_s;
  for (std::uint32_t s = 0; s < sensors.size(); ++s) {
    SensorState& st = sensor_state[s];
    if (sensors[s].kind != SensorKind::radar || !st.seen) continue;
    if (!st.clutter_aged) {
      st.clutter_aged = true;
      st.clutter_aged_to = now;
      continue;
    }
    const double dt = (now - st.clutter_aged_to).s();
    if (dt <= 0.0) continue;
    const double f = std::exp(-dt / tau);
    for (double& c : st.clutter) c *= f;
    st.clutter_exposure_s = st.clutter_exposure_s * f + tau * (1.0 - f);
    st.clutter_aged_to = now;
  }
}

// Clutter reports of a radar per unit of measurement volume (m rad^2) at a polar position.
double Tracker::Impl::clutter_density(std::uint32_t sensor, double range_m, double az_deg, double el_deg) const {
  const SensorState& st = sensor_state[sensor];
  const int c = clutter_cell(range_m, az_deg, el_deg);
  const double scans = std::max(st.clutter_exposure_s / revisit_s(sensor), 5.0);  // few scans: a cautious rate
  const double lambda = st.clutter[static_cast<std::size_t>(c)] / scans / clutter_cell_volume(c);
  return std::max(lambda, params.jpda_min_clutter_density);
}

double Tracker::Impl::clutter_density(const Report& r) const {
  return clutter_density(r.sensor, r.range_m, r.azimuth_deg, r.elevation_deg);
}

// The radar reports of one sensor group in JPDA mode. Established tracks share the reports
// they gate by their association probabilities (JPDA per cluster); reports that no established
// track gates may join tentative tracks (GNN) or start new ones, and teach the clutter map.
void Tracker::Impl::associate_jpda(std::span<const int> group, const std::vector<Measurement>& meas,
                                   const std::vector<Pair>& pairs, std::vector<Update>& updates,
                                   std::vector<int>& unassigned) {
  const int n = static_cast<int>(group.size());
  std::vector<Pair> established, tentative;
  std::vector<bool> gated(static_cast<std::size_t>(n), false);
  for (const Pair& p : pairs) {
    if (tracks[p.track].status == TrackStatus::tentative) {
      tentative.push_back(p);
    } else {
      established.push_back(p);
      gated[p.report] = true;
    }
  }
  SensorState& st = sensor_state[slice[group[0]].sensor];
  for (int j = 0; j < n; ++j) {
    if (gated[j]) continue;
    const Report& r = slice[group[j]];
    st.clutter[static_cast<std::size_t>(clutter_cell(r.range_m, r.azimuth_deg, r.elevation_deg))] += 1.0;
  }
  solve_jpda(group, meas, established, updates);
  std::erase_if(tentative, [&](const Pair& p) { return gated[p.report]; });
  solve_gnn(group, tentative, gated, updates, unassigned);
}

void Tracker::Impl::solve_jpda(std::span<const int> group, const std::vector<Measurement>& meas,
                               const std::vector<Pair>& pairs, std::vector<Update>& updates) {
  if (pairs.empty()) return;
  const int n = static_cast<int>(group.size());
  const GatedClusters cl = cluster_pairs(pairs, n);

  JpdaParams jp;
  jp.gate_probability = gate_probability_3dof(params.gate_d2);
  jp.clutter_density = 1.0;  // each report's own density is folded into its likelihoods below
  jp.max_exact_events = 20'000;
  jp.max_best_events = 200;
  jp.coalescence_avoidance = true;  // JPDA*: crossing tracks would otherwise merge onto one target
  for (int root = 0; root < n; ++root) {
    const std::vector<int>& ks = cl.pairs_at[root];
    if (ks.empty()) continue;
    const ClusterMembers members = members_of(pairs, ks);
    const std::vector<int>& reps = members.reports;
    const std::vector<int>& cols = members.tracks;
    const int nt = static_cast<int>(cols.size()), nr = static_cast<int>(reps.size());
    auto col_of = [&](int track) { return static_cast<int>(std::lower_bound(cols.begin(), cols.end(), track) - cols.begin()); };
    auto rep_of = [&](int report) { return static_cast<int>(std::lower_bound(reps.begin(), reps.end(), report) - reps.begin()); };
    // Each track takes its reports as simultaneous, at the earliest (one sensor, one slice:
    // they are milliseconds apart), and its likelihoods come from the IMM's combined
    // prediction, as IMM-PDA requires.
    // The latest time there is, as the start of a minimum. (It was from_s(1e12): 1e21 ns does
    // not fit, and llround's result then is unspecified; clang's UBSan caught the wrap.)
    std::vector<SimTime> at(static_cast<std::size_t>(nt), SimTime::from_ns(std::numeric_limits<std::int64_t>::max()));
    for (int k : ks) {
      SimTime& a = at[static_cast<std::size_t>(col_of(pairs[k].track))];
      a = std::min(a, slice[group[pairs[k].report]].time);
    }
    std::vector<ImmState> pred(static_cast<std::size_t>(nt));
    for (int c = 0; c < nt; ++c) {
      const Track& t = tracks[cols[c]];
      pred[c] = imm_predict(t.imm, (at[c] - t.time).s(), params.imm);
    }
    std::vector<double> ll(static_cast<std::size_t>(nt * nr), kNotGated);
    for (int k : ks) {
      const int c = col_of(pairs[k].track), i = rep_of(pairs[k].report);
      const Innovation inn = imm_innovate(pred[c], meas[pairs[k].report]);
      if (!inn.valid) continue;
      ll[static_cast<std::size_t>(c * nr + i)] = inn.log_likelihood - std::log(clutter_density(slice[group[pairs[k].report]]));
    }
    const std::vector<double> pd(static_cast<std::size_t>(nt), params.jpda_detection_probability);
    const Result<JpdaMarginals> mg = jpda_marginals(ll, nt, nr, pd, jp);
    JRADS_ASSERT(mg.has_value());  // sizes and parameters are ours; likelihoods are finite or kNotGated
    ++stats.jpda_clusters;
    if (mg->method == JpdaMethod::k_best) ++stats.jpda_k_best;
    // A report updates only the track most likely to own it: shared reports are what pull
    // the tracks of two close aircraft onto one (coalescence). The other tracks count it as
    // not theirs (its probability moves to their "missed" term).
    std::vector<double> beta = mg->beta, beta0 = mg->beta0;
    for (int i = 0; i < nr; ++i) {
      int owner = 0;
      for (int c = 1; c < nt; ++c) {
        if (beta[static_cast<std::size_t>(c * nr + i)] > beta[static_cast<std::size_t>(owner * nr + i)]) owner = c;
      }
      for (int c = 0; c < nt; ++c) {
        if (c == owner) continue;
        beta0[static_cast<std::size_t>(c)] += beta[static_cast<std::size_t>(c * nr + i)];
        beta[static_cast<std::size_t>(c * nr + i)] = 0.0;
      }
    }
    for (int c = 0; c < nt; ++c) {
      PdaUpdate pu;
      pu.time = at[c];
      pu.beta0 = beta0[static_cast<std::size_t>(c)];
      int best = -1;
      double best_beta = 0.0;
      for (int i = 0; i < nr; ++i) {
        const double b = beta[static_cast<std::size_t>(c * nr + i)];
        if (b <= 0.0) continue;
        pu.reports.push_back(group[reps[i]]);
        pu.betas.push_back(b);
        if (b > best_beta) {
          best_beta = b;
          best = group[reps[i]];
        }
      }
      if (best < 0) continue;
      updates.push_back({cols[c], best, static_cast<int>(pda_updates.size())});
      pda_updates.push_back(std::move(pu));
    }
  }
}

// GNN confirms by M hits within N. With JPDA (for clutter) a track needs M hits and a score
// (Blackman & Popoli 1999, ch. 6; Wald's SPRT): the log-likelihood ratio of "a target" over
// "clutter", sum of ln(Pd N / lambda) per hit and ln(1 - Pd Pg) per revisit without one,
// must reach ln((1 - beta) / alpha). Where clutter is rare a hit is worth more than the
// threshold and M decides; in dense clutter the score does.
double Tracker::Impl::track_score(const Track& t, SimTime now) const {
  const double revisit = track_revisit_s(t, now);
  const double revisits = std::floor((now - t.first_hit).s() / revisit + 0.5) + 1.0;
  const double misses = std::max(0.0, revisits - static_cast<double>(t.hits));
  const double miss_score = std::log(1.0 - params.jpda_detection_probability * gate_probability_3dof(params.gate_d2));
  return t.hit_score + misses * miss_score;
}

bool Tracker::Impl::score_confirms(const Track& t, SimTime now) const {
  return track_score(t, now) >= params.jpda_confirm_score;
}

}  // namespace jrads::picture
