/*
 * windef.h - the "minwindef" layer: calling-convention macros (empty on
 * Linux), TRUE/FALSE, the pointer types of the basic integers (LPDWORD,
 * LPVOID, ...), module handles, FILETIME, and the word/byte macros
 * (MAKEWORD, LOWORD, ...).
 *
 * Part of the iocp project's Windows-compatible headers: the names, sizes and
 * values are Windows x64's; the text is this project's own.
 */
#ifndef IOCP_WINDEF_H_
#define IOCP_WINDEF_H_

#include "winnt.h"

/* Calling conventions: x64 Windows has one convention, and so does Linux;
 * the keywords expand to nothing. */
#ifndef __stdcall
#define __stdcall
#endif
#ifndef __cdecl
#define __cdecl
#endif
#ifndef _stdcall
#define _stdcall
#endif
#ifndef _cdecl
#define _cdecl
#endif
#define WINAPI
#define WINAPIV
#define APIENTRY
#define APIPRIVATE
#define CALLBACK
#define PASCAL
#define NTAPI
#define WINBASEAPI
#define WINADVAPI
#define WINUSERAPI
#ifndef WSAAPI
#define WSAAPI
#endif
#ifndef FAR
#define FAR
#endif
#ifndef NEAR
#define NEAR
#endif
#ifndef IN
#define IN
#endif
#ifndef OUT
#define OUT
#endif
#ifndef OPTIONAL
#define OPTIONAL
#endif

#ifndef FALSE
#define FALSE 0
#endif
#ifndef TRUE
#define TRUE 1
#endif

#define MAX_PATH 260

typedef float FLOAT, *PFLOAT;
typedef BOOL *PBOOL, *LPBOOL;
typedef BYTE *PBYTE, *LPBYTE;
typedef int *PINT, *LPINT;
typedef WORD *PWORD, *LPWORD;
typedef LONG *LPLONG;
typedef DWORD *PDWORD, *LPDWORD;
typedef void *LPVOID;
typedef const void *LPCVOID;
typedef unsigned int *PUINT;
typedef HANDLE *LPHANDLE;

typedef UINT_PTR WPARAM;
typedef LONG_PTR LPARAM;
typedef LONG_PTR LRESULT;
typedef WORD ATOM;

typedef HANDLE HINSTANCE;
typedef HINSTANCE HMODULE;
typedef HANDLE HGLOBAL;
typedef HANDLE HLOCAL;
typedef HANDLE HKEY, *PHKEY;
typedef HANDLE HWND;
typedef INT_PTR (*FARPROC)(void);
typedef INT_PTR (*NEARPROC)(void);
typedef INT_PTR (*PROC)(void);

typedef struct _FILETIME {
  DWORD dwLowDateTime;
  DWORD dwHighDateTime;
} FILETIME, *PFILETIME, *LPFILETIME;

IOCP_STATIC_ASSERT(sizeof(FILETIME) == 8, iocp_filetime_size);

/* Byte and word packing. */
#define MAKEWORD(low, high) \
  ((WORD)(((BYTE)(((DWORD_PTR)(low)) & 0xff)) | (((WORD)((BYTE)(((DWORD_PTR)(high)) & 0xff))) << 8)))
#define MAKELONG(low, high) \
  ((LONG)(((WORD)(((DWORD_PTR)(low)) & 0xffff)) | (((DWORD)((WORD)(((DWORD_PTR)(high)) & 0xffff))) << 16)))
#define LOWORD(l) ((WORD)(((DWORD_PTR)(l)) & 0xffff))
#define HIWORD(l) ((WORD)((((DWORD_PTR)(l)) >> 16) & 0xffff))
#define LOBYTE(w) ((BYTE)(((DWORD_PTR)(w)) & 0xff))
#define HIBYTE(w) ((BYTE)((((DWORD_PTR)(w)) >> 8) & 0xff))

/* min and max, unless the program defines NOMINMAX (as on Windows). C gets
 * Windows' macros. C++ gets function templates instead: the GNU C++ library
 * removes any min/max macro when its first header is included (c++config.h
 * #undefs them) and calls std::min/std::max unparenthesised, so the macros
 * would either vanish or break <algorithm>; the templates keep max(a, b)
 * working next to std::max and numeric_limits<T>::max(), and a call that
 * std::max also matches picks std::max (it is more specialised). */
#ifndef NOMINMAX
#ifdef __cplusplus
extern "C++" {
template <typename IocpT>
struct IocpNoReference_ {
  typedef IocpT type;
};
template <typename IocpT>
struct IocpNoReference_<IocpT &> {
  typedef IocpT type;
};
/* (Not when the program has its own min/max macro, as Windows' guards.) */
#ifndef max
template <typename IocpA, typename IocpB>
static inline constexpr auto max(IocpA a, IocpB b) ->
    typename IocpNoReference_<decltype(a > b ? a : b)>::type {
  return a > b ? a : b;
}
#endif
#ifndef min
template <typename IocpA, typename IocpB>
static inline constexpr auto min(IocpA a, IocpB b) ->
    typename IocpNoReference_<decltype(a < b ? a : b)>::type {
  return a < b ? a : b;
}
#endif
}
#else
#ifndef max
#define max(a, b) (((a) > (b)) ? (a) : (b))
#endif
#ifndef min
#define min(a, b) (((a) < (b)) ? (a) : (b))
#endif
#endif
#endif /* NOMINMAX */

#endif /* IOCP_WINDEF_H_ */
