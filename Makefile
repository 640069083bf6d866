# The two commands of a fresh machine: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 30

.PHONY: demo test setup build build-asan build-fuzz test-release test-asan fuzz bench format format-check clean

setup:
	@scripts/setup

build: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

build-asan: setup
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

build-fuzz: setup
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)

demo: build
	@scripts/demo

test-release: build
	@ctest --preset release -j $(JOBS)

# The same tests built with AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: build-asan
	@ctest --preset asan -j $(JOBS)

# libFuzzer on the komposition parser, briefly, from the committed seed corpus.
fuzz: build-fuzz
	@scripts/fuzz $(FUZZ_SECONDS)

test: format-check test-release test-asan fuzz
	@echo "make test: all passed"

bench: build
	@bench/render
	@bench/workflow
	@bench/server

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

# The code as committed follows .clang-format (`make format` fixes it).
format-check: setup
	@clang-format --dry-run --Werror $$(git ls-files '*.cpp' '*.hpp')
	@echo "format-check: clang-format clean"

clean:
	rm -rf build
