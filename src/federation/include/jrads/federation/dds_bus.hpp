#pragma once
// Cyclone DDS under the federation (docs/FEDERATION.md): one participant per node, the JRADS
// topics with their QoS, every sample a sealed jrads::wire::Envelope (idl/envelope.idl). The
// bus moves WireSamples and knows nothing of their contents: sealing and opening them is
// sample.hpp's, on both sides of it.
//
//   auto bus = DdsBus::open(domain, "MOR-C2");
//   bus->publish(seal_sample(...));
//   for (auto& r : bus->take(Topic::tracks)) ...   // r.sample, or r.error for a malformed one
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/federation/sample.hpp"

namespace jrads::federation {

// The topics and their QoS (the reasons are in docs/FEDERATION.md).
enum class Topic : std::uint8_t {
  tracks,      // reliable, keep last 32 per track: each emission is fused; a slow reader keeps the latest
  threats,     // reliable, keep last 1 per track
  orders,      // proposals, approvals, orders, launches: reliable, keep all, transient local
  status,      // fire-unit status: reliable, keep last 1 per unit, transient local
  alerts,      // reliable, keep last 16, volatile
  heartbeats,  // best effort, keep last 1 per node
  feed,        // the exercise controller's simulated sensor reports: reliable, keep all, volatile
};
inline constexpr int kTopics = 7;
[[nodiscard]] const char* topic_name(Topic t) noexcept;  // "jrads/tracks", ...

struct Received {
  WireSample sample;  // when error is empty
  std::string error;  // a malformed envelope: what is wrong with it (the sample is then empty)
};

class DdsBus {
 public:
  // A participant of `node` on `domain`, configured for the loopback only (no multicast,
  // peers 127.0.0.1), with a reader on every topic, and a writer too unless `listen_only` (a
  // test's tap). Each reader and writer carries the node id in its user data, so that a peer
  // sees whose it has matched. Errc::io_error with DDS's reason when Cyclone refuses.
  [[nodiscard]] static Result<DdsBus> open(std::uint32_t domain, std::string node, bool listen_only = false);
  DdsBus(DdsBus&&) noexcept;
  DdsBus& operator=(DdsBus&&) noexcept;
  ~DdsBus();

  // Writes the sample on its header's topic (which must be one of ours).
  [[nodiscard]] Result<void> publish(const WireSample& sample);
  // Every sample waiting on the topic, addressed to this node or not (DDS delivers a topic to
  // all its readers: the receiver field and the seal decide), each converted strictly.
  [[nodiscard]] std::vector<Received> take(Topic topic);
  // Waits until every reliable sample written has been acknowledged by the readers matched now,
  // at most timeout_s: what a node does before it leaves, so its last samples arrive. False on
  // timeout.
  bool flush(double timeout_s);
  // The writers our reader of the topic has matched (its own included): how a test waits
  // for discovery.
  [[nodiscard]] int matched_writers(Topic topic) const;
  // The readers our writer of the topic has matched (its own included).
  [[nodiscard]] int matched_readers(Topic topic) const;
  // The nodes whose readers our writer of the topic has matched, and whose writers our reader
  // has (by their user data; ours included; one entry per endpoint).
  [[nodiscard]] std::vector<std::string> matched_reader_nodes(Topic topic) const;
  [[nodiscard]] std::vector<std::string> matched_writer_nodes(Topic topic) const;
  // Cyclone's deaf and mute (its testing control): while cut, this process's whole domain (every
  // participant of it here) neither hears nor sends anything, as if its network were cut. How an
  // exercise cuts a node's link. Errc::io_error with DDS's reason when refused.
  [[nodiscard]] Result<void> set_cut(bool cut);

  [[nodiscard]] const std::string& node() const noexcept;

 private:
  struct Impl;
  explicit DdsBus(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace jrads::federation
