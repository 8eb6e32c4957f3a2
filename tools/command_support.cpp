#include "command_support.hpp"

#include <cerrno>
#include <fstream>
#include <string_view>

#include "cli.hpp"
#include "slimcap/error.hpp"
#include "slimcap/link_type.hpp"

namespace slimcap::cli {

std::string join_words(const std::vector<std::string>& words, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < words.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += words[i];
  }
  return out;
}

std::string read_filter_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw SystemError(path, errno);
  std::string text;
  std::string line;
  while (std::getline(in, line)) {
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    text += line;
    text += ' ';
  }
  return text;
}

std::string filter_expression(const std::vector<std::string>& words, std::size_t from,
                              const std::string& filter_file) {
  std::string expression = join_words(words, from);
  if (filter_file.empty()) return expression;
  if (!expression.empty())
    throw UsageError("-F " + filter_file +
                     " and a filter expression on the command line cannot be combined");
  return read_filter_file(filter_file);
}

std::string link_type_text(std::uint32_t link_type) {
  const std::string_view name = link_type_name(link_type);
  if (name.empty()) return std::to_string(link_type);
  return std::string(name) + " (" + std::string(link_type_description(link_type)) + ")";
}

int compression_level_for(const std::string& path, int compress_flag) {
  if (compress_flag > 0) return compress_flag;
  if (path.size() > 4 && path.compare(path.size() - 4, 4, ".zst") == 0) return 3;
  return 0;
}

}  // namespace slimcap::cli
