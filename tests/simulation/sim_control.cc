#include "tests/simulation/sim_control.h"

#include "ring/fake/default_fake.h"
#include "winapi/handle_table.h"
#include "winapi/waitable.h"

void SimAdvanceTime(int64_t ns) { ring::DefaultFakeKernel().AdvanceTime(ns); }
uint64_t SimCompletionsOverflowed() { return ring::DefaultFakeKernel().completions_overflowed(); }
uint64_t SimCompletionsDelivered() { return ring::DefaultFakeKernel().completions_delivered(); }
uint32_t SimLiveHandles() { return winapi::HandleTable::Get().live_handles(); }
int SimDispatcherWaiters() { return winapi::Dispatcher::waiters().load(); }
