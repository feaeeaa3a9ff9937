#ifndef BATCHMOUNT_RESULT_HPP
#define BATCHMOUNT_RESULT_HPP

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "batchmount/detail/ascii.hpp"
#include "batchmount/error_code.hpp"

namespace batchmount {
inline namespace v1 {

// A broken rule: the code, the index of the offending entry (if any) and a copy of the
// offending value (truncated past value_capacity), so the error outlives its input.
class error {
 public:
  static constexpr std::size_t value_capacity = 120;
  static constexpr std::size_t no_index = static_cast<std::size_t>(-1);

  constexpr error() noexcept = default;
  constexpr error(error_code code, std::string_view value,
                  std::size_t index = no_index) noexcept
      : code_(code), index_(index) {
    const std::size_t n = value.size() < value_capacity ? value.size() : value_capacity;
    for (std::size_t i = 0; i < n; ++i) value_[i] = value[i];
    size_ = n;
    truncated_ = value.size() > value_capacity;
  }

  constexpr error_code code() const noexcept { return code_; }
  constexpr std::string_view rule() const noexcept { return rule_text(code_); }
  constexpr std::string_view value() const noexcept { return {value_.data(), size_}; }
  constexpr bool value_truncated() const noexcept { return truncated_; }
  constexpr bool has_index() const noexcept { return index_ != no_index; }
  constexpr std::size_t index() const noexcept { return index_; }

  // "<rule>: entry #i: got \"value\"", with quotes, backslashes, control characters and
  // bytes that are not UTF-8 escaped, so the message is one safe line of text.
  std::string message() const {
    std::string text(rule());
    if (has_index()) text += ": entry #" + std::to_string(index_);
    text += ": got \"";
    const std::string_view v = value();
    for (std::size_t i = 0; i < v.size();) {
      const char c = v[i];
      const auto byte = static_cast<unsigned char>(c);
      const std::size_t n = detail::utf8_sequence_length(v, i);
      if (c == '"' || c == '\\') {
        (text += '\\') += c;
      } else if (n == 0 || byte < 0x20 || byte == 0x7f) {
        static constexpr char hex[] = "0123456789abcdef";
        ((text += "\\x") += hex[byte >> 4]) += hex[byte & 0xf];
      } else {
        text.append(v.data() + i, n);
        i += n;
        continue;
      }
      ++i;
    }
    text += truncated_ ? "...\"" : "\"";
    return text;
  }

  friend constexpr bool operator==(const error& a, const error& b) noexcept {
    return a.code_ == b.code_ && a.index_ == b.index_ && a.value() == b.value();
  }
  friend constexpr bool operator!=(const error& a, const error& b) noexcept {
    return !(a == b);
  }

 private:
  error_code code_ = error_code::missing_source;
  std::size_t index_ = no_index;
  std::array<char, value_capacity> value_{};
  std::size_t size_ = 0;
  bool truncated_ = false;
};

namespace detail {
// Reached only by misuse (value() of an error, error() of a value). With exceptions off
// there is nothing safe to return, so stop, as frozen does; in a constant expression the
// call is not constexpr and the misuse becomes a compile error.
[[noreturn]] inline void misuse() noexcept { std::abort(); }
}  // namespace detail

namespace detail {
// Holds a T or an error, never both: a success does not pay for an error's buffer. Trivially
// destructible T keeps the result a literal type (constexpr plans); other T get the
// lifetime management a union needs.
template <class T, bool = std::is_trivially_destructible<T>::value>
struct result_storage {
  union {
    T value_;
    error error_;
  };
  bool ok_;
  constexpr result_storage(const T& v) : value_(v), ok_(true) {}
  constexpr result_storage(T&& v) : value_(std::move(v)), ok_(true) {}
  constexpr result_storage(const error& e) : error_(e), ok_(false) {}
};

template <class T>
struct result_storage<T, false> {
  union {
    T value_;
    error error_;
  };
  bool ok_;
  result_storage(const T& v) : value_(v), ok_(true) {}
  result_storage(T&& v) : value_(std::move(v)), ok_(true) {}
  result_storage(const error& e) : error_(e), ok_(false) {}
  result_storage(const result_storage& other) : ok_(other.ok_) { construct_from(other); }
  result_storage(result_storage&& other) noexcept(std::is_nothrow_move_constructible<T>::value) : ok_(other.ok_) {
    construct_from(std::move(other));
  }
  result_storage& operator=(const result_storage& other) {
    if (this != &other) {
      destroy();
      ok_ = other.ok_;
      construct_from(other);
    }
    return *this;
  }
  result_storage& operator=(result_storage&& other) noexcept(std::is_nothrow_move_constructible<T>::value) {
    if (this != &other) {
      destroy();
      ok_ = other.ok_;
      construct_from(std::move(other));
    }
    return *this;
  }
  ~result_storage() { destroy(); }

 private:
  template <class Other>
  void construct_from(Other&& other) {
    if (ok_) new (&value_) T(std::forward<Other>(other).value_);
    else new (&error_) error(other.error_);
  }
  void destroy() noexcept {
    if (ok_) value_.~T();
  }
};
}  // namespace detail

namespace detail {
// The first of several errors, for writers that go on to the end and report once.
class first_error {
 public:
  void keep(const error& e) noexcept {
    if (!failed_) failed_ = true, error_ = e;
  }
  bool failed() const noexcept { return failed_; }
  const error& get() const noexcept { return error_; }

 private:
  bool failed_ = false;
  error error_;
};
}  // namespace detail

// Either a T or an error, spelled like std::expected<T, error>.
template <class T>
class [[nodiscard]] result : private detail::result_storage<T> {
  using storage = detail::result_storage<T>;

 public:
  using value_type = T;
  using error_type = ::batchmount::v1::error;

  constexpr result(const T& ok_value) : storage(ok_value) {}
  constexpr result(T&& ok_value) : storage(std::move(ok_value)) {}
  constexpr result(const error_type& failure) : storage(failure) {}

  constexpr bool has_value() const noexcept { return this->ok_; }
  constexpr explicit operator bool() const noexcept { return this->ok_; }

  constexpr const T& value() const& noexcept {
    if (!this->ok_) detail::misuse();
    return this->value_;
  }
  constexpr T& value() & noexcept {
    if (!this->ok_) detail::misuse();
    return this->value_;
  }
  constexpr T&& value() && noexcept {
    if (!this->ok_) detail::misuse();
    return std::move(this->value_);
  }
  constexpr const T& operator*() const& noexcept { return value(); }
  constexpr T& operator*() & noexcept { return value(); }
  constexpr T&& operator*() && noexcept { return std::move(*this).value(); }
  constexpr const T* operator->() const noexcept { return &value(); }
  constexpr T* operator->() noexcept { return &value(); }

  constexpr const error_type& error() const noexcept {
    if (this->ok_) detail::misuse();
    return this->error_;
  }
};

}  // namespace v1
}  // namespace batchmount

#endif
