// The command line speaks slimcap's language: every option of every subcommand, given a bad
// value or none, is refused with one line such as `slimcap: -c: invalid packet count 'abc'`
// and exit status 2, whatever the option (the walk takes them from the CLI11 model, so a flag
// added later is walked too); and without a subcommand the flags are tcpdump's.

#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <regex>
#include <string>
#include <vector>

#include "cli.hpp"
#include "command_support.hpp"

namespace {

using slimcap::cli::Command;
using Args = std::vector<std::string>;

// Parses `slimcap ARGS...` into a fresh model; returns the usage error's message, or "" when
// the command line parses.
std::string parse_error(const Args& args, std::unique_ptr<Command>* keep = nullptr) {
  auto cmd = slimcap::cli::make_command();
  Args argv{"slimcap"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string message;
  try {
    slimcap::cli::parse_command_line(*cmd, argv);
  } catch (const slimcap::cli::UsageError& e) {
    message = e.what();
  }
  if (keep != nullptr) *keep = std::move(cmd);
  return message;
}

std::unique_ptr<Command> parsed(const Args& args) {
  std::unique_ptr<Command> cmd;
  const std::string error = parse_error(args, &cmd);
  REQUIRE_MESSAGE(error.empty(), "unexpected usage error: " << error);
  return cmd;
}

std::string quoted(const Args& args) {
  std::string out;
  for (const auto& a : args) {
    out += " '";
    for (char c : a) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    out += "'";
  }
  return out;
}

struct Run {
  int status = -1;
  std::string err;
};

// Runs the built binary (only on command lines that end while parsing: nothing is captured or
// read) and returns its exit status and standard error (standard output with want_stdout).
Run run_tool(const Args& args, bool want_stdout = false) {
  const char* tool = std::getenv("SLIMCAP_TOOL");
  REQUIRE_MESSAGE(tool != nullptr, "SLIMCAP_TOOL is not set (run through meson test)");
  const std::string command = std::string("'") + tool + "'" + quoted(args) +
                              (want_stdout ? " 2>/dev/null" : " 2>&1 >/dev/null");
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  Run run;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) run.err.append(buf, n);
  const int status = ::pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// The binary prints exactly `slimcap: MESSAGE` and exits 2. Only a command line that fails while
// parsing is run: one that parsed would capture or read.
void check_tool_says(const Args& args, const std::string& message) {
  REQUIRE(!message.empty());
  REQUIRE(parse_error(args) == message);
  const Run run = run_tool(args);
  CHECK_MESSAGE(run.status == 2, "slimcap" << quoted(args) << " exited " << run.status);
  CHECK_MESSAGE(run.err == "slimcap: " + message + "\n",
                "slimcap" << quoted(args) << " said: " << run.err);
}

// Nothing of CLI11's own wording reaches the user.
void check_no_parser_words(const std::string& text, const std::string& where) {
  for (const char* word : {"Could not convert", "not in range", "required", "NONNEGATIVE",
                           "POSITIVE", "INT in", "UINT", "not in {", "Expected", "At Most",
                           "The following argument", "was not expected", "Needs:"})
    CHECK_MESSAGE(text.find(word) == std::string::npos, where << " shows '" << word << "': "
                                                              << text);
}

std::string regex_escape(const std::string& text) {
  return std::regex_replace(text, std::regex(R"([.^$|()\[\]{}*+?\\])"), "\\$&");
}

bool is_help(const CLI::Option* option) {
  return option->get_lnames().size() == 1 && option->get_lnames()[0] == "help";
}

}  // namespace

TEST_SUITE("cli") {
  TEST_CASE("every option of every subcommand says in one line what is wrong with its value") {
    const auto model = slimcap::cli::make_command();
    const std::regex noun_shape("[a-z][a-z ]*[a-z]");
    int walked = 0;
    int rejected_abc = 0;
    for (const CLI::App* sub : model->app->get_subcommands([](const CLI::App*) { return true; })) {
      const std::string name = sub->get_name();
      for (const CLI::Option* option : sub->get_options()) {
        if (option->get_positional() || is_help(option)) continue;
        ++walked;
        const std::string flag = slimcap::cli::flag_name(*option);
        const std::string noun = slimcap::cli::value_noun(*option);
        CAPTURE(name);
        CAPTURE(flag);
        if (option->get_expected_max() > 0) {
          CHECK_MESSAGE(std::regex_match(noun, noun_shape), flag << " has no noun: " << noun);
          // The value missing at the end of the line (unless it is optional: --capture).
          const std::string missing = flag + ": missing " + noun;
          if (option->get_expected_min() > 0) {
            CHECK(parse_error({name, flag}) == missing);
            check_tool_says({name, flag}, missing);
          }
          // Values no number, size, choice or name check lets through unless it is free text.
          for (const std::string bad : {"abc", "-1", "1.5", "=5", "99999999999999999999999"}) {
            CAPTURE(bad);
            const std::string error = parse_error({name, flag, bad});
            // Free text (a file, an interface, a user), or refused for want of another flag
            // (--svg FILE needs --series).
            if (error.empty() || error.find(flag + ": needs ") == 0) continue;
            const std::regex shape(regex_escape(flag) + ": invalid " + noun + " '" +
                                   regex_escape(bad) + R"('( \([^()]+\))?)");
            CHECK_MESSAGE(std::regex_match(error, shape), "got: " << error);
            check_no_parser_words(error, flag);
            if (bad == "abc") {
              ++rejected_abc;
              check_tool_says({name, flag, bad}, error);
            }
          }
        } else if (!option->get_fnames().empty()) {  // --compress[=LEVEL]
          const std::string error = parse_error({name, flag + "=abc", "-w", "x.pcap"});
          CHECK(error.rfind(flag + ": invalid " + noun + " 'abc'", 0) == 0);
          check_no_parser_words(error, flag);
          check_tool_says({name, flag + "=abc", "-w", "x.pcap"}, error);
        } else if (!option->get_lnames().empty()) {  // a flag: --json=abc
          const std::string long_flag = "--" + option->get_lnames()[0];
          check_tool_says({name, long_flag + "=abc"}, flag + ": takes no value");
        }
      }
    }
    CHECK(walked > 40);
    CHECK(rejected_abc >= 12);  // -c twice, --duration, -s, -Q, -B, --block-*, --mode, -C, -G, -W
  }

  TEST_CASE("the values the issue lists are refused in slimcap's words") {
    CHECK(parse_error({"read", "-c", "abc"}) == "-c: invalid packet count 'abc'");
    CHECK(parse_error({"live", "--duration", "0"}) ==
          "--duration: invalid duration '0' (more than 0 seconds)");
    CHECK(parse_error({"read", "-c"}) == "-c: missing packet count");
    CHECK(parse_error({"read", "--compress=20", "-w", "x.pcap"}) ==
          "--compress: invalid compression level '20' (1 to 19)");
    CHECK(parse_error({"live", "-s", "262145"}) ==
          "-s: invalid snapshot length '262145' (0 to 262144)");
    CHECK(parse_error({"live", "-Q", "both"}) ==
          "-Q: invalid capture direction 'both' (in, out or inout)");
    CHECK(parse_error({"live", "-B", "1"}) == "-B: invalid buffer size '1' (64 to 4194304 KiB)");
    CHECK(parse_error({"live", "-C", "10x"}).rfind("-C: invalid file size '10x' (", 0) == 0);
    CHECK(parse_error({"read", "-c", "3", "-c", "x", "f.pcap"}) ==
          "-c: invalid packet count 'x'");
    // An option with a short name is named by it, whichever name was typed.
    CHECK(parse_error({"read", "--number=abc", "f.pcap"}) == "-#: takes no value");
    CHECK(parse_error({"read", "f.pcap", "--no-such-flag"}) ==
          "--no-such-flag: unknown option (slimcap read --help lists them)");
    CHECK(parse_error({"live", "-i", "lo", "-I"}) ==
          "-I: unknown option (slimcap live --help lists them)");
    check_tool_says({"live", "--duration", "0"},
                    "--duration: invalid duration '0' (more than 0 seconds)");
  }

  TEST_CASE("a repeated single-valued option takes the last value, as tcpdump does") {
    CHECK(parsed({"live", "-i", "eth0", "-i", "lo"})->live.interface == "lo");
    CHECK(parsed({"read", "-c", "3", "-c", "5", "f.pcap"})->read.max_packets == 5);
    CHECK(parsed({"read", "-w", "a.pcap", "-w", "b.pcap", "f.pcap"})->read.write_file == "b.pcap");
    CHECK(parsed({"read", "--compress=5", "--compress=7", "-w", "x", "f"})->read.compress_level ==
          7);
    CHECK(parsed({"live", "-Q", "in", "-Q", "out"})->live.ring.direction == "out");
    // Flags that count still count; -r still collects.
    CHECK(parsed({"read", "-v", "-vv", "f.pcap"})->read.print_flags.verbose == 3);
    CHECK(parsed({"read", "-r", "a", "-r", "b"})->read.read_files.size() == 2);
  }

  TEST_CASE("-s 0 means the whole packet, 262144 bytes, as in tcpdump") {
    CHECK(parsed({"live", "-s", "0"})->live.ring.snaplen == 262144);
    CHECK(parsed({"live", "-s", "96"})->live.ring.snaplen == 96);
    CHECK(parsed({"live"})->live.ring.snaplen == 262144);
  }

  TEST_CASE("--compress and --print without -w are usage errors, in read and in live") {
    CHECK(parse_error({"read", "f.pcap", "--compress"}) == "--compress: needs -w FILE");
    CHECK(parse_error({"read", "f.pcap", "--print"}) == "--print: needs -w FILE");
    CHECK(parse_error({"live", "--compress=9"}) == "--compress: needs -w FILE");
    CHECK(parse_error({"live", "-i", "lo", "--print"}) == "--print: needs -w FILE");
    CHECK(parse_error({"-i", "lo", "--print"}) == "--print: needs -w FILE");
    CHECK(parse_error({"read", "f.pcap", "--compress", "--print", "-w", "x.pcap"}).empty());
    check_tool_says({"live", "-i", "lo", "--print"}, "--print: needs -w FILE");
    check_tool_says({"read", "f.pcap", "--compress=5"}, "--compress: needs -w FILE");
  }

  TEST_CASE("--help shows type names, not the parser's annotations") {
    for (const Args& args : {Args{"--help"}, Args{"read", "--help"}, Args{"live", "--help"}}) {
      const Run run = run_tool(args, true);
      CHECK(run.status == 0);
      check_no_parser_words(run.err, quoted(args));
      CHECK_MESSAGE(run.err.find('{') == std::string::npos, quoted(args) << ": " << run.err);
      if (args.size() == 2) CHECK(run.err.find("--compress[=LEVEL]") != std::string::npos);
    }
  }

  TEST_CASE("without a subcommand the flags are tcpdump's: -r or -V read, anything else captures") {
    const auto model = slimcap::cli::make_command();
    auto implied = [&](const Args& args) { return slimcap::cli::implied_subcommand(*model, args); };
    CHECK(implied({"-r", "f.pcap"}) == "read");
    CHECK(implied({"-nr", "f.pcap", "-e", "tcp"}) == "read");
    CHECK(implied({"-nnvvr", "f.pcap"}) == "read");
    CHECK(implied({"-V", "files.txt"}) == "read");
    CHECK(implied({"-c", "5", "-rf.pcap"}) == "read");
    CHECK(implied({"-i", "eth0", "-w", "x.pcap"}) == "live");
    CHECK(implied({"-D"}) == "live");
    CHECK(implied({}) == "live");
    CHECK(implied({"-F", "filter.txt", "-i", "lo"}) == "live");  // -F is a filter file in both
    CHECK(implied({"-w", "-r"}) == "live");       // -r is the name of the -w file
    CHECK(implied({"-c5r"}) == "live");           // getopt: -c takes "5r"
    CHECK(implied({"--duration", "-r"}) == "live");
    CHECK(implied({"-i", "lo", "--", "-r"}) == "live");  // after --: expression

    auto read = parsed({"-nr", "f.pcap", "-e", "tcp", "port", "80"});
    CHECK(read->read_app->parsed());
    CHECK(read->read.read_files == Args{"f.pcap"});
    CHECK(read->read.positionals == Args{"tcp", "port", "80"});
    CHECK(read->read.print_flags.link_header == 1);
    auto live = parsed({"-i", "eth0", "-w", "x.pcap", "-c", "10"});
    CHECK(live->live_app->parsed());
    CHECK(live->live.interface == "eth0");
    CHECK(live->live.write_file == "x.pcap");
    CHECK(parsed({"-D"})->live.list_interfaces);
    CHECK(parsed({})->live_app->parsed());
    // The subcommand words still work, and nothing else is taken for one.
    CHECK(parsed({"read", "f.pcap"})->read_app->parsed());
    CHECK(parse_error({"bogus"}) == "unknown subcommand 'bogus' (read, live, stats, fanout)");
    CHECK(parse_error({"f.pcap"}) == "unknown subcommand 'f.pcap' (read, live, stats, fanout)");
    check_tool_says({"bogus"}, "unknown subcommand 'bogus' (read, live, stats, fanout)");
  }

  TEST_CASE("--help and --version still exit 0 on standard output") {
    for (const Args& args : {Args{"--help"}, Args{"-h"}, Args{"--version"}, Args{"read", "--help"},
                             Args{"live", "--help"}, Args{"-r", "f.pcap", "--help"}}) {
      CHECK_THROWS_AS(parse_error(args), CLI::Success);
      const Run run = run_tool(args, true);
      CHECK_MESSAGE(run.status == 0, quoted(args));
      const bool usage_or_version =
          run.err.find("Usage") != std::string::npos || run.err.rfind("slimcap ", 0) == 0;
      CHECK_MESSAGE(usage_or_version, quoted(args) << ": " << run.err);
    }
  }
}

TEST_CASE("fanout's --cpus lists and per-worker file names") {
  using slimcap::cli::names_worker;
  using slimcap::cli::parse_cpu_list;
  using slimcap::cli::worker_file_name;
  CHECK(parse_cpu_list("3") == std::vector<int>{3});
  CHECK(parse_cpu_list("0-3,8") == std::vector<int>{0, 1, 2, 3, 8});
  CHECK(parse_cpu_list("5,1") == std::vector<int>{5, 1});
  for (const char* bad : {"", "a", "1-", "-1", "3-1", "1,,2", "1,", "99999", "1 "})
    CHECK_THROWS_AS(parse_cpu_list(bad), slimcap::cli::UsageError);
  CHECK(worker_file_name("cap-%n.pcap.zst", 3) == "cap-3.pcap.zst");
  CHECK(worker_file_name("w%n-%Y%m%d%H.pcap", 12) == "w12-%Y%m%d%H.pcap");
  CHECK(worker_file_name("100%%n.pcap", 1) == "100%%n.pcap");  // %% is strftime's
  CHECK(worker_file_name("%n%n", 2) == "22");
  CHECK(names_worker("a%n.pcap"));
  CHECK_FALSE(names_worker("all.pcap"));
  CHECK_FALSE(names_worker("%%n.pcap"));
  CHECK_FALSE(names_worker("-"));
}
