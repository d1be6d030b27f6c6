// What the simulation tests need from the simulated kernel and the handle
// table, behind plain functions: the tests are written against windows.h,
// which cannot share a translation unit with the Linux socket headers the
// fake kernel's interface includes.
#ifndef IOCP_TESTS_SIMULATION_SIM_CONTROL_H_
#define IOCP_TESTS_SIMULATION_SIM_CONTROL_H_

#include <stdint.h>

// Moves the default simulated kernel's virtual clock forward.
void SimAdvanceTime(int64_t ns);
uint64_t SimCompletionsDelivered();
// Completions that found a full CQ and waited in its overflow list.
uint64_t SimCompletionsOverflowed();
// Handles open in the process's handle table.
uint32_t SimLiveHandles();
// Threads inside a Win32 dispatcher wait (WaitForSingleObject & co.), each
// counted once it has told its port that it blocked.
int SimDispatcherWaiters();

#endif  // IOCP_TESTS_SIMULATION_SIM_CONTROL_H_
