#include "jrads/security/item_label.hpp"

#include <gtest/gtest.h>

#include "jrads/core/rng.hpp"

namespace jrads::security {
namespace {

const std::vector<std::string> kParties{"KAL", "MOR", "NOR", "OST"};

Label random_label(RngStream& rng) {
  Label l;
  l.level = static_cast<Level>(rng.below(kLevels));
  l.categories = static_cast<CategorySet>(1 + rng.below(kAllCategories));
  l.originator = kParties[rng.below(kParties.size())];
  if (rng.bernoulli(0.2)) {
    l.rel_alliance = true;
  } else {
    for (const auto& p : kParties)
      if (rng.bernoulli(0.5)) l.rel_to.push_back(p);
  }
  l.time = SimTime::from_s(static_cast<double>(rng.below(5000)));
  return l;
}

TEST(PartyTable, RejectsBadDuplicateAndTooManyParties) {
  EXPECT_TRUE(PartyTable::make({"KAL", "MOR"}).has_value());
  EXPECT_FALSE(PartyTable::make({"KAL", "KAL"}).has_value());
  EXPECT_FALSE(PartyTable::make({"kal"}).has_value());
  EXPECT_FALSE(PartyTable::make({"ALLIANCE"}).has_value());
  std::vector<std::string> many;
  for (int i = 0; i < 33; ++i) many.push_back("P" + std::to_string(10 + i));
  EXPECT_FALSE(PartyTable::make(many).has_value());
  many.pop_back();
  auto t = PartyTable::make(many);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->all(), ~std::uint32_t{0});
  EXPECT_EQ(*t->index("P41"), 31);
  EXPECT_FALSE(t->index("P99").has_value());
}

TEST(ItemLabel, RoundTripsThroughTheFullLabel) {
  const PartyTable parties = PartyTable::make(kParties).value();
  RngStream rng = Rng(4774).stream("item-label");
  for (int i = 0; i < 5000; ++i) {
    const Label l = random_label(rng);
    const ItemLabel c = from_label(l, parties).value();
    EXPECT_EQ(to_label(c, parties, l.time), l);
  }
  Label foreign = random_label(rng);
  foreign.originator = "ZED";
  auto r = from_label(foreign, parties);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("ZED"), std::string::npos);
}

// The compact rule and the full one agree on who may have the derived item, its level and
// its categories, for every pair of random labels.
TEST(ItemLabel, CombineAgreesWithTheFullLabelRule) {
  const PartyTable parties = PartyTable::make(kParties).value();
  RngStream rng = Rng(4778).stream("combine");
  for (int i = 0; i < 20000; ++i) {
    const Label a = random_label(rng), b = random_label(rng);
    const PartyIndex o = static_cast<PartyIndex>(rng.below(kParties.size()));
    const Label full = combine({a, b}, kParties[o], SimTime{});
    const ItemLabel compact = combine(from_label(a, parties).value(), from_label(b, parties).value(), o);
    const Label back = to_label(compact, parties, SimTime{});
    ASSERT_EQ(back.level, full.level);
    ASSERT_EQ(back.categories, full.categories);
    ASSERT_EQ(back.rel_alliance, full.rel_alliance);
    for (const auto& p : kParties) ASSERT_EQ(releasable_to(back, p), releasable_to(full, p)) << to_text(full) << " " << p;
    ASSERT_TRUE(validate(back).has_value());
  }
}

TEST(ItemLabel, HoldersCountTheOriginatorAndTheAlliance) {
  ItemLabel l;
  l.originator = 2;
  l.rel = 0b0001;
  EXPECT_EQ(holders(l, 0b1111), 0b0101u);
  l.rel_alliance = true;
  l.rel = 0;
  EXPECT_EQ(holders(l, 0b1111), 0b1111u);
  EXPECT_EQ(with_categories(l, category_bit(Category::orders)).categories, category_bit(Category::orders));
}

}  // namespace
}  // namespace jrads::security
