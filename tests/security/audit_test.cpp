#include "jrads/security/audit.hpp"

#include <gtest/gtest.h>

#include <map>

#include "jrads/core/rng.hpp"

namespace jrads::security {
namespace {

SigningKey seeded_key(std::uint8_t tag) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(tag);
  return SigningKey::from_seed(seed);
}

Label label_of(std::string originator, Level level) {
  Label l;
  l.level = level;
  l.rel_to = {"KAL", "MOR"};
  l.categories = category_bit(Category::orders);
  l.originator = std::move(originator);
  return l;
}

struct Keys {
  SigningKey writer = seeded_key(1), partner = seeded_key(2), outsider = seeded_key(3), writer_party_other = seeded_key(4);
  std::map<KeyId, KeyInfo> known;
  Keys() {
    known[key_id(writer.public_key())] = {writer.public_key(), "KAL-CP", "KAL"};
    known[key_id(partner.public_key())] = {partner.public_key(), "MOR-CP", "MOR"};
    known[key_id(writer_party_other.public_key())] = {writer_party_other.public_key(), "KAL-RC", "KAL"};
  }
  KeyLookup lookup() const {
    return [this](const KeyId& id) -> Result<KeyInfo> {
      auto it = known.find(id);
      if (it == known.end()) return fail(Errc::dangling_ref, "key " + id.hex() + " is not in the keyring");
      return it->second;
    };
  }
};

// A log of `records` records with a checkpoint every `every`, closed by a final one.
std::string write_log(const Keys& keys, int records, std::uint64_t every, std::uint64_t seed = 7) {
  std::string text;
  Countersigner partner("run-7", keys.partner);
  AuditWriter log("run-7", "KAL-CP", keys.writer, partner, [&](std::string_view s) { text.append(s); }, every);
  RngStream rng = Rng(seed).stream("audit");
  static const char* kKinds[] = {"proposal", "approval", "denial", "refusal", "order", "outcome", "release"};
  double t = 0;
  for (int i = 0; i < records; ++i) {
    t += rng.uniform(0.0, 3.0);
    const Label l = label_of(rng.bernoulli(0.5) ? "KAL" : "MOR", rng.bernoulli(0.3) ? Level::secret : Level::confidential);
    const std::string body = "E-" + std::to_string(i) + " FU-KAL-1 T-" + std::to_string(rng.below(100)) + " pk 0.7";
    EXPECT_TRUE(log.append(SimTime::from_s(t), kKinds[rng.below(7)], "KAL-ADC", l, body).has_value());
  }
  EXPECT_TRUE(log.checkpoint(SimTime::from_s(t + 1), true).has_value());
  return text;
}

TEST(Audit, AWrittenLogVerifiesAndParsesBack) {
  const Keys keys;
  const std::string text = write_log(keys, 100, 16);
  auto report = verify_audit(text, keys.lookup());
  ASSERT_TRUE(report.has_value()) << report.error().to_string();
  EXPECT_EQ(report->records, 100u);
  EXPECT_EQ(report->checkpoints, 7u);  // 6 periodic + the final
  EXPECT_TRUE(report->closed);
  EXPECT_EQ(report->log_id, "run-7");
  EXPECT_EQ(report->writer_node, "KAL-CP");
  EXPECT_EQ(report->signer_parties, (std::vector<std::string>{"KAL", "MOR"}));
  auto contents = parse_audit(text);
  ASSERT_TRUE(contents.has_value());
  ASSERT_EQ(contents->records.size(), 100u);
  EXPECT_EQ(contents->records[3].seq, 3u);
  EXPECT_EQ(contents->records[3].actor, "KAL-ADC");
  EXPECT_EQ(merkle_root(contents->leaves), report->last->root);
  // Proofs from the file check against the signed checkpoints.
  const Checkpoint& first = contents->checkpoints.front();
  const Checkpoint& last = contents->checkpoints.back();
  EXPECT_TRUE(verify_consistency(first.size, last.size, first.root, last.root,
                                 consistency_proof(contents->leaves, first.size, last.size)));
  EXPECT_TRUE(verify_inclusion(42, last.size, contents->leaves[42], inclusion_proof(contents->leaves, 42, last.size),
                               last.root));
}

TEST(Audit, TheSameRecordsAndKeysGiveTheSameBytes) {
  const Keys keys;
  EXPECT_EQ(write_log(keys, 50, 8), write_log(keys, 50, 8));
}

TEST(Audit, TheWriterRefusesBadRecordsAndWritesNothingForThem) {
  const Keys keys;
  std::string text;
  Countersigner partner("log", keys.partner);
  AuditWriter log("log", "KAL-CP", keys.writer, partner, [&](std::string_view s) { text.append(s); });
  const std::size_t header_size = text.size();
  const Label good = label_of("KAL", Level::secret);
  EXPECT_FALSE(log.append(SimTime::from_s(1), "Order", "KAL-ADC", good, "x").has_value());
  EXPECT_FALSE(log.append(SimTime::from_s(1), "order", "KAL ADC", good, "x").has_value());
  EXPECT_FALSE(log.append(SimTime::from_s(1), "order", "KAL-ADC", good, "tab\there").has_value());
  EXPECT_FALSE(log.append(SimTime::from_s(1), "order", "KAL-ADC", good, "new\nline").has_value());
  EXPECT_FALSE(log.append(SimTime::from_s(1), "order", "KAL-ADC", good, std::string(kMaxAuditBody + 1, 'x')).has_value());
  Label bad = good;
  bad.categories = 0;
  EXPECT_FALSE(log.append(SimTime::from_s(1), "order", "KAL-ADC", bad, "x").has_value());
  EXPECT_FALSE(log.append(SimTime::from_s(-1), "order", "KAL-ADC", good, "x").has_value());
  EXPECT_EQ(text.size(), header_size);
  EXPECT_EQ(log.size(), 0u);
  ASSERT_TRUE(log.append(SimTime::from_s(5), "order", "KAL-ADC", good, "x").has_value());
  EXPECT_FALSE(log.append(SimTime::from_s(4), "order", "KAL-ADC", good, "x").has_value());
  ASSERT_TRUE(log.checkpoint(SimTime::from_s(6), true).has_value());
  EXPECT_FALSE(log.append(SimTime::from_s(7), "order", "KAL-ADC", good, "x").has_value());
  EXPECT_FALSE(log.checkpoint(SimTime::from_s(7), true).has_value());
  EXPECT_TRUE(verify_audit(text, keys.lookup()).has_value());
}

TEST(Audit, ThePartnerRefusesToCountersignADifferentHistory) {
  const Keys keys;
  Countersigner partner("log", keys.partner);
  std::string text;
  AuditWriter log("log", "KAL-CP", keys.writer, partner, [&](std::string_view s) { text.append(s); });
  ASSERT_TRUE(log.append(SimTime::from_s(1), "order", "KAL-ADC", label_of("KAL", Level::secret), "x").has_value());
  // Something the writer never showed the partner:
  partner.observe(leaf_hash(as_bytes("R\t1\t1.000\torder\tKAL-ADC\tforged")));
  auto c = log.checkpoint(SimTime::from_s(2), false);
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message.find("partner has seen 2"), std::string::npos) << c.error().message;
}

TEST(Audit, HostileFilesAreRejectedWithTheLine) {
  const Keys keys;
  const auto lookup = keys.lookup();
  auto line_of = [&](std::string_view text) {
    auto r = verify_audit(text, lookup);
    return r.has_value() ? -1 : r.error().where.line;
  };
  EXPECT_EQ(line_of(""), 1);
  EXPECT_EQ(line_of("JRADS-AUDIT 2\tlog\tKAL-CP\n"), 1);
  EXPECT_EQ(line_of("JRADS-AUDIT 1\tlog\tKAL-CP"), 1);  // no newline
  EXPECT_EQ(line_of("JRADS-AUDIT 1\tlog\tKAL-CP\nX\n"), 2);
  EXPECT_EQ(line_of("JRADS-AUDIT 1\tlog\tKAL-CP\nR\t0\n"), 2);
  EXPECT_EQ(line_of(std::string("JRADS-AUDIT 1\tlog\tKAL-CP\n") + std::string(9000, 'R') + "\n"), 2);
  const std::string good = write_log(keys, 5, 0);
  const auto second = good.find('\n') + 1;
  std::string crlf = good;
  crlf.insert(good.find('\n', second), "\r");
  EXPECT_EQ(line_of(crlf), 2);
  std::string nul = good;
  nul[second + 20] = '\0';
  EXPECT_EQ(line_of(nul), 2);
  std::string upper = good;  // hex has one spelling: upper case is a change
  const auto hex_at = good.find('\t', good.find('\n', second) - 64 - 1) + 1;
  for (std::size_t i = hex_at; i < hex_at + 64; ++i)
    if (upper[i] >= 'a' && upper[i] <= 'f') {
      upper[i] = static_cast<char>(upper[i] - 32);
      break;
    }
  EXPECT_EQ(line_of(upper), 2);
  // No checkpoint, or records after the last: refused unless the log may still be open.
  std::string open = good.substr(0, good.rfind("C\t"));
  EXPECT_FALSE(verify_audit(open, lookup).has_value());
  EXPECT_TRUE(verify_audit(open, lookup, VerifyOptions{.allow_open = true}).has_value());
}

TEST(Audit, KeysMustBeKnownAndFromBothParties) {
  Keys keys;
  const std::string text = write_log(keys, 20, 0);
  Keys without_partner;
  without_partner.known.erase(key_id(without_partner.partner.public_key()));
  auto r = verify_audit(text, without_partner.lookup());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("countersigner key"), std::string::npos) << r.error().message;
  // A countersignature by another node of the writer's own party does not count.
  std::string same_party;
  {
    Countersigner partner("run-7", keys.writer_party_other);
    AuditWriter log("run-7", "KAL-CP", keys.writer, partner, [&](std::string_view s) { same_party.append(s); });
    ASSERT_TRUE(log.append(SimTime::from_s(1), "order", "KAL-ADC", label_of("KAL", Level::secret), "x").has_value());
    ASSERT_TRUE(log.checkpoint(SimTime::from_s(2), true).has_value());
  }
  r = verify_audit(same_party, keys.lookup());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("own party"), std::string::npos) << r.error().message;
}

// Rewrites every hash and signature after changing one record, as an administrator holding
// `writer` (and perhaps `partner`) could.
std::string forge(const std::string& text, const SigningKey& writer, const SigningKey& partner) {
  auto contents = parse_audit(text).value();
  contents.records[3].body = "forged";
  std::string out;
  Countersigner p(contents.log_id, partner);
  AuditWriter log(contents.log_id, contents.writer_node, writer, p, [&](std::string_view s) { out.append(s); });
  std::size_t next_checkpoint = 0;
  for (const AuditRecord& r : contents.records) {
    EXPECT_TRUE(log.append(r.time, r.kind, r.actor, r.label, r.body).has_value());
    while (next_checkpoint < contents.checkpoints.size() && contents.checkpoints[next_checkpoint].size == log.size()) {
      const Checkpoint& c = contents.checkpoints[next_checkpoint++];
      EXPECT_TRUE(log.checkpoint(c.time, c.final).has_value());
    }
  }
  return out;
}

TEST(Audit, NeitherPartyAloneCanRewriteHistory) {
  const Keys keys;
  const std::string text = write_log(keys, 40, 10);
  const std::string by_writer = forge(text, keys.writer, keys.outsider);
  auto r = verify_audit(by_writer, keys.lookup());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("countersigner key"), std::string::npos) << r.error().message;
  const std::string by_partner = forge(text, keys.outsider, keys.partner);
  r = verify_audit(by_partner, keys.lookup());
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("signer key"), std::string::npos) << r.error().message;
  // Both parties together can (collusion is outside the threat model; docs/SECURITY.md).
  EXPECT_TRUE(verify_audit(forge(text, keys.writer, keys.partner), keys.lookup()).has_value());
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto nl = text.find('\n', pos);
    lines.push_back(text.substr(pos, nl - pos + 1));
    pos = nl + 1;
  }
  return lines;
}
std::string join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l;
  return out;
}

TEST(Audit, EightThousandSeededMutationsAreAllDetected) {
  const Keys keys;
  const auto lookup = keys.lookup();
  const std::string text = write_log(keys, 48, 12);
  ASSERT_TRUE(verify_audit(text, lookup).has_value());
  const auto lines = split_lines(text);
  std::vector<std::size_t> records, checkpoints;
  for (std::size_t i = 1; i < lines.size(); ++i) (lines[i][0] == 'R' ? records : checkpoints).push_back(i);
  ASSERT_EQ(checkpoints.size(), 5u);  // at 12, 24, 36, 48 and the final at 48
  RngStream rng = Rng(20261201).stream("mutations");
  std::map<std::string, int> tried, detected;
  for (int trial = 0; trial < 8000; ++trial) {
    std::string mutated;
    std::string kind;
    auto ls = lines;
    switch (trial % 8) {
      case 0: {
        kind = "bit flip";
        mutated = text;
        mutated[rng.below(mutated.size())] ^= static_cast<char>(1 << rng.below(8));
        break;
      }
      case 1:
        kind = "deleted record";
        ls.erase(ls.begin() + static_cast<std::ptrdiff_t>(records[rng.below(records.size())]));
        mutated = join(ls);
        break;
      case 2: {
        kind = "reordered records";
        const auto a = rng.below(records.size());
        auto b = rng.below(records.size() - 1);
        if (b >= a) ++b;
        std::swap(ls[records[a]], ls[records[b]]);
        mutated = join(ls);
        break;
      }
      case 3: {
        kind = "duplicated line";
        const auto i = 1 + rng.below(ls.size() - 1);
        ls.insert(ls.begin() + static_cast<std::ptrdiff_t>(i + rng.below(ls.size() - i + 1)), ls[i]);
        mutated = join(ls);
        break;
      }
      case 4:
        kind = "truncated";
        mutated = text.substr(0, rng.below(text.size()));
        break;
      case 5: {
        kind = "appended record";
        // A record from earlier in the log, renumbered to follow the last one.
        std::string r = ls[records[rng.below(records.size())]];
        r = "R\t" + std::to_string(records.size()) + r.substr(r.find('\t', 2));
        ls.push_back(r);
        mutated = join(ls);
        break;
      }
      case 6: {
        kind = "swapped checkpoints";
        const auto a = rng.below(checkpoints.size());
        auto b = rng.below(checkpoints.size() - 1);
        if (b >= a) ++b;
        std::swap(ls[checkpoints[a]], ls[checkpoints[b]]);
        mutated = join(ls);
        break;
      }
      default: {
        kind = "changed byte";
        mutated = text;
        const auto at = rng.below(mutated.size());
        char c = static_cast<char>(0x20 + rng.below(95));
        if (c == mutated[at]) c = c == '~' ? ' ' : static_cast<char>(c + 1);
        mutated[at] = c;
        break;
      }
    }
    ++tried[kind];
    if (mutated != text && !verify_audit(mutated, lookup).has_value()) ++detected[kind];
  }
  for (const auto& [kind, n] : tried) EXPECT_EQ(detected[kind], n) << kind;
}

}  // namespace
}  // namespace jrads::security
