// The behaviour of the MSVC compatibility layer: iocp_crt.h's bounds-checked
// and underscore functions, strsafe.h's results, tchar.h's mapping, and
// windef.h's min/max in C++. Each case checks the result code, errno where
// the function sets it, the destination's contents and its termination.

#include <strsafe.h>
#include <tchar.h>
#include <windows.h>

#include <cerrno>
#include <cstdarg>
#include <cstdlib>
#include <cstring>
#include <string>

#include "gtest/gtest.h"

namespace {

// A buffer of 8 with a canary after it: a write past the end shows.
struct Guarded {
  char data[8];
  char canary[8];
  Guarded() {
    memset(data, 'x', sizeof data);
    memset(canary, 'C', sizeof canary);
  }
  bool Intact() const {
    for (char c : canary) {
      if (c != 'C') return false;
    }
    return true;
  }
};

TEST(CrtCopy, StrcpySCopiesAndTerminates) {
  Guarded g;
  EXPECT_EQ(strcpy_s(g.data, sizeof g.data, "1234567"), 0);
  EXPECT_STREQ(g.data, "1234567");
  EXPECT_TRUE(g.Intact());
}

TEST(CrtCopy, StrcpySTooSmallEmptiesAndReturnsErange) {
  Guarded g;
  errno = 0;
  EXPECT_EQ(strcpy_s(g.data, sizeof g.data, "12345678"), ERANGE);
  EXPECT_EQ(errno, ERANGE);
  EXPECT_EQ(g.data[0], '\0');
  EXPECT_TRUE(g.Intact());
}

TEST(CrtCopy, StrcpySBadArguments) {
  char buffer[4] = "abc";
  errno = 0;
  EXPECT_EQ(strcpy_s(nullptr, 4, "a"), EINVAL);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(strcpy_s(buffer, 0, "a"), EINVAL);
  EXPECT_STREQ(buffer, "abc");  // size 0: left alone
  EXPECT_EQ(strcpy_s(buffer, sizeof buffer, nullptr), EINVAL);
  EXPECT_EQ(buffer[0], '\0');
}

TEST(CrtCopy, StrcpySArrayOverloadTakesTheSizeFromTheType) {
  Guarded g;
  EXPECT_EQ(strcpy_s(g.data, "12345678"), ERANGE);
  EXPECT_EQ(g.data[0], '\0');
  EXPECT_EQ(strcpy_s(g.data, "abc"), 0);
  EXPECT_STREQ(g.data, "abc");
  EXPECT_TRUE(g.Intact());
}

TEST(CrtCopy, StrncpySCopiesAtMostCount) {
  Guarded g;
  EXPECT_EQ(strncpy_s(g.data, sizeof g.data, "abcdefghij", 3), 0);
  EXPECT_STREQ(g.data, "abc");
  EXPECT_EQ(strncpy_s(g.data, sizeof g.data, "ab", 5), 0);
  EXPECT_STREQ(g.data, "ab");
  EXPECT_TRUE(g.Intact());
}

TEST(CrtCopy, StrncpySTruncateReturnsStruncate) {
  Guarded g;
  EXPECT_EQ(strncpy_s(g.data, sizeof g.data, "abcdefghij", _TRUNCATE), STRUNCATE);
  EXPECT_STREQ(g.data, "abcdefg");
  EXPECT_EQ(strncpy_s(g.data, sizeof g.data, "abcdefg", _TRUNCATE), 0);
  EXPECT_STREQ(g.data, "abcdefg");
  EXPECT_TRUE(g.Intact());
}

TEST(CrtCopy, StrncpySCountThatDoesNotFitIsErange) {
  Guarded g;
  errno = 0;
  EXPECT_EQ(strncpy_s(g.data, sizeof g.data, "abcdefghij", 8), ERANGE);
  EXPECT_EQ(errno, ERANGE);
  EXPECT_EQ(g.data[0], '\0');
  EXPECT_TRUE(g.Intact());
}

TEST(CrtCopy, StrncpySNullCases) {
  char buffer[4] = "abc";
  EXPECT_EQ(strncpy_s(nullptr, 0, nullptr, 0), 0);
  EXPECT_EQ(strncpy_s(buffer, sizeof buffer, nullptr, 0), 0);
  EXPECT_EQ(buffer[0], '\0');
  EXPECT_EQ(strncpy_s(buffer, sizeof buffer, nullptr, 1), EINVAL);
  EXPECT_EQ(strncpy_s(nullptr, 4, "a", 1), EINVAL);
}

TEST(CrtCopy, StrcatSAppendsOrFailsWhole) {
  Guarded g;
  ASSERT_EQ(strcpy_s(g.data, "abc"), 0);
  EXPECT_EQ(strcat_s(g.data, sizeof g.data, "defg"), 0);
  EXPECT_STREQ(g.data, "abcdefg");
  errno = 0;
  EXPECT_EQ(strcat_s(g.data, sizeof g.data, "h"), ERANGE);
  EXPECT_EQ(errno, ERANGE);
  EXPECT_EQ(g.data[0], '\0');
  EXPECT_TRUE(g.Intact());
}

TEST(CrtCopy, StrcatSUnterminatedDestinationIsEinval) {
  Guarded g;  // eight 'x', no NUL
  EXPECT_EQ(strcat_s(g.data, sizeof g.data, "a"), EINVAL);
  EXPECT_EQ(g.data[0], '\0');
  EXPECT_EQ(strcat_s(g.data, sizeof g.data, nullptr), EINVAL);
  EXPECT_EQ(strcat_s(nullptr, 8, "a"), EINVAL);
  EXPECT_TRUE(g.Intact());
}

TEST(CrtCopy, StrncatSTruncate) {
  Guarded g;
  ASSERT_EQ(strcpy_s(g.data, "abc"), 0);
  EXPECT_EQ(strncat_s(g.data, sizeof g.data, "defghij", 2), 0);
  EXPECT_STREQ(g.data, "abcde");
  EXPECT_EQ(strncat_s(g.data, sizeof g.data, "fghij", _TRUNCATE), STRUNCATE);
  EXPECT_STREQ(g.data, "abcdefg");
  EXPECT_EQ(strncat_s(g.data, sizeof g.data, "x", 1), ERANGE);
  EXPECT_EQ(g.data[0], '\0');
  EXPECT_TRUE(g.Intact());
}

TEST(CrtCopy, MemcpySZeroesTheDestinationOnError) {
  Guarded g;
  EXPECT_EQ(memcpy_s(g.data, sizeof g.data, "12345678", 8), 0);
  EXPECT_EQ(memcmp(g.data, "12345678", 8), 0);
  errno = 0;
  EXPECT_EQ(memcpy_s(g.data, sizeof g.data, "123456789", 9), ERANGE);
  EXPECT_EQ(errno, ERANGE);
  for (char c : g.data) EXPECT_EQ(c, '\0');
  memset(g.data, 'x', sizeof g.data);
  EXPECT_EQ(memcpy_s(g.data, sizeof g.data, nullptr, 1), EINVAL);
  for (char c : g.data) EXPECT_EQ(c, '\0');
  EXPECT_EQ(memcpy_s(nullptr, 8, "a", 1), EINVAL);
  EXPECT_EQ(memcpy_s(nullptr, 0, nullptr, 0), 0);  // nothing to copy
  EXPECT_TRUE(g.Intact());
}

TEST(CrtCopy, MemmoveSOverlaps) {
  char buffer[8] = "abcdef";
  EXPECT_EQ(memmove_s(buffer + 1, sizeof buffer - 1, buffer, 6), 0);
  EXPECT_STREQ(buffer, "aabcdef");
  EXPECT_EQ(memmove_s(buffer, 2, buffer + 1, 3), ERANGE);
  EXPECT_EQ(memmove_s(buffer, 2, nullptr, 1), EINVAL);
}

TEST(CrtCompare, StricmpIgnoresAsciiCase) {
  EXPECT_EQ(_stricmp("Hello", "hELLO"), 0);
  EXPECT_LT(_stricmp("apple", "Banana"), 0);
  EXPECT_GT(_stricmp("Zeta", "alpha"), 0);
  EXPECT_LT(_stricmp("abc", "ABCD"), 0);
  EXPECT_EQ(_strcmpi("ABC", "abc"), 0);
  // Upper-case letters compare as lower-case: '_' (0x5F) sorts before 'a'.
  EXPECT_LT(_stricmp("_", "A"), 0);
}

TEST(CrtCompare, StrnicmpStopsAtCountOrEnd) {
  EXPECT_EQ(_strnicmp("HelloWorld", "hellothere", 5), 0);
  EXPECT_NE(_strnicmp("HelloWorld", "hellothere", 6), 0);
  EXPECT_EQ(_strnicmp("ab", "AB", 10), 0);
  EXPECT_EQ(_strnicmp("x", "y", 0), 0);
}

TEST(CrtCompare, NullIsNlscmperror) {
  errno = 0;
  EXPECT_EQ(_stricmp(nullptr, "a"), _NLSCMPERROR);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(_strnicmp("a", nullptr, 1), _NLSCMPERROR);
}

TEST(CrtStrings, StrdupLwrUpr) {
  char *copy = _strdup("MiXeD");
  ASSERT_NE(copy, nullptr);
  EXPECT_STREQ(_strlwr(copy), "mixed");
  EXPECT_STREQ(_strupr(copy), "MIXED");
  free(copy);
  EXPECT_EQ(_strdup(nullptr), nullptr);
}

TEST(CrtStrings, StrtokSKeepsItsPlaceInTheContext) {
  char first[] = "a,b;;c";
  char second[] = "x y";
  char *context1 = nullptr;
  char *context2 = nullptr;
  EXPECT_STREQ(strtok_s(first, ",;", &context1), "a");
  EXPECT_STREQ(strtok_s(second, " ", &context2), "x");  // interleaved
  EXPECT_STREQ(strtok_s(nullptr, ",;", &context1), "b");
  EXPECT_STREQ(strtok_s(nullptr, " ", &context2), "y");
  EXPECT_STREQ(strtok_s(nullptr, ",;", &context1), "c");
  EXPECT_EQ(strtok_s(nullptr, ",;", &context1), nullptr);
  EXPECT_EQ(strtok_s(nullptr, " ", &context2), nullptr);
  char *none = nullptr;
  errno = 0;
  EXPECT_EQ(strtok_s(nullptr, ",", &none), nullptr);
  EXPECT_EQ(errno, EINVAL);
}

TEST(CrtStrings, FopenS) {
  FILE *file = reinterpret_cast<FILE *>(1);
  EXPECT_EQ(fopen_s(&file, "/nonexistent-dir/file", "r"), ENOENT);
  EXPECT_EQ(file, nullptr);
  EXPECT_EQ(fopen_s(nullptr, "x", "r"), EINVAL);
  EXPECT_EQ(fopen_s(&file, nullptr, "r"), EINVAL);
  ASSERT_EQ(fopen_s(&file, "/dev/null", "r"), 0);
  ASSERT_NE(file, nullptr);
  fclose(file);
}

TEST(CrtPrintf, SprintfSFitsOrEmpties) {
  Guarded g;
  EXPECT_EQ(sprintf_s(g.data, sizeof g.data, "%d-%s", 12, "abcd"), 7);
  EXPECT_STREQ(g.data, "12-abcd");
  errno = 0;
  EXPECT_EQ(sprintf_s(g.data, sizeof g.data, "%d", 12345678), -1);
  EXPECT_EQ(errno, ERANGE);
  EXPECT_EQ(g.data[0], '\0');
  EXPECT_EQ(sprintf_s(g.data, "%s", "array"), 5);  // C++ overload
  EXPECT_STREQ(g.data, "array");
  errno = 0;
  EXPECT_EQ(sprintf_s(g.data, sizeof g.data, nullptr), -1);
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(sprintf_s(nullptr, 8, "x"), -1);
  EXPECT_TRUE(g.Intact());
}

TEST(CrtPrintf, SnprintfDoesNotTerminateWhenFull) {
  Guarded g;
  EXPECT_EQ(_snprintf(g.data, sizeof g.data, "%s", "abc"), 3);
  EXPECT_STREQ(g.data, "abc");
  memset(g.data, 'x', sizeof g.data);
  // Exactly the count: all of it, no NUL, the length.
  EXPECT_EQ(_snprintf(g.data, sizeof g.data, "%s", "12345678"), 8);
  EXPECT_EQ(memcmp(g.data, "12345678", 8), 0);
  // More than the count: the first count characters, no NUL, -1.
  EXPECT_EQ(_snprintf(g.data, sizeof g.data, "%s", "abcdefghijk"), -1);
  EXPECT_EQ(memcmp(g.data, "abcdefgh", 8), 0);
  EXPECT_TRUE(g.Intact());
  // NULL and 0 ask for the length.
  EXPECT_EQ(_snprintf(nullptr, 0, "%d", 123456), 6);
  EXPECT_EQ(_scprintf("%s%d", "ab", 7), 3);
}

TEST(CrtPrintf, SnprintfSCountAndTruncate) {
  Guarded g;
  EXPECT_EQ(_snprintf_s(g.data, sizeof g.data, 3, "%s", "abcdef"), -1);
  EXPECT_STREQ(g.data, "abc");
  EXPECT_EQ(_snprintf_s(g.data, sizeof g.data, 7, "%s", "abcdef"), 6);
  EXPECT_STREQ(g.data, "abcdef");
  EXPECT_EQ(_snprintf_s(g.data, sizeof g.data, _TRUNCATE, "%s", "abcdefghij"), -1);
  EXPECT_STREQ(g.data, "abcdefg");
  EXPECT_EQ(_snprintf_s(g.data, sizeof g.data, _TRUNCATE, "%s", "abcdefg"), 7);
  EXPECT_STREQ(g.data, "abcdefg");
  // A count the buffer cannot hold, with output that reaches it: an error.
  errno = 0;
  EXPECT_EQ(_snprintf_s(g.data, sizeof g.data, 8, "%s", "abcdefghij"), -1);
  EXPECT_EQ(errno, ERANGE);
  EXPECT_EQ(g.data[0], '\0');
  errno = 0;
  EXPECT_EQ(_snprintf_s(g.data, sizeof g.data, 0, "%d", 1), -1);  // a count of 0
  EXPECT_EQ(errno, EINVAL);
  EXPECT_EQ(g.data[0], '\0');
  EXPECT_EQ(_snprintf_s(g.data, _TRUNCATE, "%d", 42), 2);  // C++ overload
  EXPECT_STREQ(g.data, "42");
  EXPECT_TRUE(g.Intact());
}

int CallVsprintfS(char *buffer, size_t size, const char *format, ...) {
  va_list args;
  va_start(args, format);
  int length = vsprintf_s(buffer, size, format, args);
  va_end(args);
  return length;
}

TEST(CrtPrintf, VsprintfS) {
  Guarded g;
  EXPECT_EQ(CallVsprintfS(g.data, sizeof g.data, "%c%c", 'o', 'k'), 2);
  EXPECT_STREQ(g.data, "ok");
  EXPECT_EQ(CallVsprintfS(g.data, sizeof g.data, "%s", "too long!"), -1);
  EXPECT_EQ(g.data[0], '\0');
  EXPECT_TRUE(g.Intact());
}

TEST(CrtIntegers, ItoaS) {
  char buffer[34];
  EXPECT_EQ(_itoa_s(-255, buffer, sizeof buffer, 10), 0);
  EXPECT_STREQ(buffer, "-255");
  EXPECT_EQ(_itoa_s(255, buffer, 16), 0);
  EXPECT_STREQ(buffer, "ff");
  // Other radixes show the two's-complement bits.
  EXPECT_EQ(_itoa_s(-1, buffer, sizeof buffer, 16), 0);
  EXPECT_STREQ(buffer, "ffffffff");
  EXPECT_EQ(_itoa_s(5, buffer, sizeof buffer, 2), 0);
  EXPECT_STREQ(buffer, "101");
  EXPECT_EQ(_itoa_s(INT_MIN, buffer, sizeof buffer, 10), 0);
  EXPECT_STREQ(buffer, "-2147483648");
  char small[4];
  EXPECT_EQ(_itoa_s(1000, small, sizeof small, 10), ERANGE);
  EXPECT_EQ(small[0], '\0');
  EXPECT_EQ(_itoa_s(999, small, 10), 0);
  EXPECT_STREQ(small, "999");
  EXPECT_EQ(_itoa_s(1, buffer, sizeof buffer, 37), EINVAL);
  EXPECT_EQ(_itoa_s(1, nullptr, 4, 10), EINVAL);
  EXPECT_STREQ(_i64toa(-9223372036854775807LL - 1, buffer, 10), "-9223372036854775808");
  EXPECT_STREQ(_ui64toa(18446744073709551615ULL, buffer, 16), "ffffffffffffffff");
  EXPECT_STREQ(_itoa(35, buffer, 36), "z");
  EXPECT_EQ(_atoi64("-1234567890123"), -1234567890123LL);
  EXPECT_EQ(_strtoui64("ff", nullptr, 16), 255u);
}

// --- strsafe.h ---

TEST(Strsafe, ResultValues) {
  EXPECT_EQ(static_cast<unsigned>(STRSAFE_E_INSUFFICIENT_BUFFER), 0x8007007Au);
  EXPECT_EQ(static_cast<unsigned>(STRSAFE_E_INVALID_PARAMETER), 0x80070057u);
  EXPECT_EQ(STRSAFE_E_INSUFFICIENT_BUFFER, HRESULT_FROM_WIN32(ERROR_INSUFFICIENT_BUFFER));
  EXPECT_EQ(STRSAFE_E_INVALID_PARAMETER, HRESULT_FROM_WIN32(ERROR_INVALID_PARAMETER));
  EXPECT_EQ(STRSAFE_MAX_CCH, 2147483647);
}

TEST(Strsafe, CopyTruncatesAndTerminates) {
  Guarded g;
  EXPECT_EQ(StringCchCopyA(g.data, 8, "1234567"), S_OK);
  EXPECT_STREQ(g.data, "1234567");
  EXPECT_EQ(StringCchCopyA(g.data, 8, "123456789"), STRSAFE_E_INSUFFICIENT_BUFFER);
  EXPECT_STREQ(g.data, "1234567");
  EXPECT_EQ(StringCbCopyA(g.data, sizeof g.data, "abcdefghi"), STRSAFE_E_INSUFFICIENT_BUFFER);
  EXPECT_STREQ(g.data, "abcdefg");
  EXPECT_EQ(StringCchCopy(g.data, ARRAYSIZE(g.data), TEXT("ok")), S_OK);  // generic name
  EXPECT_STREQ(g.data, "ok");
  EXPECT_TRUE(g.Intact());
}

TEST(Strsafe, InvalidSizesLeaveTheDestinationAlone) {
  Guarded g;
  EXPECT_EQ(StringCchCopyA(g.data, 0, "a"), STRSAFE_E_INVALID_PARAMETER);
  EXPECT_EQ(g.data[0], 'x');
  EXPECT_EQ(StringCchCopyA(g.data, size_t{STRSAFE_MAX_CCH} + 1, "a"), STRSAFE_E_INVALID_PARAMETER);
  EXPECT_EQ(g.data[0], 'x');
  EXPECT_EQ(StringCchCopyA(nullptr, 8, "a"), STRSAFE_E_INVALID_PARAMETER);
  // A NULL source reads as "".
  EXPECT_EQ(StringCchCopyA(g.data, 8, nullptr), S_OK);
  EXPECT_STREQ(g.data, "");
  EXPECT_TRUE(g.Intact());
}

TEST(Strsafe, CopyN) {
  Guarded g;
  EXPECT_EQ(StringCchCopyNA(g.data, 8, "abcdefghij", 3), S_OK);
  EXPECT_STREQ(g.data, "abc");
  EXPECT_EQ(StringCchCopyNA(g.data, 8, "ab", 5), S_OK);
  EXPECT_STREQ(g.data, "ab");
  EXPECT_EQ(StringCbCopyNA(g.data, 8, "abcdefghij", 9), STRSAFE_E_INSUFFICIENT_BUFFER);
  EXPECT_STREQ(g.data, "abcdefg");
  // The source need not be terminated within cchToCopy.
  const char unterminated[3] = {'x', 'y', 'z'};
  EXPECT_EQ(StringCchCopyNA(g.data, 8, unterminated, 3), S_OK);
  EXPECT_STREQ(g.data, "xyz");
  EXPECT_TRUE(g.Intact());
}

TEST(Strsafe, CatAndCatN) {
  Guarded g;
  ASSERT_EQ(StringCchCopyA(g.data, 8, "ab"), S_OK);
  EXPECT_EQ(StringCchCatA(g.data, 8, "cd"), S_OK);
  EXPECT_STREQ(g.data, "abcd");
  EXPECT_EQ(StringCchCatNA(g.data, 8, "efgh", 2), S_OK);
  EXPECT_STREQ(g.data, "abcdef");
  EXPECT_EQ(StringCbCatA(g.data, 8, "ghij"), STRSAFE_E_INSUFFICIENT_BUFFER);
  EXPECT_STREQ(g.data, "abcdefg");
  EXPECT_EQ(StringCchCatA(g.data, 8, ""), S_OK);
  EXPECT_TRUE(g.Intact());
}

TEST(Strsafe, CatOnAnUnterminatedDestinationIsInvalid) {
  Guarded g;  // no NUL within 8
  EXPECT_EQ(StringCchCatA(g.data, 8, "a"), STRSAFE_E_INVALID_PARAMETER);
  EXPECT_EQ(StringCbCatNA(g.data, 8, "a", 1), STRSAFE_E_INVALID_PARAMETER);
  EXPECT_TRUE(g.Intact());
}

TEST(Strsafe, Printf) {
  Guarded g;
  EXPECT_EQ(StringCchPrintfA(g.data, 8, "%d+%d", 1, 2), S_OK);
  EXPECT_STREQ(g.data, "1+2");
  EXPECT_EQ(StringCchPrintfA(g.data, 8, "%s", "1234567"), S_OK);  // exactly full
  EXPECT_STREQ(g.data, "1234567");
  EXPECT_EQ(StringCbPrintfA(g.data, 8, "%s", "12345678"), STRSAFE_E_INSUFFICIENT_BUFFER);
  EXPECT_STREQ(g.data, "1234567");
  EXPECT_EQ(StringCchPrintfA(g.data, 0, "x"), STRSAFE_E_INVALID_PARAMETER);
  EXPECT_EQ(StringCchPrintfA(g.data, 8, nullptr), STRSAFE_E_INVALID_PARAMETER);
  EXPECT_STREQ(g.data, "");
  EXPECT_TRUE(g.Intact());
}

HRESULT CallVPrintf(char *buffer, size_t size, const char *format, ...) {
  va_list args;
  va_start(args, format);
  HRESULT result = StringCbVPrintfA(buffer, size, format, args);
  va_end(args);
  return result;
}

TEST(Strsafe, VPrintf) {
  Guarded g;
  EXPECT_EQ(CallVPrintf(g.data, 8, "%s", "abc"), S_OK);
  EXPECT_STREQ(g.data, "abc");
  EXPECT_EQ(CallVPrintf(g.data, 4, "%s", "abcd"), STRSAFE_E_INSUFFICIENT_BUFFER);
  EXPECT_STREQ(g.data, "abc");
  EXPECT_TRUE(g.Intact());
}

TEST(Strsafe, Length) {
  size_t length = 99;
  EXPECT_EQ(StringCchLengthA("hello", 6, &length), S_OK);
  EXPECT_EQ(length, 5u);
  EXPECT_EQ(StringCbLengthA("hello", 100, &length), S_OK);
  EXPECT_EQ(length, 5u);
  // Not terminated within the maximum.
  EXPECT_EQ(StringCchLengthA("hello", 5, &length), STRSAFE_E_INVALID_PARAMETER);
  EXPECT_EQ(length, 0u);
  EXPECT_EQ(StringCchLengthA(nullptr, 5, &length), STRSAFE_E_INVALID_PARAMETER);
  EXPECT_EQ(StringCchLengthA("a", 0, &length), STRSAFE_E_INVALID_PARAMETER);
  EXPECT_EQ(StringCchLengthA("a", 5, nullptr), S_OK);  // the length is optional
}

// --- tchar.h ---

TEST(Tchar, AnsiMapping) {
  static_assert(sizeof(_TCHAR) == 1 && sizeof(TCHAR) == 1, "ANSI");
  static_assert(sizeof(_T("ab")) == 3, "narrow literal");
  TCHAR buffer[16];
  EXPECT_EQ(_tcscpy_s(buffer, _countof(buffer), _T("Abc")), 0);
  EXPECT_EQ(_tcslen(buffer), 3u);
  EXPECT_EQ(_tcsicmp(buffer, _T("aBC")), 0);
  EXPECT_EQ(_tcsnicmp(buffer, _T("abX"), 2), 0);
  EXPECT_EQ(_tcschr(buffer, _T('b')), buffer + 1);
  EXPECT_EQ(_tcstol(_T("-12"), nullptr, 10), -12);
  EXPECT_EQ(_ttoi(_T("34")), 34);
  EXPECT_EQ(_stprintf_s(buffer, _countof(buffer), _T("%d"), 5), 1);
  EXPECT_EQ(_sntprintf(buffer, _countof(buffer), _T("%s"), _T("xy")), 2);
  TCHAR *copy = _tcsdup(buffer);
  EXPECT_STREQ(copy, "xy");
  free(copy);
}

// --- windef.h's min and max in C++ ---

TEST(MinMax, TemplatesBehaveLikeTheMacros) {
  EXPECT_EQ(max(3, 7), 7);
  EXPECT_EQ(min(3, 7), 3);
  EXPECT_EQ(max(2, 3.5), 3.5);  // the usual arithmetic conversions
  DWORD bytes = 10;
  EXPECT_EQ(max(bytes, 20u), 20u);
  static_assert(max(1, 2) == 2, "constexpr");
  EXPECT_EQ(std::max(1, 2), 2);  // std's untouched
  using namespace std;
  EXPECT_EQ(max(std::string("a"), std::string("b")), "b");
}

}  // namespace
