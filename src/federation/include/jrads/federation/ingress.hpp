#pragma once
// The bus as an ingress: what a node takes from DDS on a topic, opened (sample.hpp) and new
// (SequenceGuard), in each sender's order. DDS hands a reader its samples instance by instance,
// so a take is sorted by (sender, seq) before the replay check. A sample for another node is
// skipped (DDS delivers a topic to every reader); one that is malformed, from an unknown node,
// forged, damaged or replayed is refused: logged with its reason and counted, never returned.
//
//   Ingress in(bus, {{"KAL-RC", pair_key}}, keyring, [](const std::string& why) { log(why); });
//   for (const OpenedSample& s : in.take(Topic::tracks, now_unix_s)) apply(s);
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "jrads/federation/dds_bus.hpp"
#include "jrads/federation/link_monitor.hpp"
#include "jrads/federation/sample.hpp"

namespace jrads::federation {

struct IngressPeer {
  std::string node;
  security::SymmetricKey key;  // the pair key with this node
};

class Ingress {
 public:
  // `bus` and `keyring` outlive the ingress.
  Ingress(DdsBus& bus, std::vector<IngressPeer> peers, const security::Keyring& keyring,
          std::function<void(const std::string&)> on_refused);

  [[nodiscard]] std::vector<OpenedSample> take(Topic topic, std::int64_t now_unix_s);

  [[nodiscard]] std::uint64_t refused() const noexcept { return refused_; }
  [[nodiscard]] std::uint64_t accepted() const noexcept { return accepted_; }

 private:
  void refuse(const std::string& why);

  DdsBus& bus_;
  std::vector<IngressPeer> peers_;
  const security::Keyring& keyring_;
  std::function<void(const std::string&)> on_refused_;
  SequenceGuard guard_;
  std::uint64_t refused_ = 0, accepted_ = 0;
};

// Every heartbeat waiting on the ingress, heard by the monitor at `now`: one that does not decode,
// or names a node other than its sender, is refused with its reason. The changes they made.
[[nodiscard]] std::vector<LinkChange> hear_heartbeats(Ingress& in, LinkMonitor& links, SimTime now,
                                                      std::int64_t now_unix_s,
                                                      const std::function<void(const std::string&)>& on_refused);

}  // namespace jrads::federation
