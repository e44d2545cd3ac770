# IMU Model Workbench. `make run` and `make test` work on a fresh Debian 12 machine.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all bootstrap peers configure build run demo test bench format samples clean fuzz test-sanitize

all: build

bootstrap:
	@bash scripts/bootstrap.sh

peers:
	@bash scripts/setup-peers.sh

configure: bootstrap
	@if [ ! -f $(BUILD_DIR)/build.ninja ]; then \
	  cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS); fi

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# Opens the workbench on the bundled samples; with no display, runs the headless demo.
run: build
	@bash scripts/run.sh $(BUILD_DIR)

demo: build
	@bash scripts/demo.sh $(BUILD_DIR)

test: bootstrap peers build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

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
