// Per-party data keys and sealed files (sealed_file.hpp): round trips, wrong keys, every header
// field and byte changed, truncation at every length, appended bytes, hostile key files and
// permissions.
#include "jrads/security/sealed_file.hpp"

#include <gtest/gtest.h>

#include "security/temp_dir.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

namespace jrads::security {
namespace {

namespace fs = std::filesystem;

// A scratch directory for one test.
struct TempDir : test::TempDir {
  TempDir() : test::TempDir("jrads-sealed-test-") {}
};

KeySeed seed_of(std::uint8_t b) {
  KeySeed s;
  s.fill(b);
  return s;
}

SymmetricKey key_of(std::uint8_t b) {
  SymmetricKey k;
  for (auto& x : k.bytes()) x = b;
  return k;
}

bool same_key(const SymmetricKey& a, const SymmetricKey& b) {
  return std::equal(a.bytes().begin(), a.bytes().end(), b.bytes().begin());
}

Label make_label() {
  Label l;
  l.level = Level::secret;
  l.rel_to = {"MOR"};
  l.categories = category_bit(Category::air_picture);
  l.originator = "KAL";
  l.time = SimTime::from_ns(1'530'250'000'000);
  return l;
}

unsigned mode_of(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::lstat(p.c_str(), &st), 0) << p;
  return st.st_mode & 07777;
}

Bytes read_bytes(const fs::path& p) {
  const std::string s = read_file_checked(p, FileRead{1 << 20, false, true}).value();
  return Bytes(s.begin(), s.end());
}

void write_bytes(const fs::path& p, const Bytes& b) { ASSERT_TRUE(write_file_atomically(p, b, 0600, true).has_value()); }

std::string header_of(const Bytes& sealed) {
  const std::string s(sealed.begin(), sealed.end());
  std::size_t end = 0;
  for (int k = 0; k < 6; ++k) end = s.find('\n', end) + 1;
  return s.substr(0, end);
}

// Replaces the value of a header line.
Bytes with_header_value(const Bytes& sealed, const std::string& key, const std::string& value) {
  const std::string header = header_of(sealed);
  const std::size_t at = header.find("\n" + key + " ") + 1;
  const std::size_t end = header.find('\n', at);
  std::string changed = header.substr(0, at) + key + " " + value + header.substr(end);
  Bytes out(changed.begin(), changed.end());
  out.insert(out.end(), sealed.begin() + static_cast<std::ptrdiff_t>(header.size()), sealed.end());
  return out;
}

// ---------------------------------------------------------------- data keys

TEST(DataKey, InitLoadAndNeverReplace) {
  TempDir tmp;
  const fs::path dir = tmp.path() / "keys";
  auto k = init_party_data_key(dir, "KAL", std::nullopt);
  ASSERT_TRUE(k.has_value()) << k.error().to_string();
  EXPECT_EQ(mode_of(dir), 0700u);
  EXPECT_EQ(mode_of(data_key_path(dir, "KAL")), 0600u);
  auto loaded = load_party_data_key(dir, "KAL");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  EXPECT_TRUE(same_key(*k, *loaded));
  auto again = init_party_data_key(dir, "KAL", std::nullopt);
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, Errc::duplicate_id);
  EXPECT_TRUE(same_key(*load_party_data_key(dir, "KAL"), *k));  // untouched
  EXPECT_FALSE(load_party_data_key(dir, "MOR").has_value());
  EXPECT_FALSE(init_party_data_key(dir, "NONE", std::nullopt).has_value());
  // A file of another party under this party's name.
  fs::copy_file(data_key_path(dir, "KAL"), data_key_path(dir, "MOR"));
  auto wrong = load_party_data_key(dir, "MOR");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_NE(wrong.error().message.find("holds the data key of party KAL, not MOR"), std::string::npos);
}

TEST(DataKey, SeededKeysDependOnTheParty) {
  TempDir a, b;
  const SymmetricKey kal1 = init_party_data_key(a.path(), "KAL", seed_of(3)).value();
  const SymmetricKey mor1 = init_party_data_key(a.path(), "MOR", seed_of(3)).value();
  const SymmetricKey kal2 = init_party_data_key(b.path(), "KAL", seed_of(3)).value();
  const SymmetricKey kal3 = init_party_data_key(b.path(), "ZUL", seed_of(4)).value();
  EXPECT_TRUE(same_key(kal1, kal2));
  EXPECT_FALSE(same_key(kal1, mor1));
  EXPECT_FALSE(same_key(kal1, kal3));
  EXPECT_NE(data_key_id("KAL", kal1), data_key_id("MOR", mor1));
  EXPECT_NE(data_key_id("KAL", kal1), data_key_id("MOR", kal1));  // the id binds the party
}

TEST(DataKey, PermissionsAreChecked) {
  TempDir tmp;
  ASSERT_TRUE(init_party_data_key(tmp.path(), "KAL", std::nullopt).has_value());
  const fs::path p = data_key_path(tmp.path(), "KAL");
  ASSERT_EQ(::chmod(p.c_str(), 0644), 0);
  auto r = load_party_data_key(tmp.path(), "KAL");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().to_string().find(p.string() + ": permissions 0644 are too open (group/other may read it); chmod 600 " +
                                       p.string()),
            std::string::npos)
      << r.error().to_string();
  ASSERT_EQ(::chmod(p.c_str(), 0600), 0);
  fs::rename(p, tmp.path() / "real");
  fs::create_symlink(tmp.path() / "real", p);
  r = load_party_data_key(tmp.path(), "KAL");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().to_string().find("is a symbolic link"), std::string::npos);
  fs::remove(p);
  fs::rename(tmp.path() / "real", p);
  ASSERT_EQ(::chmod(tmp.path().c_str(), 0770), 0);
  r = load_party_data_key(tmp.path(), "KAL");
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("directory permissions 0770"), std::string::npos);
  ASSERT_EQ(::chmod(tmp.path().c_str(), 0700), 0);
  EXPECT_TRUE(load_party_data_key(tmp.path(), "KAL").has_value());
}

TEST(DataKey, HostileFileContentsAreRejectedWithFileAndLine) {
  const SymmetricKey key = key_of(0x5a);
  const std::string good = encode_data_key_file({"KAL", key});
  ASSERT_EQ(good.rfind("jrads-data-key 1\nparty KAL\nid ", 0), 0u);
  const std::string secret = to_hex(key.bytes());
  const auto check = [&](const std::string& text, int line) {
    auto r = decode_data_key_file(text, "K.data.key");
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().where.file, "K.data.key");
    if (line > 0) {
      EXPECT_EQ(r.error().where.line, line) << r.error().to_string();
    }
    EXPECT_EQ(r.error().to_string().find(secret.substr(0, 8)), std::string::npos) << r.error().to_string();
  };
  ASSERT_TRUE(decode_data_key_file(good, "K.data.key").has_value());
  EXPECT_TRUE(same_key(decode_data_key_file(good, "K.data.key")->key, key));
  std::vector<std::string> lines;
  for (std::size_t pos = 0; pos < good.size();) {
    const std::size_t nl = good.find('\n', pos);
    lines.push_back(good.substr(pos, nl - pos));
    pos = nl + 1;
  }
  ASSERT_EQ(lines.size(), 4u);
  const auto join = [](const std::vector<std::string>& ls) {
    std::string s;
    for (const auto& l : ls) s += l + "\n";
    return s;
  };
  for (int k = 1; k <= 4; ++k) {
    auto removed = lines;
    removed.erase(removed.begin() + (k - 1));
    check(join(removed), k);
    auto duplicated = lines;
    duplicated.insert(duplicated.begin() + k, lines[k - 1]);
    check(join(duplicated), k + 1);
    auto cut = lines;
    cut[k - 1] = cut[k - 1].substr(0, cut[k - 1].size() / 2);
    check(join(cut), k);
  }
  std::string flipped = lines[3];
  flipped.back() = flipped.back() == '0' ? '1' : '0';
  check(join({lines[0], lines[1], lines[2], flipped}), 4);  // key does not match its id
  check(join({lines[0], lines[1], "id " + std::string(16, 'G'), lines[3]}), 3);
  std::string upper = lines[3];
  for (char& c : upper)
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  check(join({lines[0], lines[1], lines[2], upper}), 4);
  check(join({lines[0], "party kal", lines[2], lines[3]}), 2);
  check(join({lines[0], "party MOR", lines[2], lines[3]}), 4);  // another party: the id no longer fits
  check(join({"jrads-data-key 2", lines[1], lines[2], lines[3]}), 1);
  check(good + "junk 1\n", 5);
  check(good.substr(0, good.size() - 1), 4);
  std::string crlf;
  for (const char c : good) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  check(crlf, 1);
  std::string nul = good;
  nul[good.find("KAL")] = '\0';
  check(nul, 2);
  check("", 1);
  check(good + std::string(kMaxKeyFileBytes, 'x') + "\n", 0);
}

// ---------------------------------------------------------------- sealed bytes

TEST(Sealed, RoundTripsAtEverySmallSize) {
  const SymmetricKey key = key_of(1);
  const Label label = make_label();
  for (std::size_t n : {0u, 1u, 15u, 16u, 17u, 1000u}) {
    Bytes plain(n);
    for (std::size_t i = 0; i < n; ++i) plain[i] = static_cast<std::uint8_t>(i * 7 + 3);
    const Bytes sealed = encode_sealed(label, plain, "KAL", key).value();
    EXPECT_EQ(header_of(sealed).rfind("JRADS-SEALED-1\nlabel " + to_text(label) + "\nparty KAL\nkey " +
                                          data_key_id("KAL", key).hex() + "\nnonce ",
                                      0),
              0u);
    EXPECT_EQ(sealed.size(), header_of(sealed).size() + n + kAeadTagBytes);
    auto opened = decode_sealed(sealed, key);
    ASSERT_TRUE(opened.has_value()) << opened.error().to_string();
    EXPECT_EQ(opened->label, label);
    EXPECT_EQ(opened->party, "KAL");
    EXPECT_EQ(opened->plaintext, plain);
    const SealedHeader h = parse_sealed_header(sealed).value();
    EXPECT_EQ(h.ciphertext_bytes, n + kAeadTagBytes);
    EXPECT_EQ(h.header_bytes, header_of(sealed).size());
  }
  // A fresh nonce each time.
  EXPECT_NE(encode_sealed(label, Bytes{1}, "KAL", key).value(), encode_sealed(label, Bytes{1}, "KAL", key).value());
}

TEST(Sealed, EncodeRefusesWhatItMustNotSeal) {
  const SymmetricKey key = key_of(1);
  Label bad = make_label();
  bad.categories = 0;
  EXPECT_FALSE(encode_sealed(bad, Bytes{1}, "KAL", key).has_value());
  EXPECT_FALSE(encode_sealed(make_label(), Bytes{1}, "kal", key).has_value());
  // REL TO MOR, ORIG KAL: ZUL's data key holders must not be able to read it.
  auto r = encode_sealed(make_label(), Bytes{1}, "ZUL", key);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("is not releasable to ZUL"), std::string::npos);
  EXPECT_TRUE(encode_sealed(make_label(), Bytes{1}, "MOR", key).has_value());
}

TEST(Sealed, AWrongKeyIsNamed) {
  const Bytes sealed = encode_sealed(make_label(), Bytes{1, 2, 3}, "KAL", key_of(1)).value();
  auto r = decode_sealed(sealed, key_of(2), "f.sealed");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().to_string(), "f.sealed: sealed under data key " + data_key_id("KAL", key_of(1)).hex() +
                                       " of party KAL, but the key given is " + data_key_id("KAL", key_of(2)).hex());
}

TEST(Sealed, EveryChangedHeaderFieldFails) {
  const SymmetricKey key = key_of(1);
  const Bytes sealed = encode_sealed(make_label(), Bytes{1, 2, 3, 4}, "KAL", key).value();
  const std::string nonce = parse_sealed_header(sealed).value().nonce[0] == 0 ? "01" : "00";
  const std::string old_nonce = to_hex(parse_sealed_header(sealed)->nonce);
  Label other = make_label();
  other.level = Level::confidential;
  const struct {
    std::string key, value;
  } changes[] = {
      {"label", to_text(other)},                           // still valid, still releasable to KAL
      {"party", "MOR"},                                    // releasable too
      {"key", data_key_id("KAL", key_of(9)).hex()},               // another key's id
      {"nonce", nonce + old_nonce.substr(2)},              // another nonce
      {"size", "21"},                                      // and a lie about the size
      {"label", "JRADS; SECRET; REL TO MOR; CAT AIR-PICTURE; ORIG KAL; T 1530.26"},
  };
  for (const auto& c : changes) {
    auto r = decode_sealed(with_header_value(sealed, c.key, c.value), key);
    EXPECT_FALSE(r.has_value()) << c.key << " " << c.value;
  }
  // Every single bit of the whole file.
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes b = sealed;
      b[i] ^= static_cast<std::uint8_t>(1 << bit);
      ASSERT_FALSE(decode_sealed(b, key).has_value()) << i << ":" << bit;
    }
  }
  auto r = decode_sealed(with_header_value(sealed, "nonce", nonce + old_nonce.substr(2)), key);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("authentication failed"), std::string::npos) << r.error().to_string();
}

TEST(Sealed, TruncationAtEveryLengthAndAppendedBytesFail) {
  const SymmetricKey key = key_of(1);
  const Bytes sealed = encode_sealed(make_label(), Bytes{10, 20, 30, 40, 50}, "KAL", key).value();
  const std::size_t header = parse_sealed_header(sealed)->header_bytes;
  for (std::size_t n = 0; n < sealed.size(); ++n) {
    auto r = decode_sealed(ByteView(sealed).first(n), key, "f.sealed");
    ASSERT_FALSE(r.has_value()) << n;
    EXPECT_EQ(r.error().where.file, "f.sealed");
    if (n >= header) {
      EXPECT_EQ(r.error().code, Errc::truncated) << n << ": " << r.error().to_string();
    }
  }
  auto r = decode_sealed(ByteView(sealed).first(header + 3), key, "f.sealed");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().to_string(), "f.sealed: the ciphertext is 3 bytes but the header says 21 (the file is truncated)");
  Bytes longer = sealed;
  longer.push_back(0);
  r = decode_sealed(longer, key, "f.sealed");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().to_string(), "f.sealed: 1 byte after the ciphertext");
}

TEST(Sealed, HostileHeadersAreRefusedWithinTheCaps) {
  const SymmetricKey key = key_of(1);
  const Bytes sealed = encode_sealed(make_label(), Bytes{1}, "KAL", key).value();
  const auto refused = [&](const Bytes& b, int line) {
    auto r = parse_sealed_header(b, "h");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().where.file, "h");
    if (line > 0) {
      EXPECT_EQ(r.error().where.line, line) << r.error().to_string();
    }
  };
  const auto text = [](const std::string& s) { return Bytes(s.begin(), s.end()); };
  refused(text("JRADS-SEALED-2\nlabel x\n"), 1);
  refused(text("not a sealed file at all"), 1);
  refused(text("JRADS-SEALED-1\n" + std::string(5000, 'a')), 0);  // no header end within the cap
  refused(with_header_value(sealed, "size", "017"), 6);
  refused(with_header_value(sealed, "size", "15"), 6);
  refused(with_header_value(sealed, "size", std::to_string(kMaxSealedPlaintextBytes + kAeadTagBytes + 1)), 6);
  refused(with_header_value(sealed, "size", "99999999999999999999"), 6);
  refused(with_header_value(sealed, "nonce", std::string(48, 'A')), 5);
  refused(with_header_value(sealed, "nonce", std::string(46, '0')), 5);
  refused(with_header_value(sealed, "key", "xyz"), 4);
  refused(with_header_value(sealed, "party", "ALLIANCE"), 3);
  refused(with_header_value(sealed, "party", "ZUL"), 3);  // the label is not releasable to it
  refused(with_header_value(sealed, "label", "JRADS; SECRET"), 2);
  std::string h = header_of(sealed);
  std::string crlf = h;
  crlf.insert(crlf.find('\n'), "\r");
  Bytes b = text(crlf);
  b.insert(b.end(), sealed.begin() + static_cast<std::ptrdiff_t>(h.size()), sealed.end());
  refused(b, 0);
  // Lines swapped.
  std::string swapped = h;
  const std::size_t p = swapped.find("party "), k = swapped.find("key ");
  swapped = swapped.substr(0, p) + swapped.substr(k, swapped.find('\n', k) + 1 - k) + swapped.substr(p, k - p) +
            swapped.substr(swapped.find('\n', k) + 1);
  b = text(swapped);
  b.insert(b.end(), sealed.begin() + static_cast<std::ptrdiff_t>(h.size()), sealed.end());
  refused(b, 3);
  refused({}, 1);
}

// ---------------------------------------------------------------- sealed files

TEST(SealedFile, WriteThenReadAndItsMode) {
  TempDir tmp;
  const SymmetricKey key = init_party_data_key(tmp.path() / "keys", "KAL", std::nullopt).value();
  const fs::path path = tmp.path() / "picture.sealed";
  const Bytes plain = {'t', 'r', 'a', 'c', 'k', 's'};
  ASSERT_TRUE(write_sealed(path, make_label(), plain, "KAL", key).has_value());
  EXPECT_EQ(mode_of(path), 0600u);
  auto opened = read_sealed(path, load_party_data_key(tmp.path() / "keys", "KAL").value());
  ASSERT_TRUE(opened.has_value()) << opened.error().to_string();
  EXPECT_EQ(opened->plaintext, plain);
  EXPECT_EQ(opened->label, make_label());
  // Overwriting replaces it whole; a refused write leaves the old file as it was.
  const Bytes before = read_bytes(path);
  Label bad = make_label();
  bad.originator = "kal";
  auto refused = write_sealed(path, bad, plain, "KAL", key);
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().where.file, path.string());
  EXPECT_EQ(read_bytes(path), before);
  ASSERT_TRUE(write_sealed(path, make_label(), Bytes{1}, "KAL", key).has_value());
  EXPECT_EQ(read_sealed(path, key)->plaintext, Bytes{1});
  for (const auto& e : fs::directory_iterator(tmp.path())) EXPECT_NE(e.path().filename().string().front(), '.') << e.path();
  EXPECT_FALSE(write_sealed(tmp.path() / "no" / "such" / "dir", make_label(), plain, "KAL", key).has_value());
}

TEST(SealedFile, DamagedFilesAndNonFilesNameTheFile) {
  TempDir tmp;
  const SymmetricKey key = key_of(4);
  const fs::path path = tmp.path() / "x.sealed";
  ASSERT_TRUE(write_sealed(path, make_label(), Bytes{1, 2, 3, 4, 5, 6, 7, 8}, "KAL", key).has_value());
  const Bytes good = read_bytes(path);
  const auto fails = [&](const std::string& what) {
    auto r = read_sealed(path, key);
    ASSERT_FALSE(r.has_value()) << what;
    EXPECT_EQ(r.error().to_string().rfind(path.string() + ":", 0), 0u) << what << ": " << r.error().to_string();
  };
  for (std::size_t n = 0; n < good.size(); n += 5) {
    write_bytes(path, Bytes(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(n)));
    fails("truncated to " + std::to_string(n));
  }
  Bytes appended = good;
  appended.push_back('\n');
  write_bytes(path, appended);
  fails("appended");
  Bytes damaged = good;
  damaged[damaged.size() - 20] ^= 1;
  write_bytes(path, damaged);
  fails("damaged ciphertext");
  write_bytes(path, good);
  auto wrong = read_sealed(path, key_of(5));
  ASSERT_FALSE(wrong.has_value());
  EXPECT_NE(wrong.error().to_string().find(path.string() + ": sealed under data key"), std::string::npos);
  EXPECT_TRUE(read_sealed(path, key).has_value());

  auto missing = read_sealed(tmp.path() / "nothing", key);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, Errc::io_error);
  EXPECT_EQ(missing.error().to_string(), (tmp.path() / "nothing").string() + ": does not exist");
  auto dir = read_sealed(tmp.path(), key);
  ASSERT_FALSE(dir.has_value());
  EXPECT_NE(dir.error().to_string().find("is a directory, not a regular file"), std::string::npos);
  const fs::path fifo = tmp.path() / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto f = read_sealed(fifo, key);  // must not block
  ASSERT_FALSE(f.has_value());
  EXPECT_NE(f.error().to_string().find("is a FIFO"), std::string::npos);
  // A symbolic link to a sealed file is followed (the file is protected by its key, not its path).
  fs::create_symlink(path, tmp.path() / "link");
  EXPECT_TRUE(read_sealed(tmp.path() / "link", key).has_value());
}


// Synthetic nonces: the same label, party and plaintext seal to the same bytes, which open;
// any change to one of them gives another nonce. Random nonces differ every time.
TEST(SealedFile, SyntheticNoncesAreReproducibleAndOpen) {
  SymmetricKey key;
  for (auto& b : key.bytes()) b = 5;
  Label l;
  l.level = Level::secret;
  l.rel_to = {"KAL", "MOR"};
  l.categories = category_bit(Category::air_picture);
  l.originator = "KAL";
  const std::string text = "time_s,track_id\n1,2\n";
  const auto a = encode_sealed(l, as_bytes(text), "MOR", key, SealNonce::synthetic).value();
  const auto b = encode_sealed(l, as_bytes(text), "MOR", key, SealNonce::synthetic).value();
  EXPECT_EQ(a, b);
  const auto opened = decode_sealed(a, key).value();
  EXPECT_EQ(std::string(opened.plaintext.begin(), opened.plaintext.end()), text);
  const auto nonce_of = [](const Bytes& sealed) { return parse_sealed_header(sealed).value().nonce; };
  EXPECT_NE(nonce_of(encode_sealed(l, as_bytes(text + "x"), "MOR", key, SealNonce::synthetic).value()), nonce_of(a));
  EXPECT_NE(nonce_of(encode_sealed(l, as_bytes(text), "KAL", key, SealNonce::synthetic).value()), nonce_of(a));
  Label other = l;
  other.level = Level::confidential;
  EXPECT_NE(nonce_of(encode_sealed(other, as_bytes(text), "MOR", key, SealNonce::synthetic).value()), nonce_of(a));
  SymmetricKey key2;
  for (auto& x : key2.bytes()) x = 6;
  EXPECT_NE(nonce_of(encode_sealed(l, as_bytes(text), "MOR", key2, SealNonce::synthetic).value()), nonce_of(a));
  EXPECT_NE(encode_sealed(l, as_bytes(text), "MOR", key).value(), encode_sealed(l, as_bytes(text), "MOR", key).value());
}

}  // namespace
}  // namespace jrads::security
