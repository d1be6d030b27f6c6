// The real kernel's synchronous calls; the System of RawRing and UringRing.
#ifndef IOCP_RING_POSIX_SYSTEM_H_
#define IOCP_RING_POSIX_SYSTEM_H_

#include "ring/system.h"

namespace ring {

System& PosixSystem();

}  // namespace ring

#endif  // IOCP_RING_POSIX_SYSTEM_H_
