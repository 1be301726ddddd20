#include "jrads/federation/regional_picture.hpp"

#include <algorithm>

namespace jrads::federation {

RegionalPicture::RegionalPicture(const Geodetic& region_origin, const picture::FusionParams& params)
    : fuser_(region_origin, params) {}

void RegionalPicture::apply(std::uint32_t source, const TrackUpdate& u) {
  const auto key = std::make_pair(source, u.row.track_number);
  if (u.ended) {
    fuser_.end(source, u.row.track_number);
    known_.erase(key);
    return;
  }
  fuser_.add(source, u.row);
  Known& k = known_[key];
  if (u.evidence) k.evidence = u.evidence;
  k.sensors = u.sensors;
}

void RegionalPicture::restart_source(std::uint32_t source) {
  fuser_.restart_source(source);
  using picture::kOrphanBit;
  std::map<std::pair<std::uint32_t, std::uint32_t>, Known> moved;
  for (auto it = known_.begin(); it != known_.end();) {
    if (it->first.first == (source | kOrphanBit)) {
      it = known_.erase(it);  // orphans of an earlier restart: dropped by the fuser too
    } else if (it->first.first == source) {
      moved.emplace(std::make_pair(source | kOrphanBit, it->first.second), std::move(it->second));
      it = known_.erase(it);
    } else {
      ++it;
    }
  }
  known_.merge(moved);
}

std::vector<picture::TrackRow> RegionalPicture::fuse(SimTime now) {
  std::vector<picture::TrackRow> rows = fuser_.fuse(now);
  evidence_.clear();
  sensors_.clear();
  for (picture::TrackRow& row : rows) {
    row.sources = row.track_number;
    bool any = false;
    picture::EvidenceRecord merged;
    std::vector<std::string> ids;
    for (const picture::FusedMember& m : fuser_.members(row.track_number)) {
      const auto it = known_.find({m.source, m.track_number});
      if (it == known_.end()) continue;
      if (it->second.evidence) {
        const picture::EvidenceRecord e(*it->second.evidence);
        if (any) merged.merge(e);
        else merged = e;
        any = true;
      }
      ids.insert(ids.end(), it->second.sensors.begin(), it->second.sensors.end());
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    if (any) evidence_.emplace(row.track_number, std::move(merged));
    sensors_.emplace(row.track_number, std::move(ids));
  }
  // Forget what no fused track holds any more (dropped stale or held too long).
  for (auto it = known_.begin(); it != known_.end();) {
    it = fuser_.regional_of(it->first.first, it->first.second) == 0 ? known_.erase(it) : std::next(it);
  }
  return rows;
}

const picture::EvidenceRecord* RegionalPicture::evidence(std::uint32_t regional) const {
  const auto it = evidence_.find(regional);
  return it == evidence_.end() ? nullptr : &it->second;
}

const std::vector<std::string>& RegionalPicture::sensors(std::uint32_t regional) const {
  static const std::vector<std::string> kNone;
  const auto it = sensors_.find(regional);
  return it == sensors_.end() ? kNone : it->second;
}

}  // namespace jrads::federation
