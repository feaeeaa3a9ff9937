#ifndef BATCHMOUNT_BATCHMOUNT_HPP
#define BATCHMOUNT_BATCHMOUNT_HPP

// Everything a node agent needs to decide what a container task sees. Renderers
// (batchmount/render/), the JSON adapter (batchmount/adapters/) and the exposure analysis
// (batchmount/exposure.hpp) are not included, to keep the cost of this include down.

#include "batchmount/version.hpp"
#include "batchmount/result.hpp"
#include "batchmount/tables.hpp"
#include "batchmount/request.hpp"
#include "batchmount/plan.hpp"
#include "batchmount/context.hpp"
#include "batchmount/resolution.hpp"
#include "batchmount/environment.hpp"
#include "batchmount/agent_version.hpp"

#endif
