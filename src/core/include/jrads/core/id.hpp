#pragma once
// Strong integer ids: an index into one kind of table, not interchangeable with another kind.
// Scenario ids (strings such as "R1") are kept alongside for output; these are for lookups.
#include <compare>
#include <cstdint>
#include <functional>

namespace jrads {

template <class Tag>
class Id {
 public:
  constexpr Id() noexcept = default;
  constexpr explicit Id(std::uint32_t v) noexcept : value_(v) {}
  [[nodiscard]] constexpr std::uint32_t value() const noexcept { return value_; }
  constexpr auto operator<=>(const Id&) const noexcept = default;

 private:
  std::uint32_t value_ = 0;
};

using PlatformIndex = Id<struct PlatformTag>;
using SensorIndex = Id<struct SensorTag>;
using PartyIndex = Id<struct PartyTag>;

}  // namespace jrads

template <class Tag>
struct std::hash<jrads::Id<Tag>> {
  std::size_t operator()(jrads::Id<Tag> id) const noexcept { return std::hash<std::uint32_t>{}(id.value()); }
};
