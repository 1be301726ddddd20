#pragma once
// The record of a run: engagements.csv (one row per decision and outcome) and summary.json.
// Columns and keys are documented in docs/RUN.md ("The record of a run").
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>

#include "jrads/core/csv_format.hpp"
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

// threats.csv: each planning cycle's ranked threats (docs/RUN.md).
inline constexpr const char* kThreatsHeader = "time_s,track_id,rank,asset,value,cpa_m,time_to_go_s\n";
struct ThreatRow {
  SimTime time;
  engage::Threat threat;
};
void append_threat_row(std::string& out, const ThreatRow& row);

// units.csv: a fire unit's status each time it changes, and at the start (docs/RUN.md).
inline constexpr const char* kUnitsHeader = "time_s,unit_id,party,rounds_left,channels_busy\n";
struct UnitRow {
  SimTime time;
  node::UnitStatus status;
};
void append_unit_row(std::string& out, const UnitRow& row);

// A file of `header` and the rows, each appended by `append`.
template <class Row, class Append>
[[nodiscard]] Result<void> write_rows_csv(const std::filesystem::path& path, const char* header, std::span<const Row> rows,
                                          Append append) {
  auto f = OutputFile::open(path);
  if (!f) return fail(f.error());
  f->buffer() += header;
  for (const Row& r : rows) {
    append(f->buffer(), r);
    f->flush_if_full();
  }
  return f->commit();
}

// summary.json: the result's counts, with the seed. Keys sorted, numbers as JSON numbers.
[[nodiscard]] std::string summary_json(const RunResult& r, std::uint64_t seed);
// A short readable outcome (what `jrads run` and `jrads demo` print).
[[nodiscard]] std::string outcome_text(const RunResult& r);
[[nodiscard]] Result<void> write_summary_json(const std::filesystem::path& path, const RunResult& r, std::uint64_t seed);

}  // namespace jrads::run
