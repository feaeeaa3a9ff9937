#ifndef BATCHMOUNT_RUN_OPTIONS_HPP
#define BATCHMOUNT_RUN_OPTIONS_HPP

// containerRunOptions: the docker create options a task's containerSettings carry, which a
// node agent passes on and which can undo the isolation (a -v of the node root). Read as the
// docker CLI reads them (run_options/words.hpp, flags.hpp, read.hpp) and judged against the
// resolution (run_options/judge.hpp); resolve(request, context, policy) does both.

#include "batchmount/run_options/flags.hpp"
#include "batchmount/run_options/judge.hpp"
#include "batchmount/run_options/read.hpp"
#include "batchmount/run_options/types.hpp"
#include "batchmount/run_options/words.hpp"

#endif
