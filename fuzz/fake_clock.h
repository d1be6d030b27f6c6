// Moves the default simulated kernel's virtual clock forward (completions
// that fall due are delivered). For fuzzers written against windows.h.
#ifndef IOCP_FUZZ_FAKE_CLOCK_H_
#define IOCP_FUZZ_FAKE_CLOCK_H_

#include <stdint.h>

void AdvanceFakeTime(int64_t ns);

#endif  // IOCP_FUZZ_FAKE_CLOCK_H_
