#include "jrads/scenario/node_config.hpp"

#include <string>

#include <gtest/gtest.h>

namespace jrads::scenario {
namespace {

constexpr const char* kGood = R"(node: MOR-N
party: MOR
role: national
domain: 17
keys: keys
scenario: raid.yaml
picture_out: MOR-N.regional-tracks.csv
seed: 42
peers:
  - {node: KAL-RC, party: KAL, role: regional, clearance: SECRET, need_to_know: [AIR-PICTURE, ORDERS]}
  - {node: EXCON, party: KAL, role: controller, clearance: "TOP SECRET", need_to_know: [SENSORS]}
)";

TEST(NodeConfig, ReadsEveryField) {
  const NodeConfigOutcome o = parse_node_config(kGood, "MOR-N.yaml", "/run/nodes");
  ASSERT_TRUE(o.config.has_value()) << (o.errors.empty() ? "" : o.errors[0].to_string());
  const NodeConfig& c = *o.config;
  EXPECT_EQ(c.node, "MOR-N");
  EXPECT_EQ(c.party, "MOR");
  EXPECT_EQ(c.role, NodeRole::national);
  EXPECT_EQ(c.domain, 17u);
  EXPECT_EQ(c.feed_domain, 18u);  // not given: the next domain
  EXPECT_EQ(c.keys, std::filesystem::path("/run/nodes/keys"));
  EXPECT_EQ(c.scenario, std::filesystem::path("/run/nodes/raid.yaml"));
  EXPECT_EQ(c.picture_out, std::filesystem::path("/run/nodes/MOR-N.regional-tracks.csv"));
  EXPECT_EQ(c.seed, 42u);
  ASSERT_EQ(c.peers.size(), 2u);
  EXPECT_EQ(c.peers[0].node, "KAL-RC");
  EXPECT_EQ(c.peers[0].role, NodeRole::regional);
  EXPECT_EQ(c.peers[0].receiver.party, "KAL");
  EXPECT_EQ(c.peers[0].receiver.clearance, security::Level::secret);
  EXPECT_EQ(c.peers[0].receiver.need_to_know, security::category_bit(security::Category::air_picture) |
                                                  security::category_bit(security::Category::orders));
  EXPECT_EQ(c.peers[1].receiver.clearance, security::Level::top_secret);
  EXPECT_EQ(c.peers[1].role, NodeRole::controller);
}

TEST(NodeConfig, WritesWhatItReadsBack) {
  const NodeConfigOutcome o = parse_node_config(kGood, "MOR-N.yaml", "/run/nodes");
  ASSERT_TRUE(o.config.has_value());
  const std::string text = to_yaml(*o.config);
  const NodeConfigOutcome back = parse_node_config(text, "again.yaml");
  ASSERT_TRUE(back.config.has_value()) << back.errors[0].to_string() << "\n" << text;
  EXPECT_EQ(to_yaml(*back.config), text);
  EXPECT_EQ(back.config->keys, o.config->keys);  // absolute paths stay as they are
  NodeConfig odd = *o.config;
  odd.keys = "dir with \"quotes\", a \\ and a\nnewline";
  const NodeConfigOutcome odd_back = parse_node_config(to_yaml(odd), "odd.yaml");
  ASSERT_TRUE(odd_back.config.has_value()) << odd_back.errors[0].to_string();
  EXPECT_EQ(odd_back.config->keys, odd.keys);
}

TEST(NodeConfig, RejectsHostileFilesNamingThePlace) {
  const struct {
    const char* what;
    std::string text;
    const char* expected;
  } cases[] = {
      {"empty", "", "the node configuration is empty"},
      {"not a map", "- 1\n- 2\n", "expected a mapping (a node configuration)"},
      {"missing keys", "node: A-N\nparty: AB\nrole: national\ndomain: 1\n", "missing required key 'keys'"},
      {"unknown key", std::string(kGood) + "peerz: []\n", "peerz"},
      {"bad role", "node: A-N\nparty: AB\nrole: king\ndomain: 1\nkeys: k\n", "national, regional or controller"},
      {"domain", "node: A-N\nparty: AB\nrole: national\ndomain: 233\nkeys: k\n", "domain"},
      {"feed domain", "node: A-N\nparty: AB\nrole: national\ndomain: 1\nfeed_domain: 1\nkeys: k\n", "must differ"},
      {"feed domain range", "node: A-N\nparty: AB\nrole: national\ndomain: 1\nfeed_domain: 300\nkeys: k\n", "feed_domain"},
      {"node id", "node: \"a b\"\nparty: AB\nrole: national\ndomain: 1\nkeys: k\n", "node"},
      {"party id", "node: A-N\nparty: toolongparty\nrole: national\ndomain: 1\nkeys: k\n", "party"},
      {"self peer", "node: A-N\nparty: AB\nrole: national\ndomain: 1\nkeys: k\npeers:\n  - {node: A-N, party: AB, role: regional, clearance: SECRET, need_to_know: [ORDERS]}\n", "cannot be its own peer"},
      {"twice", "node: A-N\nparty: AB\nrole: national\ndomain: 1\nkeys: k\npeers:\n  - {node: B-N, party: AB, role: regional, clearance: SECRET, need_to_know: [ORDERS]}\n  - {node: B-N, party: AB, role: regional, clearance: SECRET, need_to_know: [ORDERS]}\n", "listed twice"},
      {"clearance", "node: A-N\nparty: AB\nrole: national\ndomain: 1\nkeys: k\npeers:\n  - {node: B-N, party: AB, role: regional, clearance: secret, need_to_know: [ORDERS]}\n", "clearance"},
      {"category", "node: A-N\nparty: AB\nrole: national\ndomain: 1\nkeys: k\npeers:\n  - {node: B-N, party: AB, role: regional, clearance: SECRET, need_to_know: [ORDER]}\n", "need_to_know"},
      {"two documents", std::string(kGood) + "---\nnode: X\n", "more than one YAML document"},
      {"syntax", "node: [unclosed\n", "YAML syntax error"},
      {"nul", std::string("node: A\0N\n", 10), "NUL byte"},
      {"utf8", "node: \xff\n", "not valid UTF-8"},
      {"too large", std::string(70000, '#'), "at most 65536"},
  };
  for (const auto& c : cases) {
    const NodeConfigOutcome o = parse_node_config(c.text, "n.yaml");
    EXPECT_FALSE(o.config.has_value()) << c.what;
    ASSERT_FALSE(o.errors.empty()) << c.what;
    const std::string all = o.errors[0].to_string();
    EXPECT_NE(all.find(c.expected), std::string::npos) << c.what << ": " << all;
    EXPECT_NE(all.find("n.yaml"), std::string::npos) << c.what << ": " << all;
  }
}

TEST(NodeConfig, AMissingFileIsAnError) {
  const NodeConfigOutcome o = load_node_config("/nonexistent/jrads/node.yaml");
  EXPECT_FALSE(o.config.has_value());
  ASSERT_FALSE(o.errors.empty());
  EXPECT_NE(o.errors[0].to_string().find("node.yaml"), std::string::npos) << o.errors[0].to_string();
}

}  // namespace
}  // namespace jrads::scenario
