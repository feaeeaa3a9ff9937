#!/usr/bin/env bash
# Installs what `cmake --workflow --preset test` needs, from the distribution's package archive
# (tested on Debian 12; a distribution whose CMake is older than 3.25, such as Ubuntu 22.04,
# cannot run the presets): the build tools, Catch2, nlohmann-json, Python 3 and pkg-config for
# the tests; runc, the Docker Engine (docker.io: dockerd, and a docker client, when either is
# missing) and a static busybox (busybox-static, the image of the Docker Engine and containerd
# proofs) for the isolation proofs; containerd, python3-grpcio, protobuf-compiler and
# protobuf-compiler-grpc for the CRI proof (a private containerd driven by a gRPC client the
# test compiles). With --demo, only what `cmake --workflow --preset demo` needs: cmake, make,
# g++ and nlohmann-json (for the command-line tool the demo runs).
# Runs as root, or through sudo. Installs only what is missing; prints what it installs. No
# download from anywhere but the package archive.
# On a real machine, installing docker.io or containerd also starts the system's daemon; the
# tests never use it (they start private ones).
set -euo pipefail

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
need=()
demo_only=0
case "${1:-}" in
  --demo) demo_only=1 ;;
  "") ;;
  *) echo "usage: $0 [--demo]" >&2; exit 2 ;;
esac
command -v cmake >/dev/null || need+=(cmake)
command -v make >/dev/null || need+=(make)
command -v g++ >/dev/null || need+=(g++)
have_pkg nlohmann-json3-dev || [ -f /usr/include/nlohmann/json.hpp ] || need+=(nlohmann-json3-dev)
if [ "$demo_only" = 0 ]; then
  command -v python3 >/dev/null || need+=(python3)
  command -v pkg-config >/dev/null || need+=(pkg-config)
  command -v runc >/dev/null || need+=(runc)
  { command -v docker >/dev/null && command -v dockerd >/dev/null; } || need+=(docker.io)
  have_pkg busybox-static || need+=(busybox-static)
  { command -v containerd >/dev/null && command -v ctr >/dev/null; } || need+=(containerd)
  /usr/bin/python3 -c "import grpc" 2>/dev/null || need+=(python3-grpcio)
  command -v protoc >/dev/null || need+=(protobuf-compiler)
  command -v grpc_python_plugin >/dev/null || need+=(protobuf-compiler-grpc)
  have_pkg catch2 || [ -f /usr/local/include/catch2/catch_all.hpp ] || [ -f /usr/include/catch2/catch.hpp ] || need+=(catch2)
fi
# Optional extras for the other presets: BATCHMOUNT_INSTALL_EXTRAS=1 adds clang, the sanitizer
# and libFuzzer runtime, gcovr and Google Benchmark.
if [ "$demo_only" = 0 ] && [ "${BATCHMOUNT_INSTALL_EXTRAS:-0}" = 1 ]; then
  command -v clang++ >/dev/null || need+=(clang)
  have_pkg libclang-rt-14-dev || need+=(libclang-rt-14-dev)
  command -v gcovr >/dev/null || need+=(gcovr)
  have_pkg libbenchmark-dev || need+=(libbenchmark-dev)
fi

if [ ${#need[@]} -eq 0 ]; then
  echo "install-dependencies: everything needed for the $([ "$demo_only" = 1 ] && echo demo || echo tests) is installed"
  exit 0
fi
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-dependencies: run as root, or install sudo" >&2; exit 1; }
  as_root=(sudo env DEBIAN_FRONTEND=noninteractive)
fi
echo "install-dependencies: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}"
