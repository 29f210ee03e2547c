# The two commands that matter: `make run` and `make test`.
SWIFT ?= swift
BIN := .build/release/ctutor

.PHONY: run test build deps test-deps lint clean

run: deps build
	@$(BIN)

build:
	$(SWIFT) build -c release --product ctutor

deps:
	@scripts/setup-deps.sh run

test-deps:
	@scripts/setup-deps.sh test

# Unit, screen, engine and end-to-end tests. The end-to-end tests drive the
# release binary in tmux, so it is built first.
test: test-deps build
	$(BIN) lint Lessons
	CTUTOR_BIN=$(CURDIR)/$(BIN) $(SWIFT) test

lint: build
	$(BIN) lint Lessons

clean:
	rm -rf .build
