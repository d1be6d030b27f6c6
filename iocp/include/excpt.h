/*
 * excpt.h - structured exception handling (SEH): __try, __except, __finally
 * and __leave.
 *
 * SEH is a Windows compiler and kernel feature: a hardware fault (an access
 * violation, a division by zero) unwinds to an __except block, and
 * __finally runs on every way out of a block, including faults. Linux
 * compilers have no such statements and Linux delivers faults as signals,
 * which cannot be turned into this control flow safely. So a program that
 * uses them does not compile: each keyword expands to an error whose
 * message names the problem at the line that uses it. (Emulating only
 * part of it, e.g. __finally for normal exits, would make programs compile
 * and then behave differently on the paths that matter.)
 *
 * In C++, __try is left to the C++ library (libstdc++ defines it as `try`,
 * and this header defines it the same way when nothing else has) and
 * __except is a function-like macro (libstdc++ uses the name for a
 * parameter, which a function-like macro leaves alone); the message then
 * comes from __except or __finally.
 *
 * The filter results are Windows' values, so that a filter expression does
 * not add errors of its own.
 *
 * Part of the iocp project's Windows-compatible headers: the names and
 * values are Windows'; the text is this project's own.
 */
#ifndef IOCP_EXCPT_H_
#define IOCP_EXCPT_H_

#define EXCEPTION_EXECUTE_HANDLER 1
#define EXCEPTION_CONTINUE_SEARCH 0
#define EXCEPTION_CONTINUE_EXECUTION (-1)

/* _Pragma("GCC error") stops the compilation at the keyword, with this
 * message, in every C and C++ mode of gcc and clang (a static assertion would
 * lose its message in C99, where glibc emulates _Static_assert). */
/* (One string: _Pragma takes a single literal.) */
/* clang-format off */
#define IOCP_SEH_UNSUPPORTED_ _Pragma("GCC error \"iocp: structured exception handling (__try/__except/__finally/__leave) does not exist on Linux and cannot be emulated: replace __try/__finally with explicit clean-up on every exit (in C++ a destructor or scope guard) and __except with checks before the operation that could fault; see SEH in docs/PORTING.md\"") do { } while (0)
/* clang-format on */

#ifdef __cplusplus
#ifndef __try
#define __try try
#endif
#define __except(filter)   \
  catch (...) {            \
    IOCP_SEH_UNSUPPORTED_; \
  }                        \
  if (false)
#define __finally          \
  catch (...) {            \
    IOCP_SEH_UNSUPPORTED_; \
  }                        \
  if (true)
#else
#define __try IOCP_SEH_UNSUPPORTED_;
#define __except(filter) \
  IOCP_SEH_UNSUPPORTED_; \
  if (0)
#define __finally IOCP_SEH_UNSUPPORTED_;
#endif
#define __leave IOCP_SEH_UNSUPPORTED_

#endif /* IOCP_EXCPT_H_ */
