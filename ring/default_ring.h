// The ring a binary gets by default. Exactly one of //ring:default_raw,
// //ring:default_uring or //ring:default_fake provides the definition, so the
// backend is chosen when the binary is linked (production links default_raw).
#ifndef IOCP_RING_DEFAULT_RING_H_
#define IOCP_RING_DEFAULT_RING_H_

#include <memory>

#include "ring/ring.h"
#include "ring/system.h"

namespace ring {

// Creates a ring of the linked backend. On failure returns null and stores a
// negative errno in *error (when error is not null).
std::unique_ptr<Ring> CreateDefaultRing(const RingOptions& options, int* error);

// The System whose descriptors the default ring acts on: the real kernel's
// for raw and uring, the simulated world for fake.
System& DefaultSystem();

// The linked backend's name: "raw", "uring" or "fake".
const char* DefaultRingName();

}  // namespace ring

#endif  // IOCP_RING_DEFAULT_RING_H_
