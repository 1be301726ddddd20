// Node keys, their files, the keyring and labelled signatures (keys.hpp): round trips, hostile
// file contents, permissions, the life cycle (init, rotate, revoke, expiry) and tampering.
#include "jrads/security/keys.hpp"

#include <gtest/gtest.h>

#include "security/temp_dir.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "jrads/core/rng.hpp"

namespace jrads::security {
namespace {

namespace fs = std::filesystem;

const std::int64_t kNow = parse_utc("2026-06-01T00:00:00Z").value();
constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kYear = 365 * kDay;

KeySeed seed_of(std::uint8_t b) {
  KeySeed s;
  s.fill(b);
  return s;
}

// A scratch directory for one test.
struct TempDir : test::TempDir {
  TempDir() : test::TempDir("jrads-keys-test-") {}
};

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

void write_plain(const fs::path& p, const std::string& text, unsigned mode) {
  ASSERT_TRUE(write_file_atomically(p, as_bytes(text), mode, true).has_value()) << p;
}

std::string read_plain(const fs::path& p) {
  return read_file_checked(p, FileRead{1 << 20, false, true}).value();
}

Label make_label() {
  Label l;
  l.level = Level::secret;
  l.rel_to = {"KAL", "MOR"};
  l.categories = category_bit(Category::air_picture) | category_bit(Category::orders);
  l.originator = "KAL";
  l.time = SimTime::from_ns(1'530'250'000'000);
  return l;
}

NodeKeys keys_of(const std::string& node, const std::string& party, int generation, std::uint8_t seed,
                 std::int64_t created = kNow, std::int64_t valid = kYear) {
  return generate_node_keys(node, party, generation, created, valid, seed_of(seed)).value();
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t nl = text.find('\n', pos);
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}
std::string join_lines(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) s += l + "\n";
  return s;
}

// Replaces the value of the line with this key (the first such line).
std::string with_value(const std::string& text, const std::string& key, const std::string& value) {
  auto lines = split_lines(text);
  for (auto& l : lines) {
    if (l.rfind(key + " ", 0) == 0) {
      l = key + " " + value;
      return join_lines(lines);
    }
  }
  ADD_FAILURE() << "no key " << key;
  return text;
}

std::string value_of(const std::string& text, const std::string& key) {
  for (const auto& l : split_lines(text))
    if (l.rfind(key + " ", 0) == 0) return l.substr(key.size() + 1);
  ADD_FAILURE() << "no key " << key;
  return {};
}

// An error located in `file` at `line` (0: any line >= 1).
::testing::AssertionResult located(const Error& e, const std::string& file, int line) {
  if (e.where.file != file) return ::testing::AssertionFailure() << "file '" << e.where.file << "' in: " << e.to_string();
  if (line == 0 ? e.where.line < 1 : e.where.line != line)
    return ::testing::AssertionFailure() << "line " << e.where.line << " (expected " << line << ") in: " << e.to_string();
  if (e.to_string().rfind(file + ":" + std::to_string(e.where.line) + ":", 0) != 0)
    return ::testing::AssertionFailure() << "not shown as file:line: " << e.to_string();
  return ::testing::AssertionSuccess();
}

using Check = std::function<Result<void>(const std::string& text)>;

// Every line removed, duplicated and cut in half, plus the usual hostile bytes: each is
// rejected with the file and (for removal and duplication, exactly) the line.
void expect_hostile_rejected(const std::string& good, const std::string& name, const Check& check,
                             std::size_t max_bytes = kMaxKeyFileBytes) {
  ASSERT_TRUE(check(good).has_value()) << check(good).error().to_string();
  const auto lines = split_lines(good);
  const int n = static_cast<int>(lines.size());
  for (int k = 1; k <= n; ++k) {
    auto removed = lines;
    removed.erase(removed.begin() + (k - 1));
    auto r = check(join_lines(removed));
    ASSERT_FALSE(r.has_value()) << "line " << k << " removed";
    EXPECT_TRUE(located(r.error(), name, k)) << "line " << k << " removed";

    auto duplicated = lines;
    duplicated.insert(duplicated.begin() + k, lines[k - 1]);
    r = check(join_lines(duplicated));
    ASSERT_FALSE(r.has_value()) << "line " << k << " duplicated";
    EXPECT_TRUE(located(r.error(), name, k + 1)) << "line " << k << " duplicated";

    auto cut = lines;
    cut[k - 1] = cut[k - 1].substr(0, cut[k - 1].size() / 2);
    r = check(join_lines(cut));
    ASSERT_FALSE(r.has_value()) << "line " << k << " cut";
    EXPECT_TRUE(located(r.error(), name, 0)) << "line " << k << " cut";

    auto spaced = lines;
    spaced[k - 1] += " ";
    r = check(join_lines(spaced));
    ASSERT_FALSE(r.has_value()) << "line " << k << " with a trailing space";
    EXPECT_TRUE(located(r.error(), name, k));
  }
  const auto rejected_at = [&](const std::string& text, int line, const std::string& what) {
    auto r = check(text);
    ASSERT_FALSE(r.has_value()) << what;
    EXPECT_TRUE(located(r.error(), name, line)) << what;
  };
  rejected_at("", 1, "empty");
  rejected_at(good.substr(0, good.size() - 1), n, "no final newline");
  rejected_at(good + "junk 1\n", n + 1, "trailing junk");
  rejected_at(good + "\n", n + 1, "trailing empty line");
  rejected_at(good + "x", n + 1, "trailing bytes without newline");
  std::string crlf;
  for (const char c : good) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  rejected_at(crlf, 1, "CRLF");
  std::string nul = good;
  nul.insert(nul.find('\n', nul.find('\n') + 1) + 3, 1, '\0');  // inside line 3
  rejected_at(nul, 3, "NUL");
  std::string high = good;
  high[high.find('\n') + 2] = static_cast<char>(0xC3);
  rejected_at(high, 2, "non-ASCII byte");
  std::string tab = good;
  tab[tab.find('\n') + 1 + lines[1].find(' ')] = '\t';
  rejected_at(tab, 2, "tab for the space");
  std::string magic = good;
  magic[0] = 'J';
  rejected_at(magic, 1, "wrong magic");
  std::string version = good;
  version[lines[0].size() - 1] = '2';
  auto v = check(version);
  ASSERT_FALSE(v.has_value());
  EXPECT_NE(v.error().message.find("unsupported version '2'"), std::string::npos) << v.error().to_string();
  auto big = check(good + std::string(max_bytes, 'a') + "\n");
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().where.file, name);
  EXPECT_NE(big.error().message.find("larger than"), std::string::npos) << big.error().to_string();
}

// ---------------------------------------------------------------- ids and times

TEST(Utc, FormatsAndParsesStrictly) {
  EXPECT_EQ(format_utc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_utc(kMaxUnixS), "9999-12-31T23:59:59Z");
  EXPECT_EQ(format_utc(-1), "unix time -1");
  EXPECT_EQ(parse_utc("2026-12-01T18:00:00Z").value(), 1796148000);
  EXPECT_EQ(format_utc(1796148000), "2026-12-01T18:00:00Z");
  EXPECT_EQ(parse_utc("2024-02-29T23:59:59Z").value() + 1, parse_utc("2024-03-01T00:00:00Z").value());
  EXPECT_TRUE(parse_utc("2000-02-29T00:00:00Z").has_value());
  for (const char* bad : {"2025-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "1969-12-31T23:59:59Z", "2026-13-01T00:00:00Z",
                          "2026-00-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
                          "2026-01-01T00:00:60Z", "2026-01-01T00:00:00z", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00",
                          "2026-01-01T00:00:00Z ", "+026-01-01T00:00:00Z", "2026-1-01T00:00:00Z", ""}) {
    EXPECT_FALSE(parse_utc(bad).has_value()) << bad;
  }
  RngStream rng(7);
  for (int k = 0; k < 2000; ++k) {
    const auto t = static_cast<std::int64_t>(rng.uniform() * static_cast<double>(kMaxUnixS));
    ASSERT_EQ(parse_utc(format_utc(t)).value(), t) << t;
  }
}

TEST(Ids, NodeAndPartyIds) {
  for (const char* ok : {"A", "KAL-RC", "0", "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"}) EXPECT_TRUE(check_node_id(ok).has_value()) << ok;
  for (const char* bad : {"", "kal", "KAL RC", "KAL.RC", "KAL_RC", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456", "KAL/RC"})
    EXPECT_FALSE(check_node_id(bad).has_value()) << bad;
  for (const char* ok : {"KAL", "MOR", "P1", "ABCDEFGH"}) EXPECT_TRUE(check_party_id(ok).has_value()) << ok;
  for (const char* bad : {"", "K", "kal", "ALLIANCE", "NONE", "ABCDEFGHI", "KA-L"})
    EXPECT_FALSE(check_party_id(bad).has_value()) << bad;
}

// ---------------------------------------------------------------- generation and records

TEST(NodeKeys, SeededKeysAreDeterministicAndDomainSeparated) {
  const NodeKeys a = keys_of("KAL-RC", "KAL", 1, 1);
  const NodeKeys again = keys_of("KAL-RC", "KAL", 1, 1);
  EXPECT_EQ(a.record, again.record);
  EXPECT_EQ(a.agreement.public_key(), again.agreement.public_key());
  EXPECT_NE(a.record.id, keys_of("KAL-RD", "KAL", 1, 1).record.id);  // another node
  EXPECT_NE(a.record.id, keys_of("KAL-RC", "KAL", 2, 1).record.id);  // another generation
  EXPECT_NE(a.record.id, keys_of("KAL-RC", "KAL", 1, 2).record.id);  // another seed
  EXPECT_NE(a.record.sign_public, a.record.agree_public);            // sign and agree keys differ
  const NodeKeys r1 = generate_node_keys("KAL-RC", "KAL", 1, kNow, kYear, std::nullopt).value();
  const NodeKeys r2 = generate_node_keys("KAL-RC", "KAL", 1, kNow, kYear, std::nullopt).value();
  EXPECT_NE(r1.record.id, r2.record.id);
  EXPECT_TRUE(check_record(a.record).has_value());
  EXPECT_EQ(a.record.id, key_id(a.record.sign_public));
  EXPECT_EQ(a.record.expires_unix_s, kNow + kYear);
}

TEST(NodeKeys, BadArgumentsAreRefused) {
  EXPECT_FALSE(generate_node_keys("kal", "KAL", 1, kNow, kYear, std::nullopt).has_value());
  EXPECT_FALSE(generate_node_keys("KAL-RC", "NONE", 1, kNow, kYear, std::nullopt).has_value());
  EXPECT_FALSE(generate_node_keys("KAL-RC", "KAL", 0, kNow, kYear, std::nullopt).has_value());
  EXPECT_FALSE(generate_node_keys("KAL-RC", "KAL", 1, kNow, 0, std::nullopt).has_value());
  EXPECT_FALSE(generate_node_keys("KAL-RC", "KAL", 1, kNow, kMaxKeyValidS + 1, std::nullopt).has_value());
  EXPECT_FALSE(generate_node_keys("KAL-RC", "KAL", 1, -1, kYear, std::nullopt).has_value());
  EXPECT_FALSE(generate_node_keys("KAL-RC", "KAL", 1, kMaxUnixS - 10, kYear, std::nullopt).has_value());
}

TEST(PublicKeyFile, RoundTripsAndDetectsEveryChangedField) {
  const NodeKeys k = keys_of("KAL-RC", "KAL", 3, 1);
  const NodeKeys other = keys_of("MOR-RC", "MOR", 1, 2);
  const std::string text = encode_public_key_file(k.record);
  EXPECT_EQ(text.rfind("jrads-public-key 1\nnode KAL-RC\nparty KAL\ngeneration 3\nid ", 0), 0u) << text;
  EXPECT_EQ(decode_public_key_file(text, "K.3.pub").value(), k.record);

  const std::string sig = value_of(text, "self-signature");
  std::string flipped_sig = sig;
  flipped_sig[5] = flipped_sig[5] == '0' ? '1' : '0';
  const struct {
    std::string key, value;
    int line;
  } changes[] = {
      {"node", "KAL-RD", 10},
      {"party", "MOR", 10},
      {"generation", "4", 10},
      {"id", other.record.id.hex(), 5},  // checked against sign-public when that is read
      {"sign-public", to_hex(other.record.sign_public), 5},
      {"agree-public", to_hex(other.record.agree_public), 10},
      {"created", format_utc(kNow + 1), 10},
      {"expires", format_utc(kNow + kYear - 1), 10},
      {"self-signature", flipped_sig, 10},
  };
  for (const auto& c : changes) {
    auto r = decode_public_key_file(with_value(text, c.key, c.value), "K.3.pub");
    ASSERT_FALSE(r.has_value()) << c.key;
    EXPECT_TRUE(located(r.error(), "K.3.pub", c.line)) << c.key;
  }
  // The same through check_record on the struct.
  PublicKeyRecord changed = k.record;
  changed.expires_unix_s += 1;
  EXPECT_FALSE(check_record(changed).has_value());
  changed = k.record;
  changed.party = "MOR";
  EXPECT_FALSE(check_record(changed).has_value());
}

TEST(PublicKeyFile, HostileContentsAreRejectedWithFileAndLine) {
  const std::string good = encode_public_key_file(keys_of("KAL-RC", "KAL", 1, 1).record);
  expect_hostile_rejected(good, "N.1.pub", [](const std::string& t) -> Result<void> {
    auto r = decode_public_key_file(t, "N.1.pub");
    if (!r) return fail(r.error());
    return {};
  });
  // Bad hex and upper-case hex.
  for (const std::string& value : {std::string(64, 'g'), std::string(63, '0'), std::string(64, 'A')}) {
    auto r = decode_public_key_file(with_value(good, "sign-public", value), "N.1.pub");
    ASSERT_FALSE(r.has_value());
    EXPECT_TRUE(located(r.error(), "N.1.pub", 6)) << value;
  }
  auto r = decode_public_key_file(with_value(good, "generation", "01"), "N.1.pub");
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(located(r.error(), "N.1.pub", 4));
  r = decode_public_key_file(with_value(good, "created", "2026-06-01T00:00:00"), "N.1.pub");
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(located(r.error(), "N.1.pub", 8));
  // An unknown key is named; so is a missing one.
  r = decode_public_key_file(with_value(good, "party", "KAL").insert(good.find("party"), "colour red\n"), "N.1.pub");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("unknown key 'colour'"), std::string::npos) << r.error().to_string();
}

TEST(NodeKeyFile, RoundTripsAndNeverQuotesTheSecret) {
  const NodeKeys k = keys_of("KAL-RC", "KAL", 1, 1);
  const std::string text = encode_node_key_file(k);
  const NodeKeys back = decode_node_key_file(text, "N.key").value();
  EXPECT_EQ(back.record, k.record);
  EXPECT_EQ(back.signing.public_key(), k.signing.public_key());
  EXPECT_EQ(back.agreement.public_key(), k.agreement.public_key());
  EXPECT_EQ(to_hex(back.signing.seed().bytes()), to_hex(k.signing.seed().bytes()));

  const std::string seed = value_of(text, "sign-seed"), secret = value_of(text, "agree-secret");
  const auto check = [&](const std::string& t) -> Result<void> {
    auto r = decode_node_key_file(t, "N.key");
    if (!r) {
      // No error message may show any part of a secret.
      for (std::size_t i = 0; i + 8 <= seed.size(); i += 4) {
        EXPECT_EQ(r.error().to_string().find(seed.substr(i, 8)), std::string::npos) << r.error().to_string();
        EXPECT_EQ(r.error().to_string().find(secret.substr(i, 8)), std::string::npos) << r.error().to_string();
      }
      return fail(r.error());
    }
    return {};
  };
  expect_hostile_rejected(text, "N.key", check);
  std::string changed = seed;
  changed[0] = changed[0] == 'a' ? 'b' : 'a';
  auto r = decode_node_key_file(with_value(text, "sign-seed", changed), "N.key");
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(located(r.error(), "N.key", 11));
  EXPECT_NE(r.error().message.find("does not give sign-public"), std::string::npos);
  changed = secret;
  changed[63] = changed[63] == 'a' ? 'b' : 'a';
  r = decode_node_key_file(with_value(text, "agree-secret", changed), "N.key");
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(located(r.error(), "N.key", 12));
  // A secret line whose key was lost is not echoed either.
  auto lines = split_lines(text);
  lines[10] = seed;
  EXPECT_FALSE(check(join_lines(lines)).has_value());
}

// ---------------------------------------------------------------- permissions

TEST(KeyDir, InitWritesPrivateFilesWithExactModes) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "keys" / "node";  // parents created too
  const mode_t old_umask = ::umask(0);                // even with no umask nothing is wider
  auto keys = init_node(dir, "KAL-RC", "KAL", kNow, kYear, seed_of(1));
  ::umask(old_umask);
  ASSERT_TRUE(keys.has_value()) << keys.error().to_string();
  EXPECT_EQ(mode_of(dir), 0700u);
  EXPECT_EQ(mode_of(tmp.path() / "keys"), 0700u);
  EXPECT_EQ(mode_of(node_key_path(dir, "KAL-RC")), 0600u);
  EXPECT_EQ(mode_of(public_key_path(dir, "KAL-RC", 1)), 0644u);
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_NE(e.path().filename().string().front(), '.') << "temporary file left: " << e.path();

  auto loaded = load_node(dir, "KAL-RC");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  EXPECT_EQ(loaded->record, keys->record);
  EXPECT_EQ(loaded->agreement.public_key(), keys->agreement.public_key());
  // init never replaces.
  auto again = init_node(dir, "KAL-RC", "KAL", kNow, kYear, std::nullopt);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::duplicate_id);
  EXPECT_EQ(load_node(dir, "KAL-RC")->record, keys->record);
}

TEST(KeyDir, OpenSecretFilesAreRefusedWithTheFix) {
  TempDir tmp;
  ASSERT_TRUE(init_node(tmp.path(), "KAL-RC", "KAL", kNow, kYear, seed_of(1)).has_value());
  const fs::path key = node_key_path(tmp.path(), "KAL-RC");
  const struct {
    unsigned mode;
    const char* why;
  } cases[] = {{0644, "(group/other may read it)"}, {0640, "(group/other may read it)"}, {0604, "(group/other may read it)"},
               {0620, "(group/other may change it)"}, {0602, "(group/other may change it)"},
               {0610, "(group/other have permission bits)"}, {0601, "(group/other have permission bits)"}};
  for (const auto& c : cases) {
    ASSERT_EQ(::chmod(key.c_str(), c.mode), 0);
    auto r = load_node(tmp.path(), "KAL-RC");
    ASSERT_FALSE(r.has_value()) << c.mode;
    char expected[128];
    std::snprintf(expected, sizeof expected, ": permissions %04o are too open %s; chmod 600 ", c.mode, c.why);
    EXPECT_NE(r.error().to_string().find(key.string() + expected + key.string()), std::string::npos)
        << r.error().to_string();
  }
  ASSERT_EQ(::chmod(key.c_str(), 0400), 0);  // read-only for the owner is fine
  EXPECT_TRUE(load_node(tmp.path(), "KAL-RC").has_value());
  ASSERT_EQ(::chmod(key.c_str(), 0600), 0);
  EXPECT_TRUE(load_node(tmp.path(), "KAL-RC").has_value());
}

TEST(KeyDir, SymlinksAndNonFilesAreRefused) {
  TempDir tmp;
  ASSERT_TRUE(init_node(tmp.path(), "KAL-RC", "KAL", kNow, kYear, seed_of(1)).has_value());
  const fs::path key = node_key_path(tmp.path(), "KAL-RC");
  const fs::path real = tmp.path() / "elsewhere";
  fs::rename(key, real);
  fs::create_symlink(real, key);
  auto r = load_node(tmp.path(), "KAL-RC");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().to_string().find(key.string() + ": is a symbolic link"), std::string::npos) << r.error().to_string();

  fs::remove(key);
  fs::create_directory(key);
  r = load_node(tmp.path(), "KAL-RC");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().to_string().find("is a directory, not a regular file"), std::string::npos) << r.error().to_string();

  fs::remove(key);
  ASSERT_EQ(::mkfifo(key.c_str(), 0600), 0);
  r = load_node(tmp.path(), "KAL-RC");  // must not block on the FIFO
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().to_string().find("is a FIFO"), std::string::npos) << r.error().to_string();

  fs::remove(key);
  r = load_node(tmp.path(), "KAL-RC");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().to_string().find(key.string() + ": does not exist"), std::string::npos) << r.error().to_string();

  // A symlinked .pub is refused by the keyring too.
  const fs::path pub = public_key_path(tmp.path(), "KAL-RC", 1);
  fs::rename(pub, tmp.path() / "pub-elsewhere");
  fs::create_symlink(tmp.path() / "pub-elsewhere", pub);
  auto ring = Keyring::load(tmp.path());
  ASSERT_FALSE(ring.has_value());
  EXPECT_NE(ring.error().to_string().find(pub.string() + ": is a symbolic link"), std::string::npos);
}

TEST(KeyDir, GroupOrOtherWritableDirectoriesAreRefused) {
  TempDir tmp;
  ASSERT_TRUE(init_node(tmp.path(), "KAL-RC", "KAL", kNow, kYear, seed_of(1)).has_value());
  for (const unsigned mode : {0770u, 0702u, 0777u, 01777u}) {
    ASSERT_EQ(::chmod(tmp.path().c_str(), mode), 0);
    char expected[96];
    std::snprintf(expected, sizeof expected, ": directory permissions %04o let group/other add or replace key files; chmod 700 ", mode);
    const std::string want = tmp.path().string() + expected + tmp.path().string();
    auto l = load_node(tmp.path(), "KAL-RC");
    ASSERT_FALSE(l.has_value());
    EXPECT_NE(l.error().to_string().find(want), std::string::npos) << l.error().to_string();
    EXPECT_FALSE(Keyring::load(tmp.path()).has_value());
    EXPECT_FALSE(init_node(tmp.path(), "MOR-RC", "MOR", kNow, kYear, std::nullopt).has_value());
    EXPECT_FALSE(rotate_node(tmp.path(), "KAL-RC", kNow, kYear).has_value());
    EXPECT_FALSE(revoke_key(tmp.path(), "KAL-RC", 1, "test", kNow).has_value());
  }
  ASSERT_EQ(::chmod(tmp.path().c_str(), 0755), 0);  // readable by others is fine
  EXPECT_TRUE(load_node(tmp.path(), "KAL-RC").has_value());
  EXPECT_FALSE(fs::exists(public_key_path(tmp.path(), "MOR-RC", 1)));
  ASSERT_EQ(::chmod(tmp.path().c_str(), 0700), 0);
}

TEST(KeyDir, ASecretFileOfAnotherUserIsRefused) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give a file to another user";
  TempDir tmp;
  ASSERT_TRUE(init_node(tmp.path(), "KAL-RC", "KAL", kNow, kYear, seed_of(1)).has_value());
  const fs::path key = node_key_path(tmp.path(), "KAL-RC");
  ASSERT_EQ(::chown(key.c_str(), 65534, 65534), 0);
  auto r = load_node(tmp.path(), "KAL-RC");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().to_string().find("is owned by uid 65534, not by this user (uid 0)"), std::string::npos)
      << r.error().to_string();
}

TEST(KeyDir, OversizeFilesAreRefusedBeforeTheyAreRead) {
  TempDir tmp;
  ASSERT_TRUE(init_node(tmp.path(), "KAL-RC", "KAL", kNow, kYear, seed_of(1)).has_value());
  const fs::path pub = public_key_path(tmp.path(), "KAL-RC", 1);
  write_plain(pub, read_plain(pub) + std::string(kMaxKeyFileBytes, '#'), 0644);
  auto ring = Keyring::load(tmp.path());
  ASSERT_FALSE(ring.has_value());
  EXPECT_NE(ring.error().to_string().find(pub.string() + ": is "), std::string::npos);
  EXPECT_NE(ring.error().message.find("larger than the limit of 4096 bytes"), std::string::npos) << ring.error().to_string();
}

// ---------------------------------------------------------------- the keyring

TEST(Keyring, LoadsEveryPublicFileAndRefusesBadOnes) {
  TempDir tmp;
  ASSERT_TRUE(init_node(tmp.path(), "KAL-RC", "KAL", kNow, kYear, seed_of(1)).has_value());
  ASSERT_TRUE(init_node(tmp.path(), "MOR-RC", "MOR", kNow, kYear, seed_of(2)).has_value());
  auto ring = Keyring::load(tmp.path());
  ASSERT_TRUE(ring.has_value()) << ring.error().to_string();
  ASSERT_EQ(ring->records().size(), 2u);
  EXPECT_EQ(ring->records()[0].node, "KAL-RC");
  EXPECT_EQ(ring->current("MOR-RC")->party, "MOR");
  EXPECT_EQ(ring->current("ZUL-RC"), nullptr);
  EXPECT_TRUE(ring->revocations().empty());

  // A changed .pub is an error naming it, not skipped.
  const fs::path pub = public_key_path(tmp.path(), "MOR-RC", 1);
  const std::string good = read_plain(pub);
  write_plain(pub, with_value(good, "expires", format_utc(kNow + 2 * kYear)), 0644);
  auto bad = Keyring::load(tmp.path());
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(located(bad.error(), pub.string(), 10));
  EXPECT_NE(bad.error().message.find("self-signature"), std::string::npos);
  write_plain(pub, good, 0644);

  // A .pub under another name than its content's.
  const fs::path misnamed = public_key_path(tmp.path(), "MOR-RC", 7);
  write_plain(misnamed, good, 0644);
  bad = Keyring::load(tmp.path());
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().to_string().find(misnamed.string() + ": holds node MOR-RC generation 1, so it must be named MOR-RC.1.pub"),
            std::string::npos)
      << bad.error().to_string();
  fs::remove(misnamed);
  write_plain(tmp.path() / "notes.pub", good, 0644);
  bad = Keyring::load(tmp.path());
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().to_string().find("notes.pub: not named <node>.<generation>.pub"), std::string::npos);
  fs::remove(tmp.path() / "notes.pub");
  EXPECT_TRUE(Keyring::load(tmp.path()).has_value());
}

TEST(Keyring, RefusesConflictingRecords) {
  Keyring ring;
  const NodeKeys k = keys_of("KAL-RC", "KAL", 1, 1);
  ASSERT_TRUE(ring.add(k.record).has_value());
  EXPECT_TRUE(ring.add(k.record).has_value());  // identical: nothing happens
  EXPECT_EQ(ring.records().size(), 1u);
  // Same key (same seed, node, generation), other content: same id.
  const NodeKeys later = keys_of("KAL-RC", "KAL", 1, 1, kNow + 5);
  ASSERT_EQ(later.record.id, k.record.id);
  auto r = ring.add(later.record);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::duplicate_id);
  // Another key for the same node and generation.
  r = ring.add(keys_of("KAL-RC", "KAL", 1, 9).record);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("node KAL-RC already has a key of generation 1"), std::string::npos);
  // A node does not change party.
  r = ring.add(keys_of("KAL-RC", "MOR", 2, 1).record);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("node KAL-RC is of party KAL (generation 1), not MOR"), std::string::npos);
  // A record whose self-signature fails.
  PublicKeyRecord forged = keys_of("MOR-RC", "MOR", 1, 3).record;
  forged.created_unix_s -= 100;
  EXPECT_FALSE(ring.add(forged).has_value());
  EXPECT_EQ(ring.records().size(), 1u);
}

TEST(Keyring, UsableSaysWhyNot) {
  Keyring ring;
  const NodeKeys k = keys_of("KAL-RC", "KAL", 2, 1, kNow, kDay);
  ASSERT_TRUE(ring.add(k.record).has_value());
  const std::string who = "key " + k.record.id.hex() + " of node KAL-RC (generation 2)";
  EXPECT_EQ(*ring.usable(k.record.id, kNow), ring.find(k.record.id));
  EXPECT_TRUE(ring.usable(k.record.id, kNow + kDay - 1).has_value());
  auto r = ring.usable(k.record.id, kNow + kDay);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, who + " expired at 2026-06-02T00:00:00Z");
  EXPECT_EQ(ring.status(k.record, kNow + kDay), KeyStatus::expired);
  r = ring.usable(k.record.id, kNow - 1);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, who + " is not valid before 2026-06-01T00:00:00Z");
  EXPECT_EQ(ring.status(k.record, kNow - 1), KeyStatus::not_yet_valid);
  const NodeKeys stranger = keys_of("ZUL-RC", "ZUL", 1, 5);
  r = ring.usable(stranger.record.id, kNow);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::dangling_ref);
  EXPECT_EQ(r.error().message, "key " + stranger.record.id.hex() + " is not in the keyring");
}

// ---------------------------------------------------------------- life cycle

TEST(LifeCycle, RotateKeepsOldPublicKeysAndOldSignaturesVerify) {
  TempDir tmp;
  const fs::path& dir = tmp.path();
  const NodeKeys g1 = init_node(dir, "KAL-RC", "KAL", kNow, kYear, std::nullopt).value();
  const Label label = make_label();
  const Bytes payload = {1, 2, 3};
  const Binding old_binding = sign_labelled(label, payload, g1);
  EXPECT_EQ(old_binding.key, g1.record.id);

  auto g2 = rotate_node(dir, "KAL-RC", kNow + 100, kYear);
  ASSERT_TRUE(g2.has_value()) << g2.error().to_string();
  EXPECT_EQ(g2->record.generation, 2);
  EXPECT_EQ(g2->record.party, "KAL");
  EXPECT_NE(g2->record.id, g1.record.id);
  EXPECT_TRUE(fs::exists(public_key_path(dir, "KAL-RC", 1)));
  EXPECT_TRUE(fs::exists(public_key_path(dir, "KAL-RC", 2)));
  EXPECT_EQ(mode_of(node_key_path(dir, "KAL-RC")), 0600u);
  for (const auto& e : fs::directory_iterator(dir)) EXPECT_NE(e.path().filename().string().front(), '.') << e.path();

  const NodeKeys loaded = load_node(dir, "KAL-RC").value();
  EXPECT_EQ(loaded.record, g2->record);
  const Keyring ring = Keyring::load(dir).value();
  EXPECT_EQ(ring.current("KAL-RC")->generation, 2);
  EXPECT_EQ(ring.status(*ring.find("KAL-RC", 1), kNow + 200), KeyStatus::superseded);
  EXPECT_EQ(ring.status(*ring.find("KAL-RC", 2), kNow + 200), KeyStatus::valid);

  EXPECT_TRUE(verify_labelled(label, payload, old_binding, ring, kNow + 200).has_value());
  const Binding new_binding = sign_labelled(label, payload, loaded);
  EXPECT_EQ(new_binding.key, g2->record.id);
  EXPECT_TRUE(verify_labelled(label, payload, new_binding, ring, kNow + 200).has_value());

  EXPECT_TRUE(check_usable_for_signing(loaded, ring, kNow + 200).has_value());
  auto stale = check_usable_for_signing(g1, ring, kNow + 200);
  ASSERT_FALSE(stale.has_value());
  EXPECT_NE(stale.error().message.find("is superseded by generation 2"), std::string::npos) << stale.error().message;
}

TEST(LifeCycle, AnInterruptedRotationIsDetectedAndRepairedByRotatingAgain) {
  TempDir tmp;
  const fs::path& dir = tmp.path();
  ASSERT_TRUE(init_node(dir, "KAL-RC", "KAL", kNow, kYear, seed_of(1)).has_value());
  // The new .pub was written but the secret file not replaced.
  const NodeKeys orphan = keys_of("KAL-RC", "KAL", 2, 77);
  write_plain(public_key_path(dir, "KAL-RC", 2), encode_public_key_file(orphan.record), 0644);
  auto r = load_node(dir, "KAL-RC");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().to_string().find(public_key_path(dir, "KAL-RC", 2).string() + ": is newer than"), std::string::npos)
      << r.error().to_string();
  EXPECT_NE(r.error().message.find("jrads keys rotate"), std::string::npos);
  auto g3 = rotate_node(dir, "KAL-RC", kNow + 10, kYear);
  ASSERT_TRUE(g3.has_value()) << g3.error().to_string();
  EXPECT_EQ(g3->record.generation, 3);
  EXPECT_EQ(load_node(dir, "KAL-RC")->record, g3->record);

  // The .pub of the held generation missing or different.
  const fs::path pub3 = public_key_path(dir, "KAL-RC", 3);
  const std::string pub_text = read_plain(pub3);
  fs::remove(pub3);
  r = load_node(dir, "KAL-RC");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().to_string().find(pub3.string() + ": missing"), std::string::npos) << r.error().to_string();
  write_plain(pub3, encode_public_key_file(keys_of("KAL-RC", "KAL", 3, 5).record), 0644);
  r = load_node(dir, "KAL-RC");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().to_string().find(pub3.string() + ": does not match"), std::string::npos) << r.error().to_string();
  write_plain(pub3, pub_text, 0644);
  EXPECT_TRUE(load_node(dir, "KAL-RC").has_value());
}

TEST(LifeCycle, InitAfterALostSecretTakesTheNextGenerationOfTheSameParty) {
  TempDir tmp;
  const fs::path& dir = tmp.path();
  ASSERT_TRUE(init_node(dir, "KAL-RC", "KAL", kNow, kYear, seed_of(1)).has_value());
  fs::remove(node_key_path(dir, "KAL-RC"));
  auto other_party = init_node(dir, "KAL-RC", "MOR", kNow, kYear, std::nullopt);
  ASSERT_FALSE(other_party.has_value());
  EXPECT_NE(other_party.error().message.find("node KAL-RC is of party KAL, not MOR"), std::string::npos);
  auto again = init_node(dir, "KAL-RC", "KAL", kNow + 5, kYear, std::nullopt);
  ASSERT_TRUE(again.has_value()) << again.error().to_string();
  EXPECT_EQ(again->record.generation, 2);
  EXPECT_EQ(load_node(dir, "KAL-RC")->record, again->record);
  // Bad arguments.
  EXPECT_FALSE(init_node(dir, "kal", "KAL", kNow, kYear, std::nullopt).has_value());
  EXPECT_FALSE(init_node(dir, "ZUL-RC", "ZU", kNow, 0, std::nullopt).has_value());
  EXPECT_FALSE(fs::exists(node_key_path(dir, "ZUL-RC")));
  EXPECT_FALSE(load_node(dir, "NOBODY").has_value());
}

TEST(LifeCycle, RevocationMakesTheKeyUnusableWithTheReason) {
  TempDir tmp;
  const fs::path& dir = tmp.path();
  ASSERT_TRUE(init_node(dir, "KAL-RC", "KAL", kNow, kYear, seed_of(1)).has_value());
  const NodeKeys g2 = rotate_node(dir, "KAL-RC", kNow + 10, kYear).value();
  ASSERT_TRUE(init_node(dir, "MOR-RC", "MOR", kNow, kYear, seed_of(2)).has_value());
  const Label label = make_label();
  const Bytes payload = {9, 8, 7};
  const Binding binding = sign_labelled(label, payload, g2);

  const std::int64_t at = parse_utc("2026-12-01T18:00:00Z").value();
  auto rev = revoke_key(dir, "KAL-RC", 2, "compromised laptop", at);
  ASSERT_TRUE(rev.has_value()) << rev.error().to_string();
  EXPECT_EQ(rev->signer, g2.record.id);  // the revoked key itself (the current one)
  EXPECT_EQ(mode_of(revocation_list_path(dir)), 0644u);

  const Keyring ring = Keyring::load(dir).value();
  ASSERT_EQ(ring.revocations().size(), 1u);
  EXPECT_EQ(ring.revocations()[0], *rev);
  const std::string why = "key " + g2.record.id.hex() +
                          " of node KAL-RC (generation 2) was revoked at 2026-12-01T18:00:00Z: compromised laptop";
  for (const std::int64_t when : {kNow + 20, at, at + 100}) {  // before the revocation too
    auto u = ring.usable(g2.record.id, when);
    ASSERT_FALSE(u.has_value());
    EXPECT_EQ(u.error().message, why);
    auto v = verify_labelled(label, payload, binding, ring, when);
    ASSERT_FALSE(v.has_value());
    EXPECT_EQ(v.error().message, why);
  }
  EXPECT_EQ(ring.status(g2.record, at), KeyStatus::revoked);
  auto own = check_usable_for_signing(g2, ring, at);
  ASSERT_FALSE(own.has_value());
  EXPECT_EQ(own.error().message, why);

  // Again: refused. An unknown generation: refused. Bad reasons: refused, nothing written.
  auto twice = revoke_key(dir, "KAL-RC", 2, "again", at);
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().code, Errc::duplicate_id);
  auto unknown = revoke_key(dir, "KAL-RC", 5, "no such key", at);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, Errc::dangling_ref);
  for (const std::string& bad : {std::string(), std::string("two\nlines"), std::string(201, 'x'), std::string("tab\there"),
                                std::string(" leading"), std::string("trailing "), std::string("caf\xc3\xa9")}) {
    EXPECT_FALSE(revoke_key(dir, "KAL-RC", 1, bad, at).has_value()) << bad;
  }
  EXPECT_TRUE(revoke_key(dir, "KAL-RC", 1, std::string(200, 'x'), at).has_value());  // 200 is the limit
  const Keyring ring2 = Keyring::load(dir).value();
  EXPECT_EQ(ring2.revocations().size(), 2u);
  EXPECT_EQ(ring2.revocation(ring2.find("KAL-RC", 1)->id)->signer, g2.record.id);  // the successor revoked it
  EXPECT_TRUE(ring2.usable(ring2.find("MOR-RC", 1)->id, at).has_value());        // other nodes untouched
  // A node whose current key is revoked rotates to a fresh one.
  const NodeKeys g3 = rotate_node(dir, "KAL-RC", at + 1, kYear).value();
  EXPECT_TRUE(check_usable_for_signing(g3, Keyring::load(dir).value(), at + 2).has_value());
}

TEST(LifeCycle, ExpiredAndNotYetValidOwnKeysAreRefusedForSigning) {
  TempDir tmp;
  const NodeKeys k = init_node(tmp.path(), "KAL-RC", "KAL", kNow, kDay, std::nullopt).value();
  const Keyring ring = Keyring::load(tmp.path()).value();
  EXPECT_TRUE(check_usable_for_signing(k, ring, kNow).has_value());
  auto r = check_usable_for_signing(k, ring, kNow + kDay);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("expired at 2026-06-02T00:00:00Z"), std::string::npos) << r.error().message;
  r = check_usable_for_signing(k, ring, kNow - 1);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("is not valid before 2026-06-01T00:00:00Z"), std::string::npos);
  const Binding b = sign_labelled(make_label(), {}, k);
  EXPECT_TRUE(verify_labelled(make_label(), {}, b, ring, kNow + kDay - 1).has_value());
  auto v = verify_labelled(make_label(), {}, b, ring, kNow + kDay);
  ASSERT_FALSE(v.has_value());
  EXPECT_NE(v.error().message.find("expired at"), std::string::npos);
  // Keys not in the keyring are refused too.
  auto stranger = check_usable_for_signing(keys_of("ZUL-RC", "ZUL", 1, 4), ring, kNow);
  ASSERT_FALSE(stranger.has_value());
  EXPECT_NE(stranger.error().message.find("is not in the keyring"), std::string::npos);
}

// ---------------------------------------------------------------- forged revocations

TEST(Revocations, ForgedOnesAreRefused) {
  Keyring ring;
  const NodeKeys g1 = keys_of("KAL-RC", "KAL", 1, 1), g2 = keys_of("KAL-RC", "KAL", 2, 1);
  const NodeKeys mor = keys_of("MOR-RC", "MOR", 1, 2);
  for (const auto* k : {&g1, &g2, &mor}) ASSERT_TRUE(ring.add(k->record).has_value());

  // make_revocation itself refuses another node and an older generation.
  EXPECT_FALSE(make_revocation(g1.record, "x", kNow, mor).has_value());
  EXPECT_FALSE(make_revocation(g2.record, "x", kNow, g1).has_value());
  EXPECT_FALSE(make_revocation(g1.record, "", kNow, g2).has_value());

  const Revocation good = make_revocation(g1.record, "lost", kNow, g2).value();
  Revocation wrong_signer = good;
  wrong_signer.signer = mor.record.id;  // signed by MOR's key instead
  wrong_signer.signature = make_revocation(mor.record, "lost", kNow, mor)->signature;
  auto r = ring.add(wrong_signer);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("only a key of the same node may revoke it"), std::string::npos) << r.error().message;

  Revocation older = make_revocation(g2.record, "lost", kNow, g2).value();
  older.signer = g1.record.id;
  r = ring.add(older);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("is signed by generation 1: only the key itself or a later generation"),
            std::string::npos)
      << r.error().message;

  Revocation changed = good;
  changed.reason = "lust";
  r = ring.add(changed);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("the signature does not verify"), std::string::npos);
  changed = good;
  changed.revoked_unix_s += 1;
  EXPECT_FALSE(ring.add(changed).has_value());
  changed = good;
  changed.generation = 2;
  EXPECT_FALSE(ring.add(changed).has_value());
  changed = good;
  changed.signer = keys_of("KAL-RC", "KAL", 3, 1).record.id;  // not in the keyring
  r = ring.add(changed);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::dangling_ref);
  EXPECT_TRUE(ring.revocations().empty());
  EXPECT_TRUE(ring.usable(g1.record.id, kNow).has_value());

  ASSERT_TRUE(ring.add(good).has_value());
  EXPECT_TRUE(ring.add(good).has_value());  // identical: nothing happens
  EXPECT_EQ(ring.revocations().size(), 1u);
  Revocation second = make_revocation(g1.record, "another reason", kNow, g2).value();
  r = ring.add(second);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::duplicate_id);
}

TEST(Revocations, TheListFileIsStrictAndItsSignaturesAreChecked) {
  TempDir tmp;
  const fs::path& dir = tmp.path();
  ASSERT_TRUE(init_node(dir, "KAL-RC", "KAL", kNow, kYear, seed_of(1)).has_value());
  ASSERT_TRUE(rotate_node(dir, "KAL-RC", kNow + 1, kYear).has_value());
  ASSERT_TRUE(revoke_key(dir, "KAL-RC", 1, "old laptop sold", kNow + 2).has_value());
  ASSERT_TRUE(revoke_key(dir, "KAL-RC", 2, "compromised laptop", kNow + 3).has_value());
  const fs::path list = revocation_list_path(dir);
  const std::string good = read_plain(list);
  EXPECT_EQ(good.rfind("jrads-revocations 1\nrevocation 1\nid ", 0), 0u) << good;
  EXPECT_EQ(split_lines(good).size(), 17u);

  const auto check = [&](const std::string& text) -> Result<void> {
    write_plain(list, text, 0644);
    auto ring = Keyring::load(dir);
    if (!ring) return fail(ring.error());
    return {};
  };
  expect_hostile_rejected(good, list.string(), check, kMaxRevocationListBytes);
  // A forged entry: reason changed after signing, at the entry's line.
  auto r = check(with_value(good, "reason", "nothing happened"));
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(located(r.error(), list.string(), 2));
  EXPECT_NE(r.error().message.find("signature does not verify"), std::string::npos);
  // Entries out of number.
  auto lines = split_lines(good);
  lines[9] = "revocation 3";
  r = check(join_lines(lines));
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(located(r.error(), list.string(), 10));
  // An empty list is fine.
  EXPECT_TRUE(check("jrads-revocations 1\n").has_value());
  EXPECT_TRUE(check(good).has_value());
}

// ---------------------------------------------------------------- labelled signatures

TEST(LabelledSignature, EveryFlippedBitOfLabelOrPayloadFails) {
  Keyring ring;
  const NodeKeys k = keys_of("KAL-RC", "KAL", 1, 1);
  ASSERT_TRUE(ring.add(k.record).has_value());
  const Label label = make_label();
  const std::string text = to_text(label);
  ASSERT_EQ(text, "JRADS; SECRET; REL TO KAL, MOR; CAT AIR-PICTURE, ORDERS; ORIG KAL; T 1530.25");
  Bytes payload(32);
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i * 37);
  const Binding b = sign_labelled(label, payload, k);
  ASSERT_TRUE(verify_labelled(label, payload, b, ring, kNow).has_value());

  int still_labels = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string t = text;
      t[i] = static_cast<char>(t[i] ^ (1 << bit));
      auto changed = parse_label(t);
      if (!changed) continue;  // no longer a label at all: cannot even be presented
      ++still_labels;
      auto v = verify_labelled(*changed, payload, b, ring, kNow);
      ASSERT_FALSE(v.has_value()) << t;
      EXPECT_NE(v.error().message.find("does not match this label and payload"), std::string::npos);
    }
  }
  EXPECT_GT(still_labels, 10);  // e.g. other digits of the time, other party letters
  for (std::size_t i = 0; i < payload.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes p = payload;
      p[i] ^= static_cast<std::uint8_t>(1 << bit);
      ASSERT_FALSE(verify_labelled(label, p, b, ring, kNow).has_value()) << i << ":" << bit;
    }
  }
  EXPECT_FALSE(verify_labelled(label, Bytes(payload.begin(), payload.end() - 1), b, ring, kNow).has_value());
  Bytes longer = payload;
  longer.push_back(0);
  EXPECT_FALSE(verify_labelled(label, longer, b, ring, kNow).has_value());
  for (std::size_t i = 0; i < b.signature.bytes.size(); i += 7) {
    Binding s = b;
    s.signature.bytes[i] ^= 0x10;
    EXPECT_FALSE(verify_labelled(label, payload, s, ring, kNow).has_value());
  }
  // Another node's key id on the same signature: that key does not verify it.
  const NodeKeys mor = keys_of("MOR-RC", "MOR", 1, 2);
  ASSERT_TRUE(ring.add(mor.record).has_value());
  EXPECT_FALSE(verify_labelled(label, payload, Binding{mor.record.id, b.signature}, ring, kNow).has_value());
  // An invalid label is refused before any key is looked at.
  Label invalid = label;
  invalid.categories = 0;
  EXPECT_FALSE(verify_labelled(invalid, payload, b, ring, kNow).has_value());
}

TEST(LabelledSignature, NoByteCanMoveBetweenLabelAndPayload) {
  Keyring ring;
  const NodeKeys k = keys_of("KAL-RC", "KAL", 1, 1);
  ASSERT_TRUE(ring.add(k.record).has_value());
  Label t1 = make_label(), t15 = make_label();
  t1.time = SimTime::from_ns(1'000'000'000);
  t15.time = SimTime::from_ns(15'000'000'000);
  ASSERT_EQ(to_text(t15), to_text(t1) + "5");
  const Bytes five = {'5'};
  const Binding b = sign_labelled(t1, five, k);
  EXPECT_TRUE(verify_labelled(t1, five, b, ring, kNow).has_value());
  EXPECT_FALSE(verify_labelled(t15, {}, b, ring, kNow).has_value());
  const Binding b2 = sign_labelled(t15, {}, k);
  EXPECT_FALSE(verify_labelled(t1, five, b2, ring, kNow).has_value());
}

}  // namespace
}  // namespace jrads::security
