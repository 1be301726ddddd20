#include "jrads/federation/sample.hpp"

#include <algorithm>

namespace jrads::federation {
namespace {

constexpr std::string_view kDomain = "JRADS-SAMPLE-1";

void append_u64(security::Bytes& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void append_text(security::Bytes& out, std::string_view s) {
  append_u64(out, s.size());
  out.insert(out.end(), s.begin(), s.end());
}

// The header and the label as authenticated (AEAD associated data) and signed: each field
// length-prefixed, so no byte can move from one field to another.
security::Bytes header_bytes(const SampleHeader& h, std::string_view label_text) {
  security::Bytes out;
  out.reserve(kDomain.size() + 64 + h.topic.size() + h.sender.size() + h.receiver.size() + label_text.size());
  append_text(out, kDomain);
  append_text(out, h.topic);
  append_text(out, h.sender);
  append_text(out, h.receiver);
  append_u64(out, h.stream);
  append_u64(out, h.seq);
  append_u64(out, static_cast<std::uint64_t>(h.time.ns()));
  append_text(out, label_text);
  return out;
}

Error bad(std::string_view field, std::string message) {
  return make_error(Errc::invalid_argument, "sample " + std::string(field) + ": " + std::move(message));
}

}  // namespace

WireSample seal_sample(const SampleHeader& header, const security::Label& label, security::ByteView payload,
                       const security::NodeKeys& sender, const security::SymmetricKey& pair_key) {
  JRADS_ASSERT(payload.size() <= kMaxPayload && header.seq >= 1);
  WireSample w;
  w.header = header;
  w.label = security::to_text(label);
  const security::Bytes head = header_bytes(header, w.label);
  security::Bytes signed_part = head;
  signed_part.insert(signed_part.end(), payload.begin(), payload.end());
  const security::Binding b = security::sign_labelled(label, signed_part, sender);
  security::Bytes plain;
  plain.reserve(8 + 64 + payload.size());
  plain.insert(plain.end(), b.key.bytes.begin(), b.key.bytes.end());
  plain.insert(plain.end(), b.signature.bytes.begin(), b.signature.bytes.end());
  plain.insert(plain.end(), payload.begin(), payload.end());
  security::Sealed s = security::seal(plain, head, pair_key);
  security::wipe(plain);
  w.nonce = s.nonce;
  w.sealed = std::move(s.ciphertext);
  return w;
}

Result<OpenedSample> open_sample(const WireSample& w, std::string_view topic, std::string_view me,
                                 const security::SymmetricKey& pair_key, const security::Keyring& keyring,
                                 std::int64_t at_unix_s) {
  const SampleHeader& h = w.header;
  if (auto ok = security::check_node_id(h.sender); !ok) return fail(bad("sender", ok.error().message));
  if (auto ok = security::check_node_id(h.receiver); !ok) return fail(bad("receiver", ok.error().message));
  if (h.receiver != me) return fail(bad("receiver", "for " + h.receiver + ", not for " + std::string(me)));
  if (h.topic != topic) return fail(bad("topic", "sealed for " + h.topic + ", received on " + std::string(topic)));
  if (h.seq == 0) return fail(bad("seq", "0 (sequence numbers start at 1)"));
  if (h.time.ns() < 0) return fail(bad("time", "negative"));
  if (w.label.size() > kMaxLabelText) return fail(bad("label", "longer than " + std::to_string(kMaxLabelText) + " bytes"));
  auto label = security::parse_label(w.label);
  if (!label) return fail(bad("label", label.error().message));
  if (w.sealed.size() < kSealedOverhead)
    return fail(bad("sealed", std::to_string(w.sealed.size()) + " bytes, fewer than the " +
                                  std::to_string(kSealedOverhead) + " of key id, signature and tag"));
  if (w.sealed.size() > kMaxSealed) return fail(bad("sealed", "more than " + std::to_string(kMaxSealed) + " bytes"));
  const security::Bytes head = header_bytes(h, w.label);
  security::Sealed s;
  s.nonce = w.nonce;
  s.ciphertext = w.sealed;
  auto plain = security::open(s, head, pair_key);
  if (!plain)
    return fail(bad("sealed", "does not authenticate from " + h.sender + " (wrong pair key, or the header, label, "
                                  "nonce or sealed bytes were changed)"));
  security::Binding b;
  std::copy_n(plain->begin(), b.key.bytes.size(), b.key.bytes.begin());
  std::copy_n(plain->begin() + 8, b.signature.bytes.size(), b.signature.bytes.begin());
  const security::PublicKeyRecord* owner = keyring.find(b.key);
  if (owner == nullptr || owner->node != h.sender) {
    security::wipe(*plain);
    return fail(Errc::dangling_ref, "sample signature: key " + b.key.hex() + " is not a key of " + h.sender);
  }
  security::Bytes signed_part = head;
  signed_part.insert(signed_part.end(), plain->begin() + 72, plain->end());
  if (auto ok = security::verify_labelled(*label, signed_part, b, keyring, at_unix_s); !ok) {
    security::wipe(*plain);
    return fail(bad("signature", ok.error().message));
  }
  OpenedSample out;
  out.header = h;
  out.label = std::move(*label);
  out.payload.assign(plain->begin() + 72, plain->end());
  security::wipe(*plain);
  return out;
}

bool SequenceGuard::accept(const SampleHeader& h) {
  std::uint64_t& last = last_[{h.sender, h.topic}];
  if (h.seq <= last) {
    ++rejected_;
    return false;
  }
  if (h.seq > last + 1) gaps_ += h.seq - last - 1;
  last = h.seq;
  return true;
}

}  // namespace jrads::federation
