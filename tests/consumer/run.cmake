# Consumes batchmount the three ways users do, in a scratch directory:
#   MODE=find_package  install the build tree, then find_package(batchmount CONFIG REQUIRED)
#   MODE=subdirectory  add_subdirectory(<source tree>): tests, examples and install stay off
#   MODE=pkg-config    install, then compile with `pkg-config --cflags batchmount`
# Arguments: MODE, BUILD_DIR, PROJECT_DIR (the batchmount source), WORK_DIR, VERSION, CXX.
set(consumer ${PROJECT_DIR}/tests/consumer)
file(REMOVE_RECURSE "${WORK_DIR}")

function(step)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "consumer (${MODE}) step failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(step_output "${out}" PARENT_SCOPE)
endfunction()

if(MODE STREQUAL "find_package" OR MODE STREQUAL "pkg-config")
  step(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
endif()

if(MODE STREQUAL "find_package")
  step(${CMAKE_COMMAND} -S ${consumer} -B ${WORK_DIR}/build -DCONSUME=find_package
       -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DEXPECTED_VERSION=${VERSION} -DCMAKE_CXX_COMPILER=${CXX})
elseif(MODE STREQUAL "subdirectory")
  step(${CMAKE_COMMAND} -S ${consumer} -B ${WORK_DIR}/build -DCONSUME=subdirectory
       -DBATCHMOUNT_SOURCE_DIR=${PROJECT_DIR} -DEXPECTED_VERSION=${VERSION} -DCMAKE_CXX_COMPILER=${CXX})
elseif(MODE STREQUAL "pkg-config")
  find_program(PKG_CONFIG pkg-config REQUIRED)
  set(ENV{PKG_CONFIG_PATH} ${WORK_DIR}/prefix/share/pkgconfig)
  step(${PKG_CONFIG} --modversion batchmount)
  string(STRIP "${step_output}" found_version)
  if(NOT found_version STREQUAL VERSION)
    message(FATAL_ERROR "pkg-config found batchmount ${found_version}, expected ${VERSION}")
  endif()
  step(${PKG_CONFIG} --cflags batchmount)
  string(STRIP "${step_output}" cflags)
  separate_arguments(cflags UNIX_COMMAND "${cflags}")
  file(MAKE_DIRECTORY ${WORK_DIR}/build)
  step(${CXX} -std=c++17 ${cflags} ${consumer}/consumer.cpp -o ${WORK_DIR}/build/consumer)
else()
  message(FATAL_ERROR "unknown MODE ${MODE}")
endif()

if(NOT MODE STREQUAL "pkg-config")
  step(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
endif()
step(${WORK_DIR}/build/consumer)
message(STATUS "consumer (${MODE}): built and ran")
