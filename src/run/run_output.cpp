#include "jrads/run/run_output.hpp"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "jrads/core/csv_format.hpp"

namespace jrads::run {

namespace {

void append_text(std::string& out, const std::string& text) {
  for (const char c : text) out += (c == ',' || c == '\n' || c == '\r') ? ';' : c;
}

}  // namespace

EventRow event_row(const node::EngagementEvent& e) {
  EventRow r;
  r.time = e.time;
  r.event = node::to_string(e.kind);
  r.engagement = e.engagement;
  r.track = e.track;
  r.unit = e.unit;
  r.unit_party = e.unit_party;
  r.actor = e.actor;
  r.actor_party = e.actor_party;
  r.threat_class = engage::to_string(e.threat);
  r.identity = picture::to_string(e.identity);
  r.threat_value = e.threat_value;
  r.kill_probability = e.kill_probability;
  r.outcome = e.outcome;
  for (const std::string& rule : e.rules) r.rules += (r.rules.empty() ? "" : "|") + rule;
  r.reasons = e.reasons;
  r.label = e.label;
  return r;
}

void append_event_row(std::string& s, const EventRow& r) {
  append_time(s, r.time);
  s += ',';
  s += r.event;
  s += ',';
  if (r.engagement != 0) s += std::to_string(r.engagement);
  s += ',';
  if (r.track != 0) s += std::to_string(r.track);
  s += ',';
  for (const std::string* f : {&r.unit, &r.unit_party, &r.actor, &r.actor_party, &r.threat_class, &r.identity}) {
    append_text(s, *f);
    s += ',';
  }
  append_fixed(s, r.threat_value, 4);
  s += ',';
  append_fixed(s, r.kill_probability, 4);
  s += ',';
  for (const std::string* f : {&r.outcome, &r.truth_id, &r.rules}) {
    append_text(s, *f);
    s += ',';
  }
  append_text(s, r.reasons);
  s += '\n';
}

Result<void> write_engagements_csv(const std::filesystem::path& path, std::span<const EventRow> rows) {
  return write_rows_csv(path, kEngagementsHeader, rows, append_event_row);
}

void append_threat_row(std::string& s, const ThreatRow& r) {
  const engage::Threat& t = r.threat;
  append_time(s, r.time);
  s += ',';
  s += std::to_string(t.track);
  s += ',';
  s += std::to_string(t.rank);
  s += ',';
  append_text(s, t.asset);
  s += ',';
  append_fixed(s, t.value, 4);
  s += ',';
  append_fixed(s, t.cpa_m, 0);
  s += ',';
  if (std::isfinite(t.time_to_go_s)) append_fixed(s, t.time_to_go_s, 1);  // empty: it reaches nothing
  s += '\n';
}

void append_unit_row(std::string& s, const UnitRow& r) {
  append_time(s, r.time);
  s += ',';
  append_text(s, r.status.id);
  s += ',';
  append_text(s, r.status.party);
  s += ',';
  s += std::to_string(r.status.rounds_left);
  s += ',';
  s += std::to_string(r.status.channels_busy);
  s += '\n';
}

std::string summary_json(const RunResult& r, std::uint64_t seed) {
  using nlohmann::json;
  json j;
  j["seed"] = seed;
  j["threats"] = r.threats;
  j["killed"] = r.killed;
  j["leakers"] = r.leakers;
  j["assets_hit"] = json::array();
  for (const AssetHit& h : r.assets_hit) j["assets_hit"].push_back({{"asset", h.asset}, {"platform", h.platform}, {"time_s", h.time_s}});
  j["rounds_used"] = r.rounds_used;
  j["civil_engaged"] = r.civil_engaged;
  j["fratricide"] = r.fratricide;
  j["interceptors_without_kill"] = r.misses;
  j["interceptors_in_flight_at_end"] = r.in_flight_at_end;
  j["events"] = r.events;
  j["refusals_by_rule"] = r.refusals_by_rule;
  j["kill_assessment"] = {{"destroyed", r.assessed_destroyed}, {"survived", r.assessed_survived}, {"wrong", r.assessment_wrong}};
  j["detection_to_engagement_s"] = {{"threats_engaged", r.engaged_threats},
                                    {"mean", r.detect_to_engage_mean_s},
                                    {"max", r.detect_to_engage_max_s}};
  j["fire_unit_gates"] = {{"orders_held", r.gate_orders},
                          {"orders_duplicated", r.gate_orders_duplicated},
                          {"orders_refused", r.gate_orders_refused},
                          {"rounds_fired", r.gate_rounds_fired},
                          {"launches_refused", r.gate_launches_refused}};
  j["units"] = json::array();
  for (const node::UnitStatus& u : r.units) j["units"].push_back({{"id", u.id}, {"rounds_left", u.rounds_left}});
  if (!r.releases.empty()) {
    j["releases"] = json::array();
    for (const RunResult::Release& x : r.releases)
      j["releases"].push_back({{"receiver", x.receiver}, {"party", x.party}, {"decisions", x.decisions},
                               {"allowed", x.allowed}, {"refused", x.refused}, {"stripped", x.stripped}});
  }
  return j.dump(2) + "\n";
}

std::string outcome_text(const RunResult& r) {
  std::string s;
  char buf[256];
  std::snprintf(buf, sizeof buf, "Threats %d: %d killed, %d reached a defended asset\n", r.threats, r.killed, r.leakers);
  s += buf;
  for (const AssetHit& h : r.assets_hit) {
    std::snprintf(buf, sizeof buf, "  %s reached %s at t=%.0f s\n", h.platform.c_str(), h.asset.c_str(), h.time_s);
    s += buf;
  }
  std::snprintf(buf, sizeof buf, "Civil aircraft engaged: %d   Fratricide: %d\n", r.civil_engaged, r.fratricide);
  s += buf;
  int rounds_left = 0;
  for (const node::UnitStatus& u : r.units) rounds_left += u.rounds_left;
  std::snprintf(buf, sizeof buf, "Interceptors fired: %d (%d without a kill", r.rounds_used, r.misses);
  s += buf;
  if (r.in_flight_at_end > 0) s += ", " + std::to_string(r.in_flight_at_end) + " still flying at the end";
  s += "); " + std::to_string(rounds_left) + " rounds left\n";
  const auto count = [&](const char* k) {
    const auto it = r.events.find(k);
    return it == r.events.end() ? 0 : it->second;
  };
  std::snprintf(buf, sizeof buf,
                "Decisions: %d proposals, %d approvals, %d denials, %d refusals, %d orders, %d launches, %d cancelled\n",
                count("proposal"), count("approval"), count("denial"), count("refusal"), count("order"), count("launch"),
                count("cancelled"));
  s += buf;
  std::snprintf(buf, sizeof buf, "Kill assessment through the picture: %d destroyed, %d survived, %d wrong by truth\n",
                r.assessed_destroyed, r.assessed_survived, r.assessment_wrong);
  s += buf;
  if (!r.refusals_by_rule.empty()) {
    s += "Refusals by rule:";
    for (const auto& [rule, n] : r.refusals_by_rule) s += " " + rule + " " + std::to_string(n) + ";";
    s.back() = '\n';
  }
  if (r.engaged_threats > 0) {
    std::snprintf(buf, sizeof buf, "First detection to first launch: mean %.0f s, max %.0f s (%d threats engaged)\n",
                  r.detect_to_engage_mean_s, r.detect_to_engage_max_s, r.engaged_threats);
    s += buf;
  }
  return s;
}

Result<void> write_summary_json(const std::filesystem::path& path, const RunResult& r, std::uint64_t seed) {
  auto f = OutputFile::open(path);
  if (!f) return fail(f.error());
  f->buffer() += summary_json(r, seed);
  return f->commit();
}

}  // namespace jrads::run
