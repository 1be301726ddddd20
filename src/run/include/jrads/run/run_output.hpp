#pragma once
// The record of a run: engagements.csv (one row per decision and outcome) and summary.json.
// Columns and keys are documented in docs/RUN.md ("The record of a run").
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "jrads/core/result.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/node/command_post.hpp"
#include "jrads/run/engagement_run.hpp"

namespace jrads::run {

inline constexpr const char* kEngagementsHeader =
    "time_s,event,engagement_id,track_id,unit_id,unit_party,actor,actor_party,threat_class,identity,threat_value,"
    "kill_probability,outcome,truth_id,rules,reasons\n";

// One row of engagements.csv: a command post event, or (event "outcome") what the world made
// of an interceptor.
struct EventRow {
  SimTime time;
  std::string event;
  std::uint64_t engagement = 0;  // 0: none (a refusal while planning)
  std::uint32_t track = 0;
  std::string unit, unit_party, actor, actor_party;
  std::string threat_class, identity;
  double threat_value = 0.0;
  double kill_probability = 0.0;
  std::string outcome;   // assessment: destroyed | survived; outcome: killed | survived | missed
  std::string truth_id;  // outcome only: the platform the interceptor met
  std::string rules;     // "|"-separated
  std::string reasons;   // readable; commas become semicolons (no field holds a comma)
  security::ItemLabel label;  // not in the file: the event's (node::EngagementEvent::label)
};

[[nodiscard]] EventRow event_row(const node::EngagementEvent& e);
// Appends the CSV line of one row (with its newline).
void append_event_row(std::string& out, const EventRow& row);
[[nodiscard]] Result<void> write_engagements_csv(const std::filesystem::path& path, std::span<const EventRow> rows);

// summary.json: the result's counts, with the seed. Keys sorted, numbers as JSON numbers.
[[nodiscard]] std::string summary_json(const RunResult& r, std::uint64_t seed);
// A short readable outcome (what `jrads run` and `jrads demo` print).
[[nodiscard]] std::string outcome_text(const RunResult& r);
[[nodiscard]] Result<void> write_summary_json(const std::filesystem::path& path, const RunResult& r, std::uint64_t seed);

}  // namespace jrads::run
