// Exported console functions: the standard handles (GetStdHandle,
// SetStdHandle), console modes and WriteConsoleA on a terminal, and the
// control handlers (SetConsoleCtrlHandler, GenerateConsoleCtrlEvent).
//
// Control events come from signals: SIGINT is CTRL_C_EVENT, SIGQUIT (the
// terminal's Ctrl+\) CTRL_BREAK_EVENT, SIGHUP (the terminal went away) and
// SIGTERM (kill, systemd, docker stop) CTRL_CLOSE_EVENT. As on Windows, each
// event runs the handlers on a new thread, the most recently added first,
// until one returns TRUE; if none does, the default action ends the process
// (here: by the signal's own default action, so a shell sees the usual
// "killed by SIGINT"). A CTRL_CLOSE_EVENT ends the process once the handlers
// return, whatever they return, as Windows does.
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <windows.h>

#include <algorithm>
#include <mutex>
#include <vector>

#include "winapi/api_util.h"
#include "winapi/console.h"
#include "winapi/errors.h"

using winapi::Fail;
using winapi::HostFileObject;

namespace winapi {

int HostTransfer(HostFileObject* file, bool read, void* buffer, uint32_t length,
                 uint32_t* transferred, void* overlapped) {
  if (transferred != nullptr) *transferred = 0;
  if (buffer == nullptr && length > 0) return Fail(ERROR_NOACCESS);
  size_t done = 0;
  int error = 0;
  if (read) {
    BlockingScope blocked;
    ssize_t got;
    do {
      got = ::read(file->fd(), buffer, length);
    } while (got < 0 && errno == EINTR);
    if (got < 0) {
      error = errno;
    } else {
      done = static_cast<size_t>(got);
    }
  } else {
    // A write to a closed pipe fails with ERROR_NO_DATA, as on Windows,
    // rather than killing the process with SIGPIPE.
    sigset_t pipe_only, previous;
    sigemptyset(&pipe_only);
    sigaddset(&pipe_only, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_only, &previous);
    BlockingScope blocked;
    while (done < length) {
      ssize_t put = ::write(file->fd(), static_cast<const char*>(buffer) + done, length - done);
      if (put < 0 && errno == EINTR) continue;
      if (put < 0) {
        error = errno;
        break;
      }
      done += static_cast<size_t>(put);
    }
    if (error == EPIPE) {
      const timespec no_wait{0, 0};
      sigtimedwait(&pipe_only, nullptr, &no_wait);  // the SIGPIPE we caused
    }
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  }
  if (overlapped != nullptr) {
    // A synchronous handle with an OVERLAPPED: done at once, and said so.
    auto* o = static_cast<OVERLAPPED*>(overlapped);
    o->Internal = error == 0 ? 0 : StatusFromErrno(-error);
    o->InternalHigh = done;
  }
  if (error != 0) {
    if (error == EPIPE) return Fail(ERROR_NO_DATA);
    if (error == EBADF) return Fail(ERROR_INVALID_HANDLE);
    return Fail(Win32FromErrno(-error));
  }
  if (transferred != nullptr) *transferred = static_cast<uint32_t>(done);
  return TRUE;
}

}  // namespace winapi

namespace {

// ---- standard handles ----

std::mutex std_mutex;
uintptr_t std_handles[3] = {0, 0, 0};
bool std_created[3] = {false, false, false};

int StdIndex(DWORD which) {
  switch (which) {
    case STD_INPUT_HANDLE:
      return 0;
    case STD_OUTPUT_HANDLE:
      return 1;
    case STD_ERROR_HANDLE:
      return 2;
    default:
      return -1;
  }
}

// The descriptor behind a console handle, or -1 (with the last error set)
// if the handle is not a standard handle on a terminal.
int ConsoleDescriptor(HANDLE handle, bool* is_input) {
  auto file = winapi::LookupAs<HostFileObject>(handle, winapi::ObjectKind::kStdHandle);
  HostFileObject* host = file.get();
  if (host == nullptr || !isatty(host->fd())) {
    Fail(ERROR_INVALID_HANDLE);
    return -1;
  }
  if (is_input != nullptr) *is_input = host->is_input();
  return host->fd();
}

// ---- control handlers ----

std::mutex ctrl_mutex;
std::vector<PHANDLER_ROUTINE>& Handlers() {
  static auto* handlers = new std::vector<PHANDLER_ROUTINE>();
  return *handlers;
}
bool ignore_ctrl_c = false;  // SetConsoleCtrlHandler(NULL, TRUE)
int event_pipe[2] = {-1, -1};
std::once_flag ctrl_once;

constexpr int kCtrlSignals[] = {SIGINT, SIGQUIT, SIGHUP, SIGTERM};

DWORD EventOfSignal(int signal_number) {
  switch (signal_number) {
    case SIGINT:
      return CTRL_C_EVENT;
    case SIGQUIT:
      return CTRL_BREAK_EVENT;
    default:
      return CTRL_CLOSE_EVENT;
  }
}

void OnSignal(int signal_number) {
  const int saved = errno;
  const unsigned char byte = static_cast<unsigned char>(signal_number);
  ssize_t ignored = write(event_pipe[1], &byte, 1);  // async-signal-safe
  (void)ignored;
  errno = saved;
}

[[noreturn]] void EndBySignal(int signal_number) {
  fflush(nullptr);
  struct sigaction action {};
  action.sa_handler = SIG_DFL;
  sigaction(signal_number, &action, nullptr);
  sigset_t only;
  sigemptyset(&only);
  sigaddset(&only, signal_number);
  pthread_sigmask(SIG_UNBLOCK, &only, nullptr);
  raise(signal_number);
  _exit(128 + signal_number);  // not reached for these signals
}

// One event, on its own thread, as Windows runs it.
void* RunHandlers(void* argument) {
  const int signal_number = static_cast<int>(reinterpret_cast<intptr_t>(argument));
  const DWORD event = EventOfSignal(signal_number);
  std::vector<PHANDLER_ROUTINE> snapshot;
  {
    std::lock_guard<std::mutex> lock(ctrl_mutex);
    snapshot = Handlers();
  }
  bool handled = false;
  for (auto it = snapshot.rbegin(); it != snapshot.rend() && !handled; ++it) {
    handled = (*it)(event) != FALSE;
  }
  if (!handled || event == CTRL_CLOSE_EVENT) EndBySignal(signal_number);
  return nullptr;
}

void* DispatchEvents(void*) {
  for (;;) {
    unsigned char byte = 0;
    const ssize_t got = read(event_pipe[0], &byte, 1);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return nullptr;
    {
      // Ignored Ctrl+C events are dropped here, in arrival order.
      std::lock_guard<std::mutex> lock(ctrl_mutex);
      if (byte == SIGINT && ignore_ctrl_c) continue;
    }
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    if (pthread_create(&thread, &attributes, RunHandlers,
                       reinterpret_cast<void*>(static_cast<intptr_t>(byte))) != 0) {
      RunHandlers(reinterpret_cast<void*>(static_cast<intptr_t>(byte)));
    }
    pthread_attr_destroy(&attributes);
  }
}

// Installs the signal handlers and the dispatcher thread, once.
bool StartCtrlHandling() {
  static bool started = false;
  std::call_once(ctrl_once, [] {
    if (pipe2(event_pipe, O_CLOEXEC) != 0) return;
    // The dispatcher gets no signals: they go to the program's threads,
    // whose handler only writes to the pipe.
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    pthread_t thread;
    pthread_attr_t attributes;
    pthread_attr_init(&attributes);
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    const bool created = pthread_create(&thread, &attributes, DispatchEvents, nullptr) == 0;
    pthread_attr_destroy(&attributes);
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
    if (!created) return;
    for (int signal_number : kCtrlSignals) {
      // A signal the process inherited as ignored stays ignored (nohup's
      // SIGHUP, a background job's SIGINT): Windows' inherited "ignore
      // Ctrl+C" attribute.
      struct sigaction current {};
      if (sigaction(signal_number, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) {
        continue;
      }
      struct sigaction action {};
      action.sa_handler = OnSignal;
      action.sa_flags = SA_RESTART;
      sigemptyset(&action.sa_mask);
      sigaction(signal_number, &action, nullptr);
    }
    started = true;
  });
  return started;
}

}  // namespace

extern "C" {

HANDLE WINAPI GetStdHandle(DWORD nStdHandle) {
  const int index = StdIndex(nStdHandle);
  if (index < 0) {
    Fail(ERROR_INVALID_HANDLE);
    return INVALID_HANDLE_VALUE;
  }
  std::lock_guard<std::mutex> lock(std_mutex);
  if (!std_created[index]) {
    // No descriptor: no standard handle (NULL), as for a process without
    // a console.
    if (fcntl(index, F_GETFD) < 0) return nullptr;
    auto* file = new HostFileObject(index, index == 0);
    const uintptr_t handle = winapi::HandleTable::Get().Insert(file);
    file->Unref();
    if (handle == 0) {
      Fail(ERROR_NOT_ENOUGH_MEMORY);
      return INVALID_HANDLE_VALUE;
    }
    std_handles[index] = handle;
    std_created[index] = true;
  }
  // After CloseHandle the value stays, now invalid, as on Windows.
  return reinterpret_cast<HANDLE>(std_handles[index]);
}

BOOL WINAPI SetStdHandle(DWORD nStdHandle, HANDLE hHandle) {
  const int index = StdIndex(nStdHandle);
  if (index < 0) return Fail(ERROR_INVALID_HANDLE);
  std::lock_guard<std::mutex> lock(std_mutex);
  std_handles[index] = winapi::HandleValue(hHandle);
  std_created[index] = true;
  return TRUE;
}

BOOL WINAPI GetConsoleMode(HANDLE hConsoleHandle, LPDWORD lpMode) {
  bool is_input = false;
  const int fd = ConsoleDescriptor(hConsoleHandle, &is_input);
  if (fd < 0) return FALSE;
  if (lpMode == nullptr) return Fail(ERROR_NOACCESS);
  if (!is_input) {
    // A terminal wraps, processes control characters and VT sequences.
    *lpMode =
        ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT | ENABLE_VIRTUAL_TERMINAL_PROCESSING;
    return TRUE;
  }
  termios settings{};
  if (tcgetattr(fd, &settings) != 0) return Fail(ERROR_INVALID_HANDLE);
  DWORD mode = 0;
  if (settings.c_lflag & ISIG) mode |= ENABLE_PROCESSED_INPUT;
  if (settings.c_lflag & ICANON) mode |= ENABLE_LINE_INPUT;
  if (settings.c_lflag & ECHO) mode |= ENABLE_ECHO_INPUT;
  *lpMode = mode;
  return TRUE;
}

BOOL WINAPI SetConsoleMode(HANDLE hConsoleHandle, DWORD dwMode) {
  bool is_input = false;
  const int fd = ConsoleDescriptor(hConsoleHandle, &is_input);
  if (fd < 0) return FALSE;
  if (!is_input) {
    constexpr DWORD kKnown = ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT |
                             ENABLE_VIRTUAL_TERMINAL_PROCESSING | DISABLE_NEWLINE_AUTO_RETURN |
                             ENABLE_LVB_GRID_WORLDWIDE;
    if ((dwMode & ~kKnown) != 0) return Fail(ERROR_INVALID_PARAMETER);
    return TRUE;  // a terminal's output needs no change
  }
  // Echo without line input is invalid on Windows too.
  if ((dwMode & ENABLE_ECHO_INPUT) != 0 && (dwMode & ENABLE_LINE_INPUT) == 0) {
    return Fail(ERROR_INVALID_PARAMETER);
  }
  termios settings{};
  if (tcgetattr(fd, &settings) != 0) return Fail(ERROR_INVALID_HANDLE);
  auto set = [&](tcflag_t flag, bool on) {
    settings.c_lflag = on ? (settings.c_lflag | flag) : (settings.c_lflag & ~flag);
  };
  set(ISIG, (dwMode & ENABLE_PROCESSED_INPUT) != 0);
  set(ICANON, (dwMode & ENABLE_LINE_INPUT) != 0);
  set(ECHO, (dwMode & ENABLE_ECHO_INPUT) != 0);
  if (tcsetattr(fd, TCSANOW, &settings) != 0) return Fail(ERROR_INVALID_HANDLE);
  return TRUE;
}

BOOL WINAPI WriteConsoleA(HANDLE hConsoleOutput, const VOID* lpBuffer, DWORD nNumberOfCharsToWrite,
                          LPDWORD lpNumberOfCharsWritten, LPVOID lpReserved) {
  (void)lpReserved;
  bool is_input = false;
  if (lpNumberOfCharsWritten != nullptr) *lpNumberOfCharsWritten = 0;
  const int fd = ConsoleDescriptor(hConsoleOutput, &is_input);
  if (fd < 0) return FALSE;
  auto file = winapi::LookupAs<HostFileObject>(hConsoleOutput, winapi::ObjectKind::kStdHandle);
  if (!file) return Fail(ERROR_INVALID_HANDLE);
  uint32_t written = 0;
  if (!winapi::HostTransfer(file.get(), false, const_cast<void*>(lpBuffer), nNumberOfCharsToWrite,
                            &written, nullptr)) {
    return FALSE;
  }
  if (lpNumberOfCharsWritten != nullptr) *lpNumberOfCharsWritten = written;
  return TRUE;
}

BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add) {
  if (!StartCtrlHandling()) return Fail(ERROR_NOT_ENOUGH_MEMORY);
  std::lock_guard<std::mutex> lock(ctrl_mutex);
  if (HandlerRoutine == nullptr) {
    ignore_ctrl_c = Add != FALSE;
    return TRUE;
  }
  auto& handlers = Handlers();
  if (Add) {
    handlers.push_back(HandlerRoutine);
    return TRUE;
  }
  // Removes the most recent registration of that routine.
  auto found = std::find(handlers.rbegin(), handlers.rend(), HandlerRoutine);
  if (found == handlers.rend()) return Fail(ERROR_INVALID_PARAMETER);
  handlers.erase(std::next(found).base());
  return TRUE;
}

BOOL WINAPI GenerateConsoleCtrlEvent(DWORD dwCtrlEvent, DWORD dwProcessGroupId) {
  int signal_number;
  switch (dwCtrlEvent) {
    case CTRL_C_EVENT:
      signal_number = SIGINT;
      break;
    case CTRL_BREAK_EVENT:
      signal_number = SIGQUIT;
      break;
    default:
      return Fail(ERROR_INVALID_PARAMETER);
  }
  // Only this process shares the "console" here (docs/porting-system.md).
  if (dwProcessGroupId != 0 && dwProcessGroupId != static_cast<DWORD>(getpid())) {
    return Fail(ERROR_INVALID_PARAMETER);
  }
  if (!StartCtrlHandling()) return Fail(ERROR_NOT_ENOUGH_MEMORY);
  OnSignal(signal_number);
  return TRUE;
}

}  // extern "C"
