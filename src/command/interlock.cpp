#include "jrads/command/interlock.hpp"

#include <cmath>
#include <cstdio>

namespace jrads::command {

namespace {

std::string track_name(const TrackFacts& t) { return "track " + std::to_string(t.track_number); }

std::string seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f s", s);
  return buf;
}

}  // namespace

Result<void> validate(const InterlockParams& p) {
  const double all[] = {p.civil_evidence_window_s, p.airliner_min_speed_mps, p.airliner_max_speed_mps, p.airliner_min_alt_m,
                        p.airliner_max_climb_mps};
  for (const double v : all) {
    if (!std::isfinite(v)) return fail(Errc::invalid_argument, "civil interlock: a parameter is not finite");
  }
  if (p.civil_evidence_window_s < 60.0) {
    return fail(Errc::invalid_argument, "civil interlock: civil_evidence_window_s must be at least 60 s (it cannot be switched off)");
  }
  if (p.airliner_min_speed_mps < 0.0 || p.airliner_min_speed_mps > p.airliner_max_speed_mps || p.airliner_max_climb_mps < 0.0) {
    return fail(Errc::invalid_argument, "civil interlock: the airliner profile's speed band is empty or negative");
  }
  return {};
}

bool airliner_like(const TrackFacts& t, const InterlockParams& p) noexcept {
  return t.speed_mps >= p.airliner_min_speed_mps && t.speed_mps <= p.airliner_max_speed_mps &&
         t.alt_m >= p.airliner_min_alt_m && std::abs(t.climb_mps) <= p.airliner_max_climb_mps;
}

InterlockDecision civil_interlock(const TrackFacts& t, const Airspace& airspace, SimTime now, const InterlockParams& p) {
  InterlockDecision d;
  using picture::Identity;
  switch (t.identity) {
    case Identity::neutral:
    case Identity::friend_:
    case Identity::assumed_friend:
      d.reasons.push_back(track_name(t) + " is identified " + picture::to_string(t.identity));
      d.rules.emplace_back("identity");
      break;
    default: break;
  }
  if (t.evidence != nullptr) {
    using picture::EvidenceKind;
    const struct {
      EvidenceKind kind;
      const char* what;
      const char* rule;
    } civil[] = {{EvidenceKind::mode3, "a Mode 3/A reply", "civil_evidence"},
                 {EvidenceKind::emergency_squawk, "an emergency squawk", "civil_evidence"},
                 {EvidenceKind::adsb, "ADS-B", "civil_evidence"},
                 {EvidenceKind::civil_flight_plan, "a civil flight plan match", "civil_evidence"},
                 // A friend the picture has not (yet, or no longer) declared friend: its own
                 // replies and plan still protect it.
                 {EvidenceKind::mode5_valid, "a valid Mode 5 reply", "friendly_evidence"},
                 {EvidenceKind::friendly_flight_plan, "a friendly flight plan match", "friendly_evidence"}};
    for (const auto& c : civil) {
      if (t.evidence->count(c.kind) == 0) continue;
      const double age_s = (now - t.evidence->last(c.kind)).s();
      if (age_s <= p.civil_evidence_window_s) {
        d.reasons.push_back(track_name(t) + " had " + c.what + " " + seconds(std::max(age_s, 0.0)) + " ago (window " +
                            seconds(p.civil_evidence_window_s) + ")");
        d.rules.emplace_back(c.rule);
      }
    }
  }
  if (airliner_like(t, p)) {
    for (const Zone* z : airspace.zones_at(t.pos, t.alt_m)) {
      if (z->kind != ZoneKind::safe_corridor) continue;
      d.reasons.push_back(track_name(t) + " flies an airliner-like profile in safe corridor " + z->id);
      d.rules.emplace_back("corridor_airliner");
    }
  }
  d.refused = !d.reasons.empty();
  return d;
}

}  // namespace jrads::command
