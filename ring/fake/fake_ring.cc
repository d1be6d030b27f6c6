#include "ring/fake/fake_ring.h"

#include <errno.h>

#include <mutex>

#include "ring/fake/check.h"
#include "ring/fake/world.h"

namespace ring {
namespace {

constexpr uint32_t kMaxEntries = 32768;  // IORING_MAX_ENTRIES

uint32_t RoundUpPowerOfTwo(uint32_t value) {
  uint32_t power = 1;
  while (power < value) power <<= 1;
  return power;
}

}  // namespace

FakeRing::FakeRing(FakeKernel& kernel, const RingOptions& options)
    : kernel_(kernel), state_(std::make_unique<fake_internal::RingState>()) {
  uint32_t entries = options.entries == 0 ? 1 : options.entries;
  if (entries > kMaxEntries) entries = kMaxEntries;
  entries = RoundUpPowerOfTwo(entries);
  for (bool& supported : capabilities_.supported) supported = true;
  capabilities_.nodrop = true;
  capabilities_.ext_arg = true;
  capabilities_.single_mmap = true;
  capabilities_.sq_entries = entries;
  capabilities_.cq_entries = 2 * entries;
  state_->sq_entries = entries;
  state_->cq_entries = 2 * entries;
  const uint32_t cap = kernel_.options().cq_entries_cap;
  if (cap != 0 && cap < state_->cq_entries) state_->cq_entries = cap;
  prepared_.reserve(entries);  // Prepare never allocates
  fake_internal::World& world = *kernel_.world_;
  std::lock_guard<std::mutex> lock(world.mu);
  world.NoteThread();
  world.AttachRing(state_.get());
}

FakeRing::~FakeRing() {
  fake_internal::World& world = *kernel_.world_;
  std::lock_guard<std::mutex> lock(world.mu);
  world.DetachRing(state_.get());
  world.Progress();
  world.Changed();
}

int FakeRing::Prepare(const Request& request) {
  if (request.op >= Op::kCount || request.user_data >= kReservedUserDataMin) return -EINVAL;
  if (Prepared() >= capabilities_.sq_entries) return -EBUSY;
  prepared_.push_back(request);
  if (request.fixed_file) {
    Request& resolved = prepared_.back();
    const bool valid =
        files_ != nullptr && request.fd >= 0 && static_cast<unsigned>(request.fd) < file_slots_;
    resolved.fd = valid ? files_[request.fd].load(std::memory_order_acquire) : -1;  // -1: EBADF
    resolved.fixed_file = false;
  }
  return 0;
}

int FakeRing::RegisterFileTable(unsigned slots) {
  if (slots == 0 || files_ != nullptr) return -EINVAL;
  files_.reset(new std::atomic<int>[slots]);
  for (unsigned i = 0; i < slots; ++i) files_[i].store(-1, std::memory_order_relaxed);
  file_slots_ = slots;
  return 0;
}

int FakeRing::SetFile(unsigned slot, int fd) {
  if (files_ == nullptr) return -ENXIO;
  if (slot >= file_slots_) return -EINVAL;
  files_[slot].store(fd, std::memory_order_release);
  return 0;
}

unsigned FakeRing::SubmitAll() {
  fake_internal::World& world = *kernel_.world_;
  unsigned submitted =
      world.SubmitPublished(state_.get(), static_cast<unsigned>(state_->published.size()));
  for (const Request& request : prepared_) world.Submit(state_.get(), request);
  submitted += static_cast<unsigned>(prepared_.size());
  prepared_.clear();
  return submitted;
}

int FakeRing::Submit() {
  fake_internal::World& world = *kernel_.world_;
  std::lock_guard<std::mutex> lock(world.mu);
  world.NoteThread();
  const unsigned submitted = SubmitAll();
  world.Changed();
  return static_cast<int>(submitted);
}

int FakeRing::Wait(Completion* out, unsigned capacity, unsigned min_complete, int64_t timeout_ns) {
  fake_internal::World& world = *kernel_.world_;
  std::unique_lock<std::mutex> lock(world.mu);
  world.NoteThread();
  SubmitAll();
  world.Changed();  // other threads' rings see the submissions
  const int copied = world.Wait(lock, state_.get(), out, capacity, min_complete, timeout_ns);
  world.Changed();  // and the clock, if it moved
  return copied;
}

int FakeRing::Peek(Completion* out, unsigned capacity) {
  fake_internal::World& world = *kernel_.world_;
  std::lock_guard<std::mutex> lock(world.mu);
  world.NoteThread();
  return world.Peek(state_.get(), out, capacity);
}

unsigned FakeRing::Publish() {
  fake_internal::World& world = *kernel_.world_;
  std::lock_guard<std::mutex> lock(world.mu);
  world.NoteThread();
  for (const Request& request : prepared_) state_->published.push_back(request);
  prepared_.clear();
  return static_cast<unsigned>(state_->published.size());
}

int FakeRing::Block(unsigned min_available, int64_t timeout_ns, unsigned to_submit) {
  fake_internal::World& world = *kernel_.world_;
  std::unique_lock<std::mutex> lock(world.mu);
  world.NoteThread();
  world.SubmitPublished(state_.get(), to_submit);
  world.Changed();
  const int rc = world.Block(lock, state_.get(), min_available, timeout_ns);
  world.Changed();
  return rc;
}

int FakeRing::Wake() {
  fake_internal::World& world = *kernel_.world_;
  std::lock_guard<std::mutex> lock(world.mu);
  world.NoteThread();
  world.Wake(state_.get());
  world.Changed();
  return 0;
}

unsigned FakeRing::Prepared() const {
  fake_internal::World& world = *kernel_.world_;
  std::lock_guard<std::mutex> lock(world.mu);
  return static_cast<unsigned>(prepared_.size() + state_->published.size());
}

std::vector<uint64_t> FakeRing::InFlight() const {
  fake_internal::World& world = *kernel_.world_;
  std::lock_guard<std::mutex> lock(world.mu);
  return world.InFlight(state_.get());
}

bool FakeRing::IsReady(uint64_t user_data) const {
  fake_internal::World& world = *kernel_.world_;
  std::lock_guard<std::mutex> lock(world.mu);
  return world.IsReady(state_.get(), user_data);
}

int FakeRing::Complete(uint64_t user_data) {
  fake_internal::World& world = *kernel_.world_;
  std::lock_guard<std::mutex> lock(world.mu);
  world.NoteThread();
  const int rc = world.Complete(state_.get(), user_data);
  world.Progress();
  world.Changed();
  return rc;
}

int FakeRing::CompleteWith(uint64_t user_data, int32_t result) {
  fake_internal::World& world = *kernel_.world_;
  std::lock_guard<std::mutex> lock(world.mu);
  world.NoteThread();
  const int rc = world.CompleteWith(state_.get(), user_data, result);
  world.Progress();
  world.Changed();
  return rc;
}

void FakeRing::AdvanceTime(int64_t ns) { kernel_.AdvanceTime(ns); }

}  // namespace ring
