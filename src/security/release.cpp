#include "jrads/security/release.hpp"

#include <algorithm>

namespace jrads::security {

namespace {

bool level_known(Level l) noexcept { return static_cast<int>(l) < kLevels; }

// "AIR-PICTURE, ORDERS" in category order.
std::string category_list(CategorySet set) {
  std::string out;
  for (int k = 0; k < kCategories; ++k) {
    if ((set & (CategorySet{1} << k)) == 0) continue;
    if (!out.empty()) out += ", ";
    out += to_string(static_cast<Category>(k));
  }
  return out;
}

// "REL TO KAL, MOR", "REL TO ALLIANCE" or "REL TO NONE" (originator only), as in the text form.
std::string releasability_text(const Label& l) {
  if (l.rel_alliance) return "REL TO ALLIANCE";
  if (l.rel_to.empty()) return "REL TO NONE";
  std::string out = "REL TO ";
  for (std::size_t k = 0; k < l.rel_to.size(); ++k) {
    if (k > 0) out += ", ";
    out += l.rel_to[k];
  }
  return out;
}

}  // namespace

ReleaseDecision decide_release(const Label& label, const Receiver& receiver, bool agreement_in_force,
                               ReleasePolicy policy) {
  ReleaseDecision d;
  auto refuse = [&d](const char* rule, std::string reason) {
    d.rules.emplace_back(rule);
    d.reasons.push_back(std::move(reason));
  };
  const std::string& who = receiver.party;

  // 1. label. Nothing else about an invalid label can be trusted, so it is the only reason.
  if (Result<void> v = validate(label); !v) {
    refuse("label", v.error().message);
    return d;
  }

  // 2. releasability.
  const bool party_ok = is_party_id(who);
  const bool own_party = party_ok && who == label.originator;
  if (!party_ok) {
    refuse("releasability", "receiver party '" + who + "' is not a party id ([A-Z0-9]{2,8}, not ALLIANCE or NONE)");
  } else if (!releasable_to(label, who)) {
    refuse("releasability", "the label (ORIG " + label.originator + ", " + releasability_text(label) +
                                ") is not releasable to " + who);
  }

  // 3. agreement: only the originator's own party may still receive once it has ended.
  if (!own_party && !agreement_in_force) {
    refuse("agreement", "the agreement is not in force: nothing goes to " + who + " from " + label.originator);
  }

  // 4. clearance. An unknown receiver level clears nothing.
  if (!level_known(receiver.clearance)) {
    refuse("clearance", who + "'s clearance is not a known level (label " + to_string(label.level) + ")");
  } else if (receiver.clearance < label.level) {
    refuse("clearance", who + "'s clearance " + to_string(receiver.clearance) + " is below the label's " +
                            to_string(label.level));
  }

  // 5. need-to-know.
  const CategorySet missing = label.categories & ~receiver.need_to_know;
  CategorySet strip = 0;
  if (missing != 0) {
    if (policy == ReleasePolicy::refuse) {
      refuse("need_to_know", who + " lacks need-to-know for " + category_list(missing));
    } else if (missing == label.categories) {
      refuse("need_to_know", who + " lacks need-to-know for every category of the label (" + category_list(missing) +
                                 "): nothing would remain after stripping");
    } else {
      strip = missing;
    }
  }

  // 6. role.
  if (!receiver.has_role) refuse("role", who + " holds no role that may receive items");

  if (!d.rules.empty()) return d;  // refused: nothing to strip

  d.allowed = true;
  d.stripped = strip;
  std::string why = "released to " + who + ": ";
  why += own_party ? "originator's own party" : releasability_text(label);
  why += ", clearance ";
  why += to_string(receiver.clearance);
  why += " >= ";
  why += to_string(label.level);
  why += strip == 0 ? ", need-to-know held"
                    : ", need-to-know held for " + category_list(label.categories & ~strip) + " (stripped " +
                          category_list(strip) + ")";
  why += own_party ? ", no agreement needed" : ", agreement in force";
  d.reasons.push_back(std::move(why));
  return d;
}

}  // namespace jrads::security
