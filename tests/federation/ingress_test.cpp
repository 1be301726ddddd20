#include "jrads/federation/ingress.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "federation/test_nodes.hpp"

namespace jrads::federation {
namespace {

using namespace test_nodes;

security::Label track_label() {
  security::Label l;
  l.level = security::Level::secret;
  l.rel_to = {"KAL"};
  l.categories = security::category_bit(security::Category::air_picture);
  l.originator = "MOR";
  return l;
}

// What the centre takes from a national node: the valid samples once each, in the sender's
// order even when DDS hands them over instance by instance; a replay, a forgery, a stranger's
// sample refused with its reason; another node's sample skipped.
TEST(Ingress, TakesWhatIsNewAndGenuineInTheSendersOrder) {
  const security::NodeKeys rc = keys_of("KAL-RC", "KAL", 1), mor = keys_of("MOR-N", "MOR", 2),
                           other = keys_of("XYZ-N", "KAL", 3);
  security::Keyring ring;
  for (const auto* k : {&rc, &mor, &other}) ASSERT_TRUE(ring.add(k->record).has_value());
  const security::SymmetricKey pair = rc.agreement.shared_key(mor.record.agree_public).value();
  const security::SymmetricKey stranger = rc.agreement.shared_key(other.record.agree_public).value();
  const std::uint32_t domain = own_domain();
  auto rc_bus = DdsBus::open(domain, "KAL-RC");
  auto mor_bus = DdsBus::open(domain, "MOR-N");
  ASSERT_TRUE(rc_bus.has_value() && mor_bus.has_value());
  ASSERT_TRUE(eventually([&] { return rc_bus->matched_writers(Topic::tracks) >= 2; }));
  std::vector<std::string> refused;
  Ingress in(*rc_bus, {{"MOR-N", pair}}, ring, [&](const std::string& why) { refused.push_back(why); });

  // Streams in descending order: DDS may return the instances in any order.
  std::vector<WireSample> sent;
  for (std::uint64_t seq = 1; seq <= 6; ++seq) {
    const SampleHeader h{topic_name(Topic::tracks), "MOR-N", "KAL-RC", static_cast<std::uint32_t>(100 - seq), seq,
                         SimTime::from_s(static_cast<double>(seq))};
    sent.push_back(seal_sample(h, track_label(), security::as_bytes("update " + std::to_string(seq)), mor, pair));
    ASSERT_TRUE(mor_bus->publish(sent.back()).has_value());
  }
  WireSample forged = sent[2];
  forged.header.seq = 7;  // a new sequence number, but the seal was made for 3
  ASSERT_TRUE(mor_bus->publish(forged).has_value());
  const SampleHeader elsewhere{topic_name(Topic::tracks), "MOR-N", "KAL-N", 1, 8, SimTime::from_s(8)};
  ASSERT_TRUE(mor_bus->publish(seal_sample(elsewhere, track_label(), security::as_bytes("x"), mor, pair)).has_value());
  const SampleHeader strange{topic_name(Topic::tracks), "XYZ-N", "KAL-RC", 1, 1, SimTime::from_s(1)};
  ASSERT_TRUE(mor_bus->publish(seal_sample(strange, track_label(), security::as_bytes("y"), other, stranger)).has_value());

  std::vector<OpenedSample> got;
  ASSERT_TRUE(eventually([&] {
    for (OpenedSample& o : in.take(Topic::tracks, kNow)) got.push_back(std::move(o));
    return got.size() >= 6 && refused.size() >= 2;
  }));
  ASSERT_TRUE(mor_bus->publish(sent[3]).has_value());  // a replay of seq 4
  ASSERT_TRUE(eventually([&] {
    for (OpenedSample& o : in.take(Topic::tracks, kNow)) got.push_back(std::move(o));
    return refused.size() >= 3;
  }));
  ASSERT_EQ(got.size(), 6u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].header.seq, i + 1);
    EXPECT_EQ(std::string(got[i].payload.begin(), got[i].payload.end()), "update " + std::to_string(i + 1));
  }
  ASSERT_EQ(refused.size(), 3u);
  std::string all;
  for (const std::string& r : refused) all += r + "\n";
  EXPECT_NE(all.find("sample from MOR-N seq 7: sample sealed: does not authenticate"), std::string::npos) << all;
  EXPECT_NE(all.find("sample from XYZ-N seq 1: not a peer of this node"), std::string::npos) << all;
  EXPECT_NE(all.find("sample from MOR-N seq 4: a duplicate or a replay"), std::string::npos) << all;
  EXPECT_EQ(in.accepted(), 6u);
  EXPECT_EQ(in.refused(), 3u);
}

}  // namespace
}  // namespace jrads::federation
