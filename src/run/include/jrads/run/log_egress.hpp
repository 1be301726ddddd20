#pragma once
// The run's log is an egress like any other (docs/SECURITY.md "Release"): it is read by one
// party's staff, so a line about an item is written only if that reader may have the item.
// A log line cannot be sanitised, so the reader's gate refuses rather than strips; what it
// refuses is counted (and its decisions go to the audit log), never written.
//
//   LogEgress log(parties, "KAL", true, logger("run"));
//   log.alert(alert);   // written if releasable to KAL's staff, else counted
#include <memory>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "jrads/picture/tracker.hpp"
#include "jrads/run/release_export.hpp"
#include "jrads/security/release_gate.hpp"

namespace jrads::run {

class LogEgress {
 public:
  // `reader`: the party whose staff reads the log, cleared SECRET with need-to-know for every
  // category (a log is theirs to read, as their national node's files are).
  LogEgress(security::PartyTable parties, const std::string& reader, bool agreement_in_force,
            std::shared_ptr<spdlog::logger> log);
  LogEgress(const LogEgress&) = delete;  // the gate reports into this object
  LogEgress& operator=(const LogEgress&) = delete;

  // A misregistered radar at info, other alerts at debug (they repeat per track).
  void alert(const picture::Alert& a);

  [[nodiscard]] const std::vector<ReleaseRecord>& decisions() const noexcept { return decisions_; }
  [[nodiscard]] ReleaseTally tally() const;

 private:
  std::vector<ReleaseRecord> decisions_;
  security::ReleaseGate gate_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace jrads::run
