#!/bin/sh
# parity's one entry point for setting up, building and checking.
#   ./build.sh demo   install what is missing, build, run the demo on the sample
#   ./build.sh test   install what is missing, build (warnings as errors), run
#                     the whole test suite
#   ./build.sh asan   the same suite under AddressSanitizer + UBSan
#   ./build.sh fuzz   build the libFuzzer targets with clang (build-fuzz/) and
#                     run each for PARITY_FUZZ_SECONDS (default 30) from the
#                     seed corpus
#   ./build.sh build  install and build only
# The test, asan and fuzz paths force the test suite on (a reused build folder
# may hold PARITY_BUILD_TESTS=OFF in its cache) and make ctest fail when it
# finds no test, so a run that checked nothing cannot pass.
set -eu
cd "$(dirname "$0")"
JOBS=$(nproc 2>/dev/null || echo 2)

deps() {
    sh .ci/install-deps
}

configure_and_build() {
    dir=$1
    shift
    cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
    cmake --build "$dir" -j "$JOBS"
}

case "${1:-}" in
demo)
    deps
    configure_and_build build
    ./build/parity demo --out parity-demo
    ;;
test)
    deps
    configure_and_build build -DPARITY_WERROR=ON -DPARITY_BUILD_TESTS=ON
    ctest --test-dir build --output-on-failure --no-tests=error -j "$JOBS"
    ;;
asan)
    deps
    configure_and_build build-asan -DPARITY_WERROR=ON -DPARITY_SANITIZE=ON \
        -DPARITY_BUILD_TESTS=ON
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --test-dir build-asan --output-on-failure --no-tests=error -j "$JOBS"
    ;;
fuzz)
    deps
    CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPARITY_WERROR=ON \
        -DPARITY_FUZZ=ON -DPARITY_BUILD_TESTS=ON \
        -DPARITY_FUZZ_SECONDS="${PARITY_FUZZ_SECONDS:-30}" >/dev/null
    cmake --build build-fuzz -j "$JOBS" --target fuzz_ingest fuzz_mapping fuzz_config \
        fuzz_check fuzz_cohorts fuzz_packs
    ASAN_OPTIONS=detect_leaks=1 ctest --test-dir build-fuzz --output-on-failure \
        --no-tests=error -L fuzz
    ;;
build)
    deps
    configure_and_build build
    ;;
*)
    echo "usage: ./build.sh demo | test | asan | fuzz | build" >&2
    exit 64
    ;;
esac
