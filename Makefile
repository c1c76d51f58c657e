# lrbench: `make bench` runs the benchmark, `make test` the tests. Both install what they need.
SWIFT   ?= swift
CONFIG  ?= release
LRBENCH  = .build/$(CONFIG)/lrbench
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps test-deps cluster-deps build test bench report regress baseline cluster-test perf perf-peers list clean

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

# The per-step allocation check (PerStepAllocationTests) runs again with the malloc counter of
# Benchmarks/SweepThroughput/malloc_count.c preloaded; without it that test is skipped.
test: test-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	@mkdir -p .build && $(CC) -O2 -shared -fPIC -o .build/malloc_count.so Benchmarks/SweepThroughput/malloc_count.c
	LD_PRELOAD=$(CURDIR)/.build/malloc_count.so $(SWIFT) test --skip-build --filter PerStepAllocationTests

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

# slurm-wlm (slurmctld, slurmd, sbatch, ...) and munge, for make cluster-test.
cluster-deps:
	@if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 || \
	    ! command -v sbatch >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then \
		echo "lrbench: installing slurm-wlm and munge with apt-get"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq slurm-wlm munge >/dev/null || \
		{ echo "lrbench: could not install slurm-wlm and munge (need root or sudo and Debian's apt)"; exit 1; }; \
	fi

# The cluster path (README, "Beyond one machine"): a one-node Slurm cluster on this machine runs
# the quick sweep as a job array and a merge job (Benchmarks/slurm/), then checks the merged
# result equals the unsharded one (make regress's results/quick when it is current). Needs root.
cluster-test: build cluster-deps
	$(SUDO) Benchmarks/slurm/cluster-test.sh $(LRBENCH) results/quick

# Performance (results/perf/PERF.md; README, "Performance"): package-benchmark, in its own
# package (Benchmarks/Package.swift, which depends on this one by path, so `make test` and
# `make bench` never resolve nor build it) and its own build folder, one BLAS thread. Runs the
# benchmarks, writes PERF.md, then checks the p90 thresholds in Benchmarks/Thresholds (time: at
# most 2x; mallocs: none) and fails on a regression (package-benchmark exits non-zero for an
# improvement too, so the verdict is read from its report). Paths given to the
# plugin are absolute, as it runs for the benchmark package. Refresh the
# thresholds on purpose with
#   $(PERF_BENCH) thresholds update --path $(PERF_THRESHOLDS) --no-progress
# PERF_QUICK=1 (make perf / make perf-peers): a few iterations and steps of everything, written to
# .build-bench/perf-quick/ instead of results/perf/ and without the threshold check: a check that
# the pipeline works end to end on a loaded machine, not a measurement.
# One core: every process that is measured (our benchmark, which package-benchmark runs as a child
# of `swift package`, and each peer) runs under $(PERF_PIN), on one and the same CPU, PERF_CPU
# (default 0), so no side can use a second core (XLA, for one, sizes its thread pools from the CPU
# affinity). Without taskset (util-linux), or with PERF_CPU not allowed here, it says so and runs
# unpinned; PERF.md records which. Our targets are built unpinned first (`benchmark list` builds
# what `benchmark run` runs, and lists the benchmarks), so the pinned run only measures. Then
# SweepThroughput (the standard sweep's slice grouped and one run at a time, and the FLOP floor)
# writes $(PERF_OUT)/throughput.json, pinned alike, for PERF.md's throughput section and targets.
PERF_BENCH = $(SWIFT) package --package-path $(CURDIR)/Benchmarks --scratch-path $(CURDIR)/.build-bench \
             --allow-writing-to-package-directory benchmark
PERF_CPU   ?= 0
PERF_PIN    = $(shell command -v taskset >/dev/null 2>&1 && taskset -c $(PERF_CPU) true 2>/dev/null && echo taskset -c $(PERF_CPU))
PERF_PIN_CHECK = if [ -n "$(PERF_PIN)" ]; then echo "perf: every measured process pinned to CPU $(PERF_CPU) ($(PERF_PIN))"; \
	elif command -v taskset >/dev/null 2>&1; then echo "perf: WARNING: taskset cannot pin to CPU $(PERF_CPU) here (allowed: $$(taskset -pc $$$$ | sed 's/.*: //')); set PERF_CPU; running UNPINNED"; \
	else echo "perf: WARNING: taskset not found (util-linux: apt-get install util-linux); running UNPINNED, PERF.md says so"; fi
PERF_THRESHOLDS = $(CURDIR)/Benchmarks/Thresholds
PERF_QUICK  ?= 0
PERF_IS_QUICK = $(filter-out 0,$(PERF_QUICK))
PERF_OUT    ?= $(if $(PERF_IS_QUICK),.build-bench/perf-quick,results/perf)
PERF_ROUNDS ?= 2
export PERF_QUICK
perf: deps
	@$(PERF_PIN_CHECK)
	rm -rf $(PERF_OUT)/raw && mkdir -p $(PERF_OUT)/raw
	$(PERF_BENCH) list
	$(PERF_PIN) $(PERF_BENCH) run --no-progress --format histogramPercentiles --path $(CURDIR)/$(PERF_OUT)/raw
	$(SWIFT) build -c $(CONFIG) --product SweepThroughput
	$(PERF_PIN) .build/$(CONFIG)/SweepThroughput 2 --json=$(CURDIR)/$(PERF_OUT)/throughput.json
	PERF_PIN="$(PERF_PIN)" python3 Benchmarks/perf/make_perf_md.py $(PERF_OUT)
	@if [ -n "$(PERF_IS_QUICK)" ]; then echo "perf: PERF_QUICK=1, threshold check skipped (not a measurement)"; exit 0; fi; \
	rc=0; $(PERF_PIN) $(PERF_BENCH) thresholds check --path $(PERF_THRESHOLDS) --no-progress >$(PERF_OUT)/raw/thresholds.log 2>&1 || rc=$$?; \
	cat $(PERF_OUT)/raw/thresholds.log; \
	if grep -q "Deviations worse than threshold" $(PERF_OUT)/raw/thresholds.log; then echo "perf: REGRESSION against Benchmarks/Thresholds"; exit 1; \
	elif [ $$rc != 0 ] && grep -q "Deviations better than threshold" $(PERF_OUT)/raw/thresholds.log; then \
	  echo "perf: better than the recorded thresholds (see Makefile to refresh them)"; \
	elif [ $$rc != 0 ]; then echo "perf: the threshold check failed (exit $$rc)"; exit $$rc; fi

# The peer columns of PERF.md: the same workloads in NumPy and in JAX (jit per step, lax.scan over
# steps, and a vmap-over-runs sweep slice; pinned in Benchmarks/peers/requirements.txt, in a
# throw-away virtual environment: never dependencies of lrbench), and the C peer of W4's memory
# floor (gcc -O3 -march=native). Interleaved with our benchmarks in PERF_ROUNDS rounds (ABAB: our
# suite and our sweep runner on the vmap slice, Benchmarks/perf/vmap_slice.yaml, grouped and one
# run at a time; then the peers; again), so every ratio comes with its spread over rounds; all on one core
# (PERF_PIN above), and the peers record their cores used (CPU time / wall time) for PERF.md.
# Round R: the peers' JSON in $(PERF_OUT)/rounds/R/ (with lrbench.json, our side's times, which
# make_perf_md.py extracts), our raw export in $(PERF_OUT)/raw/rounds/R/ (not committed).
perf-peers: build
	@$(PERF_PIN_CHECK)
	@venv=$$(mktemp -d) && trap 'rm -rf "$$venv"' EXIT && pin="$(PERF_PIN)" && \
	{ python3 -m venv "$$venv" 2>/dev/null || { echo "perf-peers: installing python3-venv with apt-get"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv >/dev/null && \
	  python3 -m venv "$$venv"; }; } && \
	"$$venv/bin/pip" install -q --disable-pip-version-check -r Benchmarks/peers/requirements.txt && \
	gcc -O3 -march=native -std=c11 -o "$$venv/read_floor" Benchmarks/peers/read_floor.c && \
	rm -rf $(PERF_OUT)/rounds $(PERF_OUT)/raw/rounds && \
	$(PERF_BENCH) list && \
	for r in $$(seq 1 $(PERF_ROUNDS)); do \
	  echo "perf-peers: round $$r of $(PERF_ROUNDS): lrbench"; \
	  mkdir -p $(PERF_OUT)/rounds/$$r $(PERF_OUT)/raw/rounds/$$r && \
	  $$pin $(PERF_BENCH) run --no-progress --format histogramPercentiles --path $(CURDIR)/$(PERF_OUT)/raw/rounds/$$r >$(PERF_OUT)/raw/rounds/$$r/benchmark.log && \
	  echo "perf-peers: round $$r of $(PERF_ROUNDS): lrbench on the vmap slice" && \
	  rm -rf "$$venv/slice-grouped" "$$venv/slice-alone" && \
	  $$pin $(LRBENCH) sweep Benchmarks/perf/vmap_slice.yaml --workers 1 --out "$$venv/slice-grouped" --quiet >/dev/null && \
	  $$pin $(LRBENCH) sweep Benchmarks/perf/vmap_slice.yaml --workers 1 --group-size 1 --out "$$venv/slice-alone" --quiet >/dev/null && \
	  python3 Benchmarks/perf/slice_seconds.py "$$venv/slice-grouped/runs.jsonl" "$$venv/slice-alone/runs.jsonl" >$(PERF_OUT)/rounds/$$r/lrbench_slice.json && \
	  echo "perf-peers: round $$r of $(PERF_ROUNDS): peers" && \
	  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \
	  $$pin "$$venv/bin/python" Benchmarks/peers/numpy_peers.py $(if $(PERF_IS_QUICK),--quick) --out $(PERF_OUT)/rounds/$$r/numpy.json && \
	  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 PYTHONDONTWRITEBYTECODE=1 \
	  $$pin "$$venv/bin/python" Benchmarks/peers/jax_peers.py $(if $(PERF_IS_QUICK),--quick) --out $(PERF_OUT)/rounds/$$r/jax.json && \
	  $$pin "$$venv/read_floor" $(if $(PERF_IS_QUICK),5,40) >$(PERF_OUT)/rounds/$$r/c_floor.json || exit 1; \
	done
	PERF_PIN="$(PERF_PIN)" python3 Benchmarks/perf/make_perf_md.py $(PERF_OUT)

list: build
	$(LRBENCH) list

clean:
	rm -rf .build
