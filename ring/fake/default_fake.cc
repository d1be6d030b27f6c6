#include "ring/fake/default_fake.h"

#include <errno.h>
#include <stdlib.h>

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

}  // namespace

FakeKernel& DefaultFakeKernel() {
  // Never destroyed: rings made by CreateDefaultRing may outlive static
  // destruction order.
  static FakeKernel* const kernel = [] {
    FakeOptions options;
    options.seed = SeedFromEnvironment();
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
