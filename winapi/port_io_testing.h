// A port fixture and a test operation for the port's I/O-path tests.
#ifndef IOCP_WINAPI_PORT_IO_TESTING_H_
#define IOCP_WINAPI_PORT_IO_TESTING_H_

#include <sys/socket.h>
#include <windows.h>

#include "gtest/gtest.h"
#include "ring/default_ring.h"
#include "winapi/api_util.h"
#include "winapi/errors.h"
#include "winapi/port.h"

namespace iocp_testing {

// An operation that reports its ring result as a packet for `overlapped`.
class TestOperation final : public winapi::Operation {
 public:
  TestOperation(ULONG_PTR key, OVERLAPPED* overlapped) : key_(key), overlapped_(overlapped) {}
  bool OnComplete(int32_t result, uint32_t, winapi::Packet* packet) override {
    const uint32_t status = winapi::StatusFromErrno(result);
    const uint32_t bytes = result > 0 ? static_cast<uint32_t>(result) : 0;
    // As the I/O manager does: fields first, then the packet (spec 19).
    overlapped_->Internal = status;
    overlapped_->InternalHigh = bytes;
    packet->key = key_;
    packet->overlapped = overlapped_;
    packet->status = status;
    packet->bytes = bytes;
    return true;
  }

 private:
  ULONG_PTR key_;
  OVERLAPPED* overlapped_;
};

class PortIo : public ::testing::Test {
 protected:
  void SetUp() override {
    port_handle_ = CreateIoCompletionPort(INVALID_HANDLE_VALUE, nullptr, 0, 0);
    ASSERT_NE(port_handle_, nullptr);
    port_ref_ = winapi::LookupAs<winapi::CompletionPort>(port_handle_, winapi::ObjectKind::kPort);
    ASSERT_TRUE(port_ref_);
    ASSERT_EQ(ring::DefaultSystem().SocketPair(AF_UNIX, SOCK_STREAM, 0, fds_), 0);
  }
  void TearDown() override {
    ring::DefaultSystem().Close(fds_[0]);
    ring::DefaultSystem().Close(fds_[1]);
    port_ref_ = {};
    CloseHandle(port_handle_);
  }
  winapi::CompletionPort& port() { return *port_ref_.get(); }

  HANDLE port_handle_ = nullptr;
  winapi::TypedRef<winapi::CompletionPort> port_ref_;
  int fds_[2] = {-1, -1};
};

}  // namespace iocp_testing

#endif  // IOCP_WINAPI_PORT_IO_TESTING_H_
