#include "slimcap/pcap_writer.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "byte_buffer_internal.hpp"
#include "slimcap/bytes.hpp"
#include "slimcap/error.hpp"

namespace slimcap {
namespace {

constexpr std::size_t kFileHeaderSize = 24;
constexpr std::size_t kRecordHeaderSize = 16;

}  // namespace

struct PcapWriter::Impl {
  std::string path;
  WriterOptions options;
  int fd = -1;
  bool owns_fd = false;
  bool closed = false;
  bool broken = false;  // a write failed: the file is final, nothing more goes in
  bool seekable = false;
  std::uint64_t packets = 0;
  std::uint64_t committed = 0;  // bytes of the file known to be complete on disk
  FileIdentity identity;

  // Records (and at first the file header) gathered for one write / one zstd frame.
  detail::ByteBuffer batch;
  std::size_t batch_used = 0;
  std::size_t records_start = 0;  // where the first record of the batch begins (after a header)
  ZSTD_CCtx* zstd = nullptr;
  detail::ByteBuffer frame;

  ~Impl() {
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
    if (options.compression_level > 0) {
      zstd = ZSTD_createCCtx();
      if (!zstd) throw std::bad_alloc();
      ZSTD_CCtx_setParameter(zstd, ZSTD_c_compressionLevel, options.compression_level);
      ZSTD_CCtx_setParameter(zstd, ZSTD_c_checksumFlag, 1);
      frame.resize(ZSTD_compressBound(options.batch_size + kRecordHeaderSize + 262144));
    }
    batch.resize(options.batch_size + kFileHeaderSize);
    std::uint8_t* h = batch.data();
    store_le32(h, options.precision == TimePrecision::nano ? 0xa1b23c4d : 0xa1b2c3d4);
    store_le16(h + 4, 2);
    store_le16(h + 6, 4);
    store_le32(h + 8, 0);
    store_le32(h + 12, 0);
    store_le32(h + 16, options.snaplen);
    store_le32(h + 20, options.link_type);
    batch_used = kFileHeaderSize;
    records_start = kFileHeaderSize;
  }

  void write(const PacketView& packet) {
    if (broken || closed) throw Error(path + ": the capture file is already closed");
    const std::size_t caplen = packet.data.size();
    const std::size_t need = kRecordHeaderSize + caplen;
    if (batch_used + need > options.batch_size && batch_used > records_start) flush();
    if (batch_used + need > batch.size()) batch.resize(batch_used + need);
    std::uint8_t* r = batch.data() + batch_used;
    std::int64_t seconds = packet.timestamp_ns / 1000000000;
    std::int64_t ns = packet.timestamp_ns % 1000000000;
    if (ns < 0) {
      ns += 1000000000;
      --seconds;
    }
    store_le32(r, static_cast<std::uint32_t>(seconds));
    store_le32(r + 4, static_cast<std::uint32_t>(
                          options.precision == TimePrecision::nano ? ns : ns / 1000));
    store_le32(r + 8, static_cast<std::uint32_t>(caplen));
    store_le32(r + 12, packet.wire_length < caplen ? static_cast<std::uint32_t>(caplen)
                                                   : packet.wire_length);
    if (caplen) std::memcpy(r + kRecordHeaderSize, packet.data.data(), caplen);
    batch_used += need;
    ++packets;
  }

  // Writes [data, data + size); on failure returns errno and sets *written to what went out.
  int write_fully(const std::uint8_t* data, std::size_t size, std::size_t* written) {
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = ::write(fd, data + done, size - done);
      if (n > 0) {
        done += static_cast<std::size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      *written = done;
      return n == 0 ? ENOSPC : errno;
    }
    *written = done;
    return 0;
  }

  // The longest prefix of the batch made of whole records (and the file header).
  std::size_t whole_records_within(std::size_t limit) const noexcept {
    std::size_t off = records_start;
    if (limit < off) return 0;
    while (off + kRecordHeaderSize <= batch_used) {
      const std::size_t next = off + kRecordHeaderSize + load_le32(batch.data() + off + 8);
      if (next > limit) break;
      off = next;
    }
    return off;
  }

  void fail_write(int error, std::size_t written, bool compressed) {
    broken = true;
    if (seekable) {
      // Cut a partly written batch back to the last whole record (pcap) or frame (zstd), so
      // that the file on disk is a valid capture; this also frees the space of the torn part.
      std::uint64_t keep = committed;
      if (!compressed) keep += whole_records_within(written);
      if (::ftruncate(fd, static_cast<off_t>(keep)) == 0 && ::lseek(fd, 0, SEEK_END) >= 0) {
        committed = keep;
        // Not even the file header made it: put it back in the space the cut freed, so the
        // file is an empty but valid capture rather than no capture at all.
        if (committed == 0) write_header_only(compressed);
      }
    }
    batch_used = records_start = 0;
    throw SystemError(path, error);
  }

  void write_header_only(bool compressed) noexcept {
    const std::uint8_t* data = batch.data();
    std::size_t size = kFileHeaderSize;
    if (compressed) {
      size = ZSTD_compress2(zstd, frame.data(), frame.size(), batch.data(), kFileHeaderSize);
      if (ZSTD_isError(size)) return;
      data = frame.data();
    }
    std::size_t written = 0;
    if (write_fully(data, size, &written) == 0) {
      committed = size;
    } else if (::ftruncate(fd, 0) == 0) {
      ::lseek(fd, 0, SEEK_END);
    }
  }

  void flush() {
    if (broken || closed || batch_used == 0) return;
    std::size_t written = 0;
    if (!zstd) {
      if (const int e = write_fully(batch.data(), batch_used, &written)) fail_write(e, written, false);
      committed += batch_used;
    } else {
      // One independent frame per batch: a file cut short still decompresses up to its
      // last whole frame.
      const std::size_t n =
          ZSTD_compress2(zstd, frame.data(), frame.size(), batch.data(), batch_used);
      if (ZSTD_isError(n)) throw Error(path + ": zstd: " + ZSTD_getErrorName(n));
      if (const int e = write_fully(frame.data(), n, &written)) fail_write(e, written, true);
      committed += n;
    }
    batch_used = 0;
    records_start = 0;
  }

  void close() {
    if (closed) return;
    try {
      flush();
    } catch (...) {
      closed = true;
      if (owns_fd) ::close(fd);
      fd = -1;
      throw;
    }
    closed = true;
    if (owns_fd) {
      const int rc = ::close(fd);
      fd = -1;
      if (rc != 0 && errno != EINTR) throw SystemError(path, errno);
    }
  }
};

PcapWriter::PcapWriter(const std::string& path, const WriterOptions& options)
    : impl_(std::make_unique<Impl>()) {
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
FileIdentity PcapWriter::identity() const noexcept { return impl_->identity; }

}  // namespace slimcap
