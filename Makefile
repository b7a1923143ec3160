# vireo: the two commands are `make demo` and `make check`; both install what
# they need (Debian packages via apt-get), build, and run.
BUILD ?= build
MESON_SETUP = meson setup $(BUILD) --buildtype=debugoptimized

.PHONY: all build deps check demo bench compat-report clean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja:
	@scripts/deps.sh
	$(MESON_SETUP)

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

check: build
	@meson test -C $(BUILD) --print-errorlogs --no-rebuild --logbase check >$(BUILD)/test-output.txt 2>&1; \
	 rc=$$?; tail -n 25 $(BUILD)/test-output.txt; \
	 scripts/summary.py $(BUILD)/meson-logs/check.json || rc=1; exit $$rc

demo: build
	@scripts/demo.sh $(BUILD)

bench: build
	@bench/run.sh $(BUILD)

# every documented Sys::Virt::Domain method on each driver -> docs/compat-status.md
compat-report: build
	@tests/compat/report.sh $(BUILD) $(CURDIR) docs/compat-status.md

clean:
	rm -rf $(BUILD)
