# IMU Model Workbench. `make run` and `make test` work on a fresh Debian 12 machine.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
# ccache (installed by bootstrap) makes rebuilds after a clean or a branch switch cheap.
# Recursive `=`: evaluated when configure runs, after bootstrap may have installed it.
CCACHE_FLAGS = $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

.PHONY: all bootstrap peers configure build run demo test bench format samples clean fuzz test-sanitize package

all: build

bootstrap:
	@bash scripts/bootstrap.sh

peers:
	@bash scripts/setup-peers.sh

configure: bootstrap
	@if [ ! -f $(BUILD_DIR)/build.ninja ]; then \
	  cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CCACHE_FLAGS) $(CMAKE_FLAGS); fi

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Opens the workbench on the bundled samples; with no display, runs the headless demo.
run: build
	@bash scripts/run.sh $(BUILD_DIR)

demo: build
	@bash scripts/demo.sh $(BUILD_DIR)

# Fails when any test fails, and also when any is skipped or not run (except label `hardware`).
test: bootstrap peers build
	@bash scripts/ctest-no-skips.sh $(BUILD_DIR) -j $(JOBS)

# build/imuwb_<version>_<arch>.deb (its Depends computed by dpkg-shlibdeps).
package: build
	cd $(BUILD_DIR) && cpack -G DEB

bench: bootstrap peers build
	@bash scripts/run-benchmarks.sh $(BUILD_DIR)

# libFuzzer harnesses (clang, ASan+UBSan) in build-fuzz/, each run FUZZ_SECONDS (docs/reliability.md).
FUZZ_SECONDS ?= 60
fuzz: bootstrap
	@FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) bash scripts/fuzz.sh

# Core, CLI and their tests built with ASan+UBSan in build-sanitize/, then run.
test-sanitize: bootstrap peers
	@JOBS=$(JOBS) bash scripts/test-sanitize.sh

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
