// Scheduling: requests enter the world at submission, run as soon as the
// world lets them (in issue order), get their result fixed, and reach the
// CQ after a random delay of virtual time. Waits advance the virtual clock
// instead of sleeping.
#include <errno.h>

#include <algorithm>
#include <chrono>

#include "ring/fake/check.h"
#include "ring/fake/world.h"

namespace ring::fake_internal {

void World::AttachRing(RingState* ring) { rings_.push_back(ring); }

void World::DetachRing(RingState* ring) {
  // Requests in flight die with their ring, as at io_uring teardown; their
  // descriptor references go, which may release sockets closed meanwhile.
  for (auto it = operations_.begin(); it != operations_.end();) {
    Operation& op = *it->second;
    if (op.ring != ring) {
      ++it;
      continue;
    }
    Object* object = op.object;
    it = operations_.erase(it);
    if (object != nullptr) Unref(object);
  }
  rings_.erase(std::remove(rings_.begin(), rings_.end(), ring), rings_.end());
}

unsigned World::SubmitPublished(RingState* ring, unsigned count) {
  unsigned submitted = 0;
  while (submitted < count && !ring->published.empty()) {
    const Request request = ring->published.front();
    ring->published.pop_front();
    Submit(ring, request);
    ++submitted;
  }
  return submitted;
}

namespace {

// The calling thread, as a request's submitter: a flag its exit sets.
struct SubmitterToken {
  std::shared_ptr<std::atomic<bool>> exited = std::make_shared<std::atomic<bool>>(false);
  ~SubmitterToken() { exited->store(true, std::memory_order_release); }
};

std::shared_ptr<const std::atomic<bool>> CurrentSubmitter() {
  thread_local SubmitterToken token;
  return token.exited;
}

}  // namespace

void World::Submit(RingState* ring, const Request& request) {
  auto owned = std::make_unique<Operation>();
  Operation& op = *owned;
  op.seq = next_seq_++;
  op.ring = ring;
  op.request = request;
  op.submitter_exited = CurrentSubmitter();
  operations_.emplace(op.seq, std::move(owned));
  Prepare(op);
  // Issue at once, as io_uring does inline: a later request in the same
  // batch sees what this one did (a close, a send).
  Progress();
}

void World::Progress() {
  if (options_.manual) return;
  // Restart from the oldest request after every change, so that requests
  // waiting on one socket take its data in the order they were issued.
  bool changed = true;
  while (changed) {
    changed = false;
    for (auto it = operations_.begin(); it != operations_.end(); ++it) {
      Operation& op = *it->second;
      if (op.stage != Operation::Stage::kPending) continue;
      if (Advance(op)) {
        changed = true;
        break;  // `op` may be gone and the world has moved: rescan
      }
    }
  }
}

bool World::Advance(Operation& op) {
  if (op.submitter_exited->load(std::memory_order_acquire)) {
    // As the kernel: the request is not run for a thread that has exited;
    // it ends when it would have progressed, with what a MSG_WAITALL
    // transfer had already moved, or -ECANCELED.
    if (Execute(op, kNoLimit, /*commit=*/false).blocked) return false;
    // A connect's handshake goes on in the network stack without the
    // request: its outcome lands on the socket (connected, or SO_ERROR).
    if (op.request.op == Op::kConnect) Execute(op, kNoLimit, /*commit=*/true);
    Finish(op, op.done > 0 ? static_cast<int32_t>(op.done) : -ECANCELED);
    return true;
  }
  if (!op.faults_considered) {
    op.faults_considered = true;
    if (InjectIssueFaults(op)) return true;
  }
  if (WaitsForAll(op)) {
    const size_t before = op.done;
    const Attempt attempt = Execute(op, kNoLimit, /*commit=*/true);
    if (!attempt.blocked) {
      Finish(op, attempt.result);
      return true;
    }
    return op.done != before;
  }
  const Attempt natural = Execute(op, kNoLimit, /*commit=*/false);
  if (natural.blocked) return false;
  const Attempt attempt = Execute(op, InjectedLimit(op, natural.result), /*commit=*/true);
  FAKE_CHECK(!attempt.blocked);
  Finish(op, attempt.result);
  return true;
}

bool World::InjectIssueFaults(Operation& op) {
  SocketObject* socket = StreamSocketOf(op);
  if (socket == nullptr || !IsByteTransfer(op)) return false;
  if (socket->state != SocketState::kConnected || socket->peer == nullptr) return false;
  if (!random_.Chance(options_.spurious_reset)) return false;
  ResetBothEnds(*socket);
  return true;
}

size_t World::InjectedLimit(const Operation& op, int32_t natural) {
  if (natural <= 1 || !IsByteTransfer(op)) return kNoLimit;
  const ObjectKind kind = op.object->kind;
  const bool byte_stream = kind == ObjectKind::kPipeReader || kind == ObjectKind::kPipeWriter ||
                           StreamSocketOf(op) != nullptr;
  if (!byte_stream || !random_.Chance(options_.partial_transfer)) return kNoLimit;
  return 1 + static_cast<size_t>(random_.Below(static_cast<uint64_t>(natural) - 1));
}

int64_t World::DelayNs() {
  uint64_t ticks = random_.Below(uint64_t{options_.max_delay_ticks} + 1);
  if (random_.Chance(options_.slow_completion)) ticks += options_.slow_delay_ticks;
  return static_cast<int64_t>(ticks) * options_.tick_ns;
}

void World::Finish(Operation& op, int32_t result, bool deliver_now) {
  FAKE_CHECK(op.stage == Operation::Stage::kPending);
  op.stage = Operation::Stage::kReady;
  op.result = result;
  // The kernel drops its file reference when the request completes.
  if (op.object != nullptr) {
    Object* object = op.object;
    op.object = nullptr;
    Unref(object);
  }
  if (options_.manual || deliver_now) {
    Deliver(op);
    return;
  }
  op.ready_at = now_ + DelayNs();
}

void World::Deliver(Operation& op) {
  RingState* ring = op.ring;
  const Completion completion{op.request.user_data, op.result, 0};
  if (ring->overflow.empty() && ring->cq.size() < ring->cq_entries) {
    ring->cq.push_back(completion);
  } else {
    ring->overflow.push_back(completion);  // NODROP: kept, delivered in order
    ++overflowed_;
  }
  trace_hash_ = Mix64(trace_hash_ ^ Mix64(completion.user_data ^
                                          Mix64(static_cast<uint32_t>(completion.result) ^
                                                Mix64(static_cast<uint64_t>(now_)))));
  ++delivered_;
  operations_.erase(op.seq);
}

void World::DeliverDue(RingState* ring) {
  if (options_.manual) return;
  std::vector<Operation*> due;
  for (const auto& entry : operations_) {
    Operation& op = *entry.second;
    if (op.ring == ring && op.stage == Operation::Stage::kReady && op.ready_at <= now_) {
      due.push_back(&op);
    }
  }
  std::sort(due.begin(), due.end(), [](const Operation* a, const Operation* b) {
    return a->ready_at != b->ready_at ? a->ready_at < b->ready_at : a->seq < b->seq;
  });
  for (Operation* op : due) Deliver(*op);
}

std::optional<int64_t> World::NextEvent(const RingState* ring) const {
  std::optional<int64_t> next;
  for (const auto& entry : operations_) {
    const Operation& op = *entry.second;
    if (op.ring != ring) continue;
    int64_t when;
    if (op.stage == Operation::Stage::kReady) {
      when = op.ready_at;
    } else if (op.request.op == Op::kTimeout && !op.failure) {
      when = op.deadline;
    } else {
      continue;
    }
    FAKE_CHECK(when > now_);  // due events were delivered or fired already
    if (!next || when < *next) next = when;
  }
  return next;
}

void World::AdvanceTo(int64_t time) {
  if (time <= now_) return;
  now_ = time;
  Progress();  // timers fire
}

void World::AdvanceTime(int64_t ns) {
  if (ns <= 0) return;
  AdvanceTo(now_ > INT64_MAX - ns ? INT64_MAX : now_ + ns);
}

int World::Reap(RingState* ring, Completion* out, unsigned capacity) {
  unsigned copied = 0;
  while (copied < capacity && !ring->cq.empty()) {
    out[copied++] = ring->cq.front();
    ring->cq.pop_front();
    // Room in the CQ: the overflow list flows back, oldest first.
    if (!ring->overflow.empty()) {
      ring->cq.push_back(ring->overflow.front());
      ring->overflow.pop_front();
    }
  }
  return static_cast<int>(copied);
}

void World::NoteThread() {
  const std::thread::id caller = std::this_thread::get_id();
  if (!first_thread_) {
    first_thread_ = caller;
  } else if (*first_thread_ != caller) {
    multi_threaded_ = true;
  }
}

World::WaitEnd World::WaitUntil(std::unique_lock<std::mutex>& lock, RingState* ring,
                                unsigned wanted, int64_t timeout_ns) {
  using Clock = std::chrono::steady_clock;
  constexpr int64_t kMaxRealWaitNs = int64_t{3600} * 1'000'000'000;
  std::optional<int64_t> deadline;
  Clock::time_point real_deadline;
  if (timeout_ns != kInfinite) {
    deadline = now_ > INT64_MAX - timeout_ns ? INT64_MAX : now_ + timeout_ns;
    real_deadline = Clock::now() + std::chrono::nanoseconds(std::min(timeout_ns, kMaxRealWaitNs));
  }
  for (;;) {
    DeliverDue(ring);
    if (ring->cq.size() + ring->overflow.size() >= wanted) return WaitEnd::kSatisfied;
    if (ring->wake_pending) return WaitEnd::kWoken;
    const std::optional<int64_t> next = NextEvent(ring);
    if (next && (!deadline || *next <= *deadline)) {
      AdvanceTo(*next);  // virtual time: no sleeping
      continue;
    }
    // Nothing of ours is scheduled before the deadline; only another thread
    // can change that. Single-threaded, nobody can: skip to the deadline.
    const uint64_t seen = version_;
    auto changed = [&] { return version_ != seen || ring->wake_pending; };
    if (!deadline) {
      changed_.wait(lock, changed);
      continue;
    }
    if (multi_threaded_ && changed_.wait_until(lock, real_deadline, changed)) continue;
    AdvanceTo(*deadline);
    DeliverDue(ring);
    return ring->cq.size() + ring->overflow.size() >= wanted ? WaitEnd::kSatisfied
                                                              : WaitEnd::kTimedOut;
  }
}

int World::Wait(std::unique_lock<std::mutex>& lock, RingState* ring, Completion* out,
                unsigned capacity, unsigned min_complete, int64_t timeout_ns) {
  if (out == nullptr && capacity > 0) return -EFAULT;
  if (timeout_ns < 0 && timeout_ns != kInfinite) return -EINVAL;
  // Manual mode: only what the test completed, never a wait.
  if (!options_.manual) WaitUntil(lock, ring, std::min(min_complete, capacity), timeout_ns);
  ring->wake_pending = false;
  return Reap(ring, out, capacity);
}

int World::Block(std::unique_lock<std::mutex>& lock, RingState* ring, unsigned min_available,
                 int64_t timeout_ns) {
  if (timeout_ns < 0 && timeout_ns != kInfinite) return -EINVAL;
  WaitEnd end;
  if (options_.manual) {
    const bool available = ring->cq.size() + ring->overflow.size() >= min_available;
    // An infinite Block may return early (spuriously); a timed one times out.
    end = available || ring->wake_pending || timeout_ns == kInfinite ? WaitEnd::kSatisfied
                                                                      : WaitEnd::kTimedOut;
  } else {
    end = WaitUntil(lock, ring, min_available, timeout_ns);
  }
  ring->wake_pending = false;
  return end == WaitEnd::kTimedOut ? -ETIME : 0;
}

int World::Peek(RingState* ring, Completion* out, unsigned capacity) {
  if (out == nullptr && capacity > 0) return -EFAULT;
  DeliverDue(ring);
  return Reap(ring, out, capacity);
}

void World::Wake(RingState* ring) { ring->wake_pending = true; }

// --- Step API ---

Operation* World::FindOperation(const RingState* ring, uint64_t user_data) const {
  for (const auto& entry : operations_) {
    if (entry.second->ring == ring && entry.second->request.user_data == user_data) {
      return entry.second.get();
    }
  }
  return nullptr;
}

std::vector<uint64_t> World::InFlight(const RingState* ring) const {
  std::vector<uint64_t> user_data;
  for (const auto& entry : operations_) {
    if (entry.second->ring == ring) user_data.push_back(entry.second->request.user_data);
  }
  return user_data;
}

bool World::IsReady(RingState* ring, uint64_t user_data) {
  Operation* op = FindOperation(ring, user_data);
  if (op == nullptr) return false;
  if (op->stage == Operation::Stage::kReady) return true;
  return !Execute(*op, kNoLimit, /*commit=*/false).blocked;
}

int World::Complete(RingState* ring, uint64_t user_data) {
  Operation* op = FindOperation(ring, user_data);
  if (op == nullptr) return -ENOENT;
  if (op->stage == Operation::Stage::kReady) {
    Deliver(*op);
    return 0;
  }
  if (Execute(*op, kNoLimit, /*commit=*/false).blocked) return -EAGAIN;
  const Attempt attempt = Execute(*op, kNoLimit, /*commit=*/true);
  FAKE_CHECK(!attempt.blocked);
  Finish(*op, attempt.result, /*deliver_now=*/true);
  return 0;
}

int World::CompleteWith(RingState* ring, uint64_t user_data, int32_t result) {
  Operation* op = FindOperation(ring, user_data);
  if (op == nullptr) return -ENOENT;
  if (op->stage == Operation::Stage::kReady) {
    // Its effects on the world happened already; only its own result fits.
    if (result != op->result) return -EINVAL;
    Deliver(*op);
    return 0;
  }
  if (result < 0) {
    SocketObject* socket = StreamSocketOf(*op);
    if (result == -ECONNRESET && socket != nullptr && socket->state == SocketState::kConnected) {
      // A reset observed here is a reset of the connection; this completion
      // is the one that reports it.
      ResetBothEnds(*socket);
      socket->error = 0;
    }
    Finish(*op, result, /*deliver_now=*/true);
    return 0;
  }
  const Attempt natural = Execute(*op, kNoLimit, /*commit=*/false);
  if (natural.blocked) return -EAGAIN;
  if (natural.result < 0 || result > natural.result) return -EINVAL;
  const bool shorten = result != natural.result;
  if (shorten && (!CanShorten(*op) || static_cast<size_t>(result) < op->done)) return -EINVAL;
  const size_t limit = shorten ? static_cast<size_t>(result) - op->done : kNoLimit;
  const Attempt attempt = Execute(*op, limit, /*commit=*/true);
  FAKE_CHECK(!attempt.blocked && attempt.result == result);
  Finish(*op, result, /*deliver_now=*/true);
  return 0;
}

}  // namespace ring::fake_internal
