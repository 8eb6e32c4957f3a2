// The packet queue (records, wrap-around, full and empty, two threads) and the merger's order,
// window and out-of-order rules.

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <deque>
#include <random>
#include <stdexcept>
#include <thread>
#include <tuple>
#include <vector>

#include "allocation_counter.hpp"
#include "slimcap/merge.hpp"

using namespace slimcap;
using namespace slimcap::test;

namespace {

// The data of packet `seq`: a different byte sequence for every packet and every size.
std::uint8_t data_byte(std::uint64_t seq, std::size_t i) {
  return static_cast<std::uint8_t>(seq * 131 + i * 7 + 1);
}

// A packet whose every field is derived from `seq`, so that a mix-up shows.
struct OwnedPacket {
  std::vector<std::uint8_t> bytes;
  PacketView view;

  OwnedPacket(std::uint64_t seq, std::size_t size, std::int64_t time) : bytes(size) {
    for (std::size_t i = 0; i < size; ++i) bytes[i] = data_byte(seq, i);
    view.data = bytes;
    view.timestamp_ns = time;
    view.wire_length = static_cast<std::uint32_t>(size + seq % 5);
    view.link_type = static_cast<std::uint32_t>(seq % 300);
    view.interface_index = static_cast<std::uint32_t>(seq);
    view.direction = static_cast<Direction>(seq % 5);
    view.record_unit = static_cast<std::uint8_t>(seq % 4);
    view.record_seconds = -static_cast<std::int64_t>(seq) * 1'000'003;
    view.record_fraction = static_cast<std::uint32_t>(seq * 7919);
  }
};

// Whether `p` is packet `seq` of `size` bytes at `time`, every field and byte.
bool is_packet(const PacketView& p, std::uint64_t seq, std::size_t size, std::int64_t time) {
  const OwnedPacket want(seq, size, time);
  return p.caplen() == size && std::equal(p.data.begin(), p.data.end(), want.bytes.begin()) &&
         p.timestamp_ns == time && p.wire_length == want.view.wire_length &&
         p.link_type == want.view.link_type && p.interface_index == want.view.interface_index &&
         p.direction == want.view.direction && p.record_unit == want.view.record_unit &&
         p.record_seconds == want.view.record_seconds &&
         p.record_fraction == want.view.record_fraction;
}

bool push(PacketQueue& q, std::uint64_t seq, std::size_t size, std::int64_t time) {
  const OwnedPacket p(seq, size, time);
  return q.push(p.view);
}

// Pops the front packet and says whether it is packet `seq`.
bool pop_is(PacketQueue& q, std::uint64_t seq, std::size_t size, std::int64_t time) {
  PacketView p;
  if (!q.front(p)) return false;
  const bool same = is_packet(p, seq, size, time);
  q.pop();
  return same;
}

// The merged stream, with the packets' sequence number in interface_index.
struct Taken {
  std::int64_t time;
  std::size_t worker;
  std::uint32_t seq;
  bool operator==(const Taken&) const = default;
};

class RecordingSink final : public MergeSink {
 public:
  std::vector<Taken> taken;
  void take(const PacketView& packet, std::size_t worker) override {
    taken.push_back({packet.timestamp_ns, worker, packet.interface_index});
  }
};

// Keeps nothing: for counting allocations of the merger itself.
class CountingSink final : public MergeSink {
 public:
  std::size_t count = 0;
  std::int64_t last = INT64_MIN;
  void take(const PacketView& packet, std::size_t) override {
    ++count;
    last = packet.timestamp_ns;
  }
};

std::vector<std::int64_t> times_of(const std::vector<Taken>& taken) {
  std::vector<std::int64_t> times;
  for (const Taken& t : taken) times.push_back(t.time);
  return times;
}

}  // namespace

TEST_SUITE("merge") {

TEST_CASE("a queue hands its packets back in order, every field and byte as pushed") {
  PacketQueue q(4096, 256);
  CHECK(q.capacity() == 4096);
  PacketView p;
  CHECK_FALSE(q.front(p));

  const std::size_t sizes[] = {60, 0, 1, 256, 13};
  for (std::uint64_t seq = 0; seq < 5; ++seq) {
    CHECK(push(q, seq, sizes[seq], 1'700'000'000'000'000'000 + static_cast<std::int64_t>(seq)));
  }
  // Extreme values survive too.
  OwnedPacket odd(99, 3, -5);
  odd.view.wire_length = 0;  // a file may say less than the caplen
  odd.view.link_type = 0xffffffff;
  odd.view.interface_index = 0xfffffffe;
  odd.view.direction = Direction::unknown;
  odd.view.record_unit = 3;
  odd.view.record_seconds = INT64_MIN;
  odd.view.record_fraction = 999'999'999;
  CHECK(q.push(odd.view));

  for (std::uint64_t seq = 0; seq < 5; ++seq) {
    const std::int64_t time = 1'700'000'000'000'000'000 + static_cast<std::int64_t>(seq);
    REQUIRE(q.front(p));
    CHECK(is_packet(p, seq, sizes[seq], time));
    // The same packet until pop().
    PacketView again;
    REQUIRE(q.front(again));
    CHECK(again.data.data() == p.data.data());
    CHECK(is_packet(again, seq, sizes[seq], time));
    q.pop();
  }
  REQUIRE(q.front(p));
  CHECK(p.data.data() != odd.bytes.data());  // a copy, not the producer's bytes
  CHECK(std::equal(p.data.begin(), p.data.end(), odd.bytes.begin(), odd.bytes.end()));
  CHECK(p.timestamp_ns == -5);
  CHECK(p.wire_length == 0);
  CHECK(p.link_type == 0xffffffff);
  CHECK(p.interface_index == 0xfffffffe);
  CHECK(p.direction == Direction::unknown);
  CHECK(p.record_unit == 3);
  CHECK(p.record_seconds == INT64_MIN);
  CHECK(p.record_fraction == 999'999'999);
  q.pop();
  CHECK_FALSE(q.front(p));
  q.pop();  // on an empty queue: nothing
  CHECK_FALSE(q.front(p));
  CHECK(push(q, 7, 10, 7));
  CHECK(pop_is(q, 7, 10, 7));
}

TEST_CASE("construction refuses a max_packet whose record is more than a quarter of the capacity") {
  const std::size_t record = PacketQueue::record_size(1000);
  CHECK(record == PacketQueue::kRecordHeader + 1000);
  CHECK(PacketQueue::record_size(1) == PacketQueue::kRecordHeader + 8);
  CHECK(PacketQueue::record_size(0) == PacketQueue::kRecordHeader);
  CHECK_NOTHROW(PacketQueue(4 * record, 1000));
  CHECK_THROWS_AS(PacketQueue(4 * record - 1, 1000), std::invalid_argument);
  CHECK_THROWS_AS(PacketQueue(0, 0), std::invalid_argument);
  CHECK_THROWS_AS(PacketQueue(1 << 20, 0xffffffff), std::invalid_argument);
  // The capacity is rounded up to a power of two.
  CHECK(PacketQueue(4 * record, 1000).capacity() == 8192);
}

TEST_CASE("a packet longer than max_packet is stored cut to max_packet") {
  PacketQueue q(4096, 100);
  OwnedPacket big(3, 300, 42);
  REQUIRE(q.push(big.view));
  PacketView p;
  REQUIRE(q.front(p));
  CHECK(p.caplen() == 100);
  CHECK(std::equal(p.data.begin(), p.data.end(), big.bytes.begin()));
  CHECK(p.wire_length == big.view.wire_length);
  CHECK(p.timestamp_ns == 42);
}

TEST_CASE("records wrap around the buffer's end for many cycles, 0, 1 and max_packet bytes included") {
  // 1024 bytes: four records of the largest packet exactly.
  constexpr std::uint32_t kMax = 1024 / 4 - PacketQueue::kRecordHeader;
  PacketQueue q(1024, kMax);
  REQUIRE(q.capacity() == 1024);
  std::mt19937 random(12345);
  std::deque<std::pair<std::uint64_t, std::size_t>> queued;  // seq, size
  std::uint64_t next = 0;
  std::uint64_t popped = 0;
  std::size_t bytes = 0;
  bool ok = true;
  while (popped < 50'000 && ok) {
    // Push until full, then pop a random number of packets.
    for (;;) {
      const std::uint32_t pick = random() % 8;
      const std::size_t size = pick == 0 ? 0 : pick == 1 ? 1 : pick == 2 ? kMax : random() % (kMax + 1);
      if (!push(q, next, size, static_cast<std::int64_t>(next))) {
        // push() always fits an empty queue.
        if (queued.empty()) ok = false;
        break;
      }
      queued.emplace_back(next++, size);
      bytes += PacketQueue::record_size(static_cast<std::uint32_t>(size));
    }
    for (std::size_t n = 1 + random() % 6; n > 0 && !queued.empty(); --n) {
      const auto [seq, size] = queued.front();
      queued.pop_front();
      if (!pop_is(q, seq, size, static_cast<std::int64_t>(seq))) ok = false;
      ++popped;
    }
  }
  CHECK(ok);
  CHECK(bytes > 1000 * q.capacity());  // many times round the buffer
  while (!queued.empty()) {
    const auto [seq, size] = queued.front();
    queued.pop_front();
    CHECK(pop_is(q, seq, size, static_cast<std::int64_t>(seq)));
  }
  PacketView p;
  CHECK_FALSE(q.front(p));
}

TEST_CASE("a full queue refuses a packet and copies nothing, and takes it after a pop") {
  // Records of 64 bytes: 64 of them fill 4096 bytes exactly.
  PacketQueue q(4096, 200);
  constexpr std::size_t kSize = 64 - PacketQueue::kRecordHeader;
  std::uint64_t pushed = 0;
  while (push(q, pushed, kSize, static_cast<std::int64_t>(pushed))) ++pushed;
  CHECK(pushed == 64);
  CHECK_FALSE(push(q, 1000, 0, 1000));
  CHECK_FALSE(push(q, 1001, 200, 1001));

  // Nothing of the refused packets went in.
  for (std::uint64_t seq = 0; seq < 64; ++seq) CHECK(pop_is(q, seq, kSize, static_cast<std::int64_t>(seq)));
  PacketView p;
  CHECK_FALSE(q.front(p));

  // Full again (from another offset), then one pop makes room for one packet.
  for (std::uint64_t seq = 100; seq < 164; ++seq) CHECK(push(q, seq, kSize, 0));
  CHECK_FALSE(push(q, 164, kSize, 0));
  CHECK(pop_is(q, 100, kSize, 0));
  CHECK(push(q, 164, kSize, 0));
  CHECK_FALSE(push(q, 165, kSize, 0));
  for (std::uint64_t seq = 101; seq <= 164; ++seq) CHECK(pop_is(q, seq, kSize, 0));
  CHECK_FALSE(q.front(p));
}

TEST_CASE("push, front and pop allocate nothing") {
  PacketQueue q(8192, 1500);
  const OwnedPacket small(1, 60, 1);
  const OwnedPacket large(2, 1500, 2);
  CountingSink sink;
  PacketQueue other(8192, 1500);
  Merger merger({&q, &other}, 1000);
  const std::size_t before = allocation_count();
  PacketView p;
  std::size_t taken = 0;
  for (int i = 0; i < 1000; ++i) {
    taken += q.push(i % 3 ? small.view : large.view);
    if (i % 2 && q.front(p)) q.pop();
    taken += other.push(small.view);
    merger.drain(i, sink);
  }
  merger.flush(sink);
  CHECK(allocation_count() == before);
  CHECK(taken > 1000);
  CHECK(sink.count == merger.merged());
}

TEST_CASE("three queues with interleaved times merge into one stream in time order") {
  PacketQueue q0(4096, 100), q1(4096, 100), q2(4096, 100);
  // q0: 1 4 7 10, q1: 2 5 8, q2: 3 6 9 11
  std::uint32_t seq = 0;
  for (std::int64_t t : {1, 4, 7, 10}) push(q0, seq++, 8, t);
  for (std::int64_t t : {2, 5, 8}) push(q1, seq++, 8, t);
  for (std::int64_t t : {3, 6, 9, 11}) push(q2, seq++, 8, t);
  Merger merger({&q0, &q1, &q2}, 1000);
  RecordingSink sink;
  // At time 0 nothing is older than the window: only while every queue holds a packet.
  CHECK(merger.drain(0, sink) == 8);
  CHECK(times_of(sink.taken) == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8});
  CHECK(sink.taken[1].worker == 1);
  CHECK(sink.taken[1].seq == 4);
  CHECK(merger.flush(sink) == 3);
  CHECK(times_of(sink.taken) == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
  CHECK(sink.taken[8].worker == 2);
  CHECK(sink.taken[9].worker == 0);
  CHECK(merger.merged() == 11);
  CHECK(merger.out_of_order() == 0);
}

TEST_CASE("random interleavings merge in time order, ties to the lower worker") {
  std::mt19937 random(7);
  for (int round = 0; round < 20; ++round) {
    PacketQueue q0(1 << 16, 100), q1(1 << 16, 100), q2(1 << 16, 100);
    PacketQueue* queues[] = {&q0, &q1, &q2};
    std::vector<Taken> expected;
    std::uint32_t seq = 0;
    for (std::size_t w = 0; w < 3; ++w) {
      std::int64_t time = 0;
      for (int n = 0; n < 200; ++n) {
        time += random() % 3;  // equal times within and across queues
        REQUIRE(push(*queues[w], seq, seq % 20, time));
        expected.push_back({time, w, seq++});
      }
    }
    // Within a queue, the order pushed (seq). Not std::stable_sort: its nothrow operator new
    // does not pair with allocation_counter.cpp's operator delete under AddressSanitizer.
    std::sort(expected.begin(), expected.end(), [](const Taken& a, const Taken& b) {
      return std::tie(a.time, a.worker, a.seq) < std::tie(b.time, b.worker, b.seq);
    });
    Merger merger({&q0, &q1, &q2}, 1'000'000);
    RecordingSink sink;
    const std::size_t first = merger.drain(0, sink);
    CHECK(first > 0);
    CHECK(first < expected.size());
    CHECK(merger.flush(sink) == expected.size() - first);
    CHECK(sink.taken == expected);
    CHECK(merger.out_of_order() == 0);
  }
}

TEST_CASE("equal times are handed on in worker order") {
  PacketQueue q0(4096, 100), q1(4096, 100), q2(4096, 100);
  push(q2, 2, 1, 5);
  push(q1, 1, 1, 5);
  push(q0, 0, 1, 5);
  Merger merger({&q0, &q1, &q2}, 0);
  RecordingSink sink;
  CHECK(merger.drain(5, sink) == 3);
  REQUIRE(sink.taken.size() == 3);
  CHECK(sink.taken[0] == Taken{5, 0, 0});
  CHECK(sink.taken[1] == Taken{5, 1, 1});
  CHECK(sink.taken[2] == Taken{5, 2, 2});
}

TEST_CASE("a packet is held while another queue is empty, until the window passes or that queue fills") {
  PacketQueue q0(4096, 100), q1(4096, 100);
  Merger merger({&q0, &q1}, 100);
  RecordingSink sink;
  CHECK(merger.drain(0, sink) == 0);  // nothing queued

  push(q0, 0, 10, 1000);
  CHECK(merger.drain(1000, sink) == 0);
  CHECK(merger.drain(1099, sink) == 0);  // newer than now - window
  CHECK(merger.drain(1100, sink) == 1);  // 1000 <= 1100 - 100
  CHECK(sink.taken.back() == Taken{1000, 0, 0});

  // Held at 2000, released by a packet in the other queue (newer or not).
  push(q0, 1, 10, 2000);
  CHECK(merger.drain(2000, sink) == 0);
  push(q1, 2, 10, 2500);
  CHECK(merger.drain(2000, sink) == 1);
  CHECK(sink.taken.back() == Taken{2000, 0, 1});
  // Now q0 is empty and 2500 is held in its turn.
  CHECK(merger.drain(2000, sink) == 0);
  CHECK(merger.drain(2599, sink) == 0);
  CHECK(merger.drain(2600, sink) == 1);
  CHECK(sink.taken.back() == Taken{2500, 1, 2});
  CHECK(merger.merged() == 3);

  // A window larger than now holds everything while a queue is empty (no overflow).
  Merger wide({&q0, &q1}, INT64_MAX);
  push(q0, 3, 10, INT64_MIN + 2);
  CHECK(wide.drain(INT64_MIN, sink) == 0);
  CHECK(wide.drain(0, sink) == 0);
  CHECK(wide.flush(sink) == 1);
}

TEST_CASE("drain hands on at most max packets and goes on from there") {
  PacketQueue q0(4096, 100), q1(4096, 100);
  for (std::uint32_t i = 0; i < 5; ++i) push(q0, i, 4, 10 * i);
  for (std::uint32_t i = 5; i < 10; ++i) push(q1, i, 4, 10 * (i - 5) + 5);
  Merger merger({&q0, &q1}, 0);
  RecordingSink sink;
  CHECK(merger.drain(1000, sink, 3) == 3);
  CHECK(times_of(sink.taken) == std::vector<std::int64_t>{0, 5, 10});
  CHECK(merger.drain(1000, sink, 0) == 0);
  CHECK(merger.drain(1000, sink) == 7);
  CHECK(times_of(sink.taken) ==
        std::vector<std::int64_t>{0, 5, 10, 15, 20, 25, 30, 35, 40, 45});
}

TEST_CASE("a late packet is handed on all the same and counted out of order") {
  PacketQueue q0(4096, 100), q1(4096, 100);
  Merger merger({&q0, &q1}, 100);
  RecordingSink sink;
  push(q0, 0, 10, 1000);
  push(q0, 1, 10, 1150);
  CHECK(merger.drain(1300, sink) == 2);
  // Worker 1 hands over a packet older than both, past the window.
  push(q1, 2, 10, 900);
  push(q1, 3, 10, 1100);
  push(q1, 4, 10, 1200);
  CHECK(merger.drain(1300, sink) == 3);
  CHECK(times_of(sink.taken) == std::vector<std::int64_t>{1000, 1150, 900, 1100, 1200});
  CHECK(merger.out_of_order() == 2);  // 900 and 1100 came after 1150
  CHECK(merger.merged() == 5);
}

TEST_CASE("flush hands on everything, in order, and empties every queue") {
  PacketQueue q0(4096, 100), q1(4096, 100), q2(4096, 100);
  for (std::uint32_t i = 0; i < 20; ++i) push(q0, i, i, 3 * i);
  for (std::uint32_t i = 0; i < 5; ++i) push(q2, 100 + i, i, 7 * i + 1);
  Merger merger({&q0, &q1, &q2}, 1'000'000);
  RecordingSink sink;
  CHECK(merger.drain(0, sink) == 0);  // q1 is empty
  CHECK(merger.flush(sink) == 25);
  const std::vector<std::int64_t> times = times_of(sink.taken);
  CHECK(std::is_sorted(times.begin(), times.end()));
  CHECK(merger.merged() == 25);
  PacketView p;
  CHECK_FALSE(q0.front(p));
  CHECK_FALSE(q1.front(p));
  CHECK_FALSE(q2.front(p));
  CHECK(merger.flush(sink) == 0);
}

TEST_CASE("a packet whose sink throws stays queued and is not counted") {
  class ThrowingSink final : public MergeSink {
   public:
    void take(const PacketView&, std::size_t) override { throw std::runtime_error("disk full"); }
  } failing;
  PacketQueue q0(4096, 100);
  push(q0, 0, 10, 1000);
  push(q0, 1, 10, 1001);
  Merger merger({&q0}, 0);
  CHECK_THROWS_AS(merger.drain(2000, failing), std::runtime_error);
  CHECK(merger.merged() == 0);
  RecordingSink sink;
  CHECK(merger.drain(2000, sink) == 2);
  CHECK(sink.taken == std::vector<Taken>{{1000, 0, 0}, {1001, 0, 1}});
}

TEST_CASE("a producer thread and a consumer thread pass a million packets without loss") {
  constexpr std::uint64_t kPackets = 1'000'000;
  constexpr std::uint32_t kMax = 64;
  PacketQueue q(1 << 14, kMax);
  std::jthread producer([&q] {
    std::uint8_t bytes[kMax];
    for (std::uint64_t seq = 0; seq < kPackets; ++seq) {
      const std::size_t size = seq % (kMax + 1);
      for (std::size_t i = 0; i < size; ++i) bytes[i] = data_byte(seq, i);
      PacketView p;
      p.data = {bytes, size};
      p.timestamp_ns = static_cast<std::int64_t>(seq);
      p.wire_length = static_cast<std::uint32_t>(seq * 3);
      p.interface_index = static_cast<std::uint32_t>(seq);
      while (!q.push(p)) std::this_thread::yield();
    }
  });
  std::uint64_t seq = 0;
  std::uint64_t bad = 0;
  PacketView p;
  while (seq < kPackets) {
    if (!q.front(p)) {
      std::this_thread::yield();
      continue;
    }
    const std::size_t size = seq % (kMax + 1);
    bool same = p.caplen() == size && p.timestamp_ns == static_cast<std::int64_t>(seq) &&
                p.wire_length == static_cast<std::uint32_t>(seq * 3) &&
                p.interface_index == static_cast<std::uint32_t>(seq);
    for (std::size_t i = 0; same && i < size; ++i) same = p.data[i] == data_byte(seq, i);
    bad += !same;
    q.pop();
    ++seq;
  }
  producer.join();
  CHECK(bad == 0);
  CHECK_FALSE(q.front(p));  // nothing more than was pushed
}

TEST_CASE("a merger thread merges three producer threads in time order") {
  constexpr std::uint32_t kPerWorker = 100'000;
  constexpr std::size_t kWorkers = 3;
  std::vector<std::unique_ptr<PacketQueue>> queues;
  std::vector<PacketQueue*> pointers;
  for (std::size_t w = 0; w < kWorkers; ++w) {
    queues.push_back(std::make_unique<PacketQueue>(1 << 14, 64));
    pointers.push_back(queues.back().get());
  }
  std::atomic<std::size_t> running{kWorkers};
  std::vector<std::jthread> workers;
  for (std::size_t w = 0; w < kWorkers; ++w) {
    workers.emplace_back([&, w] {
      for (std::uint32_t n = 0; n < kPerWorker; ++n) {
        // Times interleave across the workers: worker w's n-th packet at 3n + w.
        const std::uint32_t seq = n * kWorkers + static_cast<std::uint32_t>(w);
        const OwnedPacket packet(seq, seq % 50, seq);
        while (!queues[w]->push(packet.view)) std::this_thread::yield();
      }
      running.fetch_sub(1, std::memory_order_release);
    });
  }
  // Checks each packet as it comes: in order, every field and byte.
  class CheckingSink final : public MergeSink {
   public:
    std::uint64_t next = 0;
    std::uint64_t bad = 0;
    void take(const PacketView& packet, std::size_t worker) override {
      bad += !(is_packet(packet, next, next % 50, static_cast<std::int64_t>(next)) &&
               worker == next % kWorkers);
      ++next;
    }
  } sink;
  // A window no time reaches: only the "every queue holds a packet" rule hands packets on
  // until the workers stop.
  Merger merger(pointers, INT64_MAX);
  while (running.load(std::memory_order_acquire) != 0) {
    if (merger.drain(0, sink) == 0) std::this_thread::yield();
  }
  merger.flush(sink);
  CHECK(sink.next == kWorkers * kPerWorker);
  CHECK(sink.bad == 0);
  CHECK(merger.merged() == kWorkers * kPerWorker);
  CHECK(merger.out_of_order() == 0);
}

}  // TEST_SUITE
