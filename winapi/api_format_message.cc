// FormatMessageA: a message from the system table (error_messages.cc) or
// from the caller's string, with its inserts (%1..%99, each with an optional
// !printf-format!), escapes (%n, %0, %%, ...) and line-width rules expanded,
// into the caller's buffer or a LocalAlloc'd one.
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <windows.h>

#include <string>
#include <vector>

#include "winapi/api_util.h"
#include "winapi/error_messages.h"

using winapi::Fail;

namespace {

// One parsed insert: %N or %N!format!.
struct Insert {
  uint32_t number = 0;       // 1..99
  std::string format = "s";  // between the exclamation marks
  size_t stars = 0;          // '*' widths and precisions taken from arguments
  size_t length = 0;         // characters of source text it spans
};

// Parses the insert at text[0] == '%' followed by a digit 1-9. Returns false
// for a malformed one (an unterminated !format!).
bool ParseInsert(const char* text, Insert* insert) {
  size_t at = 1;
  uint32_t number = static_cast<uint32_t>(text[at++] - '0');
  if (text[at] >= '0' && text[at] <= '9')
    number = number * 10 + static_cast<uint32_t>(text[at++] - '0');
  insert->number = number;
  if (text[at] == '!') {
    const char* end = strchr(text + at + 1, '!');
    if (end == nullptr) return false;
    insert->format.assign(text + at + 1, end);
    if (insert->format.empty()) return false;
    at = static_cast<size_t>(end - text) + 1;
  }
  for (char c : insert->format) insert->stars += c == '*' ? 1 : 0;
  insert->length = at;
  return true;
}

// The UTF-8 form of a NUL-terminated UTF-16 string.
std::string FromWide(const WCHAR* text) {
  std::string out;
  for (; *text != 0; ++text) {
    uint32_t unit = *text;
    if (unit >= 0xD800 && unit < 0xDC00 && text[1] >= 0xDC00 && text[1] < 0xE000) {
      unit = 0x10000 + ((unit - 0xD800) << 10) + (text[1] - 0xDC00);
      ++text;
    }
    if (unit < 0x80) {
      out += static_cast<char>(unit);
    } else if (unit < 0x800) {
      out += static_cast<char>(0xC0 | (unit >> 6));
      out += static_cast<char>(0x80 | (unit & 0x3F));
    } else if (unit < 0x10000) {
      out += static_cast<char>(0xE0 | (unit >> 12));
      out += static_cast<char>(0x80 | ((unit >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (unit & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (unit >> 18));
      out += static_cast<char>(0x80 | ((unit >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((unit >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (unit & 0x3F));
    }
  }
  return out;
}

// Formats one insert with its arguments (arguments[first...]) in Windows'
// printf dialect: h/l/I32 mean 32 bits, I64/ll/I mean 64, ls/ws/S are UTF-16
// strings; floating point is not supported, as on Windows.
bool FormatInsert(const Insert& insert, const std::vector<uintptr_t>& arguments, size_t first,
                  std::string* out) {
  const std::string& spec = insert.format;
  std::string c_format = "%";
  size_t at = 0;
  size_t next = first;
  int star_values[2] = {0, 0};
  int stars_used = 0;
  // Flags, width, precision.
  while (at < spec.size() && strchr("-+ #0", spec[at]) != nullptr) c_format += spec[at++];
  while (at < spec.size() &&
         (isdigit(static_cast<unsigned char>(spec[at])) || spec[at] == '.' || spec[at] == '*')) {
    if (spec[at] == '*') {
      if (stars_used == 2) return false;
      star_values[stars_used++] = static_cast<int>(arguments[next++]);
    }
    c_format += spec[at++];
  }
  // Length prefix.
  bool wide = false;
  bool is64 = false;
  if (spec.compare(at, 3, "I64") == 0) {
    is64 = true;
    at += 3;
  } else if (spec.compare(at, 3, "I32") == 0) {
    at += 3;
  } else if (spec.compare(at, 2, "ll") == 0) {
    is64 = true;
    at += 2;
  } else if (at < spec.size() && spec[at] == 'I') {
    is64 = true;
    ++at;
  } else if (at < spec.size() && (spec[at] == 'l' || spec[at] == 'w')) {
    wide = true;  // for s and c; a 32-bit integer otherwise (LONG)
    ++at;
  } else if (at < spec.size() && spec[at] == 'h') {
    ++at;
  }
  if (at + 1 != spec.size()) return false;
  const char conversion = spec[at];
  const uintptr_t value = arguments[next];
  auto emit = [&](auto argument) {
    int written;
    if (stars_used == 2) {
      written = snprintf(nullptr, 0, c_format.c_str(), star_values[0], star_values[1], argument);
    } else if (stars_used == 1) {
      written = snprintf(nullptr, 0, c_format.c_str(), star_values[0], argument);
    } else {
      written = snprintf(nullptr, 0, c_format.c_str(), argument);
    }
    if (written < 0) return false;
    std::string text(static_cast<size_t>(written) + 1, '\0');
    if (stars_used == 2) {
      snprintf(&text[0], text.size(), c_format.c_str(), star_values[0], star_values[1], argument);
    } else if (stars_used == 1) {
      snprintf(&text[0], text.size(), c_format.c_str(), star_values[0], argument);
    } else {
      snprintf(&text[0], text.size(), c_format.c_str(), argument);
    }
    text.resize(static_cast<size_t>(written));
    *out += text;
    return true;
  };
  switch (conversion) {
    case 'd':
    case 'i':
      c_format += is64 ? "lld" : "d";
      return is64 ? emit(static_cast<long long>(value)) : emit(static_cast<int>(value));
    case 'u':
    case 'x':
    case 'X':
    case 'o':
      c_format += is64 ? "ll" : "";
      c_format += conversion;
      return is64 ? emit(static_cast<unsigned long long>(value))
                  : emit(static_cast<unsigned int>(value));
    case 'c':
    case 'C':
      c_format += "c";
      return emit(static_cast<int>(static_cast<unsigned char>(value)));
    case 'p':
      // Windows prints pointers as 16 upper-case hex digits.
      *out += [&] {
        char text[32];
        snprintf(text, sizeof(text), "%016llX", static_cast<unsigned long long>(value));
        return std::string(text);
      }();
      return true;
    case 's':
    case 'S': {
      c_format += "s";
      if (value == 0) return emit("(null)");
      if (wide || conversion == 'S') {
        const std::string converted = FromWide(reinterpret_cast<const WCHAR*>(value));
        return emit(converted.c_str());
      }
      return emit(reinterpret_cast<const char*>(value));
    }
    default:
      return false;  // e, f, g, n, ...: not supported
  }
}

// The number of argument slots the text's inserts use (the highest insert
// number plus its '*' arguments); -1 if an insert is malformed.
long ArgumentsNeeded(const char* text) {
  long needed = 0;
  for (const char* at = text; *at != '\0'; ++at) {
    if (at[0] != '%') continue;
    if (at[1] >= '1' && at[1] <= '9') {
      Insert insert;
      if (!ParseInsert(at, &insert)) return -1;
      const long last = static_cast<long>(insert.number + insert.stars);
      if (last > needed) needed = last;
      at += insert.length - 1;
    } else if (at[1] != '\0') {
      ++at;  // an escape: skip its character
    }
  }
  return needed;
}

// Breaks lines longer than `width` at their last space (or hard, when a
// word is longer than the width).
std::string Wrap(const std::string& text, size_t width) {
  std::string out;
  size_t line_start = 0;  // in `out`
  for (char c : text) {
    out += c;
    if (c == '\n') {
      line_start = out.size();
      continue;
    }
    if (out.size() - line_start > width) {
      size_t space = out.rfind(' ', out.size() - 1);
      if (space != std::string::npos && space >= line_start) {
        out.replace(space, 1, "\r\n");
        line_start = space + 2;
      } else {
        out.insert(out.size() - 1, "\r\n");
        line_start = out.size() - 1;
      }
    }
  }
  return out;
}

}  // namespace

extern "C" {

DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
                            LPSTR lpBuffer, DWORD nSize, va_list* Arguments) {
  const DWORD width = dwFlags & FORMAT_MESSAGE_MAX_WIDTH_MASK;
  const bool from_string = (dwFlags & FORMAT_MESSAGE_FROM_STRING) != 0;
  const bool from_system = (dwFlags & FORMAT_MESSAGE_FROM_SYSTEM) != 0;
  const bool from_module = (dwFlags & FORMAT_MESSAGE_FROM_HMODULE) != 0;
  const bool allocate = (dwFlags & FORMAT_MESSAGE_ALLOCATE_BUFFER) != 0;
  const bool ignore_inserts = (dwFlags & FORMAT_MESSAGE_IGNORE_INSERTS) != 0;
  if (lpBuffer == nullptr) return Fail(ERROR_INVALID_PARAMETER);
  if (allocate) *reinterpret_cast<char**>(lpBuffer) = nullptr;
  if (from_string && (from_system || from_module)) return Fail(ERROR_INVALID_PARAMETER);

  const char* source = nullptr;
  if (from_string) {
    source = static_cast<const char*>(lpSource);
    if (source == nullptr) return Fail(ERROR_INVALID_PARAMETER);
  } else if (from_system || from_module) {
    // The only message table here is the system's, in English.
    const DWORD primary = PRIMARYLANGID(dwLanguageId);
    if (dwLanguageId != 0 && primary != LANG_NEUTRAL && primary != LANG_ENGLISH) {
      return Fail(ERROR_RESOURCE_LANG_NOT_FOUND);
    }
    if (from_system) source = winapi::SystemMessage(dwMessageId);
    if (source == nullptr) return Fail(ERROR_MR_MID_NOT_FOUND);
  } else {
    return Fail(ERROR_INVALID_PARAMETER);
  }

  // The arguments, as pointer-sized values (what x64 passes every integer
  // and pointer as).
  std::vector<uintptr_t> arguments;
  if (!ignore_inserts) {
    const long needed = ArgumentsNeeded(source);
    if (needed < 0) return Fail(ERROR_INVALID_PARAMETER);
    if (needed > 0) {
      if (Arguments == nullptr) return Fail(ERROR_INVALID_PARAMETER);
      arguments.resize(static_cast<size_t>(needed));
      if ((dwFlags & FORMAT_MESSAGE_ARGUMENT_ARRAY) != 0) {
        const auto* array = reinterpret_cast<const DWORD_PTR*>(Arguments);
        for (size_t i = 0; i < arguments.size(); ++i) arguments[i] = array[i];
      } else {
        va_list copy;
        va_copy(copy, *Arguments);
        for (size_t i = 0; i < arguments.size(); ++i) arguments[i] = va_arg(copy, uintptr_t);
        va_end(copy);
      }
    }
  }

  std::string out;
  for (const char* at = source; *at != '\0'; ++at) {
    const char c = *at;
    if (c == '\r' || c == '\n') {
      // A line break in the message text: kept, or a space when a width is
      // given (0xFF: no breaks at all; other widths wrap below).
      if (c == '\r' && at[1] == '\n') ++at;
      out += width == 0 ? (c == '\r' ? "\r\n" : "\n") : " ";
      continue;
    }
    if (c != '%') {
      out += c;
      continue;
    }
    const char next = at[1];
    if (next >= '1' && next <= '9') {
      Insert insert;
      if (!ParseInsert(at, &insert)) return Fail(ERROR_INVALID_PARAMETER);
      if (ignore_inserts) {
        out.append(at, insert.length);
      } else if (!FormatInsert(insert, arguments, insert.number - 1, &out)) {
        return Fail(ERROR_INVALID_PARAMETER);
      }
      at += insert.length - 1;
      continue;
    }
    if (next == '\0') break;
    ++at;
    if (next == '0') break;  // end of the message, without a line break
    switch (next) {
      case 'n':
        out += "\r\n";
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      default:
        out += next;
        break;  // %%, "% ", %., %! and any other
    }
  }
  if (width != 0 && width != FORMAT_MESSAGE_MAX_WIDTH_MASK) out = Wrap(out, width);

  const DWORD length = static_cast<DWORD>(out.size());
  if (allocate) {
    const SIZE_T bytes = out.size() + 1 > nSize ? out.size() + 1 : nSize;
    char* buffer = static_cast<char*>(LocalAlloc(LMEM_FIXED, bytes));
    if (buffer == nullptr) return Fail(ERROR_NOT_ENOUGH_MEMORY);
    memcpy(buffer, out.c_str(), out.size() + 1);
    *reinterpret_cast<char**>(lpBuffer) = buffer;
  } else {
    if (out.size() + 1 > nSize) return Fail(ERROR_INSUFFICIENT_BUFFER);
    memcpy(lpBuffer, out.c_str(), out.size() + 1);
  }
  return length;
}

}  // extern "C"
