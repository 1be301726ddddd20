#pragma once
// The run's picture, either way (RunOptions::picture): one tracker of every sensor (central), or
// each party's national picture fused track to track by the regional centre (regional), the
// federated system's picture. The national pictures run here (in-process), or in their own
// `jrads node` processes over DDS (a federated run: `link`). The closed loop reads all of them
// through this.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string_view>
#include <vector>

#include "federated_link_impl.hpp"
#include "jrads/federation/national_picture.hpp"
#include "jrads/federation/regional_picture.hpp"
#include "jrads/picture/tracker.hpp"
#include "jrads/run/engagement_run.hpp"
#include "jrads/security/item_label.hpp"

namespace jrads::run {

class PictureChain {
 public:
  static constexpr SimTime kEnd = SimTime::from_ns(std::numeric_limits<std::int64_t>::max());

  // `link`: the federated run's (outlives the chain), or null for in-process national pictures.
  PictureChain(const std::vector<picture::SensorSite>& sites, const picture::TrackerParams& params, PictureMode mode,
               const security::PartyTable& parties, FederatedLink* link = nullptr)
      : sites_(sites),
        link_(link),
        frame_(picture::CommonFrame::centroid_of(sites), sites, params.adsb_min_vertical_sigma_m) {
    if (mode == PictureMode::central && link == nullptr) {
      central_.emplace(sites, params);
      return;
    }
    for (std::size_t p = 0; p < parties.size(); ++p) {
      const std::string& party = parties.name(static_cast<security::PartyIndex>(p));
      party_names_.push_back(party);
      if (link_ != nullptr) continue;
      picture::TrackerParams national = params;
      national.label_originator = static_cast<security::PartyIndex>(p);
      nationals_.emplace_back(sites, national, party);
    }
    picture::FusionParams fusion;
    fusion.motion = params.imm.motion;
    fusion.label_originator = params.label_originator;
    regional_.emplace(frame_.region().origin(), fusion);
    for (std::size_t i = 0; i < sites.size(); ++i) site_index_.emplace(sites[i].id, static_cast<std::uint32_t>(i));
    lines_.resize(parties.size());
    // A window's label: what the party's own sensors' reports are, combined.
    window_labels_.resize(parties.size());
    for (std::size_t p = 0; p < parties.size(); ++p) {
      bool first = true;
      for (const picture::SensorSite& s : sites) {
        if (s.party != party_names_[p]) continue;
        window_labels_[p] = first ? s.label : security::combine(window_labels_[p], s.label, static_cast<security::PartyIndex>(p));
        first = false;
      }
    }
  }

  // The federated run's first message to each national node.
  [[nodiscard]] Result<void> start() {
    if (link_ == nullptr) return {};
    for (const std::string& party : party_names_)
      if (auto ok = link_->send_sites(party, sites_); !ok) return ok;
    return {};
  }

  void add(const picture::Report& r, std::string_view line) {
    if (central_) {
      central_->add(r);
      return;
    }
    if (link_ == nullptr) {
      for (federation::NationalPicture& n : nationals_) n.add(r);  // each takes its own party's
      return;
    }
    const auto p = std::find(party_names_.begin(), party_names_.end(), sites_.at(r.sensor).party);
    if (p != party_names_.end()) lines_[static_cast<std::size_t>(p - party_names_.begin())].emplace_back(line);
  }

  [[nodiscard]] Result<void> finish() {
    finished_ = true;
    if (central_) central_->finish();
    for (federation::NationalPicture& n : nationals_) n.finish();
    if (link_ != nullptr)
      for (const std::string& party : party_names_)
        if (auto ok = link_->send_end(party); !ok) return ok;
    return {};
  }

  // Central: the tracker's rows. Regional: each national emission time's updates applied, then
  // fused at that time (a time already fused is applied and fused with the next). A federated
  // run first sends each national node the window's reports and waits for its updates.
  [[nodiscard]] Result<std::vector<picture::TrackRow>> take_rows(SimTime window_end) {
    if (central_) return central_->take_rows();
    std::vector<std::pair<std::uint32_t, federation::TrackUpdate>> all;
    if (link_ == nullptr) {
      for (std::size_t s = 0; s < nationals_.size(); ++s)
        for (federation::TrackUpdate& u : nationals_[s].take_updates()) all.emplace_back(static_cast<std::uint32_t>(s), std::move(u));
    } else {
      if (auto ok = follow_links(); !ok) return fail(ok.error());
      if (!finished_) {
        auto cut = link_->before_window(windows_++);
        if (!cut) return fail(cut.error());
        // Each cut node's regional numbers now, to compare with after its resynchronisation.
        for (const std::string& party : *cut) {
          const auto p = static_cast<std::uint32_t>(std::find(party_names_.begin(), party_names_.end(), party) - party_names_.begin());
          const auto bound = regional_->fuser().bindings(p);
          at_cut_[p] = std::map<std::uint32_t, std::uint32_t>(bound.begin(), bound.end());
        }
        for (std::size_t p = 0; p < party_names_.size(); ++p) {
          if (auto ok = link_->send_window(party_names_[p], window_end, lines_[p], window_labels_[p]); !ok) return fail(ok.error());
          lines_[p].clear();
        }
      }
      collected_.clear();
      for (std::size_t p = 0; p < party_names_.size(); ++p) {
        auto got = link_->collect(party_names_[p], finished_ ? kEnd : window_end);
        if (!got) return fail(got.error());
        Collected c{got->mark, got->resynced, {}};
        if (got->resynced)  // the node's live tracks: what its snapshot and updates leave alive
          for (const federation::TrackUpdate& u : got->updates) {
            if (u.ended) {
              c.live.erase(u.row.track_number);
            } else {
              c.live.insert(u.row.track_number);
            }
          }
        collected_.emplace_back(p, std::move(c));
        // Before its new process's first updates: its old tracks become orphans.
        if (got->restarted) regional_->restart_source(static_cast<std::uint32_t>(p));
        for (federation::TrackUpdate& u : got->updates) all.emplace_back(static_cast<std::uint32_t>(p), std::move(u));
        for (picture::Alert& a : got->alerts) remote_alerts_.emplace_back(static_cast<std::uint32_t>(p), std::move(a));
      }
    }
    std::vector<SimTime> times;
    for (const auto& [s, u] : all) times.push_back(u.row.time);
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
      if (link_ != nullptr) {
        std::vector<federation::TrackUpdate> down;
        down.reserve(now.size());
        for (const picture::TrackRow& row : now) {
          federation::TrackUpdate u;
          u.row = row;
          if (const picture::EvidenceRecord* e = regional_->evidence(row.track_number)) u.evidence = e->summary();
          u.sensors = regional_->sensors(row.track_number);
          if (u.sensors.size() > federation::kMaxTrackSensors) u.sensors.resize(federation::kMaxTrackSensors);
          down.push_back(std::move(u));
        }
        if (auto ok = link_->send_picture(t, down); !ok) return fail(ok.error());
      }
      rows.insert(rows.end(), std::make_move_iterator(now.begin()), std::make_move_iterator(now.end()));
    }
    if (link_ != nullptr && finished_)
      if (auto ok = link_->send_picture(kEnd, {}); !ok) return fail(ok.error());
    // What each node says it holds, against what the centre holds of it.
    for (const auto& [p, c] : collected_) {
      const auto source = static_cast<std::uint32_t>(p);
      const picture::TrackFuser& fuser = regional_->fuser();
      FederatedLink::TrackCheck check;
      check.held = fuser.tracks_of(source);
      if (c.resynced) {
        check.live = c.live.size();
        const std::map<std::uint32_t, std::uint32_t>& before = at_cut_[source];
        for (std::uint32_t n : c.live) {
          const std::uint32_t now = fuser.regional_of(source, n);
          const auto was = before.find(n);
          if (now == 0) {
            ++check.missing;
          } else if (was != before.end() && was->second != now) {
            ++check.renumbered;
          } else {
            ++check.kept;
          }
        }
      }
      link_->check_tracks(party_names_[p], c.mark, c.resynced, check);
    }
    collected_.clear();
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
    std::vector<std::pair<std::uint32_t, picture::Alert>> taken = std::move(remote_alerts_);
    remote_alerts_.clear();
    for (std::size_t s = 0; s < nationals_.size(); ++s)
      for (picture::Alert& a : nationals_[s].take_alerts()) taken.emplace_back(static_cast<std::uint32_t>(s), std::move(a));
    std::vector<picture::Alert> out;
    for (auto& [s, a] : taken) {
      if (a.track_number != 0) a.track_number = regional_->fuser().regional_of(s, a.track_number);
      out.push_back(std::move(a));
    }
    return out;
  }

  [[nodiscard]] const picture::CommonFrame& frame() const { return central_ ? central_->frame() : frame_; }

  [[nodiscard]] const picture::EvidenceRecord* evidence(std::uint32_t track_number) const {
    return central_ ? central_->evidence(track_number) : regional_->evidence(track_number);
  }

 private:
  // Fail-safe on link loss: a node whose link is down has its tracks held (coasting); one that
  // comes back as a new process gets the sensor sites again (FederatedLink) and its new tracks
  // take over its old ones (TrackFuser::restart_source, when its first updates are collected).
  [[nodiscard]] Result<void> follow_links() {
    for (const federation::LinkChange& c : link_->take_link_changes()) {
      const auto at = std::find(party_names_.begin(), party_names_.end(), link_->party_of(c.node));
      if (at == party_names_.end()) continue;
      const auto p = static_cast<std::uint32_t>(at - party_names_.begin());
      if (c.to == federation::LinkState::down) {
        regional_->set_source_up(p, false);
      } else if (c.to == federation::LinkState::up && (c.restarted || c.from == federation::LinkState::down)) {
        regional_->set_source_up(p, true);  // a restart's orphans: when its updates are collected
      }
    }
    return {};
  }

  std::vector<picture::SensorSite> sites_;
  FederatedLink* link_ = nullptr;
  picture::CommonFrame frame_;
  std::optional<picture::Tracker> central_;
  std::vector<std::string> party_names_;
  std::vector<federation::NationalPicture> nationals_;
  std::optional<federation::RegionalPicture> regional_;
  std::map<std::string, std::uint32_t> site_index_;
  std::map<std::uint32_t, std::vector<std::uint32_t>> sources_;
  std::vector<std::vector<std::string>> lines_;  // federated: this window's rows, per party
  std::vector<security::ItemLabel> window_labels_;
  std::vector<std::pair<std::uint32_t, picture::Alert>> remote_alerts_;  // federated: by party, as collected
  std::optional<SimTime> fused_;
  bool finished_ = false;
  // Federated: what a collect told, kept until its updates are fused and checked.
  struct Collected {
    std::optional<federation::TracksDone> mark;
    bool resynced = false;
    std::set<std::uint32_t> live;  // resynced: the node's live tracks, by its updates
  };
  std::uint64_t windows_ = 0;  // federated: windows sent
  std::vector<std::pair<std::size_t, Collected>> collected_;
  std::map<std::uint32_t, std::map<std::uint32_t, std::uint32_t>> at_cut_;  // by source: national -> regional, when cut
};

}  // namespace jrads::run
