#ifndef BATCHMOUNT_ADAPTERS_NLOHMANN_JSON_HPP
#define BATCHMOUNT_ADAPTERS_NLOHMANN_JSON_HPP

// Optional: reads the REST shapes with nlohmann-json and writes resolutions as JSON. Only
// code that includes this header (or one of its parts) needs nlohmann-json. The parts:
// nlohmann_json/request.hpp (the request reader), nlohmann_json/containers.hpp (the
// container readers of --verify), nlohmann_json/report.hpp (the report writer), and
// nlohmann_json/fields.hpp (the field readers they share).

#include "batchmount/adapters/nlohmann_json/containers.hpp"
#include "batchmount/adapters/nlohmann_json/fields.hpp"
#include "batchmount/adapters/nlohmann_json/report.hpp"
#include "batchmount/adapters/nlohmann_json/request.hpp"
#include "batchmount/verify.hpp"

#endif
