#include "jrads/scenario/node_config.hpp"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <new>

#include "jrads/security/keys.hpp"
#include "jrads/security/label.hpp"
#include "yaml_reader_impl.hpp"

namespace jrads::scenario {
namespace {

using detail::Diagnostics;
using detail::MapReader;

const std::vector<std::string_view> kRoles = {"national", "regional", "controller"};
const std::vector<NodeRole> kRoleValues = {NodeRole::national, NodeRole::regional, NodeRole::controller};

std::vector<std::string_view> level_words() {
  std::vector<std::string_view> out;
  for (int l = 0; l < security::kLevels; ++l) out.emplace_back(security::to_string(static_cast<security::Level>(l)));
  return out;
}

std::vector<std::string_view> category_words() {
  std::vector<std::string_view> out;
  for (int c = 0; c < security::kCategories; ++c) out.emplace_back(security::to_string(static_cast<security::Category>(c)));
  return out;
}

// A node or party id as the key files accept it: reported at the key when not.
template <class Check>
bool checked_id(MapReader& m, std::string_view key, std::string& out, Check check) {
  std::string v;
  if (!m.string(key, v, 64)) return false;
  if (auto ok = check(v); !ok) {
    m.diagnostics().report(Errc::invalid_argument, *m.find(key), m.path(key), ok.error().message);
    return false;
  }
  out = std::move(v);
  return true;
}

PeerConfig read_peer(Diagnostics& d, const YAML::Node& n, const std::string& path) {
  MapReader m(d, n, path, {"node", "party", "role", "clearance", "need_to_know"}, "a peer");
  PeerConfig p;
  if (!m.is_map()) return p;
  m.require("node", "the peer's node id");
  m.require("party", "the peer's party");
  m.require("role", "national, regional or controller");
  m.require("clearance", "the peer's clearance, e.g. SECRET");
  m.require("need_to_know", "the categories the peer may see, e.g. [AIR-PICTURE, ORDERS]");
  checked_id(m, "node", p.node, [](const std::string& s) { return security::check_node_id(s); });
  checked_id(m, "party", p.receiver.party, [](const std::string& s) { return security::check_party_id(s); });
  m.choice("role", p.role, kRoles, kRoleValues);
  std::vector<security::Level> levels;
  for (int l = 0; l < security::kLevels; ++l) levels.push_back(static_cast<security::Level>(l));
  m.choice("clearance", p.receiver.clearance, level_words(), levels);
  if (const YAML::Node* cats = m.find("need_to_know")) {
    const std::vector<std::string_view> words = category_words();
    detail::for_each_item(d, *cats, m.path("need_to_know"), "a category", [&](const YAML::Node& c, const std::string& cp, std::size_t) {
      if (const auto i = detail::read_choice(d, c, cp, words)) {
        const security::CategorySet bit = security::category_bit(static_cast<security::Category>(*i));
        if ((p.receiver.need_to_know & bit) != 0) d.report(Errc::duplicate_id, c, cp, "category " + std::string(words[*i]) + " listed twice");
        p.receiver.need_to_know |= bit;
      }
    });
  }
  p.receiver.has_role = true;
  return p;
}

NodeConfig read_config(Diagnostics& d, const YAML::Node& root, const std::filesystem::path& base_dir) {
  MapReader m(d, root, "", {"node", "party", "role", "domain", "feed_domain", "keys", "scenario", "picture_out", "seed", "peers"},
              "a node configuration");
  NodeConfig c;
  if (!m.is_map()) return c;
  m.require("node", "this node's id");
  m.require("party", "this node's party");
  m.require("role", "national, regional or controller");
  m.require("domain", "the DDS domain, 0 to 232");
  m.require("keys", "the key directory");
  checked_id(m, "node", c.node, [](const std::string& s) { return security::check_node_id(s); });
  checked_id(m, "party", c.party, [](const std::string& s) { return security::check_party_id(s); });
  m.choice("role", c.role, kRoles, kRoleValues);
  int domain = 0;
  if (m.integer("domain", domain, 0, 232)) c.domain = static_cast<std::uint32_t>(domain);
  c.feed_domain = default_feed_domain(c.domain);
  int feed = 0;
  if (m.integer("feed_domain", feed, 0, 232)) {
    if (static_cast<std::uint32_t>(feed) == c.domain && m.find("domain") != nullptr)
      d.report(Errc::invalid_argument, *m.find("feed_domain"), m.path("feed_domain"),
               "the feed domain must differ from the federation's domain " + std::to_string(c.domain) +
                   " (cutting the federation link must leave the node's sensors)");
    c.feed_domain = static_cast<std::uint32_t>(feed);
  }
  std::string keys, scenario, picture_out;
  if (m.string("keys", keys, 4096)) c.keys = base_dir / keys;
  if (m.string("scenario", scenario, 4096)) c.scenario = base_dir / scenario;
  if (m.string("picture_out", picture_out, 4096)) c.picture_out = base_dir / picture_out;
  std::uint64_t seed = 0;
  if (m.u64("seed", seed)) c.seed = seed;
  if (const YAML::Node* peers = m.find("peers")) {
    detail::for_each_item(d, *peers, m.path("peers"), "a peer", [&](const YAML::Node& n, const std::string& pp, std::size_t) {
      PeerConfig p = read_peer(d, n, pp);
      if (p.node.empty()) return;
      if (p.node == c.node) {
        d.report(Errc::invalid_argument, n, pp, "the node " + p.node + " cannot be its own peer");
        return;
      }
      if (std::any_of(c.peers.begin(), c.peers.end(), [&](const PeerConfig& q) { return q.node == p.node; })) {
        d.report(Errc::duplicate_id, n, pp, "peer " + p.node + " listed twice");
        return;
      }
      c.peers.push_back(std::move(p));
    });
  }
  return c;
}

// A YAML double-quoted scalar that reads back to exactly `text`.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c == 0x7F) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

}  // namespace

const char* to_string(NodeRole r) noexcept {
  switch (r) {
    case NodeRole::national: return "national";
    case NodeRole::regional: return "regional";
    case NodeRole::controller: return "controller";
  }
  return "national";
}

NodeConfigOutcome parse_node_config(std::string_view yaml_text, std::string_view file_name,
                                    const std::filesystem::path& base_dir) {
  NodeConfigOutcome out;
  Diagnostics d{std::string(file_name)};
  // Third-party and allocation failures end here: nothing crosses the module boundary.
  try {
    const std::optional<YAML::Node> root = detail::load_document(d, yaml_text, "node configuration", max_node_config_bytes);
    if (root && root->IsNull()) {
      d.report(Errc::missing_key, YAML::Mark::null_mark(), "",
               "the node configuration is empty; expected a mapping with node, party, role, domain and keys");
    } else if (root) {
      NodeConfig c = read_config(d, *root, base_dir);
      if (d.clean()) out.config = std::move(c);
    }
  } catch (const YAML::Exception& e) {
    d.report(Errc::parse_error, e.mark, "", "YAML error: " + e.msg);
  } catch (const std::bad_alloc&) {
    d.report(Errc::unsupported, YAML::Mark::null_mark(), "", "out of memory while reading the node configuration");
  } catch (const std::exception& e) {
    d.report(Errc::parse_error, YAML::Mark::null_mark(), "", std::string("cannot read the node configuration: ") + e.what());
  }
  out.errors = std::move(d).take();
  if (!out.errors.empty()) out.config.reset();
  return out;
}

NodeConfigOutcome load_node_config(const std::filesystem::path& path) {
  security::FileRead how;
  how.max_bytes = max_node_config_bytes;
  auto text = security::read_file_checked(path, how);
  if (!text) {
    NodeConfigOutcome out;
    out.errors.push_back(text.error());
    return out;
  }
  return parse_node_config(*text, path.string(), path.parent_path());
}

std::string to_yaml(const NodeConfig& c) {
  std::string s;
  s += "# jrads node --config (docs/FEDERATION.md)\n";
  s += "node: " + c.node + "\nparty: " + c.party + "\nrole: " + to_string(c.role) + "\n";
  s += "domain: " + std::to_string(c.domain) + "\n";
  s += "feed_domain: " + std::to_string(c.feed_domain) + "\n";
  s += "keys: " + quoted(c.keys.string()) + "\n";
  if (!c.scenario.empty()) s += "scenario: " + quoted(c.scenario.string()) + "\n";
  if (!c.picture_out.empty()) s += "picture_out: " + quoted(c.picture_out.string()) + "\n";
  if (c.seed) s += "seed: " + std::to_string(*c.seed) + "\n";
  if (!c.peers.empty()) s += "peers:\n";
  for (const PeerConfig& p : c.peers) {
    s += "  - {node: " + p.node + ", party: " + p.receiver.party + ", role: " + to_string(p.role) +
         ", clearance: \"" + security::to_string(p.receiver.clearance) + "\", need_to_know: [";
    bool first = true;
    for (int k = 0; k < security::kCategories; ++k) {
      const auto cat = static_cast<security::Category>(k);
      if ((p.receiver.need_to_know & security::category_bit(cat)) == 0) continue;
      s += (first ? "" : ", ") + std::string(security::to_string(cat));
      first = false;
    }
    s += "]}\n";
  }
  return s;
}

}  // namespace jrads::scenario
