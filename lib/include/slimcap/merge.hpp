#pragma once
// Merging the packets of several capture workers into one stream in time order (fanout's
// `-w FILE` without %n, --print and --json). Each worker copies its packets into its own
// PacketQueue (single producer, single consumer: no lock, nothing shared with the other
// workers); one Merger reads every queue and hands packets on in timestamp order through a
// bounded reorder window (docs/fanout.md, "Merged output").
//
// Every queue is taken to be in time order by itself (one socket's ring is). The oldest packet
// at the queues' fronts is handed on as soon as every queue holds a packet (nothing older can
// come), or once it is older than `now - window`: a worker hands its packets over up to one
// ring block timeout late, so the window is that timeout plus a margin. A packet that arrives
// after a newer one has been handed on is still handed on (never dropped) and counted as out
// of order.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "slimcap/packet.hpp"

namespace slimcap {

// A bounded single-producer single-consumer queue of packet copies, in one byte buffer.
// Exactly one thread may call push() and exactly one (another or the same) front() and pop().
class PacketQueue {
 public:
  // Each packet takes a record: kRecordHeader bytes of fields, then its data padded to 8.
  static constexpr std::size_t kRecordHeader = 40;
  static constexpr std::size_t record_size(std::uint32_t caplen) noexcept {
    return kRecordHeader + ((std::size_t{caplen} + 7) & ~std::size_t{7});
  }

  // `capacity` bytes of packet records, rounded up to a power of two. Throws
  // std::invalid_argument when a record of `max_packet` bytes (record_size(max_packet)) is
  // more than a quarter of `capacity` as given: push() then always fits an empty queue, and
  // a full queue holds several of the largest packets.
  PacketQueue(std::size_t capacity, std::uint32_t max_packet);
  ~PacketQueue();
  PacketQueue(const PacketQueue&) = delete;
  PacketQueue& operator=(const PacketQueue&) = delete;

  // Producer: copies the packet in (every PacketView field but the data span, and the
  // data); false, copying nothing, when there is not room. Never blocks, never allocates.
  // A packet of more than `max_packet` bytes is stored cut to `max_packet`, as a snap length
  // cuts it (caplen max_packet, wire_length as given): refusing it would refuse it forever.
  bool push(const PacketView& packet) noexcept;

  // Consumer: the oldest packet, its data borrowed from the queue until pop(); false when
  // the queue is empty. Calling it again before pop() gives the same packet.
  bool front(PacketView& packet) noexcept;
  // Drops the oldest packet (nothing when the queue is empty).
  void pop() noexcept;

  // The buffer's size in bytes (`capacity` rounded up).
  std::size_t capacity() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Receives the merged stream.
class MergeSink {
 public:
  virtual ~MergeSink() = default;
  virtual void take(const PacketView& packet, std::size_t worker) = 0;
};

class Merger {
 public:
  // `queues[i]` is worker i's; the queues outlive the merger.
  Merger(std::vector<PacketQueue*> queues, std::int64_t window_ns);

  // Hands `sink` every packet that is due at `now_ns` (same clock as the packets' times), in
  // time order, at most `max` of them. Returns how many it handed on. Among the queues' front
  // packets the oldest (on a tie, the lower worker index) is due when every queue holds a
  // packet or when its time is <= now_ns - window_ns; drain stops at the first one not due.
  // If sink.take() throws, that packet stays queued (it was not counted) and the exception
  // goes on.
  std::size_t drain(std::int64_t now_ns, MergeSink& sink, std::size_t max = SIZE_MAX);
  // Hands on everything queued, in time order (the workers have stopped).
  std::size_t flush(MergeSink& sink);

  // Packets handed on with a time older than one handed on before them.
  std::uint64_t out_of_order() const noexcept { return out_of_order_; }
  std::uint64_t merged() const noexcept { return merged_; }

 private:
  // A queue's front packet, read once and kept until it is handed on: the scan over the
  // fronts compares cached times instead of asking every queue again for every packet.
  struct Front {
    PacketView packet;
    bool ready = false;
  };

  std::size_t run(std::int64_t limit_ns, bool all, MergeSink& sink, std::size_t max);
  std::vector<PacketQueue*> queues_;
  std::vector<Front> fronts_;
  std::int64_t window_ns_;
  std::int64_t last_ns_ = INT64_MIN;
  std::uint64_t out_of_order_ = 0;
  std::uint64_t merged_ = 0;
};

}  // namespace slimcap
