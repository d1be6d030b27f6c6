#include "ring/fake/default_fake.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ring/default_ring.h"
#include "ring/fake/fake_ring.h"

namespace ring {
namespace {

constexpr uint32_t kMaxEntries = 32768;

uint64_t SeedFromEnvironment() {
  const char* text = getenv("IOCP_FAKE_SEED");
  if (text == nullptr || *text == '\0') return 1;
  char* end = nullptr;
  const unsigned long long seed = strtoull(text, &end, 0);
  return (end != nullptr && *end == '\0') ? seed : 1;
}

// IOCP_FAKE_FAULTS="partial=0.2,reset=0.01,cancel_race=0.3,slow=0.05,delay=8,cq=4":
// the injected faults, the completion delay and a cap on every ring's CQ
// (see FakeOptions), so that a
// whole program can run against a misbehaving (but still kernel-like)
// simulation. Unknown keys are ignored; absent keys keep the defaults.
void FaultsFromEnvironment(FakeOptions* options) {
  const char* text = getenv("IOCP_FAKE_FAULTS");
  if (text == nullptr) return;
  while (*text != '\0') {
    const char* equals = strchr(text, '=');
    if (equals == nullptr) return;
    const size_t key_length = static_cast<size_t>(equals - text);
    char* end = nullptr;
    const double value = strtod(equals + 1, &end);
    auto is = [&](const char* key) {
      return strlen(key) == key_length && strncmp(text, key, key_length) == 0;
    };
    if (is("partial")) options->partial_transfer = value;
    if (is("reset")) options->spurious_reset = value;
    if (is("cancel_race")) options->cancel_race = value;
    if (is("slow")) options->slow_completion = value;
    if (is("delay")) options->max_delay_ticks = static_cast<uint32_t>(value);
    if (is("cq")) options->cq_entries_cap = static_cast<uint32_t>(value);
    if (end == nullptr || *end == '\0') return;
    text = end + 1;  // past the comma
  }
}

}  // namespace

FakeKernel& DefaultFakeKernel() {
  // Never destroyed: rings made by CreateDefaultRing may outlive static
  // destruction order.
  static FakeKernel* const kernel = [] {
    FakeOptions options;
    options.seed = SeedFromEnvironment();
    FaultsFromEnvironment(&options);
    return new FakeKernel(options);
  }();
  return *kernel;
}

std::unique_ptr<Ring> CreateDefaultRing(const RingOptions& options, int* error) {
  // io_uring_setup refuses these sizes.
  if (options.entries == 0 || options.entries > kMaxEntries) {
    if (error != nullptr) *error = -EINVAL;
    return nullptr;
  }
  if (error != nullptr) *error = 0;
  return std::make_unique<FakeRing>(DefaultFakeKernel(), options);
}

System& DefaultSystem() { return DefaultFakeKernel(); }

const char* DefaultRingName() { return "fake"; }

}  // namespace ring
