#pragma once
// The exercise controller's and the regional centre's side of a federated run, in this
// process: the feed to each national node (sites, then each window's reports, then the end)
// through the controller's egress on the feed's DDS domain, and the national nodes' track
// updates taken by the centre's ingress on the federation's, each node's through its "tracks
// done" mark. The exercise's link cuts (FederationOptions::cuts), and what the centre found
// after each (federation.json).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/federation/feed.hpp"
#include "jrads/federation/link_monitor.hpp"
#include "jrads/federation/track_update.hpp"
#include "jrads/picture/report.hpp"
#include "jrads/picture/tracker.hpp"
#include "jrads/run/engagement_run.hpp"
#include "jrads/security/item_label.hpp"

namespace jrads::run {

class FederatedLink {
 public:
  // Loads both nodes' keys and the keyring from options.keys, opens both participants, and
  // waits (answer_timeout_s) until every national node's feed reader and tracks writer are
  // matched.
  [[nodiscard]] static Result<std::unique_ptr<FederatedLink>> open(const FederationOptions& options,
                                                                   const security::PartyTable& parties,
                                                                   bool agreement_in_force);
  ~FederatedLink();

  [[nodiscard]] Result<void> send_sites(const std::string& party, std::span<const picture::SensorSite> sites);
  [[nodiscard]] Result<void> send_window(const std::string& party, SimTime end, std::span<const std::string> lines,
                                         const security::ItemLabel& label);
  [[nodiscard]] Result<void> send_end(const std::string& party);
  // The party's node's updates and alerts, in its order, until its mark says all through
  // `through` are sent (and its alerts have all arrived).
  struct Collected {
    std::vector<federation::TrackUpdate> updates;
    std::vector<picture::Alert> alerts;
    bool lost = false;       // the node's link is down: what it sent before, and no mark
    bool restarted = false;  // it came back as a new process since the last collect: these are the new one's
    std::optional<federation::TracksDone> mark;  // when not lost: the node's mark through `through`
    bool resynced = false;   // the first collect after a cut link's snapshot
  };
  [[nodiscard]] Result<Collected> collect(const std::string& party, SimTime through);
  // The regional picture at `time` (every regional row of that fusion) down to each national
  // node whose link is up: the rows the release gate lets it have (SENSORS stripped first where
  // it has no need to know them), in parts (picture_batch.hpp). After the last fusion, an empty
  // picture at the end tells the nodes the picture is complete.
  [[nodiscard]] Result<void> send_picture(SimTime time, std::span<const federation::TrackUpdate> rows);
  // The command post's orders, each to its unit's party's national node through the release
  // gate (jrads/orders: reliable, keep all, transient local). One its node may not have is
  // counted, not sent.
  [[nodiscard]] Result<void> send_orders(std::span<const node::Order> orders);
  // Before window `index` (from 0) is sent: the exercise's cuts that start or end there; the
  // parties whose links it cut now. A restore waits until the centre has seen the loss (and
  // the detection bound has passed, so the node has too), then for the node's snapshot, at
  // most 5 s each.
  [[nodiscard]] Result<std::vector<std::string>> before_window(std::uint64_t index);
  // What the centre holds of a node's tracks, once a collect's updates are fused.
  struct TrackCheck {
    std::size_t held = 0;  // the node's tracks in the regional picture (TrackFuser::tracks_of)
    // The first collect after a cut (resynced): the node's live tracks in its updates, and of
    // them those held under the regional number they had when the link was cut (or new since),
    // under another number, or not at all.
    std::size_t live = 0, kept = 0, renumbered = 0, missing = 0;
  };
  // Against what the node's mark says it holds; logged when they disagree, and for federation.json.
  // `mark` and `resynced`: the collect's.
  void check_tracks(const std::string& party, const std::optional<federation::TracksDone>& mark, bool resynced,
                    const TrackCheck& t);
  // federation.json (docs/FEDERATION.md): the cuts, what was seen of each, and the checks.
  [[nodiscard]] Result<void> write_report(const std::filesystem::path& path) const;
  [[nodiscard]] std::uint64_t refused() const;
  // The centre's link changes to the national nodes since the last call (each also logged; a
  // restarted node is already being resynchronised: the sites go to it again).
  [[nodiscard]] std::vector<federation::LinkChange> take_link_changes();
  [[nodiscard]] std::string party_of(const std::string& node) const;

 private:
  struct Impl;
  explicit FederatedLink(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace jrads::run
