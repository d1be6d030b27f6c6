// The fuzzers' view of their input: a program of bytes read front to back.
// Past the end every read gives 0, so any input, even empty, is a complete
// program.
#ifndef IOCP_FUZZ_FUZZ_INPUT_H_
#define IOCP_FUZZ_FUZZ_INPUT_H_

#include <stddef.h>
#include <stdint.h>

#include <string>

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool empty() const { return position_ >= size_; }
  size_t left() const { return size_ - position_; }

  uint8_t Byte() { return empty() ? 0 : data_[position_++]; }
  // A value below n (0 when n is 0), from one byte.
  uint32_t Below(uint32_t n) { return n == 0 ? 0 : Byte() % n; }
  // Big-endian, from 4 and 8 bytes.
  uint32_t Word() {
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) value = value << 8 | Byte();
    return value;
  }
  uint64_t U64() {
    uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = (value << 8) | Byte();
    return value;
  }
  // Up to `max` bytes, ending at (and consuming) a 0 byte.
  std::string String(size_t max) {
    std::string text;
    while (!empty() && text.size() < max) {
      const uint8_t c = data_[position_++];
      if (c == 0) break;
      text.push_back(static_cast<char>(c));
    }
    return text;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t position_ = 0;
};

#endif  // IOCP_FUZZ_FUZZ_INPUT_H_
