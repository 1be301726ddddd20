#pragma once
// The exercise controller's and the regional centre's side of a federated run, in this
// process: the feed to each national node (sites, then each window's reports, then the end)
// through the controller's egress, and the national nodes' track updates taken by the centre's
// ingress, each node's through its "tracks done" mark.
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "jrads/core/result.hpp"
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
  };
  [[nodiscard]] Result<Collected> collect(const std::string& party, SimTime through);
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
