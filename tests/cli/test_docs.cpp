// --help, the man page and the three completion files describe the same flags as the CLI11
// model in tools/cli.cpp, in both directions; and each of them lints.

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "cli.hpp"

namespace {

using FlagSet = std::set<std::string>;

std::string source_root() {
  const char* root = std::getenv("SLIMCAP_SOURCE_ROOT");
  REQUIRE_MESSAGE(root != nullptr, "SLIMCAP_SOURCE_ROOT is not set (run through meson test)");
  return root;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every flag name of one CLI11 (sub)command, as typed: "-c", "--count", "-#".
FlagSet model_flags(const CLI::App& app) {
  FlagSet flags;
  for (const CLI::Option* opt : app.get_options()) {
    for (const auto& s : opt->get_snames()) flags.insert("-" + s);
    for (const auto& l : opt->get_lnames()) flags.insert("--" + l);
  }
  return flags;
}

// Flags named in the .TP entries of one section of the man page (".SH NAME" to the next .SH).
FlagSet man_flags(const std::string& man, const std::string& section) {
  FlagSet flags;
  std::istringstream in(man);
  std::string line;
  bool inside = false;
  bool after_tp = false;
  while (std::getline(in, line)) {
    if (line.rfind(".SH", 0) == 0) {
      std::string title = line.substr(3);
      title.erase(std::remove(title.begin(), title.end(), '"'), title.end());
      title.erase(0, title.find_first_not_of(' '));
      inside = title == section;
      continue;
    }
    if (!inside) continue;
    if (line == ".TP") {
      after_tp = true;
      continue;
    }
    if (!after_tp) continue;
    after_tp = false;
    // ".B \-c, \-\-count" / ".BI \-c " N"" / ".BI \-\-compress [= level ]"
    std::string text = std::regex_replace(line, std::regex(R"(\\f[BIRP])"), "");
    text = std::regex_replace(text, std::regex(R"(\\-)"), "-");
    std::istringstream words(text);
    std::string word;
    words >> word;  // the macro
    while (words >> word) {
      while (!word.empty() && (word.back() == ',' || word.back() == '"')) word.pop_back();
      if (word.size() > 1 && word[0] == '-') flags.insert(word);
    }
  }
  return flags;
}

FlagSet words_of(const std::string& text) {
  FlagSet out;
  std::istringstream in(text);
  std::string w;
  while (in >> w) out.insert(w);
  return out;
}

// The words of `local VARIABLE="..."`; a word "$other" stands for other's words
// (fanout_opts="$live_opts --workers ...").
FlagSet bash_flags(const std::string& script, const std::string& variable) {
  std::smatch m;
  const std::regex re("local " + variable + "=\"([^\"]*)\"");
  REQUIRE_MESSAGE(std::regex_search(script, m, re), "bash completion has no " << variable);
  FlagSet flags;
  for (const auto& word : words_of(m[1])) {
    if (word.rfind('$', 0) == 0 && word.size() > 1 && word.substr(1) != variable) {
      const FlagSet included = bash_flags(script, word.substr(1));
      flags.insert(included.begin(), included.end());
    } else {
      flags.insert(word);
    }
  }
  return flags;
}

// Option names in the _arguments specs of one zsh function: '-c[...]', '*-x[...]',
// '(...)'{-h,--help}'[...]', '--compress=-[...]'.
FlagSet zsh_flags(const std::string& script, const std::string& function) {
  const auto start = script.find(function + "() {");
  REQUIRE_MESSAGE(start != std::string::npos, "zsh completion has no " << function);
  const auto end = script.find("\n}", start);
  const std::string body = script.substr(start, end - start);
  FlagSet flags;
  std::istringstream in(body);
  std::string line;
  const std::regex quoted(R"('(?:\([^)]*\))?\*?(-[^'\[=:]+)=?-?\[)");
  const std::regex braces(R"(\{([^}]*)\}'\[)");
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, braces)) {
      std::string list = m[1];
      std::replace(list.begin(), list.end(), ',', ' ');
      for (const auto& f : words_of(list)) flags.insert(f);
    } else if (std::regex_search(line, m, quoted)) {
      flags.insert(m[1]);
    }
  }
  return flags;
}

// The flags of one `complete` line after `from` (so that "-c slimcap" is not taken for a
// flag): -s X, -l name, -o name.
void add_fish_line_flags(const std::string& line, std::size_t from, FlagSet& flags) {
  const std::string rest = line.substr(from);
  const std::regex flag(R"(\s-([slo])\s+'?([^'\s]+)'?)");
  for (auto it = std::sregex_iterator(rest.begin(), rest.end(), flag);
       it != std::sregex_iterator(); ++it) {
    const std::string kind = (*it)[1];
    const std::string name = (*it)[2];
    flags.insert((kind == "l" ? "--" : "-") + name);
  }
}

// Flags of the `complete` lines whose condition mentions `condition`.
FlagSet fish_flags(const std::string& script, const std::string& condition) {
  FlagSet flags;
  std::istringstream in(script);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("complete ", 0) != 0 || line.find(condition) == std::string::npos) continue;
    add_fish_line_flags(line, line.find(condition) + condition.size(), flags);
  }
  return flags;
}

// Flags of the `complete` lines for one subcommand: their condition is
// '__fish_seen_subcommand_from NAME...' with `subcommand` among the names (live's flags are
// offered for "live fanout").
FlagSet fish_subcommand_flags(const std::string& script, const std::string& subcommand) {
  FlagSet flags;
  std::istringstream in(script);
  std::string line;
  const std::regex condition(R"('__fish_seen_subcommand_from ([^']*)')");
  while (std::getline(in, line)) {
    std::smatch m;
    if (line.rfind("complete ", 0) != 0 || !std::regex_search(line, m, condition)) continue;
    if (words_of(m[1]).count(subcommand) == 0) continue;
    add_fish_line_flags(line, static_cast<std::size_t>(m.position(0) + m.length(0)), flags);
  }
  return flags;
}

std::string describe(const FlagSet& s) {
  std::string out;
  for (const auto& f : s) out += f + " ";
  return out;
}

void check_same(const FlagSet& model, const FlagSet& documented, const std::string& where) {
  FlagSet missing, extra;
  std::set_difference(model.begin(), model.end(), documented.begin(), documented.end(),
                      std::inserter(missing, missing.begin()));
  std::set_difference(documented.begin(), documented.end(), model.begin(), model.end(),
                      std::inserter(extra, extra.begin()));
  CHECK_MESSAGE(missing.empty(), where << " lacks: " << describe(missing));
  CHECK_MESSAGE(extra.empty(), where << " names flags the CLI does not have: " << describe(extra));
}

bool have(const char* program) {
  const std::string cmd = std::string("command -v ") + program + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

std::string run(const std::string& command, int& status) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  status = ::pclose(pipe);
  return out;
}

const CLI::App& subcommand(const slimcap::cli::Command& cmd, const std::string& name) {
  return *cmd.app->get_subcommand(name);
}

FlagSet without(FlagSet set, const FlagSet& removed) {
  for (const auto& f : removed) set.erase(f);
  return set;
}

}  // namespace

TEST_SUITE("docs") {
  TEST_CASE("the man page documents exactly the flags of each subcommand") {
    const auto cmd = slimcap::cli::make_command();
    const std::string man = slurp(source_root() + "/man/slimcap.1");
    check_same(model_flags(*cmd->app), man_flags(man, "OPTIONS"), "man OPTIONS");
    FlagSet read = model_flags(subcommand(*cmd, "read"));
    read.erase("-h");
    read.erase("--help");  // documented once, under OPTIONS
    check_same(read, man_flags(man, "READ OPTIONS"), "man READ OPTIONS");
    FlagSet live = model_flags(subcommand(*cmd, "live"));
    live.erase("-h");
    live.erase("--help");
    check_same(live, man_flags(man, "LIVE OPTIONS"), "man LIVE OPTIONS");
    FlagSet stats = model_flags(subcommand(*cmd, "stats"));
    stats.erase("-h");
    stats.erase("--help");
    check_same(stats, man_flags(man, "STATS OPTIONS"), "man STATS OPTIONS");
    // fanout takes every flag of live, which the man page documents once, under LIVE OPTIONS;
    // FANOUT OPTIONS lists exactly the flags fanout has and live has not.
    FlagSet fanout = model_flags(subcommand(*cmd, "fanout"));
    fanout.erase("-h");
    fanout.erase("--help");
    check_same(without(fanout, live), man_flags(man, "FANOUT OPTIONS"), "man FANOUT OPTIONS");
    CHECK_MESSAGE(without(live, fanout).empty(),
                  "the man page says every live option applies to fanout, but fanout lacks: "
                      << describe(without(live, fanout)));
  }

  TEST_CASE("the bash completion offers exactly the flags of each subcommand") {
    const auto cmd = slimcap::cli::make_command();
    const std::string script = slurp(source_root() + "/completions/slimcap");
    check_same(model_flags(*cmd->app), bash_flags(script, "global_opts"), "bash global_opts");
    check_same(model_flags(subcommand(*cmd, "read")), bash_flags(script, "read_opts"),
               "bash read_opts");
    check_same(model_flags(subcommand(*cmd, "live")), bash_flags(script, "live_opts"),
               "bash live_opts");
    check_same(model_flags(subcommand(*cmd, "stats")), bash_flags(script, "stats_opts"),
               "bash stats_opts");
    check_same(model_flags(subcommand(*cmd, "fanout")), bash_flags(script, "fanout_opts"),
               "bash fanout_opts");
  }

  TEST_CASE("the zsh completion offers exactly the flags of each subcommand") {
    const auto cmd = slimcap::cli::make_command();
    const std::string script = slurp(source_root() + "/completions/_slimcap");
    check_same(model_flags(*cmd->app), zsh_flags(script, "_slimcap"), "zsh _slimcap");
    check_same(model_flags(subcommand(*cmd, "read")), zsh_flags(script, "_slimcap_read"),
               "zsh _slimcap_read");
    check_same(model_flags(subcommand(*cmd, "live")), zsh_flags(script, "_slimcap_live"),
               "zsh _slimcap_live");
    check_same(model_flags(subcommand(*cmd, "stats")), zsh_flags(script, "_slimcap_stats"),
               "zsh _slimcap_stats");
    // _slimcap_fanout passes its own specs to _slimcap_live, which adds live's.
    FlagSet fanout = zsh_flags(script, "_slimcap_fanout");
    const auto start = script.find("_slimcap_fanout() {");
    REQUIRE_MESSAGE(script.find("\n  _slimcap_live ", start) < script.find("\n}", start),
                    "zsh _slimcap_fanout does not call _slimcap_live");
    const FlagSet live = zsh_flags(script, "_slimcap_live");
    fanout.insert(live.begin(), live.end());
    check_same(model_flags(subcommand(*cmd, "fanout")), fanout, "zsh _slimcap_fanout");
  }

  TEST_CASE("the fish completion offers exactly the flags of each subcommand") {
    const auto cmd = slimcap::cli::make_command();
    const std::string script = slurp(source_root() + "/completions/slimcap.fish");
    check_same(model_flags(*cmd->app), fish_flags(script, "not __fish_seen_subcommand_from"),
               "fish top level");
    for (const char* name : {"read", "live", "stats", "fanout"})
      check_same(model_flags(subcommand(*cmd, name)), fish_subcommand_flags(script, name),
                 std::string("fish ") + name);
  }

  TEST_CASE("the man page and the completion scripts pass their linters") {
    const std::string root = source_root();
    struct Lint {
      const char* tool;
      std::string command;
    };
    const Lint lints[] = {
        {"groff", "groff -man -ww -z " + root + "/man/slimcap.1 2>&1"},
        {"bash", "bash -n " + root + "/completions/slimcap 2>&1"},
        {"zsh", "zsh -n " + root + "/completions/_slimcap 2>&1"},
        {"fish", "fish -n " + root + "/completions/slimcap.fish 2>&1"},
    };
    for (const Lint& lint : lints) {
      if (!have(lint.tool)) {
        MESSAGE("skipped: " << lint.tool << " is not installed");
        continue;
      }
      int status = 0;
      const std::string out = run(lint.command, status);
      CHECK_MESSAGE(status == 0, lint.command << " failed");
      CHECK_MESSAGE(out.empty(), lint.command << " warned: " << out);
    }
  }

  TEST_CASE("--help goes to stdout, exits 0 and fits in 80 columns") {
    const char* tool = std::getenv("SLIMCAP_TOOL");
    REQUIRE(tool != nullptr);
    for (const char* args : {"--help", "read --help", "live --help", "stats --help",
                             "fanout --help"}) {
      int status = -1;
      const std::string out = run(std::string(tool) + " " + args + " 2>/dev/null", status);
      CHECK_MESSAGE(status == 0, args);
      CHECK_MESSAGE(out.find("Usage") != std::string::npos, args << " printed no usage");
      std::istringstream lines(out);
      std::string line;
      while (std::getline(lines, line))
        CHECK_MESSAGE(line.size() <= 80, args << ": line wider than 80 columns: " << line);
    }
  }
}
