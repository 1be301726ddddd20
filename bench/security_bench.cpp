// The audit log's hot paths: appending records (the aim: >= 500,000 per second on one core)
// and verifying a whole log (the aim: 1,000,000 records in <= 2 s). Records look like the
// run's: a label, an actor and a body of ~60 bytes; a checkpoint every 4,096 records.
#include <benchmark/benchmark.h>

#include <map>
#include <string>

#include "jrads/security/audit.hpp"

namespace {

using namespace jrads;
using namespace jrads::security;

SigningKey key_of(std::uint8_t tag) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(tag);
  return SigningKey::from_seed(seed);
}

Label record_label(int i) {
  Label l;
  l.level = i % 3 == 0 ? Level::secret : Level::confidential;
  l.rel_to = {"KAL", "MOR"};
  l.categories = category_bit(Category::orders);
  l.originator = i % 2 == 0 ? "KAL" : "MOR";
  return l;
}

const char* kKinds[] = {"proposal", "approval", "order", "outcome", "release"};

// Appends `n` records to `log`; the body varies like the run's (engagement, unit, track).
void append_records(AuditWriter& log, std::int64_t n, const std::array<Label, 4>& labels) {
  std::string body;
  for (std::int64_t i = 0; i < n; ++i) {
    body = "E-";
    body += std::to_string(i);
    body += " FU-KAL-1 T-0042 rounds 2 pk 0.71 range_m 23456";
    auto ok = log.append(SimTime::from_ns(i * 1'000'000), kKinds[i % 5], "KAL-ADC", labels[i % 4], body);
    if (!ok) std::abort();
  }
}

// The writer and the partner's replica (Countersigner) in one thread, as in `jrads run`: each
// record is hashed by both.
void BM_AuditAppend(benchmark::State& state) {
  const std::array<Label, 4> labels{record_label(0), record_label(1), record_label(2), record_label(3)};
  std::string buffer;
  buffer.reserve(2 << 20);
  std::int64_t appended = 0;
  for (auto _ : state) {
    Countersigner partner("bench", key_of(2));
    AuditWriter log(
        "bench", "KAL-CP", key_of(1), partner,
        [&](std::string_view s) {
          if (buffer.size() > (1 << 20)) buffer.clear();  // a buffered file write, without the disk
          buffer.append(s);
        },
        4096);
    append_records(log, 100'000, labels);
    appended += 100'000;
  }
  state.SetItemsProcessed(appended);
}
BENCHMARK(BM_AuditAppend)->Unit(benchmark::kMillisecond);

void BM_AuditVerify(benchmark::State& state) {
  const std::int64_t n = state.range(0);
  const std::array<Label, 4> labels{record_label(0), record_label(1), record_label(2), record_label(3)};
  std::string text;
  const SigningKey writer = key_of(1), partner_key = key_of(2);
  {
    Countersigner partner("bench", partner_key);
    AuditWriter log("bench", "KAL-CP", writer, partner, [&](std::string_view s) { text.append(s); }, 4096);
    append_records(log, n, labels);
    if (!log.checkpoint(SimTime::from_ns(n * 1'000'000), true)) std::abort();
  }
  std::map<KeyId, KeyInfo> keys{{key_id(writer.public_key()), {writer.public_key(), "KAL-CP", "KAL"}},
                                {key_id(partner_key.public_key()), {partner_key.public_key(), "MOR-CP", "MOR"}}};
  const KeyLookup lookup = [&](const KeyId& id) -> Result<KeyInfo> {
    auto it = keys.find(id);
    if (it == keys.end()) return fail(Errc::dangling_ref, "unknown key");
    return it->second;
  };
  for (auto _ : state) {
    auto report = verify_audit(text, lookup);
    if (!report || report->records != static_cast<std::uint64_t>(n)) std::abort();
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
}
BENCHMARK(BM_AuditVerify)->ArgNames({"records"})->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
