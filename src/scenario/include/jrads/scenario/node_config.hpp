#pragma once
// The node configuration file of `jrads node --config NODE.yaml` (docs/FEDERATION.md): who this
// node is, the DDS domain, where its keys are, the scenario it serves, and the peers it
// exchanges with, each with the clearance and need-to-know the release gate decides by.
//
//   NodeConfigOutcome c = load_node_config("nodes/MOR-N.yaml");
//   if (!c.config) for (const Error& e : c.errors) print(e.to_string());
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/security/release.hpp"

namespace jrads::scenario {

enum class NodeRole : std::uint8_t {
  national,    // a party's sensors, picture and fire units
  regional,    // the coordinating party's regional centre: fusion, threat evaluation, assignment
  controller,  // the exercise controller: the simulated world and its sensors' feed
};
[[nodiscard]] const char* to_string(NodeRole r) noexcept;  // "national", "regional", "controller"

struct PeerConfig {
  std::string node;
  NodeRole role = NodeRole::national;
  security::Receiver receiver;  // party, clearance, need-to-know (has_role: true)
};

struct NodeConfig {
  std::string node;   // this node's id: its key file in `keys`
  std::string party;
  NodeRole role = NodeRole::national;
  std::uint32_t domain = 0;           // DDS domain of the federation, 0..232
  // The DDS domain of the exercise controller's feed (the node's own simulated sensors), apart
  // from the federation's so that cutting the node's federation link leaves its sensors: 0..232,
  // not `domain`; default default_feed_domain(domain).
  std::uint32_t feed_domain = 1;
  std::filesystem::path keys;         // key directory (relative paths: to the file's directory)
  std::filesystem::path scenario;     // empty: the embedded default scenario
  std::filesystem::path picture_out;  // a national node writes the regional picture it receives here (tracks.csv); empty: not
  std::optional<std::uint64_t> seed;  // default: the scenario's
  std::vector<PeerConfig> peers;
};

struct NodeConfigOutcome {
  std::optional<NodeConfig> config;
  std::vector<Error> errors;  // each names the file, line, column and key path
};

inline constexpr std::size_t max_node_config_bytes = std::size_t{64} << 10;

// domain + 1, or 231 for 232.
[[nodiscard]] constexpr std::uint32_t default_feed_domain(std::uint32_t domain) noexcept {
  return domain < 232 ? domain + 1 : domain - 1;
}

// Parses the YAML text; `file_name` names it in errors, `base_dir` resolves relative paths.
// Rejected: anything but one mapping of the keys above; unknown or duplicate keys (with the
// nearest known one suggested); node and party ids the key files would refuse; a domain above
// 232, or a feed domain equal to it; a peer twice, or the node itself as a peer; a clearance or category not spelt as in
// labels ("SECRET", "AIR-PICTURE"); a text above 64 KiB, not UTF-8 or with NUL bytes.
[[nodiscard]] NodeConfigOutcome parse_node_config(std::string_view yaml_text, std::string_view file_name,
                                                  const std::filesystem::path& base_dir = {});
// Reads and parses a file (errors for unreadable files too).
[[nodiscard]] NodeConfigOutcome load_node_config(const std::filesystem::path& path);

// The text parse_node_config reads back to `c` (paths double-quoted, escaped).
[[nodiscard]] std::string to_yaml(const NodeConfig& c);

}  // namespace jrads::scenario
