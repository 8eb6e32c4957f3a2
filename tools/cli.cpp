#include "cli.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <string_view>

#include <fmt/format.h>

#include "command_support.hpp"
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
  // "--compress", not CLI11's "--compress{3}".
  std::string make_option_name(const CLI::Option* opt, bool is_positional) const override {
    if (is_positional) return CLI::Formatter::make_option_name(opt, is_positional);
    std::string names;
    for (const auto& s : opt->get_snames()) names += (names.empty() ? "-" : ",-") + s;
    for (const auto& l : opt->get_lnames()) names += (names.empty() ? "--" : ",--") + l;
    return names;
  }
  // A flag shows nothing after its name, or "[=LEVEL]" when it takes an optional value; no
  // "Needs:" (the description says it).
  std::string make_option_opts(const CLI::Option* opt) const override {
    if (opt->get_expected_max() > 0) {
      // No "Needs:" or "Excludes:" after the type: the description says it.
      std::string opts = CLI::Formatter::make_option_opts(opt);
      for (const char* tail : {" Needs:", " Excludes:"}) opts = opts.substr(0, opts.find(tail));
      return opts;
    }
    if (opt->get_fnames().empty()) return {};
    const std::string type = opt->get_type_name();
    return "[=" + (type.empty() ? std::string("VALUE") : type) + "]";
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

// How error messages name the argument of each value flag: `slimcap: -c: invalid packet count
// 'abc'` (tcpdump's words where it has them). A flag not listed here is named after its type
// name (kTypeNouns), so a new flag gets a sensible message without an entry.
struct ValueWords {
  std::string_view flag;
  std::string_view noun;
  std::string_view unit;  // after a range: "(64 to 4194304 KiB)"
  std::string_view hint;  // what a valid value looks like, where no CLI11 validator says it
};
constexpr ValueWords kValueWords[] = {
    {"-r", "file name", "", ""},
    {"-F", "file name", "", ""},
    {"-w", "file name", "", ""},
    {"-c", "packet count", "", ""},
    {"--compress", "compression level", "", ""},
    {"-i", "interface", "", ""},
    {"--duration", "duration", "seconds", ""},
    {"-s", "snapshot length", "", ""},
    {"-Q", "capture direction", "", ""},
    {"-B", "buffer size", "KiB", ""},
    {"--block-size", "block size", "KiB", ""},
    {"--block-timeout", "block timeout", "ms", ""},
    {"--mode", "capture mode", "", ""},
    {"-C", "file size", "", "millions of bytes, or KiB, MiB, GiB with a k, m or g suffix"},
    {"-G", "rotation period", "seconds", ""},
    {"-W", "file count", "", ""},
    {"-Z", "user", "", ""},
    // tcpdump's words for flags that other parts of issue 8 add.
    {"-V", "file name", "", ""},
    {"-j", "time stamp type", "", ""},
    {"-y", "data link type", "", ""},
    {"-z", "command", "", ""},
    {"--time-stamp-precision", "time stamp precision", "", ""},
};
constexpr std::pair<std::string_view, std::string_view> kTypeNouns[] = {
    {"FILE", "file name"},  {"N", "number"},           {"SECONDS", "number of seconds"},
    {"MS", "number of milliseconds"}, {"KIB", "size in KiB"}, {"IF", "interface"},
    {"USER", "user"},       {"SIZE", "size"},           {"LEVEL", "level"},
    {"TYPE", "type"},       {"COMMAND", "command"},
};

const ValueWords* value_words(const CLI::Option& option) {
  for (const ValueWords& w : kValueWords) {
    for (const auto& s : option.get_snames())
      if (w.flag.size() == s.size() + 1 && w.flag.substr(1) == s) return &w;
    for (const auto& l : option.get_lnames())
      if (w.flag.size() == l.size() + 2 && w.flag.substr(2) == l) return &w;
  }
  return nullptr;
}

// CLI11 describes its stock validators as "INT in [1 - 19]", "{in,out,inout}", "POSITIVE" and
// "NONNEGATIVE"; this says the same in words ("1 to 19", "in, out or inout"). Anything else
// gives no hint rather than a wrong one.
std::string valid_values(const std::string& description, std::string_view unit) {
  const std::string suffix = unit.empty() ? "" : " " + std::string(unit);
  const auto open = description.find('[');
  const auto dash = description.find(" - ", open);
  if (open != std::string::npos && dash != std::string::npos && description.back() == ']')
    return description.substr(open + 1, dash - open - 1) + " to " +
           description.substr(dash + 3, description.size() - dash - 4) + suffix;
  if (description.size() > 2 && description.front() == '{' && description.back() == '}') {
    std::vector<std::string> items;
    std::istringstream in(description.substr(1, description.size() - 2));
    for (std::string item; std::getline(in, item, ',');) items.push_back(item);
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
      out += (i == 0 ? "" : i + 1 == items.size() ? " or " : ", ") + items[i];
    return out;
  }
  if (description == "POSITIVE") return "more than 0" + suffix;
  return {};
}

bool takes_no_value(const CLI::Option& option) {
  return option.get_expected_max() == 0 && option.get_fnames().empty();
}

// Makes one option speak slimcap's language; run on every option once all are defined, so it
// covers flags added later without a line of their own:
// - a repeated single-valued option takes the last value, as tcpdump does;
// - --help shows the type name alone ("-c N", not "-c N:NONNEGATIVE");
// - every value CLI11 checks or converts is first worded as slimcap's complaint about it, for
//   parse_command_line to report if CLI11 rejects it (CLI11's own texts are not shown).
void speak_slimcap(CLI::Option& option, Command& cmd) {
  if (option.get_expected_max() == 1 || !option.get_fnames().empty())
    option.multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  const ValueWords* words = value_words(option);
  std::string hint = words != nullptr ? std::string(words->hint) : std::string();
  for (int i = 0;; ++i) {
    CLI::Validator* validator = nullptr;
    try {
      validator = option.get_validator(i);
    } catch (const CLI::OptionNotFound&) {
      break;
    }
    if (hint.empty())
      hint = valid_values(validator->get_description(), words != nullptr ? words->unit : "");
    validator->description("");
  }
  const bool no_value = takes_no_value(option);
  const std::string name = flag_name(option);
  const std::string noun = value_noun(option);
  if (no_value) hint.clear();
  const std::string suffix = hint.empty() ? "" : fmt::format(" ({})", hint);
  // transform() puts it before every other validator: it sees each value as typed.
  option.transform(CLI::Validator(
      [&cmd, name, noun, suffix, no_value](std::string& value) {
        cmd.last_value_complaint = no_value ? fmt::format("{}: takes no value", name)
                                            : fmt::format("{}: invalid {} '{}'{}", name, noun,
                                                          value, suffix);
        return std::string();
      },
      ""));
}

void speak_slimcap(CLI::App& app, Command& cmd) {
  for (CLI::Option* option : app.get_options()) {
    if (option == app.get_help_ptr() || option == app.get_version_ptr() ||
        option->get_positional())
      continue;
    speak_slimcap(*option, cmd);
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    speak_slimcap(*sub, cmd);
}

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
  app.add_flag("-S", f.absolute_seq,
               "Absolute TCP sequence numbers (default: relative to the conversation's start)");
  app.add_flag("-l", f.line_buffered, "Write each output line as soon as it is formatted");
  app.add_flag("-U", f.packet_buffered, "Write each packet to the -w file as soon as it is read");
  app.add_flag("--json", f.json, "One JSON object per packet instead of text lines");
}

// tcpdump's -s 0: the whole packet.
std::string whole_packet_if_zero(std::string value) {
  const bool zero = !value.empty() && value.find_first_not_of('0') == std::string::npos;
  return zero ? "262144" : value;
}

// The capture socket's flags, with the defaults already in `f` shown in --help.
void add_ring_flags(CLI::App& app, RingFlags& f) {
  app.add_option("-s", f.snaplen,
                 fmt::format("Keep at most N bytes of each packet (default {}; 0: 262144)", f.snaplen))
      ->type_name("N")
      ->check(CLI::Range(0u, 262144u))
      ->transform(whole_packet_if_zero);
  app.add_flag("-p", f.no_promiscuous, "Do not put the interface into promiscuous mode");
  app.add_option("-Q", f.direction, "Packets to capture: in, out or inout (default)")
      ->type_name("DIR")
      ->check(CLI::IsMember({"in", "out", "inout"}));
  app.add_option("-B", f.buffer_kib, fmt::format("Ring size in KiB (default {})", f.buffer_kib))
      ->type_name("KIB")
      ->check(CLI::Range(64u, 4194304u));
  app.add_option("--block-size", f.block_kib,
                 fmt::format("Ring block size in KiB, a power of two (default {})", f.block_kib))
      ->type_name("KIB")
      ->check(CLI::Range(4u, 65536u));
  app.add_option("--block-timeout", f.block_timeout_ms,
                 fmt::format("Hand over a partly filled block after MS milliseconds (default {})",
                             f.block_timeout_ms))
      ->type_name("MS")
      ->check(CLI::Range(1u, 10000u));
  app.add_option("--mode", f.mode,
                 "ring (default): TPACKET_V3 mmap ring; socket: batched recvmmsg() reads")
      ->type_name("MODE")
      ->check(CLI::IsMember({"ring", "socket"}));
}


// -C is checked while parsing, so that a bad size is reported like every other bad value.
std::string rotate_size_check(const std::string& value) {
  try {
    parse_rotate_size(value);
    return {};
  } catch (const UsageError& e) {
    return e.what();
  }
}

// The flags of a capture from one interface: live's, and fanout's, where each worker applies
// them to its own socket.
void add_capture_flags(CLI::App& app, LiveFlags& l) {
  app.add_option("-i", l.interface,
                 "Interface to capture on, or its number in -D's list; 'any' for all "
                 "(default: the first one -D lists)")
      ->type_name("IF");
  app.add_flag("-D", l.list_interfaces, "List the interfaces slimcap can capture on and exit");
  app.add_option("-F", l.filter_file, "Read the filter expression from FILE")
      ->type_name("FILE");
  app.add_option("-c", l.max_packets, "Stop after N packets")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--duration", l.duration, "Stop after SECONDS")
      ->type_name("SECONDS")
      ->check(CLI::PositiveNumber);
  app.add_option("-w", l.write_file,
                 "Write packets to FILE as pcap ('-' is stdout; .zst compresses)")
      ->type_name("FILE");
  app.add_flag("--compress{3}", l.compress_level,
               "Compress the -w file with zstd (--compress=LEVEL, 1-19; default 3)")
      ->type_name("LEVEL")
      ->check(CLI::Range(1, 19));
  app.add_flag("--print", l.print, "Print packets while writing them with -w");
  add_ring_flags(app, l.ring);
  app.add_option("-C", l.rotate_size,
                 "Start a new -w file before one passes SIZE (millions of bytes; "
                 "suffix k, m or g for KiB, MiB, GiB)")
      ->type_name("SIZE")
      ->check(rotate_size_check);
  app.add_option("-G", l.rotate_seconds,
                 "Start a new -w file every SECONDS, on wall-clock boundaries; FILE may hold "
                 "strftime conversions")
      ->type_name("SECONDS")
      ->check(CLI::Range(1u, 31622400u));
  app.add_option("-W", l.rotate_files, "With -C or -G: keep at most N files, deleting the oldest")
      ->type_name("N")
      ->check(CLI::Range(1u, 1000000u));
  app.add_option("-Z", l.user,
                 "Drop privileges to USER after opening the capture, before opening files")
      ->type_name("USER");
  app.add_flag("-d", l.dump_filter,
               "Print the filter program compiled for the interface's link type and exit "
               "(-dd: C array, -ddd: decimal)");
  app.add_flag("-L,--list-data-link-types", l.list_link_types, "List the interface's link types and exit");
  app.add_option("-y,--linktype", l.link_type, "Capture with link type TYPE, one of those -L lists")
      ->type_name("TYPE");
  app.add_flag("-J,--list-time-stamp-types", l.list_timestamp_types, "List the interface's time stamp types and exit");
  app.add_option("-j,--time-stamp-type", l.timestamp_type,
                 "Time stamps from TYPE, one of those -J lists (default: host)")
      ->type_name("TYPE");
  app.add_flag("--immediate-mode", l.immediate,
               "Hand each packet over at once (a ring of frames, not blocks)");
  app.add_option("-z", l.post_rotate_command,
                 "With -C or -G: run COMMAND FILE on each finished file (e.g. gzip)")
      ->type_name("COMMAND");
  app.add_option("--fanout-group", l.fanout_group,
                 "Join PACKET_FANOUT group ID, shared with other processes on the interface")
      ->type_name("ID")
      ->check(CLI::Range(0, 65535));
  app.add_option("--sample", l.sample,
                 "Keep about 1 in N packets, chosen at random in the kernel")
      ->type_name("N")
      ->check(CLI::Range(2u, 1000000000u));
  add_print_flags(app, l.print_flags);
  app.add_option("expression", l.positionals, "The filter expression")
      ->type_name("[EXPRESSION]");
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
      ->type_name("LEVEL")
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
  CLI::App* live = app.add_subcommand(
      "live", "Capture from an interface through a TPACKET_V3 ring: print or write");
  add_capture_flags(*live, cmd->live);
  cmd->live_app = live;
  StatsFlags& st = cmd->stats;
  CLI::App* stats = app.add_subcommand(
      "stats", "Interface rates and drop counters per interval, or capture file summaries");
  stats->add_option("-i", st.interfaces,
                    "Interface to watch (repeatable; default: every interface that is up but lo)")
      ->type_name("IF")
      ->allow_extra_args(false);
  stats->add_option("-I,--interval", st.interval, "Seconds per row (fractions allowed; default 1)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.01, 86400.0));
  stats->add_option("-c", st.rows, "Stop after N rows (intervals)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  stats->add_option("--duration", st.duration, "Stop after SECONDS")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.000001, 1e9));
  stats->add_flag("--json", st.json, "One JSON object per interface and interval, or per file");
  stats->add_flag("--csv", st.csv, "Comma-separated rows with a header line");
  stats->add_flag("--no-header", st.no_header, "With --csv: no header line");
  stats->add_option("--prom", st.prom_file,
                    "Keep FILE in the Prometheus text format (node_exporter's textfile "
                    "collector), replaced each interval")
      ->type_name("FILE");
  stats->add_option("--capture", st.capture,
                    "Also capture (matching FILTER, if given): socket drops, ring fill, "
                    "protocol mix")
      ->type_name("FILTER")
      ->expected(0, 1)
      ->allow_extra_args(false);
  stats->add_option("--top", st.top, "Show the top N addresses and conversations (--capture, files)")
      ->type_name("N")
      ->check(CLI::Range(1u, 1000u));
  stats->add_option("-F", st.filter_file, "Read the filter expression from FILE")
      ->type_name("FILE");
  stats->add_option("--series", st.series, "Files: add rows of SECONDS each (fractions allowed)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.000001, 1e9));
  stats->add_option("--svg", st.svg_file, "Files, with --series: draw an I/O graph into FILE")
      ->type_name("FILE");
  add_ring_flags(*stats, st.ring);
  stats->add_option("args", st.positionals,
                    "Capture files ('-' is stdin), then a filter expression; none: interfaces")
      ->type_name("[FILE...] [EXPRESSION]");
  stats->get_option("--no-header")->needs(stats->get_option("--csv"));
  stats->get_option("--svg")->needs(stats->get_option("--series"));
  for (const char* a : {"--json", "--csv", "--prom"})
    for (const char* b : {"--json", "--csv", "--prom"})
      if (std::string_view(a) < std::string_view(b))
        stats->get_option(a)->excludes(stats->get_option(b));
  cmd->stats_app = stats;
  FanoutFlags& fo = cmd->fanout;
  CLI::App* fanout = app.add_subcommand(
      "fanout", "Capture with N workers in one PACKET_FANOUT group: flows kept whole");
  add_capture_flags(*fanout, fo.capture);
  fanout->get_option("-w")->description(
      "Write packets to FILE as pcap ('-' is stdout; .zst compresses): %n in FILE gives one "
      "file per worker (%n = its number), otherwise one file merged in time order");
  fanout->get_option("-B")->description(
      fmt::format("Ring size in KiB, per worker (default {})", fo.capture.ring.buffer_kib));
  fanout->get_option("-c")->description("Stop after N packets in all (all workers together)");
  fanout->add_option("--workers", fo.workers,
                     "Capture with N workers (default: the number of online CPUs)")
      ->type_name("N")
      ->check(CLI::Range(1u, 256u));
  fanout->add_option("--cpus", fo.cpus, "Pin worker k to the k-th CPU of LIST (e.g. 0-3,8)")
      ->type_name("LIST");
  fanout->add_option("--cluster", fo.cluster,
                     "How packets are spread: hash (default; flows kept whole), lb, cpu, qm, "
                     "random, rollover, flow2, flow4, tcp5")
      ->type_name("MODE")
      ->check(CLI::IsMember({"hash", "lb", "cpu", "qm", "random", "rollover", "flow2", "flow4",
                             "tcp5"}));
  fanout->add_flag("--defrag", fo.defrag,
                   "Reassemble IPv4 fragments in the kernel before spreading (files then hold "
                   "the reassembled datagrams)");
  fanout->add_flag("--rollover", fo.rollover, "Spill to the next worker when one's ring is full");
  fanout->add_flag("--ignore-outgoing", fo.ignore_outgoing,
                   "Leave out packets the host sends (Linux 6.2 or later)");
  fanout->add_flag("--self-test", fo.self_test,
                   "Check fanout on this kernel in a private network namespace and exit");
  fanout->add_option("--sample-flows", fo.sample_flows,
                     "Keep whole flows (both directions), about 1 in N of them")
      ->type_name("N")
      ->check(CLI::Range(2u, 256u));
  fanout->add_option("--stats", fo.stats_interval,
                     "Print per-worker counters every SECONDS instead of packets (as slimcap "
                     "stats: a table, or --json, --csv, --prom FILE)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.01, 86400.0));
  fanout->add_flag("--csv", fo.csv, "With --stats: comma-separated rows with a header line");
  fanout->add_option("--prom", fo.prom_file,
                     "With --stats: keep FILE in the Prometheus text format, replaced each "
                     "interval")
      ->type_name("FILE");
  fanout->add_option("--reorder-window", fo.reorder_window_ms,
                     "Merged output: hold packets up to MS milliseconds to put them in time "
                     "order (default: twice --block-timeout plus 100)")
      ->type_name("MS")
      ->check(CLI::Range(1u, 60000u));
  fanout->get_option("--json")->description(
      "One JSON object per packet, with its worker; with --stats, per worker and interval");
  fanout->get_option("--csv")->needs(fanout->get_option("--stats"));
  fanout->get_option("--prom")->needs(fanout->get_option("--stats"));
  fanout->get_option("--csv")->excludes(fanout->get_option("--json"));
  fanout->get_option("--fanout-group")->description(
      "Join PACKET_FANOUT group ID (default: a new group with an id the kernel picks)");
  cmd->fanout_app = fanout;
  // What only applies to a -w file is refused without one rather than silently ignored.
  for (CLI::App* sub : {read, live, fanout}) {
    for (const char* name : {"--compress", "--print"})
      // fanout --print without -w: printing is what it does then anyway (the issue's
      // `slimcap fanout -i eth0 'tcp port 443' --print`).
      if (sub != fanout || std::string_view(name) != "--print")
        sub->get_option(name)->needs(sub->get_option("-w"));
  }
  speak_slimcap(app, *cmd);
  // After the subcommands, which would inherit it.
  app.footer(
      "Without a subcommand, slimcap takes tcpdump's flags: with -r or -V it reads\n"
      "files (read), otherwise it captures (live): slimcap -nr f.pcap tcp,\n"
      "slimcap -i eth0 -w x.pcap, slimcap -D.");
  return cmd;
}

RingFlags stats_ring_defaults() {
  RingFlags ring;
  ring.snaplen = kStatsSnaplen;
  ring.buffer_kib = 16384;
  ring.block_kib = 1024;
  return ring;
}

std::string flag_name(const CLI::Option& option) {
  if (!option.get_snames().empty()) return "-" + option.get_snames().front();
  return option.get_name();
}

std::string value_noun(const CLI::Option& option) {
  if (const ValueWords* words = value_words(option)) return std::string(words->noun);
  std::string type = option.get_type_name();
  type = type.substr(0, type.find(':'));
  for (const auto& [name, noun] : kTypeNouns)
    if (type == name) return std::string(noun);
  if (type.empty()) return "value";
  std::transform(type.begin(), type.end(), type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return type;
}

std::string implied_subcommand(const Command& cmd, const std::vector<std::string>& args) {
  // The options that take a value, so that a value is not read as flags ("-w -rx").
  std::string short_values;
  std::vector<std::string> long_values;
  for (const CLI::App* sub : {cmd.read_app, cmd.live_app}) {
    for (const CLI::Option* option : sub->get_options()) {
      if (option->get_positional() || option->get_expected_min() == 0) continue;
      for (const auto& s : option->get_snames()) short_values += s;
      for (const auto& l : option->get_lnames()) long_values.push_back("--" + l);
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    if (arg[1] == '-') {
      if (std::find(long_values.begin(), long_values.end(), arg) != long_values.end()) ++i;
      continue;
    }
    // A cluster of short flags, as getopt reads it: "-nnr" ends with -r; "-c5" is -c 5.
    for (std::size_t k = 1; k < arg.size(); ++k) {
      if (arg[k] == 'r' || arg[k] == 'V') return "read";
      if (short_values.find(arg[k]) != std::string::npos) {
        if (k + 1 == arg.size()) ++i;
        break;
      }
    }
  }
  return "live";
}

namespace {

std::string subcommand_list(const CLI::App& app) {
  std::string names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names += (names.empty() ? "" : ", ") + sub->get_name();
  return names;
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.compare(0, prefix.size(), prefix) == 0;
}

// The subcommand the parse went into (the top level when none).
const CLI::App& parsed_app(const Command& cmd) {
  for (const CLI::App* sub : {cmd.read_app, cmd.live_app, cmd.stats_app, cmd.fanout_app})
    if (sub->parsed()) return *sub;
  return *cmd.app;
}

// slimcap's one line for a command line CLI11 rejected. CLI11's error classes say what went
// wrong; the option and value come from the model and the values seen (speak_slimcap), not from
// CLI11's texts, except where only the text names the option (a missing value).
std::string usage_message(const Command& cmd, const CLI::ParseError& e) {
  const CLI::App& app = parsed_app(cmd);
  const std::string what = e.what();
  if (dynamic_cast<const CLI::ValidationError*>(&e) != nullptr ||
      dynamic_cast<const CLI::ConversionError*>(&e) != nullptr) {
    // CLI11's text names the option as get_name() does; the complaint is about the same one.
    for (const CLI::Option* option : app.get_options())
      if (!cmd.last_value_complaint.empty() && option->count() > 0 &&
          starts_with(cmd.last_value_complaint, flag_name(*option) + ":") &&
          what.find(option->get_name()) != std::string::npos)
        return cmd.last_value_complaint;
  }
  if (dynamic_cast<const CLI::ArgumentMismatch*>(&e) != nullptr) {
    for (const CLI::Option* option : app.get_options())
      if (!option->get_positional() && starts_with(what, option->get_name() + ":"))
        return fmt::format("{}: missing {}", flag_name(*option), value_noun(*option));
  }
  if (dynamic_cast<const CLI::RequiresError*>(&e) != nullptr) {
    for (const CLI::Option* option : app.get_options()) {
      if (option->count() == 0) continue;
      for (const CLI::Option* needed : option->get_needs())
        if (needed->count() == 0)
          return fmt::format("{}: needs {}{}{}", flag_name(*option), flag_name(*needed),
                             needed->get_type_name().empty() ? "" : " ",
                             needed->get_type_name());
    }
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr && !app.remaining().empty()) {
    const std::string extra = app.remaining().front();
    const std::string help = app.get_parent() == nullptr
                                 ? std::string("slimcap --help")
                                 : fmt::format("slimcap {} --help", app.get_name());
    if (extra.size() > 1 && extra[0] == '-')
      return fmt::format("{}: unknown option ({} lists them)", extra, help);
    return fmt::format("'{}': unexpected argument ({})", extra, help);
  }
  return what;
}

}  // namespace

void parse_command_line(Command& cmd, const std::vector<std::string>& args) {
  std::vector<std::string> words(args.begin() + (args.empty() ? 0 : 1), args.end());
  const bool top_level =
      !words.empty() && (words[0] == "-h" || words[0] == "--help" || words[0] == "--version");
  if (words.empty() || (!top_level && starts_with(words[0], "-"))) {
    words.insert(words.begin(), implied_subcommand(cmd, words));
  } else if (!top_level) {
    bool known = false;
    for (const CLI::App* sub : cmd.app->get_subcommands([](const CLI::App*) { return true; }))
      known = known || sub->get_name() == words[0];
    if (!known)
      throw UsageError(fmt::format("unknown subcommand '{}' ({})", words[0],
                                   subcommand_list(*cmd.app)));
  }
  std::reverse(words.begin(), words.end());  // CLI11 takes them last first
  cmd.last_value_complaint.clear();
  try {
    cmd.app->parse(words);
  } catch (const CLI::Success&) {
    throw;
  } catch (const CLI::ParseError& e) {
    throw UsageError(usage_message(cmd, e));
  }
}

}  // namespace slimcap::cli
