// Compiled by headers_compile_test.sh in every C++ mode with g++ and clang++,
// -Wall -Wextra -Werror -pedantic: the CRT extras' array overloads, min/max
// next to the C++ standard library (the GNU library #undefs min/max macros
// and calls std::max unparenthesised, so windows.h gives C++ templates), the
// compiler keywords and SAL. With -DNOMINMAX the names must not exist.

#include <windows.h>
#include <tchar.h>
#include <strsafe.h>

#include <algorithm>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

struct __declspec(novtable) Base {
  virtual ~Base() {}
  virtual int Value() const = 0;
};

struct Derived : Base {
  int Value() const override { return 7; }
};

static __declspec(thread) int per_thread = 0;

#ifdef NOMINMAX
// The program's own min/max, as a NOMINMAX program may have.
static int max(int a, int b) { return a > b ? a : b; }
static int min(int a, int b) { return a < b ? a : b; }
#endif

static __forceinline int Sum(_In_reads_(count) const int *values, _In_ size_t count) {
  int sum = 0;
  for (size_t i = 0; i < count; i++) sum += values[i];
  return sum;
}

int _tmain(int argc, _TCHAR *argv[]) {
  UNREFERENCED_PARAMETER(argv);
  char buffer[32];
  char small[4];
  std::vector<int> values = {3, 1, 2};
  int biggest = std::max(values[0], values[1]);
  int smallest = (std::min)(values[1], values[2]);
  biggest = max(biggest, argc);
  smallest = min(smallest, argc);
  static_assert(std::numeric_limits<int>::max() == 2147483647, "numeric_limits");
#ifndef NOMINMAX
  static_assert(max(2, 3LL) == 3LL, "mixed types");
  static_assert(min(2.5, 1) == 1.0, "mixed types");
  {
    using namespace std;
    biggest = max(biggest, 4);  // std::max is more specialised: no ambiguity
    biggest = max(std::string("a"), std::string("b")) == "b" ? biggest : 0;
  }
#endif
  if (strcpy_s(buffer, "template") != 0) return 1;
  if (strcat_s(buffer, " overloads") != 0) return 1;
  if (strncpy_s(small, "abcdef", _TRUNCATE) != STRUNCATE) return 1;
  if (sprintf_s(buffer, "%d-%d", biggest, smallest) < 3) return 1;
  if (_snprintf_s(buffer, _TRUNCATE, "%s", "x") != 1) return 1;
  if (_itoa_s(255, buffer, 16) != 0) return 1;
  if (StringCchCopy(buffer, _countof(buffer), TEXT("safe")) != S_OK) return 1;
  per_thread = Sum(values.data(), values.size());
  Derived derived;
  const Base &base = derived;
  std::cout << buffer << small << base.Value() << per_thread << std::endl;
  return 0;
}
