# lrbench: `make bench` runs the benchmark, `make test` the tests. Both install what they need.
SWIFT   ?= swift
CONFIG  ?= release
LRBENCH  = .build/$(CONFIG)/lrbench
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps test-deps build test bench report regress baseline list clean

all: build

# OpenBLAS (CBLAS + LAPACK) and pkg-config, which the COpenBLAS module map finds it through.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists openblas; then \
		echo "lrbench: installing libopenblas-dev and pkg-config with apt-get"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libopenblas-dev pkg-config >/dev/null || \
		{ echo "lrbench: could not install libopenblas-dev (need root or sudo and Debian's apt)"; exit 1; }; \
	fi

# rsvg-convert renders the report figures in the tests.
test-deps: deps
	@if ! command -v rsvg-convert >/dev/null 2>&1; then \
		echo "lrbench: installing librsvg2-bin (rsvg-convert) with apt-get"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq librsvg2-bin >/dev/null || \
		{ echo "lrbench: could not install librsvg2-bin"; exit 1; }; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG) --product lrbench

test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# The main job: the standard sweep (resumable: rerun to continue), then its report.
bench: build
	$(LRBENCH) sweep Benchmarks/sweeps/standard.yaml
	$(MAKE) --no-print-directory report SWEEP=standard

SWEEP ?= standard
report: build
	$(LRBENCH) report results/$(SWEEP)

# The regression gate: the quick sweep against the committed baseline (exit 1 on a regression).
regress: build
	rm -rf results/quick
	$(LRBENCH) sweep Benchmarks/sweeps/quick.yaml --out results/quick --quiet
	$(LRBENCH) compare results/baseline results/quick --report results/quick/GATE.md

# Accept the current quick sweep as the new baseline (deliberately).
baseline: build
	@test -f results/quick/summary.csv || $(LRBENCH) sweep Benchmarks/sweeps/quick.yaml --out results/quick --quiet
	$(LRBENCH) compare results/baseline results/quick --update

list: build
	$(LRBENCH) list

clean:
	rm -rf .build
