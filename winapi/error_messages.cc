#include "winapi/error_messages.h"

#include <stddef.h>

namespace winapi {
namespace {

struct Message {
  uint32_t code;
  const char* text;
};

// Sorted by code. The texts are Windows' (US English); each ends in "\r\n".
constexpr Message kMessages[] = {
    {0, "The operation completed successfully.\r\n"},
    {1, "Incorrect function.\r\n"},
    {2, "The system cannot find the file specified.\r\n"},
    {3, "The system cannot find the path specified.\r\n"},
    {4, "The system cannot open the file.\r\n"},
    {5, "Access is denied.\r\n"},
    {6, "The handle is invalid.\r\n"},
    {8, "Not enough memory resources are available to process this command.\r\n"},
    {13, "The data is invalid.\r\n"},
    {14, "Not enough memory resources are available to complete this operation.\r\n"},
    {21, "The device is not ready.\r\n"},
    {24, "The program issued a command but the command length is incorrect.\r\n"},
    {29, "The system cannot write to the specified device.\r\n"},
    {30, "The system cannot read from the specified device.\r\n"},
    {31, "A device attached to the system is not functioning.\r\n"},
    {32, "The process cannot access the file because it is being used by another process.\r\n"},
    {33,
     "The process cannot access the file because another process has locked a portion of "
     "the file.\r\n"},
    {38, "Reached the end of the file.\r\n"},
    {39, "The disk is full.\r\n"},
    {50, "The request is not supported.\r\n"},
    {52,
     "You were not connected because a duplicate name exists on the network. If joining a "
     "domain, go to System in Control Panel to change the computer name and try again. If "
     "joining a workgroup, choose another workgroup name.\r\n"},
    {53, "The network path was not found.\r\n"},
    {59, "An unexpected network error occurred.\r\n"},
    {64, "The specified network name is no longer available.\r\n"},
    {80, "The file exists.\r\n"},
    {87, "The parameter is incorrect.\r\n"},
    {109, "The pipe has been ended.\r\n"},
    {111, "The file name is too long.\r\n"},
    {112, "There is not enough space on the disk.\r\n"},
    {121, "The semaphore timeout period has expired.\r\n"},
    {122, "The data area passed to a system call is too small.\r\n"},
    {123, "The filename, directory name, or volume label syntax is incorrect.\r\n"},
    {126, "The specified module could not be found.\r\n"},
    {131, "An attempt was made to move the file pointer before the beginning of the file.\r\n"},
    {145, "The directory is not empty.\r\n"},
    {170, "The requested resource is in use.\r\n"},
    {183, "Cannot create a file when that file already exists.\r\n"},
    {203, "The system could not find the environment option that was entered.\r\n"},
    {206, "The filename or extension is too long.\r\n"},
    {230, "The pipe state is invalid.\r\n"},
    {231, "All pipe instances are busy.\r\n"},
    {232, "The pipe is being closed.\r\n"},
    {233, "No process is on the other end of the pipe.\r\n"},
    {234, "More data is available.\r\n"},
    {258, "The wait operation timed out.\r\n"},
    {267, "The directory name is invalid.\r\n"},
    {288, "Attempt to release mutex not owned by caller.\r\n"},
    {298, "Too many posts were made to a semaphore.\r\n"},
    {317,
     "The system cannot find message text for message number 0x%1 in the message file for "
     "%2.\r\n"},
    {487, "Attempt to access invalid address.\r\n"},
    {534, "Arithmetic result exceeded 32 bits.\r\n"},
    {535, "There is a process on other end of the pipe.\r\n"},
    {536, "Waiting for a process to open the other end of the pipe.\r\n"},
    {735, "ERROR_ABANDONED_WAIT_0\r\n"},
    {736, "ERROR_ABANDONED_WAIT_63\r\n"},
    {995,
     "The I/O operation has been aborted because of either a thread exit or an application "
     "request.\r\n"},
    {996, "Overlapped I/O event is not in a signaled state.\r\n"},
    {997, "Overlapped I/O operation is in progress.\r\n"},
    {998, "Invalid access to memory location.\r\n"},
    {1004, "Invalid flags.\r\n"},
    {1168, "Element not found.\r\n"},
    {1223, "The operation was canceled by the user.\r\n"},
    {1225, "The remote computer refused the network connection.\r\n"},
    {1226, "The network connection was gracefully closed.\r\n"},
    {1229, "An operation was attempted on a nonexistent network connection.\r\n"},
    {1230, "An invalid operation was attempted on an active network connection.\r\n"},
    {1231,
     "The network location cannot be reached. For information about network "
     "troubleshooting, see Windows Help.\r\n"},
    {1232,
     "The network location cannot be reached. For information about network "
     "troubleshooting, see Windows Help.\r\n"},
    {1236, "The network connection was aborted by the local system.\r\n"},
    {1237, "The operation could not be completed. A retry should be performed.\r\n"},
    {1256,
     "The remote system is not available. For information about network troubleshooting, "
     "see Windows Help.\r\n"},
    {1450, "Insufficient system resources exist to complete the requested service.\r\n"},
    {1460, "This operation returned because the timeout period expired.\r\n"},
    {1784, "The supplied user buffer is not valid for the requested operation.\r\n"},
    {1815, "The specified resource language ID cannot be found in the image file.\r\n"},
    {1816, "Not enough quota is available to process this command.\r\n"},
    {10004, "A blocking operation was interrupted by a call to WSACancelBlockingCall.\r\n"},
    {10009, "The file handle supplied is not valid.\r\n"},
    {10013,
     "An attempt was made to access a socket in a way forbidden by its access "
     "permissions.\r\n"},
    {10014,
     "The system detected an invalid pointer address in attempting to use a pointer "
     "argument in a call.\r\n"},
    {10022, "An invalid argument was supplied.\r\n"},
    {10024, "Too many open sockets.\r\n"},
    {10035, "A non-blocking socket operation could not be completed immediately.\r\n"},
    {10036, "A blocking operation is currently executing.\r\n"},
    {10037,
     "An operation was attempted on a non-blocking socket that already had an operation "
     "in progress.\r\n"},
    {10038, "An operation was attempted on something that is not a socket.\r\n"},
    {10039, "A required address was omitted from an operation on a socket.\r\n"},
    {10040,
     "A message sent on a datagram socket was larger than the internal message buffer or "
     "some other network limit, or the buffer used to receive a datagram into was "
     "smaller than the datagram itself.\r\n"},
    {10041,
     "A protocol was specified in the socket function call that does not support the "
     "semantics of the socket type requested.\r\n"},
    {10042,
     "An unknown, invalid, or unsupported option or level was specified in a getsockopt "
     "or setsockopt call.\r\n"},
    {10043,
     "The requested protocol has not been configured into the system, or no "
     "implementation for it exists.\r\n"},
    {10044,
     "The support for the specified socket type does not exist in this address "
     "family.\r\n"},
    {10045, "The attempted operation is not supported for the type of object referenced.\r\n"},
    {10046,
     "The protocol family has not been configured into the system or no implementation "
     "for it exists.\r\n"},
    {10047, "An address incompatible with the requested protocol was used.\r\n"},
    {10048,
     "Only one usage of each socket address (protocol/network address/port) is normally "
     "permitted.\r\n"},
    {10049, "The requested address is not valid in its context.\r\n"},
    {10050, "A socket operation encountered a dead network.\r\n"},
    {10051, "A socket operation was attempted to an unreachable network.\r\n"},
    {10052,
     "The connection has been broken due to keep-alive activity detecting a failure "
     "while the operation was in progress.\r\n"},
    {10053, "An established connection was aborted by the software in your host machine.\r\n"},
    {10054, "An existing connection was forcibly closed by the remote host.\r\n"},
    {10055,
     "An operation on a socket could not be performed because the system lacked "
     "sufficient buffer space or because a queue was full.\r\n"},
    {10056, "A connect request was made on an already connected socket.\r\n"},
    {10057,
     "A request to send or receive data was disallowed because the socket is not "
     "connected and (when sending on a datagram socket using a sendto call) no address "
     "was supplied.\r\n"},
    {10058,
     "A request to send or receive data was disallowed because the socket had already "
     "been shut down in that direction with a previous shutdown call.\r\n"},
    {10059, "Too many references to some kernel object.\r\n"},
    {10060,
     "A connection attempt failed because the connected party did not properly respond "
     "after a period of time, or established connection failed because connected host "
     "has failed to respond.\r\n"},
    {10061, "No connection could be made because the target machine actively refused it.\r\n"},
    {10062, "Cannot translate name.\r\n"},
    {10063, "Name component or name was too long.\r\n"},
    {10064, "A socket operation failed because the destination host was down.\r\n"},
    {10065, "A socket operation was attempted to an unreachable host.\r\n"},
    {10066, "Cannot remove a directory that is not empty.\r\n"},
    {10067,
     "A Windows Sockets implementation may have a limit on the number of applications "
     "that may use it simultaneously.\r\n"},
    {10068, "Ran out of quota.\r\n"},
    {10069, "Ran out of disk quota.\r\n"},
    {10070, "File handle reference is no longer available.\r\n"},
    {10071, "Item is not available locally.\r\n"},
    {10091,
     "WSAStartup cannot function at this time because the underlying system it uses to "
     "provide network services is currently unavailable.\r\n"},
    {10092, "The Windows Sockets version requested is not supported.\r\n"},
    {10093, "Either the application has not called WSAStartup, or WSAStartup failed.\r\n"},
    {10101,
     "Returned by WSARecv or WSARecvFrom to indicate the remote party has initiated a "
     "graceful shutdown sequence.\r\n"},
    {10102, "No more results can be returned by WSALookupServiceNext.\r\n"},
    {10103,
     "A call to WSALookupServiceEnd was made while this call was still processing. The "
     "call has been canceled.\r\n"},
    {10104, "The procedure call table is invalid.\r\n"},
    {10105, "The requested service provider is invalid.\r\n"},
    {10106, "The requested service provider could not be loaded or initialized.\r\n"},
    {10107, "A system call that should never fail has failed.\r\n"},
    {10108,
     "No such service is known. The service cannot be found in the specified name "
     "space.\r\n"},
    {10109, "The specified class was not found.\r\n"},
    {10110, "No more results can be returned by WSALookupServiceNext.\r\n"},
    {10111,
     "A call to WSALookupServiceEnd was made while this call was still processing. The "
     "call has been canceled.\r\n"},
    {10112, "A database query failed because it was actively refused.\r\n"},
    {11001, "No such host is known.\r\n"},
    {11002,
     "This is usually a temporary error during hostname resolution and means that the "
     "local server did not receive a response from an authoritative server.\r\n"},
    {11003, "A non-recoverable error occurred during a database lookup.\r\n"},
    {11004, "The requested name is valid, but no data of the requested type was found.\r\n"},
    {11032, "No such host is known securely.\r\n"},
    {11033, "Name based IPSEC policy could not be added.\r\n"},
    // HRESULTs the headers define outside FACILITY_WIN32.
    {0x80004001u, "Not implemented\r\n"},
    {0x80004002u, "No such interface supported\r\n"},
    {0x80004003u, "Invalid pointer\r\n"},
    {0x80004004u, "Operation aborted\r\n"},
    {0x80004005u, "Unspecified error\r\n"},
    {0x8000FFFFu, "Catastrophic failure\r\n"},
};

constexpr bool Sorted() {
  for (size_t i = 1; i < sizeof(kMessages) / sizeof(kMessages[0]); ++i) {
    if (kMessages[i - 1].code >= kMessages[i].code) return false;
  }
  return true;
}
static_assert(Sorted(), "kMessages must be sorted by code, without duplicates");

const char* Find(uint32_t code) {
  size_t low = 0;
  size_t high = sizeof(kMessages) / sizeof(kMessages[0]);
  while (low < high) {
    const size_t middle = low + (high - low) / 2;
    if (kMessages[middle].code < code) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  if (low < sizeof(kMessages) / sizeof(kMessages[0]) && kMessages[low].code == code) {
    return kMessages[low].text;
  }
  return nullptr;
}

}  // namespace

const char* SystemMessage(uint32_t code) {
  if (const char* text = Find(code)) return text;
  // HRESULT_FROM_WIN32: severity 1, facility 7, the Win32 code below.
  if ((code & 0xFFFF0000u) == 0x80070000u) return Find(code & 0xFFFFu);
  return nullptr;
}

}  // namespace winapi
