#include "jrads/picture/identity.hpp"

#include <algorithm>

namespace jrads::picture {

const char* to_string(Identity id) noexcept {
  switch (id) {
    case Identity::pending: return "pending";
    case Identity::unknown: return "unknown";
    case Identity::assumed_friend: return "assumed_friend";
    case Identity::friend_: return "friend";
    case Identity::neutral: return "neutral";
    case Identity::suspect: return "suspect";
    case Identity::hostile: return "hostile";
  }
  return "pending";
}

const char* to_string(EvidenceKind k) noexcept {
  switch (k) {
    case EvidenceKind::mode5_valid: return "mode5_valid";
    case EvidenceKind::mode3: return "mode3";
    case EvidenceKind::adsb: return "adsb";
    case EvidenceKind::no_reply: return "no_reply";
    case EvidenceKind::iff_garble: return "iff_garble";
    case EvidenceKind::adsb_inconsistent: return "adsb_inconsistent";
    case EvidenceKind::emergency_squawk: return "emergency_squawk";
    case EvidenceKind::hostile_kinematics: return "hostile_kinematics";
    case EvidenceKind::civil_flight_plan: return "civil_flight_plan";
    case EvidenceKind::friendly_flight_plan: return "friendly_flight_plan";
    case EvidenceKind::heading_for_asset: return "heading_for_asset";
    case EvidenceKind::unanswered: return "unanswered";
    case EvidenceKind::hostile_origin: return "hostile_origin";
  }
  return "?";
}

namespace {
bool is_reply(EvidenceKind k) noexcept { return k == EvidenceKind::mode5_valid || k == EvidenceKind::mode3; }
}  // namespace

void EvidenceRecord::add(const Evidence& e) {
  const int k = static_cast<int>(e.kind);
  const bool first_of_kind = count_[k] == 0;
  ++count_[k];
  if (e.time >= last_[k] || first_of_kind) last_value_[k] = e.value;
  last_[k] = first_of_kind ? e.time : std::max(last_[k], e.time);
  if (e.kind == EvidenceKind::no_reply) ++no_reply_since_reply_;
  if (e.kind == EvidenceKind::no_reply || e.kind == EvidenceKind::unanswered) ++unanswered_since_reply_;
  if (is_reply(e.kind)) no_reply_since_reply_ = unanswered_since_reply_ = 0;
  // Keep the first of each kind for ever; otherwise replace the oldest entry that is not the
  // first of its kind, so the log stays bounded and still shows how the identity began.
  if (log_.size() < kMaxLog) {
    log_.push_back(e);
    return;
  }
  std::array<bool, kEvidenceKinds> seen{};
  std::size_t victim = log_.size();
  for (std::size_t i = 0; i < log_.size(); ++i) {
    const int lk = static_cast<int>(log_[i].kind);
    if (!seen[lk]) {
      seen[lk] = true;  // the first entry of this kind: protected
      continue;
    }
    victim = i;
    break;
  }
  if (victim == log_.size()) {
    if (!first_of_kind) return;  // every entry is a protected first; nothing newer is needed
    victim = log_.size() - 1;
  }
  log_.erase(log_.begin() + static_cast<std::ptrdiff_t>(victim));
  log_.push_back(e);
}

EvidenceRecord::EvidenceRecord(const EvidenceSummary& s) noexcept
    : count_(s.count),
      last_(s.last),
      last_value_(s.last_value),
      no_reply_since_reply_(s.no_reply_since_reply),
      unanswered_since_reply_(s.unanswered_since_reply) {}

EvidenceSummary EvidenceRecord::summary() const noexcept {
  return {count_, last_, last_value_, no_reply_since_reply_, unanswered_since_reply_};
}

void EvidenceRecord::merge(const EvidenceRecord& other) {
  std::vector<Evidence> all = log_;
  all.insert(all.end(), other.log_.begin(), other.log_.end());
  std::stable_sort(all.begin(), all.end(), [](const Evidence& a, const Evidence& b) { return a.time < b.time; });
  const auto counts = count_;
  const auto lasts = last_;
  const auto values = last_value_;
  *this = EvidenceRecord{};
  for (const Evidence& e : all) add(e);
  // The logs are bounded, so take the counts and times from the totals rather than the replay.
  for (int k = 0; k < kEvidenceKinds; ++k) {
    const bool mine = counts[k] > 0 && (other.count_[k] == 0 || lasts[k] >= other.last_[k]);
    last_value_[k] = mine ? values[k] : other.last_value_[k];
    count_[k] = counts[k] + other.count_[k];
    last_[k] = counts[k] == 0 ? other.last_[k] : other.count_[k] == 0 ? lasts[k] : std::max(lasts[k], other.last_[k]);
  }
  no_reply_since_reply_ = std::min(no_reply_since_reply_, other.no_reply_since_reply_);
  unanswered_since_reply_ = std::min(unanswered_since_reply_, other.unanswered_since_reply_);
}

const char* to_string(Profile p) noexcept {
  switch (p) {
    case Profile::ordinary: return "ordinary";
    case Profile::missile_like: return "missile_like";
    case Profile::fast_jet: return "fast_jet";
    case Profile::drone_like: return "drone_like";
  }
  return "?";
}

Profile classify_profile(double speed_mps, double alt_m, const IdentityRules& r) noexcept {
  if (speed_mps >= r.fast_min_speed_mps) return Profile::fast_jet;
  if (speed_mps >= r.missile_min_speed_mps && alt_m <= r.missile_max_alt_m) return Profile::missile_like;
  if (speed_mps <= r.drone_max_speed_mps && alt_m <= r.drone_max_alt_m) return Profile::drone_like;
  return Profile::ordinary;
}

IdentityDecision decide_identity(const EvidenceRecord& rec, const Behaviour& b, SimTime now,
                                 const IdentityRules& r) noexcept {
  auto recent = [&](EvidenceKind k, double memory_s) {
    return rec.count(k) > 0 && (now - rec.last(k)).s() <= memory_s;
  };
  // Interrogated and silent since the last reply: the track may have swapped onto another
  // aircraft, so earlier replies (and plans matched by their codes) no longer vouch for it.
  const bool fallen_silent = rec.unanswered_since_reply() >= r.no_reply_for_suspect;
  const bool mode5 = !fallen_silent && recent(EvidenceKind::mode5_valid, r.mode5_memory_s);
  const bool friendly_plan = !fallen_silent && recent(EvidenceKind::friendly_flight_plan, r.civil_memory_s);
  const bool civil = recent(EvidenceKind::adsb, r.adsb_memory_s) ||
                     (!fallen_silent && recent(EvidenceKind::mode3, r.civil_memory_s)) ||
                     recent(EvidenceKind::civil_flight_plan, r.civil_memory_s);
  const bool hostile_kin = b.profile == Profile::missile_like || b.profile == Profile::fast_jet;
  if (mode5) {
    // A valid Mode 5 reply is authenticated: it outweighs kinematics.
    return {Identity::friend_, false, "valid Mode 5 reply"};
  }
  if (friendly_plan) {
    // A code or address filed for a friendly flight, on its route, but not authenticated.
    return {Identity::assumed_friend, false, "matches a friendly flight plan"};
  }
  if (civil) {
    if (hostile_kin) return {Identity::unknown, true, "civil code or ADS-B on a hostile-like profile"};
    return {Identity::neutral, false, "Mode 3/A, ADS-B or civil flight plan, no hostile behaviour"};
  }
  const int silent = rec.no_reply_since_reply();
  if (silent >= r.no_reply_for_hostile && hostile_kin && b.profile_held_s >= r.hostile_kinematics_hold_s) {
    return {Identity::hostile, false, "no reply and hostile kinematics held"};
  }
  if (silent >= r.no_reply_for_hostile && b.threatening && b.threatening_held_s >= r.threat_hold_s) {
    return {Identity::hostile, false, "no reply and a course for a defended asset held"};
  }
  if (silent >= r.no_reply_for_suspect && (hostile_kin || b.profile == Profile::drone_like || b.threatening)) {
    return {Identity::suspect, false, "no reply, hostile-like kinematics or course"};
  }
  // Origin alone shows no intent: it never goes beyond suspect, and any civil evidence the
  // track ever had (counts are kept for good) rules it out.
  if (silent >= r.no_reply_for_suspect && rec.count(EvidenceKind::hostile_origin) > 0 &&
      rec.count(EvidenceKind::adsb) == 0 && rec.count(EvidenceKind::mode3) == 0 &&
      rec.count(EvidenceKind::civil_flight_plan) == 0) {
    return {Identity::suspect, false, "no reply, came from a hostile origin area, never a civil reply"};
  }
  if (b.profile == Profile::missile_like && b.profile_held_s >= r.missile_suspect_hold_s &&
      rec.count(EvidenceKind::mode3) == 0 && rec.count(EvidenceKind::adsb) == 0) {
    return {Identity::suspect, false, "missile-like profile held, never a reply"};
  }
  if (silent >= r.no_reply_for_unknown) return {Identity::unknown, false, "interrogated, no reply"};
  return {Identity::pending, false, "not yet interrogated"};
}

}  // namespace jrads::picture
