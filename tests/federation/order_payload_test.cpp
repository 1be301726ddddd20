#include "jrads/federation/order_payload.hpp"

#include <string>

#include <gtest/gtest.h>

namespace jrads::federation {
namespace {

node::Order order() {
  node::Order o;
  o.engagement = 17;
  o.unit = "FU-MOR-1";
  o.unit_party = "MOR";
  o.track = 4021;
  o.rounds = 2;
  o.by = "KAL-CINC";
  o.zone = "MEZ-MOR";
  o.threat = engage::ThreatClass::cruise_missile;
  o.at = SimTime::from_ns(1'234'567'890'123);
  return o;
}

TEST(OrderPayload, RoundTrips) {
  for (node::Order o : {order(), [] {
                          node::Order a = order();
                          a.by = "auto";
                          a.delegated_by = "MOR-FU1-CDR";
                          a.zone = "";
                          a.threat = engage::ThreatClass::ballistic_missile;
                          return a;
                        }()}) {
    const security::Bytes b = encode_order(o);
    const auto back = decode_order(b);
    ASSERT_TRUE(back.has_value()) << back.error().message;
    EXPECT_EQ(*back, o);  // the label travels with the sample: empty in both
    EXPECT_EQ(encode_order(*back), b);
  }
}

TEST(OrderPayload, RejectsHostilePayloadsNamingTheField) {
  const security::Bytes good = encode_order(order());
  // The fixed part: magic 4, version 1, engagement 8, track 4, rounds 1, threat 1, time 8.
  constexpr std::size_t kUnitLength = 27;
  const struct {
    const char* what;
    void (*mutate)(security::Bytes&);
    const char* expected;
  } cases[] = {
      {"short", [](security::Bytes& b) { b.resize(3); }, "order payload: 3 bytes: shorter than its magic"},
      {"fixed", [](security::Bytes& b) { b.resize(20); }, "order payload: 20 bytes: shorter than the fixed part"},
      {"magic", [](security::Bytes& b) { b[1] = 'X'; }, "order magic: not \"JORD\""},
      {"version", [](security::Bytes& b) { b[4] = 2; }, "order version: 2 (this node reads version 1)"},
      {"engagement", [](security::Bytes& b) { std::fill(b.begin() + 5, b.begin() + 13, 0); }, "order engagement: 0 is no engagement"},
      {"rounds", [](security::Bytes& b) { b[17] = 0; }, "order rounds: 0"},
      {"threat", [](security::Bytes& b) { b[18] = 9; }, "order threat: 9 is not a threat class"},
      {"time", [](security::Bytes& b) { b[26] = 0x80; }, "order time: negative"},
      {"unit long", [](security::Bytes& b) { b[kUnitLength] = 200; }, "order unit: runs past the end"},
      {"unit space", [](security::Bytes& b) { b[kUnitLength + 3] = ' '; }, "order unit: a byte that is not printable ASCII, or a space"},
      {"unit control", [](security::Bytes& b) { b[kUnitLength + 1] = 0x07; }, "order unit: a byte that is not printable ASCII, or a space"},
      {"unit empty", [](security::Bytes& b) { b.erase(b.begin() + kUnitLength + 1, b.begin() + kUnitLength + 9); b[kUnitLength] = 0; }, "order unit: empty"},
      {"party empty", [](security::Bytes& b) { b.erase(b.begin() + kUnitLength + 10, b.begin() + kUnitLength + 13); b[kUnitLength + 9] = 0; }, "order party: empty"},
      {"delegated", [](security::Bytes& b) { b[kUnitLength + 22] = 1; b.insert(b.begin() + kUnitLength + 23, 'X'); }, "order delegated_by: given exactly when the order is automatic"},
      {"trailing", [](security::Bytes& b) { b.push_back(0); }, "order payload: 1 bytes after the zone"},
      {"zone cut", [](security::Bytes& b) { b.pop_back(); }, "order zone: runs past the end"},
      {"empty", [](security::Bytes& b) { b.clear(); }, "order payload: 0 bytes: shorter than its magic"},
  };
  for (const auto& c : cases) {
    security::Bytes b = good;
    c.mutate(b);
    const auto r = decode_order(b);
    ASSERT_FALSE(r.has_value()) << c.what;
    EXPECT_EQ(r.error().message, c.expected) << c.what;
  }
  node::Order big = order();
  big.zone = std::string(65, 'Z');  // what the encoder refuses, written by hand
  security::Bytes b = good;
  b[b.size() - 8] = 65;
  b.resize(b.size() - 7);
  b.insert(b.end(), big.zone.begin(), big.zone.end());
  EXPECT_EQ(decode_order(b).error().message, "order zone: 65 bytes: more than 64");
  // Every truncation fails.
  for (std::size_t n = 0; n < good.size(); ++n)
    EXPECT_FALSE(decode_order(security::ByteView(good.data(), n)).has_value()) << n;
}

}  // namespace
}  // namespace jrads::federation
