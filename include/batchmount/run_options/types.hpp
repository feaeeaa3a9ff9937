#ifndef BATCHMOUNT_RUN_OPTIONS_TYPES_HPP
#define BATCHMOUNT_RUN_OPTIONS_TYPES_HPP

// containerRunOptions as batchmount reads them (the docker create options a node agent passes
// on), and what they were found to do against a resolution.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {

// One option as the docker CLI reads it.
struct run_option {
  std::string flag;                  // the long name without dashes: "volume", "env", "rm"
  std::optional<std::string> value;  // nullopt: a boolean flag given without "=VALUE"
  std::string written;               // its words as written, joined by a space: "-v /a:/b", "-it"
  std::size_t position = 0;          // the index of its first word
};

// The options of one containerRunOptions string, read.
struct run_option_list {
  std::string text;                // containerRunOptions as given
  std::vector<std::string> words;  // split as a POSIX shell does (run_options/words.hpp)
  std::vector<run_option> options;
  bool readable = true;  // false: the text could not be read (accepted: words and options stay empty)
};

// What an option can do to the isolation.
enum class run_option_class : std::uint8_t {
  mount_exposes_unselected,  // a bind of, into or above a directory under the node root not mounted
  mount_weakens_selection,   // a bind of a selected path with less protection than the selection
  volumes_from,              // --volumes-from: another container's mounts, maybe another task's
  working_directory,         // -w into a place under the node root the container cannot see
  environment,               // -e / --env-file setting what the filter removed, or naming an unmounted path
  privilege,                 // an option that opens host files or namespaces (--privileged, --cap-add SYS_ADMIN...)
  unreadable,                // the text cannot be read as docker create options
};
inline constexpr std::size_t run_option_class_count = 7;

// The class's name ("mount_exposes_unselected", ..., "run_options_unreadable"); empty for a
// value outside the enumeration.
constexpr std::string_view to_string(run_option_class c) noexcept {
  std::string_view text;
  switch (c) {
    case run_option_class::mount_exposes_unselected: text = "mount_exposes_unselected"; break;
    case run_option_class::mount_weakens_selection: text = "mount_weakens_selection"; break;
    case run_option_class::volumes_from: text = "volumes_from"; break;
    case run_option_class::working_directory: text = "working_directory"; break;
    case run_option_class::environment: text = "environment"; break;
    case run_option_class::privilege: text = "privilege"; break;
    case run_option_class::unreadable: text = "run_options_unreadable"; break;
  }
  return text;
}

// Whether a finding of this class makes the resolution an error unless the caller accepts
// run-option findings (privilege and environment findings are always warnings).
constexpr bool refused_by_default(run_option_class c) noexcept {
  return c != run_option_class::environment && c != run_option_class::privilege;
}

// One finding: its class, the option as written (or, for an unreadable text, the word that
// could not be read), that option's word position, a sentence, and the data path concerned.
struct run_option_finding {
  run_option_class kind = run_option_class::unreadable;
  std::string option;
  std::size_t position = 0;
  std::string message;
  std::optional<data_path> path;
};

// What to do with refused findings: fail the resolution (the default) or keep them as warnings.
enum class run_option_policy : std::uint8_t { refuse, accept };

}  // namespace v1
}  // namespace batchmount

#endif
