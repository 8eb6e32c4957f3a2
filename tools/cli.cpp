#include "cli.hpp"

#include <sstream>

#include "slimcap_version.hpp"

namespace slimcap::cli {
namespace {

constexpr std::size_t kHelpWidth = 80;
constexpr std::size_t kNameColumn = 26;

// CLI11 2.1 does not wrap descriptions; this keeps --help within 80 columns.
class WrappingFormatter : public CLI::Formatter {
 public:
  WrappingFormatter() { column_width(kNameColumn); }

  std::string make_option_desc(const CLI::Option* opt) const override {
    return wrap(CLI::Formatter::make_option_desc(opt), kHelpWidth - kNameColumn);
  }
  std::string make_subcommand(const CLI::App* sub) const override {
    std::ostringstream out;
    CLI::detail::format_help(out, sub->get_display_name(),
                             wrap(sub->get_description(), kHelpWidth - kNameColumn),
                             column_width_);
    return out.str();
  }

 private:
  static std::string wrap(const std::string& text, std::size_t width) {
    std::string out;
    std::size_t line = 0;
    std::istringstream words(text);
    std::string word;
    while (words >> word) {
      if (line > 0 && line + 1 + word.size() > width) {
        out += '\n';
        line = 0;
      } else if (line > 0) {
        out += ' ';
        ++line;
      }
      out += word;
      line += word.size();
    }
    return out;
  }
};

// The printing flags, shared by every subcommand that prints packets.
void add_print_flags(CLI::App& app, PrintFlags& f) {
  app.add_flag("-e", f.link_header, "Print the link-level header on each line");
  app.add_flag("-x", f.hex, "Hex dump of each packet from the network header (-xx: link header)");
  app.add_flag("-X", f.hex_ascii, "Hex and ASCII dump of each packet (-XX: from the link header)");
  app.add_flag("-A", f.ascii, "ASCII dump of each packet from the network header");
  app.add_flag("-t", f.timestamp,
               "-t no time, -tt epoch seconds, -ttt delta, -tttt date, -ttttt since first");
  app.add_flag("--nano", f.nano, "Nanosecond timestamps (printing, and -w files)");
  app.add_flag("-q", f.quiet, "Quick output: less protocol detail");
  app.add_flag("-#,--number", f.number, "Print a packet number at the start of each line");
  app.add_flag("-v", f.verbose, "More detail: IP TTL, id, flags and lengths (-vv)");
  app.add_flag("-K,--dont-verify-checksums", f.no_checksums,
               "Do not verify IP, TCP, UDP and ICMP checksums (-v)");
  app.add_flag("-n", f.numeric, "Accepted for tcpdump habits: slimcap never resolves names");
  app.add_flag("-S", f.absolute_seq, "Accepted for tcpdump habits: TCP numbers are absolute");
  app.add_flag("-l", f.line_buffered, "Write each output line as soon as it is formatted");
  app.add_flag("-U", f.packet_buffered, "Write each packet to the -w file as soon as it is read");
  app.add_flag("--json", f.json, "One JSON object per packet instead of text lines");
}

}  // namespace

std::unique_ptr<Command> make_command() {
  auto cmd = std::make_unique<Command>();
  cmd->app = std::make_unique<CLI::App>(
      "slimcap: tcpdump-style packet capture, fast, lossless and compressed", "slimcap");
  CLI::App& app = *cmd->app;
  app.set_version_flag("--version", "slimcap " SLIMCAP_VERSION);
  app.require_subcommand(1);
  app.formatter(std::make_shared<WrappingFormatter>());

  ReadFlags& r = cmd->read;
  CLI::App* read = app.add_subcommand(
      "read", "Read pcap, pcapng and .zst captures: filter, print, count, convert");
  read->add_option("-r", r.read_files,
                   "Capture file to read (repeatable; '-' is stdin). Then every argument is "
                   "filter expression")
      ->type_name("FILE")
      ->allow_extra_args(false);  // one file per -r; what follows is expression
  read->add_option("-F", r.filter_file, "Read the filter expression from FILE")
      ->type_name("FILE");
  read->add_option("-V", r.file_list,
                   "Read the names of the capture files from FILE, one per line ('-' is stdin). "
                   "Then every argument is filter expression")
      ->type_name("FILE");
  read->add_option("-c", r.max_packets, "Stop after N packets that pass the filter")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber);
  read->add_flag("--count", r.count, "Print only the number of matching packets");
  read->add_option("-w", r.write_file,
                   "Write matching packets to FILE as pcap ('-' is stdout; .zst compresses)")
      ->type_name("FILE");
  read->add_flag("--compress{3}", r.compress_level,
                 "Compress the -w file with zstd (--compress=LEVEL, 1-19; default 3)")
      ->check(CLI::Range(1, 19));
  read->add_flag("--print", r.print, "Print packets while writing them with -w");
  read->add_flag("-d", r.dump_filter,
                 "Print the compiled filter program and exit (-dd: C array, -ddd: decimal)");
  add_print_flags(*read, r.print_flags);
  read->add_option("--time-stamp-precision", r.time_stamp_precision,
                   "micro or nano: the precision of printed times and of the -w file "
                   "(nano is --nano)")
      ->type_name("PRECISION")
      ->check(CLI::IsMember({"micro", "nano"}));
  read->add_option("args", r.positionals,
                   "Capture files ('-' is stdin), then the filter expression")
      ->type_name("FILE... [EXPRESSION]");

  // The subcommands of later issues: present in --help, refused until they land.
  cmd->read_app = read;
  LiveFlags& l = cmd->live;
  CLI::App* live = app.add_subcommand(
      "live", "Capture from an interface through a TPACKET_V3 ring: print or write");
  live->add_option("-i", l.interface,
                   "Interface to capture on, or its number in -D's list; 'any' for all "
                   "(default: the first one -D lists)")
      ->type_name("IF");
  live->add_flag("-D", l.list_interfaces, "List the interfaces slimcap can capture on and exit");
  live->add_option("-F", l.filter_file, "Read the filter expression from FILE")
      ->type_name("FILE");
  live->add_option("-c", l.max_packets, "Stop after N packets")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber);
  live->add_option("--duration", l.duration, "Stop after SECONDS")
      ->type_name("SECONDS")
      ->check(CLI::PositiveNumber);
  live->add_option("-w", l.write_file,
                   "Write packets to FILE as pcap ('-' is stdout; .zst compresses)")
      ->type_name("FILE");
  live->add_flag("--compress{3}", l.compress_level,
                 "Compress the -w file with zstd (--compress=LEVEL, 1-19; default 3)")
      ->check(CLI::Range(1, 19));
  live->add_flag("--print", l.print, "Print packets while writing them with -w");
  live->add_option("-s", l.snaplen, "Keep at most N bytes of each packet (default 262144)")
      ->type_name("N")
      ->check(CLI::Range(1u, 262144u));
  live->add_flag("-p", l.no_promiscuous, "Do not put the interface into promiscuous mode");
  live->add_option("-Q", l.direction, "Packets to capture: in, out or inout (default)")
      ->type_name("DIR")
      ->check(CLI::IsMember({"in", "out", "inout"}));
  live->add_option("-B", l.buffer_kib, "Ring size in KiB (default 65536)")
      ->type_name("KIB")
      ->check(CLI::Range(64u, 4194304u));
  live->add_option("--block-size", l.block_kib,
                   "Ring block size in KiB, a power of two (default 4096)")
      ->type_name("KIB")
      ->check(CLI::Range(4u, 65536u));
  live->add_option("--block-timeout", l.block_timeout_ms,
                   "Hand over a partly filled block after MS milliseconds (default 50)")
      ->type_name("MS")
      ->check(CLI::Range(1u, 10000u));
  live->add_option("--mode", l.mode,
                   "ring (default): TPACKET_V3 mmap ring; socket: batched recvmmsg() reads")
      ->type_name("MODE")
      ->check(CLI::IsMember({"ring", "socket"}));
  live->add_option("-C", l.rotate_size,
                   "Start a new -w file before one passes SIZE (millions of bytes; "
                   "suffix k, m or g for KiB, MiB, GiB)")
      ->type_name("SIZE");
  live->add_option("-G", l.rotate_seconds,
                   "Start a new -w file every SECONDS, on wall-clock boundaries; FILE may hold "
                   "strftime conversions")
      ->type_name("SECONDS")
      ->check(CLI::Range(1u, 31622400u));
  live->add_option("-W", l.rotate_files, "With -C or -G: keep at most N files, deleting the oldest")
      ->type_name("N")
      ->check(CLI::Range(1u, 1000000u));
  live->add_option("-Z", l.user,
                   "Drop privileges to USER after opening the capture, before opening files")
      ->type_name("USER");
  live->add_flag("-d", l.dump_filter,
                 "Print the filter program compiled for the interface's link type and exit "
                 "(-dd: C array, -ddd: decimal)");
  live->add_flag("-L,--list-data-link-types", l.list_link_types, "List the interface's link types and exit");
  live->add_option("-y,--linktype", l.link_type, "Capture with link type TYPE, one of those -L lists")
      ->type_name("TYPE");
  live->add_flag("-J,--list-time-stamp-types", l.list_timestamp_types, "List the interface's time stamp types and exit");
  live->add_option("-j,--time-stamp-type", l.timestamp_type,
                   "Time stamps from TYPE, one of those -J lists (default: host)")
      ->type_name("TYPE");
  live->add_flag("--immediate-mode", l.immediate,
                 "Hand each packet over at once (a ring of frames, not blocks)");
  live->add_option("-z", l.post_rotate_command,
                   "With -C or -G: run COMMAND FILE on each finished file (e.g. gzip)")
      ->type_name("COMMAND");
  add_print_flags(*live, l.print_flags);
  live->add_option("expression", l.positionals, "The filter expression")
      ->type_name("[EXPRESSION]");
  cmd->live_app = live;
  cmd->stats_app =
      app.add_subcommand("stats", "Packet, byte and drop rates per interval (not implemented yet)");
  cmd->fanout_app = app.add_subcommand(
      "fanout", "Capture with N workers in a PACKET_FANOUT group (not implemented yet)");
  for (CLI::App* stub : {cmd->stats_app, cmd->fanout_app}) {
    stub->allow_extras();
  }
  return cmd;
}

}  // namespace slimcap::cli
