#pragma once
// The run's exports to each party (docs/RUN.md "Releases"): every track row, engagement
// event, threat, alert and fire-unit status goes through one security::ReleaseGate for each
// party's national node, and what it releases is written into that party's files, sealed under
// the party's data key. This is the run's egress: nothing reaches release/<PARTY>/ but through
// the gate's Released<T>.
//
// The receivers: each party's national node, cleared SECRET on the agreement's common scale,
// with need-to-know for every category, except that another party than the lead has none for
// SENSORS (which sensor saw a track): that part is stripped, the rest released.
#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/picture/report.hpp"
#include "jrads/picture/tracker.hpp"
#include "jrads/run/run_output.hpp"
#include "jrads/security/crypto.hpp"
#include "jrads/security/release_gate.hpp"

namespace jrads::run {

// One distinct decision of the gate, as the audit log records it.
struct ReleaseRecord {
  std::string receiver;   // "MOR national node"
  std::string party;      // the receiver's party
  security::Label label;  // the item's, at the time it was first decided
  bool allowed = false;
  security::CategorySet stripped = 0;
  std::vector<std::string> rules, reasons;
};

// The record of one decision the gate reports (its on_decision callback).
[[nodiscard]] ReleaseRecord release_record(const security::ReceiverSpec& r, const security::Label& l,
                                           const security::ReleaseDecision& d);

struct ReleaseTally {
  std::string receiver, party;
  security::ReleaseCounts counts;
};

class ReleaseExport {
 public:
  ReleaseExport(security::PartyTable parties, const std::string& lead_party, bool agreement_in_force,
                std::vector<picture::SensorSite> sites);
  ReleaseExport(const ReleaseExport&) = delete;  // the gate reports into this object
  ReleaseExport& operator=(const ReleaseExport&) = delete;

  // The sensors of a row's source set (picture::Tracker::sources).
  using SourceSets = std::function<std::span<const std::uint32_t>(std::uint32_t set)>;
  // Each row, to each party's node: released rows go to its tracks.csv (FORMATS), and their
  // sources to its sources.csv unless SENSORS was stripped.
  void tracks(std::span<const picture::TrackRow> rows, const SourceSets& sources);
  // Each engagement event (label: event_label), to each party's node: its engagements.csv.
  void events(std::span<const EventRow> rows);
  // Each threat (engage::threat_label), to threats.csv.
  void threats(std::span<const ThreatRow> rows);
  // Each alert, to alerts.csv; its sensor column is left empty where SENSORS was stripped.
  void alerts(std::span<const picture::Alert> alerts);
  // Each fire unit's status (node::unit_status_label), to units.csv.
  void units(std::span<const UnitRow> rows);

  // Seals release/<PARTY>/{tracks,sources,engagements,threats,alerts,units}.csv.sealed under each party's data key
  // (every party needs one) and returns the files written. The file's label combines the
  // labels of what it holds (as released), so it is releasable to its party.
  [[nodiscard]] Result<std::vector<std::filesystem::path>> write(
      const std::filesystem::path& out_dir, const std::map<std::string, security::SymmetricKey>& data_keys) const;

  [[nodiscard]] const std::vector<ReleaseRecord>& decisions() const noexcept { return decisions_; }
  [[nodiscard]] std::vector<ReleaseTally> tallies() const;

 private:
  enum Part : std::uint8_t { tracks_csv, sources_csv, engagements_csv, threats_csv, alerts_csv, units_csv, kParts };
  struct File {
    std::string text;
    security::ItemLabel label;  // combined over what it holds, as released
    bool any = false;
  };
  using PartyFiles = std::array<File, kParts>;
  // Asks the gate for `item` to every party; appends what is released to its `part` with
  // append(party, text, released). The file's label takes the item's, less what was stripped
  // and `not_written` (what the part never holds).
  template <class T, class Append>
  void release_each(const T& item, const security::ItemLabel& label, SimTime time, Part part,
                    security::CategorySet not_written, Append append);
  void absorb(File& f, security::ItemLabel item, security::CategorySet not_held) const;
  security::PartyTable parties_;
  security::PartyIndex lead_;  // originator of the files' labels (the picture's party)
  std::vector<picture::SensorSite> sites_;
  std::vector<ReleaseRecord> decisions_;
  security::ReleaseGate gate_;
  std::vector<PartyFiles> files_;  // by receiver (= party index)
};

}  // namespace jrads::run
