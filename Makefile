# ringdesk — the two commands: `make run` and `make test`.
# Both install what is missing first (see .ci/setup.sh) and skip what is there.

SHELL := /bin/bash
# The cargo target directory lives outside the clone, so a fresh clone (CI) reuses
# the build of the last one.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/ringdesk/target
# wasm-opt from npm's binaryen, for release builds of the wasm.
export PATH := $(CURDIR)/.ci/tools/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

.PHONY: run test bench build image setup setup-browser lint test-wasm test-rust test-load test-e2e clean

## make run: set up, build the release, and serve the demo on http://127.0.0.1:3000
run: setup build
	LEPTOS_SITE_ROOT=$(CURDIR)/target/site $(CARGO_TARGET_DIR)/release/server

## make test: set up, build once, run the Rust tests and the browser tests
test: setup-browser lint build test-wasm test-rust test-load test-e2e

## make lint: formatting (rustfmt.toml) and clippy with warnings as errors, for the
## server's side and the browser's
lint:
	cargo fmt --check
	cargo clippy -p app -p server -p ringdesk-load -p migration --tests -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

## make bench: the benchmarks, printing their figures (see docs/BENCHMARKS.md)
# Thousands of agents hold two connections each: raise the open-file limit as far as
# allowed. A load run that loses calls exits non-zero; the next still runs (`-`).
bench: setup build
	RINGDESK_BENCH_POSTGRES=$${RINGDESK_BENCH_POSTGRES-postgres://postgres@127.0.0.1:5432/test} \
		cargo bench -p server --bench ticket_list --bench report
	-ulimit -n $$(ulimit -Hn); cargo run --release -p ringdesk-load -- --agents 1000 --rate 100 --talk 2s --duration 60s
	-ulimit -n $$(ulimit -Hn); cargo run --release -p ringdesk-load -- --agents 1000 --rate 100 --talk 2s --duration 60s --supervisors 20
	-ulimit -n $$(ulimit -Hn); cargo run --release -p ringdesk-load -- --agents 1000 --rate 300 --talk 2s --duration 30s
	-ulimit -n $$(ulimit -Hn); cargo run --release -p ringdesk-load -- --agents 1000 --rate 100 --talk 2s --duration 30s \
		--postgres $${RINGDESK_BENCH_POSTGRES-postgres://postgres@127.0.0.1:5432/test}
	-ulimit -n $$(ulimit -Hn); cargo run --release -p ringdesk-load -- --agents 10000 --rate 0 --duration 5s
	-ulimit -n $$(ulimit -Hn); cargo run --release -p ringdesk-load -- --sip --agents 300 --rate 10 --talk 20s --duration 30s
	-ulimit -n $$(ulimit -Hn); cargo run --release -p ringdesk-load -- --sip --agents 600 --rate 25 --talk 20s --duration 30s
	-ulimit -n $$(ulimit -Hn); cargo run --release -p ringdesk-load -- --agents 60 --rate 3 --talk 10s --duration 30s --browser opus
	-ulimit -n $$(ulimit -Hn); cargo run --release -p ringdesk-load -- --agents 60 --rate 3 --talk 10s --duration 30s --browser pcmu
	-ulimit -n $$(ulimit -Hn); cargo run --release -p ringdesk-load -- --agents 120 --rate 6 --talk 10s --duration 30s --browser opus
	-ulimit -n $$(ulimit -Hn); cargo run --release -p ringdesk-load -- --agents 120 --rate 6 --talk 10s --duration 30s --browser pcmu
	-ulimit -n $$(ulimit -Hn); cargo run --release -p ringdesk-load -- --agents 50 --rate 20 --talk 2s --kills 20
	-.ci/with-nats.sh sh -c 'cargo run --release -p ringdesk-load -- --failover 10 --nats "$$RINGDESK_TEST_NATS" \
		--postgres "$${RINGDESK_BENCH_POSTGRES-postgres://postgres@127.0.0.1:5432/test}"'
	-ulimit -n $$(ulimit -Hn); cargo run --release -p ringdesk-load -- --agents 1000 --rate 175 --talk 2s --duration 30s --tenants 4 \
		--postgres $${RINGDESK_BENCH_POSTGRES-postgres://postgres@127.0.0.1:5432/test}
	-ulimit -n $$(ulimit -Hn); .ci/with-nats.sh sh -c 'for n in 1 2 3; do cargo run --release -p ringdesk-load -- \
		--instances $$n --agents 600 --tenants 6 --rate 100 --talk 2s --duration 30s --nats "$$RINGDESK_TEST_NATS" \
		--postgres "$${RINGDESK_BENCH_POSTGRES-postgres://postgres@127.0.0.1:5432/test}"; done'
	-.ci/with-nats.sh sh -c 'for run in 1 2 3 4 5 6 7 8 9 10; do cargo run --release -p ringdesk-load -- \
		--instances 2 --kills 6 --agents 40 --tenants 4 --rate 20 --talk 2s --nats "$$RINGDESK_TEST_NATS" \
		--postgres "$${RINGDESK_BENCH_POSTGRES-postgres://postgres@127.0.0.1:5432/test}" || echo "chaos run $$run FAILED"; done'
	-.ci/with-nats.sh sh -c 'cargo run --release -p ringdesk-load -- --instances 2 --kills 6 --agents 24 --tenants 3 \
		--rate 10 --talk 2s --browser opus --nats "$$RINGDESK_TEST_NATS" \
		--postgres "$${RINGDESK_BENCH_POSTGRES-postgres://postgres@127.0.0.1:5432/test}"'
	-ulimit -n $$(ulimit -Hn); cargo run --release -p ringdesk-load -- --agents 300 --rate 30 --talk 5s --duration $${SOAK:-60m} --sample 60s
	python3 .ci/wasm_size.py

## make image: the container image ringdesk:latest from the release build, then run it
## and check it serves (docker, or podman; docs/deploy.md, "A container image")
image: setup build
	.ci/image.sh
	.ci/image-check.sh

setup:
	@.ci/setup.sh

setup-browser:
	@.ci/setup.sh --browser

# --split: each page's islands (`#[island(lazy)]`) and the phone widget's workings are
# pieces of the wasm of their own, fetched when needed (docs/BENCHMARKS.md).
# --precompress: a gzip and a brotli copy beside each of the site's files, which the
# server sends to browsers that accept them.
# Done again only when a source is newer than the last build (or the built site or the
# server binary is missing): cargo-leptos would otherwise run wasm-bindgen and wasm-opt
# on every piece of the browser code each time, about 150 s on two cores.
BUILT := target/site/.built
SOURCES := $(shell find app/src frontend/src server/src migrations/src style -type f 2>/dev/null) \
	Cargo.toml Cargo.lock app/Cargo.toml frontend/Cargo.toml server/Cargo.toml migrations/Cargo.toml
build: $(BUILT)
# The stamp bears the time the build started (cargo-leptos empties the site folder, so
# it waits beside it): a source saved during the build is newer, and is built next time.
$(BUILT): $(SOURCES) $(CARGO_TARGET_DIR)/release/server
	@mkdir -p target && touch target/.site-build-started
	cargo leptos build --release --split --precompress
	mv target/.site-build-started $(BUILT)
# A binary removed (cargo clean) is built again with the rest.
$(CARGO_TARGET_DIR)/release/server:
	rm -f $(BUILT)

# One invocation, so that app is built once with the server's features (ssr); never
# --workspace, which would also turn on the browser-only hydrate feature.
# The PostgreSQL tests use the machine's server if one answers, else a throwaway cluster
# that .ci/with-postgres.sh starts and stops; the same for NATS (.ci/with-nats.sh).
test-rust:
	.ci/with-postgres.sh .ci/with-nats.sh cargo test -p app -p server -p ringdesk-load

# The load harness once at a tiny size, so that it keeps working (fails on a lost call),
# once with its agents and calls dealt round three tenants (a routing task each),
# once over SIP with sipp as the carrier and the phones, once with the agents in the
# browser (a WebRTC softphone each), and once killing the server (SIGKILL) three times
# under load, checking the store after each restart against what it acknowledged; then
# two instances of a cluster, the one routing the tenants killed once and frozen once,
# failing if the other does not take them over (or the frozen one keeps them); and two
# instances with the telephone system's process while calls flow, the routing instance
# killed, frozen and restarted once each, failing on a lost, cut or twice-answered call,
# once with the widget as the agents' phone and once talking in the browser (their audio
# the telephone system's process's, told again to each new owner).
test-load:
	cargo run --release -p ringdesk-load -- --agents 3 --rate 2 --talk 200ms --duration 3s
	cargo run --release -p ringdesk-load -- --agents 6 --tenants 3 --rate 6 --talk 200ms --duration 3s
	cargo run --release -p ringdesk-load -- --sip --agents 4 --rate 2 --talk 1s --duration 2s
	cargo run --release -p ringdesk-load -- --agents 3 --rate 2 --talk 1s --duration 2s --browser opus
	cargo run --release -p ringdesk-load -- --agents 10 --rate 10 --talk 1s --kills 3
	.ci/with-postgres.sh .ci/with-nats.sh sh -c 'cargo run --release -p ringdesk-load -- --failover 2 \
		--postgres "$$RINGDESK_TEST_POSTGRES" --nats "$$RINGDESK_TEST_NATS" && \
		cargo run --release -p ringdesk-load -- --instances 2 --kills 3 --agents 8 --tenants 2 --rate 5 --talk 1s \
		--postgres "$$RINGDESK_TEST_POSTGRES" --nats "$$RINGDESK_TEST_NATS" && \
		cargo run --release -p ringdesk-load -- --instances 2 --kills 3 --agents 8 --tenants 2 --rate 5 --talk 1s \
		--browser opus --postgres "$$RINGDESK_TEST_POSTGRES" --nats "$$RINGDESK_TEST_NATS"'

test-e2e:
	@.ci/e2e.sh

# What a page's browser code weighs is a budget (docs/BENCHMARKS.md): every page stays
# under 300 KB gzipped, or the build fails.
test-wasm:
	python3 .ci/wasm_size.py --budget 300

clean:
	cargo clean
	rm -rf target data
