#include "jrads/command/agreement.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

namespace jrads::command {

namespace {

using namespace std::chrono;

// The n-th anniversary period boundary: `start` plus `years` years, clamped to the month's end.
Date add_years(Date start, int years) noexcept { return add_months(start, 12 * years); }

struct Term {
  int index = 0;  // 0-based
  Date start, end, deadline;
};

Term term_of(const AgreementTerms& t, int index) {
  Term out;
  out.index = index;
  out.start = add_years(t.in_force, index * t.term_years);
  out.end = add_years(t.in_force, (index + 1) * t.term_years);
  out.deadline = add_months(out.end, -t.notice_months);  // "at least N months before the end"
  return out;
}

// The first term whose notice deadline is on or after `given`: the term a notice ends.
Term term_ended_by(const AgreementTerms& t, Date given) {
  int k = 0;
  Term term = term_of(t, k);
  while (given > term.deadline) term = term_of(t, ++k);
  return term;
}

}  // namespace

const char* to_string(AgreementPhase p) noexcept {
  switch (p) {
    case AgreementPhase::not_yet_in_force: return "not_yet_in_force";
    case AgreementPhase::in_force: return "in_force";
    case AgreementPhase::ending: return "ending";
    case AgreementPhase::ended: return "ended";
  }
  return "?";
}

Date add_months(Date d, int months) noexcept {
  const year_month ym = year_month{d.year(), d.month()} + std::chrono::months{months};
  const year_month_day_last last{ym.year(), month_day_last{ym.month()}};
  const Date candidate{ym.year(), ym.month(), d.day()};
  return candidate.ok() ? candidate : Date{last};
}

Result<void> validate(const AgreementTerms& t) {
  if (!t.in_force.ok() || t.in_force.year() < year{1900} || t.in_force.year() > year{2199}) {
    return fail(Errc::invalid_argument, "agreement: in_force is not a calendar day of 1900-2199");
  }
  if (t.term_years < 1 || t.term_years > 99) {
    return fail(Errc::invalid_argument, "agreement: term_years " + std::to_string(t.term_years) + " outside [1, 99]");
  }
  if (t.notice_months < 0 || t.notice_months >= 12 * t.term_years) {
    return fail(Errc::invalid_argument, "agreement: notice_months " + std::to_string(t.notice_months) +
                                            " outside [0, " + std::to_string(12 * t.term_years - 1) + "]");
  }
  return {};
}

AgreementState agreement_state(const AgreementTerms& t, std::span<const TerminationNotice> notices, Date on) {
  AgreementState s;
  // The day it ends, from what is known on `on`: the earliest end any notice given by then
  // brings, and the end of the first term when it does not renew.
  std::optional<Term> last_term;
  const TerminationNotice* decisive = nullptr;
  for (const TerminationNotice& n : notices) {
    if (n.given > on) continue;
    const Term ended = term_ended_by(t, n.given);
    if (!last_term || ended.end < last_term->end) {
      last_term = ended;
      decisive = &n;
    }
  }
  if (!t.automatic_renewal && (!last_term || last_term->index > 0)) {
    last_term = term_of(t, 0);
    decisive = nullptr;
  }
  if (last_term) {
    s.has_end = true;
    s.end = last_term->end;
  }
  if (on < t.in_force) {
    const Term first = term_of(t, 0);
    s.phase = AgreementPhase::not_yet_in_force;
    s.term_start = first.start;
    s.term_end = first.end;
    s.notice_deadline = first.deadline;
    s.reason = "not in force before " + format_date(t.in_force);
    return s;
  }

  if (last_term && on >= last_term->end) {
    s.phase = AgreementPhase::ended;
    s.in_force = false;
    s.term = last_term->index + 1;
    s.term_start = last_term->start;
    s.term_end = last_term->end;
    s.notice_deadline = last_term->deadline;
    s.reason = "ended on " + format_date(last_term->end) +
               (decisive != nullptr ? ": " + decisive->party + " gave notice on " + format_date(decisive->given)
                                    : ": not renewed (automatic_renewal is false)");
    return s;
  }
  // The term that contains `on`.
  int k = 0;
  Term term = term_of(t, k);
  while (on >= term.end) term = term_of(t, ++k);
  s.in_force = true;
  s.term = term.index + 1;
  s.term_start = term.start;
  s.term_end = term.end;
  s.notice_deadline = term.deadline;
  if (last_term && last_term->index == term.index) {
    s.phase = AgreementPhase::ending;
    s.reason = "in force, term " + std::to_string(s.term) + ", ends on " + format_date(term.end) +
               (decisive != nullptr ? ": " + decisive->party + " gave notice on " + format_date(decisive->given)
                                    : ": not renewed");
  } else {
    s.phase = AgreementPhase::in_force;
    s.reason = "in force, term " + std::to_string(s.term) + " (" + std::to_string(t.term_years) + " years), renews on " +
               format_date(term.end) + " unless notice is given by " + format_date(term.deadline);
  }
  return s;
}

Result<Date> parse_date(std::string_view text) {
  auto digits = [&](std::size_t from, std::size_t n) -> std::optional<int> {
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return fail(Errc::invalid_argument, "expected a date YYYY-MM-DD, got '" + std::string(text.substr(0, 40)) + "'");
  }
  const auto y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (!y || !m || !d) return fail(Errc::invalid_argument, "expected a date YYYY-MM-DD, got '" + std::string(text) + "'");
  const Date date{year{*y}, month{static_cast<unsigned>(*m)}, day{static_cast<unsigned>(*d)}};
  if (!date.ok() || *y < 1900 || *y > 2199) {
    std::string message = "not a calendar day of 1900-2199: ";  // in steps: g++ 12 warns falsely (-Wrestrict) on "'" + s
    message += text;
    return fail(Errc::invalid_argument, message);
  }
  return date;
}

std::string format_date(Date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                static_cast<unsigned>(d.day()));
  return buf;
}

}  // namespace jrads::command
