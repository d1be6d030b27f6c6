/*
 * fileapi.h - files: CreateFileA, ReadFile(Ex), WriteFile(Ex), the file
 * pointer and size, FlushFileBuffers, GetFileType, DeleteFileA, the
 * temporary-file helpers, and the access, share, disposition, attribute
 * and flag constants they take.
 *
 * Part of the iocp project's Windows-compatible headers: the names,
 * signatures and values are Windows'; the text is this project's own.
 */
#ifndef IOCP_FILEAPI_H_
#define IOCP_FILEAPI_H_

#include "minwinbase.h"

/* dwDesiredAccess */
#define GENERIC_READ 0x80000000u
#define GENERIC_WRITE 0x40000000u
#define GENERIC_EXECUTE 0x20000000u
#define GENERIC_ALL 0x10000000u

/* dwShareMode */
#define FILE_SHARE_READ 0x00000001
#define FILE_SHARE_WRITE 0x00000002
#define FILE_SHARE_DELETE 0x00000004

/* dwCreationDisposition */
#define CREATE_NEW 1
#define CREATE_ALWAYS 2
#define OPEN_EXISTING 3
#define OPEN_ALWAYS 4
#define TRUNCATE_EXISTING 5

/* dwFlagsAndAttributes */
#define FILE_ATTRIBUTE_READONLY 0x00000001
#define FILE_ATTRIBUTE_HIDDEN 0x00000002
#define FILE_ATTRIBUTE_SYSTEM 0x00000004
#define FILE_ATTRIBUTE_DIRECTORY 0x00000010
#define FILE_ATTRIBUTE_ARCHIVE 0x00000020
#define FILE_ATTRIBUTE_NORMAL 0x00000080
#define FILE_ATTRIBUTE_TEMPORARY 0x00000100
#define FILE_FLAG_WRITE_THROUGH 0x80000000u
#define FILE_FLAG_OVERLAPPED 0x40000000
#define FILE_FLAG_NO_BUFFERING 0x20000000
#define FILE_FLAG_RANDOM_ACCESS 0x10000000
#define FILE_FLAG_SEQUENTIAL_SCAN 0x08000000
#define FILE_FLAG_DELETE_ON_CLOSE 0x04000000

#define INVALID_FILE_SIZE ((DWORD)0xFFFFFFFF)
#define INVALID_SET_FILE_POINTER ((DWORD)-1)

/* SetFilePointer(Ex)'s dwMoveMethod */
#define FILE_BEGIN 0
#define FILE_CURRENT 1
#define FILE_END 2

/* GetFileType */
#define FILE_TYPE_UNKNOWN 0x0000
#define FILE_TYPE_DISK 0x0001
#define FILE_TYPE_CHAR 0x0002
#define FILE_TYPE_PIPE 0x0003
#define FILE_TYPE_REMOTE 0x8000

IOCP_EXTERN_C_BEGIN

HANDLE WINAPI CreateFileA(LPCSTR lpFileName, DWORD dwDesiredAccess, DWORD dwShareMode,
                          LPSECURITY_ATTRIBUTES lpSecurityAttributes,
                          DWORD dwCreationDisposition, DWORD dwFlagsAndAttributes,
                          HANDLE hTemplateFile);

BOOL WINAPI ReadFile(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                     LPDWORD lpNumberOfBytesRead, LPOVERLAPPED lpOverlapped);

BOOL WINAPI WriteFile(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                      LPDWORD lpNumberOfBytesWritten, LPOVERLAPPED lpOverlapped);

BOOL WINAPI DeleteFileA(LPCSTR lpFileName);

/* The completion routine runs as an APC in the issuing thread's next
   alertable wait (SleepEx, WaitFor*ObjectsEx, GetQueuedCompletionStatusEx
   with fAlertable, ...). Not on a handle associated with a port. */
BOOL WINAPI ReadFileEx(HANDLE hFile, LPVOID lpBuffer, DWORD nNumberOfBytesToRead,
                       LPOVERLAPPED lpOverlapped,
                       LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);

BOOL WINAPI WriteFileEx(HANDLE hFile, LPCVOID lpBuffer, DWORD nNumberOfBytesToWrite,
                        LPOVERLAPPED lpOverlapped,
                        LPOVERLAPPED_COMPLETION_ROUTINE lpCompletionRoutine);

DWORD WINAPI GetFileSize(HANDLE hFile, LPDWORD lpFileSizeHigh);

BOOL WINAPI GetFileSizeEx(HANDLE hFile, PLARGE_INTEGER lpFileSize);

DWORD WINAPI SetFilePointer(HANDLE hFile, LONG lDistanceToMove, PLONG lpDistanceToMoveHigh,
                            DWORD dwMoveMethod);

BOOL WINAPI SetFilePointerEx(HANDLE hFile, LARGE_INTEGER liDistanceToMove,
                             PLARGE_INTEGER lpNewFilePointer, DWORD dwMoveMethod);

BOOL WINAPI SetEndOfFile(HANDLE hFile);

BOOL WINAPI FlushFileBuffers(HANDLE hFile);

DWORD WINAPI GetFileType(HANDLE hFile);

/* A Linux path ("/tmp/" or $TMPDIR, with a trailing '/'). */
DWORD WINAPI GetTempPathA(DWORD nBufferLength, LPSTR lpBuffer);

UINT WINAPI GetTempFileNameA(LPCSTR lpPathName, LPCSTR lpPrefixString, UINT uUnique,
                             LPSTR lpTempFileName);

IOCP_EXTERN_C_END

/* ANSI builds (UNICODE builds stop in windef.h). */
#define CreateFile CreateFileA
#define DeleteFile DeleteFileA
#define GetTempPath GetTempPathA
#define GetTempFileName GetTempFileNameA

#endif /* IOCP_FILEAPI_H_ */
