/*
 * strsafe.h - the safe string functions: StringCchCopyA / StringCbCopyA,
 * Cat, CatN, CopyN, Printf, VPrintf and Length, with their HRESULT results.
 * The Cch forms count characters, the Cb forms bytes (the same for char).
 *
 * As documented: the destination is always NUL-terminated unless its size is
 * invalid; when the result does not fit, it holds as much as fits and the
 * result is STRSAFE_E_INSUFFICIENT_BUFFER; a size of 0 or above
 * STRSAFE_MAX_CCH is STRSAFE_E_INVALID_PARAMETER and leaves the destination
 * alone. Where Windows would fault instead (a NULL destination, source or
 * format), these return STRSAFE_E_INVALID_PARAMETER, except that a NULL
 * source is read as "" (as the Ex functions' STRSAFE_IGNORE_NULLS does), so
 * nothing here ever crashes on a NULL pointer.
 *
 * The generic names (StringCchCopy, ...) are the A functions: only ANSI
 * builds exist (see basetsd.h). Everything is static inline, as on Windows,
 * where these functions are inline in the header too.
 *
 * Part of the iocp project's Windows-compatible headers: the names,
 * signatures and values are Windows'; the text is this project's own.
 */
#ifndef IOCP_STRSAFE_H_
#define IOCP_STRSAFE_H_

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "winnt.h"
#include "winerror.h"
#include "iocp_crt.h"

#define STRSAFEAPI static inline HRESULT

#define STRSAFE_MAX_CCH 2147483647
#define STRSAFE_MAX_LENGTH (STRSAFE_MAX_CCH - 1)

#define STRSAFE_E_INSUFFICIENT_BUFFER ((HRESULT)0x8007007Au)
#define STRSAFE_E_INVALID_PARAMETER ((HRESULT)0x80070057u)
#define STRSAFE_E_END_OF_FILE ((HRESULT)0x80070026u)

typedef char *STRSAFE_LPSTR;
typedef const char *STRSAFE_LPCSTR;
typedef const char *STRSAFE_PCNZCH;

/* --- the workers (IOCP_ names: not Windows'; one per operation, shared by
 * the Cch and Cb forms) --- */

static inline HRESULT IocpStrsafeCheckDest_(const char *dest, size_t cch) {
  if (dest == NULL || cch == 0 || cch > STRSAFE_MAX_CCH) return STRSAFE_E_INVALID_PARAMETER;
  return S_OK;
}

/* Copies up to max characters of src to dest at position used. */
static inline HRESULT IocpStrsafeCopyAt_(char *dest, size_t cch, size_t used, const char *src,
                                         size_t max) {
  size_t room = cch - 1 - used;
  size_t length = src == NULL ? 0 : IocpCrtLength_(src, max < room + 1 ? max : room + 1);
  HRESULT result = S_OK;
  if (length > room) {
    length = room;
    result = STRSAFE_E_INSUFFICIENT_BUFFER;
  }
  if (length > 0) memcpy(dest + used, src, length);
  dest[used + length] = '\0';
  return result;
}

static inline HRESULT IocpStrsafeCopy_(char *dest, size_t cch, const char *src, size_t max) {
  HRESULT result = IocpStrsafeCheckDest_(dest, cch);
  if (FAILED(result)) return result;
  if (max > STRSAFE_MAX_CCH) {
    dest[0] = '\0';
    return STRSAFE_E_INVALID_PARAMETER;
  }
  return IocpStrsafeCopyAt_(dest, cch, 0, src, max);
}

static inline HRESULT IocpStrsafeCat_(char *dest, size_t cch, const char *src, size_t max) {
  size_t used;
  HRESULT result = IocpStrsafeCheckDest_(dest, cch);
  if (FAILED(result)) return result;
  used = IocpCrtLength_(dest, cch);
  if (used == cch || max > STRSAFE_MAX_CCH) return STRSAFE_E_INVALID_PARAMETER;
  return IocpStrsafeCopyAt_(dest, cch, used, src, max);
}

static inline HRESULT IocpStrsafeVPrintf_(char *dest, size_t cch, const char *format,
                                          va_list args) {
  int length;
  HRESULT result = IocpStrsafeCheckDest_(dest, cch);
  if (FAILED(result)) return result;
  if (format == NULL) {
    dest[0] = '\0';
    return STRSAFE_E_INVALID_PARAMETER;
  }
  length = vsnprintf(dest, cch, format, args);
  if (length < 0) {
    dest[0] = '\0';
    return STRSAFE_E_INVALID_PARAMETER;
  }
  return (size_t)length < cch ? S_OK : STRSAFE_E_INSUFFICIENT_BUFFER;
}

static inline HRESULT IocpStrsafeLength_(const char *s, size_t cch_max, size_t *length) {
  size_t n;
  if (s == NULL || cch_max == 0 || cch_max > STRSAFE_MAX_CCH) {
    if (length != NULL) *length = 0;
    return STRSAFE_E_INVALID_PARAMETER;
  }
  n = IocpCrtLength_(s, cch_max);
  if (n == cch_max) {
    if (length != NULL) *length = 0;
    return STRSAFE_E_INVALID_PARAMETER;
  }
  if (length != NULL) *length = n;
  return S_OK;
}

/* --- the character-count functions --- */

STRSAFEAPI StringCchCopyA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc) {
  return IocpStrsafeCopy_(pszDest, cchDest, pszSrc, STRSAFE_MAX_CCH);
}

STRSAFEAPI StringCchCopyNA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc,
                           size_t cchToCopy) {
  return IocpStrsafeCopy_(pszDest, cchDest, pszSrc, cchToCopy);
}

STRSAFEAPI StringCchCatA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszSrc) {
  return IocpStrsafeCat_(pszDest, cchDest, pszSrc, STRSAFE_MAX_CCH);
}

STRSAFEAPI StringCchCatNA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc,
                          size_t cchToAppend) {
  return IocpStrsafeCat_(pszDest, cchDest, pszSrc, cchToAppend);
}

STRSAFEAPI StringCchVPrintfA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszFormat,
                             va_list argList) {
  return IocpStrsafeVPrintf_(pszDest, cchDest, pszFormat, argList);
}

static inline IOCP_PRINTF_(3, 4) HRESULT
    StringCchPrintfA(STRSAFE_LPSTR pszDest, size_t cchDest, STRSAFE_LPCSTR pszFormat, ...) {
  HRESULT result;
  va_list args;
  va_start(args, pszFormat);
  result = IocpStrsafeVPrintf_(pszDest, cchDest, pszFormat, args);
  va_end(args);
  return result;
}

STRSAFEAPI StringCchLengthA(STRSAFE_LPCSTR psz, size_t cchMax, size_t *pcchLength) {
  return IocpStrsafeLength_(psz, cchMax, pcchLength);
}

/* --- the byte-count functions (a char is a byte) --- */

STRSAFEAPI StringCbCopyA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc) {
  return IocpStrsafeCopy_(pszDest, cbDest, pszSrc, STRSAFE_MAX_CCH);
}

STRSAFEAPI StringCbCopyNA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc,
                          size_t cbToCopy) {
  return IocpStrsafeCopy_(pszDest, cbDest, pszSrc, cbToCopy);
}

STRSAFEAPI StringCbCatA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszSrc) {
  return IocpStrsafeCat_(pszDest, cbDest, pszSrc, STRSAFE_MAX_CCH);
}

STRSAFEAPI StringCbCatNA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc,
                         size_t cbToAppend) {
  return IocpStrsafeCat_(pszDest, cbDest, pszSrc, cbToAppend);
}

STRSAFEAPI StringCbVPrintfA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszFormat,
                            va_list argList) {
  return IocpStrsafeVPrintf_(pszDest, cbDest, pszFormat, argList);
}

static inline IOCP_PRINTF_(3, 4) HRESULT
    StringCbPrintfA(STRSAFE_LPSTR pszDest, size_t cbDest, STRSAFE_LPCSTR pszFormat, ...) {
  HRESULT result;
  va_list args;
  va_start(args, pszFormat);
  result = IocpStrsafeVPrintf_(pszDest, cbDest, pszFormat, args);
  va_end(args);
  return result;
}

STRSAFEAPI StringCbLengthA(STRSAFE_LPCSTR psz, size_t cbMax, size_t *pcbLength) {
  return IocpStrsafeLength_(psz, cbMax, pcbLength);
}

/* --- the generic names (ANSI only) --- */

#define StringCchCopy StringCchCopyA
#define StringCchCopyN StringCchCopyNA
#define StringCchCat StringCchCatA
#define StringCchCatN StringCchCatNA
#define StringCchPrintf StringCchPrintfA
#define StringCchVPrintf StringCchVPrintfA
#define StringCchLength StringCchLengthA
#define StringCbCopy StringCbCopyA
#define StringCbCopyN StringCbCopyNA
#define StringCbCat StringCbCatA
#define StringCbCatN StringCbCatNA
#define StringCbPrintf StringCbPrintfA
#define StringCbVPrintf StringCbVPrintfA
#define StringCbLength StringCbLengthA

#endif /* IOCP_STRSAFE_H_ */
