/*
 * namedpipeapi.h - pipes: CreatePipe, CreateNamedPipeA, ConnectNamedPipe,
 * DisconnectNamedPipe, WaitNamedPipeA, PeekNamedPipe, and the PIPE_* modes.
 * Clients open a named pipe with CreateFileA("\\\\.\\pipe\\name", ...).
 *
 * Part of the iocp project's Windows-compatible headers: the names,
 * signatures and values are Windows'; the text is this project's own.
 *
 * Byte-mode pipes only: message-mode pipes and PIPE_NOWAIT are not
 * implemented, so their constants stop the build with a message naming
 * them instead of linking a program that would misbehave
 * (docs/PORTING.md).
 */
#ifndef IOCP_NAMEDPIPEAPI_H_
#define IOCP_NAMEDPIPEAPI_H_

#include "minwinbase.h"

/* CreateNamedPipeA's dwOpenMode (with FILE_FLAG_OVERLAPPED,
   FILE_FLAG_WRITE_THROUGH) */
#define PIPE_ACCESS_INBOUND 0x00000001
#define PIPE_ACCESS_OUTBOUND 0x00000002
#define PIPE_ACCESS_DUPLEX 0x00000003
#define FILE_FLAG_FIRST_PIPE_INSTANCE 0x00080000

/* dwPipeMode */
#define PIPE_WAIT 0x00000000
#define PIPE_READMODE_BYTE 0x00000000
#define PIPE_TYPE_BYTE 0x00000000
#define PIPE_ACCEPT_REMOTE_CLIENTS 0x00000000
#define PIPE_REJECT_REMOTE_CLIENTS 0x00000008
#define PIPE_NOWAIT iocp_unsupported_PIPE_NOWAIT_see_docs_PORTING_md
#define PIPE_READMODE_MESSAGE iocp_unsupported_message_mode_pipes_see_docs_PORTING_md
#define PIPE_TYPE_MESSAGE iocp_unsupported_message_mode_pipes_see_docs_PORTING_md

#define PIPE_UNLIMITED_INSTANCES 255

/* WaitNamedPipeA's nTimeOut */
#define NMPWAIT_USE_DEFAULT_WAIT 0x00000000
#define NMPWAIT_NOWAIT 0x00000001
#define NMPWAIT_WAIT_FOREVER 0xFFFFFFFF

IOCP_EXTERN_C_BEGIN

BOOL WINAPI CreatePipe(PHANDLE hReadPipe, PHANDLE hWritePipe,
                       LPSECURITY_ATTRIBUTES lpPipeAttributes, DWORD nSize);

HANDLE WINAPI CreateNamedPipeA(LPCSTR lpName, DWORD dwOpenMode, DWORD dwPipeMode,
                               DWORD nMaxInstances, DWORD nOutBufferSize, DWORD nInBufferSize,
                               DWORD nDefaultTimeOut, LPSECURITY_ATTRIBUTES lpSecurityAttributes);

BOOL WINAPI ConnectNamedPipe(HANDLE hNamedPipe, LPOVERLAPPED lpOverlapped);

BOOL WINAPI DisconnectNamedPipe(HANDLE hNamedPipe);

BOOL WINAPI WaitNamedPipeA(LPCSTR lpNamedPipeName, DWORD nTimeOut);

BOOL WINAPI PeekNamedPipe(HANDLE hNamedPipe, LPVOID lpBuffer, DWORD nBufferSize,
                          LPDWORD lpBytesRead, LPDWORD lpTotalBytesAvail,
                          LPDWORD lpBytesLeftThisMessage);

IOCP_EXTERN_C_END

#define CreateNamedPipe CreateNamedPipeA
#define WaitNamedPipe WaitNamedPipeA

#endif /* IOCP_NAMEDPIPEAPI_H_ */
