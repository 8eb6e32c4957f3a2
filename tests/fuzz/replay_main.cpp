// Replays inputs through LLVMFuzzerTestOneInput without libFuzzer: the regression test of the
// fuzz targets in a normal build, and the seed corpus writer of a fuzzing build.
//
//   fuzz_read_replay                      replay the generated seed corpus
//   fuzz_read_replay FILE|DIR...          replay these files (e.g. a crash or a corpus)
//   fuzz_read_replay --write-seeds DIR    write the generated seeds into DIR (for libFuzzer)

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "capture_builder.hpp"
#include "seeds.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run(const std::string& name, const std::vector<std::uint8_t>& data) {
  std::printf("replay %s (%zu bytes)\n", name.c_str(), data.size());
  std::fflush(stdout);
  LLVMFuzzerTestOneInput(data.data(), data.size());
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  try {
    if (argc == 3 && std::string(argv[1]) == "--write-seeds") {
      const fs::path dir = argv[2];
      fs::create_directories(dir);
      const auto seeds = slimcap::fuzz::make_seeds();
      for (const auto& seed : seeds) {
        const std::string path = (dir / seed.name).string();
        if (seed.data.empty()) {
          std::ofstream(path, std::ios::binary | std::ios::trunc);  // fwrite(nullptr, 0) is UB
        } else {
          slimcap::test::write_file(path, seed.data);
        }
      }
      std::printf("wrote %zu seeds to %s\n", seeds.size(), dir.c_str());
      return 0;
    }
    std::size_t count = 0;
    if (argc == 1) {
      for (const auto& seed : slimcap::fuzz::make_seeds()) {
        run(seed.name, seed.data);
        ++count;
      }
    }
    for (int i = 1; i < argc; ++i) {
      const fs::path arg = argv[i];
      std::vector<fs::path> files;
      if (fs::is_directory(arg)) {
        for (const auto& entry : fs::directory_iterator(arg))
          if (entry.is_regular_file()) files.push_back(entry.path());
        std::sort(files.begin(), files.end());
      } else {
        files.push_back(arg);
      }
      for (const auto& f : files) {
        run(f.string(), slimcap::test::read_file(f.string()));
        ++count;
      }
    }
    std::printf("%zu inputs replayed, no crash\n", count);
    return count > 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz_read_replay: %s\n", e.what());
    return 1;
  }
}
