// The system message table against the public headers: every ERROR_* and
// WSA* code winerror.h and winsock2.h define (extracted from the headers at
// build time, so a code added later without a message fails here) has
// Windows' message, ending in "\r\n".
#include <string.h>
#include <windows.h>
#include <winsock2.h>

#include "gtest/gtest.h"

namespace {

struct Code {
  const char* name;
  DWORD value;
};

constexpr Code kCodes[] = {
#include "tests/conformance/error_codes.inc"
};

TEST(SystemMessages, EveryHeaderCodeHasOne) {
  ASSERT_GT(sizeof(kCodes) / sizeof(kCodes[0]), 140u);
  for (const Code& code : kCodes) {
    char* text = nullptr;
    const DWORD length = FormatMessageA(
        FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
        nullptr, code.value, 0, reinterpret_cast<LPSTR>(&text), 0, nullptr);
    EXPECT_GT(length, 2u) << code.name << " (" << code.value << ") has no message";
    if (length == 0) continue;
    ASSERT_NE(text, nullptr);
    EXPECT_EQ(strlen(text), length);
    EXPECT_EQ(std::string(text + length - 2), "\r\n") << code.name;
    EXPECT_GE(text[0], 'A') << code.name;
    EXPECT_EQ(LocalFree(text), nullptr);
  }
}

}  // namespace
