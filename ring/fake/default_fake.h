// The process-wide FakeKernel behind //ring/fake:default's CreateDefaultRing
// and DefaultSystem(): tests make descriptors here for the default ring.
// Its seed comes from the IOCP_FAKE_SEED environment variable (default 1).
#ifndef IOCP_RING_FAKE_DEFAULT_FAKE_H_
#define IOCP_RING_FAKE_DEFAULT_FAKE_H_

#include "ring/fake/fake_kernel.h"

namespace ring {

FakeKernel& DefaultFakeKernel();

}  // namespace ring

#endif  // IOCP_RING_FAKE_DEFAULT_FAKE_H_
