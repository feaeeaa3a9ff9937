// Reads NUL-terminated strings on stdin and prints, for each, one JSON line: the words
// split_shell_words makes of it, or {"error": position}. tests/test_run_options_words.py
// compares these with Python's shlex.split.
#include <iostream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "batchmount/run_options/words.hpp"

int main() {
  const std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  std::size_t start = 0;
  while (start < input.size()) {
    const std::size_t end = input.find('\0', start);
    const std::string text = input.substr(start, end - start);
    start = end == std::string::npos ? input.size() : end + 1;
    const auto words = batchmount::split_shell_words(text);
    nlohmann::json line;
    if (!words) {
      line = {{"error", words.error().index()}};
    } else {
      line = nlohmann::json::array();
      for (const auto& w : *words) line.push_back(w.text);
    }
    std::cout << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
}
