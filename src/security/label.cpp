#include "jrads/security/label.hpp"

#include <algorithm>

namespace jrads::security {

const char* to_string(Level l) noexcept {
  switch (l) {
    case Level::unclassified: return "UNCLASSIFIED";
    case Level::restricted: return "RESTRICTED";
    case Level::confidential: return "CONFIDENTIAL";
    case Level::secret: return "SECRET";
    case Level::top_secret: return "TOP SECRET";
  }
  return "?";
}

const char* to_string(Category c) noexcept {
  switch (c) {
    case Category::air_picture: return "AIR-PICTURE";
    case Category::sensors: return "SENSORS";
    case Category::intelligence: return "INTELLIGENCE";
    case Category::fire_unit_status: return "FIRE-UNIT-STATUS";
    case Category::orders: return "ORDERS";
    case Category::audit: return "AUDIT";
  }
  return "?";
}

// ALLIANCE and NONE are words of the text form ("REL TO ALLIANCE", "REL TO NONE"), so no party
// may be called that.
bool is_party_id(std::string_view id) noexcept {
  if (id.size() < 2 || id.size() > 8 || id == "ALLIANCE" || id == "NONE") return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); });
}

namespace {

Result<void> bad(const std::string& what) { return fail(Errc::invalid_argument, "label: " + what); }

}  // namespace

bool releasable_to(const Label& l, std::string_view party) noexcept {
  if (party == l.originator || l.rel_alliance) return true;
  return std::binary_search(l.rel_to.begin(), l.rel_to.end(), party);
}

Label combine(const std::vector<Label>& inputs, std::string originator, SimTime time) {
  JRADS_ASSERT(!inputs.empty());
  Label out;
  out.originator = std::move(originator);
  out.time = time;
  out.rel_alliance = true;  // "everyone" until an input narrows it
  for (const Label& in : inputs) {
    out.level = std::max(out.level, in.level);
    out.categories |= in.categories;
    if (in.rel_alliance) continue;
    // An input's own originator may always have it: it counts among its releasability.
    std::vector<std::string> allowed = in.rel_to;
    if (!std::binary_search(allowed.begin(), allowed.end(), in.originator)) {
      allowed.insert(std::upper_bound(allowed.begin(), allowed.end(), in.originator), in.originator);
    }
    if (out.rel_alliance) {
      out.rel_alliance = false;
      out.rel_to = std::move(allowed);
      continue;
    }
    std::vector<std::string> both;
    std::set_intersection(out.rel_to.begin(), out.rel_to.end(), allowed.begin(), allowed.end(), std::back_inserter(both));
    out.rel_to = std::move(both);
  }
  return out;
}

Result<void> validate(const Label& l) {
  if (l.policy != kPolicy) return bad("policy '" + l.policy + "' is not " + std::string(kPolicy));
  if (static_cast<int>(l.level) >= kLevels) return bad("unknown classification");
  if (l.categories == 0) return bad("no category: at least one need-to-know category is required");
  if ((l.categories & ~kAllCategories) != 0) return bad("unknown category bit");
  if (!is_party_id(l.originator)) return bad("originator '" + l.originator + "' is not a party id ([A-Z0-9]{2,8}, not ALLIANCE or NONE)");
  if (l.rel_alliance && !l.rel_to.empty()) return bad("releasable to the alliance and to listed parties at once");
  for (std::size_t k = 0; k < l.rel_to.size(); ++k) {
    if (!is_party_id(l.rel_to[k])) return bad("REL TO party '" + l.rel_to[k] + "' is not a party id ([A-Z0-9]{2,8}, not ALLIANCE or NONE)");
    if (k > 0 && !(l.rel_to[k - 1] < l.rel_to[k])) return bad("REL TO parties must be sorted and unique");
  }
  if (l.time < SimTime()) return bad("negative time");
  return {};
}

}  // namespace jrads::security
