#include "jrads/security/release_gate.hpp"

#include <gtest/gtest.h>

#include <map>

#include "jrads/core/rng.hpp"

namespace jrads::security {
namespace {

const std::vector<std::string> kParties{"KAL", "MOR", "OST"};

std::vector<ReceiverSpec> receivers() {
  std::vector<ReceiverSpec> r;
  r.push_back({"KAL node", {"KAL", Level::top_secret, kAllCategories, true}, ReleasePolicy::refuse});
  r.push_back({"MOR node", {"MOR", Level::secret, kAllCategories, true}, ReleasePolicy::refuse});
  r.push_back({"MOR picture export", {"MOR", Level::secret, category_bit(Category::air_picture), true},
               ReleasePolicy::strip});
  r.push_back({"OST liaison", {"OST", Level::confidential, category_bit(Category::air_picture), true},
               ReleasePolicy::refuse});
  return r;
}

ItemLabel random_item_label(RngStream& rng) {
  ItemLabel l;
  l.level = static_cast<Level>(rng.below(kLevels));
  l.categories = static_cast<CategorySet>(1 + rng.below(kAllCategories));
  l.originator = static_cast<PartyIndex>(rng.below(kParties.size()));
  if (rng.bernoulli(0.2))
    l.rel_alliance = true;
  else
    l.rel = static_cast<std::uint32_t>(rng.below(8));
  return l;
}

TEST(ReleaseGate, DecidesAsDecideReleaseAndReportsEachDistinctDecisionOnce) {
  std::map<std::string, int> reported;
  ReleaseGate gate(PartyTable::make(kParties).value(), receivers(), true,
                   [&](const ReceiverSpec& r, const Label& l, const ReleaseDecision&) { ++reported[r.name + "|" + to_text(l)]; });
  const PartyTable parties = PartyTable::make(kParties).value();
  const auto specs = receivers();
  RngStream rng = Rng(20261201).stream("release-gate");
  std::uint64_t allowed = 0, refused = 0;
  for (int i = 0; i < 20000; ++i) {
    const ItemLabel l = random_item_label(rng);
    const std::size_t r = rng.below(specs.size());
    const ReleaseDecision& d = gate.decide(l, r, SimTime{});
    const Label full = to_label(l, parties, SimTime{});
    const ReleaseDecision want =
        decide_release(full, specs[r].receiver, true, specs[r].policy);
    ASSERT_EQ(d.allowed, want.allowed);
    ASSERT_EQ(d.stripped, want.stripped);
    ASSERT_EQ(d.rules, want.rules);
    (d.allowed ? allowed : refused) += 1;
  }
  const ReleaseCounts t = gate.total();
  EXPECT_EQ(t.allowed, allowed);
  EXPECT_EQ(t.refused, refused);
  EXPECT_EQ(t.allowed + t.refused, 20000u);
  EXPECT_GT(t.allowed, 1000u);
  EXPECT_GT(t.refused, 1000u);
  EXPECT_GT(t.stripped, 0u);
  // Each distinct (receiver, label) reported exactly once, and counted as a decision.
  EXPECT_EQ(t.decisions, reported.size());
  for (const auto& [key, n] : reported) EXPECT_EQ(n, 1) << key;
  EXPECT_LT(t.decisions, 20000u);
}

TEST(ReleaseGate, WhenTheAgreementEndsNothingMoreGoesToThePartner) {
  int reports = 0;
  ReleaseGate gate(PartyTable::make(kParties).value(), receivers(), true,
                   [&](const ReceiverSpec&, const Label&, const ReleaseDecision&) { ++reports; });
  ItemLabel kal_shared;
  kal_shared.level = Level::secret;
  kal_shared.categories = category_bit(Category::air_picture);
  kal_shared.originator = 0;   // KAL
  kal_shared.rel = 0b010;      // MOR
  EXPECT_TRUE(gate.decide(kal_shared, 1, SimTime{}).allowed);
  EXPECT_TRUE(gate.decide(kal_shared, 0, SimTime{}).allowed);
  gate.set_agreement_in_force(false);
  const ReleaseDecision& d = gate.decide(kal_shared, 1, SimTime{});
  EXPECT_FALSE(d.allowed);
  EXPECT_NE(std::find(d.rules.begin(), d.rules.end(), "agreement"), d.rules.end());
  EXPECT_TRUE(gate.decide(kal_shared, 0, SimTime{}).allowed);  // the originator's own node
  EXPECT_EQ(reports, 4);  // decided afresh after the change
}

TEST(ReleaseGate, ReleasedCarriesWhatToStripAndBadBitsAreRefused) {
  ReleaseGate gate(PartyTable::make(kParties).value(), receivers(), true, {});
  ItemLabel l;
  l.level = Level::confidential;
  l.categories = category_bit(Category::air_picture) | category_bit(Category::sensors);
  l.originator = 0;
  l.rel = 0b110;
  const std::string track = "track 42";
  auto r = gate.release(track, l, 2, SimTime{});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->stripped(), category_bit(Category::sensors));
  EXPECT_EQ(**r, "track 42");
  EXPECT_FALSE(gate.release(track, l, 3, SimTime{}).has_value());  // OST lacks need-to-know for SENSORS
  ItemLabel outside = l;
  outside.rel = 0b1000;  // a fourth party the table does not have
  EXPECT_FALSE(gate.decide(outside, 0, SimTime{}).allowed);
  EXPECT_EQ(gate.decide(outside, 0, SimTime{}).rules, std::vector<std::string>{"label"});
  ItemLabel unknown_category = l;
  unknown_category.categories |= 1u << 20;
  EXPECT_FALSE(gate.decide(unknown_category, 0, SimTime{}).allowed);
}

}  // namespace
}  // namespace jrads::security
