#pragma once
// The payload of an orders sample: one order to a fire unit (node::Order), from the command
// post to the unit's national node, where the unit's gate holds it (node::FireUnitGate).
//
//   "JORD" version 1 | engagement (u64, >= 1) | track (u32) | rounds (u8, >= 1) |
//   threat class (u8) | time (i64 ns, >= 0) | unit | unit's party | ordering role or "auto" |
//   delegating role (empty unless automatic) | zone (may be empty)
//
// Each text: its length (u8, at most 64), then printable ASCII without spaces. Little-endian,
// nothing after the zone. The label travels with the sample.
#include <cstddef>

#include "jrads/core/result.hpp"
#include "jrads/node/command_post.hpp"
#include "jrads/security/crypto.hpp"

namespace jrads::federation {

inline constexpr std::size_t kMaxOrderText = 64;

// Requires what decode_order accepts (a programming error otherwise).
[[nodiscard]] security::Bytes encode_order(const node::Order& o);
// Errors say "order <field>: <problem>". The label is left empty: the sample's.
[[nodiscard]] Result<node::Order> decode_order(security::ByteView payload);

}  // namespace jrads::federation
