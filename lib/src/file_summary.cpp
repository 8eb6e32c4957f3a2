#include "slimcap/file_summary.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>

#include "slimcap/error.hpp"
#include "slimcap/filter.hpp"

namespace slimcap {
namespace {

constexpr std::int64_t kNsPerSecond = 1000000000;

// Fraction digits capinfos shows for an interface's time resolution: 10^-n shows n digits
// (at most 9), 2^-n shows nanoseconds.
int resolution_digits(const FileInterface& i) {
  if (i.tsresol & 0x80) return 9;
  return std::min<int>(i.tsresol, 9);
}

std::int64_t file_size_of(const std::string& path) {
  struct stat st{};
  const int r = path == "-" ? ::fstat(STDIN_FILENO, &st) : ::stat(path.c_str(), &st);
  return r == 0 && S_ISREG(st.st_mode) ? static_cast<std::int64_t>(st.st_size) : -1;
}

// capinfos' nstime_to_sec(stop) - nstime_to_sec(start), rounding included, so that rates
// truncated to integers match its digits.
double seconds_of(std::int64_t ns) {
  std::int64_t s = ns / kNsPerSecond;
  std::int64_t f = ns % kNsPerSecond;
  if (f < 0) {
    f += kNsPerSecond;
    --s;
  }
  return static_cast<double>(s) + static_cast<double>(f) / static_cast<double>(kNsPerSecond);
}

// Adds a packet to the series. Rows stay sorted by start; in-order packets (the common case)
// touch the last row or append one, out-of-order ones find theirs by binary search.
// Intervals start at the first counted packet's time, as tshark's io,stat intervals do.
void add_to_series(FileSummary& s, std::int64_t origin, std::int64_t t, std::uint64_t wire) {
  const std::int64_t d = t - origin;
  std::int64_t k = d / s.series_ns;
  if (d % s.series_ns < 0) --k;
  const std::int64_t start = origin + k * s.series_ns;
  auto& rows = s.series;
  if (rows.empty() || rows.back().start_ns < start) {
    rows.push_back({start, 1, wire});
    return;
  }
  if (rows.back().start_ns == start) {
    ++rows.back().packets;
    rows.back().bytes += wire;
    return;
  }
  auto it = std::lower_bound(rows.begin(), rows.end(), start,
                             [](const SeriesRow& r, std::int64_t v) { return r.start_ns < v; });
  if (it == rows.end() || it->start_ns != start) it = rows.insert(it, SeriesRow{start, 0, 0});
  ++it->packets;
  it->bytes += wire;
}

// Two threads per file: the reader (decompression, record parsing, the filter, capinfos'
// counters, the series, and decoding each packet into its PacketClass) hands 40 bytes per
// packet to the caller's thread, which counts them into the protocol mix and talker tables.
// On a .zst file decompression alone is most of the time, and in one thread the counting
// came on top of it (1.75x zstd -dc). Copying the first 256 bytes of each packet instead of
// its class made the reading thread twice as slow (the copy was half its profile).
// Batches are preallocated and handed over under a mutex once per kBatchPackets packets.
constexpr std::size_t kBatchPackets = 1024;
constexpr std::size_t kBatches = 4;

struct Batch {
  std::size_t count = 0;
  std::vector<PacketClass> packets = std::vector<PacketClass>(kBatchPackets);
};

class BatchQueue {
 public:
  // The reader's side: the batch to fill (waits while all are full).
  Batch& free_batch() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return written_ - read_ < kBatches; });
    return batches_[written_ % kBatches];
  }
  void publish() {
    {
      std::lock_guard lock(mutex_);
      ++written_;
    }
    changed_.notify_all();
  }
  void finish() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    changed_.notify_all();
  }
  // The counting side: the next full batch, or nullptr after finish() and the last batch.
  Batch* full_batch() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return read_ < written_ || done_; });
    return read_ < written_ ? &batches_[read_ % kBatches] : nullptr;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      ++read_;
    }
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::array<Batch, kBatches> batches_;
  std::size_t written_ = 0;
  std::size_t read_ = 0;
  bool done_ = false;
};

}  // namespace

double FileSummary::duration_seconds() const noexcept {
  return packets == 0 ? 0 : seconds_of(last_ns) - seconds_of(first_ns);
}
double FileSummary::data_byte_rate() const noexcept {
  const double d = duration_seconds();
  return d > 0 ? static_cast<double>(data_bytes) / d : 0;
}
double FileSummary::packet_rate() const noexcept {
  const double d = duration_seconds();
  return d > 0 ? static_cast<double>(packets) / d : 0;
}
double FileSummary::average_packet_size() const noexcept {
  return packets == 0 ? 0 : static_cast<double>(data_bytes) / static_cast<double>(packets);
}

// The reading thread's loop: every field of the summary but the traffic.
template <class Refresh>
void read_packets(PcapReader& reader, const SummaryOptions& options, FileSummary& s,
                  BatchQueue& queue, Refresh& refresh_interfaces, const std::vector<int>& digits) {
  std::int64_t previous_ns = INT64_MIN;
  std::int64_t origin_ns = 0;
  std::uint32_t last_link_type = UINT32_MAX;
  LinkTypeCount* link_count = nullptr;
  Batch* batch = &queue.free_batch();
  batch->count = 0;
  PacketView packet;
  try {
    while (reader.next(packet)) {
      ++s.records;
      if (options.filter && !options.filter->matches(packet)) continue;
      // Numbered in the whole file: a later section's interface 0 is not the first's.
      const std::size_t id = reader.interface_base() + packet.interface_index;
      if (id >= digits.size()) [[unlikely]]
        refresh_interfaces();
      const int d = id < digits.size() ? digits[id] : 6;
      if (id < s.interface_packets.size()) ++s.interface_packets[id];
      if (packet.link_type != last_link_type) [[unlikely]] {
        auto it = std::find_if(s.link_types.begin(), s.link_types.end(),
                               [&](const LinkTypeCount& c) { return c.link_type == packet.link_type; });
        if (it == s.link_types.end()) {
          s.link_types.push_back({packet.link_type, 0});
          std::sort(s.link_types.begin(), s.link_types.end(),
                    [](const LinkTypeCount& a, const LinkTypeCount& b) { return a.link_type < b.link_type; });
          it = std::find_if(s.link_types.begin(), s.link_types.end(),
                            [&](const LinkTypeCount& c) { return c.link_type == packet.link_type; });
        }
        link_count = &*it;
        last_link_type = packet.link_type;
      }
      ++link_count->packets;

      const std::int64_t t = packet.timestamp_ns;
      if (s.packets == 0) {
        s.first_ns = s.last_ns = t;
        s.first_digits = s.last_digits = d;
        origin_ns = t;
      } else {
        if (t < previous_ns) ++s.out_of_order;
        if (t < s.first_ns) {
          s.first_ns = t;
          s.first_digits = d;
        }
        if (t > s.last_ns) {
          s.last_ns = t;
          s.last_digits = d;
        }
      }
      previous_ns = t;
      ++s.packets;
      s.data_bytes += packet.wire_length;
      s.captured_bytes += packet.caplen();
      if (packet.caplen() < packet.wire_length) {
        if (s.truncated == 0 || packet.caplen() < s.inferred_snaplen_min)
          s.inferred_snaplen_min = packet.caplen();
        s.inferred_snaplen_max = std::max(s.inferred_snaplen_max, packet.caplen());
        ++s.truncated;
      }
      if (s.series_ns > 0) add_to_series(s, origin_ns, t, packet.wire_length);

      batch->packets[batch->count] = classify(packet);
      if (++batch->count == kBatchPackets) {
        queue.publish();
        batch = &queue.free_batch();
        batch->count = 0;
      }
    }
  } catch (...) {
    if (batch->count > 0) queue.publish();
    throw;
  }
  if (batch->count > 0) queue.publish();
}

FileSummary summarize_file(const std::string& path, const SummaryOptions& options) {
  PcapReader reader(path, options.stop);
  if (options.on_open) options.on_open(reader);
  FileSummary s;
  s.traffic = TrafficStats(TrafficOptions{options.talker_capacity});
  s.path = path;
  if (options.filter) s.filter = options.filter->expression();
  s.format = reader.format();
  s.compression = reader.compression();
  s.precision = reader.precision();
  s.link_type = reader.link_type();
  s.header_snaplen = reader.header_snaplen();
  s.file_size = file_size_of(path);
  s.series_ns = options.series_ns;

  // Per-interface facts cached per packet's interface id in the file (every section's
  // interfaces, as capinfos numbers them): digits of its time resolution and its packet
  // count. pcapng files rarely have more than a few interfaces.
  std::vector<int> digits;
  auto refresh_interfaces = [&] {
    const std::size_t n = reader.file_interface_count();
    digits.resize(n);
    for (std::size_t i = 0; i < n; ++i) digits[i] = resolution_digits(reader.file_interface_info(i));
    if (s.interface_packets.size() < n) s.interface_packets.resize(n);
  };
  refresh_interfaces();

  BatchQueue queue;
  std::exception_ptr failure;  // a FilterError: rethrown here after both threads are done
  std::jthread reading([&] {
    try {
      read_packets(reader, options, s, queue, refresh_interfaces, digits);
    } catch (const FilterError&) {
      failure = std::current_exception();
    } catch (const Error& e) {
      s.error = e.what();
    } catch (...) {
      failure = std::current_exception();
    }
    queue.finish();
  });
  while (Batch* batch = queue.full_batch()) {
    for (std::size_t k = 0; k < batch->count; ++k) s.traffic.add(batch->packets[k]);
    queue.release();
  }
  reading.join();
  if (failure) std::rethrow_exception(failure);
  s.stopped = reader.stopped();
  s.section = reader.section_info();
  refresh_interfaces();
  for (std::size_t i = 0; i < reader.file_interface_count(); ++i)
    s.interfaces.push_back(reader.file_interface_info(i));
  return s;
}

}  // namespace slimcap
