#pragma once
// The run's picture, either way (RunOptions::picture): one tracker of every sensor (central), or
// each party's national picture fused track to track by the regional centre (regional), the
// federated system's picture in one process. The closed loop reads both through this.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "jrads/federation/national_picture.hpp"
#include "jrads/federation/regional_picture.hpp"
#include "jrads/picture/tracker.hpp"
#include "jrads/run/engagement_run.hpp"
#include "jrads/security/item_label.hpp"

namespace jrads::run {

class PictureChain {
 public:
  PictureChain(const std::vector<picture::SensorSite>& sites, const picture::TrackerParams& params, PictureMode mode,
               const security::PartyTable& parties) {
    if (mode == PictureMode::central) {
      central_.emplace(sites, params);
      return;
    }
    for (std::size_t p = 0; p < parties.size(); ++p) {
      picture::TrackerParams national = params;
      national.label_originator = static_cast<security::PartyIndex>(p);
      nationals_.emplace_back(sites, national, parties.name(static_cast<security::PartyIndex>(p)));
    }
    picture::FusionParams fusion;
    fusion.motion = params.imm.motion;
    fusion.label_originator = params.label_originator;
    regional_.emplace(nationals_.front().tracker().frame().region().origin(), fusion);
    for (std::size_t i = 0; i < sites.size(); ++i) site_index_.emplace(sites[i].id, static_cast<std::uint32_t>(i));
  }

  void add(const picture::Report& r) {
    if (central_) {
      central_->add(r);
      return;
    }
    for (federation::NationalPicture& n : nationals_) n.add(r);  // each takes its own party's
  }

  void finish() {
    if (central_) central_->finish();
    for (federation::NationalPicture& n : nationals_) n.finish();
  }

  // Central: the tracker's rows. Regional: each national emission time's updates applied, then
  // fused at that time (a time already fused is applied and fused with the next).
  std::vector<picture::TrackRow> take_rows() {
    if (central_) return central_->take_rows();
    std::vector<std::pair<std::uint32_t, federation::TrackUpdate>> all;
    std::vector<SimTime> times;
    for (std::size_t s = 0; s < nationals_.size(); ++s) {
      for (federation::TrackUpdate& u : nationals_[s].take_updates()) {
        times.push_back(u.row.time);
        all.emplace_back(static_cast<std::uint32_t>(s), std::move(u));
      }
    }
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    std::vector<picture::TrackRow> rows;
    for (SimTime t : times) {
      for (const auto& [s, u] : all)
        if (u.row.time == t) regional_->apply(s, u);
      if (fused_ && t <= *fused_) continue;
      fused_ = t;
      std::vector<picture::TrackRow> now = regional_->fuse(t);
      sources_.clear();
      for (const picture::TrackRow& row : now) {
        std::vector<std::uint32_t>& set = sources_[row.track_number];
        for (const std::string& id : regional_->sensors(row.track_number))
          if (const auto it = site_index_.find(id); it != site_index_.end()) set.push_back(it->second);
        std::sort(set.begin(), set.end());
      }
      rows.insert(rows.end(), std::make_move_iterator(now.begin()), std::make_move_iterator(now.end()));
    }
    return rows;
  }

  // The sensors of a row's `sources` (regional: of the latest fusion's rows only).
  [[nodiscard]] std::span<const std::uint32_t> sources(std::uint32_t set) const {
    if (central_) return central_->sources(set);
    const auto it = sources_.find(set);
    return it == sources_.end() ? std::span<const std::uint32_t>() : std::span<const std::uint32_t>(it->second);
  }

  // Regional: a national alert about a track names the regional track it is part of (0 when
  // the national track is in none yet).
  std::vector<picture::Alert> take_alerts() {
    if (central_) return central_->take_alerts();
    std::vector<picture::Alert> out;
    for (std::size_t s = 0; s < nationals_.size(); ++s) {
      for (picture::Alert& a : nationals_[s].take_alerts()) {
        if (a.track_number != 0) a.track_number = regional_->fuser().regional_of(static_cast<std::uint32_t>(s), a.track_number);
        out.push_back(std::move(a));
      }
    }
    return out;
  }

  [[nodiscard]] const picture::CommonFrame& frame() const {
    return central_ ? central_->frame() : nationals_.front().tracker().frame();
  }

  [[nodiscard]] const picture::EvidenceRecord* evidence(std::uint32_t track_number) const {
    return central_ ? central_->evidence(track_number) : regional_->evidence(track_number);
  }

 private:
  std::optional<picture::Tracker> central_;
  std::vector<federation::NationalPicture> nationals_;
  std::optional<federation::RegionalPicture> regional_;
  std::map<std::string, std::uint32_t> site_index_;
  std::map<std::uint32_t, std::vector<std::uint32_t>> sources_;
  std::optional<SimTime> fused_;
};

}  // namespace jrads::run
