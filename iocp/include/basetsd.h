/*
 * basetsd.h - fixed-size and pointer-size integer types (INT_PTR, ULONG_PTR,
 * SIZE_T, DWORD64, ...) and the helpers every other header of this project
 * relies on (C linkage, static assertions, the platform check).
 *
 * Part of the iocp project's Windows-compatible headers: the names, sizes and
 * values are Windows x64's; the text is this project's own.
 */
#ifndef IOCP_BASETSD_H_
#define IOCP_BASETSD_H_

#include <stddef.h>

/* Windows x64 semantics on LP64 Linux: pointers and size_t are 64-bit, int is
 * 32-bit. Every layout below depends on it. */
#if !defined(__LP64__) || !defined(__SIZEOF_POINTER__) || __SIZEOF_POINTER__ != 8 || \
    !defined(__SIZEOF_INT__) || __SIZEOF_INT__ != 4
#error "iocp: these headers target LP64 Linux (x86_64, aarch64)"
#endif

/* ANSI builds only. A UNICODE build's TCHAR is wchar_t and its TEXT("x")
 * is L"x": on Windows 16-bit UTF-16 units, on Linux 32-bit UTF-32 ones, so
 * neither the strings nor the W functions' WCHAR (UTF-16 here, as the
 * structures need) could be passed on unchanged. The message says what to do;
 * docs/PORTING.md ("UNICODE") has the details. */
#if defined(UNICODE) || defined(_UNICODE)
#error "iocp: UNICODE builds are not supported yet: Linux's wchar_t is 32-bit (UTF-32) while Windows' WCHAR is 16-bit (UTF-16), so L\"...\" strings and the W API cannot work unchanged. Remove -DUNICODE/-D_UNICODE (and any #define UNICODE): TCHAR programs (TEXT(), _T(), _tmain, the generic CreateFile...) then build as ANSI (char, UTF-8 text) unchanged; code that calls W functions or uses L\"\" with WCHAR must switch to the A functions and char strings. See 'UNICODE' in docs/PORTING.md."
#endif

/* --- helpers used by all the headers (IOCP_ prefix: not Windows names) --- */

/* Functions have C linkage in C++ too, exactly like Windows' declarations. */
#ifdef __cplusplus
#define IOCP_EXTERN_C_BEGIN extern "C" {
#define IOCP_EXTERN_C_END }
#else
#define IOCP_EXTERN_C_BEGIN
#define IOCP_EXTERN_C_END
#endif

/* A compile-time check at file scope. C++11 and C11 have a keyword; for C99
 * a typedef of an array whose size is negative when the check fails. */
#define IOCP_CONCAT_INNER_(a, b) a##b
#define IOCP_CONCAT_(a, b) IOCP_CONCAT_INNER_(a, b)
#if defined(__cplusplus)
#define IOCP_STATIC_ASSERT(cond, name) static_assert(cond, #name)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define IOCP_STATIC_ASSERT(cond, name) _Static_assert(cond, #name)
#else
#define IOCP_STATIC_ASSERT(cond, name) \
  typedef char IOCP_CONCAT_(iocp_static_assert_, name)[(cond) ? 1 : -1]
#endif

/* Anonymous structs inside unions are C11 (and a GNU extension in C99 and
 * C++); __extension__ keeps -pedantic quiet about them. */
#define IOCP_EXTENSION __extension__

/* --- the types --- */

typedef signed char INT8, *PINT8;
typedef unsigned char UINT8, *PUINT8;
typedef short INT16, *PINT16;
typedef unsigned short UINT16, *PUINT16;
typedef int INT32, *PINT32;
typedef unsigned int UINT32, *PUINT32;
typedef int LONG32, *PLONG32;
typedef unsigned int ULONG32, *PULONG32;
typedef unsigned int DWORD32, *PDWORD32;

/* Windows' __int64 is long long; keep it (not Linux's long) so that the
 * types are the same ones a Windows compiler sees. */
typedef long long INT64, *PINT64;
typedef unsigned long long UINT64, *PUINT64;
typedef long long LONG64, *PLONG64;
typedef unsigned long long ULONG64, *PULONG64;
typedef unsigned long long DWORD64, *PDWORD64;

/* Pointer-size integers (64-bit on x64). */
typedef long long INT_PTR, *PINT_PTR;
typedef unsigned long long UINT_PTR, *PUINT_PTR;
typedef long long LONG_PTR, *PLONG_PTR;
typedef unsigned long long ULONG_PTR, *PULONG_PTR;
typedef ULONG_PTR DWORD_PTR, *PDWORD_PTR;
typedef LONG_PTR SSIZE_T, *PSSIZE_T;
/* SIZE_T is size_t itself (also 64-bit, but unsigned long on Linux), so that
 * sizeof, strlen and "%zu" mix with it as they do on Windows, where SIZE_T
 * and size_t are one type. */
typedef size_t SIZE_T, *PSIZE_T;
typedef ULONG_PTR KAFFINITY, *PKAFFINITY;

#define MAXUINT_PTR (~((UINT_PTR)0))
#define MAXINT_PTR ((INT_PTR)(MAXUINT_PTR >> 1))
#define MININT_PTR (~MAXINT_PTR)
#define MAXULONG_PTR (~((ULONG_PTR)0))
#define MAXLONG_PTR ((LONG_PTR)(MAXULONG_PTR >> 1))
#define MINLONG_PTR (~MAXLONG_PTR)
#define MAXUINT32 ((UINT32)~((UINT32)0))
#define MAXINT32 ((INT32)(MAXUINT32 >> 1))
#define MININT32 ((INT32)~MAXINT32)
#define MAXUINT64 ((UINT64)~((UINT64)0))
#define MAXINT64 ((INT64)(MAXUINT64 >> 1))
#define MININT64 ((INT64)~MAXINT64)
#define MAXSIZE_T ((SIZE_T)~((SIZE_T)0))
#define MAXSSIZE_T ((SSIZE_T)(MAXSIZE_T >> 1))
#define MINSSIZE_T ((SSIZE_T)~MAXSSIZE_T)

IOCP_STATIC_ASSERT(sizeof(ULONG_PTR) == sizeof(void *), iocp_ulong_ptr_size);
IOCP_STATIC_ASSERT(sizeof(SIZE_T) == 8, iocp_size_t_size);
IOCP_STATIC_ASSERT(sizeof(INT32) == 4 && sizeof(INT64) == 8, iocp_fixed_sizes);

#endif /* IOCP_BASETSD_H_ */
