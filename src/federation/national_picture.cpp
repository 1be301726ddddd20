#include "jrads/federation/national_picture.hpp"

#include <utility>

namespace jrads::federation {

NationalPicture::NationalPicture(std::vector<picture::SensorSite> sites, const picture::TrackerParams& params,
                                 std::string party)
    : sites_(sites), tracker_(std::move(sites), params), party_(std::move(party)) {
  for (const picture::SensorSite& s : sites_) own_.push_back(s.party == party_);
}

void NationalPicture::add(const picture::Report& r) {
  if (r.sensor >= own_.size() || !own_[r.sensor]) return;
  ++reports_;
  tracker_.add(r);
}

void NationalPicture::finish() { tracker_.finish(); }

std::vector<TrackUpdate> NationalPicture::take_updates() {
  std::vector<picture::TrackRow> rows = tracker_.take_rows();
  std::vector<TrackUpdate> out;
  out.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size();) {
    const SimTime at = rows[i].time;
    std::map<std::uint32_t, TrackUpdate> now;
    for (; i < rows.size() && rows[i].time == at; ++i) {
      TrackUpdate u;
      u.row = std::move(rows[i]);
      if (const picture::EvidenceRecord* e = tracker_.evidence(u.row.track_number)) u.evidence = e->summary();
      for (std::uint32_t s : tracker_.sources(u.row.sources)) u.sensors.push_back(sites_[s].id);
      if (u.sensors.size() > kMaxTrackSensors) u.sensors.resize(kMaxTrackSensors);
      out.push_back(u);
      now.emplace(out.back().row.track_number, std::move(u));
    }
    // Deleted or merged since the previous emission: said once.
    for (auto& [number, u] : last_) {
      if (now.count(number) != 0) continue;
      u.ended = true;
      u.row.time = at;
      out.push_back(std::move(u));
    }
    last_ = std::move(now);
  }
  return out;
}

}  // namespace jrads::federation
