# The two commands that matter: `make run` and `make test`.
SWIFT ?= swift
BIN := .build/release/ctutor
LAUNCHER := .build/release/ctutor-launcher
LAUNCHER_SOURCES := Sources/CShim/launcher.c Sources/CShim/container.c Sources/CTutorLauncher/main.c

.PHONY: run test build deps test-deps vm-deps lint bench bench-run bench-startup bench-runtime bench-docker order-file format clean install uninstall

run: deps build
	@$(BIN)

# One static executable (the Swift runtime, Foundation, glibc, ncursesw all in it):
# no dynamic loader at start, whose work was most of a start's 3.2 ms (seven shared
# libraries, 2,300 symbol lookups); a start is 1.9 ms, and the daemon starts this
# binary once per container as its shim. Where the static libraries are missing
# (ncursesw's or zlib's .a files) it links as before: the Swift runtime static, the
# system libraries shared. The binary runs on machines without the toolchain.
# The link itself is laid out for memory where lld can (scripts/link-flags.sh), and
# not position-independent: no relative relocations to apply (76,000 of them),
# which matters twice per demo, since the namespace launcher is this binary again.
# Beside it, ctutor-launcher: the namespace launcher (CShim/launcher.c) as a small
# static C program, which starts in a fraction of the tutor's time; without it the
# tutor re-executes itself to run the same code.
RELEASE_FLAGS = -c release --product ctutor --static-swift-stdlib -Xlinker -no-pie $(shell SWIFT=$(SWIFT) scripts/link-flags.sh)
build:
	@$(SWIFT) build $(RELEASE_FLAGS) -Xswiftc -static-executable -Xlinker -ltinfo \
	|| { echo "ctutor: linking one static executable failed (see above); linking with shared system libraries instead" >&2; \
	     $(SWIFT) build $(RELEASE_FLAGS); }
	@$(CC) -O2 -static -Wall -Werror -ISources/CShim/include -o $(LAUNCHER) $(LAUNCHER_SOURCES) \
	|| $(CC) -O2 -Wall -Werror -ISources/CShim/include -o $(LAUNCHER) $(LAUNCHER_SOURCES) \
	|| echo "ctutor-launcher not built (no C compiler?): demos still run, the tutor re-executing itself"

deps:
	@scripts/setup-deps.sh run

# For a shared lab server: `make install` (PREFIX=/usr/local by default) puts ctutor
# on the PATH and its lessons in PREFIX/share/ctutor, where it finds them from any
# directory without an option; `make uninstall` removes exactly what install put
# (listed in PREFIX/share/ctutor/install-manifest). DESTDIR stages for a package.
# The release binary is built first only when a source is newer than it.
PREFIX ?= /usr/local
RELEASE_INPUTS := $(shell find Sources -type f) Package.swift

$(BIN): $(RELEASE_INPUTS)
	$(MAKE) build

install: $(BIN)
	@scripts/install.sh install "$(PREFIX)" "$(DESTDIR)"

uninstall:
	@scripts/install.sh uninstall "$(PREFIX)" "$(DESTDIR)"

test-deps:
	@scripts/setup-deps.sh test

# Optional, not part of `make test`: qemu and a Debian kernel (only its vmlinuz, in
# ~/.local/share/ctutor/vm; /boot untouched) for the VM of `ctutor demo virt`.
# About 70 MB to download.
vm-deps:
	@scripts/vm-deps.sh

# Unit, screen, engine and end-to-end tests. The end-to-end tests drive the
# release binary in tmux, so it is built first.
test: test-deps build
	$(BIN) lint Lessons
	CTUTOR_BIN=$(CURDIR)/$(BIN) $(SWIFT) test

lint: build
	$(BIN) lint Lessons

bench:
	scripts/bench.sh

bench-run:
	scripts/bench-run.sh

bench-startup:
	scripts/bench-startup.sh

bench-runtime:
	scripts/bench-runtime.sh

bench-docker:
	scripts/bench-docker.sh

order-file:
	scripts/order-file.sh

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

clean:
	rm -rf .build
