#include "jrads/security/crypto.hpp"

#include <sodium.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace jrads::security {
namespace {

void ensure_sodium() noexcept {
  // sodium_init is thread-safe and idempotent (0 first time, 1 after); -1 means no usable
  // random source, and then no key or nonce could be trusted.
  static const bool ready = [] {
    if (sodium_init() < 0) {
      std::fputs("jrads: libsodium could not initialise (no random source)\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)ready;
}

}  // namespace

std::string to_hex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xF];
  }
  return out;
}

Result<Bytes> from_hex(std::string_view hex, std::size_t size) {
  if (hex.size() != 2 * size)
    return fail(Errc::parse_error, "expected " + std::to_string(2 * size) + " hex digits, found " +
                                       std::to_string(hex.size()) + " characters");
  auto digit = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Bytes out(size);
  for (std::size_t i = 0; i < size; ++i) {
    const int hi = digit(hex[2 * i]), lo = digit(hex[2 * i + 1]);
    if (hi < 0 || lo < 0)
      return fail(Errc::parse_error, "not a hex digit at character " + std::to_string(2 * i + (hi < 0 ? 1 : 2)));
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return out;
}

Result<Bytes> from_lower_hex(std::string_view hex, std::size_t size) {
  auto bytes = from_hex(hex, size);
  if (!bytes) return bytes;
  if (std::any_of(hex.begin(), hex.end(), [](char c) { return c >= 'A' && c <= 'F'; })) {
    wipe(*bytes);
    return fail(Errc::parse_error, "hex digits must be lower case");
  }
  return bytes;
}

namespace {
constexpr std::array<std::int8_t, 256> kLowerHexValue = [] {
  std::array<std::int8_t, 256> t{};
  t.fill(-1);
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'a' + 10);
  return t;
}();
}  // namespace

bool lower_hex_to(std::string_view hex, std::span<std::uint8_t> out) noexcept {
  if (hex.size() != 2 * out.size()) return false;
  int bad = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = kLowerHexValue[static_cast<unsigned char>(hex[2 * i])];
    const int lo = kLowerHexValue[static_cast<unsigned char>(hex[2 * i + 1])];
    bad |= hi | lo;  // negative if either is not a digit
    out[i] = static_cast<std::uint8_t>((hi & 0xF) << 4 | (lo & 0xF));
  }
  return bad >= 0;
}

Digest sha256(ByteView data) noexcept {
  ensure_sodium();
  Digest d;
  crypto_hash_sha256(d.bytes.data(), data.data(), data.size());
  return d;
}

Digest sha256_prefixed(std::uint8_t prefix, ByteView data) noexcept {
  ensure_sodium();
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, &prefix, 1);
  crypto_hash_sha256_update(&st, data.data(), data.size());
  Digest d;
  crypto_hash_sha256_final(&st, d.bytes.data());
  return d;
}

Digest sha256_pair(std::uint8_t prefix, const Digest& left, const Digest& right) noexcept {
  std::array<std::uint8_t, 65> buf;
  buf[0] = prefix;
  std::copy(left.bytes.begin(), left.bytes.end(), buf.begin() + 1);
  std::copy(right.bytes.begin(), right.bytes.end(), buf.begin() + 33);
  return sha256(buf);
}

void random_bytes(std::span<std::uint8_t> out) noexcept {
  ensure_sodium();
  randombytes_buf(out.data(), out.size());
}

void wipe(std::span<std::uint8_t> bytes) noexcept { sodium_memzero(bytes.data(), bytes.size()); }

SigningKey SigningKey::generate() {
  Secret<32> seed;
  random_bytes(seed.bytes());
  return from_seed(seed.bytes());
}

SigningKey SigningKey::from_seed(std::span<const std::uint8_t, 32> seed) {
  ensure_sodium();
  SigningKey k;
  std::copy(seed.begin(), seed.end(), k.seed_.bytes().begin());
  crypto_sign_seed_keypair(k.public_.data(), k.secret_.bytes().data(), seed.data());
  return k;
}

Signature SigningKey::sign(ByteView message) const noexcept {
  ensure_sodium();
  Signature s;
  crypto_sign_detached(s.bytes.data(), nullptr, message.data(), message.size(), secret_.bytes().data());
  return s;
}

KeyId key_id(const PublicSigningKey& key) noexcept {
  static constexpr std::string_view kContext = "JRADS-KEYID-1";
  std::array<std::uint8_t, kContext.size() + 32> buf;
  std::copy(kContext.begin(), kContext.end(), buf.begin());
  std::copy(key.begin(), key.end(), buf.begin() + kContext.size());
  const Digest d = sha256(buf);
  KeyId id;
  std::copy_n(d.bytes.begin(), id.bytes.size(), id.bytes.begin());
  return id;
}

bool verify(const PublicSigningKey& key, ByteView message, const Signature& signature) noexcept {
  ensure_sodium();
  return crypto_sign_verify_detached(signature.bytes.data(), message.data(), message.size(), key.data()) == 0;
}

AgreementKey AgreementKey::generate() {
  Secret<32> seed;
  random_bytes(seed.bytes());
  return from_seed(seed.bytes());
}

AgreementKey AgreementKey::from_seed(std::span<const std::uint8_t, 32> seed) {
  ensure_sodium();
  AgreementKey k;
  // X25519 clamps any 32 bytes into a valid scalar, so the seed can be the secret itself.
  std::copy(seed.begin(), seed.end(), k.secret_.bytes().begin());
  crypto_scalarmult_base(k.public_.data(), k.secret_.bytes().data());
  return k;
}

Result<SymmetricKey> AgreementKey::shared_key(const PublicAgreementKey& peer) const {
  ensure_sodium();
  Secret<32> point;
  // Fails for low-order peer points (the result would be all zero and known to anyone).
  if (crypto_scalarmult(point.bytes().data(), secret_.bytes().data(), peer.data()) != 0)
    return fail(Errc::invalid_argument, "peer agreement key is degenerate (low order point)");
  const bool own_first = std::lexicographical_compare(public_.begin(), public_.end(), peer.begin(), peer.end());
  const PublicAgreementKey& first = own_first ? public_ : peer;
  const PublicAgreementKey& second = own_first ? peer : public_;
  crypto_generichash_state st;
  static constexpr std::string_view kContext = "JRADS-X25519-1";
  SymmetricKey key;
  crypto_generichash_init(&st, nullptr, 0, key.bytes().size());
  crypto_generichash_update(&st, reinterpret_cast<const unsigned char*>(kContext.data()), kContext.size());
  crypto_generichash_update(&st, point.bytes().data(), point.bytes().size());
  crypto_generichash_update(&st, first.data(), first.size());
  crypto_generichash_update(&st, second.data(), second.size());
  crypto_generichash_final(&st, key.bytes().data(), key.bytes().size());
  return key;
}

SymmetricKey generate_symmetric_key() {
  SymmetricKey k;
  random_bytes(k.bytes());
  return k;
}

Sealed seal(ByteView plaintext, ByteView associated, const SymmetricKey& key) {
  ensure_sodium();
  Sealed out;
  random_bytes(out.nonce);
  out.ciphertext.resize(plaintext.size() + kAeadTagBytes);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.ciphertext.data(), &written, plaintext.data(), plaintext.size(),
                                             associated.data(), associated.size(), nullptr, out.nonce.data(),
                                             key.bytes().data());
  out.ciphertext.resize(static_cast<std::size_t>(written));
  return out;
}

Result<Bytes> open(const Sealed& sealed, ByteView associated, const SymmetricKey& key) {
  ensure_sodium();
  if (sealed.ciphertext.size() < kAeadTagBytes)
    return fail(Errc::truncated, "sealed data shorter than its authentication tag");
  Bytes plain(sealed.ciphertext.size() - kAeadTagBytes);
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), &written, nullptr, sealed.ciphertext.data(),
                                                 sealed.ciphertext.size(), associated.data(), associated.size(),
                                                 sealed.nonce.data(), key.bytes().data()) != 0) {
    wipe(plain);
    return fail(Errc::invalid_argument, "authentication failed: wrong key, or the data or its label was changed");
  }
  plain.resize(static_cast<std::size_t>(written));
  return plain;
}

}  // namespace jrads::security
