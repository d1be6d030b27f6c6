// System, process, memory and console functions through the public headers:
// time conversions, the version, the environment, heaps, Local/Global
// memory, virtual memory, FormatMessageA, the standard handles, console
// modes and control handlers. Built over the raw ring and the fake ring.
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <windows.h>

#include <atomic>
#include <string>

#include "gtest/gtest.h"
#include "tests/conformance/port_testing.h"

namespace {

constexpr DWORD kLongMs = 10000;

uint64_t Ticks(const FILETIME& time) {
  return (uint64_t{time.dwHighDateTime} << 32) | time.dwLowDateTime;
}

FILETIME FromTicks(uint64_t ticks) {
  FILETIME time;
  time.dwLowDateTime = static_cast<DWORD>(ticks);
  time.dwHighDateTime = static_cast<DWORD>(ticks >> 32);
  return time;
}

SYSTEMTIME Date(WORD year, WORD month, WORD day, WORD hour = 0, WORD minute = 0, WORD second = 0,
                WORD milliseconds = 0) {
  SYSTEMTIME time{};
  time.wYear = year;
  time.wMonth = month;
  time.wDay = day;
  time.wHour = hour;
  time.wMinute = minute;
  time.wSecond = second;
  time.wMilliseconds = milliseconds;
  return time;
}

// ---- time ----

TEST(Time, Layouts) {
  EXPECT_EQ(sizeof(SYSTEMTIME), 16u);
  EXPECT_EQ(offsetof(SYSTEMTIME, wDayOfWeek), 4u);
  EXPECT_EQ(offsetof(SYSTEMTIME, wDay), 6u);
  EXPECT_EQ(offsetof(SYSTEMTIME, wMilliseconds), 14u);
  EXPECT_EQ(sizeof(FILETIME), 8u);
  EXPECT_EQ(offsetof(FILETIME, dwHighDateTime), 4u);
}

TEST(Time, EpochsConvert) {
  FILETIME file{};
  SYSTEMTIME start = Date(1601, 1, 1);
  ASSERT_TRUE(SystemTimeToFileTime(&start, &file));
  EXPECT_EQ(Ticks(file), 0u);
  SYSTEMTIME back{};
  ASSERT_TRUE(FileTimeToSystemTime(&file, &back));
  EXPECT_EQ(back.wYear, 1601);
  EXPECT_EQ(back.wDayOfWeek, 1);  // a Monday

  SYSTEMTIME unix_epoch = Date(1970, 1, 1);
  ASSERT_TRUE(SystemTimeToFileTime(&unix_epoch, &file));
  EXPECT_EQ(Ticks(file), 116444736000000000ull);
  ASSERT_TRUE(FileTimeToSystemTime(&file, &back));
  EXPECT_EQ(back.wDayOfWeek, 4);  // a Thursday

  // 2000-02-29 12:34:56.789 UTC, a Tuesday: 951827696 Unix seconds.
  SYSTEMTIME leap = Date(2000, 2, 29, 12, 34, 56, 789);
  ASSERT_TRUE(SystemTimeToFileTime(&leap, &file));
  EXPECT_EQ(Ticks(file), (951827696ull + 11644473600ull) * 10000000ull + 7890000ull);
  ASSERT_TRUE(FileTimeToSystemTime(&file, &back));
  EXPECT_EQ(back.wYear, 2000);
  EXPECT_EQ(back.wMonth, 2);
  EXPECT_EQ(back.wDay, 29);
  EXPECT_EQ(back.wDayOfWeek, 2);
  EXPECT_EQ(back.wHour, 12);
  EXPECT_EQ(back.wMinute, 34);
  EXPECT_EQ(back.wSecond, 56);
  EXPECT_EQ(back.wMilliseconds, 789);

  SYSTEMTIME last = Date(30827, 12, 31, 23, 59, 59, 999);
  ASSERT_TRUE(SystemTimeToFileTime(&last, &file));
  ASSERT_TRUE(FileTimeToSystemTime(&file, &back));
  EXPECT_EQ(back.wYear, 30827);
  EXPECT_EQ(back.wMilliseconds, 999);
}

TEST(Time, RoundTripsEveryFewDays) {
  const uint64_t day = 864000000000ull;
  // Odd steps visit every month, leap days and century boundaries.
  for (uint64_t ticks = 0; ticks < 3000000ull * day; ticks += 997 * day + 3600000000007ull) {
    FILETIME file = FromTicks(ticks);
    SYSTEMTIME system{};
    ASSERT_TRUE(FileTimeToSystemTime(&file, &system)) << ticks;
    FILETIME again{};
    ASSERT_TRUE(SystemTimeToFileTime(&system, &again)) << ticks;
    ASSERT_EQ(Ticks(again), ticks / 10000 * 10000) << ticks;  // milliseconds kept
  }
}

TEST(Time, InvalidFieldsFail) {
  const SYSTEMTIME bad[] = {
      Date(1600, 12, 31),         Date(2024, 13, 1),
      Date(2024, 0, 1),           Date(1900, 2, 29),
      Date(2023, 4, 31),          Date(2024, 1, 0),
      Date(2024, 1, 1, 24),       Date(2024, 1, 1, 0, 60),
      Date(2024, 1, 1, 0, 0, 60), Date(2024, 1, 1, 0, 0, 0, 1000),
      Date(30828, 1, 1),
  };
  for (const SYSTEMTIME& time : bad) {
    FILETIME file{};
    SetLastError(0);
    EXPECT_FALSE(SystemTimeToFileTime(&time, &file)) << time.wYear << "-" << time.wMonth;
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  }
  SYSTEMTIME ok = Date(2000, 2, 29);
  FILETIME file{};
  EXPECT_TRUE(SystemTimeToFileTime(&ok, &file));

  FILETIME negative = FromTicks(0x8000000000000000ull);
  SYSTEMTIME system{};
  EXPECT_FALSE(FileTimeToSystemTime(&negative, &system));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_FALSE(FileTimeToSystemTime(nullptr, &system));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
  EXPECT_FALSE(SystemTimeToFileTime(&ok, nullptr));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
}

// Seconds of CLOCK_REALTIME. Not time(): glibc's reads the coarse clock,
// which lags CLOCK_REALTIME by up to a tick, so across a second boundary
// time() could still say N while the precise clock says N+1 (a flake the
// seed swarm found).
int64_t RealtimeSeconds() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return now.tv_sec;
}

TEST(Time, NowAgreesWithTheSystemClock) {
  const int64_t before = RealtimeSeconds();
  FILETIME coarse{}, precise{};
  GetSystemTimeAsFileTime(&coarse);
  GetSystemTimePreciseAsFileTime(&precise);
  SYSTEMTIME utc{};
  GetSystemTime(&utc);
  const int64_t after = RealtimeSeconds();
  const int64_t epoch = 11644473600;
  EXPECT_GE(static_cast<int64_t>(Ticks(precise) / 10000000) - epoch, before);
  EXPECT_LE(static_cast<int64_t>(Ticks(precise) / 10000000) - epoch, after);
  EXPECT_LE(Ticks(coarse) / 10000000 - epoch, static_cast<uint64_t>(after));
  EXPECT_GE(Ticks(coarse) / 10000000 - epoch + 1, static_cast<uint64_t>(before));
  FILETIME from_fields{};
  ASSERT_TRUE(SystemTimeToFileTime(&utc, &from_fields));
  EXPECT_GE(static_cast<int64_t>(Ticks(from_fields) / 10000000) - epoch, before);
  EXPECT_LE(static_cast<int64_t>(Ticks(from_fields) / 10000000) - epoch, after);
}

TEST(Time, LocalTimeIsUtcPlusTheOffset) {
  SYSTEMTIME utc{}, local{};
  const time_t now = time(nullptr);
  GetSystemTime(&utc);
  GetLocalTime(&local);
  tm fields{};
  localtime_r(&now, &fields);
  FILETIME utc_file{}, local_file{};
  ASSERT_TRUE(SystemTimeToFileTime(&utc, &utc_file));
  ASSERT_TRUE(SystemTimeToFileTime(&local, &local_file));
  const int64_t offset =
      (static_cast<int64_t>(Ticks(local_file)) - static_cast<int64_t>(Ticks(utc_file))) / 10000000;
  EXPECT_LE(std::abs(offset - fields.tm_gmtoff), 2);
}

// ---- version, names, environment, process ----

TEST(Version, UnmanifestedWindows8) {
  OSVERSIONINFOA info{};
  info.dwOSVersionInfoSize = sizeof(info);
  ASSERT_TRUE(GetVersionExA(&info));
  EXPECT_EQ(info.dwMajorVersion, 6u);
  EXPECT_EQ(info.dwMinorVersion, 2u);
  EXPECT_EQ(info.dwBuildNumber, 9200u);
  EXPECT_EQ(info.dwPlatformId, static_cast<DWORD>(VER_PLATFORM_WIN32_NT));
  EXPECT_EQ(info.szCSDVersion[0], '\0');

  OSVERSIONINFOEXA ex{};
  ex.dwOSVersionInfoSize = sizeof(ex);
  ASSERT_TRUE(GetVersionExA(reinterpret_cast<LPOSVERSIONINFOA>(&ex)));
  EXPECT_EQ(ex.dwMajorVersion, 6u);
  EXPECT_EQ(ex.wProductType, VER_NT_WORKSTATION);

  EXPECT_EQ(sizeof(OSVERSIONINFOA), 148u);
  EXPECT_EQ(sizeof(OSVERSIONINFOEXA), 156u);
  EXPECT_EQ(GetVersion(), 0x23F00206u);

  for (DWORD size : {0u, 147u, 152u, 200u}) {
    OSVERSIONINFOEXA wrong{};
    wrong.dwOSVersionInfoSize = size;
    SetLastError(0);
    EXPECT_FALSE(GetVersionExA(reinterpret_cast<LPOSVERSIONINFOA>(&wrong)));
    EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INSUFFICIENT_BUFFER));
    EXPECT_EQ(wrong.dwMajorVersion, 0u);
  }
}

TEST(Names, ComputerName) {
  char name[MAX_COMPUTERNAME_LENGTH + 1];
  DWORD size = sizeof(name);
  ASSERT_TRUE(GetComputerNameA(name, &size));
  EXPECT_EQ(size, strlen(name));
  EXPECT_GT(size, 0u);
  EXPECT_LE(size, static_cast<DWORD>(MAX_COMPUTERNAME_LENGTH));
  for (DWORD i = 0; i < size; ++i) EXPECT_EQ(name[i], toupper(name[i]));

  char tiny[1];
  DWORD tiny_size = 1;
  EXPECT_FALSE(GetComputerNameA(tiny, &tiny_size));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_BUFFER_OVERFLOW));
  EXPECT_EQ(tiny_size, size + 1);
  EXPECT_FALSE(GetComputerNameA(name, nullptr));
}

TEST(Environment, GetSetDelete) {
  ASSERT_TRUE(SetEnvironmentVariableA("IOCP_SYSTEM_TEST_VAR", "value"));
  char buffer[64];
  EXPECT_EQ(GetEnvironmentVariableA("IOCP_SYSTEM_TEST_VAR", buffer, sizeof(buffer)), 5u);
  EXPECT_STREQ(buffer, "value");
  char small[3] = {'x', 'x', 'x'};
  EXPECT_EQ(GetEnvironmentVariableA("IOCP_SYSTEM_TEST_VAR", small, sizeof(small)), 6u);
  EXPECT_EQ(small[0], 'x');  // untouched when it does not fit
  EXPECT_EQ(GetEnvironmentVariableA("IOCP_SYSTEM_TEST_VAR", nullptr, 0), 6u);

  ASSERT_TRUE(SetEnvironmentVariableA("IOCP_SYSTEM_TEST_VAR", nullptr));
  SetLastError(0);
  EXPECT_EQ(GetEnvironmentVariableA("IOCP_SYSTEM_TEST_VAR", buffer, sizeof(buffer)), 0u);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_ENVVAR_NOT_FOUND));
  EXPECT_FALSE(SetEnvironmentVariableA("IOCP_SYSTEM_TEST_VAR", nullptr));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_ENVVAR_NOT_FOUND));
  EXPECT_FALSE(SetEnvironmentVariableA("A=B", "c"));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
}

TEST(Process, ModuleFileNameAndCommandLine) {
  char expected[4096];
  const ssize_t length = readlink("/proc/self/exe", expected, sizeof(expected) - 1);
  ASSERT_GT(length, 4);
  expected[length] = '\0';
  char name[4096];
  EXPECT_EQ(GetModuleFileNameA(nullptr, name, sizeof(name)), static_cast<DWORD>(length));
  EXPECT_STREQ(name, expected);

  char truncated[4] = {'x', 'x', 'x', 'x'};
  SetLastError(0);
  EXPECT_EQ(GetModuleFileNameA(nullptr, truncated, 4), 4u);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INSUFFICIENT_BUFFER));
  EXPECT_EQ(std::string(truncated, 3), std::string(expected, 3));
  EXPECT_EQ(truncated[3], '\0');

  EXPECT_EQ(GetModuleFileNameA(reinterpret_cast<HMODULE>(0x1234), name, sizeof(name)), 0u);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_MOD_NOT_FOUND));

  const char* line = GetCommandLineA();
  ASSERT_NE(line, nullptr);
  EXPECT_NE(strstr(line, "system_test"), nullptr) << line;
  EXPECT_EQ(GetCommandLineA(), line);  // the same buffer every time
}

TEST(ProcessDeathTest, ExitProcessSkipsAtexitHandlers) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        atexit([] { fputs("atexit-ran", stderr); });
        fputs("before", stderr);
        ExitProcess(7);
      },
      ::testing::ExitedWithCode(7), "^before$");
}

TEST(Debug, DebuggerAndDebugOutput) {
  EXPECT_FALSE(IsDebuggerPresent());  // no tracer under the test runner
  OutputDebugStringA("system_test: debug output\n");
  OutputDebugStringA(nullptr);
}

// ---- heaps ----

TEST(Heap, ProcessHeapAllocReAllocSizeFree) {
  HANDLE heap = GetProcessHeap();
  ASSERT_NE(heap, nullptr);
  EXPECT_EQ(GetProcessHeap(), heap);
  auto* block = static_cast<unsigned char*>(HeapAlloc(heap, HEAP_ZERO_MEMORY, 100));
  ASSERT_NE(block, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(block) % 16, 0u);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(block[i], 0);
  EXPECT_EQ(HeapSize(heap, 0, block), 100u);
  memset(block, 0xAB, 100);

  auto* grown = static_cast<unsigned char*>(HeapReAlloc(heap, HEAP_ZERO_MEMORY, block, 10000));
  ASSERT_NE(grown, nullptr);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(grown[i], 0xAB);
  for (int i = 100; i < 10000; ++i) ASSERT_EQ(grown[i], 0);
  EXPECT_EQ(HeapSize(heap, 0, grown), 10000u);

  EXPECT_TRUE(HeapFree(heap, 0, grown));
  SetLastError(0);
  EXPECT_FALSE(HeapFree(heap, 0, grown));  // twice
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(HeapSize(heap, 0, grown), static_cast<SIZE_T>(-1));
  EXPECT_TRUE(HeapFree(heap, 0, nullptr));

  void* empty = HeapAlloc(heap, 0, 0);
  ASSERT_NE(empty, nullptr);
  EXPECT_EQ(HeapSize(heap, 0, empty), 0u);
  EXPECT_TRUE(HeapFree(heap, 0, empty));

  SetLastError(0);
  EXPECT_FALSE(HeapDestroy(heap));  // not the process heap
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
}

TEST(Heap, PrivateHeapsAndTheirLimits) {
  HANDLE heap = HeapCreate(0, 0, 0);
  ASSERT_NE(heap, nullptr);
  EXPECT_NE(heap, GetProcessHeap());
  for (int i = 0; i < 100; ++i) ASSERT_NE(HeapAlloc(heap, 0, 64 + i), nullptr);
  void* block = HeapAlloc(heap, 0, 16);
  ASSERT_NE(block, nullptr);
  SetLastError(0);
  EXPECT_FALSE(HeapFree(GetProcessHeap(), 0, block));  // another heap's block
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));

  // In place only: a block that must move to grow stays where it is.
  EXPECT_EQ(HeapReAlloc(heap, HEAP_REALLOC_IN_PLACE_ONLY, block, 1 << 20), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOT_ENOUGH_MEMORY));
  EXPECT_EQ(HeapSize(heap, 0, block), 16u);
  EXPECT_EQ(HeapReAlloc(heap, HEAP_REALLOC_IN_PLACE_ONLY, block, 8), block);

  EXPECT_TRUE(HeapDestroy(heap));  // frees every block left
  SetLastError(0);
  EXPECT_EQ(HeapAlloc(heap, 0, 16), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  EXPECT_FALSE(HeapDestroy(heap));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));

  HANDLE fixed = HeapCreate(0, 0, 64 * 1024);
  ASSERT_NE(fixed, nullptr);
  EXPECT_EQ(HeapAlloc(fixed, 0, 100000), nullptr);
  void* fits = HeapAlloc(fixed, 0, 1000);
  EXPECT_NE(fits, nullptr);
  EXPECT_TRUE(HeapDestroy(fixed));
  EXPECT_EQ(HeapCreate(0, 2 * 4096, 4096), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
}

TEST(Heap, ThreadsShareAHeap) {
  HANDLE shared = HeapCreate(0, 0, 0);
  ASSERT_NE(shared, nullptr);
  std::atomic<int> failures{0};
  iocp_testing::Worker workers[4];
  for (int t = 0; t < 4; ++t) {
    workers[t].Run([&, t] {
      void* blocks[64] = {};
      for (int round = 0; round < 2000; ++round) {
        const int slot = round % 64;
        HANDLE heap = (round + t) % 2 == 0 ? shared : GetProcessHeap();
        if (blocks[slot] != nullptr) {
          HANDLE owner = HeapSize(shared, 0, blocks[slot]) != static_cast<SIZE_T>(-1)
                             ? shared
                             : GetProcessHeap();
          if (HeapSize(owner, 0, blocks[slot]) != static_cast<SIZE_T>(slot * 8 + t)) ++failures;
          if (!HeapFree(owner, 0, blocks[slot])) ++failures;
        }
        blocks[slot] = HeapAlloc(heap, HEAP_ZERO_MEMORY, slot * 8 + t);
        if (blocks[slot] == nullptr) ++failures;
        if (round % 7 == 0 && blocks[slot] != nullptr) {
          void* grown = HeapReAlloc(heap, 0, blocks[slot], 4096);
          if (grown == nullptr || !HeapFree(heap, 0, grown)) ++failures;
          blocks[slot] = HeapAlloc(heap, 0, slot * 8 + t);
        }
      }
      for (void* block : blocks) {
        if (block != nullptr && !HeapFree(shared, 0, block) &&
            !HeapFree(GetProcessHeap(), 0, block)) {
          ++failures;
        }
      }
    });
  }
  for (auto& worker : workers) worker.Join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_TRUE(HeapDestroy(shared));
}

TEST(LocalGlobal, FixedBlocks) {
  auto* local = static_cast<unsigned char*>(LocalAlloc(LPTR, 64));
  ASSERT_NE(local, nullptr);
  for (int i = 0; i < 64; ++i) ASSERT_EQ(local[i], 0);
  EXPECT_EQ(LocalSize(local), 64u);
  EXPECT_EQ(LocalLock(local), local);
  memset(local, 7, 64);
  auto* bigger =
      static_cast<unsigned char*>(LocalReAlloc(local, 100000, LMEM_MOVEABLE | LMEM_ZEROINIT));
  ASSERT_NE(bigger, nullptr);
  EXPECT_EQ(bigger[63], 7);
  EXPECT_EQ(bigger[64], 0);
  EXPECT_EQ(bigger[99999], 0);
  EXPECT_EQ(LocalFree(bigger), nullptr);
  SetLastError(0);
  EXPECT_EQ(LocalFree(bigger), bigger);  // failure returns the handle
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  EXPECT_EQ(LocalFree(nullptr), nullptr);
  EXPECT_EQ(LocalAlloc(0x8000, 16), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));

  auto* global = static_cast<unsigned char*>(GlobalAlloc(GPTR, 32));
  ASSERT_NE(global, nullptr);
  for (int i = 0; i < 32; ++i) ASSERT_EQ(global[i], 0);
  EXPECT_EQ(GlobalSize(global), 32u);
  EXPECT_EQ(GlobalFree(global), nullptr);
  EXPECT_EQ(GlobalSize(global), 0u);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
}

// ---- virtual memory ----

TEST(Virtual, CommitReserveRelease) {
  auto* memory = static_cast<unsigned char*>(
      VirtualAlloc(nullptr, 100000, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE));
  ASSERT_NE(memory, nullptr);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(memory) % 65536, 0u);  // allocation granularity
  for (int i = 0; i < 100000; i += 997) ASSERT_EQ(memory[i], 0);
  memset(memory, 1, 100000);

  SetLastError(0);
  EXPECT_FALSE(VirtualFree(memory, 100, MEM_RELEASE));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_FALSE(VirtualFree(memory + 4096, 0, MEM_RELEASE));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_ADDRESS));
  EXPECT_FALSE(VirtualFree(memory, 0, MEM_RELEASE | MEM_DECOMMIT));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_TRUE(VirtualFree(memory, 0, MEM_RELEASE));
  EXPECT_FALSE(VirtualFree(memory, 0, MEM_RELEASE));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_ADDRESS));

  // Reserving at an address rounds it down to the granularity.
  void* again = VirtualAlloc(memory + 0x1234, 4096, MEM_RESERVE, PAGE_NOACCESS);
  ASSERT_EQ(again, memory);
  // The same range cannot be reserved twice.
  EXPECT_EQ(VirtualAlloc(memory, 4096, MEM_RESERVE, PAGE_NOACCESS), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_ADDRESS));
  EXPECT_TRUE(VirtualFree(again, 0, MEM_RELEASE));

  // MEM_COMMIT without an address reserves too.
  void* committed = VirtualAlloc(nullptr, 4096, MEM_COMMIT, PAGE_READWRITE);
  ASSERT_NE(committed, nullptr);
  EXPECT_TRUE(VirtualFree(committed, 0, MEM_RELEASE));
}

TEST(Virtual, ReserveThenCommitDecommitProtect) {
  auto* region =
      static_cast<unsigned char*>(VirtualAlloc(nullptr, 1 << 20, MEM_RESERVE, PAGE_NOACCESS));
  ASSERT_NE(region, nullptr);
  unsigned char* page = region + 65536;
  ASSERT_EQ(VirtualAlloc(page + 10, 8192, MEM_COMMIT, PAGE_READWRITE), page);
  memset(page, 9, 8192);
  // Committing again keeps the contents.
  ASSERT_EQ(VirtualAlloc(page, 4096, MEM_COMMIT, PAGE_READWRITE), page);
  EXPECT_EQ(page[100], 9);

  DWORD old = 0;
  EXPECT_TRUE(VirtualProtect(page, 4096, PAGE_READONLY, &old));
  EXPECT_EQ(old, static_cast<DWORD>(PAGE_READWRITE));
  EXPECT_TRUE(VirtualProtect(page, 4096, PAGE_READWRITE, &old));
  EXPECT_EQ(old, static_cast<DWORD>(PAGE_READONLY));
  SetLastError(0);
  EXPECT_FALSE(VirtualProtect(region, 4096, PAGE_READWRITE, &old));  // not committed
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_ADDRESS));
  EXPECT_FALSE(VirtualProtect(page, 4096, PAGE_READWRITE, nullptr));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_NOACCESS));
  EXPECT_FALSE(VirtualProtect(page, 4096, PAGE_READWRITE | PAGE_READONLY, &old));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));

  EXPECT_TRUE(VirtualFree(page, 8192, MEM_DECOMMIT));
  EXPECT_FALSE(VirtualProtect(page, 4096, PAGE_READWRITE, &old));
  ASSERT_EQ(VirtualAlloc(page, 8192, MEM_COMMIT, PAGE_READWRITE), page);
  EXPECT_EQ(page[100], 0);  // decommitted pages come back as zeros
  EXPECT_EQ(page[8191], 0);

  // Outside the region: not reserved.
  EXPECT_EQ(VirtualAlloc(region + (1 << 20), 4096, MEM_COMMIT, PAGE_READWRITE), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_ADDRESS));
  EXPECT_TRUE(VirtualFree(region, 0, MEM_RELEASE));
}

TEST(VirtualDeathTest, ReadOnlyPagesRefuseWrites) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto* page = static_cast<volatile unsigned char*>(
      VirtualAlloc(nullptr, 4096, MEM_COMMIT | MEM_RESERVE, PAGE_READONLY));
  ASSERT_NE(page, nullptr);
  EXPECT_EQ(page[0], 0);
  EXPECT_DEATH(page[0] = 1, "");
  VirtualFree(const_cast<unsigned char*>(page), 0, MEM_RELEASE);
}

TEST(Virtual, BadArguments) {
  SetLastError(0);
  EXPECT_EQ(VirtualAlloc(nullptr, 0, MEM_COMMIT | MEM_RESERVE, PAGE_READWRITE), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(VirtualAlloc(nullptr, 4096, MEM_COMMIT | MEM_RESERVE, 0), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(VirtualAlloc(nullptr, 4096, MEM_DECOMMIT, PAGE_READWRITE), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_FALSE(VirtualFree(nullptr, 0, MEM_RELEASE));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_ADDRESS));
}

// ---- FormatMessageA ----

std::string SystemText(DWORD code, DWORD flags = 0) {
  char buffer[1024];
  const DWORD length =
      FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS | flags, nullptr,
                     code, 0, buffer, sizeof(buffer), nullptr);
  if (length == 0) return "<failed " + std::to_string(GetLastError()) + ">";
  EXPECT_EQ(length, strlen(buffer));
  return std::string(buffer, length);
}

TEST(FormatMessage, SystemMessages) {
  EXPECT_EQ(SystemText(ERROR_INVALID_HANDLE), "The handle is invalid.\r\n");
  EXPECT_EQ(SystemText(ERROR_SUCCESS), "The operation completed successfully.\r\n");
  EXPECT_EQ(SystemText(ERROR_IO_PENDING), "Overlapped I/O operation is in progress.\r\n");
  EXPECT_EQ(SystemText(WSAECONNRESET),
            "An existing connection was forcibly closed by the remote host.\r\n");
  EXPECT_EQ(SystemText(0x80070005u), "Access is denied.\r\n");  // HRESULT_FROM_WIN32
  // Line breaks in the text become spaces when a width is given.
  EXPECT_EQ(SystemText(ERROR_INVALID_HANDLE, FORMAT_MESSAGE_MAX_WIDTH_MASK),
            "The handle is invalid. ");

  char buffer[64];
  SetLastError(0);
  EXPECT_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, nullptr, 0x12345, 0, buffer, sizeof(buffer),
                           nullptr),
            0u);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_MR_MID_NOT_FOUND));
  EXPECT_EQ(
      FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, nullptr, ERROR_INVALID_HANDLE,
                     MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), buffer, sizeof(buffer), nullptr),
      24u);
  EXPECT_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, nullptr, ERROR_INVALID_HANDLE,
                           MAKELANGID(0x07, SUBLANG_DEFAULT), buffer, sizeof(buffer), nullptr),
            0u);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_RESOURCE_LANG_NOT_FOUND));
}

TEST(FormatMessage, BufferSizes) {
  char buffer[64];
  memset(buffer, 'x', sizeof(buffer));
  SetLastError(0);
  EXPECT_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, nullptr, ERROR_INVALID_HANDLE, 0, buffer, 24,
                           nullptr),
            0u);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INSUFFICIENT_BUFFER));
  EXPECT_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, nullptr, ERROR_INVALID_HANDLE, 0, buffer, 25,
                           nullptr),
            24u);
  EXPECT_STREQ(buffer, "The handle is invalid.\r\n");
  EXPECT_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM, nullptr, ERROR_INVALID_HANDLE, 0, nullptr,
                           25, nullptr),
            0u);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));

  char* allocated = nullptr;
  EXPECT_EQ(FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM |
                               FORMAT_MESSAGE_IGNORE_INSERTS,
                           nullptr, ERROR_ACCESS_DENIED, 0, reinterpret_cast<LPSTR>(&allocated), 0,
                           nullptr),
            19u);
  ASSERT_NE(allocated, nullptr);
  EXPECT_STREQ(allocated, "Access is denied.\r\n");
  EXPECT_EQ(LocalFree(allocated), nullptr);

  // nSize is the least to allocate.
  EXPECT_EQ(FormatMessageA(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_STRING, "hi", 0, 0,
                           reinterpret_cast<LPSTR>(&allocated), 500, nullptr),
            2u);
  EXPECT_EQ(LocalSize(allocated), 500u);
  EXPECT_EQ(LocalFree(allocated), nullptr);
}

std::string FromString(const char* format, DWORD flags, const DWORD_PTR* arguments) {
  char buffer[512];
  const DWORD length = FormatMessageA(
      FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY | flags, format, 0, 0, buffer,
      sizeof(buffer), reinterpret_cast<va_list*>(const_cast<DWORD_PTR*>(arguments)));
  if (length == 0) return "<failed " + std::to_string(GetLastError()) + ">";
  return std::string(buffer, length);
}

std::string FromVaList(const char* format, ...) {
  va_list arguments;
  va_start(arguments, format);
  char buffer[512];
  const DWORD length =
      FormatMessageA(FORMAT_MESSAGE_FROM_STRING, format, 0, 0, buffer, sizeof(buffer), &arguments);
  va_end(arguments);
  if (length == 0) return "<failed " + std::to_string(GetLastError()) + ">";
  return std::string(buffer, length);
}

TEST(FormatMessage, InsertsAndEscapes) {
  const DWORD_PTR three[] = {reinterpret_cast<DWORD_PTR>("abc"), 42, 0xBEEF};
  EXPECT_EQ(FromString("%1 and %2!d! and %3!08X!%n%%%0ignored", 0, three),
            "abc and 42 and 0000BEEF\r\n%");
  EXPECT_EQ(FromString("%3!x!-%1-%1", 0, three), "beef-abc-abc");
  EXPECT_EQ(FromString("a%.b%!c% d%te", 0, three), "a.b!c d\te");
  const DWORD_PTR starred[] = {5, 2, reinterpret_cast<DWORD_PTR>("hello")};
  EXPECT_EQ(FromString("[%1!*.*s!]", 0, starred), "[   he]");
  const DWORD_PTR wide_number[] = {DWORD_PTR{1} << 40, static_cast<DWORD_PTR>(-5)};
  EXPECT_EQ(FromString("%1!I64u! %2!d! %2!u!", 0, wide_number), "1099511627776 -5 4294967291");
  static const WCHAR kWide[] = {'w', 'i', 'd', 'e', 0};
  const DWORD_PTR wide_text[] = {reinterpret_cast<DWORD_PTR>(kWide)};
  EXPECT_EQ(FromString("%1!ls!", 0, wide_text), "wide");
  EXPECT_EQ(FromVaList("%2 %1!d! %3!c!", 7, "second", 'z'), "second 7 z");

  // Inserts left alone.
  EXPECT_EQ(FromString("a %1 b %2!d!", FORMAT_MESSAGE_IGNORE_INSERTS, nullptr), "a %1 b %2!d!");
  // Line breaks: kept, or wrapped at the given width.
  EXPECT_EQ(FromString("one\r\ntwo", 0, nullptr), "one\r\ntwo");
  EXPECT_EQ(FromString("aaa bbb ccc", 5, nullptr), "aaa\r\nbbb\r\nccc");
  EXPECT_EQ(FromString("one\r\ntwo%nthree", FORMAT_MESSAGE_MAX_WIDTH_MASK, nullptr),
            "one two\r\nthree");
}

TEST(FormatMessage, BadRequests) {
  char buffer[64];
  SetLastError(0);
  EXPECT_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_STRING, "%1", 0, 0, buffer, sizeof(buffer), nullptr),
            0u);  // an insert without arguments
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  const DWORD_PTR one[] = {1};
  EXPECT_EQ(FromString("%1!d", 0, one), "<failed 87>");   // unterminated format
  EXPECT_EQ(FromString("%1!f!", 0, one), "<failed 87>");  // no floating point
  EXPECT_EQ(FormatMessageA(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_FROM_SYSTEM, "x", 6, 0,
                           buffer, sizeof(buffer), nullptr),
            0u);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(FormatMessageA(0, "x", 6, 0, buffer, sizeof(buffer), nullptr), 0u);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
}

// ---- standard handles and the console ----

// Points descriptor `fd` somewhere else for the scope's length.
class Redirect {
 public:
  Redirect(int fd, int target) : fd_(fd), saved_(dup(fd)) { dup2(target, fd); }
  ~Redirect() {
    dup2(saved_, fd_);
    close(saved_);
  }

 private:
  int fd_;
  int saved_;
};

TEST(StdHandles, WriteFileReachesTheDescriptor) {
  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  ASSERT_NE(out, nullptr);
  ASSERT_NE(out, INVALID_HANDLE_VALUE);
  EXPECT_EQ(GetStdHandle(STD_OUTPUT_HANDLE), out);
  EXPECT_NE(GetStdHandle(STD_ERROR_HANDLE), out);
  SetLastError(0);
  EXPECT_EQ(GetStdHandle(5), INVALID_HANDLE_VALUE);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
  // Synchronous handles: no port, no waiting on them.
  HANDLE port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
  ASSERT_NE(port, nullptr);
  EXPECT_EQ(CreateIoCompletionPort(out, port, 1, 0), nullptr);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  CloseHandle(port);
  EXPECT_EQ(WaitForSingleObject(out, 0), WAIT_FAILED);
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));

  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  BOOL wrote;
  DWORD written = 0;
  BOOL mode_ok;
  DWORD mode_error;
  BOOL console_ok;
  DWORD console_error;
  OVERLAPPED overlapped{};
  BOOL wrote_overlapped;
  DWORD written_overlapped = 0;
  {
    Redirect redirect(1, fds[1]);
    wrote = WriteFile(out, "hello", 5, &written, nullptr);
    wrote_overlapped = WriteFile(out, "!", 1, &written_overlapped, &overlapped);
    DWORD mode = 0;
    mode_ok = GetConsoleMode(out, &mode);
    mode_error = GetLastError();
    console_ok = WriteConsoleA(out, "x", 1, nullptr, nullptr);
    console_error = GetLastError();
  }
  close(fds[1]);
  EXPECT_TRUE(wrote);
  EXPECT_EQ(written, 5u);
  EXPECT_TRUE(wrote_overlapped);  // done at once on a synchronous handle
  EXPECT_EQ(written_overlapped, 1u);
  EXPECT_EQ(overlapped.Internal, 0u);
  EXPECT_EQ(overlapped.InternalHigh, 1u);
  char got[16] = {};
  EXPECT_EQ(read(fds[0], got, sizeof(got)), 6);
  EXPECT_STREQ(got, "hello!");
  close(fds[0]);
  // A redirected handle is no console.
  EXPECT_FALSE(mode_ok);
  EXPECT_EQ(mode_error, static_cast<DWORD>(ERROR_INVALID_HANDLE));
  EXPECT_FALSE(console_ok);
  EXPECT_EQ(console_error, static_cast<DWORD>(ERROR_INVALID_HANDLE));
}

TEST(StdHandles, ReadFileFromStandardInputAndBrokenPipes) {
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
  ASSERT_NE(in, nullptr);
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  ASSERT_EQ(write(fds[1], "data", 4), 4);
  close(fds[1]);
  char buffer[16] = {};
  DWORD got = 0;
  BOOL first, at_end;
  DWORD got_at_end = 99;
  {
    Redirect redirect(0, fds[0]);
    first = ReadFile(in, buffer, sizeof(buffer), &got, nullptr);
    at_end = ReadFile(in, buffer + 4, sizeof(buffer) - 4, &got_at_end, nullptr);
  }
  close(fds[0]);
  EXPECT_TRUE(first);
  EXPECT_EQ(got, 4u);
  EXPECT_STREQ(buffer, "data");
  EXPECT_TRUE(at_end);  // end of file: TRUE with 0 bytes
  EXPECT_EQ(got_at_end, 0u);

  // Writing to a pipe nobody reads: ERROR_NO_DATA, not SIGPIPE.
  ASSERT_EQ(pipe(fds), 0);
  close(fds[0]);
  HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
  BOOL wrote;
  DWORD error;
  {
    Redirect redirect(2, fds[1]);
    wrote = WriteFile(err, "x", 1, nullptr, nullptr);
    error = GetLastError();
  }
  close(fds[1]);
  EXPECT_FALSE(wrote);
  EXPECT_EQ(error, static_cast<DWORD>(ERROR_NO_DATA));
}

TEST(Console, ModesAndWriteConsoleOnATerminal) {
  const int master = posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0) << errno;
  ASSERT_EQ(grantpt(master), 0);
  ASSERT_EQ(unlockpt(master), 0);
  const int terminal = open(ptsname(master), O_RDWR | O_NOCTTY);
  ASSERT_GE(terminal, 0);
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
  HANDLE out = GetStdHandle(STD_OUTPUT_HANDLE);
  DWORD out_mode = 0, in_mode = 0, in_mode_after = 0, written = 0;
  BOOL out_ok, in_ok, set_ok, set_bad, console_ok, after_ok;
  DWORD set_bad_error;
  {
    Redirect redirect_out(1, terminal);
    Redirect redirect_in(0, terminal);
    out_ok = GetConsoleMode(out, &out_mode);
    in_ok = GetConsoleMode(in, &in_mode);
    console_ok = WriteConsoleA(out, "hi", 2, &written, nullptr);
    set_ok = SetConsoleMode(in, ENABLE_PROCESSED_INPUT);
    after_ok = GetConsoleMode(in, &in_mode_after);
    set_bad = SetConsoleMode(in, ENABLE_ECHO_INPUT);
    set_bad_error = GetLastError();
  }
  EXPECT_TRUE(out_ok);
  EXPECT_EQ(out_mode & (ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT),
            static_cast<DWORD>(ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT));
  EXPECT_TRUE(in_ok);
  EXPECT_EQ(in_mode,
            static_cast<DWORD>(ENABLE_PROCESSED_INPUT | ENABLE_LINE_INPUT | ENABLE_ECHO_INPUT));
  EXPECT_TRUE(console_ok);
  EXPECT_EQ(written, 2u);
  char got[8] = {};
  EXPECT_EQ(read(master, got, sizeof(got)), 2);
  EXPECT_STREQ(got, "hi");
  EXPECT_TRUE(set_ok);
  EXPECT_TRUE(after_ok);
  EXPECT_EQ(in_mode_after, static_cast<DWORD>(ENABLE_PROCESSED_INPUT));
  termios settings{};
  ASSERT_EQ(tcgetattr(terminal, &settings), 0);
  EXPECT_EQ(settings.c_lflag & (ICANON | ECHO), 0u);
  EXPECT_NE(settings.c_lflag & ISIG, 0u);
  EXPECT_FALSE(set_bad);  // echo needs line input
  EXPECT_EQ(set_bad_error, static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  close(terminal);
  close(master);

  DWORD mode = 0;
  EXPECT_FALSE(GetConsoleMode(reinterpret_cast<HANDLE>(0x7777), &mode));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_HANDLE));
}

TEST(StdHandlesDeathTest, ClosingAStandardHandleLeavesTheDescriptor) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        HANDLE err = GetStdHandle(STD_ERROR_HANDLE);
        if (!CloseHandle(err)) _exit(1);
        if (WriteFile(err, "x", 1, nullptr, nullptr)) _exit(2);
        if (GetLastError() != ERROR_INVALID_HANDLE) _exit(3);
        if (GetStdHandle(STD_ERROR_HANDLE) != err) _exit(4);  // the stale value, as on Windows
        fputs("still-works", stderr);
        fflush(stderr);
        _exit(0);
      },
      ::testing::ExitedWithCode(0), "still-works");
}

// ---- control handlers ----

std::atomic<int> first_calls{0};
std::atomic<int> second_calls{0};
std::atomic<DWORD> last_event{0xFFFF};
std::atomic<DWORD> handler_thread{0};
std::atomic<BOOL> second_handles{TRUE};
HANDLE handled_event = nullptr;

BOOL WINAPI FirstHandler(DWORD type) {
  first_calls.fetch_add(1);
  last_event.store(type);
  handler_thread.store(GetCurrentThreadId());
  SetEvent(handled_event);
  return TRUE;
}

BOOL WINAPI SecondHandler(DWORD type) {
  second_calls.fetch_add(1);
  last_event.store(type);
  handler_thread.store(GetCurrentThreadId());
  const BOOL handles = second_handles.load();
  if (handles) SetEvent(handled_event);
  return handles;
}

TEST(CtrlHandler, MostRecentFirstOnAnotherThread) {
  handled_event = CreateEventA(nullptr, FALSE, FALSE, nullptr);
  ASSERT_NE(handled_event, nullptr);
  ASSERT_TRUE(SetConsoleCtrlHandler(FirstHandler, TRUE));
  ASSERT_TRUE(SetConsoleCtrlHandler(SecondHandler, TRUE));

  // The second, added last, handles it: the first is not called.
  second_handles = TRUE;
  ASSERT_TRUE(GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0));
  ASSERT_EQ(WaitForSingleObject(handled_event, kLongMs), WAIT_OBJECT_0);
  EXPECT_EQ(second_calls.load(), 1);
  EXPECT_EQ(first_calls.load(), 0);
  EXPECT_EQ(last_event.load(), static_cast<DWORD>(CTRL_C_EVENT));
  EXPECT_NE(handler_thread.load(), GetCurrentThreadId());

  // The second declines: the first is asked next. A real SIGINT this time.
  second_handles = FALSE;
  ASSERT_EQ(kill(getpid(), SIGINT), 0);
  ASSERT_EQ(WaitForSingleObject(handled_event, kLongMs), WAIT_OBJECT_0);
  EXPECT_EQ(second_calls.load(), 2);
  EXPECT_EQ(first_calls.load(), 1);

  // SIGQUIT is Ctrl+Break.
  ASSERT_TRUE(SetConsoleCtrlHandler(SecondHandler, FALSE));
  ASSERT_EQ(kill(getpid(), SIGQUIT), 0);
  ASSERT_EQ(WaitForSingleObject(handled_event, kLongMs), WAIT_OBJECT_0);
  EXPECT_EQ(first_calls.load(), 2);
  EXPECT_EQ(second_calls.load(), 2);  // removed
  EXPECT_EQ(last_event.load(), static_cast<DWORD>(CTRL_BREAK_EVENT));

  // Ignoring Ctrl+C: the event is dropped; the Ctrl+Break after it is not.
  ASSERT_TRUE(SetConsoleCtrlHandler(nullptr, TRUE));
  ASSERT_TRUE(GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0));
  ASSERT_TRUE(GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT, GetCurrentProcessId()));
  ASSERT_EQ(WaitForSingleObject(handled_event, kLongMs), WAIT_OBJECT_0);
  EXPECT_EQ(first_calls.load(), 3);
  EXPECT_EQ(last_event.load(), static_cast<DWORD>(CTRL_BREAK_EVENT));
  ASSERT_TRUE(SetConsoleCtrlHandler(nullptr, FALSE));

  SetLastError(0);
  EXPECT_FALSE(SetConsoleCtrlHandler(SecondHandler, FALSE));  // not registered
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_FALSE(GenerateConsoleCtrlEvent(CTRL_CLOSE_EVENT, 0));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));
  EXPECT_FALSE(GenerateConsoleCtrlEvent(CTRL_C_EVENT, GetCurrentProcessId() + 1));
  EXPECT_EQ(GetLastError(), static_cast<DWORD>(ERROR_INVALID_PARAMETER));

  ASSERT_TRUE(SetConsoleCtrlHandler(FirstHandler, FALSE));
  CloseHandle(handled_event);
}

BOOL WINAPI DecliningHandler(DWORD) { return FALSE; }

BOOL WINAPI CloseHandler(DWORD type) {
  if (type == CTRL_CLOSE_EVENT) {
    fputs("close-handled", stderr);
    fflush(stderr);
  }
  return TRUE;
}

TEST(CtrlHandlerDeathTest, UnhandledCtrlCEndsTheProcess) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        SetConsoleCtrlHandler(DecliningHandler, TRUE);
        GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
        HANDLE never = CreateEventA(nullptr, TRUE, FALSE, nullptr);
        WaitForSingleObject(never, INFINITE);
      },
      ::testing::KilledBySignal(SIGINT), "");
}

TEST(CtrlHandlerDeathTest, CloseEventEndsTheProcessAfterItsHandler) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        SetConsoleCtrlHandler(CloseHandler, TRUE);
        kill(getpid(), SIGTERM);
        HANDLE never = CreateEventA(nullptr, TRUE, FALSE, nullptr);
        WaitForSingleObject(never, INFINITE);
      },
      ::testing::KilledBySignal(SIGTERM), "close-handled");
}

}  // namespace
