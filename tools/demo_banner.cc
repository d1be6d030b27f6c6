// Linked into //tools:demo next to tests/programs/worker_pool.c. The program
// is plain Windows C and cannot know what it runs on; this says so before its
// main() starts: what the program is and which ring backend is underneath.
#include <stdio.h>

#include "ring/default_ring.h"
#include "ring/ring.h"

namespace {

struct Banner {
  Banner() {
    printf("demo: running tests/programs/worker_pool.c, a Windows IOCP program (C11, "
           "<windows.h>, CreateThread, GetQueuedCompletionStatus, CONTAINING_RECORD) "
           "compiled unchanged and linked with the Win32 layer\n");
    int error = 0;
    auto ring = ring::CreateDefaultRing(ring::RingOptions{64}, &error);
    if (ring) {
      const ring::Capabilities& caps = ring->capabilities();
      printf("demo: ring backend: %s (io_uring through syscall(2), no liburing; this kernel: "
             "nodrop=%d, ext_arg=%d, single_mmap=%d)\n",
             ring::DefaultRingName(), caps.nodrop, caps.ext_arg, caps.single_mmap);
    } else {
      printf("demo: ring backend: %s (cannot create a ring here: error %d)\n",
             ring::DefaultRingName(), -error);
    }
    fflush(stdout);
  }
};

Banner banner;

}  // namespace
