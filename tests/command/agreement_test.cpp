#include "jrads/command/agreement.hpp"

#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include "jrads/core/rng.hpp"

namespace jrads::command {
namespace {

using namespace std::chrono;

Date d(int y, unsigned m, unsigned dd) { return Date{year{y}, month{m}, day{dd}}; }

const AgreementTerms kTerms{d(2025, 3, 14), 5, true, 6};

AgreementState state(const std::vector<TerminationNotice>& notices, Date on, const AgreementTerms& t = kTerms) {
  return agreement_state(t, notices, on);
}

TEST(Agreement, InForceFromItsDateAndRenewedWithoutNotice) {
  EXPECT_EQ(state({}, d(2025, 3, 13)).phase, AgreementPhase::not_yet_in_force);
  EXPECT_FALSE(state({}, d(2025, 3, 13)).in_force);
  const AgreementState first = state({}, d(2025, 3, 14));
  EXPECT_TRUE(first.in_force);
  EXPECT_EQ(first.term, 1);
  EXPECT_EQ(first.term_end, d(2030, 3, 14));
  EXPECT_EQ(first.notice_deadline, d(2029, 9, 14));
  EXPECT_EQ(state({}, d(2030, 3, 13)).term, 1);
  const AgreementState renewed = state({}, d(2030, 3, 14));
  EXPECT_TRUE(renewed.in_force);
  EXPECT_EQ(renewed.term, 2);
  EXPECT_EQ(renewed.phase, AgreementPhase::in_force);
  EXPECT_FALSE(renewed.has_end);
  EXPECT_EQ(state({}, d(2061, 1, 1)).term, 8);  // 2060-03-14 .. 2065-03-14
}

TEST(Agreement, NoticeExactlySixMonthsBeforeTheEndEndsItThen) {
  const std::vector<TerminationNotice> n{{"MOR", d(2029, 9, 14)}};
  const AgreementState before = state(n, d(2029, 9, 13));  // not given yet
  EXPECT_EQ(before.phase, AgreementPhase::in_force);
  const AgreementState ending = state(n, d(2029, 9, 14));
  EXPECT_EQ(ending.phase, AgreementPhase::ending);
  ASSERT_TRUE(ending.has_end);
  EXPECT_EQ(ending.end, d(2030, 3, 14));
  EXPECT_NE(ending.reason.find("MOR gave notice on 2029-09-14"), std::string::npos) << ending.reason;
  EXPECT_TRUE(state(n, d(2030, 3, 13)).in_force);  // its last day
  const AgreementState ended = state(n, d(2030, 3, 14));
  EXPECT_EQ(ended.phase, AgreementPhase::ended);
  EXPECT_FALSE(ended.in_force);
  EXPECT_EQ(ended.term, 1);
  EXPECT_FALSE(state(n, d(2040, 1, 1)).in_force);
}

TEST(Agreement, NoticeOneDayLateEndsItOneTermLater) {
  const std::vector<TerminationNotice> n{{"KAL", d(2029, 9, 15)}};
  const AgreementState s = state(n, d(2029, 9, 15));
  EXPECT_EQ(s.phase, AgreementPhase::in_force);  // this term renews regardless
  ASSERT_TRUE(s.has_end);
  EXPECT_EQ(s.end, d(2035, 3, 14));
  const AgreementState renewed = state(n, d(2030, 3, 14));
  EXPECT_EQ(renewed.term, 2);
  EXPECT_EQ(renewed.phase, AgreementPhase::ending);
  EXPECT_TRUE(state(n, d(2035, 3, 13)).in_force);
  EXPECT_EQ(state(n, d(2035, 3, 14)).phase, AgreementPhase::ended);
}

TEST(Agreement, LeapDayStartEndsTermsOnTheLastDayOfFebruary) {
  const AgreementTerms t{d(2024, 2, 29), 5, true, 6};
  const AgreementState s = state({}, d(2024, 2, 29), t);
  EXPECT_EQ(s.term_end, d(2029, 2, 28));
  EXPECT_EQ(s.notice_deadline, d(2028, 8, 28));
  EXPECT_EQ(state({}, d(2029, 2, 27), t).term, 1);
  EXPECT_EQ(state({}, d(2029, 2, 28), t).term, 2);
  // Anniversaries count from the first day, so a leap year gives the 29th back.
  EXPECT_EQ(state({}, d(2044, 2, 28), t).term, 4);
  EXPECT_EQ(state({}, d(2044, 2, 29), t).term, 5);
  // Notice on the deadline (2028 is a leap year too: 28 August) is in time; the day after is late.
  EXPECT_EQ(state({{"MOR", d(2028, 8, 28)}}, d(2029, 2, 28), t).phase, AgreementPhase::ended);
  EXPECT_TRUE(state({{"MOR", d(2028, 8, 29)}}, d(2029, 2, 28), t).in_force);
}

TEST(Agreement, NoticeDeadlineClampsToTheEndOfTheMonth) {
  // Ends on 31 August 2030; six months earlier is "31 February": the deadline is 28 February.
  const AgreementTerms t{d(2025, 8, 31), 5, true, 6};
  EXPECT_EQ(state({}, d(2025, 9, 1), t).notice_deadline, d(2030, 2, 28));
  EXPECT_EQ(state({{"KAL", d(2030, 2, 28)}}, d(2030, 8, 31), t).phase, AgreementPhase::ended);
  EXPECT_TRUE(state({{"KAL", d(2030, 3, 1)}}, d(2030, 8, 31), t).in_force);
}

TEST(Agreement, WithoutRenewalItEndsAfterOneTerm) {
  AgreementTerms t = kTerms;
  t.automatic_renewal = false;
  const AgreementState s = state({}, d(2026, 1, 1), t);
  EXPECT_EQ(s.phase, AgreementPhase::ending);
  EXPECT_EQ(s.end, d(2030, 3, 14));
  EXPECT_EQ(state({}, d(2030, 3, 14), t).phase, AgreementPhase::ended);
  EXPECT_NE(state({}, d(2030, 3, 14), t).reason.find("not renewed"), std::string::npos);
}

TEST(Agreement, TheEarliestEndOfSeveralNoticesWinsAndEarlyNoticeCountsForTheFirstTerm) {
  const std::vector<TerminationNotice> n{{"KAL", d(2031, 1, 1)}, {"MOR", d(2024, 12, 1)}};
  EXPECT_EQ(state(n, d(2025, 6, 1)).end, d(2030, 3, 14));
  EXPECT_EQ(state(n, d(2030, 3, 14)).phase, AgreementPhase::ended);
  EXPECT_NE(state(n, d(2030, 3, 14)).reason.find("MOR"), std::string::npos);
}

TEST(Agreement, StateIsConsistentDayByDay) {
  // Seeded random terms and notices: in force exactly between term_start and term_end, never
  // in force again once ended, and term numbers never go down.
  RngStream rng = Rng(5).stream("command/agreement");
  for (int rep = 0; rep < 40; ++rep) {
    AgreementTerms t;
    t.term_years = 1 + static_cast<int>(rng.below(6));
    t.notice_months = static_cast<int>(rng.below(static_cast<std::uint64_t>(12 * t.term_years)));
    t.automatic_renewal = rng.bernoulli(0.8);
    t.in_force = Date{sys_days{d(2020, 1, 1)} + days{static_cast<int>(rng.below(3000))}};
    ASSERT_TRUE(validate(t));
    std::vector<TerminationNotice> n;
    if (rng.bernoulli(0.7)) n.push_back({"A", Date{sys_days{t.in_force} + days{static_cast<int>(rng.below(6000))}}});
    bool ended = false;
    int last_term = 0;
    for (sys_days day = sys_days{t.in_force} - days{3}; day < sys_days{t.in_force} + days{9000}; day += days{7}) {
      const AgreementState s = agreement_state(t, n, Date{day});
      if (s.in_force) {
        EXPECT_LE(s.term_start, Date{day});
        EXPECT_GT(s.term_end, Date{day});
        EXPECT_FALSE(ended) << "in force again after it ended";
      }
      if (s.phase == AgreementPhase::ended) ended = true;
      EXPECT_GE(s.term, last_term);
      last_term = s.term;
    }
  }
}

TEST(Agreement, BadTermsAndDatesAreRejected) {
  EXPECT_FALSE(validate(AgreementTerms{d(2025, 2, 29), 5, true, 6}));
  EXPECT_FALSE(validate(AgreementTerms{d(2025, 3, 1), 0, true, 6}));
  const auto bad_notice = validate(AgreementTerms{d(2025, 3, 1), 1, true, 12});
  ASSERT_FALSE(bad_notice);
  EXPECT_NE(bad_notice.error().message.find("notice_months 12 outside [0, 11]"), std::string::npos);
  EXPECT_TRUE(validate(kTerms));
  EXPECT_EQ(*parse_date("2024-02-29"), d(2024, 2, 29));
  for (const char* bad : {"2025-02-29", "2025-13-01", "2025-00-10", "25-01-01", "2025/01/01", "", "abcd-ef-gh",
                          "2200-01-01", "1899-12-31", "2025-01-01x", "2025-1-01"}) {
    EXPECT_FALSE(parse_date(bad)) << bad;
  }
  EXPECT_EQ(format_date(d(2030, 3, 14)), "2030-03-14");
  EXPECT_EQ(add_months(d(2030, 8, 31), -6), d(2030, 2, 28));
  EXPECT_EQ(add_months(d(2024, 2, 29), 12), d(2025, 2, 28));
  EXPECT_EQ(add_months(d(2024, 1, 31), 1), d(2024, 2, 29));
}

}  // namespace
}  // namespace jrads::command
