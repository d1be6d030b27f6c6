// The system message table: Windows' English text for every Win32 and
// Winsock error code this library can return (FormatMessageA with
// FORMAT_MESSAGE_FROM_SYSTEM).
#ifndef IOCP_WINAPI_ERROR_MESSAGES_H_
#define IOCP_WINAPI_ERROR_MESSAGES_H_

#include <stdint.h>

namespace winapi {

// The message for `code`, ending in "\r\n" as Windows' do, or null.
// HRESULTs of FACILITY_WIN32 (0x8007xxxx) find the Win32 code's message.
const char* SystemMessage(uint32_t code);

}  // namespace winapi

#endif  // IOCP_WINAPI_ERROR_MESSAGES_H_
