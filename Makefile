# The two commands of a fresh machine: `make demo` and `make test` (see README.md).
SHELL := /bin/bash
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 30
# `make demo`'s first build (kompo alone plus the web app), 2 cores, 2026-12-04: the whole
# release preset (kompo and every test, 180 objects) took 594 s with some ccache hits while
# other builds ran; 160 objects at 32 s each without hits under heavy load would be ~40 min.
DEMO_FIRST_BUILD := 10 to 40 minutes

PREFIX ?= /usr/local

.PHONY: demo test setup build web install build-asan build-fuzz test-release test-web test-asan fuzz deploy-check bench format format-check clean

setup:
	@scripts/setup

build: setup web
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

# The web app (web/, Vite + React + TypeScript) built into web/dist, which `kompo serve
# --web-root web/dist` serves. Rebuilt only when its sources change.
WEB_SOURCES := $(shell find web/src web/public web/index.html web/package.json web/package-lock.json \
                 web/tsconfig.json web/vite.config.ts -type f 2>/dev/null)

web: setup web/dist/index.html

web/dist/index.html: $(WEB_SOURCES)
	@mkdir -p build
	@cd web && npm run --silent build >../build/web-build.log 2>&1 \
	  || { cat ../build/web-build.log; echo "web: build failed (log: build/web-build.log)"; exit 1; }
	@echo "web: built web/dist"

build-asan: setup
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

build-fuzz: setup
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)

# The demo builds only what it runs: the web app and the kompo binary (no test targets).
# A first build compiles every source of kompo; ccache makes later ones quick.
demo: setup
	@[ -x build/release/src/cli/kompo ] || echo "demo: the first build of kompo and the web app takes a while: $(DEMO_FIRST_BUILD) on 2 cores (the longer when the machine is busy), less on a bigger one (later runs rebuild only what changed)"
	@$(MAKE) --no-print-directory web
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target kompo
	@scripts/demo

# kompo in $(PREFIX)/bin and the web app in $(PREFIX)/share/kompost/web, where `kompo serve`
# finds it with no flags (the optimised build, stripped of its debug information).
install: web
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target kompo
	@cmake --install build/release --prefix $(PREFIX) --strip

test-release: build
	@ctest --preset release -j $(JOBS)

# The web app: Vitest units, then the browser end-to-end test (headless Chromium against
# a real `kompo serve` of the release build; screenshots in build/test-output/web-e2e).
test-web: build
	@cd web && npx --no-install vitest run --reporter=dot
	@cd web && KOMPO_BIN=build/release/src/cli/kompo node e2e/run.mjs

# The same tests built with AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: build-asan
	@ctest --preset asan -j $(JOBS)

# libFuzzer on the komposition parser, briefly, from the committed seed corpus.
fuzz: build-fuzz
	@scripts/fuzz $(FUZZ_SECONDS)

# deploy/: the Kubernetes manifests built with kustomize and validated offline, and the
# Grafana dashboard's metrics checked against what the server exports (a few seconds).
deploy-check: setup
	@deploy/check

test: format-check deploy-check test-release test-web test-asan fuzz
	@echo "make test: all passed"

bench: build
	@bench/render
	@bench/workflow
	@bench/full-song
	@bench/server
	@bench/websocket

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.hpp')

# The code as committed follows .clang-format (`make format` fixes it).
format-check: setup
	@clang-format --dry-run --Werror $$(git ls-files '*.cpp' '*.hpp')
	@echo "format-check: clang-format clean"

clean:
	rm -rf build web/dist
