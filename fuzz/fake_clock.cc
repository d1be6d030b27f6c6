// The one simulation control the Win32-level fuzzers use, behind a plain
// function: their sources include the Windows headers, which cannot share a
// translation unit with the Linux socket headers the fake kernel's need.
#include "fuzz/fake_clock.h"

#include "ring/fake/default_fake.h"

void AdvanceFakeTime(int64_t ns) { ring::DefaultFakeKernel().AdvanceTime(ns); }
