// Per-party data keys and sealed (encrypted, labelled) files (sealed_file.hpp,
// docs/SECURITY.md "Sealed files").
#include "jrads/security/sealed_file.hpp"

#include <sodium.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <string_view>

namespace jrads::security {

namespace fs = std::filesystem;

namespace {

constexpr std::array<std::string_view, 3> kDataKeyKeys = {"party", "id", "key"};
constexpr std::array<std::string_view, 5> kSealedKeys = {"label", "party", "key", "nonce", "size"};
constexpr std::string_view kSealedMagicLine = "JRADS-SEALED-1";
constexpr std::size_t kSealedHeaderLines = 1 + kSealedKeys.size();

Location at_line(const std::string& file, int line) {
  Location where = Location::in_file(file);
  where.line = line;
  return where;
}

struct WipeOnExit {
  std::string& s;
  ~WipeOnExit() { wipe({reinterpret_cast<std::uint8_t*>(s.data()), s.size()}); }
};

}  // namespace

// ---------------------------------------------------------------- data keys

KeyId data_key_id(std::string_view party, const SymmetricKey& key) {
  static constexpr std::string_view kContext = "JRADS-DATAKEY-ID-1";
  Bytes buf(kContext.begin(), kContext.end());
  buf.insert(buf.end(), party.begin(), party.end());
  buf.push_back(0);
  buf.insert(buf.end(), key.bytes().begin(), key.bytes().end());
  const Digest d = sha256(buf);
  wipe(buf);
  KeyId id;
  std::copy_n(d.bytes.begin(), id.bytes.size(), id.bytes.begin());
  return id;
}

fs::path data_key_path(const fs::path& dir, std::string_view party) { return dir / (std::string(party) + ".data.key"); }

std::string encode_data_key_file(const PartyDataKey& key) {
  std::string s;
  s.reserve(256);  // no reallocation leaves a copy of the key behind
  s += kDataKeyMagic;
  s += '\n';
  s += "party " + key.party + "\n";
  s += "id " + data_key_id(key.party, key.key).hex() + "\n";
  std::string hex = to_hex(key.key.bytes());
  WipeOnExit wipe_hex{hex};
  s += "key ";
  s += hex;
  s += '\n';
  return s;
}

Result<PartyDataKey> decode_data_key_file(std::string_view text, const std::string& file_name) {
  auto values = parse_key_value_lines(text, file_name, kDataKeyMagic, kDataKeyKeys, kMaxKeyFileBytes);
  if (!values) return fail(values.error());
  // Value k is on line k + 2.
  PartyDataKey out;
  if (auto ok = check_party_id((*values)[0]); !ok)
    return fail(Errc::invalid_argument, "party: " + ok.error().message, at_line(file_name, 2));
  out.party = std::string((*values)[0]);
  auto id = from_lower_hex((*values)[1], 8);
  if (!id) return fail(id.error().code, "id: " + id.error().message, at_line(file_name, 3));
  auto key = from_lower_hex((*values)[2], 32);
  if (!key) return fail(key.error().code, "key: " + key.error().message, at_line(file_name, 4));
  std::copy(key->begin(), key->end(), out.key.bytes().begin());
  wipe(*key);
  if (!std::equal(id->begin(), id->end(), data_key_id(out.party, out.key).bytes.begin()))
    return fail(Errc::invalid_argument, "key: does not match the id (line 3) of the party and key: the file was changed or damaged",
                at_line(file_name, 4));
  return out;
}

Result<SymmetricKey> init_party_data_key(const fs::path& dir, const std::string& party, const std::optional<KeySeed>& seed) {
  if (auto ok = check_party_id(party); !ok) return fail(Errc::invalid_argument, "party '" + party + "': " + ok.error().message);
  if (auto ok = ensure_key_dir(dir); !ok) return fail(ok.error());
  const fs::path path = data_key_path(dir, party);
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0)
    return fail(Errc::duplicate_id, "already exists: party " + party + " has a data key (it is never replaced; load it)",
                Location::in_file(path.string()));
  PartyDataKey k{party, {}};
  if (seed) {
    static constexpr std::string_view kContext = "JRADS-DATA-KEY-1";
    Bytes buf(kContext.begin(), kContext.end());
    buf.push_back(0);
    buf.insert(buf.end(), party.begin(), party.end());
    buf.push_back(0);
    buf.insert(buf.end(), seed->begin(), seed->end());
    Digest d = sha256(buf);
    std::copy(d.bytes.begin(), d.bytes.end(), k.key.bytes().begin());
    wipe(buf);
    wipe(d.bytes);
  } else {
    k.key = generate_symmetric_key();
  }
  std::string text = encode_data_key_file(k);
  WipeOnExit wipe_text{text};
  if (auto ok = write_file_atomically(path, as_bytes(text), 0600, false); !ok) return fail(ok.error());
  return k.key;
}

Result<SymmetricKey> load_party_data_key(const fs::path& dir, const std::string& party) {
  if (auto ok = check_party_id(party); !ok) return fail(Errc::invalid_argument, "party '" + party + "': " + ok.error().message);
  if (auto ok = check_key_dir(dir); !ok) return fail(ok.error());
  const fs::path path = data_key_path(dir, party);
  auto text = read_file_checked(path, FileRead{kMaxKeyFileBytes, true, false});
  if (!text) return fail(text.error());
  WipeOnExit wipe_text{*text};
  auto k = decode_data_key_file(*text, path.string());
  if (!k) return fail(k.error());
  if (k->party != party)
    return fail(Errc::invalid_argument, "holds the data key of party " + k->party + ", not " + party,
                Location::in_file(path.string()));
  return k->key;
}

// ---------------------------------------------------------------- sealed files

Result<Bytes> encode_sealed(const Label& label, ByteView plaintext, const std::string& party, const SymmetricKey& key,
                            SealNonce nonce_kind) {
  if (auto ok = validate(label); !ok) return fail(ok.error());
  if (auto ok = check_party_id(party); !ok) return fail(Errc::invalid_argument, "party '" + party + "': " + ok.error().message);
  if (!releasable_to(label, party))
    return fail(Errc::invalid_argument, "the label (" + to_text(label) + ") is not releasable to " + party +
                                            ", whose data key would open the file");
  if (plaintext.size() > kMaxSealedPlaintextBytes)
    return fail(Errc::invalid_argument, "plaintext of " + std::to_string(plaintext.size()) + " bytes is over the cap of " +
                                            std::to_string(kMaxSealedPlaintextBytes));
  std::array<std::uint8_t, kAeadNonceBytes> nonce{};
  random_bytes(nonce);  // also initialises libsodium
  if (nonce_kind == SealNonce::synthetic) {
    // A keyed BLAKE2b of what is sealed, under a subkey of the data key: the same label, party
    // and plaintext give the same nonce (and file); anything else a different one.
    static constexpr std::string_view kSubkey = "JRADS-SEALED-NONCE-1";
    std::array<std::uint8_t, crypto_generichash_KEYBYTES> subkey{};
    crypto_generichash(subkey.data(), subkey.size(), reinterpret_cast<const unsigned char*>(kSubkey.data()),
                       kSubkey.size(), key.bytes().data(), key.bytes().size());
    const std::string who = to_text(label) + "\n" + party + "\n";
    crypto_generichash_state st;
    crypto_generichash_init(&st, subkey.data(), subkey.size(), nonce.size());
    crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(who.data()), who.size());
    crypto_generichash_update(&st, plaintext.data(), plaintext.size());
    crypto_generichash_final(&st, nonce.data(), nonce.size());
    wipe(subkey);
  }
  const std::size_t ciphertext_bytes = plaintext.size() + kAeadTagBytes;
  std::string header = std::string(kSealedMagic);
  header += "label " + to_text(label) + "\n";
  header += "party " + party + "\n";
  header += "key " + data_key_id(party, key).hex() + "\n";
  header += "nonce " + to_hex(nonce) + "\n";
  header += "size " + std::to_string(ciphertext_bytes) + "\n";
  JRADS_ASSERT(header.size() <= kMaxSealedHeaderBytes);

  Bytes out(header.begin(), header.end());
  out.resize(header.size() + ciphertext_bytes);
  // libsodium directly (not crypto.hpp's seal()): the nonce must be chosen before the header
  // that holds it becomes the associated data.
  if (sodium_init() < 0) std::abort();
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data() + header.size(), &written, plaintext.data(), plaintext.size(),
                                             reinterpret_cast<const unsigned char*>(header.data()), header.size(),
                                             nullptr, nonce.data(), key.bytes().data());
  JRADS_ASSERT(written == ciphertext_bytes);
  return out;
}

Result<SealedHeader> parse_sealed_header(ByteView bytes, const std::string& source) {
  const std::string_view magic = kSealedMagic;
  const std::size_t prefix = std::min(bytes.size(), magic.size());
  if (!std::equal(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(prefix), magic.begin()))
    return fail(Errc::parse_error, "not a sealed file (it does not begin with JRADS-SEALED-1)", at_line(source, 1));
  // The header is the first kSealedHeaderLines lines, within the cap; the ciphertext may hold
  // any byte, so only the header's own newlines are counted.
  const std::size_t scan = std::min(bytes.size(), kMaxSealedHeaderBytes);
  std::size_t end = 0, lines = 0;
  while (end < scan && lines < kSealedHeaderLines) {
    if (bytes[end] == '\n') ++lines;
    ++end;
  }
  if (lines < kSealedHeaderLines) {
    if (bytes.size() < kMaxSealedHeaderBytes)
      return fail(Errc::truncated, "the header ends after " + std::to_string(lines) + " of its " +
                                       std::to_string(kSealedHeaderLines) + " lines (the file is truncated)",
                  at_line(source, static_cast<int>(lines) + 1));
    return fail(Errc::parse_error, "the header is longer than " + std::to_string(kMaxSealedHeaderBytes) + " bytes",
                Location::in_file(source));
  }
  const std::string_view text(reinterpret_cast<const char*>(bytes.data()), end);
  auto values = parse_key_value_lines(text, source, kSealedMagicLine, kSealedKeys, kMaxSealedHeaderBytes);
  if (!values) return fail(values.error());

  SealedHeader h;
  h.header_bytes = end;
  auto label = parse_label((*values)[0]);
  if (!label) return fail(label.error().code, "label: " + label.error().message, at_line(source, 2));
  h.label = std::move(*label);
  if (auto ok = check_party_id((*values)[1]); !ok)
    return fail(Errc::invalid_argument, "party: " + ok.error().message, at_line(source, 3));
  h.party = std::string((*values)[1]);
  if (!releasable_to(h.label, h.party))
    return fail(Errc::invalid_argument, "party: the label is not releasable to " + h.party + ", whose key seals it",
                at_line(source, 3));
  auto key = from_lower_hex((*values)[2], h.key.bytes.size());
  if (!key) return fail(key.error().code, "key: " + key.error().message, at_line(source, 4));
  std::copy(key->begin(), key->end(), h.key.bytes.begin());
  auto nonce = from_lower_hex((*values)[3], kAeadNonceBytes);
  if (!nonce) return fail(nonce.error().code, "nonce: " + nonce.error().message, at_line(source, 5));
  std::copy(nonce->begin(), nonce->end(), h.nonce.begin());
  const std::string_view size_text = (*values)[4];
  const bool digits = !size_text.empty() && size_text.size() <= 12 &&
                      std::all_of(size_text.begin(), size_text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits || (size_text.size() > 1 && size_text[0] == '0'))
    return fail(Errc::parse_error, "size: expected a decimal number without leading zero", at_line(source, 6));
  std::uint64_t size = 0;
  for (const char c : size_text) size = size * 10 + static_cast<std::uint64_t>(c - '0');
  if (size < kAeadTagBytes || size > kMaxSealedPlaintextBytes + kAeadTagBytes)
    return fail(Errc::invalid_argument, "size: " + std::to_string(size) + " out of range " + std::to_string(kAeadTagBytes) +
                                            ".." + std::to_string(kMaxSealedPlaintextBytes + kAeadTagBytes),
                at_line(source, 6));
  h.ciphertext_bytes = static_cast<std::size_t>(size);
  const std::size_t rest = bytes.size() - end;
  if (rest < h.ciphertext_bytes)
    return fail(Errc::truncated, "the ciphertext is " + std::to_string(rest) + " bytes but the header says " +
                                     std::to_string(h.ciphertext_bytes) + " (the file is truncated)",
                Location::in_file(source));
  if (rest > h.ciphertext_bytes)
    return fail(Errc::parse_error, std::to_string(rest - h.ciphertext_bytes) + " byte" +
                                       (rest - h.ciphertext_bytes == 1 ? "" : "s") + " after the ciphertext",
                Location::in_file(source));
  return h;
}

Result<Opened> decode_sealed(ByteView bytes, const SymmetricKey& key, const std::string& source) {
  auto h = parse_sealed_header(bytes, source);
  if (!h) return fail(h.error());
  const KeyId given = data_key_id(h->party, key);
  if (given != h->key)
    return fail(Errc::invalid_argument, "sealed under data key " + h->key.hex() + " of party " + h->party +
                                            ", but the key given is " + given.hex(),
                Location::in_file(source));
  Sealed sealed;
  sealed.nonce = h->nonce;
  const auto body = bytes.subspan(h->header_bytes, h->ciphertext_bytes);
  sealed.ciphertext.assign(body.begin(), body.end());
  auto plain = open(sealed, bytes.first(h->header_bytes), key);
  if (!plain) return fail(Errc::invalid_argument, plain.error().message, Location::in_file(source));
  return Opened{std::move(h->label), std::move(h->party), std::move(*plain)};
}

Result<void> write_sealed(const fs::path& path, const Label& label, ByteView plaintext, const std::string& party,
                          const SymmetricKey& key, SealNonce nonce_kind) {
  auto bytes = encode_sealed(label, plaintext, party, key, nonce_kind);
  if (!bytes) {
    Error e = std::move(bytes).error();
    if (e.where.file.empty()) e.where.file = path.string();
    return fail(std::move(e));
  }
  return write_file_atomically(path, *bytes, 0600, true);
}

Result<Opened> read_sealed(const fs::path& path, const SymmetricKey& key) {
  auto text = read_file_checked(path, FileRead{kMaxSealedHeaderBytes + kMaxSealedPlaintextBytes + kAeadTagBytes, false, true});
  if (!text) return fail(text.error());
  return decode_sealed(as_bytes(*text), key, path.string());
}

}  // namespace jrads::security
