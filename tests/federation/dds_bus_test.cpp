#include "jrads/federation/dds_bus.hpp"

#include <spawn.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "federation/test_nodes.hpp"

extern char** environ;

namespace jrads::federation {
namespace {

using namespace test_nodes;

// Each endpoint carries its node's id: a node sees by name whose readers and writers it has
// matched. A listening bus (a tap) has readers only: it counts among the readers, never among
// the writers, and cannot publish.
TEST(DdsBus, MatchedEndpointsAreNamedByTheirNodesAndATapOnlyListens) {
  auto kal_bus = DdsBus::open(own_domain(), "KAL-C2");
  ASSERT_TRUE(kal_bus.has_value()) << kal_bus.error().to_string();
  auto tap = DdsBus::open(own_domain(), "TEST-TAP", true);
  ASSERT_TRUE(tap.has_value()) << tap.error().to_string();
  const auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  ASSERT_TRUE(eventually([&] { return kal_bus->matched_reader_nodes(Topic::tracks).size() == 2; }));
  EXPECT_EQ(sorted(kal_bus->matched_reader_nodes(Topic::tracks)), (std::vector<std::string>{"KAL-C2", "TEST-TAP"}));
  EXPECT_EQ(kal_bus->matched_writer_nodes(Topic::tracks), std::vector<std::string>{"KAL-C2"});
  EXPECT_EQ(tap->matched_writer_nodes(Topic::tracks), std::vector<std::string>{"KAL-C2"});
  EXPECT_TRUE(tap->matched_reader_nodes(Topic::tracks).empty());
  const security::NodeKeys kal = keys_of("KAL-C2", "KAL", 1);
  const SampleHeader h{topic_name(Topic::tracks), "KAL-C2", "MOR-C2", 1, 1, SimTime::from_s(1.0)};
  security::Label label;
  label.level = security::Level::unclassified;
  label.categories = security::category_bit(security::Category::air_picture);
  label.originator = "KAL";
  const WireSample w = seal_sample(h, label, security::as_bytes(std::string("x")), kal, security::generate_symmetric_key());
  const auto refused = tap->publish(w);
  ASSERT_FALSE(refused.has_value());
  EXPECT_NE(refused.error().message.find("does not publish"), std::string::npos) << refused.error().message;
  ASSERT_TRUE(kal_bus->publish(w).has_value());
  EXPECT_TRUE(eventually([&] { return !tap->take(Topic::tracks).empty(); }));
}

// Two nodes' participants on the loopback: a sealed sample from KAL-C2 reaches MOR-C2 and
// opens there with its label and payload; the DDS layer saw only the envelope.
TEST(DdsBus, ASealedSampleCrossesTheLoopbackAndOpens) {
  auto kal_bus = DdsBus::open(own_domain(), "KAL-C2");
  ASSERT_TRUE(kal_bus.has_value()) << kal_bus.error().to_string();
  auto mor_bus = DdsBus::open(own_domain(), "MOR-C2");
  ASSERT_TRUE(mor_bus.has_value()) << mor_bus.error().to_string();
  const security::NodeKeys kal = keys_of("KAL-C2", "KAL", 1), mor = keys_of("MOR-C2", "MOR", 2);
  security::Keyring ring;
  ASSERT_TRUE(ring.add(kal.record).has_value());
  const security::SymmetricKey key = kal.agreement.shared_key(mor.record.agree_public).value();
  // Orders are reliable and transient-local; wait for discovery all the same, then send.
  ASSERT_TRUE(eventually([&] { return mor_bus->matched_writers(Topic::orders) >= 2; }));
  security::Label label;
  label.level = security::Level::secret;
  label.rel_to = {"MOR"};
  label.categories = security::category_bit(security::Category::orders);
  label.originator = "KAL";
  const std::string text = "order FU-MOR-1 to engage track 42";
  for (std::uint64_t seq = 1; seq <= 3; ++seq) {
    const SampleHeader h{topic_name(Topic::orders), "KAL-C2", "MOR-C2", 42, seq, SimTime::from_s(100.0 + seq)};
    ASSERT_TRUE(kal_bus->publish(seal_sample(h, label, security::as_bytes(text), kal, key)).has_value());
  }
  std::vector<OpenedSample> got;
  SequenceGuard guard;
  ASSERT_TRUE(eventually([&] {
    for (Received& r : mor_bus->take(Topic::orders)) {
      EXPECT_EQ(r.error, "");
      auto o = open_sample(r.sample, topic_name(Topic::orders), "MOR-C2", key, ring, kNow);
      EXPECT_TRUE(o.has_value()) << o.error().to_string();
      if (o && guard.accept(o->header)) got.push_back(std::move(*o));
    }
    return got.size() == 3;
  }));
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].header.seq, i + 1);
    EXPECT_EQ(std::string(got[i].payload.begin(), got[i].payload.end()), text);
    EXPECT_EQ(got[i].label, label);
  }
  // The sender's own reader sees its samples too; they are not for it and do not open there.
  const auto own = kal_bus->take(Topic::orders);
  ASSERT_FALSE(own.empty());
  EXPECT_FALSE(open_sample(own[0].sample, topic_name(Topic::orders), "KAL-C2", key, ring, kNow).has_value());
}

security::Label order_label() {
  security::Label label;
  label.level = security::Level::secret;
  label.rel_to = {"MOR"};
  label.categories = security::category_bit(security::Category::orders);
  label.originator = "KAL";
  return label;
}

// The receiving half of SamplesCrossBetweenTwoProcesses, run in a child process of this
// program (a fresh exec: a forked copy of a process running DDS threads would be unsound).
// Elsewhere it has nothing to do.
TEST(DdsBusChild, ReceivesThreeOrdersAsMor) {
  const char* domain = std::getenv("JRADS_TEST_DDS_CHILD_DOMAIN");
  if (domain == nullptr) GTEST_SKIP() << "the child of DdsBus.SamplesCrossBetweenTwoProcesses";
  const security::NodeKeys kal = keys_of("KAL-C2", "KAL", 1), mor = keys_of("MOR-C2", "MOR", 2);
  const security::SymmetricKey key = mor.agreement.shared_key(kal.record.agree_public).value();
  security::Keyring ring;
  ASSERT_TRUE(ring.add(kal.record).has_value());
  auto bus = DdsBus::open(static_cast<std::uint32_t>(std::stoul(domain)), "MOR-C2");
  ASSERT_TRUE(bus.has_value()) << bus.error().to_string();
  SequenceGuard guard;
  int got = 0;
  EXPECT_TRUE(eventually([&] {
    for (Received& r : bus->take(Topic::orders)) {
      auto o = open_sample(r.sample, topic_name(Topic::orders), "MOR-C2", key, ring, kNow);
      if (o && guard.accept(o->header) && o->label == order_label()) ++got;
    }
    return got == 3;
  }));
}

// Two processes, as federated nodes will be: the child (this program again, running the test
// above) is MOR-C2 and passes once it has opened the three orders KAL-C2, this process, sends.
TEST(DdsBus, SamplesCrossBetweenTwoProcesses) {
  const std::uint32_t domain = own_domain() + 100;  // not the in-process tests' domain
  const std::string domain_text = std::to_string(domain);
  ASSERT_EQ(setenv("JRADS_TEST_DDS_CHILD_DOMAIN", domain_text.c_str(), 1), 0);
  char exe[] = "/proc/self/exe";
  char filter[] = "--gtest_filter=DdsBusChild.ReceivesThreeOrdersAsMor";
  char* argv[] = {exe, filter, nullptr};
  pid_t child = 0;
  const int spawned = posix_spawn(&child, exe, nullptr, nullptr, argv, environ);
  unsetenv("JRADS_TEST_DDS_CHILD_DOMAIN");
  ASSERT_EQ(spawned, 0);
  const security::NodeKeys kal = keys_of("KAL-C2", "KAL", 1), mor = keys_of("MOR-C2", "MOR", 2);
  const security::SymmetricKey key = kal.agreement.shared_key(mor.record.agree_public).value();
  auto bus = DdsBus::open(domain, "KAL-C2");
  ASSERT_TRUE(bus.has_value()) << bus.error().to_string();
  // Wait until the child's reader has matched our writer: by its node's name, since another
  // test's run may share the domain, and a count of matched readers can be made up by it.
  EXPECT_TRUE(eventually([&] {
    const std::vector<std::string> nodes = bus->matched_reader_nodes(Topic::orders);
    return std::find(nodes.begin(), nodes.end(), "MOR-C2") != nodes.end();
  }));
  for (std::uint64_t seq = 1; seq <= 3; ++seq) {
    const SampleHeader h{topic_name(Topic::orders), "KAL-C2", "MOR-C2", 7, seq, SimTime::from_s(seq)};
    ASSERT_TRUE(bus->publish(seal_sample(h, order_label(), security::as_bytes("order"), kal, key)).has_value());
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);  // the child's test failed: see its output above
}

TEST(DdsBus, RefusesAnUnknownTopicAndABadNodeId) {
  EXPECT_FALSE(DdsBus::open(own_domain(), "kal").has_value());
  auto bus = DdsBus::open(own_domain(), "KAL-C2");
  ASSERT_TRUE(bus.has_value());
  WireSample w;
  w.header.topic = "jrads/nothing";
  auto r = bus->publish(w);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "no topic jrads/nothing");
}

}  // namespace
}  // namespace jrads::federation
