// No heap allocation per posted packet or per operation in steady state
// (per-port pools), proven by counting every allocation of the process. Runs
// on the raw ring, the production configuration; the fake ring allocates for
// its own simulation.
#include <stdlib.h>
#include <windows.h>

#include <atomic>
#include <new>
#include <string>

#include "gtest/gtest.h"
#include "winapi/port_io_testing.h"

// Counts every heap allocation in this test binary.
static std::atomic<uint64_t> allocations{0};

void* operator new(size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  void* p = malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  return p;
}
void* operator new[](size_t size) { return operator new(size); }
void* operator new(size_t size, const std::nothrow_t&) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return malloc(size == 0 ? 1 : size);
}
void* operator new[](size_t size, const std::nothrow_t& tag) noexcept {
  return operator new(size, tag);
}
void operator delete(void* p) noexcept { free(p); }
void operator delete[](void* p) noexcept { free(p); }
void operator delete(void* p, size_t) noexcept { free(p); }
void operator delete[](void* p, size_t) noexcept { free(p); }

namespace {

using iocp_testing::PortIo;
using iocp_testing::TestOperation;

TEST_F(PortIo, NoHeapAllocationPerPacketOrOperationInSteadyState) {
  constexpr int kRounds = 20000;
  OVERLAPPED ovs[64] = {};
  TestOperation* ops = static_cast<TestOperation*>(::operator new(sizeof(TestOperation) * 64));
  for (int i = 0; i < 64; ++i) new (&ops[i]) TestOperation(i, &ovs[i]);
  OVERLAPPED_ENTRY entries[64];
  ULONG removed;
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED got;
  auto round = [&](int i) {
    PostQueuedCompletionStatus(port_handle_, 1, static_cast<ULONG_PTR>(i), nullptr);
    GetQueuedCompletionStatus(port_handle_, &bytes, &key, &got, 10000);
    for (int j = 0; j < 8; ++j) PostQueuedCompletionStatus(port_handle_, 0, j, nullptr);
    GetQueuedCompletionStatusEx(port_handle_, entries, 64, &removed, 10000, FALSE);
    port().Issue(ring::Request::Nop(0), &ops[i % 64]);
    GetQueuedCompletionStatus(port_handle_, &bytes, &key, &got, 10000);
  };
  for (int i = 0; i < 1000; ++i) round(i);  // warm up pools and thread state
  const uint64_t before = allocations.load();
  for (int i = 0; i < kRounds; ++i) round(i);
  EXPECT_EQ(allocations.load() - before, 0u) << "allocations over " << kRounds << " rounds";
  for (int i = 0; i < 64; ++i) ops[i].~TestOperation();
  ::operator delete(ops);
}

}  // namespace

namespace {

TEST(FileAllocation, NoHeapAllocationPerOverlappedFileRequest) {
  const char* dir = getenv("TEST_TMPDIR");
  std::string path = std::string(dir ? dir : "/tmp") + "/allocation_test.dat";
  HANDLE file = CreateFileA(path.c_str(), GENERIC_READ | GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                            FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, nullptr);
  ASSERT_NE(file, INVALID_HANDLE_VALUE);
  HANDLE port = CreateIoCompletionPort(file, nullptr, 1, 0);
  ASSERT_NE(port, nullptr);
  char data[64] = {};
  OVERLAPPED ov = {};
  DWORD bytes;
  ULONG_PTR key;
  LPOVERLAPPED got;
  auto round = [&](int i) {
    ov.Offset = static_cast<DWORD>((i % 16) * 64);
    WriteFile(file, data, sizeof(data), nullptr, &ov);
    GetQueuedCompletionStatus(port, &bytes, &key, &got, 10000);
    ReadFile(file, data, sizeof(data), nullptr, &ov);
    GetQueuedCompletionStatus(port, &bytes, &key, &got, 10000);
  };
  for (int i = 0; i < 1000; ++i) round(i);
  const uint64_t before = allocations.load();
  for (int i = 0; i < 20000; ++i) round(i);
  EXPECT_EQ(allocations.load() - before, 0u);
  EXPECT_EQ(bytes, sizeof(data));
  CloseHandle(file);
  CloseHandle(port);
}

}  // namespace
