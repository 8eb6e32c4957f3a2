#include "slimcap/pcap_writer.hpp"

#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <exception>
#include <mutex>
#include <stop_token>
#include <system_error>
#include <thread>

#include <fmt/format.h>

#include "byte_buffer_internal.hpp"
#include "slimcap/bytes.hpp"
#include "slimcap/error.hpp"

namespace slimcap {
namespace {

constexpr std::size_t kPcapHeaderSize = 24;
constexpr std::size_t kRecordHeaderSize = 16;
// pcapng blocks (all written little-endian, as the pcap header is).
constexpr std::uint32_t kSectionHeaderBlock = 0x0a0d0d0a;
constexpr std::uint32_t kInterfaceBlock = 1;
constexpr std::uint32_t kEnhancedPacketBlock = 6;
constexpr std::size_t kEpbOverhead = 32;  // type, length, interface, time (2), caplen, len, length
constexpr std::uint16_t kOptionEnd = 0;
constexpr std::uint16_t kOptionShbUserAppl = 4;
constexpr std::uint16_t kOptionIfName = 2;
constexpr std::uint16_t kOptionIfTsresol = 9;

constexpr std::size_t padded4(std::size_t n) noexcept { return (n + 3) & ~std::size_t{3}; }

// Appends one pcapng option (code, length, value padded to 4 bytes) to `out`.
void append_option(std::vector<std::uint8_t>& out, std::uint16_t code, std::string_view value) {
  const std::size_t at = out.size();
  out.resize(at + 4 + padded4(value.size()), 0);
  store_le16(out.data() + at, code);
  store_le16(out.data() + at + 2, static_cast<std::uint16_t>(value.size()));
  std::memcpy(out.data() + at + 4, value.data(), value.size());
}

// A whole pcapng block: type, total length, `body`, the end-of-options marker when the body
// has options, total length again.
std::vector<std::uint8_t> pcapng_block(std::uint32_t type, const std::vector<std::uint8_t>& body) {
  // type, length, body, opt_endofopt (code 0, length 0), length
  const auto length = static_cast<std::uint32_t>(8 + body.size() + 4 + 4);
  std::vector<std::uint8_t> out(length, 0);
  std::copy(body.begin(), body.end(), out.begin() + 8);
  store_le32(out.data(), type);
  store_le32(out.data() + 4, length);
  store_le32(out.data() + length - 4, length);
  return out;
}

// The Section Header Block that opens a pcapng file: byte-order magic, version 1.0, section
// length unknown (-1), and the application's name.
std::vector<std::uint8_t> section_header() {
  std::vector<std::uint8_t> body(16, 0xff);
  store_le32(body.data(), 0x1a2b3c4d);
  store_le16(body.data() + 4, 1);
  store_le16(body.data() + 6, 0);
  append_option(body, kOptionShbUserAppl, "slimcap " SLIMCAP_LIB_VERSION);
  return pcapng_block(kSectionHeaderBlock, body);
}

// An Interface Description Block: link type, snaplen, the name when known, and nanosecond
// time stamps (if_tsresol 9), which every EPB of this writer uses.
std::vector<std::uint8_t> interface_block(std::uint32_t link_type, std::uint32_t snaplen,
                                          const std::string& name) {
  std::vector<std::uint8_t> body(8, 0);
  store_le16(body.data(), static_cast<std::uint16_t>(link_type));
  store_le32(body.data() + 4, snaplen);
  if (!name.empty()) append_option(body, kOptionIfName, name);
  append_option(body, kOptionIfTsresol, std::string_view("\x09", 1));
  return pcapng_block(kInterfaceBlock, body);
}
// Batches handed to the writer thread at most at once: enough to ride out a slow write() or a
// slow frame without making the caller wait. The caller fills one more.
constexpr std::size_t kQueuedBatches = 3;
constexpr std::size_t kBatches = kQueuedBatches + 1;

// Records (and in the first batch the file header) gathered for one write / one zstd frame.
struct Batch {
  detail::ByteBuffer buffer;
  std::size_t used = 0;
  std::size_t records_start = 0;  // where the first record begins (after the file header)
};

// Starts `body` on a thread that blocks every signal that can be blocked: the process's
// SIGINT/SIGTERM handlers must run on the capturing thread, and a write() into a closed pipe
// must fail with EPIPE there rather than kill the process with SIGPIPE (or SIGXFSZ past the
// file size limit). A thread inherits the mask of the thread that creates it.
template <class Body>
std::jthread start_with_signals_blocked(Body&& body) {
  sigset_t all;
  sigset_t old;
  ::sigfillset(&all);
  ::pthread_sigmask(SIG_SETMASK, &all, &old);
  try {
    std::jthread thread(std::forward<Body>(body));
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    return thread;
  } catch (...) {
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    throw;
  }
}

std::int64_t steady_ns() noexcept {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Interrupts the writer thread's blocking write() when the caller abandons the file (a stop
// requested while the output does not drain). A real-time signal, so that it means nothing
// else; its handler does nothing, and without SA_RESTART the write returns early.
int interrupt_signal() noexcept {
  static const int signal = [] {
    const int s = SIGRTMIN + 3;
    struct sigaction action{};
    action.sa_handler = [](int) {};
    ::sigemptyset(&action.sa_mask);
    ::sigaction(s, &action, nullptr);
    return s;
  }();
  return signal;
}

}  // namespace

struct PcapWriter::Impl {
  // Set by open(), then only read.
  std::string path;
  WriterOptions options;
  FileIdentity identity;
  int fd = -1;
  bool owns_fd = false;
  bool seekable = false;
  bool pcapng = false;
  std::vector<std::uint8_t> header;  // the pcap file header, or the pcapng section header

  // pcapng: the interfaces described so far, in IDB order (the EPB's interface id is the
  // index), and the one the last packet used.
  struct Interface {
    std::uint32_t link_type;
    std::uint32_t index;
  };
  std::vector<Interface> interfaces;
  std::uint32_t last_interface = 0;

  // The caller's side. The caller fills batches[submitted % kBatches]; the writer thread
  // writes batches[completed % kBatches] up to `submitted`: a ring of reused buffers.
  std::array<Batch, kBatches> batches;
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  bool closed = false;
  bool broken = false;  // the writer thread's error was thrown: the file is final

  // The hand-over, under `mutex`.
  std::mutex mutex;
  std::condition_variable_any work;  // a batch was handed over, or stop was requested
  std::condition_variable done;      // a batch was written
  std::uint64_t submitted = 0;       // batches handed over (only the caller changes it)
  std::uint64_t completed = 0;       // batches written, or dropped after an error
  std::atomic<bool> failed{false};   // `error` is set; after it nothing more is written
  // A stop was requested while waiting for the writer thread: nothing more is taken, and
  // close() abandons what is queued (see set_stop_flag).
  const std::atomic<bool>* stop_flag = nullptr;
  bool stopping = false;
  std::atomic<bool> abandon{false};
  // When the writer thread entered the write() it is in (steady clock, ns), 0 outside one: a
  // stall is a write() that does not return, not a batch that is slow to compress.
  std::atomic<std::int64_t> write_entered_ns{0};
  std::exception_ptr error;

  // The writer thread's side.
  ZSTD_CCtx* zstd = nullptr;
  detail::ByteBuffer frame;
  std::uint64_t start = 0;      // where our data begins in the file (not 0 for `-w - >> f`)
  std::uint64_t committed = 0;  // bytes of ours known to be complete on disk, after `start`

  std::jthread thread;

  ~Impl() {
    stop_thread();
    if (zstd) ZSTD_freeCCtx(zstd);
    if (owns_fd && fd >= 0) ::close(fd);
  }

  void open(const std::string& p, const WriterOptions& o) {
    path = p;
    options = o;
    if (options.batch_size < 4096) options.batch_size = 4096;
    if (path == "-") {
      fd = STDOUT_FILENO;
    } else {
      fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
      if (fd < 0) throw SystemError(path, errno);
      owns_fd = true;
    }
    struct stat st{};
    if (::fstat(fd, &st) == 0) {
      identity = {st.st_dev, st.st_ino, S_ISREG(st.st_mode)};
      seekable = S_ISREG(st.st_mode);
    }
    // `-w -` onto a file that already holds data (`>> file`): cuts stay behind that data.
    // With O_APPEND the offset says nothing until the first write: the data ends the file.
    if (seekable && !owns_fd) {
      const int flags = ::fcntl(fd, F_GETFL);
      const off_t at = (flags >= 0 && (flags & O_APPEND)) ? st.st_size : ::lseek(fd, 0, SEEK_CUR);
      start = at > 0 ? static_cast<std::uint64_t>(at) : 0;
    }
    if (options.compression_level > 0) {
      zstd = ZSTD_createCCtx();
      if (!zstd) throw std::bad_alloc();
      ZSTD_CCtx_setParameter(zstd, ZSTD_c_compressionLevel, options.compression_level);
      // No content checksum: after a write error the frame is cut back to its last flushed
      // block and closed with an empty last block (see end_frame_after_cut), and a checksum
      // would cover input that is no longer in the file.
      ZSTD_CCtx_setParameter(zstd, ZSTD_c_checksumFlag, 0);
    }
    pcapng = options.format == FileFormat::pcapng;
    if (pcapng) {
      header = section_header();
    } else {
      header.resize(kPcapHeaderSize);
      std::uint8_t* h = header.data();
      store_le32(h, options.precision == TimePrecision::nano ? 0xa1b23c4d : 0xa1b2c3d4);
      store_le16(h + 4, 2);
      store_le16(h + 6, 4);
      store_le32(h + 8, 0);
      store_le32(h + 12, 0);
      store_le32(h + 16, options.snaplen);
      store_le32(h + 20, options.link_type);
    }
    if (zstd) frame.resize(ZSTD_compressBound(options.batch_size + header.size()));
    // Not zero-filled: pages of a buffer are touched only when a batch reaches them.
    for (Batch& b : batches) b.buffer.resize(options.batch_size + header.size());
    std::memcpy(batches[0].buffer.data(), header.data(), header.size());
    batches[0].used = batches[0].records_start = header.size();
    bytes = header.size();
    try {
      thread = start_with_signals_blocked([this](std::stop_token stop) { run(stop); });
    } catch (const std::system_error& e) {
      throw SystemError(path + ": cannot start the writer thread", e.code().value());
    }
  }

  // ---- The caller's thread ----

  Batch& filling() noexcept { return batches[submitted % kBatches]; }

  // Room for `need` bytes at the end of the batch being filled (handing the batch over first
  // when it is full). The caller fills them and calls commit(need). nullptr once a stop found
  // the output stalled: the batch filling() names may then still be in flight.
  std::uint8_t* reserve(std::size_t need) {
    Batch* b = &filling();
    if (b->used + need > options.batch_size && b->used > b->records_start) {
      hand_over(kQueuedBatches);
      if (stopping) return nullptr;
      b = &filling();
    }
    if (b->used + need > b->buffer.size()) b->buffer.resize(b->used + need);
    return b->buffer.data() + b->used;
  }
  void commit(std::size_t size) noexcept {
    filling().used += size;
    bytes += size;
  }

  void write(const PacketView& packet) {
    if (broken || closed) throw Error(path + ": the capture file is already closed");
    if (stopping) return;  // the caller is on its way out
    if (failed.load(std::memory_order_acquire)) throw_failure();
    if (pcapng)
      write_enhanced_packet(packet);
    else
      write_record(packet);
    if (!stopping) ++packets;
  }

  void write_record(const PacketView& packet) {
    const std::size_t caplen = packet.data.size();
    const std::size_t need = kRecordHeaderSize + caplen;
    std::uint8_t* r = reserve(need);
    if (r == nullptr) return;
    const bool nano = options.precision == TimePrecision::nano;
    if (packet.record_unit == (nano ? 2 : 1)) {
      // A pcap record of our unit: its time fields go out as read, as libpcap copies them.
      store_le32(r, static_cast<std::uint32_t>(packet.record_seconds));
      store_le32(r + 4, packet.record_fraction);
    } else if (packet.record_unit == 3) [[unlikely]] {
      // A pcapng time beyond 64-bit nanoseconds: the low 32 bits of the seconds, as
      // libpcap's pcap_dump() writes tcpdump's time_t.
      store_le32(r, static_cast<std::uint32_t>(packet.record_seconds));
      store_le32(r + 4, nano ? packet.record_fraction : packet.record_fraction / 1000);
    } else {
      std::int64_t seconds = packet.timestamp_ns / 1000000000;
      std::int64_t ns = packet.timestamp_ns % 1000000000;
      if (ns < 0) {
        ns += 1000000000;
        --seconds;
      }
      store_le32(r, static_cast<std::uint32_t>(seconds));
      store_le32(r + 4, static_cast<std::uint32_t>(nano ? ns : ns / 1000));
    }
    store_le32(r + 8, static_cast<std::uint32_t>(caplen));
    store_le32(r + 12, packet.wire_length);  // as the source says, even below caplen
    if (caplen) std::memcpy(r + kRecordHeaderSize, packet.data.data(), caplen);
    commit(need);
  }

  // pcapng: an IDB the first time a (link type, interface) pair comes by, then the EPB.
  void write_enhanced_packet(const PacketView& packet) {
    const std::uint32_t id = interface_id(packet);
    const std::size_t caplen = packet.data.size();
    const std::size_t need = kEpbOverhead + padded4(caplen);
    std::uint8_t* r = stopping ? nullptr : reserve(need);
    if (r == nullptr) return;
    const auto units = static_cast<std::uint64_t>(packet.timestamp_ns);  // ns: if_tsresol 9
    store_le32(r, kEnhancedPacketBlock);
    store_le32(r + 4, static_cast<std::uint32_t>(need));
    store_le32(r + 8, id);
    store_le32(r + 12, static_cast<std::uint32_t>(units >> 32));
    store_le32(r + 16, static_cast<std::uint32_t>(units));
    store_le32(r + 20, static_cast<std::uint32_t>(caplen));
    store_le32(r + 24, packet.wire_length);
    if (caplen) std::memcpy(r + 28, packet.data.data(), caplen);
    std::memset(r + 28 + caplen, 0, padded4(caplen) - caplen);
    store_le32(r + need - 4, static_cast<std::uint32_t>(need));
    commit(need);
  }

  std::uint32_t interface_id(const PacketView& packet) {
    const auto same = [&](const Interface& i) {
      return i.link_type == packet.link_type && i.index == packet.interface_index;
    };
    if (last_interface < interfaces.size() && same(interfaces[last_interface])) [[likely]]
      return last_interface;
    for (std::uint32_t i = 0; i < interfaces.size(); ++i)
      if (same(interfaces[i])) return last_interface = i;
    const std::string name =
        options.interface_name ? options.interface_name(packet.interface_index) : std::string();
    const auto block = interface_block(packet.link_type, options.snaplen, name);
    std::uint8_t* r = reserve(block.size());
    if (r == nullptr) return 0;
    std::memcpy(r, block.data(), block.size());
    commit(block.size());
    interfaces.push_back({packet.link_type, packet.interface_index});
    return last_interface = static_cast<std::uint32_t>(interfaces.size() - 1);
  }

  // Hands the batch being filled (if it holds anything) to the writer thread, then waits until
  // at most `in_flight` batches are queued or being written, and throws the writer's error.
  void hand_over(std::uint64_t in_flight) {
    {
      std::unique_lock lock(mutex);
      if (filling().used > 0) {
        ++submitted;
        work.notify_one();
      }
      // Once a stop is requested and the writer thread has been inside one write() for a
      // second (the output does not drain: a stalled pipe), keep the batches as they are (one
      // is in flight) and take nothing more. Slow compression is no stall: it is waited for.
      constexpr std::int64_t kStalledNs = 1'000'000'000;
      while (submitted - completed > in_flight) {
        done.wait_for(lock, std::chrono::milliseconds(100));
        const std::int64_t entered = write_entered_ns.load(std::memory_order_relaxed);
        if (stop_flag && stop_flag->load(std::memory_order_relaxed) && entered != 0 &&
            steady_ns() - entered >= kStalledNs) {
          stopping = true;
          return;
        }
      }
    }
    if (failed.load(std::memory_order_acquire)) throw_failure();
    Batch& next = filling();
    next.used = next.records_start = 0;
  }

  [[noreturn]] void throw_failure() {
    broken = true;
    std::rethrow_exception(error);
  }

  void flush() {
    if (broken || closed || stopping) return;
    hand_over(0);
  }

  void close() {
    if (closed) return;
    std::exception_ptr failure;
    try {
      // libpcap (and so tcpdump) refuses a pcapng file without an Interface Description
      // Block: a file without packets gets one for the file's link type.
      if (pcapng && interfaces.empty() && !broken && !failed.load(std::memory_order_acquire)) {
        const auto block = interface_block(options.link_type, options.snaplen, {});
        if (std::uint8_t* r = reserve(block.size())) {
          std::memcpy(r, block.data(), block.size());
          commit(block.size());
        }
      }
      flush();
    } catch (...) {
      failure = std::current_exception();
    }
    closed = true;
    if (stopping) abandon_queue();
    stop_thread();
    // The writer thread is gone: its state is ours now. Close the zstd frame.
    if (zstd && !failed.load(std::memory_order_acquire) && !failure && !stopping) {
      try {
        end_frame();
      } catch (...) {
        failure = std::current_exception();
      }
    }
    if (owns_fd) {
      const int rc = ::close(fd);
      const int close_errno = errno;
      fd = -1;
      if (rc != 0 && close_errno != EINTR && !failure)
        failure = std::make_exception_ptr(SystemError(path, close_errno));
    }
    if (failure) std::rethrow_exception(failure);
  }

  // After a stop that found the output stalled: the writer thread drops what is queued, and
  // a write() it is blocked in is interrupted. What went out stays (a pipe cannot be cut
  // back); the user asked to stop, so this is no error.
  void abandon_queue() noexcept {
    abandon.store(true, std::memory_order_release);
    std::unique_lock lock(mutex);
    while (completed != submitted) {
      ::pthread_kill(thread.native_handle(), interrupt_signal());
      done.wait_for(lock, std::chrono::milliseconds(20));
    }
  }

  // Lets the writer thread finish what was handed over, and joins it.
  void stop_thread() noexcept {
    if (!thread.joinable()) return;
    thread.request_stop();
    thread.join();
  }

  // ---- The writer thread ----

  void run(std::stop_token stop) {
    sigset_t interrupt;
    ::sigemptyset(&interrupt);
    ::sigaddset(&interrupt, interrupt_signal());
    ::pthread_sigmask(SIG_UNBLOCK, &interrupt, nullptr);
    std::unique_lock lock(mutex);
    // The wait returns false only once stop is requested and nothing is left to write.
    while (work.wait(lock, stop, [&] { return completed != submitted; })) {
      const Batch& batch = batches[completed % kBatches];
      lock.unlock();
      if (!failed.load(std::memory_order_relaxed) && !abandon.load(std::memory_order_acquire))
        write_batch(batch);
      lock.lock();
      ++completed;
      done.notify_one();
    }
  }

  void write_batch(const Batch& batch) noexcept {
    try {
      const std::uint8_t* data = batch.buffer.data();
      std::size_t size = batch.used;
      if (zstd) {
        size = compress(batch.buffer.data(), batch.used);
        data = frame.data();
      }
      std::size_t written = 0;
      if (const int e = write_fully(data, size, &written)) {
        cut_back(batch, written);
        throw SystemError(path, e);
      }
      committed += size;
    } catch (...) {
      error = std::current_exception();
      failed.store(true, std::memory_order_release);
    }
  }

  // The whole file is one zstd frame: Wireshark 4.0 (Debian bookworm) reads only the first
  // frame of a multi-frame file and takes the next frame's bytes for capture data. Each batch
  // ends with ZSTD_e_flush, which closes the current block, so a file cut short (crash,
  // SIGKILL, full disk) still decompresses up to its last batch: every batch ends on a record
  // boundary. Returns the compressed size in `frame`.
  //
  // After the flush comes an empty raw block (3 zero bytes: not last, raw, size 0; the format
  // allows it anywhere between blocks, and it changes no decoder state). It is for the zstd
  // command line (1.5.4): at a premature end it drops the part of the last block it had decoded
  // but not yet written out (up to 128 KiB), because it asks for the next block's header
  // before writing it. With the empty block there, it writes the last batch whole before
  // finding the file cut short, so `zstd -dc | tcpdump -r -` recovers every flushed packet.
  std::size_t compress(const std::uint8_t* data, std::size_t size) {
    std::size_t n = stream(data, size, ZSTD_e_flush);
    constexpr std::size_t kEmptyBlock = 3;
    if (frame.size() < n + kEmptyBlock) frame.resize(n + kEmptyBlock);
    std::memset(frame.data() + n, 0, kEmptyBlock);
    return n + kEmptyBlock;
  }

  std::size_t stream(const std::uint8_t* data, std::size_t size, ZSTD_EndDirective mode) {
    const std::size_t bound = ZSTD_compressBound(size) + ZSTD_CStreamOutSize();
    if (frame.size() < bound) frame.resize(bound);  // a record larger than the batch size
    ZSTD_inBuffer in{data, size, 0};
    ZSTD_outBuffer out{frame.data(), frame.size(), 0};
    for (;;) {
      const std::size_t left = ZSTD_compressStream2(zstd, &out, &in, mode);
      if (ZSTD_isError(left)) throw Error(fmt::format("{}: zstd: {}", path, ZSTD_getErrorName(left)));
      if (left == 0 && in.pos == in.size) return out.pos;
      if (out.pos == out.size) {
        frame.resize(frame.size() * 2);
        out.dst = frame.data();
        out.size = frame.size();
      }
    }
  }

  // Ends the frame (its last block) after the last batch; on the closing thread.
  void end_frame() {
    const std::size_t size = stream(nullptr, 0, ZSTD_e_end);
    std::size_t written = 0;
    if (const int e = write_fully(frame.data(), size, &written)) {
      cut_back_to(committed);
      end_frame_after_cut();
      throw SystemError(path, e);
    }
    committed += size;
  }

  // After a cut to the end of a flushed block, the frame has no last block: add an empty raw
  // one (3 bytes: last-block bit set, type raw, size 0), so that the file is a complete frame
  // that every reader opens. The cut data was never in the file's blocks, and the frame has no
  // checksum, so nothing refers to it.
  void end_frame_after_cut() noexcept {
    if (committed == 0) return;
    const std::uint8_t last_block[3] = {0x01, 0x00, 0x00};
    std::size_t written = 0;
    if (write_fully(last_block, sizeof last_block, &written) == 0)
      committed += sizeof last_block;
    else
      cut_back_to(committed);
  }

  // Writes [data, data + size); on failure returns errno and sets *written to what went out.
  int write_fully(const std::uint8_t* data, std::size_t size, std::size_t* written) {
    std::size_t done_bytes = 0;
    while (done_bytes < size) {
      if (abandon.load(std::memory_order_acquire)) {
        *written = done_bytes;
        return EINTR;
      }
      write_entered_ns.store(steady_ns(), std::memory_order_relaxed);
      const ssize_t n = ::write(fd, data + done_bytes, size - done_bytes);
      write_entered_ns.store(0, std::memory_order_relaxed);
      if (n > 0) {
        done_bytes += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      *written = done_bytes;
      return n == 0 ? ENOSPC : errno;
    }
    *written = done_bytes;
    return 0;
  }

  // The longest prefix of the batch made of whole records or pcapng blocks (and the file
  // header).
  std::size_t whole_records_within(const Batch& batch, std::size_t limit) const noexcept {
    std::size_t off = batch.records_start;
    if (limit < off) return 0;
    while (off + kRecordHeaderSize <= batch.used) {
      const std::uint8_t* r = batch.buffer.data() + off;
      const std::size_t next = off + (pcapng ? load_le32(r + 4) : kRecordHeaderSize + load_le32(r + 8));
      if (next > limit) break;
      off = next;
    }
    return off;
  }

  // Cuts a partly written batch back to the last whole record (pcap) or flushed zstd block,
  // so that the file on disk is a valid capture; this also frees the space of the torn part.
  void cut_back(const Batch& batch, std::size_t written) noexcept {
    if (!seekable) return;
    std::uint64_t keep = committed;
    if (!zstd) keep += whole_records_within(batch, written);
    if (!cut_back_to(keep)) return;
    // Not even the file header made it: put it back in the space the cut freed, so the file
    // is an empty but valid capture rather than no capture at all.
    if (committed == 0)
      write_header_only();
    else if (zstd)
      end_frame_after_cut();
  }

  bool cut_back_to(std::uint64_t keep) noexcept {
    if (!seekable) return false;
    if (::ftruncate(fd, static_cast<off_t>(start + keep)) != 0 || ::lseek(fd, 0, SEEK_END) < 0)
      return false;
    committed = keep;
    return true;
  }

  void write_header_only() noexcept {
    const std::uint8_t* data = header.data();
    std::size_t size = header.size();
    if (zstd) {
      ZSTD_CCtx_reset(zstd, ZSTD_reset_session_only);
      size = ZSTD_compress2(zstd, frame.data(), frame.size(), header.data(), header.size());
      if (ZSTD_isError(size)) return;
      data = frame.data();
    }
    std::size_t written = 0;
    if (write_fully(data, size, &written) == 0) {
      committed = size;
    } else if (::ftruncate(fd, static_cast<off_t>(start)) == 0) {
      ::lseek(fd, 0, SEEK_END);
    }
  }
};

PcapWriter::PcapWriter(const std::string& path, const WriterOptions& options)
    : impl_(std::make_unique<Impl>()) {
  impl_->stop_flag = options.stop;
  if (options.stop) interrupt_signal();  // installed before the writer thread exists
  impl_->open(path, options);
}

PcapWriter::~PcapWriter() {
  try {
    impl_->close();
  } catch (...) {
    // Reported by close() to callers that want to know; a destructor cannot.
  }
}

void PcapWriter::write(const PacketView& packet) { impl_->write(packet); }
void PcapWriter::flush() { impl_->flush(); }
void PcapWriter::close() { impl_->close(); }
const std::string& PcapWriter::path() const noexcept { return impl_->path; }
const WriterOptions& PcapWriter::options() const noexcept { return impl_->options; }
std::uint64_t PcapWriter::packets_written() const noexcept { return impl_->packets; }
std::uint64_t PcapWriter::bytes() const noexcept { return impl_->bytes; }
FileIdentity PcapWriter::identity() const noexcept { return impl_->identity; }

}  // namespace slimcap
