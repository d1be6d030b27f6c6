/*
 * sysinfoapi.h - system information and tick counts: SYSTEM_INFO,
 * GetSystemInfo, GetTickCount, GetTickCount64.
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

IOCP_EXTERN_C_BEGIN

VOID WINAPI GetSystemInfo(LPSYSTEM_INFO lpSystemInfo);

DWORD WINAPI GetTickCount(void);

ULONGLONG WINAPI GetTickCount64(void);

IOCP_EXTERN_C_END

#endif /* IOCP_SYSINFOAPI_H_ */
