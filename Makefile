# ordoctor: the two commands that matter are `make run` and `make test`.
# Everything is built by Meson/Ninja in build/; this Makefile installs what is
# missing (scripts/deps.sh), configures, builds and runs.

PREFIX ?= /usr/local
DESTDIR ?=
BUILD ?= build
TIMESHIFT ?= +5y
SAN_BUILD ?= build-san
FUZZ_BUILD ?= build-fuzz
MESON_FLAGS ?=

.PHONY: dist all deps build run test conformance test-timeshift test-unit test-cases check-layers check-output differential leak-hunt test-sanitize test-valgrind fuzz fuzz-build fuzz-long fuzz-smoke bench install uninstall deb clean

all: build

deps:
	@scripts/deps.sh --test

$(BUILD)/build.ninja:
	@scripts/deps.sh --test
	meson setup $(BUILD) --prefix=$(PREFIX) $(MESON_FLAGS)

build: $(BUILD)/build.ninja
	@scripts/deps.sh --test
	ninja -C $(BUILD)

# Run the doctor on this machine.  A diagnosed problem (exit 1) or an
# undecided answer (exit 3) is the doctor's result, not a make error.
run: build
	@$(BUILD)/ordoctor check; rc=$$?; \
	if [ $$rc -eq 0 ] || [ $$rc -eq 1 ] || [ $$rc -eq 3 ]; then exit 0; else exit $$rc; fi

# Unit tests (cmocka, via meson), every scenario case, the e2e tests and the
# consistency test (tests/consistency); the last line is "N passed, N failed".
test: build
	@scripts/deps.sh --test --e2e --completions
	@scripts/run-tests.sh $(BUILD)

# Differential oracles (tests/differential): the .env, startup-file, TOML and
# JSON5 readers against the real loaders (python-dotenv, npm dotenv, node
# --env-file; bash, zsh, dash, fish; tomllib; npm json5) on generated inputs
# and the fuzz corpora.  One line per oracle, "N inputs, N agree, N known
# differences, N disagreements"; fails on a disagreement that
# tests/differential/KNOWN does not list.
differential: build
	@scripts/deps.sh --differential
	@tests/differential/run.sh $(BUILD)

# Real tools (npm, versions pinned in tests/conformance/package-lock.json) run through
# `ordoctor run` against the mock in generated homes; the key each sent is compared with
# `ordoctor tools --json`.  Prints a tool x cell table, also written to $(BUILD)/conformance.txt;
# fails on a disagreement not listed in docs/profiles.md ("Conformance: known disagreements").
# Network: the npm registry, for the install only.
conformance: build
	@scripts/deps.sh --test --e2e
	@tests/conformance/install.sh
	@python3 tests/conformance/run.py $(BUILD) --jobs 2 --timeout 60

# The leak hunter alone (make test runs it too): every fixture key planted in
# every input kind in every encoding, every command in every format.
leak-hunt: build
	@scripts/leak-hunt $(BUILD)

# No file of lib/, cli/ or mock/ may depend on itself through others (the
# objects' symbols, and lib/'s #includes): each layer rests on those below.
check-layers: build
	@scripts/check-layers $(BUILD)

# Nothing in lib/, cli/ or mock/ may write around the output gate (lib/gate.c):
# no stdout/stderr, printf, puts, write(1|2), or a file opened for writing
# other than through ord_gate_fopen().
check-output:
	@scripts/check-output --self-test
	@scripts/check-output

# Time bombs: every scenario case on the real clock and under faketime with
# the clock moved by TIMESHIFT (default +5y); a case whose result differs
# depends on the wall clock and needs a Now: line.  The unit tests run under
# the moved clock too.
test-timeshift: build
	@scripts/deps.sh --test --timeshift
	@scripts/test-timeshift.sh $(BUILD) $(TIMESHIFT)

test-sanitize:
	@scripts/deps.sh --test
	@[ -f $(SAN_BUILD)/build.ninja ] || meson setup $(SAN_BUILD) \
		-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized
	ninja -C $(SAN_BUILD)
	@ORDOCTOR_SANITIZED=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 scripts/run-tests.sh $(SAN_BUILD)

# Every scenario case under valgrind memcheck (uninitialised reads, which
# ASan does not see), the runner traced into every process it starts; CI
# runs it.  It ends with the time it took and "N passed, N failed".
test-valgrind: build
	@scripts/deps.sh --test --valgrind
	@scripts/test-valgrind.sh $(BUILD)

# libFuzzer targets (clang); `make fuzz` builds them and runs each for a
# short smoke run over its corpus in tests/fuzz/corpus/.
fuzz: fuzz-build
	@scripts/fuzz-smoke.sh $(FUZZ_BUILD) $${FUZZ_SECONDS:-10}

fuzz-build:
	@scripts/deps.sh --fuzz
	@[ -f $(FUZZ_BUILD)/build.ninja ] || CC=clang meson setup $(FUZZ_BUILD) \
		-Dfuzz=true -Dtests=false -Db_lundef=false -Dbuildtype=debug \
		-Dc_args=-fsanitize=fuzzer-no-link,address,undefined \
		-Dc_link_args=-fsanitize=address,undefined
	ninja -C $(FUZZ_BUILD)

# Every fuzz target for minutes each (FUZZ_LONG_SECONDS, default 300), one
# after the other, with the corpus kept in $(FUZZ_BUILD)/fuzz-corpus/ between
# runs; ends with a table of executions, seconds and crashes per target.
# FUZZ_MERGE=1 merges what adds coverage back into tests/fuzz/corpus/.
fuzz-long: fuzz-build
	@scripts/fuzz-long.sh $(FUZZ_BUILD) $${FUZZ_LONG_SECONDS:-300}

bench: build
	@scripts/deps.sh --bench
	@bench/run.sh $(BUILD)

# The prefix is applied by regenerating the build (ninja) before installing.
install: build
	meson configure $(BUILD) --prefix=$(PREFIX) >/dev/null
	ninja -C $(BUILD)
	DESTDIR=$(DESTDIR) meson install -C $(BUILD) --no-rebuild

# The Debian package (debian/, debhelper with Meson), built from a clean copy
# of the tree in a temporary directory, checked with lintian (fails on an
# error), left in $(BUILD)/deb/.  Installs dpkg-dev, debhelper, lintian and
# fakeroot when missing.  DEB_INSTALL=1 (CI) also installs the package and
# runs the installed /usr/bin/ordoctor.
deb:
	@scripts/deb.sh $(BUILD)/deb

# The release tarball (meson dist, from the committed tree), then proof that
# it builds on its own: unpacked in a temporary directory, configured with the
# defaults, built, and the binary run.  The suite itself runs in make test.
dist: build
	meson dist -C $(BUILD) --no-tests --allow-dirty --formats xztar
	@d=$$(mktemp -d) && tar -C $$d -xf $(BUILD)/meson-dist/ordoctor-*.tar.xz && \
	cd $$d/ordoctor-* && meson setup b >/dev/null && ninja -C b >/dev/null && \
	b/ordoctor --version && cd / && rm -rf $$d && echo "dist: the tarball builds"

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ordoctor $(DESTDIR)$(PREFIX)/share/man/man1/ordoctor.1
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/ordoctor \
	      $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_ordoctor \
	      $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/ordoctor.fish
	rm -rf $(DESTDIR)$(PREFIX)/share/ordoctor

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(FUZZ_BUILD)
