#include "run/test_files.hpp"
#include "jrads/run/run_audit.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "jrads/security/audit.hpp"

namespace jrads::run {
namespace {

namespace fs = std::filesystem;
using test_files::fresh_dir;
using test_files::read_file;

security::SigningKey key_of(std::uint8_t tag) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(tag);
  return security::SigningKey::from_seed(seed);
}

AuditSigners signers() { return {{"KAL-C2", "KAL", key_of(1)}, {"MOR-C2", "MOR", key_of(2)}}; }

security::KeyLookup lookup(const AuditSigners& s) {
  std::map<security::KeyId, security::KeyInfo> known{
      {security::key_id(s.writer.key.public_key()), {s.writer.key.public_key(), s.writer.node, s.writer.party}},
      {security::key_id(s.partner.key.public_key()), {s.partner.key.public_key(), s.partner.node, s.partner.party}}};
  return [known](const security::KeyId& id) -> Result<security::KeyInfo> {
    auto it = known.find(id);
    if (it == known.end()) return fail(Errc::dangling_ref, "unknown key");
    return it->second;
  };
}

std::vector<EventRow> some_rows() {
  std::vector<EventRow> rows;
  for (int i = 0; i < 30; ++i) {
    EventRow r;
    r.time = SimTime::from_s(10.0 + 7.5 * i);  // spans four simulated minutes
    r.event = i % 3 == 0 ? "proposal" : i % 3 == 1 ? "approval" : "refusal";
    r.engagement = static_cast<std::uint64_t>(i / 3 + 1);
    r.track = static_cast<std::uint32_t>(40 + i);
    r.unit = "FU-MOR-1";
    r.unit_party = "MOR";
    r.actor = i % 3 == 0 ? "KAL-CC" : "MOR-ADC";
    r.actor_party = i % 3 == 0 ? "KAL" : "MOR";
    r.threat_class = "cruise_missile";
    r.identity = "hostile";
    r.kill_probability = 0.7;
    if (i % 3 == 2) {
      r.rules = "interlock:civil_evidence";
      r.reasons = "track had a civil squawk; \x01 control bytes become ?";
    }
    rows.push_back(r);
  }
  return rows;
}

TEST(RunAudit, RecordsEveryRowAndEveryOutputAndVerifies) {
  const fs::path dir = fresh_dir("run-audit");
  std::ofstream(dir / "a.csv") << "x,y\n1,2\n";
  std::ofstream(dir / "b.json") << "{}\n";
  const std::vector<fs::path> outputs{dir / "a.csv", dir / "b.json"};
  const std::vector<std::string> parties{"KAL", "MOR"};
  const auto rows = some_rows();
  auto s = write_run_audit(dir / "audit.log", "run-1", signers(), rows, parties, true, "KAL", outputs);
  ASSERT_TRUE(s.has_value()) << s.error().to_string();
  EXPECT_EQ(s->records, 2u + rows.size() + outputs.size());
  const std::string text = read_file(dir / "audit.log");
  auto report = security::verify_audit(text, lookup(signers()));
  ASSERT_TRUE(report.has_value()) << report.error().to_string();
  EXPECT_EQ(report->records, s->records);
  EXPECT_EQ(report->checkpoints, s->checkpoints);
  EXPECT_GE(report->checkpoints, 4u);  // minutes 1, 2, 3 and the final
  auto contents = security::parse_audit(text).value();
  ASSERT_EQ(contents.records.size(), s->records);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = contents.records[2 + i];
    EXPECT_EQ(r.kind, rows[i].event);
    EXPECT_EQ(r.actor, rows[i].actor);
    EXPECT_EQ(r.label.originator, rows[i].actor_party);
    EXPECT_EQ(r.label.rel_to, parties);
    EXPECT_NE(r.body.find("track " + std::to_string(rows[i].track)), std::string::npos) << r.body;
  }
  EXPECT_NE(contents.records[2 + 2].body.find("?"), std::string::npos);  // the control byte
  const auto& out = contents.records.back();
  EXPECT_EQ(out.kind, "output");
  EXPECT_EQ(out.body, "file b.json sha256 " + security::sha256(security::as_bytes("{}\n")).hex());
}

TEST(RunAudit, AfterTheAgreementEventsAreReleasableToNoOtherParty) {
  EventRow r;
  r.actor_party = "MOR";
  const std::vector<std::string> parties{"KAL", "MOR"};
  EXPECT_EQ(event_label(r, parties, true, "KAL").rel_to, parties);
  EXPECT_TRUE(event_label(r, parties, false, "KAL").rel_to.empty());
  EXPECT_EQ(event_label(r, parties, false, "KAL").originator, "MOR");
  r.actor_party.clear();
  r.unit_party = "MOR";
  EXPECT_EQ(event_label(r, parties, true, "KAL").originator, "MOR");
  r.unit_party.clear();
  EXPECT_EQ(event_label(r, parties, true, "KAL").originator, "KAL");
  EXPECT_TRUE(security::validate(event_label(r, parties, false, "KAL")).has_value());
}

TEST(RunAudit, FailsWithoutWritingForAMissingOutputOrOnePartyOnly) {
  const fs::path dir = fresh_dir("run-audit-fail");
  const std::vector<fs::path> missing{dir / "nope.csv"};
  const std::vector<std::string> parties{"KAL", "MOR"};
  auto r = write_run_audit(dir / "audit.log", "run-1", signers(), some_rows(), parties, true, "KAL", missing);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("nope.csv"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir / "audit.log"));
  AuditSigners same = signers();
  same.partner.party = "KAL";
  EXPECT_FALSE(write_run_audit(dir / "audit.log", "run-1", same, some_rows(), parties, true, "KAL", {}).has_value());
  EXPECT_FALSE(fs::exists(dir / "audit.log"));
}

}  // namespace
}  // namespace jrads::run
