// Checks the Windows-compatible headers against Windows x64: type identities,
// sizes and offsets, constant values, the Interlocked intrinsics' return
// values, the structure macros. The C and per-language-mode side is
// headers_compile_test.sh.

// Every case variant real programs use, next to the canonical names.
#include <Windows.h>
#include <WinBase.h>
#include <WinError.h>
#include <WinSock2.h>
#include <Winsock2.h>
#include <WS2tcpip.h>
#include <Ws2tcpip.h>
#include <MSWSock.h>
#include <Mswsock.h>
#include <windows.h>
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <basetsd.h>
#include <windef.h>
#include <winnt.h>
#include <winerror.h>
#include <minwinbase.h>
#include <winbase.h>
#include <handleapi.h>
#include <errhandlingapi.h>
#include <ioapiset.h>
#include <synchapi.h>
#include <processthreadsapi.h>
#include <sysinfoapi.h>
#include <profileapi.h>
#include <guiddef.h>
#include <mstcpip.h>
#include <MSTcpIP.h>

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "gtest/gtest.h"

namespace {

template <typename A, typename B>
constexpr bool Same() {
  return std::is_same<A, B>::value;
}

// --- types -----------------------------------------------------------------

static_assert(Same<LONG, int>(), "LONG is 32-bit int, not LP64 long");
static_assert(!Same<LONG, long>(), "LONG must not be long");
static_assert(Same<ULONG, unsigned int>(), "ULONG");
static_assert(Same<DWORD, unsigned int>(), "DWORD");
static_assert(Same<BOOL, int>(), "BOOL");
static_assert(Same<BOOLEAN, unsigned char>(), "BOOLEAN");
static_assert(Same<BYTE, unsigned char>(), "BYTE");
static_assert(Same<CHAR, char>(), "CHAR");
static_assert(Same<UCHAR, unsigned char>(), "UCHAR");
static_assert(Same<SHORT, short>(), "SHORT");
static_assert(Same<USHORT, unsigned short>(), "USHORT");
static_assert(Same<WORD, unsigned short>(), "WORD");
static_assert(Same<INT, int>(), "INT");
static_assert(Same<UINT, unsigned int>(), "UINT");
static_assert(Same<LONGLONG, long long>(), "LONGLONG");
static_assert(Same<ULONGLONG, unsigned long long>(), "ULONGLONG");
static_assert(Same<DWORD64, unsigned long long>(), "DWORD64");
static_assert(Same<ULONG64, unsigned long long>(), "ULONG64");
static_assert(Same<INT64, long long>(), "INT64");
static_assert(Same<UINT64, unsigned long long>(), "UINT64");
static_assert(Same<LONG64, long long>(), "LONG64");
static_assert(Same<INT_PTR, long long>(), "INT_PTR");
static_assert(Same<UINT_PTR, unsigned long long>(), "UINT_PTR");
static_assert(Same<LONG_PTR, long long>(), "LONG_PTR");
static_assert(Same<ULONG_PTR, unsigned long long>(), "ULONG_PTR");
static_assert(Same<DWORD_PTR, unsigned long long>(), "DWORD_PTR");
static_assert(Same<SIZE_T, std::size_t>(), "SIZE_T is size_t");
static_assert(sizeof(SSIZE_T) == 8 && std::is_signed<SSIZE_T>::value, "SSIZE_T");
static_assert(Same<HANDLE, void *>(), "HANDLE");
static_assert(Same<PHANDLE, void **>() && Same<LPHANDLE, void **>(), "PHANDLE");
static_assert(Same<HMODULE, void *>() && Same<HINSTANCE, void *>(), "HMODULE");
static_assert(Same<LPVOID, void *>() && Same<PVOID, void *>(), "LPVOID");
static_assert(Same<LPCVOID, const void *>(), "LPCVOID");
static_assert(Same<LPDWORD, unsigned int *>() && Same<PDWORD, unsigned int *>(), "LPDWORD");
static_assert(Same<PULONG, unsigned int *>(), "PULONG");
static_assert(Same<PLONG, int *>() && Same<LPLONG, int *>(), "PLONG");
static_assert(Same<PBOOL, int *>() && Same<LPBOOL, int *>(), "PBOOL");
static_assert(Same<LPBYTE, unsigned char *>(), "LPBYTE");
static_assert(Same<LPSTR, char *>() && Same<PSTR, char *>(), "LPSTR");
static_assert(Same<LPCSTR, const char *>() && Same<PCSTR, const char *>(), "LPCSTR");
static_assert(Same<WCHAR, char16_t>(), "WCHAR is UTF-16 in C++");
static_assert(Same<LPWSTR, char16_t *>() && Same<LPCWSTR, const char16_t *>(), "LPWSTR");
static_assert(Same<TCHAR, char>(), "ANSI TCHAR");
static_assert(Same<LPTSTR, char *>() && Same<LPCTSTR, const char *>(), "LPTSTR");
static_assert(Same<NTSTATUS, int>() && Same<HRESULT, int>(), "NTSTATUS, HRESULT");
static_assert(Same<PULONG_PTR, unsigned long long *>(), "PULONG_PTR");
static_assert(Same<LPOVERLAPPED, OVERLAPPED *>(), "LPOVERLAPPED");
static_assert(Same<LPOVERLAPPED_ENTRY, OVERLAPPED_ENTRY *>(), "LPOVERLAPPED_ENTRY");
static_assert(Same<LPSECURITY_ATTRIBUTES, SECURITY_ATTRIBUTES *>(), "LPSECURITY_ATTRIBUTES");
static_assert(Same<LPSYSTEM_INFO, SYSTEM_INFO *>(), "LPSYSTEM_INFO");
static_assert(Same<LPGUID, GUID *>(), "LPGUID");
static_assert(Same<REFGUID, const GUID &>(), "REFGUID is a reference in C++");
static_assert(Same<LPOVERLAPPED_COMPLETION_ROUTINE, void (*)(DWORD, DWORD, LPOVERLAPPED)>(),
              "LPOVERLAPPED_COMPLETION_ROUTINE");
static_assert(Same<LPTHREAD_START_ROUTINE, DWORD (*)(LPVOID)>(), "LPTHREAD_START_ROUTINE");
static_assert(Same<PTHREAD_START_ROUTINE, DWORD (*)(LPVOID)>(), "PTHREAD_START_ROUTINE");

static_assert(sizeof(BYTE) == 1 && sizeof(WORD) == 2 && sizeof(DWORD) == 4, "sizes");
static_assert(sizeof(LONG) == 4 && sizeof(ULONG) == 4 && sizeof(BOOL) == 4, "sizes");
static_assert(sizeof(WCHAR) == 2, "WCHAR is 16-bit");
static_assert(sizeof(ULONG_PTR) == 8 && sizeof(SIZE_T) == 8 && sizeof(HANDLE) == 8, "sizes");
static_assert(sizeof(LONGLONG) == 8 && sizeof(DWORD64) == 8, "sizes");

// --- layouts ---------------------------------------------------------------

static_assert(sizeof(OVERLAPPED) == 32, "OVERLAPPED");
static_assert(offsetof(OVERLAPPED, Internal) == 0, "Internal");
static_assert(offsetof(OVERLAPPED, InternalHigh) == 8, "InternalHigh");
static_assert(offsetof(OVERLAPPED, Offset) == 16, "Offset");
static_assert(offsetof(OVERLAPPED, OffsetHigh) == 20, "OffsetHigh");
static_assert(offsetof(OVERLAPPED, Pointer) == 16, "Pointer");
static_assert(offsetof(OVERLAPPED, hEvent) == 24, "hEvent");

static_assert(sizeof(OVERLAPPED_ENTRY) == 32, "OVERLAPPED_ENTRY");
static_assert(offsetof(OVERLAPPED_ENTRY, lpCompletionKey) == 0, "lpCompletionKey");
static_assert(offsetof(OVERLAPPED_ENTRY, lpOverlapped) == 8, "lpOverlapped");
static_assert(offsetof(OVERLAPPED_ENTRY, Internal) == 16, "Internal");
static_assert(offsetof(OVERLAPPED_ENTRY, dwNumberOfBytesTransferred) == 24, "bytes");

static_assert(sizeof(SECURITY_ATTRIBUTES) == 24, "SECURITY_ATTRIBUTES");
static_assert(offsetof(SECURITY_ATTRIBUTES, nLength) == 0, "nLength");
static_assert(offsetof(SECURITY_ATTRIBUTES, lpSecurityDescriptor) == 8, "descriptor");
static_assert(offsetof(SECURITY_ATTRIBUTES, bInheritHandle) == 16, "bInheritHandle");

static_assert(sizeof(LARGE_INTEGER) == 8 && sizeof(ULARGE_INTEGER) == 8, "LARGE_INTEGER");
static_assert(offsetof(LARGE_INTEGER, LowPart) == 0, "LowPart");
static_assert(offsetof(LARGE_INTEGER, HighPart) == 4, "HighPart");
static_assert(Same<decltype(LARGE_INTEGER().LowPart), DWORD>(), "LowPart is DWORD");
static_assert(Same<decltype(LARGE_INTEGER().HighPart), LONG>(), "HighPart is LONG");
static_assert(Same<decltype(ULARGE_INTEGER().HighPart), DWORD>(), "ULARGE HighPart is DWORD");

static_assert(sizeof(FILETIME) == 8, "FILETIME");
static_assert(offsetof(FILETIME, dwHighDateTime) == 4, "dwHighDateTime");
static_assert(sizeof(SYSTEMTIME) == 16, "SYSTEMTIME");
static_assert(offsetof(SYSTEMTIME, wMilliseconds) == 14, "wMilliseconds");

static_assert(sizeof(GUID) == 16, "GUID");
static_assert(offsetof(GUID, Data2) == 4 && offsetof(GUID, Data3) == 6, "GUID");
static_assert(offsetof(GUID, Data4) == 8, "GUID");

static_assert(sizeof(SYSTEM_INFO) == 48, "SYSTEM_INFO");
static_assert(offsetof(SYSTEM_INFO, dwOemId) == 0, "dwOemId");
static_assert(offsetof(SYSTEM_INFO, wProcessorArchitecture) == 0, "wProcessorArchitecture");
static_assert(offsetof(SYSTEM_INFO, wReserved) == 2, "wReserved");
static_assert(offsetof(SYSTEM_INFO, dwPageSize) == 4, "dwPageSize");
static_assert(offsetof(SYSTEM_INFO, lpMinimumApplicationAddress) == 8, "min address");
static_assert(offsetof(SYSTEM_INFO, lpMaximumApplicationAddress) == 16, "max address");
static_assert(offsetof(SYSTEM_INFO, dwActiveProcessorMask) == 24, "mask");
static_assert(offsetof(SYSTEM_INFO, dwNumberOfProcessors) == 32, "processors");
static_assert(offsetof(SYSTEM_INFO, dwProcessorType) == 36, "type");
static_assert(offsetof(SYSTEM_INFO, dwAllocationGranularity) == 40, "granularity");
static_assert(offsetof(SYSTEM_INFO, wProcessorLevel) == 44, "level");
static_assert(offsetof(SYSTEM_INFO, wProcessorRevision) == 46, "revision");

// --- function signatures (unevaluated: nothing is linked) -------------------

static_assert(Same<decltype(&CreateIoCompletionPort), HANDLE (*)(HANDLE, HANDLE, ULONG_PTR, DWORD)>(),
              "CreateIoCompletionPort");
static_assert(Same<decltype(&GetQueuedCompletionStatus),
                   BOOL (*)(HANDLE, LPDWORD, PULONG_PTR, LPOVERLAPPED *, DWORD)>(),
              "GetQueuedCompletionStatus");
static_assert(Same<decltype(&GetQueuedCompletionStatusEx),
                   BOOL (*)(HANDLE, LPOVERLAPPED_ENTRY, ULONG, PULONG, DWORD, BOOL)>(),
              "GetQueuedCompletionStatusEx");
static_assert(Same<decltype(&PostQueuedCompletionStatus),
                   BOOL (*)(HANDLE, DWORD, ULONG_PTR, LPOVERLAPPED)>(),
              "PostQueuedCompletionStatus");
static_assert(Same<decltype(&CloseHandle), BOOL (*)(HANDLE)>(), "CloseHandle");
static_assert(Same<decltype(&DuplicateHandle),
                   BOOL (*)(HANDLE, HANDLE, HANDLE, LPHANDLE, DWORD, BOOL, DWORD)>(),
              "DuplicateHandle");
static_assert(Same<decltype(&GetCurrentProcess), HANDLE (*)()>(), "GetCurrentProcess");
static_assert(Same<decltype(&GetLastError), DWORD (*)()>(), "GetLastError");
static_assert(Same<decltype(&SetLastError), void (*)(DWORD)>(), "SetLastError");
static_assert(Same<decltype(&GetOverlappedResult), BOOL (*)(HANDLE, LPOVERLAPPED, LPDWORD, BOOL)>(),
              "GetOverlappedResult");
static_assert(Same<decltype(&GetOverlappedResultEx),
                   BOOL (*)(HANDLE, LPOVERLAPPED, LPDWORD, DWORD, BOOL)>(),
              "GetOverlappedResultEx");
static_assert(Same<decltype(&CancelIo), BOOL (*)(HANDLE)>(), "CancelIo");
static_assert(Same<decltype(&CancelIoEx), BOOL (*)(HANDLE, LPOVERLAPPED)>(), "CancelIoEx");
static_assert(Same<decltype(&SetFileCompletionNotificationModes), BOOL (*)(HANDLE, UCHAR)>(),
              "SetFileCompletionNotificationModes");
static_assert(Same<decltype(&CreateThread), HANDLE (*)(LPSECURITY_ATTRIBUTES, SIZE_T,
                                                       LPTHREAD_START_ROUTINE, LPVOID, DWORD,
                                                       LPDWORD)>(),
              "CreateThread");
// ExitThread is noreturn, which clang makes part of the function type.
static_assert(std::is_convertible<decltype(&ExitThread), void (*)(DWORD)>::value &&
                  Same<decltype(ExitThread(0)), void>(),
              "ExitThread");
static_assert(Same<decltype(&GetCurrentThreadId), DWORD (*)()>(), "GetCurrentThreadId");
static_assert(Same<decltype(&GetCurrentProcessId), DWORD (*)()>(), "GetCurrentProcessId");
static_assert(Same<decltype(&GetExitCodeThread), BOOL (*)(HANDLE, LPDWORD)>(), "GetExitCodeThread");
static_assert(Same<decltype(&WaitForSingleObject), DWORD (*)(HANDLE, DWORD)>(),
              "WaitForSingleObject");
static_assert(Same<decltype(&WaitForSingleObjectEx), DWORD (*)(HANDLE, DWORD, BOOL)>(),
              "WaitForSingleObjectEx");
static_assert(Same<decltype(&WaitForMultipleObjects), DWORD (*)(DWORD, const HANDLE *, BOOL, DWORD)>(),
              "WaitForMultipleObjects");
static_assert(Same<decltype(&Sleep), void (*)(DWORD)>(), "Sleep");
static_assert(Same<decltype(&SleepEx), DWORD (*)(DWORD, BOOL)>(), "SleepEx");
static_assert(Same<decltype(&CreateEventA), HANDLE (*)(LPSECURITY_ATTRIBUTES, BOOL, BOOL, LPCSTR)>(),
              "CreateEventA");
static_assert(Same<decltype(&CreateEvent), decltype(&CreateEventA)>(), "CreateEvent is ANSI");
static_assert(Same<decltype(&SetEvent), BOOL (*)(HANDLE)>(), "SetEvent");
static_assert(Same<decltype(&ResetEvent), BOOL (*)(HANDLE)>(), "ResetEvent");
static_assert(Same<decltype(&GetTickCount), DWORD (*)()>(), "GetTickCount");
static_assert(Same<decltype(&GetTickCount64), ULONGLONG (*)()>(), "GetTickCount64");
static_assert(Same<decltype(&QueryPerformanceCounter), BOOL (*)(LARGE_INTEGER *)>(),
              "QueryPerformanceCounter");
static_assert(Same<decltype(&QueryPerformanceFrequency), BOOL (*)(LARGE_INTEGER *)>(),
              "QueryPerformanceFrequency");
static_assert(Same<decltype(&GetSystemInfo), void (*)(LPSYSTEM_INFO)>(), "GetSystemInfo");
static_assert(Same<decltype(&InterlockedIncrement), LONG (*)(LONG volatile *)>(), "Interlocked");
static_assert(Same<decltype(&InterlockedCompareExchange),
                   LONG (*)(LONG volatile *, LONG, LONG)>(),
              "InterlockedCompareExchange");
static_assert(Same<decltype(&InterlockedIncrement64), LONG64 (*)(LONG64 volatile *)>(),
              "InterlockedIncrement64");
static_assert(Same<decltype(&InterlockedCompareExchangePointer),
                   PVOID (*)(PVOID volatile *, PVOID, PVOID)>(),
              "InterlockedCompareExchangePointer");

// --- values ----------------------------------------------------------------

TEST(Headers, BasicConstants) {
  EXPECT_EQ(TRUE, 1);
  EXPECT_EQ(FALSE, 0);
  EXPECT_EQ(INFINITE, 0xFFFFFFFFu);
  EXPECT_EQ(MAXDWORD, 0xFFFFFFFFu);
  EXPECT_EQ(INVALID_HANDLE_VALUE, reinterpret_cast<HANDLE>(static_cast<intptr_t>(-1)));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(INVALID_HANDLE_VALUE), UINTPTR_MAX);
  EXPECT_EQ(WAIT_OBJECT_0, 0u);
  EXPECT_EQ(WAIT_ABANDONED, 0x80u);
  EXPECT_EQ(WAIT_ABANDONED_0, 0x80u);
  EXPECT_EQ(WAIT_TIMEOUT, 258);
  EXPECT_EQ(WAIT_FAILED, 0xFFFFFFFFu);
  EXPECT_EQ(WAIT_IO_COMPLETION, 0xC0u);
  EXPECT_EQ(MAXIMUM_WAIT_OBJECTS, 64);
  EXPECT_EQ(FILE_SKIP_COMPLETION_PORT_ON_SUCCESS, 1);
  EXPECT_EQ(FILE_SKIP_SET_EVENT_ON_HANDLE, 2);
  EXPECT_EQ(CREATE_SUSPENDED, 4);
  EXPECT_EQ(STILL_ACTIVE, 259u);
  EXPECT_EQ(THREAD_PRIORITY_NORMAL, 0);
  EXPECT_EQ(DUPLICATE_CLOSE_SOURCE, 1);
  EXPECT_EQ(DUPLICATE_SAME_ACCESS, 2);
  static_assert(Same<decltype(WAIT_FAILED), DWORD>(), "WAIT_FAILED is a DWORD");
  static_assert(Same<decltype(STILL_ACTIVE), DWORD>(), "STILL_ACTIVE is a DWORD");
}

TEST(Headers, StatusCodes) {
  static_assert(Same<decltype(STATUS_CANCELLED), NTSTATUS>(), "NTSTATUS-typed");
  struct Expected {
    NTSTATUS value;
    unsigned int bits;
  };
  const Expected expected[] = {
      {STATUS_SUCCESS, 0x0},
      {STATUS_WAIT_0, 0x0},
      {STATUS_ABANDONED_WAIT_0, 0x80},
      {STATUS_USER_APC, 0xC0},
      {STATUS_TIMEOUT, 0x102},
      {STATUS_PENDING, 0x103},
      {STATUS_BUFFER_OVERFLOW, 0x80000005u},
      {STATUS_INVALID_HANDLE, 0xC0000008u},
      {STATUS_END_OF_FILE, 0xC0000011u},
      {STATUS_BUFFER_TOO_SMALL, 0xC0000023u},
      {STATUS_PIPE_DISCONNECTED, 0xC00000B0u},
      {STATUS_IO_TIMEOUT, 0xC00000B5u},
      {STATUS_CANCELLED, 0xC0000120u},
      {STATUS_LOCAL_DISCONNECT, 0xC000013Bu},
      {STATUS_REMOTE_DISCONNECT, 0xC000013Cu},
      {STATUS_INVALID_CONNECTION, 0xC0000140u},
      {STATUS_CONNECTION_RESET, 0xC000020Du},
      {STATUS_CONNECTION_REFUSED, 0xC0000236u},
      {STATUS_GRACEFUL_DISCONNECT, 0xC0000237u},
      {STATUS_CONNECTION_ACTIVE, 0xC000023Bu},
      {STATUS_NETWORK_UNREACHABLE, 0xC000023Cu},
      {STATUS_HOST_UNREACHABLE, 0xC000023Du},
      {STATUS_CONNECTION_ABORTED, 0xC0000241u},
      {STATUS_HOST_DOWN, 0xC0000350u},
  };
  for (const Expected &e : expected) {
    EXPECT_EQ(static_cast<unsigned int>(e.value), e.bits);
  }
  // Error statuses are negative, as NTSTATUS is a signed 32-bit LONG.
  EXPECT_LT(STATUS_CANCELLED, 0);
  EXPECT_EQ(STATUS_CANCELLED, -1073741536);
  EXPECT_GT(STATUS_PENDING, 0);
  // What Internal holds after an error: the NTSTATUS sign-extended, as on x64.
  OVERLAPPED ov = {};
  ov.Internal = static_cast<ULONG_PTR>(STATUS_CANCELLED);
  EXPECT_EQ(static_cast<NTSTATUS>(ov.Internal), STATUS_CANCELLED);
}

TEST(Headers, Win32ErrorCodes) {
  struct Expected {
    int value;
    int windows;
  };
  const Expected expected[] = {
      {ERROR_SUCCESS, 0},          {NO_ERROR, 0},
      {ERROR_INVALID_FUNCTION, 1}, {ERROR_FILE_NOT_FOUND, 2},
      {ERROR_PATH_NOT_FOUND, 3},   {ERROR_TOO_MANY_OPEN_FILES, 4},
      {ERROR_ACCESS_DENIED, 5},    {ERROR_INVALID_HANDLE, 6},
      {ERROR_NOT_ENOUGH_MEMORY, 8}, {ERROR_INVALID_DATA, 13},
      {ERROR_OUTOFMEMORY, 14},     {ERROR_NOT_READY, 21},
      {ERROR_BAD_LENGTH, 24},      {ERROR_WRITE_FAULT, 29},
      {ERROR_READ_FAULT, 30},      {ERROR_GEN_FAILURE, 31},
      {ERROR_SHARING_VIOLATION, 32}, {ERROR_LOCK_VIOLATION, 33},
      {ERROR_HANDLE_EOF, 38},      {ERROR_HANDLE_DISK_FULL, 39},
      {ERROR_NOT_SUPPORTED, 50},   {ERROR_DUP_NAME, 52},
      {ERROR_BAD_NETPATH, 53},     {ERROR_UNEXP_NET_ERR, 59},
      {ERROR_NETNAME_DELETED, 64}, {ERROR_FILE_EXISTS, 80},
      {ERROR_INVALID_PARAMETER, 87}, {ERROR_BROKEN_PIPE, 109},
      {ERROR_DISK_FULL, 112},      {ERROR_SEM_TIMEOUT, 121},
      {ERROR_INSUFFICIENT_BUFFER, 122}, {ERROR_INVALID_NAME, 123},
      {ERROR_NEGATIVE_SEEK, 131},  {ERROR_DIR_NOT_EMPTY, 145},
      {ERROR_BUSY, 170},           {ERROR_ALREADY_EXISTS, 183},
      {ERROR_FILENAME_EXCED_RANGE, 206}, {ERROR_BAD_PIPE, 230},
      {ERROR_PIPE_BUSY, 231},      {ERROR_NO_DATA, 232},
      {ERROR_PIPE_NOT_CONNECTED, 233}, {ERROR_MORE_DATA, 234},
      {ERROR_DIRECTORY, 267},      {ERROR_NOT_OWNER, 288},
      {ERROR_TOO_MANY_POSTS, 298}, {ERROR_INVALID_ADDRESS, 487},
      {ERROR_ARITHMETIC_OVERFLOW, 534}, {ERROR_PIPE_CONNECTED, 535},
      {ERROR_PIPE_LISTENING, 536}, {ERROR_ABANDONED_WAIT_0, 735},
      {ERROR_ABANDONED_WAIT_63, 736}, {ERROR_OPERATION_ABORTED, 995},
      {ERROR_IO_INCOMPLETE, 996},  {ERROR_IO_PENDING, 997},
      {ERROR_NOACCESS, 998},       {ERROR_INVALID_FLAGS, 1004},
      {ERROR_NOT_FOUND, 1168},     {ERROR_CANCELLED, 1223},
      {ERROR_CONNECTION_REFUSED, 1225}, {ERROR_GRACEFUL_DISCONNECT, 1226},
      {ERROR_CONNECTION_INVALID, 1229}, {ERROR_CONNECTION_ACTIVE, 1230},
      {ERROR_NETWORK_UNREACHABLE, 1231}, {ERROR_HOST_UNREACHABLE, 1232},
      {ERROR_CONNECTION_ABORTED, 1236}, {ERROR_RETRY, 1237},
      {ERROR_HOST_DOWN, 1256},     {ERROR_NO_SYSTEM_RESOURCES, 1450},
      {ERROR_TIMEOUT, 1460},       {ERROR_INVALID_USER_BUFFER, 1784},
      {ERROR_NOT_ENOUGH_QUOTA, 1816},
  };
  for (const Expected &e : expected) {
    EXPECT_EQ(e.value, e.windows);
  }
  // They compare with GetLastError()'s DWORD without casts.
  DWORD last = 997;
  EXPECT_TRUE(last == ERROR_IO_PENDING);
}

TEST(Headers, WinsockErrorCodes) {
  const int expected[][2] = {
      {WSABASEERR, 10000},       {WSAEINTR, 10004},
      {WSAEBADF, 10009},         {WSAEACCES, 10013},
      {WSAEFAULT, 10014},        {WSAEINVAL, 10022},
      {WSAEMFILE, 10024},        {WSAEWOULDBLOCK, 10035},
      {WSAEINPROGRESS, 10036},   {WSAEALREADY, 10037},
      {WSAENOTSOCK, 10038},      {WSAEDESTADDRREQ, 10039},
      {WSAEMSGSIZE, 10040},      {WSAEPROTOTYPE, 10041},
      {WSAENOPROTOOPT, 10042},   {WSAEPROTONOSUPPORT, 10043},
      {WSAESOCKTNOSUPPORT, 10044}, {WSAEOPNOTSUPP, 10045},
      {WSAEPFNOSUPPORT, 10046},  {WSAEAFNOSUPPORT, 10047},
      {WSAEADDRINUSE, 10048},    {WSAEADDRNOTAVAIL, 10049},
      {WSAENETDOWN, 10050},      {WSAENETUNREACH, 10051},
      {WSAENETRESET, 10052},     {WSAECONNABORTED, 10053},
      {WSAECONNRESET, 10054},    {WSAENOBUFS, 10055},
      {WSAEISCONN, 10056},       {WSAENOTCONN, 10057},
      {WSAESHUTDOWN, 10058},     {WSAETOOMANYREFS, 10059},
      {WSAETIMEDOUT, 10060},     {WSAECONNREFUSED, 10061},
      {WSAELOOP, 10062},         {WSAENAMETOOLONG, 10063},
      {WSAEHOSTDOWN, 10064},     {WSAEHOSTUNREACH, 10065},
      {WSASYSNOTREADY, 10091},   {WSAVERNOTSUPPORTED, 10092},
      {WSANOTINITIALISED, 10093}, {WSAEDISCON, 10101},
      {WSAHOST_NOT_FOUND, 11001}, {WSATRY_AGAIN, 11002},
      {WSANO_RECOVERY, 11003},   {WSANO_DATA, 11004},
      {WSA_IO_PENDING, 997},     {WSA_IO_INCOMPLETE, 996},
      {WSA_INVALID_HANDLE, 6},   {WSA_INVALID_PARAMETER, 87},
      {WSA_OPERATION_ABORTED, 995}, {WSA_NOT_ENOUGH_MEMORY, 8},
  };
  for (const auto &e : expected) {
    EXPECT_EQ(e[0], e[1]);
  }
}

TEST(Headers, Hresult) {
  EXPECT_EQ(S_OK, 0);
  EXPECT_TRUE(SUCCEEDED(S_FALSE));
  EXPECT_TRUE(FAILED(E_FAIL));
  EXPECT_EQ(static_cast<unsigned int>(E_FAIL), 0x80004005u);
  EXPECT_EQ(HRESULT_FROM_WIN32(ERROR_SUCCESS), S_OK);
  EXPECT_EQ(HRESULT_FROM_WIN32(ERROR_ACCESS_DENIED), E_ACCESSDENIED);
  EXPECT_EQ(HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER), E_INVALIDARG);
  EXPECT_EQ(HRESULT_FROM_WIN32(ERROR_NOT_ENOUGH_MEMORY) & 0xFFFF, 8);
  EXPECT_EQ(HRESULT_CODE(E_OUTOFMEMORY), 14);
  EXPECT_EQ(HRESULT_FACILITY(E_OUTOFMEMORY), FACILITY_WIN32);
}

// --- macros and intrinsics -------------------------------------------------

TEST(Headers, HasOverlappedIoCompleted) {
  OVERLAPPED ov;
  ZeroMemory(&ov, sizeof(ov));
  EXPECT_TRUE(HasOverlappedIoCompleted(&ov));
  ov.Internal = STATUS_PENDING;
  EXPECT_FALSE(HasOverlappedIoCompleted(&ov));
  ov.Internal = static_cast<ULONG_PTR>(STATUS_CANCELLED);
  EXPECT_TRUE(HasOverlappedIoCompleted(&ov));
}

TEST(Headers, OverlappedUnnamedMembers) {
  OVERLAPPED ov = {};
  ov.Offset = 0x11223344;
  ov.OffsetHigh = 0x55667788;
  EXPECT_EQ(reinterpret_cast<uintptr_t>(ov.Pointer), 0x5566778811223344u);
  ov.hEvent = INVALID_HANDLE_VALUE;
  EXPECT_EQ(ov.Internal, 0u);
  EXPECT_EQ(ov.InternalHigh, 0u);

  SYSTEM_INFO si = {};
  si.dwOemId = 0x00020009;
  EXPECT_EQ(si.wProcessorArchitecture, PROCESSOR_ARCHITECTURE_AMD64);
  EXPECT_EQ(si.wReserved, 2);
}

TEST(Headers, LargeIntegerParts) {
  LARGE_INTEGER li;
  li.QuadPart = 0x0000000100000002LL;
  EXPECT_EQ(li.LowPart, 2u);
  EXPECT_EQ(li.HighPart, 1);
  EXPECT_EQ(li.u.LowPart, 2u);
  EXPECT_EQ(li.u.HighPart, 1);
  li.QuadPart = -1;
  EXPECT_EQ(li.LowPart, 0xFFFFFFFFu);
  EXPECT_EQ(li.HighPart, -1);
  li.LowPart = 0;
  li.HighPart = -2;
  EXPECT_EQ(li.QuadPart, -0x200000000LL);

  ULARGE_INTEGER ul;
  ul.QuadPart = 0xFFFFFFFF00000001ULL;
  EXPECT_EQ(ul.LowPart, 1u);
  EXPECT_EQ(ul.HighPart, 0xFFFFFFFFu);
}

TEST(Headers, InterlockedReturnValues) {
  LONG volatile v = 5;
  EXPECT_EQ(InterlockedIncrement(&v), 6);  // new value
  EXPECT_EQ(v, 6);
  EXPECT_EQ(InterlockedDecrement(&v), 5);  // new value
  EXPECT_EQ(InterlockedExchange(&v, 42), 5);  // old value
  EXPECT_EQ(v, 42);
  EXPECT_EQ(InterlockedExchangeAdd(&v, 8), 42);  // old value
  EXPECT_EQ(v, 50);
  EXPECT_EQ(InterlockedAdd(&v, -10), 40);  // new value
  // CompareExchange(dest, exchange, comparand) returns the initial value.
  EXPECT_EQ(InterlockedCompareExchange(&v, 7, 40), 40);
  EXPECT_EQ(v, 7);
  EXPECT_EQ(InterlockedCompareExchange(&v, 9, 40), 7);  // no match: unchanged
  EXPECT_EQ(v, 7);
  EXPECT_EQ(InterlockedOr(&v, 8), 7);
  EXPECT_EQ(InterlockedAnd(&v, 3), 15);
  EXPECT_EQ(InterlockedXor(&v, 1), 3);
  EXPECT_EQ(v, 2);
  v = 0x7FFFFFFF;
  EXPECT_EQ(InterlockedIncrement(&v), static_cast<LONG>(0x80000000u));  // wraps like Windows

  LONG plain = 1;  // non-volatile LONG* converts, as on Windows
  EXPECT_EQ(InterlockedIncrement(&plain), 2);

  LONG64 volatile w = 0x100000000LL;
  EXPECT_EQ(InterlockedIncrement64(&w), 0x100000001LL);
  EXPECT_EQ(InterlockedDecrement64(&w), 0x100000000LL);
  EXPECT_EQ(InterlockedExchange64(&w, 3), 0x100000000LL);
  EXPECT_EQ(InterlockedExchangeAdd64(&w, 0x100000000LL), 3);
  EXPECT_EQ(InterlockedAdd64(&w, 1), 0x100000004LL);
  EXPECT_EQ(InterlockedCompareExchange64(&w, 1, 0x100000004LL), 0x100000004LL);
  EXPECT_EQ(InterlockedCompareExchange64(&w, 2, 0), 1);
  EXPECT_EQ(w, 1);

  int a = 0, b = 0;
  PVOID volatile p = &a;
  EXPECT_EQ(InterlockedExchangePointer(&p, &b), &a);
  EXPECT_EQ(p, &b);
  EXPECT_EQ(InterlockedCompareExchangePointer(&p, &a, &b), &b);
  EXPECT_EQ(p, &a);
  EXPECT_EQ(InterlockedCompareExchangePointer(&p, nullptr, &b), &a);
  EXPECT_EQ(p, &a);
  MemoryBarrier();
  YieldProcessor();
}

struct Context {
  int before;
  OVERLAPPED overlapped;
  char tag[13];
};

TEST(Headers, ContainingRecordAndFieldOffset) {
  Context ctx = {};
  LPOVERLAPPED ov = &ctx.overlapped;
  EXPECT_EQ(CONTAINING_RECORD(ov, Context, overlapped), &ctx);
  EXPECT_EQ(CONTAINING_RECORD(&ctx.tag[0], Context, tag), &ctx);
  static_assert(Same<decltype(CONTAINING_RECORD(ov, Context, overlapped)), Context *>(),
                "CONTAINING_RECORD gives a Context*");
  EXPECT_EQ(FIELD_OFFSET(Context, overlapped), 8);
  static_assert(Same<decltype(FIELD_OFFSET(Context, tag)), LONG>(), "FIELD_OFFSET is LONG");
  EXPECT_EQ(RTL_FIELD_SIZE(Context, tag), 13u);
}

TEST(Headers, ArraySizeAndMemoryMacros) {
  int numbers[7];
  Context contexts[3];
  static_assert(ARRAYSIZE(numbers) == 7, "ARRAYSIZE");
  static_assert(_countof(contexts) == 3, "_countof");
  Context member;
  static_assert(ARRAYSIZE(member.tag) == 13, "ARRAYSIZE of a member");
  static_assert(Same<decltype(ARRAYSIZE(numbers)), std::size_t>(), "size_t");

  ZeroMemory(numbers, sizeof(numbers));
  FillMemory(numbers, sizeof(int), 0x01);
  EXPECT_EQ(numbers[0], 0x01010101);
  EXPECT_EQ(numbers[1], 0);
  CopyMemory(&numbers[2], &numbers[0], sizeof(int));
  EXPECT_EQ(numbers[2], 0x01010101);
  // numbers: {X, 0, X, 0, ...}; an overlapping move shifts it right by one.
  MoveMemory(&numbers[1], &numbers[0], 3 * sizeof(int));
  EXPECT_EQ(numbers[1], 0x01010101);
  EXPECT_EQ(numbers[2], 0);
  EXPECT_EQ(numbers[3], 0x01010101);
  EXPECT_TRUE(RtlEqualMemory(&numbers[1], &numbers[3], sizeof(int)));
  UNREFERENCED_PARAMETER(contexts);
  UNREFERENCED_PARAMETER(member);
}

TEST(Headers, WordMacros) {
  EXPECT_EQ(MAKEWORD(2, 2), 0x0202);
  EXPECT_EQ(MAKEWORD(0x1234, 0x5678), 0x7834);
  EXPECT_EQ(LOBYTE(0x1234), 0x34);
  EXPECT_EQ(HIBYTE(0x1234), 0x12);
  EXPECT_EQ(MAKELONG(0x1111, 0x2222), 0x22221111);
  EXPECT_EQ(LOWORD(0x12345678), 0x5678);
  EXPECT_EQ(HIWORD(0x12345678), 0x1234);
  EXPECT_EQ(HIWORD(0xFFFF0000u), 0xFFFF);
  static_assert(Same<decltype(MAKEWORD(1, 2)), WORD>(), "MAKEWORD is a WORD");
  static_assert(Same<decltype(MAKELONG(1, 2)), LONG>(), "MAKELONG is a LONG");
  static_assert(Same<decltype(LOBYTE(1)), BYTE>(), "LOBYTE is a BYTE");
  static_assert(Same<decltype(HIWORD(1)), WORD>(), "HIWORD is a WORD");
}

TEST(Headers, Guid) {
  const GUID a = {0x12345678, 0x9abc, 0xdef0, {1, 2, 3, 4, 5, 6, 7, 8}};
  GUID b = a;
  EXPECT_TRUE(IsEqualGUID(a, b));
  b.Data4[7] = 9;
  EXPECT_FALSE(IsEqualGUID(a, b));
  REFGUID ref = a;
  EXPECT_EQ(ref.Data1, 0x12345678u);
}

TEST(Headers, Strings) {
  LPCSTR narrow = "abc";
  LPCWSTR wide = u"abc";
  LPCTSTR text = TEXT("abc");
  EXPECT_EQ(narrow[1], 'b');
  EXPECT_EQ(wide[2], u'c');
  EXPECT_EQ(text[0], 'a');
}

// --- Winsock ------------------------------------------------------------------

// Types: Windows x64's, with the glibc-clashing names renamed (winsock2.h).
static_assert(Same<SOCKET, UINT_PTR>(), "SOCKET is UINT_PTR");
static_assert(Same<u_char, unsigned char>() && Same<u_short, unsigned short>(), "u_char");
static_assert(Same<u_int, unsigned int>(), "u_int");
static_assert(Same<u_long, unsigned int>() && sizeof(u_long) == 4, "u_long is 32-bit");
static_assert(Same<socklen_t, int>(), "socklen_t is int, as in ws2tcpip.h");
static_assert(Same<GROUP, unsigned int>() && Same<ADDRESS_FAMILY, USHORT>(), "GROUP");
static_assert(Same<WSAEVENT, HANDLE>() && Same<LPWSAEVENT, HANDLE *>(), "WSAEVENT");
static_assert(Same<WSAOVERLAPPED, OVERLAPPED>() && Same<LPWSAOVERLAPPED, LPOVERLAPPED>(),
              "WSAOVERLAPPED is OVERLAPPED");
static_assert(Same<SOCKADDR, sockaddr>() && Same<PSOCKADDR, sockaddr *>() &&
                  Same<LPSOCKADDR, sockaddr *>(),
              "SOCKADDR");
static_assert(Same<SOCKADDR_IN, sockaddr_in>() && Same<IN_ADDR, in_addr>() &&
                  Same<IN6_ADDR, in6_addr>() && Same<SOCKADDR_IN6, sockaddr_in6>(),
              "address typedefs");
static_assert(Same<SOCKADDR_STORAGE, sockaddr_storage>() && Same<ADDRINFOA, addrinfo>() &&
                  Same<ADDRINFO, addrinfo>() && Same<PADDRINFOA, addrinfo *>(),
              "storage and addrinfo typedefs");
static_assert(Same<WSAPOLLFD, pollfd>() && Same<TIMEVAL, timeval>() && Same<FD_SET, fd_set>() &&
                  Same<LINGER, linger>() && Same<HOSTENT, hostent>(),
              "WSAPOLLFD, TIMEVAL, FD_SET, LINGER, HOSTENT");
static_assert(Same<decltype(linger::l_onoff), u_short>(), "linger holds u_shorts");
static_assert(Same<decltype(timeval::tv_sec), LONG>(), "timeval holds Windows longs");
static_assert(Same<decltype(WSANETWORKEVENTS::lNetworkEvents), LONG>(), "lNetworkEvents");
static_assert(Same<decltype(addrinfo::ai_addrlen), size_t>(), "ai_addrlen is size_t");
static_assert(Same<decltype(tcp_keepalive::onoff), ULONG>(), "tcp_keepalive holds ULONGs");
static_assert(Same<decltype(in_addr::S_un.S_addr), ULONG>(), "S_addr is a ULONG");

// Layouts (Windows x64).
static_assert(sizeof(WSADATA) == 408, "WSADATA");
static_assert(offsetof(WSADATA, wHighVersion) == 2 && offsetof(WSADATA, iMaxSockets) == 4 &&
                  offsetof(WSADATA, iMaxUdpDg) == 6 && offsetof(WSADATA, lpVendorInfo) == 8 &&
                  offsetof(WSADATA, szDescription) == 16 &&
                  offsetof(WSADATA, szSystemStatus) == 273,
              "WSADATA x64 order");
static_assert(sizeof(WSADATA::szDescription) == 257 && sizeof(WSADATA::szSystemStatus) == 129,
              "WSADATA strings");
static_assert(sizeof(sockaddr) == 16 && offsetof(sockaddr, sa_data) == 2, "sockaddr");
static_assert(sizeof(in_addr) == 4, "in_addr");
static_assert(sizeof(sockaddr_in) == 16 && offsetof(sockaddr_in, sin_port) == 2 &&
                  offsetof(sockaddr_in, sin_addr) == 4 && offsetof(sockaddr_in, sin_zero) == 8,
              "sockaddr_in");
static_assert(sizeof(in6_addr) == 16, "in6_addr");
static_assert(sizeof(sockaddr_in6) == 28 && offsetof(sockaddr_in6, sin6_port) == 2 &&
                  offsetof(sockaddr_in6, sin6_flowinfo) == 4 &&
                  offsetof(sockaddr_in6, sin6_addr) == 8 &&
                  offsetof(sockaddr_in6, sin6_scope_id) == 24 &&
                  offsetof(sockaddr_in6, sin6_scope_struct) == 24,
              "sockaddr_in6");
static_assert(sizeof(SOCKADDR_STORAGE) == 128 && alignof(SOCKADDR_STORAGE) == 8, "storage");
static_assert(sizeof(fd_set) == 520 && offsetof(fd_set, fd_array) == 8 && FD_SETSIZE == 64,
              "fd_set");
static_assert(sizeof(timeval) == 8 && offsetof(timeval, tv_usec) == 4, "timeval");
static_assert(sizeof(WSABUF) == 16 && offsetof(WSABUF, len) == 0 && offsetof(WSABUF, buf) == 8,
              "WSABUF: len first");
static_assert(sizeof(WSAMSG) == 56 && offsetof(WSAMSG, namelen) == 8 &&
                  offsetof(WSAMSG, lpBuffers) == 16 && offsetof(WSAMSG, dwBufferCount) == 24 &&
                  offsetof(WSAMSG, Control) == 32 && offsetof(WSAMSG, dwFlags) == 48,
              "WSAMSG");
static_assert(sizeof(WSACMSGHDR) == 16 && offsetof(WSACMSGHDR, cmsg_type) == 12, "WSACMSGHDR");
static_assert(sizeof(WSAPROTOCOLCHAIN) == 32, "WSAPROTOCOLCHAIN");
static_assert(sizeof(WSAPROTOCOL_INFOA) == 372 && offsetof(WSAPROTOCOL_INFOA, ProviderId) == 20 &&
                  offsetof(WSAPROTOCOL_INFOA, dwCatalogEntryId) == 36 &&
                  offsetof(WSAPROTOCOL_INFOA, ProtocolChain) == 40 &&
                  offsetof(WSAPROTOCOL_INFOA, iVersion) == 72 &&
                  offsetof(WSAPROTOCOL_INFOA, dwMessageSize) == 108 &&
                  offsetof(WSAPROTOCOL_INFOA, szProtocol) == 116,
              "WSAPROTOCOL_INFOA");
static_assert(sizeof(linger) == 4 && offsetof(linger, l_linger) == 2, "linger");
static_assert(sizeof(hostent) == 32 && offsetof(hostent, h_aliases) == 8 &&
                  offsetof(hostent, h_addrtype) == 16 && offsetof(hostent, h_length) == 18 &&
                  offsetof(hostent, h_addr_list) == 24,
              "hostent");
static_assert(sizeof(servent) == 32 && offsetof(servent, s_proto) == 16 &&
                  offsetof(servent, s_port) == 24,
              "servent (x64: s_proto before s_port)");
static_assert(sizeof(protoent) == 24 && offsetof(protoent, p_proto) == 16, "protoent");
static_assert(sizeof(addrinfo) == 48 && offsetof(addrinfo, ai_family) == 4 &&
                  offsetof(addrinfo, ai_socktype) == 8 && offsetof(addrinfo, ai_protocol) == 12 &&
                  offsetof(addrinfo, ai_addrlen) == 16 && offsetof(addrinfo, ai_canonname) == 24 &&
                  offsetof(addrinfo, ai_addr) == 32 && offsetof(addrinfo, ai_next) == 40,
              "addrinfo: ai_canonname before ai_addr");
static_assert(sizeof(WSAPOLLFD) == 16 && offsetof(WSAPOLLFD, events) == 8 &&
                  offsetof(WSAPOLLFD, revents) == 10,
              "WSAPOLLFD");
static_assert(sizeof(WSANETWORKEVENTS) == 44 && offsetof(WSANETWORKEVENTS, iErrorCode) == 4,
              "WSANETWORKEVENTS");
static_assert(sizeof(tcp_keepalive) == 12 && offsetof(tcp_keepalive, keepalivetime) == 4 &&
                  offsetof(tcp_keepalive, keepaliveinterval) == 8,
              "tcp_keepalive");
static_assert(sizeof(TRANSMIT_FILE_BUFFERS) == 32 &&
                  offsetof(TRANSMIT_FILE_BUFFERS, HeadLength) == 8 &&
                  offsetof(TRANSMIT_FILE_BUFFERS, Tail) == 16 &&
                  offsetof(TRANSMIT_FILE_BUFFERS, TailLength) == 24,
              "TRANSMIT_FILE_BUFFERS");
static_assert(sizeof(TRANSMIT_PACKETS_ELEMENT) == 24 &&
                  offsetof(TRANSMIT_PACKETS_ELEMENT, nFileOffset) == 8 &&
                  offsetof(TRANSMIT_PACKETS_ELEMENT, hFile) == 16 &&
                  offsetof(TRANSMIT_PACKETS_ELEMENT, pBuffer) == 8,
              "TRANSMIT_PACKETS_ELEMENT");
static_assert(sizeof(FLOWSPEC) == 32 && sizeof(QOS) == 80 && offsetof(QOS, ProviderSpecific) == 64,
              "QOS");
static_assert(sizeof(IP_MREQ) == 8 && sizeof(IPV6_MREQ) == 20, "multicast requests");
static_assert(sizeof(SOCKET_ADDRESS) == 16, "SOCKET_ADDRESS");

// Signatures, exactly Windows'.
static_assert(Same<decltype(&WSAStartup), int (*)(WORD, LPWSADATA)>(), "WSAStartup");
static_assert(Same<decltype(&WSACleanup), int (*)()>(), "WSACleanup");
static_assert(Same<decltype(&WSAGetLastError), int (*)()>(), "WSAGetLastError");
static_assert(Same<decltype(&WSASetLastError), void (*)(int)>(), "WSASetLastError");
static_assert(Same<decltype(&socket), SOCKET (*)(int, int, int)>(), "socket");
static_assert(Same<decltype(&WSASocket),
                   SOCKET (*)(int, int, int, LPWSAPROTOCOL_INFOA, GROUP, DWORD)>(),
              "WSASocket is WSASocketA");
static_assert(Same<decltype(&closesocket), int (*)(SOCKET)>(), "closesocket");
static_assert(Same<decltype(&bind), int (*)(SOCKET, const sockaddr *, int)>(), "bind");
static_assert(Same<decltype(&listen), int (*)(SOCKET, int)>(), "listen");
static_assert(Same<decltype(&accept), SOCKET (*)(SOCKET, sockaddr *, int *)>(), "accept");
static_assert(Same<decltype(&WSAAccept),
                   SOCKET (*)(SOCKET, sockaddr *, LPINT, LPCONDITIONPROC, DWORD_PTR)>(),
              "WSAAccept");
static_assert(Same<decltype(&connect), int (*)(SOCKET, const sockaddr *, int)>(), "connect");
static_assert(Same<decltype(&WSAConnect), int (*)(SOCKET, const sockaddr *, int, LPWSABUF,
                                                  LPWSABUF, LPQOS, LPQOS)>(),
              "WSAConnect");
static_assert(Same<decltype(&shutdown), int (*)(SOCKET, int)>(), "shutdown");
static_assert(Same<decltype(&getsockname), int (*)(SOCKET, sockaddr *, int *)>(), "getsockname");
static_assert(Same<decltype(&getpeername), int (*)(SOCKET, sockaddr *, int *)>(), "getpeername");
static_assert(Same<decltype(&setsockopt), int (*)(SOCKET, int, int, const char *, int)>(),
              "setsockopt");
static_assert(Same<decltype(&getsockopt), int (*)(SOCKET, int, int, char *, int *)>(),
              "getsockopt");
static_assert(Same<decltype(&ioctlsocket), int (*)(SOCKET, LONG, u_long *)>(), "ioctlsocket");
static_assert(Same<decltype(&select),
                   int (*)(int, fd_set *, fd_set *, fd_set *, const timeval *)>(),
              "select");
static_assert(Same<decltype(&__WSAFDIsSet), int (*)(SOCKET, fd_set *)>(), "__WSAFDIsSet");
static_assert(Same<decltype(&WSAPoll), int (*)(LPWSAPOLLFD, ULONG, INT)>(), "WSAPoll");
static_assert(Same<decltype(&send), int (*)(SOCKET, const char *, int, int)>(), "send");
static_assert(Same<decltype(&recv), int (*)(SOCKET, char *, int, int)>(), "recv");
static_assert(Same<decltype(&sendto),
                   int (*)(SOCKET, const char *, int, int, const sockaddr *, int)>(),
              "sendto");
static_assert(Same<decltype(&recvfrom), int (*)(SOCKET, char *, int, int, sockaddr *, int *)>(),
              "recvfrom");
static_assert(Same<decltype(&WSASend),
                   int (*)(SOCKET, LPWSABUF, DWORD, LPDWORD, DWORD, LPWSAOVERLAPPED,
                           LPWSAOVERLAPPED_COMPLETION_ROUTINE)>(),
              "WSASend");
static_assert(Same<decltype(&WSARecv),
                   int (*)(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, LPWSAOVERLAPPED,
                           LPWSAOVERLAPPED_COMPLETION_ROUTINE)>(),
              "WSARecv");
static_assert(Same<decltype(&WSASendTo),
                   int (*)(SOCKET, LPWSABUF, DWORD, LPDWORD, DWORD, const sockaddr *, int,
                           LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE)>(),
              "WSASendTo");
static_assert(Same<decltype(&WSARecvFrom),
                   int (*)(SOCKET, LPWSABUF, DWORD, LPDWORD, LPDWORD, sockaddr *, LPINT,
                           LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE)>(),
              "WSARecvFrom");
static_assert(Same<decltype(&WSAIoctl),
                   int (*)(SOCKET, DWORD, LPVOID, DWORD, LPVOID, DWORD, LPDWORD,
                           LPWSAOVERLAPPED, LPWSAOVERLAPPED_COMPLETION_ROUTINE)>(),
              "WSAIoctl");
static_assert(Same<decltype(&WSAGetOverlappedResult),
                   BOOL (*)(SOCKET, LPWSAOVERLAPPED, LPDWORD, BOOL, LPDWORD)>(),
              "WSAGetOverlappedResult");
static_assert(Same<decltype(&WSACreateEvent), WSAEVENT (*)()>(), "WSACreateEvent");
static_assert(Same<decltype(&WSACloseEvent), BOOL (*)(WSAEVENT)>() &&
                  Same<decltype(&WSASetEvent), BOOL (*)(WSAEVENT)>() &&
                  Same<decltype(&WSAResetEvent), BOOL (*)(WSAEVENT)>(),
              "WSA event functions");
static_assert(Same<decltype(&WSAWaitForMultipleEvents),
                   DWORD (*)(DWORD, const WSAEVENT *, BOOL, DWORD, BOOL)>(),
              "WSAWaitForMultipleEvents");
static_assert(Same<decltype(&WSAEventSelect), int (*)(SOCKET, WSAEVENT, LONG)>(),
              "WSAEventSelect");
static_assert(Same<decltype(&WSAEnumNetworkEvents),
                   int (*)(SOCKET, WSAEVENT, LPWSANETWORKEVENTS)>(),
              "WSAEnumNetworkEvents");
static_assert(Same<decltype(&getaddrinfo),
                   INT (*)(PCSTR, PCSTR, const ADDRINFOA *, PADDRINFOA *)>(),
              "getaddrinfo");
static_assert(Same<decltype(&freeaddrinfo), VOID (*)(PADDRINFOA)>(), "freeaddrinfo");
static_assert(Same<decltype(&getnameinfo), INT (*)(const SOCKADDR *, socklen_t, PCHAR, DWORD,
                                                   PCHAR, DWORD, INT)>(),
              "getnameinfo");
static_assert(Same<decltype(&gethostbyname), hostent *(*)(const char *)>(), "gethostbyname");
static_assert(Same<decltype(&gethostname), int (*)(char *, int)>(), "gethostname takes an int");
static_assert(Same<decltype(&inet_addr), ULONG (*)(const char *)>(), "inet_addr");
static_assert(Same<decltype(&inet_ntoa), char *(*)(in_addr)>(), "inet_ntoa");
static_assert(Same<decltype(&inet_pton), INT (*)(INT, PCSTR, PVOID)>(), "inet_pton");
static_assert(Same<decltype(&inet_ntop), PCSTR (*)(INT, const VOID *, PSTR, size_t)>(),
              "inet_ntop");
static_assert(Same<decltype(&htons), u_short (*)(u_short)>() &&
                  Same<decltype(&ntohs), u_short (*)(u_short)>(),
              "htons, ntohs");
static_assert(Same<decltype(&htonl), u_long (*)(u_long)>() &&
                  Same<decltype(&ntohl), u_long (*)(u_long)>(),
              "htonl, ntohl (32-bit)");
static_assert(Same<decltype(&AcceptEx), LPFN_ACCEPTEX>(), "AcceptEx");
static_assert(Same<decltype(&GetAcceptExSockaddrs), LPFN_GETACCEPTEXSOCKADDRS>(),
              "GetAcceptExSockaddrs");
static_assert(Same<decltype(&TransmitFile), LPFN_TRANSMITFILE>(), "TransmitFile");
static_assert(Same<LPFN_ACCEPTEX, BOOL (*)(SOCKET, SOCKET, PVOID, DWORD, DWORD, DWORD, LPDWORD,
                                           LPOVERLAPPED)>(),
              "LPFN_ACCEPTEX");
static_assert(Same<LPFN_GETACCEPTEXSOCKADDRS, VOID (*)(PVOID, DWORD, DWORD, DWORD, sockaddr **,
                                                       LPINT, sockaddr **, LPINT)>(),
              "LPFN_GETACCEPTEXSOCKADDRS");
static_assert(Same<LPFN_CONNECTEX, BOOL (*)(SOCKET, const sockaddr *, int, PVOID, DWORD, LPDWORD,
                                            LPOVERLAPPED)>(),
              "LPFN_CONNECTEX");
static_assert(Same<LPFN_DISCONNECTEX, BOOL (*)(SOCKET, LPOVERLAPPED, DWORD, DWORD)>(),
              "LPFN_DISCONNECTEX");
static_assert(Same<LPFN_TRANSMITFILE, BOOL (*)(SOCKET, HANDLE, DWORD, DWORD, LPOVERLAPPED,
                                               LPTRANSMIT_FILE_BUFFERS, DWORD)>(),
              "LPFN_TRANSMITFILE");
static_assert(Same<LPFN_TRANSMITPACKETS, BOOL (*)(SOCKET, LPTRANSMIT_PACKETS_ELEMENT, DWORD,
                                                  DWORD, LPOVERLAPPED, DWORD)>(),
              "LPFN_TRANSMITPACKETS");
static_assert(Same<LPFN_WSARECVMSG, INT (*)(SOCKET, LPWSAMSG, LPDWORD, LPWSAOVERLAPPED,
                                            LPWSAOVERLAPPED_COMPLETION_ROUTINE)>(),
              "LPFN_WSARECVMSG");
static_assert(Same<LPFN_WSASENDMSG, INT (*)(SOCKET, LPWSAMSG, DWORD, LPDWORD, LPWSAOVERLAPPED,
                                            LPWSAOVERLAPPED_COMPLETION_ROUTINE)>(),
              "LPFN_WSASENDMSG");
static_assert(Same<LPWSAOVERLAPPED_COMPLETION_ROUTINE,
                   void (*)(DWORD, DWORD, LPWSAOVERLAPPED, DWORD)>(),
              "LPWSAOVERLAPPED_COMPLETION_ROUTINE");

TEST(Winsock, Constants) {
  const long long expected[][2] = {
      {AF_UNSPEC, 0}, {AF_UNIX, 1}, {AF_INET, 2}, {AF_INET6, 23}, {PF_INET, 2}, {PF_INET6, 23},
      {SOCK_STREAM, 1}, {SOCK_DGRAM, 2}, {SOCK_RAW, 3}, {SOCK_RDM, 4}, {SOCK_SEQPACKET, 5},
      {IPPROTO_IP, 0}, {IPPROTO_ICMP, 1}, {IPPROTO_TCP, 6}, {IPPROTO_UDP, 17},
      {IPPROTO_IPV6, 41}, {IPPROTO_ICMPV6, 58}, {IPPROTO_RAW, 255},
      {SOL_SOCKET, 0xffff}, {SO_DEBUG, 1}, {SO_ACCEPTCONN, 2}, {SO_REUSEADDR, 4},
      {SO_KEEPALIVE, 8}, {SO_DONTROUTE, 0x10}, {SO_BROADCAST, 0x20}, {SO_USELOOPBACK, 0x40},
      {SO_LINGER, 0x80}, {SO_OOBINLINE, 0x100}, {SO_DONTLINGER, ~0x80},
      {SO_EXCLUSIVEADDRUSE, ~0x4}, {SO_SNDBUF, 0x1001}, {SO_RCVBUF, 0x1002},
      {SO_SNDLOWAT, 0x1003}, {SO_RCVLOWAT, 0x1004}, {SO_SNDTIMEO, 0x1005},
      {SO_RCVTIMEO, 0x1006}, {SO_ERROR, 0x1007}, {SO_TYPE, 0x1008},
      {SO_PROTOCOL_INFOA, 0x2004}, {SO_CONDITIONAL_ACCEPT, 0x3002},
      {SO_OPENTYPE, 0x7008}, {SO_MAXDG, 0x7009}, {SO_MAXPATHDG, 0x700A},
      {SO_UPDATE_ACCEPT_CONTEXT, 0x700B}, {SO_CONNECT_TIME, 0x700C},
      {SO_UPDATE_CONNECT_CONTEXT, 0x7010}, {SOMAXCONN, 0x7fffffff}, {SOMAXCONN_HINT(5), -5},
      {TCP_NODELAY, 1}, {TCP_KEEPALIVE, 3}, {TCP_KEEPIDLE, 3}, {TCP_MAXSEG, 4},
      {TCP_FASTOPEN, 15}, {TCP_KEEPCNT, 16}, {TCP_KEEPINTVL, 17},
      {IP_OPTIONS, 1}, {IP_HDRINCL, 2}, {IP_TOS, 3}, {IP_TTL, 4}, {IP_MULTICAST_IF, 9},
      {IP_MULTICAST_TTL, 10}, {IP_MULTICAST_LOOP, 11}, {IP_ADD_MEMBERSHIP, 12},
      {IP_DROP_MEMBERSHIP, 13}, {IP_DONTFRAGMENT, 14}, {IP_PKTINFO, 19},
      {IPV6_UNICAST_HOPS, 4}, {IPV6_MULTICAST_IF, 9}, {IPV6_JOIN_GROUP, 12},
      {IPV6_LEAVE_GROUP, 13}, {IPV6_PKTINFO, 19}, {IPV6_V6ONLY, 27},
      {MSG_OOB, 1}, {MSG_PEEK, 2}, {MSG_DONTROUTE, 4}, {MSG_WAITALL, 8}, {MSG_PARTIAL, 0x8000},
      {MSG_TRUNC, 0x100}, {MSG_CTRUNC, 0x200}, {SD_RECEIVE, 0}, {SD_SEND, 1}, {SD_BOTH, 2},
      {INADDR_ANY, 0}, {INADDR_LOOPBACK, 0x7f000001}, {INADDR_BROADCAST, 0xffffffffLL},
      {INADDR_NONE, 0xffffffffLL}, {SOCKET_ERROR, -1}, {FD_SETSIZE, 64},
      {FIONREAD, 0x4004667F}, {FIONBIO, 0x8004667ELL}, {FIOASYNC, 0x8004667DLL},
      {SIOCATMARK, 0x40047307}, {SIO_GET_EXTENSION_FUNCTION_POINTER, 0xC8000006LL},
      {SIO_KEEPALIVE_VALS, 0x98000004LL}, {SIO_BASE_HANDLE, 0x48000022},
      {SIO_UDP_CONNRESET, 0x9800000CLL}, {SIO_LOOPBACK_FAST_PATH, 0x98000010LL},
      {WSA_FLAG_OVERLAPPED, 1}, {WSA_FLAG_NO_HANDLE_INHERIT, 0x80},
      {WSA_IO_PENDING, 997}, {WSA_IO_INCOMPLETE, 996}, {WSA_OPERATION_ABORTED, 995},
      {WSA_WAIT_EVENT_0, 0}, {WSA_WAIT_IO_COMPLETION, 0xC0}, {WSA_WAIT_TIMEOUT, 258},
      {WSA_WAIT_FAILED, 0xFFFFFFFFLL}, {WSA_INFINITE, 0xFFFFFFFFLL},
      {WSA_MAXIMUM_WAIT_EVENTS, 64},
      {TF_DISCONNECT, 1}, {TF_REUSE_SOCKET, 2}, {TF_WRITE_BEHIND, 4},
      {TF_USE_SYSTEM_THREAD, 0x10}, {TF_USE_KERNEL_APC, 0x20}, {TP_ELEMENT_MEMORY, 1},
      {TP_ELEMENT_FILE, 2}, {TP_ELEMENT_EOP, 4},
      {FD_READ, 1}, {FD_WRITE, 2}, {FD_OOB, 4}, {FD_ACCEPT, 8}, {FD_CONNECT, 16},
      {FD_CLOSE, 32}, {FD_READ_BIT, 0}, {FD_CLOSE_BIT, 5}, {FD_MAX_EVENTS, 10},
      {FD_ALL_EVENTS, 0x3ff},
      {AI_PASSIVE, 1}, {AI_CANONNAME, 2}, {AI_NUMERICHOST, 4}, {AI_NUMERICSERV, 8},
      {AI_ALL, 0x100}, {AI_ADDRCONFIG, 0x400}, {AI_V4MAPPED, 0x800},
      {NI_NOFQDN, 1}, {NI_NUMERICHOST, 2}, {NI_NAMEREQD, 4}, {NI_NUMERICSERV, 8},
      {NI_DGRAM, 16}, {NI_MAXHOST, 1025}, {NI_MAXSERV, 32},
      {EAI_AGAIN, 11002}, {EAI_BADFLAGS, 10022}, {EAI_FAIL, 11003}, {EAI_FAMILY, 10047},
      {EAI_MEMORY, 8}, {EAI_NONAME, 11001}, {EAI_NODATA, 11001}, {EAI_SERVICE, 10109},
      {EAI_SOCKTYPE, 10044},
      {POLLRDNORM, 0x100}, {POLLRDBAND, 0x200}, {POLLIN, 0x300}, {POLLPRI, 0x400},
      {POLLWRNORM, 0x10}, {POLLOUT, 0x10}, {POLLWRBAND, 0x20}, {POLLERR, 1}, {POLLHUP, 2},
      {POLLNVAL, 4},
      {WSADESCRIPTION_LEN, 256}, {WSASYS_STATUS_LEN, 128}, {WSAPROTOCOL_LEN, 255},
      {MAX_PROTOCOL_CHAIN, 7}, {INET_ADDRSTRLEN, 22}, {INET6_ADDRSTRLEN, 65},
      {WSATYPE_NOT_FOUND, 10109}, {WSAECANCELLED, 10103}, {WSA_E_NO_MORE, 10110},
      {HOST_NOT_FOUND, 11001}, {WINSOCK_VERSION, 0x0202},
  };
  int i = 0;
  for (const auto &e : expected) {
    EXPECT_EQ(e[0], e[1]) << "entry " << i;
    ++i;
  }
  EXPECT_EQ(INVALID_SOCKET, ~static_cast<UINT_PTR>(0));
  EXPECT_EQ(WSA_INVALID_EVENT, nullptr);
}

TEST(Winsock, Guids) {
  struct Expected {
    GUID guid;
    unsigned int data1;
    unsigned char last;
  };
  const Expected table[] = {
      {WSAID_TRANSMITFILE, 0xb5367df0, 0x92},  {WSAID_ACCEPTEX, 0xb5367df1, 0x92},
      {WSAID_GETACCEPTEXSOCKADDRS, 0xb5367df2, 0x92}, {WSAID_TRANSMITPACKETS, 0xd9689da0, 0x76},
      {WSAID_CONNECTEX, 0x25a207b9, 0x3e},     {WSAID_DISCONNECTEX, 0x7fda2e11, 0x57},
      {WSAID_WSARECVMSG, 0xf689d7c8, 0x22},    {WSAID_WSASENDMSG, 0xa441e712, 0x6d},
  };
  for (const auto &e : table) {
    EXPECT_EQ(e.guid.Data1, e.data1);
    EXPECT_EQ(e.guid.Data4[7], e.last);
  }
  const GUID accept_ex = WSAID_ACCEPTEX;
  const GUID expected_accept_ex = {0xb5367df1, 0xcbac, 0x11cf,
                                   {0x95, 0xca, 0x00, 0x80, 0x5f, 0x48, 0xa1, 0x92}};
  EXPECT_TRUE(IsEqualGUID(accept_ex, expected_accept_ex));
  const GUID connect_ex = WSAID_CONNECTEX;
  EXPECT_EQ(connect_ex.Data2, 0xddf3);
  EXPECT_EQ(connect_ex.Data3, 0x4660);
  EXPECT_EQ(connect_ex.Data4[0], 0x8e);
  const GUID disconnect_ex = WSAID_DISCONNECTEX;
  EXPECT_EQ(disconnect_ex.Data2, 0x8630);
  EXPECT_EQ(disconnect_ex.Data3, 0x436f);
  const GUID recv_msg = WSAID_WSARECVMSG;
  EXPECT_EQ(recv_msg.Data2, 0x6f1f);
  EXPECT_EQ(recv_msg.Data4[0], 0x8a);
  const GUID send_msg = WSAID_WSASENDMSG;
  EXPECT_EQ(send_msg.Data3, 0x43ca);
  const GUID packets = WSAID_TRANSMITPACKETS;
  EXPECT_EQ(packets.Data2, 0x1f90);
  EXPECT_EQ(packets.Data3, 0x11d3);
}

TEST(Winsock, FdSetMacros) {
  fd_set set;
  FD_ZERO(&set);
  EXPECT_EQ(set.fd_count, 0u);
  FD_SET(5, &set);
  FD_SET(7, &set);
  FD_SET(5, &set);  // already there: not added twice
  FD_SET(9, &set);
  ASSERT_EQ(set.fd_count, 3u);
  EXPECT_EQ(set.fd_array[0], 5u);
  EXPECT_EQ(set.fd_array[1], 7u);
  EXPECT_EQ(set.fd_array[2], 9u);
  FD_CLR(7, &set);  // the rest keep their order
  ASSERT_EQ(set.fd_count, 2u);
  EXPECT_EQ(set.fd_array[0], 5u);
  EXPECT_EQ(set.fd_array[1], 9u);
  FD_CLR(42, &set);  // absent: no change
  EXPECT_EQ(set.fd_count, 2u);
  for (SOCKET s = 100; s < 100 + 2 * FD_SETSIZE; ++s) FD_SET(s, &set);
  EXPECT_EQ(set.fd_count, static_cast<u_int>(FD_SETSIZE));  // full: no overflow
  FD_ZERO(&set);
  EXPECT_EQ(set.fd_count, 0u);
}

TEST(Winsock, AddressUnions) {
  in_addr a{};
  a.S_un.S_un_b.s_b1 = 127;
  a.S_un.S_un_b.s_b4 = 1;
  EXPECT_EQ(a.s_addr, 0x0100007fu);  // network order on a little-endian host
  EXPECT_EQ(a.s_net, 127);
  EXPECT_EQ(a.s_impno, 1);
  EXPECT_EQ(a.S_un.S_un_w.s_w1, 0x007f);

  in6_addr loopback = IN6ADDR_LOOPBACK_INIT;
  in6_addr any = IN6ADDR_ANY_INIT;
  EXPECT_EQ(loopback.s6_addr[15], 1);
  EXPECT_EQ(loopback.s6_words[7], 0x0100);
  EXPECT_EQ(any.s6_bytes[0], 0);

  sockaddr_in6 a6{};
  a6.sin6_scope_id = 0x20000005;
  EXPECT_EQ(a6.sin6_scope_struct.Zone, 5u);
  EXPECT_EQ(a6.sin6_scope_struct.Level, 2u);
  EXPECT_EQ(a6.sin6_scope_struct.Value, 0x20000005u);

  char first[] = "x";
  char *list[] = {first, nullptr};
  hostent h{};
  h.h_addr_list = list;
  EXPECT_EQ(h.h_addr, first);
}

TEST(Winsock, TimevalAndCmsgMacros) {
  timeval a{1, 500};
  timeval b{1, 700};
  EXPECT_TRUE(timerisset(&a));
  EXPECT_TRUE(timercmp(&a, &b, <));
  EXPECT_FALSE(timercmp(&a, &b, >));
  timerclear(&a);
  EXPECT_FALSE(timerisset(&a));

  alignas(8) char control[64] = {};
  WSAMSG msg{};
  msg.Control.buf = control;
  msg.Control.len = sizeof(control);
  WSACMSGHDR *first = WSA_CMSG_FIRSTHDR(&msg);
  ASSERT_EQ(reinterpret_cast<char *>(first), control);
  first->cmsg_len = WSA_CMSG_LEN(4);
  EXPECT_EQ(WSA_CMSG_LEN(4), 20u);
  EXPECT_EQ(WSA_CMSG_SPACE(4), 24u);
  EXPECT_EQ(WSA_CMSG_DATA(first), reinterpret_cast<unsigned char *>(control) + 16);
  WSACMSGHDR *second = WSA_CMSG_NXTHDR(&msg, first);
  EXPECT_EQ(reinterpret_cast<char *>(second), control + 24);
  msg.Control.len = 8;
  EXPECT_EQ(WSA_CMSG_FIRSTHDR(&msg), nullptr);
}

}  // namespace
