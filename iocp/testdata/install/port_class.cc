// A C++ Windows program: a completion port wrapped in a class, work items
// with a virtual method, found again from their OVERLAPPED with
// CONTAINING_RECORD, workers made with CreateThread. Built by iocp-c++.
#include <windows.h>

#include <cstdio>
#include <memory>
#include <vector>

namespace {

class WorkItem {
 public:
  explicit WorkItem(DWORD id) : id_(id) { ZeroMemory(&overlapped_, sizeof(overlapped_)); }
  virtual ~WorkItem() = default;
  virtual void Run() { result_ = id_ * 3 + 1; InterlockedIncrement(&runs_); }
  OVERLAPPED* overlapped() { return &overlapped_; }
  DWORD id() const { return id_; }
  DWORD result() const { return result_; }
  LONG runs() const { return runs_; }

 private:
  DWORD id_;
  OVERLAPPED overlapped_;
  DWORD result_ = 0;
  volatile LONG runs_ = 0;
  friend WorkItem* FromOverlapped(OVERLAPPED*);
};

WorkItem* FromOverlapped(OVERLAPPED* overlapped) {
  return CONTAINING_RECORD(overlapped, WorkItem, overlapped_);
}

class Port {
 public:
  Port() : handle_(CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0)) {}
  ~Port() { if (handle_ != nullptr) CloseHandle(handle_); }
  Port(const Port&) = delete;
  Port& operator=(const Port&) = delete;
  bool ok() const { return handle_ != nullptr; }
  bool Post(ULONG_PTR key, OVERLAPPED* overlapped) {
    return PostQueuedCompletionStatus(handle_, 0, key, overlapped) != FALSE;
  }
  bool Get(ULONG_PTR* key, OVERLAPPED** overlapped) {
    DWORD bytes = 0;
    return GetQueuedCompletionStatus(handle_, &bytes, key, overlapped, 10000) != FALSE;
  }

 private:
  HANDLE handle_;
};

constexpr ULONG_PTR kWork = 1;
constexpr ULONG_PTR kStop = 2;

DWORD WINAPI Worker(LPVOID parameter) {
  Port* port = static_cast<Port*>(parameter);
  DWORD done = 0;
  for (;;) {
    ULONG_PTR key = 0;
    OVERLAPPED* overlapped = nullptr;
    if (!port->Get(&key, &overlapped) || key == kStop) return done;
    FromOverlapped(overlapped)->Run();
    ++done;
  }
}

}  // namespace

int main() {
  constexpr DWORD kItems = 1000;
  constexpr DWORD kWorkers = 4;
  Port port;
  if (!port.ok()) return 1;
  std::vector<std::unique_ptr<WorkItem>> items;
  for (DWORD i = 0; i < kItems; ++i) items.push_back(std::make_unique<WorkItem>(i));
  HANDLE threads[kWorkers];
  for (HANDLE& thread : threads) {
    thread = CreateThread(nullptr, 0, Worker, &port, 0, nullptr);
    if (thread == nullptr) return 1;
  }
  for (auto& item : items) port.Post(kWork, item->overlapped());
  for (DWORD i = 0; i < kWorkers; ++i) port.Post(kStop, nullptr);
  if (WaitForMultipleObjects(kWorkers, threads, TRUE, 30000) != WAIT_OBJECT_0) return 1;
  DWORD total = 0;
  for (HANDLE thread : threads) {
    DWORD code = 0;
    GetExitCodeThread(thread, &code);
    total += code;
    CloseHandle(thread);
  }
  DWORD bad = 0;
  for (auto& item : items) {
    if (item->runs() != 1 || item->result() != item->id() * 3 + 1) ++bad;
  }
  std::printf("port_class: %lu items, %lu run by %lu workers, %lu bad\n",
              static_cast<unsigned long>(kItems), static_cast<unsigned long>(total),
              static_cast<unsigned long>(kWorkers), static_cast<unsigned long>(bad));
  if (total != kItems || bad != 0) return 1;
  std::printf("port_class: OK\n");
  return 0;
}
