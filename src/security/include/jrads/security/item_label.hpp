#pragma once
// The label every item carries (Detection, Track, Threat, Proposal, Order, status, alert) in
// a compact form: 12 bytes, trivially copyable, combined with bit operations — cheap enough for
// the per-report and per-track hot paths. Parties are bits of a PartyTable fixed for a run;
// to_label() gives the full Label (with the item's time) where one leaves the node.
//
//   PartyTable parties = PartyTable::make({"KAL", "MOR"}).value();
//   ItemLabel radar = from_label(parse_label(text).value(), parties).value();
//   ItemLabel track = combine(radar, iff, *parties.index("KAL"));
//   Label full = to_label(track, parties, now);
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/security/label.hpp"

namespace jrads::security {

using PartyIndex = std::uint8_t;
inline constexpr std::size_t kMaxParties = 32;

// The parties of a run, each given a bit. Immutable once made.
class PartyTable {
 public:
  // Errc::invalid_argument: a bad party id (label.hpp's rule), a duplicate, more than kMaxParties.
  [[nodiscard]] static Result<PartyTable> make(std::vector<std::string> parties);
  [[nodiscard]] std::optional<PartyIndex> index(std::string_view party) const noexcept;
  [[nodiscard]] const std::string& name(PartyIndex i) const { return names_.at(i); }
  [[nodiscard]] std::size_t size() const noexcept { return names_.size(); }
  [[nodiscard]] std::uint32_t all() const noexcept {
    return names_.size() == 32 ? ~std::uint32_t{0} : (std::uint32_t{1} << names_.size()) - 1;
  }

 private:
  std::vector<std::string> names_;
};

struct ItemLabel {
  Level level = Level::unclassified;
  bool rel_alliance = false;    // releasable to the whole alliance (rel is then 0)
  PartyIndex originator = 0;
  CategorySet categories = 0;
  std::uint32_t rel = 0;        // parties it is released to (bit i: party i); the originator always may

  friend bool operator==(const ItemLabel&, const ItemLabel&) = default;
};

// An item nobody labelled has no category; every gate refuses it, and what is derived from it
// must stay unlabelled (adding a category would make it a valid UNCLASSIFIED label).
[[nodiscard]] constexpr bool is_labelled(const ItemLabel& l) noexcept { return l.categories != 0; }

// The parties that may have the item (the originator counted); PartyTable::all() for the alliance.
[[nodiscard]] inline std::uint32_t holders(const ItemLabel& l, std::uint32_t all) noexcept {
  return l.rel_alliance ? all : (l.rel | (std::uint32_t{1} << l.originator));
}

// The label of an item derived from a and b, made by `originator`: the higher level, the union
// of categories, and releasable to the parties that may have both (alliance only if both are).
// The same rule as combine() on full labels.
[[nodiscard]] ItemLabel combine(const ItemLabel& a, const ItemLabel& b, PartyIndex originator) noexcept;

// Adds need-to-know categories (a proposal about a track is ORDERS as well as AIR-PICTURE).
[[nodiscard]] inline ItemLabel with_categories(ItemLabel l, CategorySet extra) noexcept {
  l.categories |= extra;
  return l;
}

// Removes need-to-know categories (what an item derived from another does not tell); an
// unlabelled item, or one that would be left with none, is returned unchanged.
[[nodiscard]] inline ItemLabel without_categories(ItemLabel l, CategorySet removed) noexcept {
  if ((l.categories & ~removed) != 0) l.categories &= ~removed;
  return l;
}

// Full label at `time`. Requires every bit of rel and the originator to be in `parties`.
[[nodiscard]] Label to_label(const ItemLabel& l, const PartyTable& parties, SimTime time);
// A valid label's compact form; Errc::dangling_ref naming a party not in the table (the time
// is not kept: items have their own).
[[nodiscard]] Result<ItemLabel> from_label(const Label& l, const PartyTable& parties);

}  // namespace jrads::security
