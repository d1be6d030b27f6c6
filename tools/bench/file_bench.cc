// file_bench: overlapped file writes through the completion port against the
// same writes on raw io_uring (liburing), and the port with its submission
// batching turned off: what batching buys, and how close the port comes to
// hand-written io_uring. One thread, `depth` 64-byte writes in flight to a
// scratch file (page cache), each completion starting the next write.
// Interleaved, median of --reps, process pinned to CPU 0.
//
// Run: bazel run --config=opt //tools/bench:file_bench
#include <fcntl.h>
#include <liburing.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <windows.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr DWORD kWriteBytes = 64;
constexpr int kMaxDepth = 64;

void Check(bool ok, const char* what) {
  if (!ok) {
    fprintf(stderr, "file_bench: %s failed (%u)\n", what, GetLastError());
    exit(1);
  }
}

std::string ScratchPath() {
  const char* dir = getenv("TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/file_bench." + std::to_string(getpid());
}

double PortWrites(int64_t count, int depth, bool batching) {
  if (batching) {
    unsetenv("IOCP_NO_BATCHING");
  } else {
    setenv("IOCP_NO_BATCHING", "1", 1);
  }
  const std::string path = ScratchPath();
  HANDLE file = CreateFileA(path.c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS,
                            FILE_FLAG_OVERLAPPED | FILE_FLAG_DELETE_ON_CLOSE, nullptr);
  Check(file != INVALID_HANDLE_VALUE, "CreateFileA");
  HANDLE port = CreateIoCompletionPort(file, nullptr, 1, 1);
  Check(port != nullptr, "CreateIoCompletionPort");
  static char data[kWriteBytes];
  OVERLAPPED slots[kMaxDepth] = {};
  auto start = Clock::now();
  for (int i = 0; i < depth; ++i) {
    slots[i].Offset = static_cast<DWORD>(i * kWriteBytes);
    WriteFile(file, data, kWriteBytes, nullptr, &slots[i]);
  }
  int64_t issued = depth;
  for (int64_t done = 0; done < count;) {
    DWORD bytes;
    ULONG_PTR key;
    LPOVERLAPPED overlapped;
    Check(GetQueuedCompletionStatus(port, &bytes, &key, &overlapped, INFINITE), "write");
    ++done;
    if (issued < count) {
      overlapped->Offset = static_cast<DWORD>((issued % 4096) * kWriteBytes);
      WriteFile(file, data, kWriteBytes, nullptr, overlapped);
      ++issued;
    }
  }
  double rate = count / std::chrono::duration<double>(Clock::now() - start).count();
  CloseHandle(file);
  CloseHandle(port);
  unsetenv("IOCP_NO_BATCHING");
  return rate;
}

// The hand-written loop: reap what is there, resubmit, submit-and-wait.
double UringWrites(int64_t count, int depth) {
  io_uring ring;
  Check(io_uring_queue_init(256, &ring, 0) == 0, "io_uring_queue_init");
  const std::string path = ScratchPath();
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  Check(fd >= 0, "open");
  unlink(path.c_str());
  static char data[kWriteBytes];
  auto start = Clock::now();
  for (int i = 0; i < depth; ++i) {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring);
    io_uring_prep_write(sqe, fd, data, kWriteBytes, static_cast<uint64_t>(i) * kWriteBytes);
  }
  int64_t issued = depth, done = 0;
  while (done < count) {
    io_uring_submit_and_wait(&ring, 1);
    io_uring_cqe* cqe;
    unsigned head, seen = 0;
    io_uring_for_each_cqe(&ring, head, cqe) {
      Check(cqe->res == static_cast<int>(kWriteBytes), "write");
      ++seen;
      if (issued < count) {
        io_uring_sqe* sqe = io_uring_get_sqe(&ring);
        io_uring_prep_write(sqe, fd, data, kWriteBytes, static_cast<uint64_t>(issued % 4096) * kWriteBytes);
        ++issued;
      }
    }
    io_uring_cq_advance(&ring, seen);
    done += seen;
  }
  double rate = count / std::chrono::duration<double>(Clock::now() - start).count();
  close(fd);
  io_uring_queue_exit(&ring);
  return rate;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int reps = 5;
  int64_t count = 300000;
  for (int i = 1; i < argc; ++i) {
    if (strncmp(argv[i], "--reps=", 7) == 0) reps = atoi(argv[i] + 7);
    if (strncmp(argv[i], "--ops=", 6) == 0) count = atoll(argv[i] + 6);
  }
  cpu_set_t cpus;
  CPU_ZERO(&cpus);
  CPU_SET(0, &cpus);
  Check(sched_setaffinity(0, sizeof(cpus), &cpus) == 0, "sched_setaffinity");
  printf("file_bench: 64-byte overlapped writes, %d repetitions interleaved, median, CPU 0\n",
         reps);
  printf("%-6s %14s %14s %14s %10s %10s\n", "depth", "port", "port,unbatched", "liburing",
         "port/uring", "batch gain");
  for (int depth : {1, 16, 64}) {
    std::vector<double> port, unbatched, uring;
    for (int rep = 0; rep < reps; ++rep) {
      port.push_back(PortWrites(count, depth, true));
      unbatched.push_back(PortWrites(count, depth, false));
      uring.push_back(UringWrites(count, depth));
    }
    const double p = Median(port), u = Median(unbatched), r = Median(uring);
    printf("%-6d %14.0f %14.0f %14.0f %9.3fx %9.3fx\n", depth, p, u, r, p / r, p / u);
    fflush(stdout);
  }
  return 0;
}
