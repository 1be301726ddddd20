// The federation's per-sample cost, which bounds the track updates one node can send another
// each second: sealing (Ed25519 signature, XChaCha20-Poly1305) and opening (AEAD, signature
// check) a sample with a track row's payload (a tracks.csv line, ~130 bytes); and a sealed
// sample's way through Cyclone DDS between two participants in one process (reliable topic,
// publish then take, opened at the far end). Issue 7's latency against ddsperf comes with
// the nodes.
#include <benchmark/benchmark.h>

#include <string>
#include <unistd.h>

#include "federation/test_nodes.hpp"  // node keys
#include "jrads/federation/dds_bus.hpp"
#include "jrads/federation/sample.hpp"

namespace {

using namespace jrads;
using namespace jrads::federation;

using namespace jrads::federation::test_nodes;

struct Fixture {
  security::NodeKeys kal = keys_of("KAL-C2", "KAL", 1), mor = keys_of("MOR-C2", "MOR", 2);
  security::SymmetricKey key = kal.agreement.shared_key(mor.record.agree_public).value();
  security::Keyring ring;
  security::Label label;
  std::string payload = "1234.000000000,42,confirmed,hostile,44.123456789,20.987654321,9144.2,-210.5,12.25,0.0,85.1,6.2\n";
  Fixture() {
    (void)ring.add(kal.record);
    label.level = security::Level::secret;
    label.rel_to = {"MOR"};
    label.categories = security::category_bit(security::Category::air_picture);
    label.originator = "KAL";
    label.time = SimTime::from_s(1234);
  }
  SampleHeader header(std::uint64_t seq, Topic t = Topic::tracks) const {
    return {topic_name(t), "KAL-C2", "MOR-C2", static_cast<std::uint32_t>(seq % 1000), seq, SimTime::from_s(1234)};
  }
};

void BM_SealSample(benchmark::State& state) {
  const Fixture f;
  std::uint64_t seq = 0;
  for (auto _ : state) {
    WireSample w = seal_sample(f.header(++seq), f.label, security::as_bytes(f.payload), f.kal, f.key);
    benchmark::DoNotOptimize(w.sealed.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SealSample);

void BM_OpenSample(benchmark::State& state) {
  const Fixture f;
  const WireSample w = seal_sample(f.header(1), f.label, security::as_bytes(f.payload), f.kal, f.key);
  for (auto _ : state) {
    auto o = open_sample(w, "jrads/tracks", "MOR-C2", f.key, f.ring, kNow);
    if (!o) state.SkipWithError("did not open");
    benchmark::DoNotOptimize(o);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_OpenSample);

// Batches of 1,000 sealed samples published on jrads/orders and taken and opened by the other
// participant: seal, DDS both ways and open, per sample.
void BM_BusSealedThroughput(benchmark::State& state) {
  const Fixture f;
  const std::uint32_t domain = 101 + static_cast<std::uint32_t>(getpid()) % 100;
  auto kal = DdsBus::open(domain, "KAL-C2");
  auto mor = DdsBus::open(domain, "MOR-C2");
  if (!kal || !mor) {
    state.SkipWithError("no DDS");
    return;
  }
  for (int i = 0; i < 1000 && mor->matched_writers(Topic::orders) < 2; ++i) usleep(1000);
  std::uint64_t seq = 0;
  constexpr int kBatch = 1000;
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      if (!kal->publish(seal_sample(f.header(++seq, Topic::orders), f.label, security::as_bytes(f.payload), f.kal, f.key)))
        state.SkipWithError("publish failed");
    }
    int got = 0;
    for (int spins = 0; got < kBatch && spins < 100000; ++spins) {
      for (Received& r : mor->take(Topic::orders)) {
        if (r.sample.header.receiver != "MOR-C2") continue;
        got += open_sample(r.sample, "jrads/orders", "MOR-C2", f.key, f.ring, kNow).has_value();
      }
    }
    (void)kal->take(Topic::orders);  // the sender's own reader: drained, not counted
    if (got != kBatch) state.SkipWithError("samples lost on a reliable topic");
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_BusSealedThroughput)->Unit(benchmark::kMillisecond);

}  // namespace
