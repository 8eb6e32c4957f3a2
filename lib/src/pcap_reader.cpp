#include "slimcap/pcap_reader.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

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

constexpr std::uint32_t kBlockInterface = 1;
constexpr std::uint32_t kBlockObsoletePacket = 2;
constexpr std::uint32_t kBlockSimplePacket = 3;
constexpr std::uint32_t kBlockEnhancedPacket = 6;

// libpcap refuses pcapng blocks above 16 MiB; so do we, so that a damaged length field cannot
// make us allocate gigabytes.
constexpr std::uint32_t kMaxBlockSize = 16 * 1024 * 1024;
constexpr std::size_t kReadChunk = 1 << 20;
constexpr std::size_t kFirstRead = 64 * 1024;

std::uint32_t bswap(std::uint32_t v) { return __builtin_bswap32(v); }

__extension__ using Uint128 = unsigned __int128;

// Converts a pcapng timestamp in interface units to nanoseconds.
struct TimeScale {
  enum class Kind { multiply, divide, binary } kind = Kind::multiply;
  std::uint64_t factor = 1000;  // µs by default
  unsigned shift = 0;
  std::int64_t offset_ns = 0;  // if_tsoffset

  std::int64_t to_ns(std::uint64_t units) const noexcept {
    std::uint64_t ns;
    switch (kind) {
      case Kind::multiply: ns = units * factor; break;
      case Kind::divide: ns = units / factor; break;
      default:
        ns = static_cast<std::uint64_t>(
            (static_cast<Uint128>(units) * 1000000000u) >> shift);
        break;
    }
    return static_cast<std::int64_t>(ns) + offset_ns;
  }

  static TimeScale from_tsresol(std::uint8_t r) noexcept {
    TimeScale t;
    if (r & 0x80) {
      t.kind = Kind::binary;
      t.shift = r & 0x7f;
      if (t.shift > 63) t.shift = 63;
    } else if (r <= 9) {
      t.kind = Kind::multiply;
      t.factor = 1;
      for (unsigned i = r; i < 9; ++i) t.factor *= 10;
    } else {
      t.kind = Kind::divide;
      t.factor = 1;
      for (unsigned i = 9; i < r && i < 28; ++i) t.factor *= 10;
      if (r > 28) t.factor = UINT64_MAX;
    }
    return t;
  }
};

struct Interface {
  std::uint32_t link_type = 0;
  std::uint32_t snaplen = 0;
  std::uint32_t max_caplen = 0;
  TimeScale scale;
  bool nano = false;
};

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

  // Decompression state (zstd input only).
  Compression compression = Compression::none;
  ZSTD_DCtx* zstd = nullptr;
  std::vector<std::uint8_t> zin;
  ZSTD_inBuffer zinput{nullptr, 0, 0};
  bool zstd_frame_open = false;

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
  // pcapng
  std::vector<Interface> interfaces;
  bool first_section_seen = false;

  ~Impl() {
    if (zstd) ZSTD_freeDCtx(zstd);
    if (owns_fd && fd >= 0) ::close(fd);
  }

  [[noreturn]] void fail(const std::string& why) const { throw Error(path + ": " + why); }

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
    for (;;) {
      if (zinput.pos == zinput.size) {
        const std::size_t n = read_raw(zin.data(), zin.size());
        if (n == 0) {
          if (zstd_frame_open && !interrupted) fail("truncated zstd stream");
          return false;
        }
        zinput = {zin.data(), n, 0};
      }
      ZSTD_outBuffer out{buf.data() + end, buf.size() - end, 0};
      const std::size_t r = ZSTD_decompressStream(zstd, &out, &zinput);
      if (ZSTD_isError(r)) fail(std::string("zstd: ") + ZSTD_getErrorName(r));
      zstd_frame_open = r != 0;
      end += out.pos;
      if (out.pos > 0) return true;
    }
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
      fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) throw SystemError(path, errno);
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
      if (end == pos) fail("empty file, not a capture");
      fail("not a pcap, pcapng or zstd-compressed capture file");
    }
    if (std::memcmp(buf.data() + pos, kZstdMagic, 4) == 0) {
      // Hand the bytes read so far to the decompressor and decompress from here on.
      compression = Compression::zstd;
      zstd = ZSTD_createDCtx();
      if (!zstd) throw std::bad_alloc();
      zin.resize(ZSTD_DStreamInSize() > (1u << 17) ? ZSTD_DStreamInSize() : (1u << 17));
      const std::size_t have = end - pos;
      if (have > zin.size()) zin.resize(have);
      std::memcpy(zin.data(), buf.data() + pos, have);
      zinput = {zin.data(), have, 0};
      pos = end = 0;
      zstd_frame_open = true;
      if (!ensure(4)) fail("zstd stream holds no capture file");
    }

    const std::uint32_t magic = load_host32(buf.data() + pos);
    if (magic == kPcapMicro || magic == kPcapNano || bswap(magic) == kPcapMicro ||
        bswap(magic) == kPcapNano) {
      open_pcap(magic);
    } else if (magic == kPcapngSection) {
      format = FileFormat::pcapng;
      if (!ensure(12)) fail("truncated capture file (in the first section header)");
      read_section_header();
      // Read up to the first interface so link_type() is known; packets stay for next().
      prime_pcapng();
    } else {
      fail("not a pcap, pcapng or zstd-compressed capture file");
    }
  }

  void open_pcap(std::uint32_t magic) {
    format = FileFormat::pcap;
    swapped = magic != kPcapMicro && magic != kPcapNano;
    const std::uint32_t m = swapped ? bswap(magic) : magic;
    precision = m == kPcapNano ? TimePrecision::nano : TimePrecision::micro;
    fraction_ns = m == kPcapNano ? 1 : 1000;
    if (!ensure(24)) fail("truncated capture file (in the 24-byte file header)");
    const std::uint8_t* h = buf.data() + pos;
    const std::uint16_t major = u16(h + 4);
    if (major != 2) fail("unsupported pcap version " + std::to_string(major) + "." +
                         std::to_string(u16(h + 6)));
    // The upper bits of the link type field carry FCS information (LT_FCS_*), not the type.
    link_type = u32(h + 20) & 0xffff;
    max_caplen = max_snaplen_for(link_type);
    snaplen = u32(h + 16);
    // libpcap: a snaplen of 0 or above the link type's maximum means "the maximum".
    if (snaplen == 0 || snaplen > max_caplen) snaplen = max_caplen;
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
      fail("invalid packet capture length " + std::to_string(caplen) +
           ", bigger than the maximum of " + std::to_string(max_caplen));
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
    fail("truncated capture file (" + std::to_string(partial) + " bytes into a record)");
  }

  void read_section_header() {
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
    if (!ensure(length)) return static_cast<void>(end_of_input(end - pos));
    const std::uint16_t major = u16(buf.data() + pos + 12);
    if (major != 1)
      fail("unsupported pcapng version " + std::to_string(major) + "." +
           std::to_string(u16(buf.data() + pos + 14)));
    interfaces.clear();
    first_section_seen = true;
    pos += length;
  }

  void check_block_length(std::uint32_t length, std::uint32_t minimum) const {
    if (length < minimum || length % 4 != 0 || length > kMaxBlockSize)
      fail("damaged pcapng block (length " + std::to_string(length) + ")");
  }

  void read_interface(const std::uint8_t* b, std::uint32_t length) {
    Interface i;
    i.link_type = u16(b + 8);
    i.snaplen = u32(b + 12);
    i.max_caplen = max_snaplen_for(i.link_type);
    if (i.snaplen == 0 || i.snaplen > i.max_caplen) i.snaplen = i.max_caplen;
    i.scale = TimeScale::from_tsresol(6);
    // Options: code, length, value padded to 4.
    std::uint32_t off = 16;
    const std::uint32_t options_end = length - 4;
    while (off + 4 <= options_end) {
      const std::uint16_t code = u16(b + off);
      const std::uint16_t len = u16(b + off + 2);
      off += 4;
      if (code == 0 || off + len > options_end) break;
      if (code == 9 && len >= 1) {
        const std::int64_t keep_offset = i.scale.offset_ns;
        i.scale = TimeScale::from_tsresol(b[off]);
        i.scale.offset_ns = keep_offset;
        i.nano = b[off] == 9;
      } else if (code == 14 && len >= 8) {
        std::uint64_t seconds;
        std::memcpy(&seconds, b + off, 8);
        if (swapped) seconds = __builtin_bswap64(seconds);
        i.scale.offset_ns = static_cast<std::int64_t>(seconds) * 1000000000;
      }
      off += (len + 3u) & ~3u;
    }
    interfaces.push_back(i);
    if (interfaces.size() == 1) {
      link_type = i.link_type;
      snaplen = i.snaplen;
      precision = i.nano ? TimePrecision::nano : TimePrecision::micro;
    }
  }

  // Reads blocks up to the first packet or interface, so that link_type() is known after open.
  void prime_pcapng() {
    while (interfaces.empty()) {
      if (!ensure(12)) {
        if (end - pos == 0) return;  // a file with a section and no interfaces: no packets
        end_of_input(end - pos);
      }
      const std::uint32_t type = u32(buf.data() + pos);
      if (type == kBlockEnhancedPacket || type == kBlockSimplePacket ||
          type == kBlockObsoletePacket)
        return;  // next() reports the missing interface
      if (type == kPcapngSection) {
        read_section_header();
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
      fail("packet for interface " + std::to_string(id) + ", but the section describes " +
           std::to_string(interfaces.size()) + " interface(s)");
    return interfaces[id];
  }

  bool deliver(PacketView& packet, const Interface& i, const std::uint8_t* data,
               std::uint32_t caplen, std::uint32_t wire, std::uint64_t units,
               std::uint32_t interface_id) {
    if (caplen > i.max_caplen)
      fail("invalid packet capture length " + std::to_string(caplen) +
           ", bigger than the maximum of " + std::to_string(i.max_caplen));
    const std::uint32_t kept = caplen > i.snaplen ? i.snaplen : caplen;
    packet.data = {data, kept};
    packet.wire_length = wire;
    packet.timestamp_ns = i.scale.to_ns(units);
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
        read_section_header();
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
            fail("damaged pcapng enhanced packet block (capture length " +
                 std::to_string(caplen) + " beyond the block)");
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
        default:
          break;  // name resolution, statistics, custom and unknown blocks
      }
    }
  }
};

PcapReader::PcapReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
  impl_->open(path);
}
PcapReader::~PcapReader() = default;

bool PcapReader::next(PacketView& packet) {
  return impl_->format == FileFormat::pcap ? impl_->next_pcap(packet) : impl_->next_pcapng(packet);
}

bool PcapReader::next_is_buffered() const noexcept { return impl_->next_is_buffered(); }

void PcapReader::set_stop_flag(const std::atomic<bool>* stop) noexcept { impl_->stop = stop; }
const std::string& PcapReader::path() const noexcept { return impl_->path; }
FileFormat PcapReader::format() const noexcept { return impl_->format; }
Compression PcapReader::compression() const noexcept { return impl_->compression; }
TimePrecision PcapReader::precision() const noexcept { return impl_->precision; }
std::uint32_t PcapReader::link_type() const noexcept { return impl_->link_type; }
std::uint32_t PcapReader::snaplen() const noexcept { return impl_->snaplen; }
FileIdentity PcapReader::identity() const noexcept { return impl_->identity; }

}  // namespace slimcap
