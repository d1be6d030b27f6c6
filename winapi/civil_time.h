// FILETIME (100-nanosecond ticks since 1601-01-01 00:00 UTC) to and from the
// calendar fields of a SYSTEMTIME, in the proleptic Gregorian calendar.
// 1601 starts a 400-year cycle, which keeps the arithmetic simple.
#ifndef IOCP_WINAPI_CIVIL_TIME_H_
#define IOCP_WINAPI_CIVIL_TIME_H_

#include <stdint.h>

namespace winapi {

struct CivilTime {
  uint32_t year = 1601;  // 1601..30827
  uint32_t month = 1;    // 1..12
  uint32_t day = 1;      // 1..31
  uint32_t hour = 0;
  uint32_t minute = 0;
  uint32_t second = 0;
  uint32_t millisecond = 0;
  uint32_t day_of_week = 1;  // 0 = Sunday; 1601-01-01 was a Monday
};

inline constexpr uint64_t kTicksPerSecond = 10'000'000;
inline constexpr uint64_t kTicksPerDay = kTicksPerSecond * 86'400;
// Seconds from 1601-01-01 to 1970-01-01.
inline constexpr int64_t kUnixEpochSeconds = 11'644'473'600;

inline uint64_t FileTimeFromUnix(int64_t seconds, long nanoseconds) {
  return static_cast<uint64_t>(seconds + kUnixEpochSeconds) * kTicksPerSecond +
         static_cast<uint64_t>(nanoseconds) / 100;
}

CivilTime CivilFromFileTime(uint64_t ticks);

// False if a field is out of range (month 13, February 30, hour 24, ...).
bool FileTimeFromCivil(const CivilTime& civil, uint64_t* ticks);

}  // namespace winapi

#endif  // IOCP_WINAPI_CIVIL_TIME_H_
