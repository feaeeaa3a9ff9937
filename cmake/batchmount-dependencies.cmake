# Test-, example- and adapter-only dependencies: find_package first; download only when
# BATCHMOUNT_FETCH_DEPENDENCIES is ON (only the *-fetch presets turn it on: a download that
# cannot happen never stalls a configure, and a consumer's configure never fetches).
include_guard(GLOBAL)

# batchmount_find_dependency(<package> <version> <fetch-url-or-git> [GIT_TAG tag] [REQUIRED])
function(batchmount_find_dependency package version source)
  cmake_parse_arguments(arg "REQUIRED" "GIT_TAG" "" ${ARGN})
  find_package(${package} ${version} CONFIG QUIET)
  if(${package}_FOUND)
    return()
  endif()
  if(BATCHMOUNT_FETCH_DEPENDENCIES)
    message(STATUS "batchmount: ${package} not found; fetching it (BATCHMOUNT_FETCH_DEPENDENCIES=ON)")
    include(FetchContent)
    if(arg_GIT_TAG)
      FetchContent_Declare(${package} GIT_REPOSITORY ${source} GIT_TAG ${arg_GIT_TAG} GIT_SHALLOW TRUE)
    else()
      FetchContent_Declare(${package} URL ${source})
    endif()
    FetchContent_MakeAvailable(${package})
    set(${package}_FOUND TRUE PARENT_SCOPE)
  elseif(arg_REQUIRED)
    message(FATAL_ERROR "batchmount: ${package} ${version} is required here; install it "
                        "(Debian/Ubuntu: tests/install-dependencies.sh) or, with internet, use the "
                        "test-fetch preset (-DBATCHMOUNT_FETCH_DEPENDENCIES=ON)")
  else()
    message(STATUS "batchmount: ${package} not found; the parts that need it are skipped")
  endif()
endfunction()

macro(batchmount_find_nlohmann_json)
  if(NOT TARGET nlohmann_json::nlohmann_json)
    batchmount_find_dependency(nlohmann_json 3.2
      https://github.com/nlohmann/json/releases/download/v3.11.3/json.tar.xz ${ARGN})
  endif()
endmacro()
