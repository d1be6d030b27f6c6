#include "winapi/civil_time.h"

namespace winapi {
namespace {

constexpr uint32_t kDaysPer400Years = 146'097;
constexpr uint32_t kDaysPer100Years = 36'524;
constexpr uint32_t kDaysPer4Years = 1'461;
constexpr uint32_t kDaysPerYear = 365;

bool IsLeap(uint32_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

uint32_t DaysInMonth(uint32_t year, uint32_t month) {
  static constexpr uint8_t kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return kDays[month - 1] + (month == 2 && IsLeap(year) ? 1 : 0);
}

}  // namespace

CivilTime CivilFromFileTime(uint64_t ticks) {
  CivilTime civil;
  uint64_t days = ticks / kTicksPerDay;
  uint64_t rest = ticks % kTicksPerDay;
  civil.millisecond = static_cast<uint32_t>(rest / 10'000 % 1000);
  rest /= kTicksPerSecond;
  civil.second = static_cast<uint32_t>(rest % 60);
  civil.minute = static_cast<uint32_t>(rest / 60 % 60);
  civil.hour = static_cast<uint32_t>(rest / 3600);
  civil.day_of_week = static_cast<uint32_t>((days + 1) % 7);

  uint64_t year = 1601 + days / kDaysPer400Years * 400;
  days %= kDaysPer400Years;
  // The last day of a 400-year cycle is the 366th day of its last year, so
  // the century and 4-year counts are capped.
  uint64_t centuries = days / kDaysPer100Years;
  if (centuries == 4) centuries = 3;
  days -= centuries * kDaysPer100Years;
  uint64_t quads = days / kDaysPer4Years;
  days -= quads * kDaysPer4Years;
  uint64_t years = days / kDaysPerYear;
  if (years == 4) years = 3;
  days -= years * kDaysPerYear;
  year += centuries * 100 + quads * 4 + years;
  civil.year = static_cast<uint32_t>(year);

  uint32_t month = 1;
  while (days >= DaysInMonth(civil.year, month)) {
    days -= DaysInMonth(civil.year, month);
    ++month;
  }
  civil.month = month;
  civil.day = static_cast<uint32_t>(days) + 1;
  return civil;
}

bool FileTimeFromCivil(const CivilTime& civil, uint64_t* ticks) {
  if (civil.year < 1601 || civil.year > 30827) return false;
  if (civil.month < 1 || civil.month > 12) return false;
  if (civil.day < 1 || civil.day > DaysInMonth(civil.year, civil.month)) return false;
  if (civil.hour > 23 || civil.minute > 59 || civil.second > 59 || civil.millisecond > 999) {
    return false;
  }
  const uint64_t years = civil.year - 1601;
  uint64_t days = years * kDaysPerYear + years / 4 - years / 100 + years / 400;
  for (uint32_t month = 1; month < civil.month; ++month) days += DaysInMonth(civil.year, month);
  days += civil.day - 1;
  const uint64_t seconds = ((days * 24 + civil.hour) * 60 + civil.minute) * 60 + civil.second;
  *ticks = seconds * kTicksPerSecond + uint64_t{civil.millisecond} * 10'000;
  return true;
}

}  // namespace winapi
