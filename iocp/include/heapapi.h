/*
 * heapapi.h - private heaps: GetProcessHeap, HeapCreate, HeapDestroy,
 * HeapAlloc, HeapReAlloc, HeapFree, HeapSize, and the HEAP_* flags.
 *
 * Part of the iocp project's Windows-compatible headers: the names,
 * signatures and values are Windows'; the text is this project's own.
 */
#ifndef IOCP_HEAPAPI_H_
#define IOCP_HEAPAPI_H_

#include "minwinbase.h"

#define HEAP_NO_SERIALIZE 0x00000001
#define HEAP_GROWABLE 0x00000002
#define HEAP_GENERATE_EXCEPTIONS 0x00000004
#define HEAP_ZERO_MEMORY 0x00000008
#define HEAP_REALLOC_IN_PLACE_ONLY 0x00000010
#define HEAP_CREATE_ENABLE_EXECUTE 0x00040000

IOCP_EXTERN_C_BEGIN

HANDLE WINAPI GetProcessHeap(void);

HANDLE WINAPI HeapCreate(DWORD flOptions, SIZE_T dwInitialSize, SIZE_T dwMaximumSize);

BOOL WINAPI HeapDestroy(HANDLE hHeap);

LPVOID WINAPI HeapAlloc(HANDLE hHeap, DWORD dwFlags, SIZE_T dwBytes);

LPVOID WINAPI HeapReAlloc(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem, SIZE_T dwBytes);

BOOL WINAPI HeapFree(HANDLE hHeap, DWORD dwFlags, LPVOID lpMem);

SIZE_T WINAPI HeapSize(HANDLE hHeap, DWORD dwFlags, LPCVOID lpMem);

IOCP_EXTERN_C_END

#endif /* IOCP_HEAPAPI_H_ */
