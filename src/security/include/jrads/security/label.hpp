#pragma once
// Security labels (mission R6: what the parties exchange is protected as state secrets).
// Modelled on the structure of NATO confidentiality labels (STANAG 4774), our own
// implementation: a policy identifier, a classification on the agreement's common scale, the
// parties it may be released to (or the whole alliance), need-to-know categories, the
// originating party and the time. Derived items take the highest classification, the
// intersection of releasability and the union of categories of their inputs (combine()).
//
// Text form (docs/SECURITY.md), fields in this order, separated by "; ":
//   JRADS; SECRET; REL TO KAL, MOR; CAT AIR-PICTURE, ORDERS; ORIG KAL; T 1530.25
//   JRADS; RESTRICTED; REL TO ALLIANCE; CAT AIR-PICTURE; ORIG MOR; T 0
// parse_label() accepts exactly what to_text() writes and rejects anything else with the
// byte offset and the problem.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/core/sim_time.hpp"

namespace jrads::security {

// The agreement's common scale of classification, lowest first. Each party's own level names
// map onto it through the equivalence table (EquivalenceTable).
enum class Level : std::uint8_t { unclassified, restricted, confidential, secret, top_secret };
inline constexpr int kLevels = 5;
// "UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET".
[[nodiscard]] const char* to_string(Level l) noexcept;

// Need-to-know categories. A label holds a set of them (a bit mask of 1 << category).
enum class Category : std::uint8_t {
  air_picture,       // "AIR-PICTURE": tracks, identities
  sensors,           // "SENSORS": which sensor saw what, sensor sites and status
  intelligence,      // "INTELLIGENCE": threat assessments, origins
  fire_unit_status,  // "FIRE-UNIT-STATUS": readiness, rounds, positions of fire units
  orders,            // "ORDERS": proposals, approvals, orders, engagements
  audit,             // "AUDIT": the audit log
};
inline constexpr int kCategories = 6;
[[nodiscard]] const char* to_string(Category c) noexcept;  // the text-form spelling above
using CategorySet = std::uint32_t;
[[nodiscard]] constexpr CategorySet category_bit(Category c) noexcept { return CategorySet{1} << static_cast<int>(c); }
inline constexpr CategorySet kAllCategories = (CategorySet{1} << kCategories) - 1;

inline constexpr std::string_view kPolicy = "JRADS";  // the only policy identifier of this version

struct Label {
  std::string policy{kPolicy};
  Level level = Level::unclassified;
  bool rel_alliance = false;           // releasable to every party of the alliance (then rel_to is empty)
  std::vector<std::string> rel_to;     // party ids, sorted, unique, each [A-Z0-9]{2,8} but not ALLIANCE or NONE
  CategorySet categories = 0;          // at least one
  std::string originator;              // party id (as in rel_to)
  SimTime time;                        // >= 0

  friend bool operator==(const Label&, const Label&) = default;
};

// A party id: [A-Z0-9]{2,8}, but not ALLIANCE or NONE (words of the text form). The one rule,
// used by labels, receivers, key files and the party table.
[[nodiscard]] bool is_party_id(std::string_view id) noexcept;

// Whether the label may be released to this party at all (REL TO or alliance); the originator
// always may.
[[nodiscard]] bool releasable_to(const Label& l, std::string_view party) noexcept;

// The label of an item derived from `inputs` (non-empty): the highest level, the intersection
// of their releasability (alliance acts as "everyone"), the union of their categories, and the
// given originator and time.
[[nodiscard]] Label combine(const std::vector<Label>& inputs, std::string originator, SimTime time);

// Errc::invalid_argument naming the field: a policy other than kPolicy, an empty or unknown
// category set, a bad or duplicate party id, rel_to not sorted, alliance with parties, a
// negative time.
[[nodiscard]] Result<void> validate(const Label& l);

// The text form (requires validate(l)). Times are exact decimal seconds.
[[nodiscard]] std::string to_text(const Label& l);
// Strict: exactly the text form, at most 1024 bytes. Errors (Errc::parse_error) say at which
// byte and what was expected: "label byte 14: expected a classification (UNCLASSIFIED, ...)".
[[nodiscard]] Result<Label> parse_label(std::string_view text);

// Each party's national classification names on the common scale, as the agreement sets them.
struct NationalLevel {
  std::string party;
  std::string name;  // the party's own word, e.g. "STROGO POVJERLJIVO"
  Level level = Level::unclassified;
};
class EquivalenceTable {
 public:
  // Errc::invalid_argument: an empty party or name, a name given twice for one party, one
  // party with two names for the same level.
  [[nodiscard]] static Result<EquivalenceTable> make(std::vector<NationalLevel> entries);
  // The common level of a party's national name; Errc::dangling_ref naming both when unknown.
  [[nodiscard]] Result<Level> common(std::string_view party, std::string_view name) const;
  // The party's name for a common level; Errc::dangling_ref when the party has none for it.
  [[nodiscard]] Result<std::string> national(std::string_view party, Level level) const;

 private:
  std::vector<NationalLevel> entries_;
};

}  // namespace jrads::security
