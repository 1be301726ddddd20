// The equivalence table of national classification names (label.hpp): each party's own words
// mapped onto the agreement's common scale, one word per level and party at most.
#include <algorithm>
#include <string>
#include <utility>

#include "jrads/security/label.hpp"

namespace jrads::security {

Result<EquivalenceTable> EquivalenceTable::make(std::vector<NationalLevel> entries) {
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const NationalLevel& e = entries[k];
    const std::string where = "equivalence entry " + std::to_string(k) + ": ";
    if (e.party.empty()) return fail(Errc::invalid_argument, where + "empty party");
    if (e.name.empty()) return fail(Errc::invalid_argument, where + "party " + e.party + " has an empty name");
    if (static_cast<int>(e.level) >= kLevels) {
      return fail(Errc::invalid_argument, where + "party " + e.party + ": unknown common level");
    }
    for (std::size_t j = 0; j < k; ++j) {
      const NationalLevel& o = entries[j];
      if (o.party != e.party) continue;
      if (o.name == e.name) {
        return fail(Errc::invalid_argument, where + "party " + e.party + " gives the name '" + e.name + "' twice");
      }
      if (o.level == e.level) {
        return fail(Errc::invalid_argument, where + "party " + e.party + " has two names for " + to_string(e.level) +
                                                ": '" + o.name + "' and '" + e.name + "'");
      }
    }
  }
  EquivalenceTable table;
  table.entries_ = std::move(entries);
  return table;
}

Result<Level> EquivalenceTable::common(std::string_view party, std::string_view name) const {
  const auto it = std::find_if(entries_.begin(), entries_.end(),
                               [&](const NationalLevel& e) { return e.party == party && e.name == name; });
  if (it == entries_.end()) {
    return fail(Errc::dangling_ref,
                "party " + std::string(party) + " has no classification named '" + std::string(name) + "'");
  }
  return it->level;
}

Result<std::string> EquivalenceTable::national(std::string_view party, Level level) const {
  const auto it = std::find_if(entries_.begin(), entries_.end(),
                               [&](const NationalLevel& e) { return e.party == party && e.level == level; });
  if (it == entries_.end()) {
    return fail(Errc::dangling_ref,
                "party " + std::string(party) + " has no name for the common level " + to_string(level));
  }
  return it->name;
}

}  // namespace jrads::security
