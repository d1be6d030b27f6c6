/*
 * winnt.h - the basic Windows types (CHAR ... DWORD, HANDLE, strings,
 * LARGE_INTEGER, NTSTATUS), the STATUS_* codes the I/O layer reports in
 * OVERLAPPED.Internal, the Interlocked* intrinsics, MemoryBarrier(), and the
 * structure helpers (FIELD_OFFSET, CONTAINING_RECORD, ARRAYSIZE).
 *
 * Part of the iocp project's Windows-compatible headers: the names, sizes and
 * values are Windows x64's; the text is this project's own.
 */
#ifndef IOCP_WINNT_H_
#define IOCP_WINNT_H_

#include <stddef.h>
#include <string.h>

#include "basetsd.h"
#include "guiddef.h"

#ifdef __cplusplus
#define EXTERN_C extern "C"
#define EXTERN_C_START extern "C" {
#define EXTERN_C_END }
#else
#define EXTERN_C extern
#define EXTERN_C_START
#define EXTERN_C_END
#endif

#ifndef VOID
#define VOID void
#endif
#ifndef CONST
#define CONST const
#endif

#define DECLSPEC_NORETURN __attribute__((__noreturn__))
#define DECLSPEC_ALIGN(x) __attribute__((__aligned__(x)))

/* Unnamed members (Windows programs write ov.Offset, si.wProcessorArchitecture)
 * unless the program asks for named ones with NONAMELESSUNION. */
#ifdef NONAMELESSUNION
#define DUMMYUNIONNAME u
#define DUMMYUNIONNAME2 u2
#define DUMMYSTRUCTNAME s
#define DUMMYSTRUCTNAME2 s2
#else
#define DUMMYUNIONNAME
#define DUMMYUNIONNAME2
#define DUMMYSTRUCTNAME
#define DUMMYSTRUCTNAME2
#endif

/* --- scalar types (Windows x64: LONG and DWORD are 32-bit, so they are int
 * and unsigned int here, not long) --- */

typedef void *PVOID;
typedef char CHAR, *PCHAR;
typedef unsigned char UCHAR, *PUCHAR;
typedef short SHORT, *PSHORT;
typedef unsigned short USHORT, *PUSHORT;
typedef int LONG, *PLONG;
typedef unsigned int ULONG, *PULONG;
typedef unsigned int DWORD;
typedef unsigned char BYTE;
typedef unsigned short WORD;
typedef int INT;
typedef unsigned int UINT;
typedef int BOOL;
typedef unsigned char BOOLEAN, *PBOOLEAN;
typedef long long LONGLONG, *PLONGLONG;
typedef unsigned long long ULONGLONG, *PULONGLONG;
typedef ULONGLONG DWORDLONG, *PDWORDLONG;
typedef LONG HRESULT;
typedef LONG NTSTATUS, *PNTSTATUS;

/* WCHAR is a UTF-16 code unit, as on Windows. Linux's wchar_t is 32-bit, so
 * it cannot be used: C gets unsigned short, C++ gets char16_t (u"" literals).
 * L"" literals are therefore not WCHAR strings; the wide API arrives with
 * UNICODE support. */
#ifdef __cplusplus
typedef char16_t WCHAR;
#else
typedef unsigned short WCHAR;
#endif
typedef WCHAR *PWCHAR, *LPWCH, *PWCH, *NWPSTR, *LPWSTR, *PWSTR;
typedef const WCHAR *LPCWCH, *PCWCH, *LPCWSTR, *PCWSTR;

typedef CHAR *LPCH, *PCH, *NPSTR, *LPSTR, *PSTR;
typedef const CHAR *LPCCH, *PCCH, *LPCSTR, *PCSTR;

/* ANSI build: TCHAR is char (UNICODE is rejected in basetsd.h). */
typedef char TCHAR, *PTCHAR;
typedef unsigned char TBYTE, *PTBYTE;
typedef LPCH LPTCH, PTCH;
typedef LPSTR PTSTR, LPTSTR;
typedef LPCSTR PCTSTR, LPCTSTR;
#ifndef __TEXT
#define __TEXT(quote) quote
#endif
#ifndef TEXT
#define TEXT(quote) __TEXT(quote)
#endif

typedef void *HANDLE;
typedef HANDLE *PHANDLE;
typedef BYTE FCHAR;
typedef WORD FSHORT;
typedef DWORD FLONG;
typedef DWORD LCID;
typedef WORD LANGID;
typedef DWORD ACCESS_MASK, *PACCESS_MASK;

#define MINCHAR 0x80
#define MAXCHAR 0x7f
#define MINSHORT 0x8000
#define MAXSHORT 0x7fff
#define MINLONG 0x80000000
#define MAXLONG 0x7fffffff
#define MAXBYTE 0xff
#define MAXWORD 0xffff
#define MAXDWORD 0xffffffff

/* --- 64-bit integers with 32-bit halves --- */

typedef union _LARGE_INTEGER {
  IOCP_EXTENSION struct {
    DWORD LowPart;
    LONG HighPart;
  } DUMMYSTRUCTNAME;
  struct {
    DWORD LowPart;
    LONG HighPart;
  } u;
  LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
  IOCP_EXTENSION struct {
    DWORD LowPart;
    DWORD HighPart;
  } DUMMYSTRUCTNAME;
  struct {
    DWORD LowPart;
    DWORD HighPart;
  } u;
  ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef struct _LIST_ENTRY {
  struct _LIST_ENTRY *Flink;
  struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

IOCP_STATIC_ASSERT(sizeof(LONG) == 4 && sizeof(DWORD) == 4, iocp_long_size);
IOCP_STATIC_ASSERT(sizeof(WCHAR) == 2, iocp_wchar_size);
IOCP_STATIC_ASSERT(sizeof(LARGE_INTEGER) == 8, iocp_large_integer_size);
IOCP_STATIC_ASSERT(sizeof(ULARGE_INTEGER) == 8, iocp_ularge_integer_size);

/* --- status codes (NTSTATUS; negative when the top bit is set). The value is
 * converted from unsigned int, which is exact for the positive ones and, for
 * the error ones, wraps to the same bits (gcc and clang define it). --- */

#define IOCP_NTSTATUS_(value) ((NTSTATUS)(value##u))

#define STATUS_SUCCESS IOCP_NTSTATUS_(0x00000000)
#define STATUS_WAIT_0 IOCP_NTSTATUS_(0x00000000)
#define STATUS_ABANDONED_WAIT_0 IOCP_NTSTATUS_(0x00000080)
#define STATUS_USER_APC IOCP_NTSTATUS_(0x000000C0)
#define STATUS_TIMEOUT IOCP_NTSTATUS_(0x00000102)
#define STATUS_PENDING IOCP_NTSTATUS_(0x00000103)
#define STATUS_BUFFER_OVERFLOW IOCP_NTSTATUS_(0x80000005)
#define STATUS_INVALID_HANDLE IOCP_NTSTATUS_(0xC0000008)
#define STATUS_END_OF_FILE IOCP_NTSTATUS_(0xC0000011)
#define STATUS_BUFFER_TOO_SMALL IOCP_NTSTATUS_(0xC0000023)
#define STATUS_PIPE_DISCONNECTED IOCP_NTSTATUS_(0xC00000B0)
#define STATUS_IO_TIMEOUT IOCP_NTSTATUS_(0xC00000B5)
#define STATUS_CANCELLED IOCP_NTSTATUS_(0xC0000120)
#define STATUS_LOCAL_DISCONNECT IOCP_NTSTATUS_(0xC000013B)
#define STATUS_REMOTE_DISCONNECT IOCP_NTSTATUS_(0xC000013C)
#define STATUS_INVALID_CONNECTION IOCP_NTSTATUS_(0xC0000140)
#define STATUS_CONNECTION_RESET IOCP_NTSTATUS_(0xC000020D)
#define STATUS_CONNECTION_REFUSED IOCP_NTSTATUS_(0xC0000236)
#define STATUS_GRACEFUL_DISCONNECT IOCP_NTSTATUS_(0xC0000237)
#define STATUS_CONNECTION_ACTIVE IOCP_NTSTATUS_(0xC000023B)
#define STATUS_NETWORK_UNREACHABLE IOCP_NTSTATUS_(0xC000023C)
#define STATUS_HOST_UNREACHABLE IOCP_NTSTATUS_(0xC000023D)
#define STATUS_CONNECTION_ABORTED IOCP_NTSTATUS_(0xC0000241)
#define STATUS_HOST_DOWN IOCP_NTSTATUS_(0xC0000350)

#define MAXIMUM_WAIT_OBJECTS 64

/* DuplicateHandle options. */
#define DUPLICATE_CLOSE_SOURCE 0x00000001
#define DUPLICATE_SAME_ACCESS 0x00000002

/* --- structure helpers --- */

/* C++ programs routinely embed OVERLAPPED in classes with virtual functions
 * and use CONTAINING_RECORD on them. offsetof computes such offsets correctly
 * (gcc and clang support it for every class without virtual bases) but warns
 * that it is only conditionally supported, and the warning cannot be silenced
 * inside a macro's expansion; the alternative, member access through a null
 * pointer as Windows spells it, is undefined behaviour that UBSan reports. So
 * in C++ this header turns -Winvalid-offsetof off for the translation unit. */
#ifdef __cplusplus
#pragma GCC diagnostic ignored "-Winvalid-offsetof"
#endif

#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#define RTL_FIELD_SIZE(type, field) (sizeof(((type *)0)->field))
#define CONTAINING_RECORD(address, type, field) \
  ((type *)((char *)(address) - offsetof(type, field)))

/* The element count of an array. C++ rejects pointers at compile time (the
 * helper is only declared, for use inside sizeof). */
#ifdef __cplusplus
extern "C++" template <typename IocpT, size_t IocpN>
char (*IocpArraySizeHelper_(IocpT (&)[IocpN]))[IocpN];
#define ARRAYSIZE(a) (sizeof(*IocpArraySizeHelper_(a)))
#else
#define ARRAYSIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif
#define RTL_NUMBER_OF(a) ARRAYSIZE(a)
#ifndef _countof
#define _countof(a) ARRAYSIZE(a)
#endif

#define UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_PARAMETER(P) ((void)(P))
#define DBG_UNREFERENCED_LOCAL_VARIABLE(V) ((void)(V))

#define RtlEqualMemory(Destination, Source, Length) \
  (!memcmp((Destination), (Source), (Length)))
#define RtlMoveMemory(Destination, Source, Length) \
  memmove((Destination), (Source), (Length))
#define RtlCopyMemory(Destination, Source, Length) \
  memcpy((Destination), (Source), (Length))
#define RtlFillMemory(Destination, Length, Fill) \
  memset((Destination), (Fill), (Length))
#define RtlZeroMemory(Destination, Length) memset((Destination), 0, (Length))

/* --- Interlocked intrinsics: sequentially consistent atomics. Increment,
 * Decrement and Add return the new value; Exchange, ExchangeAdd, Or, And,
 * Xor and CompareExchange return the value before the operation. --- */

#define MemoryBarrier() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#if defined(__x86_64__) || defined(__i386__)
#define YieldProcessor() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define YieldProcessor() __asm__ __volatile__("yield" ::: "memory")
#else
#define YieldProcessor() ((void)0)
#endif

#define IOCP_INTERLOCKED_(suffix, type)                                              \
  static inline type InterlockedIncrement##suffix(type volatile *Addend) {            \
    return __atomic_add_fetch(Addend, 1, __ATOMIC_SEQ_CST);                          \
  }                                                                                  \
  static inline type InterlockedDecrement##suffix(type volatile *Addend) {            \
    return __atomic_sub_fetch(Addend, 1, __ATOMIC_SEQ_CST);                          \
  }                                                                                  \
  static inline type InterlockedExchange##suffix(type volatile *Target, type Value) { \
    return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);                     \
  }                                                                                  \
  static inline type InterlockedExchangeAdd##suffix(type volatile *Addend,            \
                                                    type Value) {                    \
    return __atomic_fetch_add(Addend, Value, __ATOMIC_SEQ_CST);                      \
  }                                                                                  \
  static inline type InterlockedAdd##suffix(type volatile *Addend, type Value) {      \
    return __atomic_add_fetch(Addend, Value, __ATOMIC_SEQ_CST);                      \
  }                                                                                  \
  static inline type InterlockedOr##suffix(type volatile *Destination, type Value) {  \
    return __atomic_fetch_or(Destination, Value, __ATOMIC_SEQ_CST);                  \
  }                                                                                  \
  static inline type InterlockedAnd##suffix(type volatile *Destination, type Value) { \
    return __atomic_fetch_and(Destination, Value, __ATOMIC_SEQ_CST);                 \
  }                                                                                  \
  static inline type InterlockedXor##suffix(type volatile *Destination, type Value) { \
    return __atomic_fetch_xor(Destination, Value, __ATOMIC_SEQ_CST);                 \
  }                                                                                  \
  static inline type InterlockedCompareExchange##suffix(                             \
      type volatile *Destination, type Exchange, type Comparand) {                   \
    __atomic_compare_exchange_n(Destination, &Comparand, Exchange, 0,                \
                                __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);                 \
    return Comparand;                                                                \
  }

IOCP_INTERLOCKED_(, LONG)
IOCP_INTERLOCKED_(64, LONG64)

#undef IOCP_INTERLOCKED_

static inline PVOID InterlockedExchangePointer(PVOID volatile *Target, PVOID Value) {
  return __atomic_exchange_n(Target, Value, __ATOMIC_SEQ_CST);
}

static inline PVOID InterlockedCompareExchangePointer(PVOID volatile *Destination,
                                                      PVOID Exchange, PVOID Comparand) {
  __atomic_compare_exchange_n(Destination, &Comparand, Exchange, 0, __ATOMIC_SEQ_CST,
                              __ATOMIC_SEQ_CST);
  return Comparand;
}

#endif /* IOCP_WINNT_H_ */
