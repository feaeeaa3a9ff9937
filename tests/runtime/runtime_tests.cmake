# Included by ctest (TEST_INCLUDE_FILES) each time it runs: registers the runtime proofs,
# each named for what happens on this machine. A proof that cannot run here is named
# "<test> (skipped: <why>)" and exits 77, so ctest's closing "did not run" list says why;
# under CI=true it runs anyway and fails with the same reason.
set(_batchmount_uid "")
execute_process(COMMAND id -u OUTPUT_VARIABLE _batchmount_uid OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)

function(batchmount_runtime_test name script reason)
  set(test_name ${name})
  if(reason AND NOT "$ENV{CI}" STREQUAL "true")
    set(test_name "${name} (skipped: ${reason})")
  endif()
  add_test("${test_name}" "${BATCHMOUNT_PYTHON}" "${BATCHMOUNT_RUNTIME_DIR}/${script}" "${BATCHMOUNT_RESOLVE}")
  set_tests_properties("${test_name}" PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 LABELS runtime)
endfunction()

set(_batchmount_reason "")
find_program(_batchmount_runc runc PATHS /usr/sbin /sbin)
if(NOT _batchmount_runc)
  set(_batchmount_reason "runc is not installed")
elseif(NOT _batchmount_uid STREQUAL "0")
  set(_batchmount_reason "runc bundles need root")
endif()
batchmount_runtime_test(batchmount_test_runc test_runc.py "${_batchmount_reason}")

set(_batchmount_reason "")
find_program(_batchmount_docker docker)
if(NOT _batchmount_docker)
  set(_batchmount_reason "the docker CLI is not installed")
else()
  execute_process(COMMAND "${_batchmount_docker}" --version OUTPUT_VARIABLE _batchmount_docker_version ERROR_QUIET)
  string(REGEX MATCH "version ([0-9]+)" _ "${_batchmount_docker_version}")
  if(NOT CMAKE_MATCH_1 OR CMAKE_MATCH_1 LESS 25)
    set(_batchmount_reason "the docker CLI is older than 25 and has no bind-recursive")
  endif()
endif()
batchmount_runtime_test(batchmount_test_docker_cli test_docker_cli.py "${_batchmount_reason}")
