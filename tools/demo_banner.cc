// Linked into //tools:demo next to tests/programs/echo.c. The program
// is plain Windows C and cannot know what it runs on; this says so before its
// main() starts: what the program is and which ring backend is underneath.
#include <stdio.h>

#include "ring/default_ring.h"
#include "ring/ring.h"

namespace {

struct Banner {
  Banner() {
    printf("demo: running tests/programs/echo.c, a Windows IOCP echo server and load client "
           "(C11, <winsock2.h>, <mswsock.h>, AcceptEx, ConnectEx, WSARecv, WSASend, "
           "GetQueuedCompletionStatus) compiled unchanged and linked with the Win32 layer\n");
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
