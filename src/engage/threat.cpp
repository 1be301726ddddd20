#include "jrads/engage/threat.hpp"

#include <algorithm>
#include <cmath>

#include "jrads/core/result.hpp"

namespace jrads::engage {

ClosestApproach closest_approach(const Eigen::Vector2d& pos, const Eigen::Vector2d& vel, const Eigen::Vector2d& point) noexcept {
  const Eigen::Vector2d rel = pos - point;
  const double v2 = vel.squaredNorm();
  const double t = v2 > 0.0 ? std::max(0.0, -rel.dot(vel) / v2) : 0.0;
  return {t, (rel + t * vel).norm()};
}

double time_to_reach(const Eigen::Vector2d& pos, const Eigen::Vector2d& vel, const Eigen::Vector2d& point,
                     double radius_m) noexcept {
  const Eigen::Vector2d rel = pos - point;
  const double c = rel.squaredNorm() - radius_m * radius_m;
  if (c <= 0.0) return 0.0;
  const double a = vel.squaredNorm();
  const double b = 2.0 * rel.dot(vel);
  const double disc = b * b - 4.0 * a * c;
  if (a <= 0.0 || disc < 0.0 || b >= 0.0) return std::numeric_limits<double>::infinity();  // never, or moving away
  // The earlier root; c > 0 and b < 0 make both roots positive. Written to avoid cancellation.
  return (2.0 * c) / (-b + std::sqrt(disc));
}

namespace {

double identity_weight(picture::Identity id, const ThreatParams& p) noexcept {
  using picture::Identity;
  switch (id) {
    case Identity::hostile: return p.weight_hostile;
    case Identity::suspect: return p.weight_suspect;
    case Identity::unknown: return p.weight_unknown;
    case Identity::pending: return p.weight_pending;
    case Identity::friend_:
    case Identity::assumed_friend:
    case Identity::neutral: return 0.0;
  }
  return 0.0;
}

}  // namespace

security::ItemLabel threat_label(const security::ItemLabel& track) noexcept {
  if (!security::is_labelled(track)) return track;
  security::ItemLabel l = track;
  l.categories &= ~security::category_bit(security::Category::sensors);
  l.categories |= security::category_bit(security::Category::intelligence);
  return l;
}

Threat assess(const TrackState& track, std::span<const Asset> assets, SimTime now, const ThreatParams& p) {
  Threat best;
  best.track = track.track;
  best.label = threat_label(track.label);
  const double w = identity_weight(track.identity, p);
  const Eigen::Vector2d pos = track.pos_enu.head<2>();
  Eigen::Vector2d vel = track.vel_enu.head<2>();
  if (vel.norm() < p.min_speed_mps) vel.setZero();
  bool first = true;
  double nearest = std::numeric_limits<double>::infinity();
  for (const Asset& a : assets) {
    const ClosestApproach cpa = closest_approach(pos, vel, a.pos_enu);
    const double t_eval = std::min(cpa.t_s, p.horizon_s);
    const double d_eval = (pos - a.pos_enu + t_eval * vel).norm();
    const double ttg = time_to_reach(pos, vel, a.pos_enu, a.radius_m);
    Threat t;
    t.track = track.track;
    t.label = best.label;
    t.asset = a.id;
    t.cpa_m = cpa.distance_m;
    t.t_cpa_s = cpa.t_s;
    t.time_to_go_s = ttg <= p.horizon_s ? ttg : std::numeric_limits<double>::infinity();
    if (std::isfinite(t.time_to_go_s)) t.over_asset = now + SimTime::from_s(t.time_to_go_s);
    ThreatFactors& f = t.factors;
    f.identity = w;
    f.asset = a.value;
    f.closeness = d_eval <= a.radius_m ? 1.0 : std::exp2(-(d_eval - a.radius_m) / p.closeness_scale_m);
    const double t_urgent = std::isfinite(t.time_to_go_s) ? t.time_to_go_s : t_eval;
    f.urgency = 1.0 / (1.0 + t_urgent / p.urgency_scale_s);
    const bool inside = (pos - a.pos_enu).norm() <= a.radius_m;
    const bool receding = !inside && cpa.t_s <= 0.0 && vel.squaredNorm() > 0.0;
    f.approach = receding ? p.receding_weight : 1.0;
    t.instant_value = f.identity * f.closeness * f.urgency * f.approach * f.asset;
    t.value = t.instant_value;
    const double dist = (pos - a.pos_enu).norm();
    // The most threatening asset; with no threat at all, the nearest.
    const bool better = first || t.instant_value > best.instant_value ||
                        (t.instant_value == 0.0 && best.instant_value == 0.0 && dist < nearest);
    if (better) {
      best = t;
      if (t.instant_value == 0.0) nearest = dist;
    }
    first = false;
  }
  return best;
}

ThreatEvaluator::ThreatEvaluator(std::vector<Asset> assets, const ThreatParams& params)
    : assets_(std::move(assets)), params_(params) {
  for (const Asset& a : assets_) JRADS_ASSERT(a.radius_m > 0.0 && a.value > 0.0);
}

std::vector<Threat> ThreatEvaluator::update(SimTime now, std::span<const TrackState> tracks) {
  std::vector<Threat> threats;
  std::unordered_map<std::uint32_t, Memory> memory;
  for (const TrackState& ts : tracks) {
    Threat t = assess(ts, assets_, now, params_);
    if (t.instant_value <= 0.0) continue;
    const auto it = memory_.find(ts.track);
    if (it != memory_.end() && params_.smoothing_s > 0.0) {
      const double dt = std::max(0.0, (now - it->second.at).s());
      const double alpha = 1.0 - std::exp(-dt / params_.smoothing_s);
      t.value = it->second.value + alpha * (t.instant_value - it->second.value);
    }
    memory[ts.track] = {t.value, now};
    threats.push_back(std::move(t));
  }
  memory_ = std::move(memory);

  // Order: the previous ranking for tracks still there, new tracks after them by value; then
  // a threat moves up past another only when it is worth (1 + hysteresis) times as much.
  std::unordered_map<std::uint32_t, std::size_t> prev;
  for (std::size_t k = 0; k < order_.size(); ++k) prev[order_[k]] = k;
  std::sort(threats.begin(), threats.end(), [&](const Threat& a, const Threat& b) {
    const auto pa = prev.find(a.track), pb = prev.find(b.track);
    const bool ka = pa != prev.end(), kb = pb != prev.end();
    if (ka != kb) return ka;
    if (ka) return pa->second < pb->second;
    if (a.value != b.value) return a.value > b.value;
    return a.track < b.track;
  });
  const double margin = 1.0 + params_.hysteresis;
  for (std::size_t pass = 0; pass < threats.size(); ++pass) {
    bool swapped = false;
    for (std::size_t k = 0; k + 1 < threats.size(); ++k) {
      if (threats[k + 1].value > threats[k].value * margin) {
        std::swap(threats[k], threats[k + 1]);
        swapped = true;
      }
    }
    if (!swapped) break;
  }
  order_.clear();
  for (std::size_t k = 0; k < threats.size(); ++k) {
    threats[k].rank = static_cast<int>(k) + 1;
    order_.push_back(threats[k].track);
  }
  return threats;
}

}  // namespace jrads::engage
