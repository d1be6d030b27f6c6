// Exported time, version, environment and process functions: GetSystemTime,
// GetLocalTime, GetSystemTime(Precise)AsFileTime, FileTimeToSystemTime,
// SystemTimeToFileTime, GetVersion(ExA), GetComputerNameA,
// Get/SetEnvironmentVariableA, GetCommandLineA, GetModuleFileNameA,
// ExitProcess, OutputDebugStringA, IsDebuggerPresent, DebugBreak.
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <windows.h>

#include <mutex>
#include <string>

#include "winapi/api_util.h"
#include "winapi/civil_time.h"

using winapi::Fail;

namespace {

// GetVersionExA reports what Windows reports to a program without a
// compatibility manifest: Windows 8, 6.2 build 9200 (docs/porting-system.md).
constexpr DWORD kMajorVersion = 6;
constexpr DWORD kMinorVersion = 2;
constexpr DWORD kBuildNumber = 9200;

uint64_t FileTimeNow(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return winapi::FileTimeFromUnix(now.tv_sec, now.tv_nsec);
}

void StoreFileTime(uint64_t value, FILETIME* out) {
  out->dwLowDateTime = static_cast<DWORD>(value);
  out->dwHighDateTime = static_cast<DWORD>(value >> 32);
}

void StoreSystemTime(const winapi::CivilTime& civil, SYSTEMTIME* out) {
  out->wYear = static_cast<WORD>(civil.year);
  out->wMonth = static_cast<WORD>(civil.month);
  out->wDayOfWeek = static_cast<WORD>(civil.day_of_week);
  out->wDay = static_cast<WORD>(civil.day);
  out->wHour = static_cast<WORD>(civil.hour);
  out->wMinute = static_cast<WORD>(civil.minute);
  out->wSecond = static_cast<WORD>(civil.second);
  out->wMilliseconds = static_cast<WORD>(civil.millisecond);
}

// Copies `text` into a caller's buffer of `size` characters the way the
// Get*A string functions do: the length without the terminator on success,
// the size needed (with the terminator) when it does not fit.
DWORD CopyOut(const std::string& text, LPSTR buffer, DWORD size) {
  if (text.size() + 1 > size || buffer == nullptr) return static_cast<DWORD>(text.size() + 1);
  memcpy(buffer, text.c_str(), text.size() + 1);
  return static_cast<DWORD>(text.size());
}

std::once_flag command_line_once;
std::string* command_line = nullptr;

// Windows' quoting of one argument in a command line: quotes when it has a
// space or tab (or is empty), with backslashes before a quote doubled.
void AppendQuoted(const std::string& argument, std::string* out) {
  if (!argument.empty() && argument.find_first_of(" \t\"") == std::string::npos) {
    *out += argument;
    return;
  }
  *out += '"';
  size_t backslashes = 0;
  for (char c : argument) {
    if (c == '\\') {
      ++backslashes;
      continue;
    }
    if (c == '"') backslashes = backslashes * 2 + 1;
    out->append(backslashes, '\\');
    backslashes = 0;
    *out += c;
  }
  out->append(backslashes * 2, '\\');
  *out += '"';
}

void BuildCommandLine() {
  command_line = new std::string();
  FILE* file = fopen("/proc/self/cmdline", "rb");
  if (file == nullptr) return;
  std::string all;
  char chunk[4096];
  size_t got;
  while ((got = fread(chunk, 1, sizeof(chunk), file)) > 0) all.append(chunk, got);
  fclose(file);
  size_t start = 0;
  while (start < all.size()) {
    size_t end = all.find('\0', start);
    if (end == std::string::npos) end = all.size();
    if (!command_line->empty()) *command_line += ' ';
    AppendQuoted(all.substr(start, end - start), command_line);
    start = end + 1;
  }
}

bool DebugOutputEnabled() {
  static const bool enabled = [] {
    const char* value = getenv("IOCP_DEBUG_OUTPUT");
    return value != nullptr && value[0] != '\0' && strcmp(value, "0") != 0;
  }();
  return enabled;
}

}  // namespace

extern "C" {

VOID WINAPI GetSystemTimeAsFileTime(LPFILETIME lpSystemTimeAsFileTime) {
  if (lpSystemTimeAsFileTime == nullptr) return;
  StoreFileTime(FileTimeNow(CLOCK_REALTIME_COARSE), lpSystemTimeAsFileTime);
}

VOID WINAPI GetSystemTimePreciseAsFileTime(LPFILETIME lpSystemTimeAsFileTime) {
  if (lpSystemTimeAsFileTime == nullptr) return;
  StoreFileTime(FileTimeNow(CLOCK_REALTIME), lpSystemTimeAsFileTime);
}

VOID WINAPI GetSystemTime(LPSYSTEMTIME lpSystemTime) {
  if (lpSystemTime == nullptr) return;
  StoreSystemTime(winapi::CivilFromFileTime(FileTimeNow(CLOCK_REALTIME)), lpSystemTime);
}

VOID WINAPI GetLocalTime(LPSYSTEMTIME lpSystemTime) {
  if (lpSystemTime == nullptr) return;
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  tm local{};
  localtime_r(&now.tv_sec, &local);
  // The local wall clock as if it were UTC, through the same conversion.
  const int64_t local_seconds = static_cast<int64_t>(now.tv_sec) + local.tm_gmtoff;
  StoreSystemTime(winapi::CivilFromFileTime(winapi::FileTimeFromUnix(local_seconds, now.tv_nsec)),
                  lpSystemTime);
}

BOOL WINAPI FileTimeToSystemTime(const FILETIME* lpFileTime, LPSYSTEMTIME lpSystemTime) {
  if (lpFileTime == nullptr || lpSystemTime == nullptr) return Fail(ERROR_NOACCESS);
  const uint64_t value = (uint64_t{lpFileTime->dwHighDateTime} << 32) | lpFileTime->dwLowDateTime;
  // Windows refuses values with the top bit set (negative as a LONGLONG).
  if (value > uint64_t{INT64_MAX}) return Fail(ERROR_INVALID_PARAMETER);
  StoreSystemTime(winapi::CivilFromFileTime(value), lpSystemTime);
  return TRUE;
}

BOOL WINAPI SystemTimeToFileTime(const SYSTEMTIME* lpSystemTime, LPFILETIME lpFileTime) {
  if (lpSystemTime == nullptr || lpFileTime == nullptr) return Fail(ERROR_NOACCESS);
  winapi::CivilTime civil;
  civil.year = lpSystemTime->wYear;
  civil.month = lpSystemTime->wMonth;
  civil.day = lpSystemTime->wDay;
  civil.hour = lpSystemTime->wHour;
  civil.minute = lpSystemTime->wMinute;
  civil.second = lpSystemTime->wSecond;
  civil.millisecond = lpSystemTime->wMilliseconds;
  uint64_t value = 0;
  // wDayOfWeek is ignored, as on Windows.
  if (!winapi::FileTimeFromCivil(civil, &value)) return Fail(ERROR_INVALID_PARAMETER);
  StoreFileTime(value, lpFileTime);
  return TRUE;
}

DWORD WINAPI GetVersion(void) {
  // Low word: major, then minor; high word: the build (the top bit clear
  // means an NT platform).
  return kMajorVersion | (kMinorVersion << 8) | (kBuildNumber << 16);
}

BOOL WINAPI GetVersionExA(LPOSVERSIONINFOA lpVersionInformation) {
  if (lpVersionInformation == nullptr) return Fail(ERROR_NOACCESS);
  const DWORD size = lpVersionInformation->dwOSVersionInfoSize;
  if (size != sizeof(OSVERSIONINFOA) && size != sizeof(OSVERSIONINFOEXA)) {
    return Fail(ERROR_INSUFFICIENT_BUFFER);
  }
  lpVersionInformation->dwMajorVersion = kMajorVersion;
  lpVersionInformation->dwMinorVersion = kMinorVersion;
  lpVersionInformation->dwBuildNumber = kBuildNumber;
  lpVersionInformation->dwPlatformId = VER_PLATFORM_WIN32_NT;
  memset(lpVersionInformation->szCSDVersion, 0, sizeof(lpVersionInformation->szCSDVersion));
  if (size == sizeof(OSVERSIONINFOEXA)) {
    auto* ex = reinterpret_cast<LPOSVERSIONINFOEXA>(lpVersionInformation);
    ex->wServicePackMajor = 0;
    ex->wServicePackMinor = 0;
    ex->wSuiteMask = 0x0100;  // VER_SUITE_SINGLEUSERTS, as a desktop reports
    ex->wProductType = VER_NT_WORKSTATION;
    ex->wReserved = 0;
  }
  return TRUE;
}

BOOL WINAPI GetComputerNameA(LPSTR lpBuffer, LPDWORD nSize) {
  if (nSize == nullptr) return Fail(ERROR_NOACCESS);
  char host[HOST_NAME_MAX + 1] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) return Fail(ERROR_GEN_FAILURE);
  // The NetBIOS name: the first label, upper case, at most 15 characters.
  std::string name(host, strcspn(host, "."));
  if (name.size() > MAX_COMPUTERNAME_LENGTH) name.resize(MAX_COMPUTERNAME_LENGTH);
  for (char& c : name) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  if (lpBuffer == nullptr || *nSize < name.size() + 1) {
    *nSize = static_cast<DWORD>(name.size() + 1);
    return Fail(ERROR_BUFFER_OVERFLOW);
  }
  memcpy(lpBuffer, name.c_str(), name.size() + 1);
  *nSize = static_cast<DWORD>(name.size());
  return TRUE;
}

DWORD WINAPI GetEnvironmentVariableA(LPCSTR lpName, LPSTR lpBuffer, DWORD nSize) {
  if (lpName == nullptr) return Fail(ERROR_ENVVAR_NOT_FOUND);
  const char* value = getenv(lpName);
  if (value == nullptr) return Fail(ERROR_ENVVAR_NOT_FOUND);
  winapi::SetError(ERROR_SUCCESS);
  return CopyOut(value, lpBuffer, nSize);
}

BOOL WINAPI SetEnvironmentVariableA(LPCSTR lpName, LPCSTR lpValue) {
  if (lpName == nullptr || lpName[0] == '\0' || strchr(lpName, '=') != nullptr) {
    return Fail(ERROR_INVALID_PARAMETER);
  }
  if (lpValue == nullptr) {
    // Deleting a variable that does not exist fails with ENVVAR_NOT_FOUND.
    if (getenv(lpName) == nullptr) return Fail(ERROR_ENVVAR_NOT_FOUND);
    unsetenv(lpName);
    return TRUE;
  }
  if (setenv(lpName, lpValue, 1) != 0) return Fail(ERROR_NOT_ENOUGH_MEMORY);
  return TRUE;
}

LPSTR WINAPI GetCommandLineA(void) {
  std::call_once(command_line_once, BuildCommandLine);
  return &(*command_line)[0];
}

DWORD WINAPI GetModuleFileNameA(HMODULE hModule, LPSTR lpFilename, DWORD nSize) {
  if (hModule != nullptr) return Fail(ERROR_MOD_NOT_FOUND);
  if (lpFilename == nullptr && nSize > 0) return Fail(ERROR_NOACCESS);
  char path[PATH_MAX + 1];
  const ssize_t length = readlink("/proc/self/exe", path, PATH_MAX);
  if (length < 0) return Fail(ERROR_GEN_FAILURE);
  const size_t name_length = static_cast<size_t>(length);
  if (name_length + 1 <= nSize) {
    memcpy(lpFilename, path, name_length);
    lpFilename[name_length] = '\0';
    winapi::SetError(ERROR_SUCCESS);
    return static_cast<DWORD>(name_length);
  }
  // Truncated, and terminated: Windows returns nSize and
  // ERROR_INSUFFICIENT_BUFFER.
  if (nSize > 0) {
    memcpy(lpFilename, path, nSize - 1);
    lpFilename[nSize - 1] = '\0';
  }
  winapi::SetError(ERROR_INSUFFICIENT_BUFFER);
  return nSize;
}

VOID WINAPI ExitProcess(UINT uExitCode) {
  // Like Windows' ExitProcess: the program's atexit handlers and static
  // destructors do not run (C's exit() is what runs them, then calls
  // ExitProcess); the C library's streams are flushed, as the C runtime's
  // detach does on Windows. Linux keeps only the low 8 bits of the code.
  fflush(nullptr);
  _exit(static_cast<int>(uExitCode));
}

VOID WINAPI OutputDebugStringA(LPCSTR lpOutputString) {
  // No debugger listens for it here: it goes to stderr only when the
  // environment variable IOCP_DEBUG_OUTPUT is set (docs/porting-system.md).
  if (lpOutputString == nullptr || !DebugOutputEnabled()) return;
  fputs(lpOutputString, stderr);
}

BOOL WINAPI IsDebuggerPresent(void) {
  // A tracer (gdb, strace) shows as a non-zero TracerPid.
  FILE* status = fopen("/proc/self/status", "r");
  if (status == nullptr) return FALSE;
  char line[256];
  long tracer = 0;
  while (fgets(line, sizeof(line), status) != nullptr) {
    if (strncmp(line, "TracerPid:", 10) == 0) {
      tracer = strtol(line + 10, nullptr, 10);
      break;
    }
  }
  fclose(status);
  return tracer != 0 ? TRUE : FALSE;
}

VOID WINAPI DebugBreak(void) { raise(SIGTRAP); }

}  // extern "C"
