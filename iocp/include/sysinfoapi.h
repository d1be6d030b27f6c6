/*
 * sysinfoapi.h - system information, tick counts, the time of day and the
 * version: SYSTEM_INFO, GetSystemInfo, GetTickCount(64), GetSystemTime,
 * GetLocalTime, GetSystemTime(Precise)AsFileTime, GetVersion(ExA).
 *
 * Part of the iocp project's Windows-compatible headers: the names,
 * signatures and layouts are Windows x64's; the text is this project's own.
 */
#ifndef IOCP_SYSINFOAPI_H_
#define IOCP_SYSINFOAPI_H_

#include "minwinbase.h"

#define PROCESSOR_ARCHITECTURE_INTEL 0
#define PROCESSOR_ARCHITECTURE_ARM 5
#define PROCESSOR_ARCHITECTURE_AMD64 9
#define PROCESSOR_ARCHITECTURE_ARM64 12
#define PROCESSOR_ARCHITECTURE_UNKNOWN 0xffff

typedef struct _SYSTEM_INFO {
  IOCP_EXTENSION union {
    DWORD dwOemId;
    IOCP_EXTENSION struct {
      WORD wProcessorArchitecture;
      WORD wReserved;
    } DUMMYSTRUCTNAME;
  } DUMMYUNIONNAME;
  DWORD dwPageSize;
  LPVOID lpMinimumApplicationAddress;
  LPVOID lpMaximumApplicationAddress;
  DWORD_PTR dwActiveProcessorMask;
  DWORD dwNumberOfProcessors;
  DWORD dwProcessorType;
  DWORD dwAllocationGranularity;
  WORD wProcessorLevel;
  WORD wProcessorRevision;
} SYSTEM_INFO, *LPSYSTEM_INFO;

IOCP_STATIC_ASSERT(sizeof(SYSTEM_INFO) == 48, iocp_system_info_size);
IOCP_STATIC_ASSERT(offsetof(SYSTEM_INFO, dwPageSize) == 4, iocp_system_info_page_size);
IOCP_STATIC_ASSERT(offsetof(SYSTEM_INFO, lpMinimumApplicationAddress) == 8,
                   iocp_system_info_min_address);
IOCP_STATIC_ASSERT(offsetof(SYSTEM_INFO, dwActiveProcessorMask) == 24,
                   iocp_system_info_mask);
IOCP_STATIC_ASSERT(offsetof(SYSTEM_INFO, dwNumberOfProcessors) == 32,
                   iocp_system_info_processors);
IOCP_STATIC_ASSERT(offsetof(SYSTEM_INFO, wProcessorLevel) == 44, iocp_system_info_level);

/* GetVersionExA's answer. dwOSVersionInfoSize says which of the two
 * structures the caller passes. */
typedef struct _OSVERSIONINFOA {
  DWORD dwOSVersionInfoSize;
  DWORD dwMajorVersion;
  DWORD dwMinorVersion;
  DWORD dwBuildNumber;
  DWORD dwPlatformId;
  CHAR szCSDVersion[128];
} OSVERSIONINFOA, *POSVERSIONINFOA, *LPOSVERSIONINFOA;

typedef struct _OSVERSIONINFOEXA {
  DWORD dwOSVersionInfoSize;
  DWORD dwMajorVersion;
  DWORD dwMinorVersion;
  DWORD dwBuildNumber;
  DWORD dwPlatformId;
  CHAR szCSDVersion[128];
  WORD wServicePackMajor;
  WORD wServicePackMinor;
  WORD wSuiteMask;
  BYTE wProductType;
  BYTE wReserved;
} OSVERSIONINFOEXA, *POSVERSIONINFOEXA, *LPOSVERSIONINFOEXA;

IOCP_STATIC_ASSERT(sizeof(OSVERSIONINFOA) == 148, iocp_osversioninfoa_size);
IOCP_STATIC_ASSERT(sizeof(OSVERSIONINFOEXA) == 156, iocp_osversioninfoexa_size);
IOCP_STATIC_ASSERT(offsetof(OSVERSIONINFOEXA, wServicePackMajor) == 148,
                   iocp_osversioninfoexa_service_pack);
IOCP_STATIC_ASSERT(offsetof(OSVERSIONINFOEXA, wProductType) == 154,
                   iocp_osversioninfoexa_product_type);

typedef OSVERSIONINFOA OSVERSIONINFO, *POSVERSIONINFO, *LPOSVERSIONINFO;
typedef OSVERSIONINFOEXA OSVERSIONINFOEX, *POSVERSIONINFOEX, *LPOSVERSIONINFOEX;

#define VER_PLATFORM_WIN32s 0
#define VER_PLATFORM_WIN32_WINDOWS 1
#define VER_PLATFORM_WIN32_NT 2

#define VER_NT_WORKSTATION 0x0000001
#define VER_NT_DOMAIN_CONTROLLER 0x0000002
#define VER_NT_SERVER 0x0000003

IOCP_EXTERN_C_BEGIN

VOID WINAPI GetSystemInfo(LPSYSTEM_INFO lpSystemInfo);

DWORD WINAPI GetTickCount(void);

ULONGLONG WINAPI GetTickCount64(void);

VOID WINAPI GetSystemTime(LPSYSTEMTIME lpSystemTime);

VOID WINAPI GetLocalTime(LPSYSTEMTIME lpSystemTime);

VOID WINAPI GetSystemTimeAsFileTime(LPFILETIME lpSystemTimeAsFileTime);

VOID WINAPI GetSystemTimePreciseAsFileTime(LPFILETIME lpSystemTimeAsFileTime);

DWORD WINAPI GetVersion(void);

BOOL WINAPI GetVersionExA(LPOSVERSIONINFOA lpVersionInformation);

IOCP_EXTERN_C_END

/* ANSI builds (UNICODE builds stop in windef.h). */
#define GetVersionEx GetVersionExA

#endif /* IOCP_SYSINFOAPI_H_ */
