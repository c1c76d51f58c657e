# lrbench: `make bench` runs the benchmark, `make test` the tests. Both install what they need.
SWIFT   ?= swift
CONFIG  ?= release
LRBENCH  = .build/$(CONFIG)/lrbench
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build test bench list clean

all: build

# OpenBLAS (CBLAS + LAPACK) and pkg-config, which the COpenBLAS module map finds it through.
deps:
	@if ! command -v pkg-config >/dev/null 2>&1 || ! pkg-config --exists openblas; then \
		echo "lrbench: installing libopenblas-dev and pkg-config with apt-get"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libopenblas-dev pkg-config >/dev/null || \
		{ echo "lrbench: could not install libopenblas-dev (need root or sudo and Debian's apt)"; exit 1; }; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG) --product lrbench

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --parallel --num-workers 2

# For now: one problem end to end (the sweep runner replaces this).
bench: build
	@mkdir -p results/smoke
	$(LRBENCH) run --problem 'rosenbrock(dim=2)' --optimizer adam --schedule 'cosine(T_max=2000)' --lr 0.05 --steps 2000 > results/smoke/rosenbrock-adam-cosine.csv.tmp
	@mv results/smoke/rosenbrock-adam-cosine.csv.tmp results/smoke/rosenbrock-adam-cosine.csv
	@tail -n 1 results/smoke/rosenbrock-adam-cosine.csv | awk -F, '{print "rosenbrock(dim=2), adam, cosine, lr 0.05: loss after 2000 steps = " $$3}'

list: build
	$(LRBENCH) list

clean:
	rm -rf .build
