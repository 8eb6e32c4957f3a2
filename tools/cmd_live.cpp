// `slimcap live`: packets from an interface's TPACKET_V3 ring out as text, JSON or a file,
// with tcpdump's banner and closing counters.

#include <net/if.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "command_support.hpp"
#include "commands.hpp"
#include "output.hpp"
#include "print_setup.hpp"
#include "signals.hpp"
#include "slimcap/capture.hpp"
#include "slimcap/filter.hpp"
#include "slimcap/json.hpp"
#include "slimcap/pcap_writer.hpp"
#include "slimcap/print.hpp"
#include "slimcap/rotation.hpp"
#include "slimcap/timestamp.hpp"

namespace slimcap::cli {
namespace {

// The name of interface `index`, for the IDBs of a pcapng file (asked once per interface; on
// `-i any` every interface the packets came from gets its own IDB).
std::string interface_name(std::uint32_t index) {
  char name[IF_NAMESIZE] = {};
  return ::if_indextoname(index, name) ? name : "";
}

std::atomic<bool> g_report_requested{false};

extern "C" void on_report_signal(int) { g_report_requested.store(true, std::memory_order_relaxed); }

// SIGUSR1 prints the counters without stopping, as tcpdump's SIGINFO/SIGUSR1 does.
void install_report_handler() {
  struct sigaction action {};
  action.sa_handler = on_report_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGUSR1, &action, nullptr);
}

struct InterfaceInfo {
  std::string name;
  unsigned flags = 0;
};

std::vector<InterfaceInfo> interfaces() {
  std::vector<InterfaceInfo> out;
  struct if_nameindex* list = ::if_nameindex();
  if (list == nullptr) throw SystemError("cannot list interfaces", errno);
  const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  for (struct if_nameindex* i = list; i->if_index != 0; ++i) {
    InterfaceInfo info{i->if_name, 0};
    ifreq request{};
    std::snprintf(request.ifr_name, IFNAMSIZ, "%s", i->if_name);
    if (fd >= 0 && ::ioctl(fd, SIOCGIFFLAGS, &request) == 0)
      info.flags = static_cast<unsigned short>(request.ifr_flags);
    out.push_back(info);
  }
  if (fd >= 0) ::close(fd);
  ::if_freenameindex(list);
  return out;
}

// tcpdump's choice without -i: the first interface that is up and not loopback.
std::string default_interface() {
  for (const InterfaceInfo& i : interfaces())
    if ((i.flags & IFF_UP) && !(i.flags & IFF_LOOPBACK)) return i.name;
  throw Error("no interface is up; name one with -i");
}

int list_interfaces() {
  int n = 0;
  for (const InterfaceInfo& i : interfaces()) {
    std::string flags = (i.flags & IFF_UP) ? "Up" : "Down";
    if (i.flags & IFF_RUNNING) flags += ", Running";
    if (i.flags & IFF_LOOPBACK) flags += ", Loopback";
    std::printf("%d.%s [%s]\n", ++n, i.name.c_str(), flags.c_str());
  }
  return kExitOk;
}

void print_counters(CaptureSocket& capture, std::uint64_t captured) {
  const CaptureCounters c = capture.counters();
  std::fprintf(stderr,
               "%llu packet%s captured\n%llu packet%s received by filter\n"
               "%llu packet%s dropped by kernel\n",
               static_cast<unsigned long long>(captured), captured == 1 ? "" : "s",
               static_cast<unsigned long long>(c.received), c.received == 1 ? "" : "s",
               static_cast<unsigned long long>(c.dropped), c.dropped == 1 ? "" : "s");
  if (c.freezes != 0)
    std::fprintf(stderr, "%llu ring freeze%s\n", static_cast<unsigned long long>(c.freezes),
                 c.freezes == 1 ? "" : "s");
}

CaptureOptions capture_options(const LiveFlags& flags, const std::string& interface) {
  CaptureOptions o;
  o.interface = interface;
  o.snaplen = flags.snaplen;
  o.promiscuous = !flags.no_promiscuous;
  o.direction = flags.direction == "in"    ? CaptureDirection::in
                : flags.direction == "out" ? CaptureDirection::out
                                           : CaptureDirection::in_out;
  if ((flags.block_kib & (flags.block_kib - 1)) != 0)
    throw UsageError("--block-size must be a power of two (KiB)");
  o.ring.block_size = std::size_t{flags.block_kib} * 1024;
  const std::size_t ring = std::size_t{flags.buffer_kib} * 1024;
  // At least two blocks: a small -B makes the blocks smaller rather than the ring bigger.
  while (o.ring.block_size > 4096 && o.ring.block_size * 2 > ring) o.ring.block_size /= 2;
  o.ring.block_count = ring / o.ring.block_size < 2 ? 2 : ring / o.ring.block_size;
  o.ring.block_timeout = std::chrono::milliseconds(flags.block_timeout_ms);
  o.mode = flags.mode == "socket" ? CaptureMode::socket : CaptureMode::ring;
  return o;
}

// Closes the -w file (its last batch may still fail: ENOSPC) and prints the counters either way.
void finish_file(RotatingWriter* writer, CaptureSocket& capture, std::uint64_t captured) {
  try {
    if (writer) writer->close();
  } catch (const Error&) {
    print_counters(capture, captured);
    throw;
  }
  print_counters(capture, captured);
}

// -C, -G and -W; the combinations are documented in rotation.hpp and the man page.
RotationOptions rotation_options(const LiveFlags& flags) {
  RotationOptions r;
  if (!flags.rotate_size.empty()) r.max_bytes = parse_rotate_size(flags.rotate_size);
  r.seconds = flags.rotate_seconds;
  r.max_files = flags.rotate_files;
  if (r.max_files > 0 && !r.enabled()) throw UsageError("-W needs -C or -G");
  if (r.enabled() && flags.write_file.empty()) throw UsageError("-C and -G need -w FILE");
  if (r.enabled() && flags.write_file == "-")
    throw UsageError("-C and -G rotate files; they cannot rotate standard output (-w -)");
  return r;
}

}  // namespace

int run_live(const LiveFlags& flags) {
  if (flags.list_interfaces) return list_interfaces();
  const std::string interface = flags.interface.empty() ? default_interface() : flags.interface;
  const std::string expression = filter_expression(flags.positionals, 0, flags.filter_file);
  const bool writing = !flags.write_file.empty();
  const PrintFlags& pf = flags.print_flags;
  const bool printing = !writing || flags.print;
  if (writing && flags.write_file == "-" && printing)
    throw UsageError("-w - writes the capture to standard output; it cannot also carry text "
                     "(--print)");
  const RotationOptions rotation = rotation_options(flags);

  Filter filter(expression, flags.snaplen);
  const CaptureOptions options = capture_options(flags, interface);
  std::unique_ptr<CaptureSocket> capture;
  try {
    capture = std::make_unique<CaptureSocket>(options, filter);
  } catch (const SystemError& e) {
    if (e.error_number() == EPERM || e.error_number() == EACCES)
      throw Error(std::string(e.what()) + " (needs root or CAP_NET_RAW)");
    throw;
  }

  const std::size_t asked = options.ring.block_size * options.ring.block_count;
  if (capture->buffer_size() < asked)
    std::fprintf(stderr, "slimcap: %s: the kernel refused a %zu KiB ring; using %zu KiB\n",
                 interface.c_str(), asked / 1024, capture->buffer_size() / 1024);
  // The socket is open: from here on nothing needs root (-Z), and files belong to USER.
  if (!flags.user.empty()) drop_privileges(flags.user);

  std::unique_ptr<RotatingWriter> writer;
  if (writing) {
    WriterOptions w;
    w.link_type = capture->link_type();
    w.snaplen = flags.snaplen;
    w.precision = pf.nano ? TimePrecision::nano : TimePrecision::micro;
    set_output_kind(w, flags.write_file, flags.compress_level);
    w.interface_name = interface_name;
    writer = std::make_unique<RotatingWriter>(flags.write_file, w, rotation, realtime_ns());
  }
  install_report_handler();
  std::fprintf(stderr, "listening on %s, link-type %s, snapshot length %u bytes\n",
               interface.c_str(), link_type_text(capture->link_type()).c_str(), flags.snaplen);

  TextOutput text(STDOUT_FILENO, pf.line_buffered);
  std::optional<Printer> printer;
  if (printing && !pf.json) printer.emplace(print_options(pf));

  const std::uint64_t limit =
      flags.max_packets < 0 ? UINT64_MAX : static_cast<std::uint64_t>(flags.max_packets);
  using Clock = std::chrono::steady_clock;
  const auto deadline = flags.duration > 0
                            ? Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                 std::chrono::duration<double>(flags.duration))
                            : Clock::time_point::max();
  std::uint64_t captured = 0;
  PacketView packet;
  // -U: the file gets the packets as soon as the capture has caught up with the ring (no
  // packet ready), not after each packet: a flush is a round trip to the writer thread
  // (about 20 µs), and the kernel hands packets over a block at a time anyway.
  bool unflushed = false;
  const std::int64_t idle_grace_ns = (2 * std::int64_t{flags.block_timeout_ms} + 500) * 1'000'000;
  try {
    while (captured < limit && !stop_requested()) {
      auto wait = std::chrono::milliseconds(unflushed ? 0 : 250);
      if (deadline != Clock::time_point::max()) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) break;
        if (left < wait) wait = left;
      }
      if (!capture->next(packet, wait)) {
        // Caught up, or idle: send out what is pending, so a quiet link still shows its last
        // packets.
        text.flush();
        if (unflushed) writer->flush();
        unflushed = false;
        // A -G file is closed once its period is over, with a grace for packets still in a
        // block the kernel has not handed over (up to --block-timeout).
        if (writer) writer->idle(realtime_ns() - idle_grace_ns);
        if (g_report_requested.exchange(false)) print_counters(*capture, captured);
        continue;
      }
      ++captured;
      if (writer) {
        writer->write(packet);
        unflushed = pf.packet_buffered;
      }
      if (printing) {
        if (printer)
          printer->print(packet, text.buffer());
        else
          append_json(text.buffer(), packet);
        text.packet_done();
      }
      if (g_report_requested.exchange(false)) {
        text.flush();
        print_counters(*capture, captured);
      }
    }
  } catch (const Error&) {
    // The error at hand is the one reported; output and file are finished as well as they can.
    try {
      text.flush();
    } catch (...) {
    }
    try {
      if (writer) writer->close();
    } catch (...) {
    }
    print_counters(*capture, captured);
    throw;
  } catch (const OutputClosed&) {
    // `--print | head`: the text reader went away; the file still gets closed and checked.
    finish_file(writer.get(), *capture, captured);
    throw;
  }
  text.flush();
  finish_file(writer.get(), *capture, captured);
  return kExitOk;
}

}  // namespace slimcap::cli
