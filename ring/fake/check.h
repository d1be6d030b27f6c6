// FAKE_CHECK: an invariant of the simulation that must hold in every build.
// A broken invariant means the fake no longer models the kernel, so carrying
// on would only produce misleading test results: abort with the location.
#ifndef IOCP_RING_FAKE_CHECK_H_
#define IOCP_RING_FAKE_CHECK_H_

#include <stdio.h>
#include <stdlib.h>

#define FAKE_CHECK(condition)                                                        \
  do {                                                                               \
    if (!(condition)) {                                                              \
      fprintf(stderr, "%s:%d: fake kernel invariant failed: %s\n", __FILE__, __LINE__, \
              #condition);                                                           \
      abort();                                                                       \
    }                                                                                \
  } while (0)

#endif  // IOCP_RING_FAKE_CHECK_H_
