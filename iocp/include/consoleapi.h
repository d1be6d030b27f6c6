/*
 * consoleapi.h - the console: control handlers (SetConsoleCtrlHandler,
 * GenerateConsoleCtrlEvent), console modes and WriteConsoleA.
 *
 * Part of the iocp project's Windows-compatible headers: the names,
 * signatures and values are Windows'; the text is this project's own.
 */
#ifndef IOCP_CONSOLEAPI_H_
#define IOCP_CONSOLEAPI_H_

#include "minwinbase.h"

/* The events a control handler receives. */
#define CTRL_C_EVENT 0
#define CTRL_BREAK_EVENT 1
#define CTRL_CLOSE_EVENT 2
#define CTRL_LOGOFF_EVENT 5
#define CTRL_SHUTDOWN_EVENT 6

/* Input modes. */
#define ENABLE_PROCESSED_INPUT 0x0001
#define ENABLE_LINE_INPUT 0x0002
#define ENABLE_ECHO_INPUT 0x0004
#define ENABLE_WINDOW_INPUT 0x0008
#define ENABLE_MOUSE_INPUT 0x0010
#define ENABLE_INSERT_MODE 0x0020
#define ENABLE_QUICK_EDIT_MODE 0x0040
#define ENABLE_EXTENDED_FLAGS 0x0080
#define ENABLE_AUTO_POSITION 0x0100
#define ENABLE_VIRTUAL_TERMINAL_INPUT 0x0200

/* Output modes. */
#define ENABLE_PROCESSED_OUTPUT 0x0001
#define ENABLE_WRAP_AT_EOL_OUTPUT 0x0002
#define ENABLE_VIRTUAL_TERMINAL_PROCESSING 0x0004
#define DISABLE_NEWLINE_AUTO_RETURN 0x0008
#define ENABLE_LVB_GRID_WORLDWIDE 0x0010

typedef BOOL(WINAPI *PHANDLER_ROUTINE)(DWORD CtrlType);

IOCP_EXTERN_C_BEGIN

BOOL WINAPI SetConsoleCtrlHandler(PHANDLER_ROUTINE HandlerRoutine, BOOL Add);

BOOL WINAPI GenerateConsoleCtrlEvent(DWORD dwCtrlEvent, DWORD dwProcessGroupId);

BOOL WINAPI GetConsoleMode(HANDLE hConsoleHandle, LPDWORD lpMode);

BOOL WINAPI SetConsoleMode(HANDLE hConsoleHandle, DWORD dwMode);

BOOL WINAPI WriteConsoleA(HANDLE hConsoleOutput, const VOID *lpBuffer,
                          DWORD nNumberOfCharsToWrite, LPDWORD lpNumberOfCharsWritten,
                          LPVOID lpReserved);

IOCP_EXTERN_C_END

/* ANSI builds (UNICODE builds stop in windef.h). */
#define WriteConsole WriteConsoleA

#endif /* IOCP_CONSOLEAPI_H_ */
