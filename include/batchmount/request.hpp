#ifndef BATCHMOUNT_REQUEST_HPP
#define BATCHMOUNT_REQUEST_HPP

// A task's containerSettings as it arrives on the wire: names are still text (the wire
// enum is open, so a source may be unknown), and null, empty and a list differ.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "batchmount/tables.hpp"

namespace batchmount {
inline namespace v1 {

// One ContainerHostBatchBindMountEntry. `source` is nullopt when the entry has none;
// `is_read_only` is nullopt when absent, which means false (read/write).
struct bind_mount_entry {
  std::optional<std::string_view> source;
  std::optional<bool> is_read_only;

  // An entry naming a data path in its wire spelling.
  static constexpr bind_mount_entry of(data_path path, bool read_only) noexcept {
    return {to_wire(path), read_only};
  }
};

// containerHostBatchBindMounts: null (absent), or a view of entries the caller owns
// (possibly empty). The view does not copy: the entries must outlive it.
class bind_mount_list {
 public:
  // Null: the whole node root is mounted.
  constexpr bind_mount_list() noexcept = default;
  static constexpr bind_mount_list null() noexcept { return {}; }
  // An empty list: nothing is mounted.
  static constexpr bind_mount_list empty() noexcept { return {nullptr, 0}; }
  constexpr bind_mount_list(const bind_mount_entry* entries, std::size_t count) noexcept
      : entries_(entries), size_(count), is_null_(false) {}
  template <std::size_t N>
  constexpr bind_mount_list(const bind_mount_entry (&entries)[N]) noexcept
      : bind_mount_list(entries, N) {}
  // Any contiguous container of entries (std::vector, std::array).
  template <class Container,
            class = decltype(std::declval<const Container&>().data() +
                             std::declval<const Container&>().size())>
  constexpr bind_mount_list(const Container& entries) noexcept
      : bind_mount_list(entries.data(), entries.size()) {}
  // A temporary container would dangle: keep the entries in a named object.
  template <class Container,
            class = std::enable_if_t<!std::is_lvalue_reference<Container>::value>,
            class = decltype(std::declval<const Container&>().data())>
  bind_mount_list(Container&& entries) = delete;

  constexpr bool is_null() const noexcept { return is_null_; }
  constexpr std::size_t size() const noexcept { return size_; }
  constexpr bool is_empty() const noexcept { return !is_null_ && size_ == 0; }
  constexpr const bind_mount_entry* begin() const noexcept { return entries_; }
  constexpr const bind_mount_entry* end() const noexcept { return entries_ + size_; }
  constexpr const bind_mount_entry& operator[](std::size_t i) const noexcept {
    return entries_[i];
  }

 private:
  const bind_mount_entry* entries_ = nullptr;
  std::size_t size_ = 0;
  bool is_null_ = true;
};

// The fields of TaskContainerSettings that decide what the container sees.
// `working_directory` is the wire text, nullopt when absent (= taskWorkingDirectory);
// `run_options` is containerRunOptions, nullopt when absent (judged by resolve(request,
// context, policy); a plan does not judge them).
struct container_request {
  bind_mount_list bind_mounts;
  std::optional<std::string_view> working_directory;
  std::optional<std::string_view> run_options = std::nullopt;
};

// An owning request, for input parsed at run time (JSON, command lines): the strings live
// here, and with_view lends a container_request that views them.
struct owned_entry {
  std::optional<std::string> source;
  std::optional<bool> is_read_only;
};

struct owned_request {
  std::optional<std::vector<owned_entry>> bind_mounts;  // nullopt: null (the whole root)
  std::optional<std::string> working_directory;
  std::optional<std::string> run_options;  // containerRunOptions

  // Calls f(const container_request&) and returns its result; the view lives for the call.
  template <class F>
  decltype(auto) with_view(F&& f) const {
    std::vector<bind_mount_entry> entries;
    container_request view;
    if (bind_mounts) {
      entries.reserve(bind_mounts->size());
      for (const auto& e : *bind_mounts)
        entries.push_back({e.source ? std::optional<std::string_view>(*e.source) : std::nullopt,
                           e.is_read_only});
      view.bind_mounts = bind_mount_list(entries.data(), entries.size());
    }
    if (working_directory) view.working_directory = *working_directory;
    if (run_options) view.run_options = *run_options;
    return std::forward<F>(f)(static_cast<const container_request&>(view));
  }
};

}  // namespace v1
}  // namespace batchmount

#endif
