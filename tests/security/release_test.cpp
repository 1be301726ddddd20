// decide_release() against an independent oracle written here from the six rules of
// release.hpp's header comment. The oracle calls nothing of jrads::security: its label
// validity, releasability and comparisons are written from scratch.
#include "jrads/security/release.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "jrads/core/rng.hpp"

namespace jrads::security {
namespace {

// ---------------------------------------------------------------- the oracle

struct Expected {
  bool allowed = false;
  CategorySet stripped = 0;
  std::vector<std::string> rules;
};

// label.hpp: [A-Z0-9]{2,8}, but not the text form's words ALLIANCE and NONE.
bool oracle_party_id(const std::string& id) {
  if (id.size() < 2 || id.size() > 8 || id == "ALLIANCE" || id == "NONE") return false;
  for (const char c : id) {
    const bool upper = c >= 'A' && c <= 'Z';
    const bool digit = c >= '0' && c <= '9';
    if (!upper && !digit) return false;
  }
  return true;
}

bool oracle_valid(const Label& l) {
  if (l.policy != "JRADS") return false;
  if (static_cast<int>(l.level) > 4) return false;
  if (l.categories == 0 || (l.categories & ~CategorySet{0x3F}) != 0) return false;
  if (!oracle_party_id(l.originator)) return false;
  if (l.rel_alliance && !l.rel_to.empty()) return false;
  for (std::size_t k = 0; k < l.rel_to.size(); ++k) {
    if (!oracle_party_id(l.rel_to[k])) return false;
    if (k > 0 && l.rel_to[k - 1].compare(l.rel_to[k]) >= 0) return false;  // sorted and unique
  }
  return l.time.ns() >= 0;
}

bool oracle_listed(const Label& l, const std::string& party) {
  for (const std::string& p : l.rel_to) {
    if (p == party) return true;
  }
  return false;
}

Expected oracle(const Label& l, const Receiver& r, bool agreement, ReleasePolicy policy) {
  Expected e;
  if (!oracle_valid(l)) {  // rule 1 alone
    e.rules = {"label"};
    return e;
  }
  const bool id_ok = oracle_party_id(r.party);
  const bool own = id_ok && r.party == l.originator;
  if (!(id_ok && (own || l.rel_alliance || oracle_listed(l, r.party)))) e.rules.emplace_back("releasability");
  if (!own && !agreement) e.rules.emplace_back("agreement");
  const int clearance = static_cast<int>(r.clearance);
  if (clearance > 4 || clearance < static_cast<int>(l.level)) e.rules.emplace_back("clearance");
  CategorySet strip = 0;
  for (int bit = 0; bit < 6; ++bit) {
    const CategorySet b = CategorySet{1} << bit;
    if ((l.categories & b) != 0 && (r.need_to_know & b) == 0) strip |= b;
  }
  if (strip != 0) {
    if (policy == ReleasePolicy::refuse || strip == l.categories) {
      e.rules.emplace_back("need_to_know");
      strip = 0;
    }
  }
  if (!r.has_role) e.rules.emplace_back("role");
  e.allowed = e.rules.empty();
  e.stripped = e.allowed ? strip : 0;
  return e;
}

// ---------------------------------------------------------------- helpers

std::string describe(const Label& l, const Receiver& r, bool agreement, ReleasePolicy policy) {
  std::string s = "label{policy=" + l.policy + " level=" + std::to_string(static_cast<int>(l.level)) +
                  " alliance=" + std::to_string(l.rel_alliance) + " rel_to=[";
  for (const std::string& p : l.rel_to) s += "'" + p + "' ";
  s += "] cats=" + std::to_string(l.categories) + " orig='" + l.originator + "' t=" + std::to_string(l.time.ns()) +
       "} receiver{party='" + r.party + "' clearance=" + std::to_string(static_cast<int>(r.clearance)) +
       " ntk=" + std::to_string(r.need_to_know) + " role=" + std::to_string(r.has_role) +
       "} agreement=" + std::to_string(agreement) + " policy=" + (policy == ReleasePolicy::strip ? "strip" : "refuse");
  return s;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

// Compares one case; counts and prints (the first few) mismatches.
class Checker {
 public:
  void check(const Label& l, const Receiver& r, bool agreement, ReleasePolicy policy) {
    ++cases_;
    const Expected e = oracle(l, r, agreement, policy);
    const ReleaseDecision d = decide_release(l, r, agreement, policy);
    const std::size_t want_reasons = d.allowed ? 1 : d.rules.size();
    const bool ok = d.allowed == e.allowed && d.stripped == e.stripped && d.rules == e.rules &&
                    d.reasons.size() == want_reasons;
    if (e.allowed) ++allowed_;
    if (e.stripped != 0) ++stripped_;
    for (const std::string& rule : e.rules) ++failing_[rule];
    if (ok) return;
    if (++mismatches_ <= 5) {
      std::printf("mismatch: %s\n  want allowed=%d stripped=%u rules=[%s]\n  got  allowed=%d stripped=%u rules=[%s] "
                  "reasons=%zu\n",
                  describe(l, r, agreement, policy).c_str(), e.allowed, e.stripped, join(e.rules).c_str(), d.allowed,
                  d.stripped, join(d.rules).c_str(), d.reasons.size());
    }
  }
  void report(const char* what) const {
    std::printf("%s: %ld cases, %ld mismatches; allowed %ld, stripped %ld; failing:", what, cases_, mismatches_,
                allowed_, stripped_);
    for (const auto& [rule, n] : failing_) std::printf(" %s %ld", rule.c_str(), n);
    std::printf("\n");
  }
  [[nodiscard]] long cases() const { return cases_; }
  [[nodiscard]] long mismatches() const { return mismatches_; }
  [[nodiscard]] long allowed() const { return allowed_; }
  [[nodiscard]] long stripped() const { return stripped_; }
  [[nodiscard]] long failing(const std::string& rule) const {
    const auto it = failing_.find(rule);
    return it == failing_.end() ? 0 : it->second;
  }

 private:
  long cases_ = 0;
  long mismatches_ = 0;
  long allowed_ = 0;
  long stripped_ = 0;
  std::map<std::string, long> failing_;
};

constexpr CategorySet bit(Category c) { return CategorySet{1} << static_cast<int>(c); }

Label make_label(Level level, std::vector<std::string> rel_to, CategorySet cats, bool alliance = false,
                 std::string originator = "KAL") {
  Label l;
  l.level = level;
  l.rel_alliance = alliance;
  l.rel_to = std::move(rel_to);
  l.categories = cats;
  l.originator = std::move(originator);
  l.time = SimTime::from_s(1530.25);
  return l;
}

Receiver make_receiver(std::string party, Level clearance, CategorySet ntk, bool role = true) {
  Receiver r;
  r.party = std::move(party);
  r.clearance = clearance;
  r.need_to_know = ntk;
  r.has_role = role;
  return r;
}

constexpr CategorySet kAll = 0x3F;

// ---------------------------------------------------------------- (a) the cross product

TEST(DecideRelease, CrossProductMatchesOracle) {
  const std::string orig = "KAL";
  const std::array<std::string, 3> receivers = {"KAL", "MOR", "ZUL"};  // originator's, partner's, third
  std::vector<CategorySet> category_sets;
  for (int k = 0; k < kCategories; ++k) category_sets.push_back(CategorySet{1} << k);
  category_sets.push_back(bit(Category::air_picture) | bit(Category::orders));
  category_sets.push_back(bit(Category::sensors) | bit(Category::intelligence) | bit(Category::audit));
  category_sets.push_back(bit(Category::fire_unit_status) | bit(Category::orders));
  category_sets.push_back(kAll);

  Checker c;
  for (int level = 0; level < kLevels; ++level) {
    for (int clearance = 0; clearance < kLevels; ++clearance) {
      for (const std::string& party : receivers) {
        // "another party" than the receiver (and than KAL where the receiver is KAL).
        const std::string other = party == "MOR" ? "ZUL" : "MOR";
        for (int shape = 0; shape < 5; ++shape) {
          std::vector<std::string> rel;
          bool alliance = false;
          switch (shape) {
            case 0: break;                                 // originator only
            case 1: rel = {party}; break;                  // REL TO the receiver's party
            case 2: rel = {other}; break;                  // REL TO another party
            case 3: rel = {party, other}; break;           // REL TO both
            default: alliance = true; break;               // ALLIANCE
          }
          std::sort(rel.begin(), rel.end());
          for (const CategorySet cats : category_sets) {
            const CategorySet lowest = cats & (~cats + 1);
            const std::array<CategorySet, 4> ntks = {
                CategorySet{0},                                         // none
                cats,                                                   // exact
                cats == kAll ? (kAll | CategorySet{1} << 7) : kAll,     // superset
                cats == lowest ? (kAll & ~cats) : (cats & ~lowest),     // partial (single: only others)
            };
            for (const CategorySet ntk : ntks) {
              for (const bool role : {false, true}) {
                for (const bool agreement : {false, true}) {
                  for (const ReleasePolicy policy : {ReleasePolicy::refuse, ReleasePolicy::strip}) {
                    const Label l = make_label(static_cast<Level>(level), rel, cats, alliance, orig);
                    const Receiver r = make_receiver(party, static_cast<Level>(clearance), ntk, role);
                    c.check(l, r, agreement, policy);
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  c.report("cross product");
  EXPECT_EQ(c.cases(), 5L * 5 * 3 * 5 * 10 * 4 * 2 * 2 * 2);
  EXPECT_EQ(c.mismatches(), 0);
  EXPECT_GT(c.allowed(), 0);
  EXPECT_GT(c.stripped(), 0);
}

// ---------------------------------------------------------------- (b) seeded random cases

const std::vector<std::string> kGoodIds = {"AB", "KAL", "MOR", "NATO1", "X1234567", "ZUL"};
const std::vector<std::string> kBadIds = {"", "K", "mor", "TOOLONGID", "KA-L", "KAL ", "ALLIANCE", "NONE"};

const std::string& pick(RngStream& rng, const std::vector<std::string>& v) { return v[rng.below(v.size())]; }

Label random_label(RngStream& rng) {
  Label l;
  if (rng.bernoulli(0.04)) l.policy = pick(rng, {"", "JRADZ", "jrads", "JRADS "});
  l.level = static_cast<Level>(rng.bernoulli(0.03) ? 5 + rng.below(3) : rng.below(5));
  l.originator = rng.bernoulli(0.05) ? pick(rng, kBadIds) : pick(rng, kGoodIds);
  if (rng.bernoulli(0.2)) {
    l.rel_alliance = true;
    if (rng.bernoulli(0.05)) l.rel_to = {pick(rng, kGoodIds)};  // alliance and parties at once
  } else {
    for (const std::string& id : kGoodIds) {
      if (rng.bernoulli(0.35)) l.rel_to.push_back(id);
    }
    if (rng.bernoulli(0.04) && l.rel_to.size() >= 2) std::reverse(l.rel_to.begin(), l.rel_to.end());  // unsorted
    if (rng.bernoulli(0.03) && !l.rel_to.empty()) {
      l.rel_to.insert(l.rel_to.begin(), l.rel_to.front());  // duplicate
    }
    if (rng.bernoulli(0.03)) {
      l.rel_to.push_back(pick(rng, kBadIds));  // a bad id
      std::sort(l.rel_to.begin(), l.rel_to.end());
    }
  }
  const double u = rng.uniform();
  if (u < 0.04) {
    l.categories = 0;  // empty
  } else if (u < 0.07) {
    l.categories = (CategorySet{1} << (6 + rng.below(4))) | static_cast<CategorySet>(rng.below(64));  // unknown bit
  } else {
    l.categories = 1 + static_cast<CategorySet>(rng.below(63));
  }
  l.time = rng.bernoulli(0.03) ? SimTime::from_ns(-1 - static_cast<std::int64_t>(rng.below(1000000)))
                               : SimTime::from_ns(static_cast<std::int64_t>(rng.below(1000000000000ULL)));
  return l;
}

Receiver random_receiver(RngStream& rng, const Label& l) {
  Receiver r;
  const double u = rng.uniform();
  if (u < 0.25) {
    r.party = l.originator;
  } else if (u < 0.5 && !l.rel_to.empty()) {
    r.party = l.rel_to[rng.below(l.rel_to.size())];
  } else if (u < 0.92) {
    r.party = pick(rng, kGoodIds);
  } else {
    r.party = pick(rng, kBadIds);
  }
  r.clearance = static_cast<Level>(rng.bernoulli(0.03) ? 5 + rng.below(3) : rng.below(5));
  const double v = rng.uniform();
  if (v < 0.3) {
    r.need_to_know = l.categories | static_cast<CategorySet>(rng.below(64));
  } else if (v < 0.4) {
    r.need_to_know = kAll;
  } else {
    r.need_to_know = static_cast<CategorySet>(rng.below(64));
  }
  r.has_role = rng.bernoulli(0.9);
  return r;
}

TEST(DecideRelease, SeededRandomCasesMatchOracle) {
  RngStream rng = Rng(20261201).stream("security/release_test");
  Checker c;
  long invalid_labels = 0;
  for (int k = 0; k < 30000; ++k) {
    const Label l = random_label(rng);
    const Receiver r = random_receiver(rng, l);
    const bool agreement = rng.bernoulli(0.7);
    const ReleasePolicy policy = rng.bernoulli(0.5) ? ReleasePolicy::strip : ReleasePolicy::refuse;
    if (!oracle_valid(l)) ++invalid_labels;
    c.check(l, r, agreement, policy);
  }
  c.report("random");
  std::printf("random: %ld invalid labels\n", invalid_labels);
  EXPECT_EQ(c.cases(), 30000);
  EXPECT_EQ(c.mismatches(), 0);
  // The generator reaches every outcome.
  EXPECT_GT(c.allowed(), 1000);
  EXPECT_GT(c.stripped(), 100);
  EXPECT_GT(invalid_labels, 1000);
  for (const char* rule : {"label", "releasability", "agreement", "clearance", "need_to_know", "role"}) {
    EXPECT_GT(c.failing(rule), 100) << rule;
  }
}

// ---------------------------------------------------------------- (c) readable reasons

TEST(DecideRelease, ReasonsNamePartyLevelsAndCategories) {
  const CategorySet air = bit(Category::air_picture);
  const CategorySet orders = bit(Category::orders);
  {
    const auto d = decide_release(make_label(Level::secret, {"MOR"}, air),
                                  make_receiver("MOR", Level::confidential, kAll), true);
    ASSERT_EQ(d.reasons.size(), 1U);
    EXPECT_EQ(d.rules, std::vector<std::string>{"clearance"});
    EXPECT_EQ(d.reasons[0], "MOR's clearance CONFIDENTIAL is below the label's SECRET");
  }
  {
    const auto d = decide_release(make_label(Level::restricted, {"ZUL"}, air),
                                  make_receiver("MOR", Level::secret, kAll), true);
    EXPECT_EQ(d.rules, std::vector<std::string>{"releasability"});
    EXPECT_EQ(d.reasons.at(0), "the label (ORIG KAL, REL TO ZUL) is not releasable to MOR");
  }
  {
    const auto d = decide_release(make_label(Level::restricted, {}, air), make_receiver("MOR", Level::secret, kAll), true);
    EXPECT_EQ(d.rules, std::vector<std::string>{"releasability"});
    EXPECT_EQ(d.reasons.at(0), "the label (ORIG KAL, REL TO NONE) is not releasable to MOR");
  }
  {
    // A receiver called ALLIANCE is no party, even for an alliance-wide label.
    const auto d = decide_release(make_label(Level::restricted, {}, air, true),
                                  make_receiver("ALLIANCE", Level::secret, kAll), true);
    EXPECT_EQ(d.rules, std::vector<std::string>{"releasability"});
  }
  {
    const auto d = decide_release(make_label(Level::restricted, {}, air, true),
                                  make_receiver("MOR", Level::secret, kAll), false);
    EXPECT_EQ(d.rules, std::vector<std::string>{"agreement"});
    EXPECT_EQ(d.reasons.at(0), "the agreement is not in force: nothing goes to MOR from KAL");
  }
  {
    const CategorySet cats = air | bit(Category::intelligence) | orders;
    const auto d = decide_release(make_label(Level::secret, {"MOR"}, cats),
                                  make_receiver("MOR", Level::secret, air), true);
    EXPECT_EQ(d.rules, std::vector<std::string>{"need_to_know"});
    EXPECT_EQ(d.reasons.at(0), "MOR lacks need-to-know for INTELLIGENCE, ORDERS");
  }
  {
    const auto d = decide_release(make_label(Level::secret, {"MOR"}, air), make_receiver("MOR", Level::secret, orders),
                                  true, ReleasePolicy::strip);
    EXPECT_EQ(d.rules, std::vector<std::string>{"need_to_know"});
    EXPECT_EQ(d.stripped, 0U);
    EXPECT_EQ(d.reasons.at(0),
              "MOR lacks need-to-know for every category of the label (AIR-PICTURE): nothing would remain after "
              "stripping");
  }
  {
    const auto d = decide_release(make_label(Level::unclassified, {"MOR"}, air),
                                  make_receiver("MOR", Level::secret, kAll, false), true);
    EXPECT_EQ(d.rules, std::vector<std::string>{"role"});
    EXPECT_EQ(d.reasons.at(0), "MOR holds no role that may receive items");
  }
  {
    const auto d = decide_release(make_label(Level::secret, {"MOR"}, 0), make_receiver("MOR", Level::secret, kAll), true);
    EXPECT_EQ(d.rules, std::vector<std::string>{"label"});
    EXPECT_EQ(d.reasons.at(0), "label: no category: at least one need-to-know category is required");
  }
  {
    // An invalid label reports only "label", even when every other rule would fail too.
    Label l = make_label(Level::top_secret, {"ZUL", "MOR"}, air);  // unsorted
    const auto d = decide_release(l, make_receiver("AB", Level::unclassified, 0, false), false);
    EXPECT_EQ(d.rules, std::vector<std::string>{"label"});
    EXPECT_EQ(d.reasons.at(0), "label: REL TO parties must be sorted and unique");
  }
  {
    const auto d = decide_release(make_label(Level::secret, {"ZUL"}, air | orders),
                                  make_receiver("MOR", Level::restricted, air, false), false);
    EXPECT_EQ(d.rules, (std::vector<std::string>{"releasability", "agreement", "clearance", "need_to_know", "role"}));
    ASSERT_EQ(d.reasons.size(), 5U);
    EXPECT_EQ(d.reasons[2], "MOR's clearance RESTRICTED is below the label's SECRET");
    EXPECT_EQ(d.reasons[3], "MOR lacks need-to-know for ORDERS");
  }
  {
    const auto d = decide_release(make_label(Level::restricted, {}, air), make_receiver("mor", Level::secret, kAll), true);
    EXPECT_EQ(d.rules, std::vector<std::string>{"releasability"});
    EXPECT_EQ(d.reasons.at(0), "receiver party 'mor' is not a party id ([A-Z0-9]{2,8}, not ALLIANCE or NONE)");
  }
  {
    const auto d = decide_release(make_label(Level::secret, {"MOR"}, air), make_receiver("MOR", Level::secret, air), true);
    EXPECT_TRUE(d.allowed);
    EXPECT_TRUE(d.rules.empty());
    ASSERT_EQ(d.reasons.size(), 1U);
    EXPECT_EQ(d.reasons[0],
              "released to MOR: REL TO MOR, clearance SECRET >= SECRET, need-to-know held, agreement in force");
  }
  {
    const auto d = decide_release(make_label(Level::secret, {"KAL", "MOR"}, air | orders),
                                  make_receiver("MOR", Level::top_secret, air), true, ReleasePolicy::strip);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.stripped, orders);
    EXPECT_EQ(d.reasons.at(0),
              "released to MOR: REL TO KAL, MOR, clearance TOP SECRET >= SECRET, need-to-know held for AIR-PICTURE "
              "(stripped ORDERS), agreement in force");
  }
  {
    const auto d = decide_release(make_label(Level::confidential, {}, air), make_receiver("KAL", Level::secret, kAll), false);
    EXPECT_TRUE(d.allowed);
    EXPECT_EQ(d.reasons.at(0),
              "released to KAL: originator's own party, clearance SECRET >= CONFIDENTIAL, need-to-know held, no "
              "agreement needed");
  }
}

// ---------------------------------------------------------------- (d) determinism

TEST(DecideRelease, SameInputsGiveIdenticalDecisions) {
  RngStream rng = Rng(7).stream("security/release_determinism");
  for (int k = 0; k < 5000; ++k) {
    const Label l = random_label(rng);
    const Receiver r = random_receiver(rng, l);
    const bool agreement = rng.bernoulli(0.7);
    const ReleasePolicy policy = rng.bernoulli(0.5) ? ReleasePolicy::strip : ReleasePolicy::refuse;
    const ReleaseDecision a = decide_release(l, r, agreement, policy);
    const Label l2 = l;     // equal copies, other objects
    const Receiver r2 = r;
    (void)decide_release(random_label(rng), r2, !agreement, policy);  // an unrelated call in between
    const ReleaseDecision b = decide_release(l2, r2, agreement, policy);
    ASSERT_EQ(a.allowed, b.allowed) << describe(l, r, agreement, policy);
    ASSERT_EQ(a.stripped, b.stripped);
    ASSERT_EQ(a.rules, b.rules);
    ASSERT_EQ(a.reasons, b.reasons);
  }
}

// ---------------------------------------------------------------- (e) the agreement's end

TEST(DecideRelease, NothingGoesToTheFormerPartnerOnceTheAgreementEnds) {
  const Receiver partner = make_receiver("MOR", Level::top_secret, kAll);  // everything but the agreement
  const Receiver own = make_receiver("KAL", Level::top_secret, kAll);
  const std::vector<std::vector<std::string>> shapes = {{}, {"MOR"}, {"KAL", "MOR"}, {"MOR", "ZUL"}, {"ZUL"}};
  int labels = 0;
  for (int level = 0; level < kLevels; ++level) {
    for (CategorySet cats = 1; cats <= kAll; ++cats) {
      for (std::size_t s = 0; s <= shapes.size(); ++s) {
        const bool alliance = s == shapes.size();
        const Label l = make_label(static_cast<Level>(level), alliance ? std::vector<std::string>{} : shapes[s], cats,
                                   alliance);
        ++labels;
        for (const ReleasePolicy policy : {ReleasePolicy::refuse, ReleasePolicy::strip}) {
          const ReleaseDecision ended = decide_release(l, partner, false, policy);
          EXPECT_FALSE(ended.allowed);
          EXPECT_EQ(ended.stripped, 0U);
          EXPECT_NE(std::find(ended.rules.begin(), ended.rules.end(), "agreement"), ended.rules.end());
          // The originator's own party still has its items.
          EXPECT_TRUE(decide_release(l, own, false, policy).allowed);
          // While in force, the partner had what was released to it.
          const bool released_to_mor = alliance || std::find(l.rel_to.begin(), l.rel_to.end(), "MOR") != l.rel_to.end();
          EXPECT_EQ(decide_release(l, partner, true, policy).allowed, released_to_mor);
        }
      }
    }
  }
  EXPECT_EQ(labels, 5 * 63 * 6);
}

}  // namespace
}  // namespace jrads::security
