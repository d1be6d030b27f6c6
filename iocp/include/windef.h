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

#endif /* IOCP_WINDEF_H_ */
