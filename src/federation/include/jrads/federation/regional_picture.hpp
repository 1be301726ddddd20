#pragma once
// The regional centre's picture: the national nodes' track updates in, the fused regional
// picture out, with what the command post and the release need of each regional track.
//
//   RegionalPicture rc(region_origin, {.label_originator = kal});
//   rc.apply(0, update_from_kal);       // source 0: KAL's national node
//   rc.apply(1, update_from_mor);
//   for (const TrackRow& row : rc.fuse(now)) { ... rc.evidence(row.track_number) ... }
//
// Fusion is picture::TrackFuser's. A regional track's evidence is the merge of its members'
// (a civil squawk one node saw counts for all), and its sensors are the union of theirs.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "jrads/federation/track_update.hpp"
#include "jrads/picture/identity.hpp"
#include "jrads/picture/track_fuser.hpp"

namespace jrads::federation {

class RegionalPicture {
 public:
  RegionalPicture(const Geodetic& region_origin, const picture::FusionParams& params);

  void apply(std::uint32_t source, const TrackUpdate& u);
  void set_source_up(std::uint32_t source, bool up) { fuser_.set_source_up(source, up); }
  // The source's node restarted (TrackFuser::restart_source); what its old tracks told (their
  // evidence, their sensors) stays with them until they are taken over or dropped.
  void restart_source(std::uint32_t source);

  // The regional rows at `now` (TrackFuser::fuse); each row's `sources` is its own track number,
  // the key of sensors().
  [[nodiscard]] std::vector<picture::TrackRow> fuse(SimTime now);
  // Of a regional track at the last fusion: null / empty when it has none.
  [[nodiscard]] const picture::EvidenceRecord* evidence(std::uint32_t regional) const;
  [[nodiscard]] const std::vector<std::string>& sensors(std::uint32_t regional) const;

  [[nodiscard]] const picture::TrackFuser& fuser() const noexcept { return fuser_; }

 private:
  struct Known {
    std::optional<picture::EvidenceSummary> evidence;
    std::vector<std::string> sensors;
  };
  picture::TrackFuser fuser_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, Known> known_;  // (source, national number)
  std::map<std::uint32_t, picture::EvidenceRecord> evidence_;      // by regional number
  std::map<std::uint32_t, std::vector<std::string>> sensors_;
};

}  // namespace jrads::federation
