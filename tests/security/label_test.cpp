// Labels: the text form (to_text / parse_label), combine, validate, releasable_to and the
// equivalence table of national classification names.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "jrads/core/rng.hpp"
#include "jrads/security/label.hpp"

namespace jrads::security {
namespace {

constexpr std::string_view kExample = "JRADS; SECRET; REL TO KAL, MOR; CAT AIR-PICTURE, ORDERS; ORIG KAL; T 1530.25";

Label make(Level level, std::vector<std::string> rel_to, CategorySet cats, std::string orig, SimTime t,
           bool alliance = false) {
  Label l;
  l.level = level;
  l.rel_alliance = alliance;
  l.rel_to = std::move(rel_to);
  l.categories = cats;
  l.originator = std::move(orig);
  l.time = t;
  return l;
}

// The parse must fail with parse_error at byte `at`, and the message must say what was expected.
void expect_rejected(std::string_view text, std::size_t at, std::string_view expected_part) {
  SCOPED_TRACE(std::string(text.substr(0, 120)));
  const auto r = parse_label(text);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::parse_error);
  const std::string prefix = "label byte " + std::to_string(at) + ": expected ";
  EXPECT_EQ(r.error().message.rfind(prefix, 0), 0U) << r.error().message;
  EXPECT_NE(r.error().message.find(expected_part), std::string::npos) << r.error().message;
}

std::size_t offset_of(std::string_view text, std::string_view part) {
  const std::size_t at = text.find(part);
  EXPECT_NE(at, std::string_view::npos);
  return at;
}

// ---- valid examples ---------------------------------------------------------------------

TEST(LabelText, HeaderExamplesRoundTrip) {
  const Label a = make(Level::secret, {"KAL", "MOR"}, category_bit(Category::air_picture) | category_bit(Category::orders),
                       "KAL", SimTime::from_ns(1'530'250'000'000));
  EXPECT_EQ(to_text(a), kExample);
  const auto pa = parse_label(kExample);
  ASSERT_TRUE(pa.has_value()) << pa.error().message;
  EXPECT_EQ(*pa, a);

  const std::string b_text = "JRADS; RESTRICTED; REL TO ALLIANCE; CAT AIR-PICTURE; ORIG MOR; T 0";
  const Label b = make(Level::restricted, {}, category_bit(Category::air_picture), "MOR", SimTime(), true);
  EXPECT_EQ(to_text(b), b_text);
  const auto pb = parse_label(b_text);
  ASSERT_TRUE(pb.has_value()) << pb.error().message;
  EXPECT_EQ(*pb, b);
}

TEST(LabelText, EveryLevel) {
  const char* words[] = {"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET"};
  for (int k = 0; k < kLevels; ++k) {
    const std::string text = std::string("JRADS; ") + words[k] + "; REL TO NONE; CAT AUDIT; ORIG KAL; T 1";
    const auto r = parse_label(text);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->level, static_cast<Level>(k));
    EXPECT_EQ(to_string(r->level), std::string(words[k]));
    EXPECT_EQ(to_text(*r), text);
  }
}

TEST(LabelText, EveryCategoryAndAll) {
  std::string all = "JRADS; TOP SECRET; REL TO NONE; CAT ";
  for (int k = 0; k < kCategories; ++k) {
    const auto c = static_cast<Category>(k);
    const std::string text = std::string("JRADS; SECRET; REL TO MOR; CAT ") + to_string(c) + "; ORIG KAL; T 2";
    const auto r = parse_label(text);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(r->categories, category_bit(c));
    if (k > 0) all += ", ";
    all += to_string(c);
  }
  all += "; ORIG KAL; T 3";
  EXPECT_NE(all.find("AIR-PICTURE, SENSORS, INTELLIGENCE, FIRE-UNIT-STATUS, ORDERS, AUDIT"), std::string::npos);
  const auto r = parse_label(all);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->categories, kAllCategories);
  EXPECT_EQ(to_text(*r), all);
}

TEST(LabelText, Releasability) {
  const auto none = parse_label("JRADS; CONFIDENTIAL; REL TO NONE; CAT SENSORS; ORIG KAL; T 0");
  ASSERT_TRUE(none.has_value()) << none.error().message;
  EXPECT_FALSE(none->rel_alliance);
  EXPECT_TRUE(none->rel_to.empty());

  const auto alliance = parse_label("JRADS; CONFIDENTIAL; REL TO ALLIANCE; CAT SENSORS; ORIG KAL; T 0");
  ASSERT_TRUE(alliance.has_value()) << alliance.error().message;
  EXPECT_TRUE(alliance->rel_alliance);
  EXPECT_TRUE(alliance->rel_to.empty());

  const auto one = parse_label("JRADS; CONFIDENTIAL; REL TO MOR; CAT SENSORS; ORIG KAL; T 0");
  ASSERT_TRUE(one.has_value()) << one.error().message;
  EXPECT_EQ(one->rel_to, (std::vector<std::string>{"MOR"}));

  // Digits sort before letters; ids of 2 and 8 characters; ids that merely start with a
  // reserved word are ordinary ids.
  const std::string many_text =
      "JRADS; CONFIDENTIAL; REL TO 12345678, A1, ALLIANC, KAL, NONE1, ZZ; CAT SENSORS; ORIG Q9; T 0";
  const auto many = parse_label(many_text);
  ASSERT_TRUE(many.has_value()) << many.error().message;
  EXPECT_EQ(many->rel_to, (std::vector<std::string>{"12345678", "A1", "ALLIANC", "KAL", "NONE1", "ZZ"}));
  EXPECT_EQ(many->originator, "Q9");
  EXPECT_EQ(to_text(*many), many_text);
}

TEST(LabelText, Times) {
  struct Case {
    const char* text;
    std::int64_t ns;
  };
  const Case cases[] = {
      {"0", 0},
      {"1", 1'000'000'000},
      {"0.5", 500'000'000},
      {"0.000000001", 1},
      {"0.123456789", 123'456'789},
      {"120", 120'000'000'000},
      {"1530.25", 1'530'250'000'000},
      {"10.01", 10'010'000'000},
      {"9223372036", 9'223'372'036'000'000'000},
      {"9223372036.854775807", std::numeric_limits<std::int64_t>::max()},
  };
  for (const Case& c : cases) {
    const std::string text = std::string("JRADS; SECRET; REL TO NONE; CAT ORDERS; ORIG KAL; T ") + c.text;
    const auto r = parse_label(text);
    ASSERT_TRUE(r.has_value()) << text << ": " << r.error().message;
    EXPECT_EQ(r->time.ns(), c.ns) << text;
    EXPECT_EQ(to_text(*r), text);
  }
}

// ---- round trip -------------------------------------------------------------------------

std::string random_party(RngStream& rng) {
  static constexpr char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (;;) {
    std::string id;
    const auto n = 2 + rng.below(7);
    // A small alphabet now and then so that ids share prefixes and sort interestingly.
    const std::uint64_t alphabet = rng.bernoulli(0.3) ? 3 : 36;
    for (std::uint64_t k = 0; k < n; ++k) id.push_back(chars[rng.below(alphabet)]);
    if (id != "ALLIANCE" && id != "NONE") return id;
  }
}

Label random_label(RngStream& rng) {
  Label l;
  l.level = static_cast<Level>(rng.below(kLevels));
  const auto shape = rng.below(8);
  if (shape == 0) {
    l.rel_alliance = true;
  } else if (shape > 1) {
    std::set<std::string> parties;
    const auto n = 1 + rng.below(6);
    for (std::uint64_t k = 0; k < n; ++k) parties.insert(random_party(rng));
    l.rel_to.assign(parties.begin(), parties.end());
  }
  l.categories = static_cast<CategorySet>(1 + rng.below(kAllCategories));
  l.originator = random_party(rng);
  switch (rng.below(5)) {
    case 0: l.time = SimTime(); break;
    case 1: l.time = SimTime::from_ns(static_cast<std::int64_t>(rng.below(100'000)) * 1'000'000'000); break;
    case 2: l.time = SimTime::from_ns(static_cast<std::int64_t>(rng.below(100'000'000)) * 1'000'000); break;
    case 3: l.time = SimTime::from_ns(static_cast<std::int64_t>(rng.below(1'000'000'000'000'000))); break;
    default:
      l.time = SimTime::from_ns(static_cast<std::int64_t>(rng.below(std::numeric_limits<std::int64_t>::max()) + 1));
  }
  return l;
}

TEST(LabelText, RandomRoundTrip) {
  RngStream rng = Rng(20261201).stream("security/label_text");
  for (int k = 0; k < 2000; ++k) {
    const Label l = random_label(rng);
    ASSERT_TRUE(validate(l).has_value()) << validate(l).error().message;
    const std::string text = to_text(l);
    ASSERT_LE(text.size(), 1024U);
    const auto back = parse_label(text);
    ASSERT_TRUE(back.has_value()) << text << ": " << back.error().message;
    EXPECT_EQ(*back, l) << text;
    EXPECT_TRUE(validate(*back).has_value());
    EXPECT_EQ(to_text(*back), text);
  }
}

// ---- hostile input ----------------------------------------------------------------------

TEST(LabelTextHostile, Empty) { expect_rejected("", 0, "the policy JRADS, found the end of the text"); }

TEST(LabelTextHostile, TruncatedAtEveryByte) {
  const std::string text(kExample);
  const std::size_t time_digits = text.rfind("T ") + 2;
  for (std::size_t n = 0; n < text.size(); ++n) {
    const std::string_view cut(text.data(), n);
    const auto r = parse_label(cut);
    if (n > time_digits && text[n - 1] != '.') {
      // A prefix of the seconds is itself a (different) time: "T 153" is 153 s.
      ASSERT_TRUE(r.has_value()) << cut;
      EXPECT_NE(r->time, parse_label(text)->time);
      continue;
    }
    ASSERT_FALSE(r.has_value()) << cut;
    EXPECT_EQ(r.error().code, Errc::parse_error);
    // A cut inside a word is reported where the text stops matching: at the cut itself.
    EXPECT_EQ(r.error().message.rfind("label byte " + std::to_string(n) + ": expected ", 0), 0U)
        << cut << " -> " << r.error().message;
    EXPECT_NE(r.error().message.find("found the end of the text"), std::string::npos) << r.error().message;
  }
}

TEST(LabelTextHostile, ExtraSpaces) {
  expect_rejected(" JRADS; SECRET; REL TO NONE; CAT AUDIT; ORIG KAL; T 0", 0, "the policy JRADS, found a space");
  expect_rejected("JRADS ; SECRET; REL TO NONE; CAT AUDIT; ORIG KAL; T 0", 5, "\"; \" after the policy");
  expect_rejected("JRADS;  SECRET; REL TO NONE; CAT AUDIT; ORIG KAL; T 0", 7, "a classification");
  expect_rejected("JRADS; TOP  SECRET; REL TO NONE; CAT AUDIT; ORIG KAL; T 0", 11, "a classification");
  expect_rejected("JRADS; SECRET; REL  TO NONE; CAT AUDIT; ORIG KAL; T 0", 19, "\"REL TO \"");
  expect_rejected("JRADS; SECRET; REL TO KAL,  MOR; CAT AUDIT; ORIG KAL; T 0", 27, "a party id");
  expect_rejected("JRADS; SECRET; REL TO KAL ,MOR; CAT AUDIT; ORIG KAL; T 0", 25, "after REL TO");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT AUDIT,ORDERS; ORIG KAL; T 0", 38, "after CAT");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT AUDIT; ORIG  KAL; T 0", 44, "the originator's party id");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT AUDIT; ORIG KAL; T  0", 51, "the time in seconds");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT AUDIT; ORIG KAL; T 0 ", 52, "the end of the label");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT AUDIT; ORIG KAL; T 0;", 52, "the end of the label");
  expect_rejected("JRADS;SECRET; REL TO NONE; CAT AUDIT; ORIG KAL; T 0", 6, "\"; \" after the policy");
}

TEST(LabelTextHostile, LowerCase) {
  expect_rejected("jrads; SECRET; REL TO NONE; CAT AUDIT; ORIG KAL; T 0", 0, "the policy JRADS, found 'j'");
  expect_rejected("JRADS; Secret; REL TO NONE; CAT AUDIT; ORIG KAL; T 0", 8, "a classification (UNCLASSIFIED");
  expect_rejected("JRADS; SECRET; rel to NONE; CAT AUDIT; ORIG KAL; T 0", 15, "\"REL TO \"");
  expect_rejected("JRADS; SECRET; REL TO Kal; CAT AUDIT; ORIG KAL; T 0", 23, "at least 2 characters");
  expect_rejected("JRADS; SECRET; REL TO none; CAT AUDIT; ORIG KAL; T 0", 22, "a party id");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT audit; ORIG KAL; T 0", 32, "a category (AIR-PICTURE");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT AUDIT; ORIG kal; T 0", 44, "the originator's party id");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT AUDIT; ORIG KAL; t 0", 49, "\"T \"");
}

TEST(LabelTextHostile, UnknownWords) {
  expect_rejected("JRADS2; SECRET; REL TO NONE; CAT AUDIT; ORIG KAL; T 0", 5, "\"; \" after the policy");
  expect_rejected("NATO; SECRET; REL TO NONE; CAT AUDIT; ORIG KAL; T 0", 0, "the policy JRADS");
  expect_rejected("JRADS; COSMIC; REL TO NONE; CAT AUDIT; ORIG KAL; T 0", 9, "a classification");
  expect_rejected("JRADS; SECRT; REL TO NONE; CAT AUDIT; ORIG KAL; T 0", 11, "TOP SECRET)");
  expect_rejected("JRADS; TOP; REL TO NONE; CAT AUDIT; ORIG KAL; T 0", 10, "a classification");
  expect_rejected("JRADS; SECRETS; REL TO NONE; CAT AUDIT; ORIG KAL; T 0", 13, "\"; \" after the classification");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT WEATHER; ORIG KAL; T 0", 32, "a category");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT AIR PICTURE; ORIG KAL; T 0", 35, "a category");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT ORDERSX; ORIG KAL; T 0", 38, "after CAT");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT ; ORIG KAL; T 0", 32, "a category");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT AUDIT; ORIGIN KAL; T 0", 43, "\"ORIG \"");
  expect_rejected("JRADS; SECRET; REL TO NONE; ORIG KAL; T 0", 28, "\"CAT \"");
  expect_rejected("JRADS; SECRET; CAT AUDIT; ORIG KAL; T 0", 15, "\"REL TO \"");
}

TEST(LabelTextHostile, DuplicateAndUnsortedParties) {
  expect_rejected("JRADS; SECRET; REL TO KAL, KAL; CAT AUDIT; ORIG KAL; T 0", 27, "sorted and unique");
  expect_rejected("JRADS; SECRET; REL TO MOR, KAL; CAT AUDIT; ORIG KAL; T 0", 27, "a party id after MOR");
  expect_rejected("JRADS; SECRET; REL TO A1, B2, B2; CAT AUDIT; ORIG KAL; T 0", 30, "sorted and unique");
  expect_rejected("JRADS; SECRET; REL TO KAL, ; CAT AUDIT; ORIG KAL; T 0", 27, "a party id");
  expect_rejected("JRADS; SECRET; REL TO ; CAT AUDIT; ORIG KAL; T 0", 22, "a party id");
  expect_rejected("JRADS; SECRET; REL TO KAL,, MOR; CAT AUDIT; ORIG KAL; T 0", 26, "after REL TO");
}

TEST(LabelTextHostile, ReservedWordsStandAlone) {
  expect_rejected("JRADS; SECRET; REL TO ALLIANCE, KAL; CAT AUDIT; ORIG KAL; T 0", 30, "it stands alone");
  expect_rejected("JRADS; SECRET; REL TO NONE, KAL; CAT AUDIT; ORIG KAL; T 0", 26, "it stands alone");
  expect_rejected("JRADS; SECRET; REL TO KAL, ALLIANCE; CAT AUDIT; ORIG KAL; T 0", 27, "not party ids");
  expect_rejected("JRADS; SECRET; REL TO KAL, NONE; CAT AUDIT; ORIG KAL; T 0", 27, "not party ids");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT AUDIT; ORIG NONE; T 0", 44, "not party ids");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT AUDIT; ORIG ALLIANCE; T 0", 44, "not party ids");
}

TEST(LabelTextHostile, BadPartyIds) {
  expect_rejected("JRADS; SECRET; REL TO K; CAT AUDIT; ORIG KAL; T 0", 23, "at least 2 characters");
  expect_rejected("JRADS; SECRET; REL TO ABCDEFGHI; CAT AUDIT; ORIG KAL; T 0", 30, "at most 8 characters");
  expect_rejected("JRADS; SECRET; REL TO KA-L; CAT AUDIT; ORIG KAL; T 0", 24, "after REL TO");
  expect_rejected("JRADS; SECRET; REL TO KAL_2; CAT AUDIT; ORIG KAL; T 0", 25, "after REL TO");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT AUDIT; ORIG K; T 0", 45, "at least 2 characters");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT AUDIT; ORIG ABCDEFGHIJ; T 0", 52, "at most 8 characters");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT AUDIT; ORIG ; T 0", 44, "the originator's party id");
}

TEST(LabelTextHostile, DuplicateAndUnorderedCategories) {
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT ORDERS, AIR-PICTURE; ORIG KAL; T 0", 40, "a category after ORDERS");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT AUDIT, AUDIT; ORIG KAL; T 0", 39, "each once");
  expect_rejected("JRADS; SECRET; REL TO NONE; CAT AUDIT, ; ORIG KAL; T 0", 39, "a category");
}

TEST(LabelTextHostile, BadTimes) {
  const std::string head = "JRADS; SECRET; REL TO NONE; CAT AUDIT; ORIG KAL; T ";
  const std::size_t t = head.size();
  expect_rejected(head + "-1", t, "the time in seconds (digits, no sign)");
  expect_rejected(head + "+1", t, "no sign");
  expect_rejected(head, t, "the time in seconds");
  expect_rejected(head + "9223372037", t, "SimTime range");
  expect_rejected(head + "9223372036.854775808", t, "SimTime range");
  expect_rejected(head + "99999999999999999999999999", t, "SimTime range");
  expect_rejected(head + "1.0123456789", t + 11, "at most 9 fractional digits");
  expect_rejected(head + "1.50", t + 3, "without trailing zeros");
  expect_rejected(head + "1.000", t + 2, "without trailing zeros");
  expect_rejected(head + "1.", t + 2, "a digit after '.'");
  expect_rejected(head + ".5", t, "the time in seconds");
  expect_rejected(head + "01", t + 1, "no leading zeros");
  expect_rejected(head + "00", t + 1, "no leading zeros");
  expect_rejected(head + "1e3", t + 1, "the end of the label");
  expect_rejected(head + "1,5", t + 1, "the end of the label");
  expect_rejected(head + "1.5.", t + 3, "the end of the label");
}

TEST(LabelTextHostile, TooLong) {
  // A valid-looking label of 1025 bytes: many sorted parties.
  std::string text = "JRADS; SECRET; REL TO ";
  for (int k = 0; text.size() < 1100; ++k) {
    if (k > 0) text += ", ";
    char id[16];
    std::snprintf(id, sizeof id, "P%05d", k);
    text += id;
  }
  text += "; CAT AUDIT; ORIG KAL; T 0";
  expect_rejected(text, 1024, "at most 1024 bytes");
  expect_rejected(std::string(5000, 'A'), 1024, "at most 1024 bytes");

  // Exactly 1024 bytes is accepted: parties while they fit, then the seconds take up the rest.
  std::string fit = "JRADS; SECRET; REL TO P00000";
  const std::string tail = "; CAT AUDIT; ORIG KAL; T 1";
  for (int k = 1; fit.size() + 8 + tail.size() <= 1024; ++k) {
    char id[16];
    std::snprintf(id, sizeof id, ", P%05d", k);
    fit += id;
  }
  fit += tail;
  fit += std::string(1024 - fit.size(), '1');
  ASSERT_EQ(fit.size(), 1024U);
  const auto r = parse_label(fit);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(to_text(*r), fit);
}

TEST(LabelTextHostile, NulAndNonAsciiBytes) {
  const std::string text(kExample);
  for (const char bad : {'\0', '\x80', '\xC3', '\xFF', '\t', '\n', '\r'}) {
    for (std::size_t at : {std::size_t{0}, std::size_t{3}, std::size_t{7}, std::size_t{9}, offset_of(text, "KAL,"),
                           offset_of(text, "PICTURE"), offset_of(text, "ORIG"), text.size() - 1, text.size()}) {
      // Replace, or append at the end.
      std::string hostile = text;
      if (at < hostile.size()) {
        hostile[at] = bad;
      } else {
        hostile.push_back(bad);
      }
      SCOPED_TRACE(at);
      const auto r = parse_label(hostile);
      ASSERT_FALSE(r.has_value());
      EXPECT_EQ(r.error().code, Errc::parse_error);
      EXPECT_EQ(r.error().message.rfind("label byte " + std::to_string(at) + ": expected ", 0), 0U)
          << r.error().message;
      char shown[16];
      std::snprintf(shown, sizeof shown, "found byte 0x%02X", static_cast<unsigned>(static_cast<unsigned char>(bad)));
      EXPECT_NE(r.error().message.find(shown), std::string::npos) << r.error().message;
      // The message never carries the raw byte.
      EXPECT_EQ(r.error().message.find(bad), std::string::npos);
    }
  }
  // An embedded NUL after a complete label is trailing garbage, not an end of string.
  std::string with_nul(kExample);
  with_nul += '\0';
  with_nul += "X";
  expect_rejected(with_nul, kExample.size(), "the end of the label");
}

// ---- validate, releasable_to, combine ----------------------------------------------------

Label valid() {
  return make(Level::secret, {"KAL", "MOR"}, category_bit(Category::air_picture), "KAL", SimTime::from_ns(5));
}

void expect_invalid(const Label& l, std::string_view part) {
  const auto r = validate(l);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  EXPECT_NE(r.error().message.find(part), std::string::npos) << r.error().message;
}

TEST(LabelValidate, AcceptsValid) {
  EXPECT_TRUE(validate(valid()).has_value());
  Label alliance = valid();
  alliance.rel_to.clear();
  alliance.rel_alliance = true;
  EXPECT_TRUE(validate(alliance).has_value());
  Label none = valid();
  none.rel_to.clear();
  EXPECT_TRUE(validate(none).has_value());
}

TEST(LabelValidate, Rejections) {
  Label l = valid();
  l.policy = "NATO";
  expect_invalid(l, "policy");
  l = valid();
  l.level = static_cast<Level>(5);
  expect_invalid(l, "classification");
  l = valid();
  l.categories = 0;
  expect_invalid(l, "category");
  l = valid();
  l.categories = CategorySet{1} << kCategories;
  expect_invalid(l, "unknown category");
  l = valid();
  l.originator = "kal";
  expect_invalid(l, "originator");
  l = valid();
  l.originator = "NONE";
  expect_invalid(l, "originator");
  l = valid();
  l.rel_to = {"KAL", "ALLIANCE"};
  expect_invalid(l, "ALLIANCE");
  l = valid();
  l.rel_to = {"K"};
  expect_invalid(l, "REL TO party");
  l = valid();
  l.rel_to = {"ABCDEFGHI"};
  expect_invalid(l, "REL TO party");
  l = valid();
  l.rel_to = {"MOR", "KAL"};
  expect_invalid(l, "sorted");
  l = valid();
  l.rel_to = {"KAL", "KAL"};
  expect_invalid(l, "unique");
  l = valid();
  l.rel_alliance = true;
  expect_invalid(l, "alliance");
  l = valid();
  l.time = SimTime::from_ns(-1);
  expect_invalid(l, "negative time");
}

TEST(LabelReleasable, OriginatorListAndAlliance) {
  const Label l = valid();  // REL TO KAL, MOR; ORIG KAL
  EXPECT_TRUE(releasable_to(l, "KAL"));
  EXPECT_TRUE(releasable_to(l, "MOR"));
  EXPECT_FALSE(releasable_to(l, "PAR"));
  Label none = make(Level::secret, {}, category_bit(Category::orders), "PAR", SimTime());
  EXPECT_TRUE(releasable_to(none, "PAR"));  // the originator always may
  EXPECT_FALSE(releasable_to(none, "KAL"));
  none.rel_alliance = true;
  EXPECT_TRUE(releasable_to(none, "KAL"));
  EXPECT_TRUE(releasable_to(none, "ANYONE"));
}

TEST(LabelCombine, HighestLevelIntersectionUnion) {
  const Label a = make(Level::restricted, {"KAL", "MOR", "PAR"}, category_bit(Category::air_picture), "KAL", SimTime());
  const Label b = make(Level::secret, {"MOR", "PAR"}, category_bit(Category::sensors), "PAR", SimTime());
  const Label c = make(Level::confidential, {}, category_bit(Category::orders), "MOR", SimTime(), true);
  const Label out = combine({a, b, c}, "KAL", SimTime::from_ns(42));
  EXPECT_EQ(out.level, Level::secret);
  EXPECT_FALSE(out.rel_alliance);
  EXPECT_EQ(out.rel_to, (std::vector<std::string>{"MOR", "PAR"}));
  EXPECT_EQ(out.categories,
            category_bit(Category::air_picture) | category_bit(Category::sensors) | category_bit(Category::orders));
  EXPECT_EQ(out.originator, "KAL");
  EXPECT_EQ(out.time, SimTime::from_ns(42));
  EXPECT_TRUE(validate(out).has_value());
  EXPECT_EQ(to_text(out), "JRADS; SECRET; REL TO MOR, PAR; CAT AIR-PICTURE, SENSORS, ORDERS; ORIG KAL; T 0.000000042");
}

TEST(LabelCombine, AllianceIsEveryone) {
  const Label a = make(Level::unclassified, {}, category_bit(Category::audit), "KAL", SimTime(), true);
  const Label b = make(Level::restricted, {}, category_bit(Category::audit), "MOR", SimTime(), true);
  const Label out = combine({a, b}, "KAL", SimTime());
  EXPECT_TRUE(out.rel_alliance);
  EXPECT_TRUE(out.rel_to.empty());
  EXPECT_EQ(out.level, Level::restricted);
  const Label one = combine({a, make(Level::secret, {"ZZ"}, category_bit(Category::audit), "MOR", SimTime())}, "KAL",
                            SimTime());
  EXPECT_FALSE(one.rel_alliance);
  EXPECT_EQ(one.rel_to, (std::vector<std::string>{"MOR", "ZZ"}));  // MOR originated it
}

TEST(LabelCombine, OriginatorsCount) {
  // KAL's own item (REL TO NONE) combined with MOR's item releasable to KAL: both
  // originators may have their own input, so the derived item may go to KAL only.
  const Label kal_own = make(Level::secret, {}, category_bit(Category::orders), "KAL", SimTime());
  const Label mor_to_kal = make(Level::secret, {"KAL"}, category_bit(Category::air_picture), "MOR", SimTime());
  const Label out = combine({kal_own, mor_to_kal}, "KAL", SimTime());
  EXPECT_EQ(out.rel_to, (std::vector<std::string>{"KAL"}));
  // Disjoint: releasable to no one beyond its (new) originator.
  const Label par_own = make(Level::secret, {}, category_bit(Category::orders), "PAR", SimTime());
  const Label none = combine({kal_own, par_own}, "KAL", SimTime());
  EXPECT_FALSE(none.rel_alliance);
  EXPECT_TRUE(none.rel_to.empty());
  EXPECT_EQ(to_text(none), "JRADS; SECRET; REL TO NONE; CAT ORDERS; ORIG KAL; T 0");
  // A single input keeps its own releasability plus its originator.
  const Label single = combine({valid()}, "MOR", SimTime());
  EXPECT_EQ(single.rel_to, (std::vector<std::string>{"KAL", "MOR"}));
}

TEST(LabelCombine, RandomPropertiesHold) {
  RngStream rng = Rng(7).stream("security/combine");
  for (int k = 0; k < 300; ++k) {
    std::vector<Label> inputs;
    const auto n = 1 + rng.below(4);
    for (std::uint64_t j = 0; j < n; ++j) inputs.push_back(random_label(rng));
    const Label out = combine(inputs, "KAL", SimTime::from_ns(1));
    ASSERT_TRUE(validate(out).has_value()) << validate(out).error().message;
    for (const Label& in : inputs) {
      EXPECT_GE(out.level, in.level);
      EXPECT_EQ(out.categories & in.categories, in.categories);
      // Whoever may have the result may have every input.
      for (const std::string& p : out.rel_to) EXPECT_TRUE(releasable_to(in, p)) << p;
      if (out.rel_alliance) {
        EXPECT_TRUE(in.rel_alliance);
      }
    }
    const auto back = parse_label(to_text(out));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, out);
  }
}

// ---- equivalence table ------------------------------------------------------------------

std::vector<NationalLevel> two_parties() {
  return {
      {"KAL", "NEKLASIFIKOVANO", Level::unclassified},
      {"KAL", "INTERNO", Level::restricted},
      {"KAL", "POVJERLJIVO", Level::confidential},
      {"KAL", "STROGO POVJERLJIVO", Level::secret},
      {"MOR", "PUBLIC", Level::unclassified},
      {"MOR", "RESTREINT", Level::restricted},
      {"MOR", "CONFIDENTIEL", Level::confidential},
      {"MOR", "SECRET", Level::secret},
      {"MOR", "TRES SECRET", Level::top_secret},
  };
}

TEST(Equivalence, TwoPartiesWithTheirOwnNames) {
  const auto t = EquivalenceTable::make(two_parties());
  ASSERT_TRUE(t.has_value()) << t.error().message;
  EXPECT_EQ(*t->common("KAL", "STROGO POVJERLJIVO"), Level::secret);
  EXPECT_EQ(*t->common("MOR", "SECRET"), Level::secret);
  EXPECT_EQ(*t->common("MOR", "TRES SECRET"), Level::top_secret);
  EXPECT_EQ(*t->national("KAL", Level::confidential), "POVJERLJIVO");
  EXPECT_EQ(*t->national("MOR", Level::confidential), "CONFIDENTIEL");
  // Translating from one party's word to the other's through the common scale.
  EXPECT_EQ(*t->national("MOR", *t->common("KAL", "INTERNO")), "RESTREINT");
  for (const NationalLevel& e : two_parties()) {
    EXPECT_EQ(*t->common(e.party, e.name), e.level);
    EXPECT_EQ(*t->national(e.party, e.level), e.name);
  }
}

TEST(Equivalence, UnknownNamesAndLevels) {
  const auto t = EquivalenceTable::make(two_parties());
  ASSERT_TRUE(t.has_value());
  auto r = t->common("KAL", "SECRET");  // MOR's word, not KAL's
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::dangling_ref);
  EXPECT_NE(r.error().message.find("KAL"), std::string::npos);
  EXPECT_NE(r.error().message.find("SECRET"), std::string::npos);
  r = t->common("PAR", "SECRET");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::dangling_ref);
  EXPECT_NE(r.error().message.find("PAR"), std::string::npos);
  r = t->common("KAL", "povjerljivo");  // exact case
  EXPECT_FALSE(r.has_value());
  const auto n = t->national("KAL", Level::top_secret);  // KAL has no TOP SECRET word
  ASSERT_FALSE(n.has_value());
  EXPECT_EQ(n.error().code, Errc::dangling_ref);
  EXPECT_NE(n.error().message.find("TOP SECRET"), std::string::npos);
  EXPECT_FALSE(t->national("PAR", Level::secret).has_value());
  const auto empty = EquivalenceTable::make({});
  ASSERT_TRUE(empty.has_value());
  EXPECT_FALSE(empty->common("KAL", "SECRET").has_value());
}

TEST(Equivalence, BadTables) {
  auto expect_bad = [](std::vector<NationalLevel> entries, std::string_view part) {
    const auto t = EquivalenceTable::make(std::move(entries));
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().code, Errc::invalid_argument);
    EXPECT_NE(t.error().message.find(part), std::string::npos) << t.error().message;
  };
  auto entries = two_parties();
  entries.push_back({"", "SECRET", Level::secret});
  expect_bad(entries, "empty party");
  entries = two_parties();
  entries.push_back({"PAR", "", Level::secret});
  expect_bad(entries, "empty name");
  entries = two_parties();
  entries.push_back({"KAL", "INTERNO", Level::top_secret});
  expect_bad(entries, "twice");
  entries = two_parties();
  entries.push_back({"MOR", "DIFFUSION RESTREINTE", Level::restricted});
  expect_bad(entries, "two names for RESTRICTED");
  entries = two_parties();
  entries.push_back({"PAR", "X", static_cast<Level>(9)});
  expect_bad(entries, "unknown common level");
  // The same word for different parties, and the same level for different parties, are fine.
  entries = two_parties();
  entries.push_back({"PAR", "SECRET", Level::secret});
  EXPECT_TRUE(EquivalenceTable::make(entries).has_value());
}

}  // namespace
}  // namespace jrads::security
