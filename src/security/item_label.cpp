#include "jrads/security/item_label.hpp"

#include <algorithm>

namespace jrads::security {

Result<PartyTable> PartyTable::make(std::vector<std::string> parties) {
  if (parties.size() > kMaxParties)
    return fail(Errc::invalid_argument, "more than " + std::to_string(kMaxParties) + " parties");
  PartyTable t;
  for (std::string& p : parties) {
    if (!is_party_id(p)) return fail(Errc::invalid_argument, "party \"" + p + "\": not a party id");
    if (std::find(t.names_.begin(), t.names_.end(), p) != t.names_.end())
      return fail(Errc::duplicate_id, "party " + p + " given twice");
    t.names_.push_back(std::move(p));
  }
  return t;
}

std::optional<PartyIndex> PartyTable::index(std::string_view party) const noexcept {
  for (std::size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == party) return static_cast<PartyIndex>(i);
  return std::nullopt;
}

ItemLabel combine(const ItemLabel& a, const ItemLabel& b, PartyIndex originator) noexcept {
  ItemLabel out;
  out.level = std::max(a.level, b.level);
  out.categories = a.categories | b.categories;
  out.originator = originator;
  if (a.rel_alliance && b.rel_alliance) {
    out.rel_alliance = true;
    return out;
  }
  // An input releasable to the alliance narrows nothing; otherwise its holders are its REL TO
  // and its originator.
  constexpr std::uint32_t kEveryone = ~std::uint32_t{0};
  const std::uint32_t ha = a.rel_alliance ? kEveryone : (a.rel | (std::uint32_t{1} << a.originator));
  const std::uint32_t hb = b.rel_alliance ? kEveryone : (b.rel | (std::uint32_t{1} << b.originator));
  out.rel = ha & hb;
  return out;
}

Label to_label(const ItemLabel& l, const PartyTable& parties, SimTime time) {
  Label out;
  out.level = l.level;
  out.rel_alliance = l.rel_alliance;
  out.categories = l.categories;
  out.originator = parties.name(l.originator);
  out.time = time;
  for (std::size_t i = 0; i < kMaxParties; ++i)
    if (l.rel & (std::uint32_t{1} << i)) out.rel_to.push_back(parties.name(static_cast<PartyIndex>(i)));
  std::sort(out.rel_to.begin(), out.rel_to.end());
  return out;
}

Result<ItemLabel> from_label(const Label& l, const PartyTable& parties) {
  if (auto ok = validate(l); !ok) return fail(ok.error());
  ItemLabel out;
  out.level = l.level;
  out.rel_alliance = l.rel_alliance;
  out.categories = l.categories;
  const auto orig = parties.index(l.originator);
  if (!orig) return fail(Errc::dangling_ref, "originator " + l.originator + " is not a party of this run");
  out.originator = *orig;
  for (const std::string& p : l.rel_to) {
    const auto i = parties.index(p);
    if (!i) return fail(Errc::dangling_ref, "REL TO " + p + ": not a party of this run");
    out.rel |= std::uint32_t{1} << *i;
  }
  return out;
}

}  // namespace jrads::security
