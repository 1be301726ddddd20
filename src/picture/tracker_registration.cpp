// Tracker::Impl (tracker_impl.hpp): radar registration. Radar reports are matched with tracks
// anchored by other sensors; a consistent offset is reported and removed.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

#include "jrads/core/units.hpp"
#include "tracker_impl.hpp"

namespace jrads::picture {

using namespace detail;

namespace {

constexpr double kAnchorMaxSigma_m = 500.0;  // an anchor's position is known at least this well
constexpr std::uint64_t kSettledSampling = 8;

}  // namespace

// ---- radar registration ------------------------------------------------------------------

// A track is an anchor for radar s when something other than s pins it down now: a recent
// ADS-B update, or hits from two other radars.
bool Tracker::Impl::is_anchor_for(const Track& t, std::uint32_t s, SimTime now) const {
  if (t.status == TrackStatus::tentative) return false;
  int others = 0;
  for (int k = 0; k < t.n_support; ++k) {
    const Support& sp = t.support[k];
    if (sp.sensor == s) continue;
    const SensorKind kind = sensors[sp.sensor].kind;
    if (kind == SensorKind::adsb && (now - sp.time).s() <= 5.0) return true;
    if (kind == SensorKind::radar && (now - sp.time).s() <= 1.5 * revisit_s(sp.sensor)) ++others;
  }
  return others >= 2;
}

// Matches every radar report of the slice with the one anchor near it (none when two are
// near: an ambiguous match would blur the estimate), before any bias correction.
void Tracker::Impl::register_radars() {
  for (Report& r : slice) {
    if (r.kind != SensorKind::radar) continue;
    SensorState& st = sensor_state[r.sensor];
    // A radar with a full window and no bias is watched on one report in kSettledSampling:
    // a misalignment builds up over minutes, not within a scan, and matching is costly.
    const bool settled =
        st.residuals.size() >= static_cast<std::size_t>(std::max(1, params.bias_window)) && !st.bias.detected;
    if (settled && (st.reports_seen++ % kSettledSampling) != 0) continue;
    const Measurement m = frame.measurement(r);
    const Eigen::Vector3d approx = position_of(m).pos;
    // Every track that other sensors see and that could be this report's aircraft counts:
    // the match is used only when exactly one lies in the window and it is an anchor. Tracks
    // seen by this radar alone are left out: a biased radar's own duplicates sit there.
    // The window (3 deg by 3 km) as a Euclidean radius, to skip most tracks without trigonometry.
    const double reach = r.range_m * (3.0 * units::pi / 180.0) + 3000.0 + 1000.0;
    int in_window = 0;
    bool anchored = false;
    std::uint64_t anchor_uid = 0;
    double daz = 0.0, dr = 0.0;
    for_tracks_near(approx, [&](int ti) {
      const Track& t = tracks[ti];
      if (t.dead || in_window > 1) return;
      const Eigen::Vector3d p = predicted_pos(t, r.time);
      if ((p - approx).squaredNorm() > reach * reach) return;
      bool seen_by_others = false;
      for (int k = 0; k < t.n_support; ++k) seen_by_others |= t.support[k].sensor != r.sensor;
      if (!seen_by_others) return;
      const Eigen::Vector3d q = m.rot_sensor_from_region * p + m.offset_m;
      double az = std::atan2(q.x(), q.y()) * 180.0 / units::pi;
      if (az < 0.0) az += 360.0;
      double a = r.azimuth_deg - az;
      a -= 360.0 * std::round(a / 360.0);
      const double d = r.range_m - q.norm();
      if (std::abs(a) > 3.0 || std::abs(d) > 3000.0) return;
      ++in_window;
      anchored = is_anchor_for(t, r.sensor, r.time) &&
                 predicted_pos_trace(t, (r.time - t.time).s()) <= kAnchorMaxSigma_m * kAnchorMaxSigma_m;
      anchor_uid = t.uid;
      daz = a;
      dr = d;
    });
    if (in_window == 1 && anchored) add_residual(r, st, daz, dr, anchor_uid);
    if (params.correct_bias && st.bias.detected) {
      r.azimuth_deg -= st.bias.azimuth_deg;
      r.azimuth_deg -= 360.0 * std::floor(r.azimuth_deg / 360.0);
      r.range_m = std::max(1.0, r.range_m - st.bias.range_m);
    }
  }
}

void Tracker::Impl::add_residual(const Report& r, SensorState& st, double daz, double dr, std::uint64_t anchor) {
  const auto window = static_cast<std::size_t>(std::max(1, params.bias_window));
  if (st.residuals.size() < window) {
    st.residuals.emplace_back(daz, dr);
    st.residual_anchor.push_back(anchor);
  } else {
    st.residuals[st.next_residual] = {daz, dr};
    st.residual_anchor[st.next_residual] = anchor;
  }
  st.next_residual = (st.next_residual + 1) % window;
  const int n = static_cast<int>(st.residuals.size());
  if (n < params.bias_min_samples) return;
  // A bias shows on many aircraft; one mis-tracked aircraft must not look like one.
  std::vector<std::uint64_t> distinct = st.residual_anchor;
  std::sort(distinct.begin(), distinct.end());
  if (std::unique(distinct.begin(), distinct.end()) - distinct.begin() < params.bias_min_aircraft) return;
  // Medians resist the odd wrong match; the standard error comes from the spread.
  auto median_and_se = [&](auto get) {
    std::vector<double> v;
    v.reserve(st.residuals.size());
    for (const auto& p : st.residuals) v.push_back(get(p));
    std::nth_element(v.begin(), v.begin() + n / 2, v.end());
    const double med = v[n / 2];
    double ss = 0.0;
    for (double x : v) ss += (x - med) * (x - med);
    return std::pair(med, 1.2533 * std::sqrt(ss / (n - 1)) / std::sqrt(static_cast<double>(n)));
  };
  const auto [az, az_se] = median_and_se([](const auto& p) { return p.first; });
  const auto [rg, rg_se] = median_and_se([](const auto& p) { return p.second; });
  // Once a component is detected it stays until it falls below half its threshold, so an
  // estimate near the threshold does not flicker.
  const double keep_az = st.bias.detected && st.bias.azimuth_deg != 0.0 ? 0.5 : 1.0;
  const double keep_rg = st.bias.detected && st.bias.range_m != 0.0 ? 0.5 : 1.0;
  const bool az_bias = std::abs(az) >= keep_az * params.bias_min_az_deg && std::abs(az) > params.bias_significance * az_se;
  const bool rg_bias = std::abs(rg) >= keep_rg * params.bias_min_range_m && std::abs(rg) > params.bias_significance * rg_se;
  st.bias.samples = n;
  if (!az_bias && !rg_bias) {
    if (st.bias.detected) st.bias = Tracker::Bias{false, 0.0, 0.0, n};
    return;
  }
  st.bias.detected = true;
  st.bias.azimuth_deg = az_bias ? az : 0.0;
  st.bias.range_m = rg_bias ? rg : 0.0;
  const bool changed = std::abs(st.bias.azimuth_deg - st.alerted_az_deg) > std::max(0.25, 3.0 * az_se) ||
                       std::abs(st.bias.range_m - st.alerted_range_m) > std::max(100.0, 3.0 * rg_se);
  if (st.alerted && !changed) return;
  st.alerted = true;
  st.alerted_az_deg = st.bias.azimuth_deg;
  st.alerted_range_m = st.bias.range_m;
  char text[240];
  std::snprintf(text, sizeof text,
                "radar %s looks misregistered: azimuth offset %+.2f deg (+/- %.2f), range offset %+.0f m (+/- %.0f) "
                "over its last %d reports matched with tracks anchored by ADS-B or other radars%s",
                sensors[r.sensor].id.c_str(), az, az_se, rg, rg_se, n,
                params.correct_bias ? "; correcting" : "");
  // It tells of the radar only, not of the air picture.
  security::ItemLabel about = sensors[r.sensor].label;
  if (security::is_labelled(about)) about.categories = security::category_bit(security::Category::sensors);
  alerts.push_back({r.time, AlertKind::radar_bias, 0, r.sensor, text, about});
}

}  // namespace jrads::picture
