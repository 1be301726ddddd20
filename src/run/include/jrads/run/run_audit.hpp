#pragma once
// The run's audit log (docs/SECURITY.md "Audit log", docs/RUN.md): every engagement event of
// the run, the keys that sign it, and the SHA-256 of each output file, written by the lead
// party's node and countersigned by the partner's (AuditSigners, in engagement_run.hpp). Both
// nodes are in this one process; each keeps its own tree (security::Countersigner), as two
// federated nodes would.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/run/release_export.hpp"
#include "jrads/run/run_output.hpp"
#include "jrads/security/label.hpp"

namespace jrads::run {

// The label of an engagement event that carries none (EventRow::label empty, or no party table
// given): SECRET, need-to-know ORDERS, originated by the acting party (else the unit's, else the
// lead party's), releasable to every party of the chain while the agreement is in force and to
// none but the originator once it is not. Events of the command post carry their own label
// (its track's, with ORDERS): with `table`, write_run_audit uses that.
[[nodiscard]] security::Label event_label(const EventRow& row, std::span<const std::string> parties,
                                          bool agreement_in_force, const std::string& lead_party);

struct AuditSummary {
  std::uint64_t records = 0, checkpoints = 0;
};

// Writes `path` (complete or not at all): a "key" record for each signer, one record per
// event row (rows in time order), one "release" record per distinct release decision and one
// "release_count" per receiver (at the time of the last event: the exports are made at the
// end), one "output" record per file in `outputs` (its path under the log's directory and its
// SHA-256; the files must exist), a checkpoint after each simulated minute with records and a
// final one. `log_id` names the run.
[[nodiscard]] Result<AuditSummary> write_run_audit(const std::filesystem::path& path, const std::string& log_id,
                                                   const AuditSigners& signers, std::span<const EventRow> rows,
                                                   std::span<const std::string> parties, bool agreement_in_force,
                                                   const std::string& lead_party,
                                                   std::span<const std::filesystem::path> outputs,
                                                   std::span<const ReleaseRecord> releases = {},
                                                   std::span<const ReleaseTally> tallies = {},
                                                   const security::PartyTable* table = nullptr);

}  // namespace jrads::run
