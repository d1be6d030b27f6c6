/*
 * tchar.h - the generic-text mappings: programs written once for ANSI and
 * UNICODE builds use _TCHAR, _T("..."), _tmain, _tcslen, _tprintf, ...
 * Only the ANSI mapping exists here (UNICODE builds stop in basetsd.h, with
 * the reason), so every _t name is the char function: _tcslen is strlen,
 * _tmain is main, _T("x") is "x".
 *
 * Not mapped: _tWinMain (a GUI entry point; there is no WinMain start-up on
 * Linux) and the multibyte (_MBCS) variants, which on an ANSI build with a
 * UTF-8 locale behave as the single-byte ones.
 *
 * Part of the iocp project's Windows-compatible headers: the names are
 * Windows'; the text is this project's own.
 */
#ifndef IOCP_TCHAR_H_
#define IOCP_TCHAR_H_

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "basetsd.h"
#include "iocp_crt.h"

#ifndef _TCHAR_DEFINED
#define _TCHAR_DEFINED
typedef char _TCHAR;
typedef signed char _TSCHAR;
typedef unsigned char _TUCHAR;
typedef char _TXCHAR;
typedef int _TINT;
#endif

#define _TEOF EOF

/* Literals. */
#define __T(x) x
#define _T(x) __T(x)
#define _TEXT(x) __T(x)
#ifndef __TEXT
#define __TEXT(quote) quote
#endif
#ifndef TEXT
#define TEXT(quote) __TEXT(quote)
#endif

/* Entry points. */
#define _tmain main

/* Formatted I/O. */
#define _tprintf printf
#define _tprintf_s printf
#define _ftprintf fprintf
#define _ftprintf_s fprintf
#define _stprintf sprintf
#define _stprintf_s sprintf_s
#define _sntprintf _snprintf
#define _sntprintf_s _snprintf_s
#define _vtprintf vprintf
#define _vftprintf vfprintf
#define _vstprintf vsprintf
#define _vstprintf_s vsprintf_s
#define _vsntprintf _vsnprintf
#define _vsntprintf_s _vsnprintf_s
#define _sctprintf _scprintf
#define _vsctprintf _vscprintf
#define _tscanf scanf
#define _ftscanf fscanf
#define _stscanf sscanf

/* Character and line I/O. */
#define _fgettc fgetc
#define _fputtc fputc
#define _gettc getc
#define _puttc putc
#define _gettchar getchar
#define _puttchar putchar
#define _fgetts fgets
#define _fputts fputs
#define _putts puts
#define _ungettc ungetc

/* Files, environment, processes. */
#define _tfopen fopen
#define _tfopen_s fopen_s
#define _tfreopen freopen
#define _tremove remove
#define _trename rename
#define _tgetenv getenv
#define _tsystem system
#define _tperror perror
#define _ttmpnam tmpnam

/* Strings. */
#define _tcslen strlen
#define _tcsnlen IocpCrtLength_
#define _tcscpy strcpy
#define _tcscpy_s strcpy_s
#define _tcsncpy strncpy
#define _tcsncpy_s strncpy_s
#define _tcscat strcat
#define _tcscat_s strcat_s
#define _tcsncat strncat
#define _tcsncat_s strncat_s
#define _tcscmp strcmp
#define _tcsncmp strncmp
#define _tcsicmp _stricmp
#define _tcsnicmp _strnicmp
#define _tcscoll strcoll
#define _tcschr strchr
#define _tcsrchr strrchr
#define _tcsstr strstr
#define _tcsspn strspn
#define _tcscspn strcspn
#define _tcspbrk strpbrk
#define _tcstok strtok
#define _tcstok_s strtok_s
#define _tcsdup _strdup
#define _tcslwr _strlwr
#define _tcsupr _strupr
#define _tcsftime strftime
#define _tcserror strerror

/* Conversions. */
#define _tcstol strtol
#define _tcstoul strtoul
#define _tcstoi64 _strtoi64
#define _tcstoui64 _strtoui64
#define _tcstod strtod
#define _ttoi atoi
#define _ttol atol
#define _tstoi atoi
#define _tstol atol
#define _ttoi64 _atoi64
#define _tstoi64 _atoi64
#define _ttof atof
#define _itot _itoa
#define _itot_s _itoa_s
#define _i64tot _i64toa
#define _ui64tot _ui64toa

/* Character classes. */
#define _istalpha isalpha
#define _istupper isupper
#define _istlower islower
#define _istdigit isdigit
#define _istxdigit isxdigit
#define _istspace isspace
#define _istpunct ispunct
#define _istalnum isalnum
#define _istprint isprint
#define _istgraph isgraph
#define _istcntrl iscntrl
#define _totupper toupper
#define _totlower tolower

#endif /* IOCP_TCHAR_H_ */
