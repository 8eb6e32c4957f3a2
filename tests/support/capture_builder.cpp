#include "capture_builder.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zstd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace slimcap::test {
namespace {

std::uint32_t swap32(std::uint32_t v) { return __builtin_bswap32(v); }

__extension__ using Int128 = __int128;

void put32(Bytes& out, std::uint32_t v, bool swapped) {
  if (swapped) v = swap32(v);
  // resize + memcpy rather than insert(): GCC 12 at -O3 warns falsely about insert()'s copy.
  const std::size_t at = out.size();
  out.resize(at + 4);
  std::memcpy(out.data() + at, &v, 4);
}

void put16(Bytes& out, std::uint16_t v, bool swapped) {
  if (swapped) v = __builtin_bswap16(v);
  const std::size_t at = out.size();
  out.resize(at + 2);
  std::memcpy(out.data() + at, &v, 2);
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// Timestamp in units of the interface's if_tsresol.
std::uint64_t pcapng_units(std::int64_t ns, std::optional<std::uint8_t> tsresol) {
  const std::uint8_t r = tsresol.value_or(6);
  if (r & 0x80) {
    const unsigned shift = r & 0x7f;
    // ns * 2^shift / 1e9, computed in 128 bits.
    const Int128 v = static_cast<Int128>(ns) * (static_cast<Int128>(1) << shift);
    return static_cast<std::uint64_t>(v / 1000000000);
  }
  if (r >= 9) {
    std::uint64_t v = static_cast<std::uint64_t>(ns);
    for (unsigned i = 9; i < r; ++i) v *= 10;
    return v;
  }
  std::uint64_t div = 1;
  for (unsigned i = r; i < 9; ++i) div *= 10;
  return static_cast<std::uint64_t>(ns) / div;
}

}  // namespace

Bytes pcap_record_header(const PcapSpec& spec, std::uint32_t seconds, std::uint32_t fraction,
                         std::uint32_t caplen, std::uint32_t wire_length) {
  Bytes out;
  put32(out, seconds, spec.swapped);
  put32(out, fraction, spec.swapped);
  put32(out, caplen, spec.swapped);
  put32(out, wire_length, spec.swapped);
  return out;
}

Bytes pcap_file(const PcapSpec& spec, std::span<const Record> records) {
  Bytes out;
  put32(out, spec.nano ? 0xa1b23c4du : 0xa1b2c3d4u, spec.swapped);
  put16(out, 2, spec.swapped);
  put16(out, 4, spec.swapped);
  put32(out, 0, spec.swapped);
  put32(out, 0, spec.swapped);
  put32(out, spec.snaplen, spec.swapped);
  put32(out, spec.link_type, spec.swapped);
  for (const Record& r : records) {
    const std::int64_t sec = floor_div(r.timestamp_ns, 1000000000);
    const std::int64_t ns = r.timestamp_ns - sec * 1000000000;
    const auto frac = static_cast<std::uint32_t>(spec.nano ? ns : ns / 1000);
    const auto caplen = static_cast<std::uint32_t>(r.data.size());
    const Bytes h = pcap_record_header(spec, static_cast<std::uint32_t>(sec), frac, caplen,
                                       r.wire_length ? r.wire_length : caplen);
    out.insert(out.end(), h.begin(), h.end());
    out.insert(out.end(), r.data.begin(), r.data.end());
  }
  return out;
}

void PcapngBuilder::put32(std::uint32_t v) { test::put32(bytes_, v, swapped_); }
void PcapngBuilder::put16(std::uint16_t v) { test::put16(bytes_, v, swapped_); }

PcapngBuilder& PcapngBuilder::block(std::uint32_t type, std::span<const std::uint8_t> body) {
  const std::size_t padded = (body.size() + 3) & ~std::size_t{3};
  const auto total = static_cast<std::uint32_t>(12 + padded);
  put32(type);
  put32(total);
  bytes_.insert(bytes_.end(), body.begin(), body.end());
  bytes_.insert(bytes_.end(), padded - body.size(), 0);
  put32(total);
  return *this;
}

PcapngBuilder& PcapngBuilder::section() {
  tsresol_.clear();
  Bytes body;
  test::put32(body, 0x1a2b3c4d, swapped_);
  test::put16(body, 1, swapped_);
  test::put16(body, 0, swapped_);
  test::put32(body, 0xffffffff, swapped_);  // section length unknown
  test::put32(body, 0xffffffff, swapped_);
  return block(0x0a0d0d0a, body);
}

PcapngBuilder& PcapngBuilder::interface(std::uint32_t link_type, std::uint32_t snaplen,
                                        std::optional<std::uint8_t> tsresol) {
  tsresol_.push_back(tsresol);
  Bytes body;
  test::put16(body, static_cast<std::uint16_t>(link_type), swapped_);
  test::put16(body, 0, swapped_);
  test::put32(body, snaplen, swapped_);
  // An if_name option first, so the reader must walk options to find if_tsresol.
  const char name[] = "veth0";
  test::put16(body, 2, swapped_);
  test::put16(body, 5, swapped_);
  body.insert(body.end(), name, name + 5);
  body.insert(body.end(), 3, 0);
  if (tsresol) {
    test::put16(body, 9, swapped_);
    test::put16(body, 1, swapped_);
    body.push_back(*tsresol);
    body.insert(body.end(), 3, 0);
  }
  test::put16(body, 0, swapped_);  // opt_endofopt
  test::put16(body, 0, swapped_);
  return block(1, body);
}

PcapngBuilder& PcapngBuilder::packet(std::uint32_t interface_id, const Record& record) {
  const std::optional<std::uint8_t> res =
      interface_id < tsresol_.size() ? tsresol_[interface_id] : std::nullopt;
  const std::uint64_t ts = pcapng_units(record.timestamp_ns, res);
  const auto caplen = static_cast<std::uint32_t>(record.data.size());
  Bytes body;
  test::put32(body, interface_id, swapped_);
  test::put32(body, static_cast<std::uint32_t>(ts >> 32), swapped_);
  test::put32(body, static_cast<std::uint32_t>(ts), swapped_);
  test::put32(body, caplen, swapped_);
  test::put32(body, record.wire_length ? record.wire_length : caplen, swapped_);
  body.insert(body.end(), record.data.begin(), record.data.end());
  return block(6, body);
}

PcapngBuilder& PcapngBuilder::simple_packet(const Record& record) {
  Bytes body;
  const auto caplen = static_cast<std::uint32_t>(record.data.size());
  test::put32(body, record.wire_length ? record.wire_length : caplen, swapped_);
  body.insert(body.end(), record.data.begin(), record.data.end());
  return block(3, body);
}

Bytes zstd_compress(std::span<const std::uint8_t> data, int level) {
  Bytes out(ZSTD_compressBound(data.size()));
  const std::size_t n = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), level);
  if (ZSTD_isError(n)) throw std::runtime_error(ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

TempPath::TempPath(const std::string& suffix) {
  const char* dir = std::getenv("TMPDIR");
  std::string pattern = std::string(dir && *dir ? dir : "/tmp") + "/slimcap-test-XXXXXX";
  std::string with_suffix = pattern + suffix;
  std::vector<char> buf(with_suffix.begin(), with_suffix.end());
  buf.push_back('\0');
  const int fd = ::mkstemps(buf.data(), static_cast<int>(suffix.size()));
  if (fd < 0) throw std::runtime_error("mkstemps failed");
  ::close(fd);
  path.assign(buf.data());
}

TempPath::~TempPath() { ::unlink(path.c_str()); }

void write_file(const std::string& path, std::span<const std::uint8_t> data) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  const bool ok = data.empty() || std::fwrite(data.data(), 1, data.size(), f) == data.size();
  if (std::fclose(f) != 0 || !ok) throw std::runtime_error("cannot write " + path);
}

Bytes read_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw std::runtime_error("cannot open " + path + ": " + std::strerror(errno));
  Bytes out;
  std::array<std::uint8_t, 65536> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) out.insert(out.end(), buf.data(), buf.data() + n);
  std::fclose(f);
  return out;
}

std::string run_command(const std::string& command, int* status) {
  std::FILE* p = ::popen(command.c_str(), "r");
  if (!p) throw std::runtime_error("popen failed: " + command);
  std::string out;
  char buf[65536];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = ::pclose(p);
  if (status) *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

bool have_program(const std::string& name) {
  int status = 0;
  run_command("command -v " + name + " >/dev/null 2>&1", &status);
  return status == 0;
}

}  // namespace slimcap::test
