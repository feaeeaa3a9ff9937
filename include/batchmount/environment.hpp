#ifndef BATCHMOUNT_ENVIRONMENT_HPP
#define BATCHMOUNT_ENVIRONMENT_HPP

// Stage 4: the container's environment. The isolation invariant: nothing in the container's
// environment names a host directory the container cannot see. Every AZ_BATCH_* variable,
// HOME and PWD whose value is a path inside an unmounted data path's directory is removed;
// PATH loses the entries inside unmounted data paths; path values that stay are rewritten
// to container paths (Windows). Any other variable that names a path inside an unmounted
// data path is kept unchanged, with a warning. Each decision keeps the host and the
// container value and says why.
// The types are in environment/types.hpp, filter_environment in environment/filter.hpp, the
// decision procedure in environment/decide.hpp (with locate.hpp and names.hpp below it),
// standard_environment in environment/standard.hpp.

#include "batchmount/environment/filter.hpp"
#include "batchmount/environment/standard.hpp"
#include "batchmount/environment/types.hpp"
#include "batchmount/resolution.hpp"

#endif
