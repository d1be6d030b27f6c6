/* Compiled by headers_compile_test.sh in every C mode with gcc and clang,
 * -Wall -Wextra -Werror -pedantic: what MSVC samples take from tchar.h,
 * strsafe.h, the CRT extras, the compiler keywords and SAL must compile
 * unchanged next to the standard headers, and define no objects. */

#ifdef IOCP_STD_FIRST
#include "std_headers.h"
#endif

#include <windows.h>
#include <tchar.h>
#include <strsafe.h>
#include <sal.h>
#include <excpt.h>

#ifndef IOCP_STD_FIRST
#include "std_headers.h"
#endif

#define CHECK(cond) typedef char IOCP_CONCAT_(check_, __LINE__)[(cond) ? 1 : -1]

CHECK(sizeof(TCHAR) == 1 && sizeof(_TCHAR) == 1);
CHECK(sizeof(_T("abc")) == 4 && sizeof(TEXT("abc")) == 4 && sizeof(_TEXT("ab")) == 3);
CHECK(sizeof(errno_t) == 4 && sizeof(unsigned __int64) == 8 && sizeof(__int32) == 4);
CHECK(sizeof(__int16) == 2 && sizeof(__int8) == 1);
CHECK(STRSAFE_E_INSUFFICIENT_BUFFER == (HRESULT)0x8007007A);
CHECK(STRSAFE_E_INVALID_PARAMETER == (HRESULT)0x80070057);
CHECK(STRUNCATE == 80 && _TRUNCATE == (size_t)-1);
CHECK(max(3, 7) == 7 && min(3, 7) == 3);
CHECK(EXCEPTION_EXECUTE_HANDLER == 1 && EXCEPTION_CONTINUE_SEARCH == 0);

typedef struct __declspec(align(16)) Aligned {
  char c;
} Aligned;
CHECK(__alignof__(Aligned) == 16);

static __forceinline int Twice(_In_ int value) { return value * 2; }

static __declspec(noinline) int __cdecl Format(_Out_writes_(size) char *buffer,
                                                _In_ size_t size, _In_z_ const char *name) {
  return sprintf_s(buffer, size, "%s=%d", name, Twice(21));
}

static void __stdcall Unused(_In_opt_ void *context, _Inout_ int *count) {
  UNREFERENCED_PARAMETER(context);
  (*count)++;
}

int _tmain(int argc, _TCHAR *argv[]) {
  TCHAR buffer[32];
  char text[16];
  char *copy;
  char *context = NULL;
  size_t length = 0;
  int count = 0;
  HRESULT hr;
  UNREFERENCED_PARAMETER(argv);
  Unused(NULL, &count);
  if (_tcscpy_s(buffer, _countof(buffer), _T("Hello")) != 0) return 1;
  if (_tcscat_s(buffer, _countof(buffer), _T(", world")) != 0) return 1;
  if (_tcslen(buffer) != 12 || _tcsicmp(buffer, _T("HELLO, WORLD")) != 0) return 1;
  if (_tcsnicmp(buffer, _T("hELLo!"), 5) != 0 || _tcschr(buffer, ',') == NULL) return 1;
  if (_tcsrchr(buffer, 'o') == NULL || _tcsstr(buffer, _T("world")) == NULL) return 1;
  if (_tcstol(_T("42"), NULL, 10) != 42 || _tcstoul(_T("ff"), NULL, 16) != 255) return 1;
  if (_ttoi(_T("7")) != 7 || _tcscmp(_T("a"), _T("a")) != 0) return 1;
  if (_stprintf(buffer, _T("%d"), argc) < 1) return 1;
  if (_sntprintf(buffer, _countof(buffer), _T("%s"), "x") != 1) return 1;
  if (_tcsncpy_s(buffer, _countof(buffer), _T("truncated text"), _TRUNCATE) != 0) return 1;
  if (strncpy_s(text, sizeof text, "much longer than sixteen", _TRUNCATE) != STRUNCATE) return 1;
  if (_snprintf_s(text, sizeof text, _TRUNCATE, "%d", 12345) != 5) return 1;
  if (_snprintf(text, sizeof text, "%s", "abc") != 3 || _scprintf("%d", 100) != 3) return 1;
  if (memcpy_s(text, sizeof text, "abc", 4) != 0 || _stricmp(text, "ABC") != 0) return 1;
  if (_itoa_s(-255, text, sizeof text, 10) != 0 || _strnicmp(text, "-255", 4) != 0) return 1;
  if (Format(text, sizeof text, "x") != 4) return 1;
  copy = _tcsdup(_T("dup"));
  if (copy == NULL) return 1;
  free(copy);
  if (strtok_s(buffer, " ", &context) == NULL) return 1;
  hr = StringCchCopy(buffer, ARRAYSIZE(buffer), TEXT("safe"));
  if (FAILED(hr)) return 1;
  hr = StringCbCat(buffer, sizeof buffer, TEXT(" strings"));
  if (FAILED(hr)) return 1;
  hr = StringCchPrintf(buffer, ARRAYSIZE(buffer), TEXT("%s %d"), "n", 5);
  if (!SUCCEEDED(hr)) return 1;
  hr = StringCchLength(buffer, ARRAYSIZE(buffer), &length);
  if (FAILED(hr) || length != 3) return 1;
  if (StringCbCopyN(text, sizeof text, "abcdef", 3) != S_OK) return 1;
  if (StringCchCatN(text, ARRAYSIZE(text), "defg", 3) != S_OK) return 1;
  _tprintf(_T("%s %s\n"), buffer, text);
  _ftprintf(stderr, _T("%d\n"), count);
  return 0;
}
