#include "jrads/federation/egress.hpp"

#include <set>

#include <gtest/gtest.h>

#include "federation/test_nodes.hpp"
#include "jrads/core/rng.hpp"

namespace jrads::federation {
namespace {

using namespace test_nodes;

using security::Category;
using security::category_bit;

// The rule, restated independently of decide_release for this receiver: MOR's node, cleared
// SECRET, with need-to-know for everything but SENSORS, and the agreement in force or not.
bool mor_may_have(const security::ItemLabel& l, bool in_force) {
  const bool own = l.originator == 1;
  const bool listed = l.rel_alliance || (l.rel & 0b10) != 0;
  return (own || (listed && in_force)) && l.level <= security::Level::secret &&
         (l.categories & category_bit(Category::sensors)) == 0;
}

// KAL-C2 sends 600 randomly labelled items over DDS. MOR-C2 receives exactly those its party
// may have, each once and intact, and nothing else; once the agreement has ended, nothing more
// of KAL's reaches it.
TEST(Egress, APeerReceivesExactlyWhatItMayHave) {
  const auto parties = security::PartyTable::make({"KAL", "MOR"}).value();
  const security::NodeKeys kal = keys_of("KAL-C2", "KAL", 1), mor = keys_of("MOR-C2", "MOR", 2);
  security::Keyring ring;
  ASSERT_TRUE(ring.add(kal.record).has_value());
  auto kal_bus = DdsBus::open(own_domain(), "KAL-C2");
  auto mor_bus = DdsBus::open(own_domain(), "MOR-C2");
  ASSERT_TRUE(kal_bus.has_value() && mor_bus.has_value());
  PeerNode peer{"MOR-C2", {"MOR", security::Level::secret, security::kAllCategories & ~category_bit(Category::sensors), true},
                kal.agreement.shared_key(mor.record.agree_public).value()};
  std::uint64_t decisions = 0;
  Egress out(*kal_bus, kal, parties, {peer}, true, [&](const auto&, const auto&, const auto&) { ++decisions; });
  ASSERT_TRUE(eventually([&] { return mor_bus->matched_writers(Topic::orders) >= 2; }));

  RngStream rng = Rng(11).stream("egress");
  std::set<std::uint32_t> expected;
  auto random_label = [&] {
    security::ItemLabel l;
    l.level = static_cast<security::Level>(rng.below(5));
    l.originator = static_cast<security::PartyIndex>(rng.below(2));
    l.rel_alliance = rng.bernoulli(0.2);
    if (!l.rel_alliance) l.rel = static_cast<std::uint32_t>(rng.below(4));
    l.categories = static_cast<security::CategorySet>(1 + rng.below(security::kAllCategories));
    return l;
  };
  std::vector<security::ItemLabel> labels;
  for (std::uint32_t i = 1; i <= 600; ++i) {
    const security::ItemLabel l = random_label();
    labels.push_back(l);
    const std::string payload = "item " + std::to_string(i);
    const auto sent = out.send(Topic::orders, i, SimTime::from_s(i), l, security::as_bytes(payload));
    ASSERT_TRUE(sent.has_value());
    EXPECT_EQ(*sent, mor_may_have(l, true) ? 1 : 0) << i;
    if (mor_may_have(l, true)) expected.insert(i);
  }
  // After the agreement's end: only MOR's own items still go to MOR.
  out.set_agreement_in_force(false);
  for (std::uint32_t i = 601; i <= 700; ++i) {
    security::ItemLabel l = random_label();
    l.level = security::Level::confidential;
    l.categories = category_bit(Category::orders);
    l.rel = 0b11;
    l.rel_alliance = false;
    labels.push_back(l);
    const auto sent = out.send(Topic::orders, i, SimTime::from_s(i), l, security::as_bytes("item " + std::to_string(i)));
    ASSERT_TRUE(sent.has_value());
    EXPECT_EQ(*sent, l.originator == 1 ? 1 : 0) << i;
    if (mor_may_have(l, false)) expected.insert(i);
  }
  EXPECT_GT(expected.size(), 60u);
  EXPECT_LT(expected.size(), 500u);

  std::set<std::uint32_t> got;
  SequenceGuard guard;
  ASSERT_TRUE(eventually([&] {
    for (Received& r : mor_bus->take(Topic::orders)) {
      EXPECT_EQ(r.error, "");
      if (r.sample.header.receiver != "MOR-C2") continue;
      auto o = open_sample(r.sample, topic_name(Topic::orders), "MOR-C2", peer.key, ring, kNow);
      EXPECT_TRUE(o.has_value()) << o.error().to_string();
      if (!o) continue;
      EXPECT_TRUE(guard.accept(o->header));
      const std::uint32_t i = o->header.stream;
      EXPECT_EQ(std::string(o->payload.begin(), o->payload.end()), "item " + std::to_string(i));
      EXPECT_EQ(o->label, security::to_label(labels.at(i - 1), parties, SimTime::from_s(i)));
      EXPECT_TRUE(got.insert(i).second) << "twice: " << i;
    }
    return got.size() >= expected.size();
  }));
  EXPECT_EQ(got, expected);
  EXPECT_EQ(out.counts(0).allowed, expected.size());
  EXPECT_EQ(out.counts(0).allowed + out.counts(0).refused, 700u);
  EXPECT_EQ(out.counts(0).decisions, decisions);
  EXPECT_EQ(guard.gaps(), 0u);
}

}  // namespace
}  // namespace jrads::federation
