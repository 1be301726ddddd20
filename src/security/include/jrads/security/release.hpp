#pragma once
// Release control: one pure function decides whether a labelled item may go to a receiver —
// at every egress (the bus between nodes, file exports, logs, the picture server).
//
//   const ReleaseDecision d = decide_release(label, receiver, agreement_in_force);
//   if (!d.allowed) audit(d.reasons);   // never sent
//
// Rules, all of which must pass (every failing one is a reason, in this order):
//   1. the label is valid (validate()). An invalid label is reported with validate()'s
//      message as its only reason: nothing else about it can be trusted, so rules 2-6 are
//      not evaluated;
//   2. the receiver's party is the originator, or the label is releasable to it (REL TO the
//      party, or to the alliance). A receiver party that is not a party id ([A-Z0-9]{2,8},
//      not ALLIANCE or NONE) fails this rule whatever the label says;
//   3. a receiver of another party than the originator needs the agreement in force (when it
//      has ended, nothing more goes to the former partner, even under REL TO ALLIANCE);
//   4. the receiver's clearance is at least the label's level (a clearance outside Level
//      fails);
//   5. the receiver has need-to-know for every category of the label. Under
//      ReleasePolicy::strip the categories it lacks are put in `stripped` instead of failing,
//      unless that would strip every category of the label (then the rule fails);
//   6. the receiver holds a role that may receive items (any role but none).
// Sanitising (what a release keeps of the item) is done by the egress from the decision's
// `stripped` mask: categories the receiver lacks are stripped instead of refusing, where the
// policy allows it (ReleasePolicy::strip). `stripped` is 0 whenever the item is refused.
#include <string>
#include <vector>

#include "jrads/security/label.hpp"

namespace jrads::security {

struct Receiver {
  std::string party;                 // party id
  Level clearance = Level::unclassified;
  CategorySet need_to_know = 0;      // categories the receiver may see
  bool has_role = true;              // holds a role in the chain of command or a node function
};

// What to do with categories the receiver has no need-to-know for.
enum class ReleasePolicy : std::uint8_t {
  refuse,  // the whole item is refused
  strip,   // released without those parts (the egress removes them; see `stripped`)
};

struct ReleaseDecision {
  bool allowed = false;
  CategorySet stripped = 0;          // categories the egress must remove before sending (strip only)
  std::vector<std::string> rules;    // the rule of each reason: "label", "releasability", "agreement", "clearance", "need_to_know", "role"
  std::vector<std::string> reasons;  // readable, one per failing rule (or why it was allowed)
};

// Pure: the same label, receiver and agreement state give the same decision. A label whose
// categories would all be stripped is refused.
[[nodiscard]] ReleaseDecision decide_release(const Label& label, const Receiver& receiver, bool agreement_in_force,
                                             ReleasePolicy policy = ReleasePolicy::refuse);

}  // namespace jrads::security
