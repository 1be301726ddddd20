#pragma once
// The agreement's state on a given day (mission R7): in force from its date for a term (5
// years), renewed automatically for further terms unless a party gave notice of termination at
// least the notice period (6 months) before the end of the current term. Joint coordination
// and sharing follow it: when the agreement is not in force, neither is the coordinating
// authority nor the exchange of the air picture.
//
//   AgreementTerms t{.in_force = 2025y / March / 14};
//   const TerminationNotice n{"MOR", 2029y / September / 14};     // exactly 6 months before
//   agreement_state(t, {&n, 1}, 2030y / March / 13).in_force;      // true: the last day
//   agreement_state(t, {&n, 1}, 2030y / March / 14).in_force;      // false: ended
//
// Dates are civil (proleptic Gregorian) days; a term runs from its first day up to, not
// including, the same date `term_years` later. Adding years or months to a day that the
// target month lacks (29 February in a common year, 31 August minus 6 months) gives the last
// day of that month: a term begun on 29 February 2024 ends before 28 February 2029.
#include <chrono>
#include <cstdint>
#include <span>
#include <string>

#include "jrads/core/result.hpp"

namespace jrads::command {

using Date = std::chrono::year_month_day;

struct AgreementTerms {
  Date in_force = std::chrono::year{2025} / std::chrono::January / 1;  // first day in force
  int term_years = 5;               // >= 1
  bool automatic_renewal = true;
  int notice_months = 6;            // >= 0, less than a term
};

// A party's notice of termination, given on `given` (the day it was received).
struct TerminationNotice {
  std::string party;
  Date given;
};

enum class AgreementPhase : std::uint8_t {
  not_yet_in_force,  // before its first day
  in_force,          // within a term, no notice that ends it at this term's end
  ending,            // in force, in its last term: a timely notice (or no renewal) ends it
  ended,             // on or after its last day in force + 1
};
[[nodiscard]] const char* to_string(AgreementPhase p) noexcept;

struct AgreementState {
  AgreementPhase phase = AgreementPhase::not_yet_in_force;
  bool in_force = false;   // phase is in_force or ending
  int term = 0;            // 1 for the first term, 2 for the first renewal...; 0 before
  Date term_start;         // first day of that term (or of the last term, once ended)
  Date term_end;           // first day after it
  Date notice_deadline;    // last day a notice ends the agreement at term_end
  bool has_end = false;    // the day it ends (is no longer in force) is known ...
  Date end;                // ... and this is it
  std::string reason;      // readable: why this state (which notice, which term)
};

// Checks the terms: a valid in-force date, term_years in [1, 99], notice_months in
// [0, 12 * term_years). Errc::invalid_argument with the field named otherwise.
[[nodiscard]] Result<void> validate(const AgreementTerms& terms);

// The state on day `on`. Notices are taken into account once given (a notice given after
// `on` is not yet known); a notice given before the agreement is in force counts against its
// first term. Several notices: the earliest end wins. Requires validate(terms).
[[nodiscard]] AgreementState agreement_state(const AgreementTerms& terms, std::span<const TerminationNotice> notices,
                                             Date on);

// `d` moved by whole months (negative: back), clamped to the last day of the target month.
[[nodiscard]] Date add_months(Date d, int months) noexcept;

// Reads YYYY-MM-DD (a real calendar day, years 1900-2199).
[[nodiscard]] Result<Date> parse_date(std::string_view text);
// YYYY-MM-DD.
[[nodiscard]] std::string format_date(Date d);

}  // namespace jrads::command
