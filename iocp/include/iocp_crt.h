/*
 * iocp_crt.h - what MSVC programs take from their compiler and C runtime
 * beyond standard C, for programs built with gcc or clang against glibc:
 *
 *   - compiler keywords: __declspec(...), __forceinline, __fastcall & co.,
 *     __int8 ... __int64, __noop;
 *   - the bounds-checked functions (strcpy_s, strncpy_s with _TRUNCATE,
 *     strcat_s, strncat_s, memcpy_s, memmove_s, sprintf_s, vsprintf_s,
 *     _snprintf_s, _vsnprintf_s, strtok_s, fopen_s, _itoa_s, ...), with
 *     MSVC's C++ overloads that take the destination array's size from its
 *     type;
 *   - the underscore functions (_snprintf, _vsnprintf, _scprintf,
 *     _vscprintf, _stricmp, _strnicmp, _strdup, _strlwr, _strupr, _itoa,
 *     _atoi64, _strtoi64, ...);
 *   - errno_t, _TRUNCATE, STRUNCATE;
 *   - the SAL annotations (sal.h) and the SEH keywords' diagnostics
 *     (excpt.h).
 *
 * MSVC programs reach these through <stdio.h>, <string.h> and <stdlib.h>;
 * glibc's headers of those names must stay glibc's, so windows.h (and
 * tchar.h, strsafe.h) include this header instead. Everything is static
 * inline: nothing here is in libiocp.
 *
 * Parameter errors in the *_s functions. MSVC calls the invalid-parameter
 * handler, whose default ends the process; when a program installs a handler
 * that returns, the function sets errno, empties the destination (where it
 * has one and its size is not 0) and returns EINVAL or ERANGE (-1 for the
 * printf family). These functions always behave as with such a handler: they
 * never end the process.
 *
 * Part of the iocp project's Windows-compatible headers: the names,
 * signatures and values are Windows'; the text is this project's own.
 */
#ifndef IOCP_CRT_H_
#define IOCP_CRT_H_

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "basetsd.h"
#include "excpt.h"
#include "sal.h"

/* --- compiler keywords --- */

/* __declspec(x) becomes the GNU attribute with the same effect, or nothing
 * where Linux needs none (dllimport). An unknown x fails to compile naming
 * IOCP_DECLSPEC_x. */
#ifndef __declspec
#define __declspec(x) IOCP_DECLSPEC_##x
#endif
#define IOCP_DECLSPEC_dllimport
#define IOCP_DECLSPEC_dllexport __attribute__((__visibility__("default")))
#define IOCP_DECLSPEC_noinline __attribute__((__noinline__))
#define IOCP_DECLSPEC_noreturn __attribute__((__noreturn__))
#define IOCP_DECLSPEC_align(n) __attribute__((__aligned__(n)))
#define IOCP_DECLSPEC_thread __thread
#define IOCP_DECLSPEC_selectany __attribute__((__weak__))
#define IOCP_DECLSPEC_deprecated __attribute__((__deprecated__))
#define IOCP_DECLSPEC_nothrow __attribute__((__nothrow__))
#define IOCP_DECLSPEC_novtable
#define IOCP_DECLSPEC_noalias
#define IOCP_DECLSPEC_restrict

#ifndef __forceinline
#define __forceinline __inline__ __attribute__((__always_inline__))
#endif
/* x64 has one calling convention (windef.h has __stdcall and __cdecl). */
#ifndef __fastcall
#define __fastcall
#endif
#ifndef _fastcall
#define _fastcall
#endif
#ifndef __thiscall
#define __thiscall
#endif
#ifndef __vectorcall
#define __vectorcall
#endif
#ifndef __unaligned
#define __unaligned
#endif
#ifndef __ptr64
#define __ptr64
#endif
#ifndef __noop
#define __noop(...) ((void)0)
#endif

/* MSVC's sized integer keywords (unsigned __int64 works too). */
#ifndef __int8
#define __int8 char
#endif
#ifndef __int16
#define __int16 short
#endif
#ifndef __int32
#define __int32 int
#endif
#ifndef __int64
#define __int64 long long
#endif

/* --- types and constants --- */

#ifndef _ERRNO_T_DEFINED
#define _ERRNO_T_DEFINED
typedef int errno_t;
#endif

/* The count that asks strncpy_s, strncat_s and _snprintf_s to truncate. */
#define _TRUNCATE ((size_t)-1)
/* What strncpy_s and strncat_s return when they truncated. */
#define STRUNCATE 80
/* _stricmp's answer to a NULL argument. */
#define _NLSCMPERROR INT_MAX
#ifndef _MAX_PATH
#define _MAX_PATH 260
#endif

#define IOCP_PRINTF_(format_index, first_arg) \
  __attribute__((__format__(__printf__, format_index, first_arg)))

/* --- internal helpers (not Windows names) --- */

/* The length of s, looking at no more than max characters. */
static inline size_t IocpCrtLength_(const char *s, size_t max) {
  size_t n = 0;
  while (n < max && s[n] != '\0') n++;
  return n;
}

/* A parameter error: empties the destination when there is one, sets errno
 * and returns the code. */
static inline errno_t IocpCrtFail_(char *dest, size_t size, errno_t code) {
  if (dest != NULL && size > 0) dest[0] = '\0';
  errno = code;
  return code;
}

/* --- case-insensitive compares, duplicates, case conversion --- */

static inline int _strnicmp(const char *a, const char *b, size_t count) {
  size_t i;
  if (a == NULL || b == NULL) {
    errno = EINVAL;
    return _NLSCMPERROR;
  }
  for (i = 0; i < count; i++) {
    int ca = tolower((unsigned char)a[i]);
    int cb = tolower((unsigned char)b[i]);
    if (ca != cb) return ca - cb;
    if (ca == '\0') break;
  }
  return 0;
}

static inline int _stricmp(const char *a, const char *b) {
  return _strnicmp(a, b, (size_t)-1);
}
#define _strcmpi _stricmp

/* The copy is malloc'ed: release it with free(). */
static inline char *_strdup(const char *s) {
  size_t size;
  char *copy;
  if (s == NULL) return NULL;
  size = strlen(s) + 1;
  copy = (char *)malloc(size);
  if (copy != NULL) memcpy(copy, s, size);
  return copy;
}

static inline char *_strlwr(char *s) {
  char *p;
  for (p = s; p != NULL && *p != '\0'; p++) *p = (char)tolower((unsigned char)*p);
  return s;
}

static inline char *_strupr(char *s) {
  char *p;
  for (p = s; p != NULL && *p != '\0'; p++) *p = (char)toupper((unsigned char)*p);
  return s;
}

/* --- bounds-checked copies --- */

static inline errno_t strcpy_s(char *dest, size_t size, const char *src) {
  size_t length;
  if (dest == NULL || size == 0) return IocpCrtFail_(NULL, 0, EINVAL);
  if (src == NULL) return IocpCrtFail_(dest, size, EINVAL);
  length = IocpCrtLength_(src, size);
  if (length == size) return IocpCrtFail_(dest, size, ERANGE);
  memcpy(dest, src, length + 1);
  return 0;
}

/* Copies up to count characters of src (all of it for _TRUNCATE). */
static inline errno_t strncpy_s(char *dest, size_t size, const char *src, size_t count) {
  size_t length;
  if (dest == NULL && size == 0 && count == 0) return 0;
  if (dest == NULL || size == 0) return IocpCrtFail_(NULL, 0, EINVAL);
  if (src == NULL) {
    if (count == 0) {
      dest[0] = '\0';
      return 0;
    }
    return IocpCrtFail_(dest, size, EINVAL);
  }
  length = IocpCrtLength_(src, count);
  if (length >= size) {
    if (count != _TRUNCATE) return IocpCrtFail_(dest, size, ERANGE);
    memcpy(dest, src, size - 1);
    dest[size - 1] = '\0';
    return STRUNCATE;
  }
  memcpy(dest, src, length);
  dest[length] = '\0';
  return 0;
}

/* Appends up to count characters of src (all of it for _TRUNCATE). */
static inline errno_t strncat_s(char *dest, size_t size, const char *src, size_t count) {
  size_t used;
  size_t length;
  if (dest == NULL || size == 0) return IocpCrtFail_(NULL, 0, EINVAL);
  if (src == NULL) {
    if (count == 0) return 0;
    return IocpCrtFail_(dest, size, EINVAL);
  }
  used = IocpCrtLength_(dest, size);
  if (used == size) return IocpCrtFail_(dest, size, EINVAL); /* dest not terminated */
  length = IocpCrtLength_(src, count);
  if (used + length >= size) {
    if (count != _TRUNCATE) return IocpCrtFail_(dest, size, ERANGE);
    memcpy(dest + used, src, size - 1 - used);
    dest[size - 1] = '\0';
    return STRUNCATE;
  }
  memcpy(dest + used, src, length);
  dest[used + length] = '\0';
  return 0;
}

static inline errno_t strcat_s(char *dest, size_t size, const char *src) {
  size_t used;
  size_t length;
  if (dest == NULL || size == 0) return IocpCrtFail_(NULL, 0, EINVAL);
  if (src == NULL) return IocpCrtFail_(dest, size, EINVAL);
  used = IocpCrtLength_(dest, size);
  if (used == size) return IocpCrtFail_(dest, size, EINVAL); /* dest not terminated */
  length = strlen(src);
  if (used + length >= size) return IocpCrtFail_(dest, size, ERANGE);
  memcpy(dest + used, src, length + 1);
  return 0;
}

/* On a NULL source or a destination too small, the destination is zeroed. */
static inline errno_t memcpy_s(void *dest, size_t size, const void *src, size_t count) {
  if (count == 0) return 0;
  if (dest == NULL) return IocpCrtFail_(NULL, 0, EINVAL);
  if (src == NULL || size < count) {
    memset(dest, 0, size);
    errno = src == NULL ? EINVAL : ERANGE;
    return errno;
  }
  memcpy(dest, src, count);
  return 0;
}

static inline errno_t memmove_s(void *dest, size_t size, const void *src, size_t count) {
  if (count == 0) return 0;
  if (dest == NULL || src == NULL) return IocpCrtFail_(NULL, 0, EINVAL);
  if (size < count) return IocpCrtFail_(NULL, 0, ERANGE);
  memmove(dest, src, count);
  return 0;
}

/* strtok with the position kept in *context (reentrant). */
static inline char *strtok_s(char *str, const char *delimiters, char **context) {
  char *token;
  if (delimiters == NULL || context == NULL || (str == NULL && *context == NULL)) {
    errno = EINVAL;
    return NULL;
  }
  if (str == NULL) str = *context;
  str += strspn(str, delimiters);
  if (*str == '\0') {
    *context = str;
    return NULL;
  }
  token = str;
  str += strcspn(str, delimiters);
  if (*str != '\0') *str++ = '\0';
  *context = str;
  return token;
}

static inline errno_t fopen_s(FILE **file, const char *name, const char *mode) {
  if (file == NULL) return IocpCrtFail_(NULL, 0, EINVAL);
  *file = NULL;
  if (name == NULL || mode == NULL) return IocpCrtFail_(NULL, 0, EINVAL);
  *file = fopen(name, mode);
  return *file != NULL ? 0 : errno;
}

/* --- formatted output --- */

/* The length the output would have, without the terminating NUL. */
static inline int _vscprintf(const char *format, va_list args) {
  if (format == NULL) {
    errno = EINVAL;
    return -1;
  }
  return vsnprintf(NULL, 0, format, args);
}

static inline IOCP_PRINTF_(1, 2) int _scprintf(const char *format, ...) {
  va_list args;
  int length;
  va_start(args, format);
  length = _vscprintf(format, args);
  va_end(args);
  return length;
}

/* Writes at most count characters and terminates only when the output fits
 * in fewer than count: returns the length, or -1 when it did not fit (a
 * length of exactly count is written whole, unterminated). NULL and 0 ask for
 * the length. */
static inline int _vsnprintf(char *buffer, size_t count, const char *format, va_list args) {
  va_list again;
  int length;
  char *whole;
  if (format == NULL || (buffer == NULL && count != 0)) {
    errno = EINVAL;
    return -1;
  }
  va_copy(again, args);
  length = vsnprintf(NULL, 0, format, again);
  va_end(again);
  if (length < 0) return -1;
  if (buffer == NULL) return length;
  if ((size_t)length < count) return vsnprintf(buffer, count, format, args);
  if (count == 0) return length == 0 ? 0 : -1;
  /* The first count characters, without a NUL after them. */
  whole = (char *)malloc((size_t)length + 1);
  if (whole == NULL) {
    errno = ENOMEM;
    return -1;
  }
  vsnprintf(whole, (size_t)length + 1, format, args);
  memcpy(buffer, whole, count);
  free(whole);
  return (size_t)length == count ? length : -1;
}

static inline IOCP_PRINTF_(3, 4) int _snprintf(char *buffer, size_t count, const char *format,
                                              ...) {
  va_list args;
  int length;
  va_start(args, format);
  length = _vsnprintf(buffer, count, format, args);
  va_end(args);
  return length;
}

/* The whole output must fit: otherwise the buffer is emptied, errno is ERANGE
 * and the result -1. */
static inline int vsprintf_s(char *buffer, size_t size, const char *format, va_list args) {
  int length;
  va_list again;
  if (buffer == NULL || size == 0 || format == NULL) {
    IocpCrtFail_(buffer, size, EINVAL);
    return -1;
  }
  va_copy(again, args);
  length = vsnprintf(NULL, 0, format, again);
  va_end(again);
  if (length < 0 || (size_t)length >= size) {
    IocpCrtFail_(buffer, size, ERANGE);
    return -1;
  }
  return vsnprintf(buffer, size, format, args);
}

static inline IOCP_PRINTF_(3, 4) int sprintf_s(char *buffer, size_t size, const char *format,
                                              ...) {
  va_list args;
  int length;
  va_start(args, format);
  length = vsprintf_s(buffer, size, format, args);
  va_end(args);
  return length;
}

/* Writes at most count characters (as many as fit for _TRUNCATE), always
 * terminated; returns the length, or -1 when the output was cut. A count that
 * does not fit in the buffer is an error (buffer emptied, ERANGE, -1), and so
 * is a count of 0 (EINVAL). */
static inline int _vsnprintf_s(char *buffer, size_t size, size_t count, const char *format,
                               va_list args) {
  int length;
  size_t limit;
  va_list again;
  if (buffer == NULL || size == 0 || format == NULL || count == 0) {
    IocpCrtFail_(buffer, size, EINVAL);
    return -1;
  }
  va_copy(again, args);
  length = vsnprintf(NULL, 0, format, again);
  va_end(again);
  if (length < 0) {
    IocpCrtFail_(buffer, size, EINVAL);
    return -1;
  }
  limit = count == _TRUNCATE ? size - 1 : count;
  if ((size_t)length <= limit) {
    if ((size_t)length >= size) {
      IocpCrtFail_(buffer, size, ERANGE);
      return -1;
    }
    return vsnprintf(buffer, size, format, args);
  }
  if (limit >= size) {
    IocpCrtFail_(buffer, size, ERANGE);
    return -1;
  }
  vsnprintf(buffer, limit + 1, format, args);
  return -1;
}
#define vsnprintf_s _vsnprintf_s

static inline IOCP_PRINTF_(4, 5) int _snprintf_s(char *buffer, size_t size, size_t count,
                                                const char *format, ...) {
  va_list args;
  int length;
  va_start(args, format);
  length = _vsnprintf_s(buffer, size, count, format, args);
  va_end(args);
  return length;
}

/* --- integers to text and back --- */

/* magnitude in radix, with a '-' first when negative. */
static inline errno_t IocpCrtToText_(unsigned long long magnitude, int negative, char *buffer,
                                     size_t size, int radix) {
  char digits[66];
  size_t n = 0;
  size_t i;
  if (buffer == NULL || size == 0) return IocpCrtFail_(NULL, 0, EINVAL);
  if (radix < 2 || radix > 36) return IocpCrtFail_(buffer, size, EINVAL);
  do {
    digits[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[magnitude % (unsigned)radix];
    magnitude /= (unsigned)radix;
  } while (magnitude != 0);
  if (negative) digits[n++] = '-';
  if (n >= size) return IocpCrtFail_(buffer, size, ERANGE);
  for (i = 0; i < n; i++) buffer[i] = digits[n - 1 - i];
  buffer[n] = '\0';
  return 0;
}

/* A negative value has a sign in radix 10 only; other radixes show the
 * two's-complement bits, as MSVC does. */
static inline errno_t _i64toa_s(long long value, char *buffer, size_t size, int radix) {
  int negative = radix == 10 && value < 0;
  unsigned long long magnitude =
      negative ? 0ull - (unsigned long long)value : (unsigned long long)value;
  return IocpCrtToText_(magnitude, negative, buffer, size, radix);
}

static inline errno_t _ui64toa_s(unsigned long long value, char *buffer, size_t size, int radix) {
  return IocpCrtToText_(value, 0, buffer, size, radix);
}

static inline errno_t _itoa_s(int value, char *buffer, size_t size, int radix) {
  if (radix == 10) return _i64toa_s(value, buffer, size, radix);
  return IocpCrtToText_((unsigned int)value, 0, buffer, size, radix);
}

static inline errno_t _ultoa_s(unsigned long value, char *buffer, size_t size, int radix) {
  return IocpCrtToText_(value, 0, buffer, size, radix);
}

/* The unchecked forms assume a buffer large enough (33 characters for int,
 * 65 for 64-bit values), as on Windows. */
static inline char *_itoa(int value, char *buffer, int radix) {
  _itoa_s(value, buffer, 33, radix);
  return buffer;
}

static inline char *_i64toa(long long value, char *buffer, int radix) {
  _i64toa_s(value, buffer, 66, radix);
  return buffer;
}

static inline char *_ui64toa(unsigned long long value, char *buffer, int radix) {
  _ui64toa_s(value, buffer, 66, radix);
  return buffer;
}

static inline long long _atoi64(const char *s) { return strtoll(s, NULL, 10); }

static inline long long _strtoi64(const char *s, char **end, int radix) {
  return strtoll(s, end, radix);
}

static inline unsigned long long _strtoui64(const char *s, char **end, int radix) {
  return strtoull(s, end, radix);
}

/* --- C++: MSVC's overloads that take the size from the array's type --- */

#ifdef __cplusplus
extern "C++" {
template <size_t IocpN>
static inline errno_t strcpy_s(char (&dest)[IocpN], const char *src) {
  return strcpy_s(dest, IocpN, src);
}
template <size_t IocpN>
static inline errno_t strncpy_s(char (&dest)[IocpN], const char *src, size_t count) {
  return strncpy_s(dest, IocpN, src, count);
}
template <size_t IocpN>
static inline errno_t strcat_s(char (&dest)[IocpN], const char *src) {
  return strcat_s(dest, IocpN, src);
}
template <size_t IocpN>
static inline errno_t strncat_s(char (&dest)[IocpN], const char *src, size_t count) {
  return strncat_s(dest, IocpN, src, count);
}
template <size_t IocpN>
static inline int vsprintf_s(char (&buffer)[IocpN], const char *format, va_list args) {
  return vsprintf_s(buffer, IocpN, format, args);
}
template <size_t IocpN>
static inline IOCP_PRINTF_(2, 3) int sprintf_s(char (&buffer)[IocpN], const char *format, ...) {
  va_list args;
  va_start(args, format);
  int length = vsprintf_s(buffer, IocpN, format, args);
  va_end(args);
  return length;
}
template <size_t IocpN>
static inline int _vsnprintf_s(char (&buffer)[IocpN], size_t count, const char *format,
                               va_list args) {
  return _vsnprintf_s(buffer, IocpN, count, format, args);
}
template <size_t IocpN>
static inline IOCP_PRINTF_(3, 4) int _snprintf_s(char (&buffer)[IocpN], size_t count,
                                                const char *format, ...) {
  va_list args;
  va_start(args, format);
  int length = _vsnprintf_s(buffer, IocpN, count, format, args);
  va_end(args);
  return length;
}
template <size_t IocpN>
static inline errno_t _itoa_s(int value, char (&buffer)[IocpN], int radix) {
  return _itoa_s(value, buffer, IocpN, radix);
}
template <size_t IocpN>
static inline errno_t _i64toa_s(long long value, char (&buffer)[IocpN], int radix) {
  return _i64toa_s(value, buffer, IocpN, radix);
}
template <size_t IocpN>
static inline errno_t _ui64toa_s(unsigned long long value, char (&buffer)[IocpN], int radix) {
  return _ui64toa_s(value, buffer, IocpN, radix);
}
}
#endif

#endif /* IOCP_CRT_H_ */
