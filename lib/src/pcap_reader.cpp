#include "slimcap/pcap_reader.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <array>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "byte_buffer_internal.hpp"
#include "slimcap/bytes.hpp"
#include "slimcap/error.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap {
namespace {

constexpr std::uint32_t kPcapMicro = 0xa1b2c3d4;
constexpr std::uint32_t kPcapNano = 0xa1b23c4d;
constexpr std::uint32_t kPcapngSection = 0x0a0d0d0a;
constexpr std::uint32_t kPcapngByteOrder = 0x1a2b3c4d;
constexpr std::uint8_t kZstdMagic[4] = {0x28, 0xb5, 0x2f, 0xfd};
constexpr std::uint8_t kGzipMagic[2] = {0x1f, 0x8b};

constexpr std::uint32_t kBlockInterface = 1;
constexpr std::uint32_t kBlockObsoletePacket = 2;
constexpr std::uint32_t kBlockSimplePacket = 3;
constexpr std::uint32_t kBlockEnhancedPacket = 6;

// libpcap refuses pcapng blocks above 16 MiB; so do we, so that a damaged length field cannot
// make us allocate gigabytes.
constexpr std::uint32_t kMaxBlockSize = 16 * 1024 * 1024;
// The unit of reading and of decompressing (and the buffer is twice it): small enough that
// what one read() copies, or one decompression step produces, is still in the L2 cache when
// the packets are parsed (measured on the printer's benchmark file, 300,000 packets, perf
// stat -r 20: 84.5 ms with 1 MiB, 78-81 ms with 128 or 256 KiB, 80.8 ms with 64 KiB).
constexpr std::size_t kReadChunk = 256 * 1024;
constexpr std::size_t kFirstRead = 64 * 1024;

std::uint32_t bswap(std::uint32_t v) { return __builtin_bswap32(v); }

__extension__ using Uint128 = unsigned __int128;

constexpr std::uint64_t kNsPerSecond = 1000000000;

// Converts a pcapng timestamp in interface units to nanoseconds, with libpcap's arithmetic:
// seconds = units / resolution + if_tsoffset, modulo 2^64 (so an offset near the limits wraps
// as it does for tcpdump instead of being undefined behaviour), and the fraction scaled exactly.
// A time that 64 bits of nanoseconds cannot hold (before 1677 or after 2262) is delivered as
// kUnrepresentableTime (INT64_MIN), with the seconds and nanoseconds in the PacketView's
// record fields (record_unit 3), from which the printer prints what tcpdump prints.
struct TimeScale {
  std::uint64_t per_second = 1000000;  // units per second: 10^n (n <= 19) or 2^n (n <= 63)
  unsigned shift = 0;                  // n for 2^-n resolutions
  bool binary = false;
  std::int64_t offset_seconds = 0;     // if_tsoffset
  // Below this many units, units * (10^9 / per_second) is the answer (µs and ns interfaces
  // without an offset: the common case, one multiplication).
  std::uint64_t fast_limit = INT64_MAX / 1000;
  std::uint64_t fast_factor = 1000;

  std::int64_t to_ns(std::uint64_t units) const noexcept {
    if (units < fast_limit) [[likely]]
      return static_cast<std::int64_t>(units * fast_factor);
    return to_ns_slow(units);
  }

  std::int64_t to_ns_slow(std::uint64_t units) const noexcept {
    std::int64_t seconds;
    std::uint64_t fraction_ns;
    split(units, seconds, fraction_ns);
    std::int64_t ns;
    if (__builtin_mul_overflow(seconds, static_cast<std::int64_t>(kNsPerSecond), &ns) ||
        __builtin_add_overflow(ns, static_cast<std::int64_t>(fraction_ns), &ns))
      return kUnrepresentableTime;
    return ns;
  }

  // The time as libpcap hands it to tcpdump: whole seconds (time_t) and nanoseconds.
  void split(std::uint64_t units, std::int64_t& seconds, std::uint64_t& fraction_ns) const noexcept {
    std::uint64_t whole;
    if (binary) {
      whole = shift == 0 ? units : units >> shift;
      const std::uint64_t fraction = shift == 0 ? 0 : units & ((std::uint64_t{1} << shift) - 1);
      fraction_ns = static_cast<std::uint64_t>((static_cast<Uint128>(fraction) * kNsPerSecond) >> shift);
    } else {
      whole = units / per_second;
      const std::uint64_t fraction = units % per_second;
      fraction_ns = per_second <= kNsPerSecond ? fraction * (kNsPerSecond / per_second)
                                               : fraction / (per_second / kNsPerSecond);
    }
    // libpcap adds the offset to an unsigned 64-bit count and hands the result over as time_t.
    seconds = static_cast<std::int64_t>(whole + static_cast<std::uint64_t>(offset_seconds));
  }

  // if_tsresol's byte (libpcap refuses resolutions whose units per second do not fit in 64
  // bits) and if_tsoffset.
  static bool make(std::uint8_t tsresol, std::int64_t offset, TimeScale& t) noexcept {
    t = TimeScale{};
    t.offset_seconds = offset;
    if (tsresol & 0x80) {
      t.binary = true;
      t.shift = tsresol & 0x7f;
      if (t.shift > 63) return false;
      t.per_second = std::uint64_t{1} << t.shift;
    } else {
      if (tsresol > 19) return false;
      t.per_second = 1;
      for (unsigned i = 0; i < tsresol; ++i) t.per_second *= 10;
    }
    t.fast_limit = 0;
    if (offset == 0 && !t.binary && t.per_second <= kNsPerSecond) {
      t.fast_factor = kNsPerSecond / t.per_second;
      t.fast_limit = static_cast<std::uint64_t>(INT64_MAX) / t.fast_factor;
    }
    return true;
  }
};

struct Interface {
  std::uint32_t link_type = 0;
  std::uint32_t snaplen = 0;
  std::uint32_t max_caplen = 0;
  TimeScale scale;
  bool nano = false;
  FileInterface info;  // what `stats` shows: if_name, if_tsresol, statistics blocks, ...
};

constexpr std::uint32_t kBlockStatistics = 5;

// A pcapng string option: UTF-8, not necessarily NUL-terminated.
std::string option_text(const std::uint8_t* value, std::uint16_t length) {
  const auto* text = reinterpret_cast<const char*>(value);
  return std::string(text, ::strnlen(text, length));
}

}  // namespace

FileIdentity file_identity(const std::string& path) noexcept {
  struct stat st{};
  if (::stat(path.c_str(), &st) != 0) return {};
  return {st.st_dev, st.st_ino, S_ISREG(st.st_mode)};
}

struct PcapReader::Impl {
  std::string path;
  int fd = -1;
  bool owns_fd = false;
  const std::atomic<bool>* stop = nullptr;
  bool interrupted = false;
  bool raw_eof = false;
  FileIdentity identity;

  // Decompression state (compressed input only). zin holds raw file bytes, consumed from
  // zinput.pos to zinput.size by whichever decompressor the magic chose.
  Compression compression = Compression::none;
  ZSTD_DCtx* zstd = nullptr;
  z_stream gzip{};
  bool gzip_initialised = false;
  std::vector<std::uint8_t> zin;
  ZSTD_inBuffer zinput{nullptr, 0, 0};
  bool stream_open = false;  // inside a zstd frame or gzip member: its end has not been seen

  // The working buffer of file bytes (decompressed when the input is zstd).
  detail::ByteBuffer buf;
  std::size_t read_size = kFirstRead;  // grows to kReadChunk: a short run touches little memory
  std::size_t pos = 0;
  std::size_t end = 0;

  FileFormat format = FileFormat::pcap;
  TimePrecision precision = TimePrecision::micro;
  // pcap
  bool swapped = false;
  std::uint32_t link_type = 0;
  std::uint32_t snaplen = 0;
  std::uint32_t max_caplen = 0;
  std::uint32_t fraction_ns = 1000;  // ns per unit of the record's fraction field
  std::uint32_t header_snaplen = 0;  // as the pcap file header says
  // pcapng
  std::vector<Interface> interfaces;
  std::vector<FileInterface> earlier_interfaces;  // of the sections before the current one
  bool first_section_seen = false;
  SectionInfo section;

  // Decompression on a thread of its own, for regular compressed files once their header is
  // read: the stream goes through a ring of kReadChunk-byte chunks, and next() copies each
  // into the working buffer. On the 2,000,000-packet IMIX .zst, `stats` spent 0.42 s of CPU
  // in zstd and 0.3 s in everything else, one after the other (1.75x `zstd -dc`).
  // Pipes and terminals stay on the caller's thread (read -U, stop requests while blocked).
  // The thread starts at the first fill() after the header, each chunk is allocated when
  // first written, and both go once the stream has ended and been taken: `read` opens every
  // input up front, and 200 opened .zst files held 200 threads and 800 MiB of zeroed chunks.
  enum class Inflating { no, on_thread, ended };
  Inflating inflating = Inflating::no;
  std::string inflate_error;  // the Error that ended the thread's stream, once it has ended
  struct Inflater {
    static constexpr std::size_t kChunks = 4;
    std::mutex mutex;
    std::condition_variable changed;
    std::array<std::unique_ptr<std::uint8_t[]>, kChunks> chunks;
    std::array<std::size_t, kChunks> sizes{};
    std::size_t written = 0;
    std::size_t read = 0;
    bool done = false;       // the thread has produced its last chunk
    bool cancelled = false;  // the reader is going away
    std::string error;       // the Error that ended the stream ("" at its clean end)
    std::jthread thread;
  };
  std::unique_ptr<Inflater> inflater;

  void start_inflater() {
    inflater = std::make_unique<Inflater>();
    // The thread gets the Inflater itself: it may start only once ~Impl has begun, when
    // `inflater` no longer points to it.
    inflater->thread = std::jthread([this, in = inflater.get()] { run_inflater(*in); });
  }

  void run_inflater(Inflater& in) {
    for (;;) {
      std::size_t slot;
      {
        std::unique_lock lock(in.mutex);
        in.changed.wait(lock, [&] { return in.written - in.read < Inflater::kChunks || in.cancelled; });
        if (in.cancelled) return;
        slot = in.written % Inflater::kChunks;
      }
      std::unique_ptr<std::uint8_t[]>& chunk = in.chunks[slot];
      std::size_t n = 0;
      bool last = false;
      std::string error;
      try {
        if (!chunk) chunk = std::make_unique_for_overwrite<std::uint8_t[]>(kReadChunk);
        while (n < kReadChunk) {
          const std::size_t produced = decompress(chunk.get() + n, kReadChunk - n);
          if (produced == 0) {
            last = true;
            break;
          }
          n += produced;
        }
      } catch (const std::exception& e) {
        error = e.what();
        last = true;
      }
      {
        std::lock_guard lock(in.mutex);
        in.sizes[slot] = n;
        if (n > 0) ++in.written;
        if (last) {
          in.done = true;
          in.error = error;
        }
      }
      in.changed.notify_all();
      if (last) return;
    }
  }

  // fill() with the inflater: the next chunk appended at `end`; false after the last one, and
  // the thread's error (after every chunk before it) as the caller's thread would have
  // thrown it.
  bool take_inflated() {
    if (inflating == Inflating::ended) {
      if (!inflate_error.empty()) throw Error(inflate_error);
      return false;
    }
    if (!inflater) start_inflater();
    Inflater& in = *inflater;
    std::unique_lock lock(in.mutex);
    in.changed.wait(lock, [&] { return in.read < in.written || in.done; });
    if (in.read == in.written) {
      // Everything taken: the thread has returned; join it, free the chunks and the
      // decompressor, which nothing needs any more.
      inflate_error = in.error;
      lock.unlock();
      inflater.reset();
      inflating = Inflating::ended;
      free_decompressor();
      if (!inflate_error.empty()) throw Error(inflate_error);
      return false;
    }
    const std::size_t slot = in.read % Inflater::kChunks;
    const std::size_t size = in.sizes[slot];
    lock.unlock();
    if (buf.size() - end < size) {
      compact();
      if (buf.size() - end < size) buf.resize(end + size + kReadChunk);
    }
    std::memcpy(buf.data() + end, in.chunks[slot].get(), size);
    end += size;
    lock.lock();
    ++in.read;
    lock.unlock();
    in.changed.notify_all();
    return true;
  }

  ~Impl() {
    if (inflater) {
      {
        std::lock_guard lock(inflater->mutex);
        inflater->cancelled = true;
      }
      inflater->changed.notify_all();
      inflater.reset();  // joins the thread before the state it uses goes
    }
    free_decompressor();
    if (owns_fd && fd >= 0) ::close(fd);
  }

  void free_decompressor() noexcept {
    if (zstd) ZSTD_freeDCtx(zstd);
    zstd = nullptr;
    if (gzip_initialised) inflateEnd(&gzip);
    gzip_initialised = false;
    zin = {};
    zinput = {nullptr, 0, 0};
  }

  [[noreturn]] void fail(std::string_view why) const { throw Error(fmt::format("{}: {}", path, why)); }
  template <class Arg, class... Args>
  [[noreturn]] void fail(fmt::format_string<Arg, Args...> why, Arg&& arg, Args&&... args) const {
    fail(fmt::format(why, std::forward<Arg>(arg), std::forward<Args>(args)...));
  }

  std::uint32_t u32(const std::uint8_t* p) const noexcept {
    const std::uint32_t v = load_host32(p);
    return swapped ? bswap(v) : v;
  }
  std::uint16_t u16(const std::uint8_t* p) const noexcept {
    std::uint16_t v;
    std::memcpy(&v, p, 2);
    return swapped ? __builtin_bswap16(v) : v;
  }

  // Reads raw file bytes into [dst, dst + room); returns 0 at the end of the input (or when
  // interrupted by a stop request).
  std::size_t read_raw(std::uint8_t* dst, std::size_t room) {
    if (raw_eof) return 0;
    for (;;) {
      if (stop && stop->load(std::memory_order_relaxed)) {
        interrupted = true;
        return 0;
      }
      // A pipe or terminal may block for ever: wait in short polls, so that a stop request
      // is seen within a fifth of a second even when its signal landed just before we
      // blocked (the flag check above and a blocking read() would race).
      if (stop && !identity.regular) {
        pollfd p{fd, POLLIN, 0};
        const int ready = ::poll(&p, 1, 200);
        if (ready == 0 || (ready < 0 && errno == EINTR)) continue;
      }
      const ssize_t n = ::read(fd, dst, room);
      if (n > 0) return static_cast<std::size_t>(n);
      if (n == 0) {
        raw_eof = true;
        return 0;
      }
      if (errno == EINTR) continue;
      throw SystemError(path, errno);
    }
  }

  void compact() noexcept {
    if (pos == 0) return;
    std::memmove(buf.data(), buf.data() + pos, end - pos);
    end -= pos;
    pos = 0;
  }

  // Appends more file bytes at `end`; returns false when there are no more.
  bool fill() {
    if (buf.size() - end < kReadChunk / 4) {
      compact();
      if (buf.size() - end < kReadChunk / 4) buf.resize(buf.size() * 2);
    }
    if (compression == Compression::none) {
      std::size_t room = buf.size() - end;
      if (room > read_size) room = read_size;
      if (read_size < kReadChunk) read_size *= 2;
      const std::size_t n = read_raw(buf.data() + end, room);
      end += n;
      return n > 0;
    }
    if (inflating != Inflating::no) return take_inflated();
    const std::size_t produced = decompress(buf.data() + end, buf.size() - end);
    end += produced;
    return produced > 0;
  }

  // Decompresses into [dst, dst + room) until something was produced; 0 at the end of the
  // input (or a stop request). Throws at a stream cut short.
  std::size_t decompress(std::uint8_t* dst, std::size_t room) {
    for (;;) {
      if (zinput.pos == zinput.size) {
        const std::size_t n = read_raw(zin.data(), zin.size());
        if (n == 0) {
          if (stream_open && !interrupted)
            fail(compression == Compression::zstd ? "truncated zstd stream" : "truncated gzip stream");
          return 0;
        }
        zinput = {zin.data(), n, 0};
      }
      const std::size_t produced =
          compression == Compression::zstd ? unzstd(dst, room) : gunzip(dst, room);
      if (produced > 0) return produced;
    }
  }

  // One decompression step from zinput into [dst, dst + room); returns the bytes produced.
  std::size_t unzstd(std::uint8_t* dst, std::size_t room) {
    ZSTD_outBuffer out{dst, room, 0};
    const std::size_t r = ZSTD_decompressStream(zstd, &out, &zinput);
    if (ZSTD_isError(r)) fail("zstd: {}", ZSTD_getErrorName(r));
    stream_open = r != 0;
    return out.pos;
  }

  std::size_t gunzip(std::uint8_t* dst, std::size_t room) {
    if (!stream_open) {
      // Another member follows the one that ended (gzip -dc reads concatenated members).
      if (inflateReset(&gzip) != Z_OK) fail("gzip: cannot reset the decompressor");
      stream_open = true;
    }
    gzip.next_in = zin.data() + zinput.pos;
    gzip.avail_in = static_cast<uInt>(zinput.size - zinput.pos);
    gzip.next_out = dst;
    gzip.avail_out = static_cast<uInt>(room);
    const int r = inflate(&gzip, Z_NO_FLUSH);
    const std::size_t produced = static_cast<std::size_t>(gzip.next_out - dst);
    zinput.pos = static_cast<std::size_t>(gzip.next_in - zin.data());
    if (r == Z_STREAM_END) {
      stream_open = false;
    } else if (r != Z_OK && r != Z_BUF_ERROR) {
      fail("gzip: {}", gzip.msg ? gzip.msg : "damaged stream");
    }
    return produced;
  }

  // Makes at least n bytes available from pos; false when the input ends first. Memory stays
  // bounded by the largest record (at most kMaxBlockSize) plus one read chunk.
  bool ensure(std::size_t n) {
    if (end - pos >= n) [[likely]]
      return true;
    return ensure_slow(n);
  }
  bool ensure_slow(std::size_t n) {
    while (end - pos < n) {
      if (buf.size() - pos < n) {
        compact();
        if (buf.size() < n + kReadChunk / 4) buf.resize(n + kReadChunk);
      }
      if (!fill()) return end - pos >= n;
    }
    return true;
  }

  void open(const std::string& p) {
    path = p;
    if (path == "-") {
      fd = STDIN_FILENO;
    } else {
      // A FIFO blocks here until a writer connects: a stop request (EINTR) ends the wait.
      while ((fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC)) < 0) {
        if (errno != EINTR) throw SystemError(path, errno);
        if (stop && stop->load(std::memory_order_relaxed)) {
          interrupted = raw_eof = true;
          return;
        }
      }
      owns_fd = true;
    }
    struct stat st{};
    if (::fstat(fd, &st) == 0) {
      identity = {st.st_dev, st.st_ino, S_ISREG(st.st_mode)};
      if (S_ISDIR(st.st_mode)) throw SystemError(path, EISDIR);
      if (S_ISREG(st.st_mode)) ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
    buf.resize(kReadChunk * 2);

    if (!ensure(4)) {
      if (interrupted) return;
      if (end == pos) fail("empty file, not a capture");
      fail("not a pcap, pcapng or zstd-compressed capture file");
    }
    if (std::memcmp(buf.data() + pos, kZstdMagic, 4) == 0) {
      compression = Compression::zstd;
      zstd = ZSTD_createDCtx();
      if (!zstd) throw std::bad_alloc();
      start_decompression("zstd");
    } else if (std::memcmp(buf.data() + pos, kGzipMagic, 2) == 0) {
      compression = Compression::gzip;
      // 16 + 15: a gzip wrapper around the largest window.
      if (inflateInit2(&gzip, 16 + MAX_WBITS) != Z_OK) throw std::bad_alloc();
      gzip_initialised = true;
      start_decompression("gzip");
    }
    if (interrupted) return;

    const std::uint32_t magic = load_host32(buf.data() + pos);
    if (magic == kPcapMicro || magic == kPcapNano || bswap(magic) == kPcapMicro ||
        bswap(magic) == kPcapNano) {
      open_pcap(magic);
    } else if (magic == kPcapngSection) {
      format = FileFormat::pcapng;
      if (!ensure(12)) {
        if (interrupted) return;
        fail("truncated capture file (in the first section header)");
      }
      if (!read_section_header()) return;
      // Read up to the first interface, as libpcap does, so that link_type() is known and a
      // file tcpdump refuses is refused before anything is written; packets stay for next().
      prime_pcapng();
    } else {
      fail("not a pcap, pcapng or zstd-compressed capture file");
    }
    if (compression != Compression::none && identity.regular && !interrupted && stream_open)
      inflating = Inflating::on_thread;
  }

  // Hands the bytes read so far to the decompressor and decompresses from here on.
  void start_decompression(const char* name) {
    zin.resize(ZSTD_DStreamInSize() > (1u << 17) ? ZSTD_DStreamInSize() : (1u << 17));
    const std::size_t have = end - pos;
    if (have > zin.size()) zin.resize(have);
    std::memcpy(zin.data(), buf.data() + pos, have);
    zinput = {zin.data(), have, 0};
    pos = end = 0;
    stream_open = true;
    if (!ensure(4) && !interrupted)
      fail("{} stream holds no capture file", name);
  }

  void open_pcap(std::uint32_t magic) {
    format = FileFormat::pcap;
    swapped = magic != kPcapMicro && magic != kPcapNano;
    const std::uint32_t m = swapped ? bswap(magic) : magic;
    precision = m == kPcapNano ? TimePrecision::nano : TimePrecision::micro;
    fraction_ns = m == kPcapNano ? 1 : 1000;
    if (!ensure(24)) {
      if (!interrupted) fail("truncated capture file (in the 24-byte file header)");
      pos = end;  // stopped inside the header: its first bytes are no record for next()
      return;
    }
    const std::uint8_t* h = buf.data() + pos;
    const std::uint16_t major = u16(h + 4);
    if (major != 2) fail("unsupported pcap version {}.{}", major, u16(h + 6));
    // The upper bits of the link type field carry FCS information (LT_FCS_*), not the type.
    link_type = u32(h + 20) & 0xffff;
    max_caplen = max_snaplen_for(link_type);
    header_snaplen = u32(h + 16);
    snaplen = adjust_snaplen(header_snaplen, max_caplen);
    pos += 24;
  }

  bool next_is_buffered() const noexcept {
    const std::size_t have = end - pos;
    if (have < 16) return false;
    const std::uint8_t* h = buf.data() + pos;
    if (format == FileFormat::pcap) return have >= 16 + std::size_t{u32(h + 8)};
    const std::uint32_t type = u32(h);
    const bool packet_block = type == kBlockEnhancedPacket || type == kBlockSimplePacket ||
                              type == kBlockObsoletePacket;
    return packet_block && have >= u32(h + 4);
  }

  bool next_pcap(PacketView& packet) {
    if (!ensure(16)) return end_of_input(end - pos);
    const std::uint8_t* h = buf.data() + pos;
    const std::uint32_t caplen = u32(h + 8);
    const std::uint32_t wire = u32(h + 12);
    if (caplen > max_caplen)
      fail("invalid packet capture length {}, bigger than the maximum of {}", caplen, max_caplen);
    if (!ensure(16 + std::size_t{caplen})) return end_of_input(end - pos);
    h = buf.data() + pos;
    const std::uint32_t seconds = u32(h);
    const std::uint32_t fraction = u32(h + 4);
    // libpcap: a record longer than the file's snaplen keeps snaplen bytes.
    const std::uint32_t kept = caplen > snaplen ? snaplen : caplen;
    packet.data = {h + 16, kept};
    // libpcap reads the seconds as a signed 32-bit number; so do we, for equal deltas.
    packet.timestamp_ns = static_cast<std::int64_t>(static_cast<std::int32_t>(seconds)) * 1000000000 +
                          static_cast<std::int64_t>(fraction) * fraction_ns;
    packet.wire_length = wire;
    packet.link_type = link_type;
    packet.interface_index = 0;
    packet.direction = Direction::unknown;
    packet.record_unit = fraction_ns == 1 ? 2 : 1;
    packet.record_seconds = seconds;
    packet.record_fraction = fraction;
    pos += 16 + std::size_t{caplen};
    return true;
  }

  // The clean end, or a record cut short after `partial` bytes.
  bool end_of_input(std::size_t partial) {
    if (partial == 0 || interrupted) return false;
    fail("truncated capture file ({} bytes into a record)", partial);
  }

  // False when the input ended (a stop request) inside the block; throws when it is damaged.
  bool read_section_header() {
    // pos is at an SHB of which at least 12 bytes are buffered.
    const std::uint32_t order = load_host32(buf.data() + pos + 8);
    if (order == kPcapngByteOrder) {
      swapped = false;
    } else if (bswap(order) == kPcapngByteOrder) {
      swapped = true;
    } else {
      fail(first_section_seen ? "pcapng section header with a bad byte-order magic"
                              : "not a pcap, pcapng or zstd-compressed capture file");
    }
    const std::uint32_t length = u32(buf.data() + pos + 4);
    check_block_length(length, 28);
    if (!ensure(length)) return end_of_input(end - pos);
    const std::uint16_t major = u16(buf.data() + pos + 12);
    if (major != 1)
      fail("unsupported pcapng version {}.{}", major, u16(buf.data() + pos + 14));
    if (!first_section_seen) read_section_options(buf.data() + pos, length);
    for (const Interface& i : interfaces) earlier_interfaces.push_back(i.info);
    interfaces.clear();
    first_section_seen = true;
    pos += length;
    return true;
  }

  // shb_hardware (2), shb_os (3), shb_userappl (4) of the first section, for `stats`.
  void read_section_options(const std::uint8_t* b, std::uint32_t length) {
    for_each_option(b, 24, length, [&](std::uint16_t code, const std::uint8_t* value,
                                       std::uint16_t len) {
      if (code == 2) section.hardware = option_text(value, len);
      if (code == 3) section.os = option_text(value, len);
      if (code == 4) section.application = option_text(value, len);
    });
  }

  // A block's options from offset `first` on: code, length, value padded to 4, up to
  // opt_endofopt or the block's trailing length; an option that overruns the block ends them.
  template <typename Visit>
  void for_each_option(const std::uint8_t* b, std::uint32_t first, std::uint32_t length,
                       Visit visit) const {
    std::uint32_t off = first;
    const std::uint32_t options_end = length - 4;
    while (off + 4 <= options_end) {
      const std::uint16_t code = u16(b + off);
      const std::uint16_t len = u16(b + off + 2);
      off += 4;
      if (code == 0 || off + len > options_end) break;
      visit(code, b + off, len);
      off += (len + 3u) & ~3u;
    }
  }

  void check_block_length(std::uint32_t length, std::uint32_t minimum) const {
    if (length < minimum || length % 4 != 0 || length > kMaxBlockSize)
      fail("damaged pcapng block (length {})", length);
  }

  // libpcap (pcapint_adjust_snapshot): a snaplen of 0 or above INT_MAX means the link type's
  // maximum; any other value is the file's, also above that maximum (the banner shows it, a
  // record is still refused above the maximum).
  static std::uint32_t adjust_snaplen(std::uint32_t snaplen, std::uint32_t max_caplen) noexcept {
    return snaplen == 0 || snaplen > INT_MAX ? max_caplen : snaplen;
  }

  void read_interface(const std::uint8_t* b, std::uint32_t length) {
    Interface i;
    i.link_type = u16(b + 8);
    i.max_caplen = max_snaplen_for(i.link_type);
    i.snaplen = adjust_snaplen(u32(b + 12), i.max_caplen);
    // The checks of the options and their texts are libpcap's
    // (sf-pcapng.c, process_idb_options), so a file tcpdump refuses is refused here too.
    std::uint8_t tsresol = 6;
    std::int64_t tsoffset = 0;
    bool saw_tsresol = false;
    bool saw_tsoffset = false;
    for_each_option(b, 16, length, [&](std::uint16_t code, const std::uint8_t* value,
                                       std::uint16_t len) {
      if (code == 9) {
        if (len != 1)
          fail("Interface Description Block has if_tsresol option with length {} != 1", len);
        if (saw_tsresol) fail("Interface Description Block has more than one if_tsresol option");
        saw_tsresol = true;
        tsresol = value[0];
      } else if (code == 14) {
        if (len != 8)
          fail("Interface Description Block has if_tsoffset option with length {} != 8", len);
        if (saw_tsoffset) fail("Interface Description Block has more than one if_tsoffset option");
        saw_tsoffset = true;
        std::uint64_t seconds;
        std::memcpy(&seconds, value, 8);
        if (swapped) seconds = __builtin_bswap64(seconds);
        tsoffset = static_cast<std::int64_t>(seconds);
      } else if (code == 2) {
        i.info.name = option_text(value, len);
      } else if (code == 3) {
        i.info.description = option_text(value, len);
      } else if (code == 12) {
        i.info.os = option_text(value, len);
      }
    });
    if (!TimeScale::make(tsresol, tsoffset, i.scale))
      fail("Interface Description Block if_tsresol option resolution {}{} is too high",
           tsresol & 0x80 ? "2^-" : "10^-", tsresol & 0x7f);
    i.nano = i.scale.per_second > 1000000;
    i.info.link_type = i.link_type;
    i.info.snaplen = i.snaplen;
    i.info.ticks_per_second = i.scale.per_second;
    i.info.tsresol = tsresol;
    i.info.has_tsresol = saw_tsresol;
    interfaces.push_back(i);
    if (interfaces.size() == 1) {
      link_type = i.link_type;
      snaplen = i.snaplen;
      precision = i.nano ? TimePrecision::nano : TimePrecision::micro;
    }
  }

  // Reads blocks up to the first interface description. libpcap refuses a file without one,
  // or with a packet block before it; so do we (with its texts), before any packet.
  void prime_pcapng() {
    while (interfaces.empty()) {
      if (!ensure(12)) {
        if (interrupted) return;
        if (end == pos) fail("the capture file has no Interface Description Blocks");
        end_of_input(end - pos);
      }
      const std::uint32_t type = u32(buf.data() + pos);
      if (type == kBlockEnhancedPacket || type == kBlockSimplePacket ||
          type == kBlockObsoletePacket)
        fail("the capture file has a packet block before any Interface Description Blocks");
      if (type == kPcapngSection) {
        if (!read_section_header()) return;
        continue;
      }
      const std::uint32_t length = u32(buf.data() + pos + 4);
      check_block_length(length, 12);
      if (!ensure(length)) {
        end_of_input(end - pos);
        return;
      }
      if (type == kBlockInterface) {
        check_block_length(length, 20);
        read_interface(buf.data() + pos, length);
      }
      pos += length;
    }
  }

  const Interface& interface_for(std::uint32_t id) const {
    if (id >= interfaces.size())
      fail("a packet arrived on interface {}, but there's no Interface Description Block for "
           "that interface", id);
    return interfaces[id];
  }

  bool deliver(PacketView& packet, const Interface& i, const std::uint8_t* data,
               std::uint32_t caplen, std::uint32_t wire, std::uint64_t units,
               std::uint32_t interface_id) {
    if (caplen > i.max_caplen)
      fail("invalid packet capture length {}, bigger than the maximum of {}", caplen, i.max_caplen);
    const std::uint32_t kept = caplen > i.snaplen ? i.snaplen : caplen;
    packet.data = {data, kept};
    packet.wire_length = wire;
    packet.timestamp_ns = i.scale.to_ns(units);
    packet.record_unit = 0;
    if (packet.timestamp_ns == kUnrepresentableTime) [[unlikely]] {
      std::uint64_t fraction_ns;
      i.scale.split(units, packet.record_seconds, fraction_ns);
      packet.record_fraction = static_cast<std::uint32_t>(fraction_ns);
      packet.record_unit = 3;
    }
    packet.link_type = i.link_type;
    packet.interface_index = interface_id;
    packet.direction = Direction::unknown;
    return true;
  }

  bool next_pcapng(PacketView& packet) {
    for (;;) {
      if (!ensure(12)) return end_of_input(end - pos);
      const std::uint8_t* b = buf.data() + pos;
      const std::uint32_t type = u32(b);
      if (type == kPcapngSection) {
        if (!read_section_header()) return false;
        continue;
      }
      const std::uint32_t length = u32(b + 4);
      check_block_length(length, 12);
      if (!ensure(length)) return end_of_input(end - pos);
      b = buf.data() + pos;
      pos += length;
      const std::uint32_t body = length - 12;
      switch (type) {
        case kBlockEnhancedPacket: {
          if (body < 20) fail("damaged pcapng enhanced packet block");
          const std::uint32_t id = u32(b + 8);
          const std::uint64_t units = (std::uint64_t{u32(b + 12)} << 32) | u32(b + 16);
          const std::uint32_t caplen = u32(b + 20);
          if (caplen > body - 20)
            fail("damaged pcapng enhanced packet block (capture length {} beyond the block)",
                 caplen);
          return deliver(packet, interface_for(id), b + 28, caplen, u32(b + 24), units, id);
        }
        case kBlockObsoletePacket: {
          if (body < 20) fail("damaged pcapng packet block");
          const std::uint32_t id = u16(b + 8);
          const std::uint64_t units = (std::uint64_t{u32(b + 12)} << 32) | u32(b + 16);
          const std::uint32_t caplen = u32(b + 20);
          if (caplen > body - 20) fail("damaged pcapng packet block");
          return deliver(packet, interface_for(id), b + 28, caplen, u32(b + 24), units, id);
        }
        case kBlockSimplePacket: {
          if (body < 4) fail("damaged pcapng simple packet block");
          const Interface& i = interface_for(0);
          const std::uint32_t wire = u32(b + 8);
          // The SPB has no caplen: what is there, up to the wire length and the snaplen.
          std::uint32_t caplen = body - 4;
          if (caplen > wire) caplen = wire;
          if (caplen > i.snaplen) caplen = i.snaplen;
          return deliver(packet, i, b + 12, caplen, wire, 0, 0);
        }
        case kBlockInterface:
          if (length < 20) fail("damaged pcapng interface description block");
          read_interface(b, length);
          break;
        case kBlockStatistics:
          if (body >= 4 && u32(b + 8) < interfaces.size()) ++interfaces[u32(b + 8)].info.statistics;
          break;
        default:
          break;  // name resolution, custom and unknown blocks
      }
    }
  }
};

PcapReader::PcapReader(const std::string& path, const std::atomic<bool>* stop)
    : impl_(std::make_unique<Impl>()) {
  impl_->stop = stop;
  impl_->open(path);
}
PcapReader::~PcapReader() = default;

bool PcapReader::next(PacketView& packet) {
  return impl_->format == FileFormat::pcap ? impl_->next_pcap(packet) : impl_->next_pcapng(packet);
}

bool PcapReader::next_is_buffered() const noexcept { return impl_->next_is_buffered(); }

void PcapReader::set_stop_flag(const std::atomic<bool>* stop) noexcept { impl_->stop = stop; }
bool PcapReader::stopped() const noexcept { return impl_->interrupted; }
const std::string& PcapReader::path() const noexcept { return impl_->path; }
FileFormat PcapReader::format() const noexcept { return impl_->format; }
Compression PcapReader::compression() const noexcept { return impl_->compression; }
TimePrecision PcapReader::precision() const noexcept { return impl_->precision; }
std::uint32_t PcapReader::link_type() const noexcept { return impl_->link_type; }
std::uint32_t PcapReader::snaplen() const noexcept { return impl_->snaplen; }
std::string PcapReader::interface_name(std::uint32_t interface_id) const {
  const auto& interfaces = impl_->interfaces;
  return interface_id < interfaces.size() ? interfaces[interface_id].info.name : std::string();
}
std::size_t PcapReader::interface_count() const noexcept {
  return impl_->format == FileFormat::pcap ? 1 : impl_->interfaces.size();
}
FileInterface PcapReader::interface_info(std::uint32_t interface_id) const {
  const Impl& r = *impl_;
  if (r.format == FileFormat::pcapng)
    return interface_id < r.interfaces.size() ? r.interfaces[interface_id].info : FileInterface{};
  FileInterface i;
  i.link_type = r.link_type;
  i.snaplen = r.snaplen;
  const bool nano = r.precision == TimePrecision::nano;
  i.ticks_per_second = nano ? 1000000000 : 1000000;
  i.tsresol = nano ? 9 : 6;
  i.has_tsresol = nano;  // wiretap gives nanosecond pcap files an if_tsresol of 9
  return i;
}
std::size_t PcapReader::interface_base() const noexcept { return impl_->earlier_interfaces.size(); }
std::size_t PcapReader::file_interface_count() const noexcept {
  return interface_base() + interface_count();
}
FileInterface PcapReader::file_interface_info(std::size_t id) const {
  const std::size_t base = interface_base();
  if (id < base) return impl_->earlier_interfaces[id];
  return interface_info(static_cast<std::uint32_t>(id - base));
}
const SectionInfo& PcapReader::section_info() const noexcept { return impl_->section; }
std::uint32_t PcapReader::header_snaplen() const noexcept { return impl_->header_snaplen; }
FileIdentity PcapReader::identity() const noexcept { return impl_->identity; }

}  // namespace slimcap
