# A thin wrapper over CMake. `make demo` and `make test` each do the whole set-up on a fresh
# Debian 12 machine: install missing packages, configure, build, then run.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
OUT ?= out
CORRIDOR = build/release/cli/corridor

.PHONY: all build build-release install-deps demo test test-dev test-asan bench clean format \
        format-check fuzz coverage

all: build

install-deps:
	@scripts/install-deps

build/dev/CMakeCache.txt:
	cmake --preset dev >/dev/null
build/asan/CMakeCache.txt:
	cmake --preset asan >/dev/null
build/release/CMakeCache.txt:
	cmake --preset release >/dev/null
build/fuzz/CMakeCache.txt:
	cmake --preset fuzz >/dev/null

build: install-deps build/dev/CMakeCache.txt
	cmake --build build/dev -j $(JOBS)

build-release: install-deps build/release/CMakeCache.txt
	cmake --build build/release -j $(JOBS)

demo: build-release
	OUT=$(OUT) CORRIDOR=$(CORRIDOR) scripts/demo

test: install-deps test-dev test-asan

test-dev: install-deps build/dev/CMakeCache.txt
	cmake --build build/dev -j $(JOBS)
	cd build/dev && ctest --output-on-failure -j $(JOBS)

test-asan: install-deps build/asan/CMakeCache.txt
	cmake --build build/asan -j $(JOBS)
	cd build/asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	    ctest --output-on-failure -j $(JOBS)

# libFuzzer (clang, the fuzz preset): every target in turn for FUZZ_SECONDS each, on one core;
# scripts/fuzz says where inputs and crashers go. docs/reliability.md, "Fuzzing".
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= netfile tags osm_xml osm_pbf osrm_url server profile style points pairs \
                terminals tntp demand scenario cond

fuzz: install-deps build/fuzz/CMakeCache.txt
	cmake --build build/fuzz -j $(JOBS) $(addprefix --target fuzz_,$(FUZZ_TARGETS))
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz $(FUZZ_TARGETS)

# Line and branch coverage per folder (gcc --coverage, gcovr): the table on stdout, the HTML
# report in build/coverage/html/index.html. docs/reliability.md, section "Coverage".
coverage: install-deps
	JOBS=$(JOBS) scripts/coverage

bench: build-release
	CORRIDOR=$(CORRIDOR) bench/run

# The C, C++ and header files git tracks, formatted by .clang-format: `make format` rewrites them,
# `make format-check` (CI, before the tests) lists what differs and fails, changing nothing.
FORMAT_FILES = git ls-files '*.c' '*.h' '*.cpp'

format: install-deps
	clang-format -i $$($(FORMAT_FILES))

format-check: install-deps
	clang-format --dry-run --Werror $$($(FORMAT_FILES))

clean:
	rm -rf build $(OUT)
