#ifndef BATCHMOUNT_TESTS_RENDER_FIXTURE_HPP
#define BATCHMOUNT_TESTS_RENDER_FIXTURE_HPP

// Resolutions on node roots full of characters that break naive encoders.
#include <string>
#include <vector>

#include "batchmount/batchmount.hpp"
#include "catch.hpp"

namespace fixture {

// `, " = :` spaces, a backslash and non-ASCII in one Linux root.
inline const std::string linux_awkward_root = "/srv/b\xc3\xa4tch, \"x\"=y:z \\q/tasks";
// Windows allows neither '"' nor ':' in a component; the rest is there.
inline const std::string windows_awkward_root = "D:\\b\xc3\xa4tch, x=y 'q'\\tasks";

struct resolved {
  batchmount::resolution resolution;
  batchmount::container_environment environment;
};

inline resolved resolve(batchmount::node_os os, const std::string& root,
                        const std::vector<batchmount::bind_mount_entry>& entries,
                        std::optional<std::string_view> wd = std::nullopt,
                        std::vector<batchmount::env_var> extra = {}) {
  using namespace batchmount;
  const auto context = make_context(context_options::job_task("job", "task1").on(os)
      .with_node_root(std::string_view(root)));
  REQUIRE(context);
  auto r = batchmount::resolve(container_request{entries, wd}, *context);
  REQUIRE(r);
  auto env = *standard_environment(*context);
  env.insert(env.end(), extra.begin(), extra.end());
  auto filtered = filter_environment(*r, env);
  REQUIRE(filtered);
  return {std::move(*r), std::move(*filtered)};
}

inline std::vector<std::string> env_strings(const batchmount::container_environment& env) {
  std::vector<std::string> out;
  for (const auto& v : env.variables()) out.push_back(v.name + "=" + v.value);
  return out;
}

}  // namespace fixture

#endif
