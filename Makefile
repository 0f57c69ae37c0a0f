# torsh — interactive shell for Tor's control protocol.
# `make` builds ./torsh; `make check` runs every test; `make run` opens torsh on a throwaway offline tor.

CC      ?= cc
PKGS    := libedit libcrypto
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
DESTDIR ?=

WARN    := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wconversion -Wmissing-prototypes \
           -Wstrict-prototypes -Wwrite-strings -Wpointer-arith -Wundef -Wno-sign-conversion
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
OPT     ?= -O2 -g
SAN     ?=
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -ledit -lcrypto)
CFLAGS_ALL  = $(CSTD) $(WARN) $(OPT) $(SAN) $(PKG_CFLAGS) -Isrc -MMD -MP $(CFLAGS)
LDFLAGS_ALL = $(SAN) $(LDFLAGS)

BUILD   ?= build

# Quiet by default: one short line per file, the compiler's warnings and
# errors as they come. V=1 prints every command in full.
V ?= 0
ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-5s %s\n' $(1) $(2);
endif
SRCS    := $(wildcard src/*.c)
LIBSRCS := $(filter-out src/main.c,$(SRCS))
OBJS    := $(SRCS:src/%.c=$(BUILD)/%.o)
LIBOBJS := $(LIBSRCS:src/%.c=$(BUILD)/%.o)
UNITSRC := $(wildcard tests/unit/test_*.c)
UNITBIN := $(UNITSRC:tests/unit/%.c=$(BUILD)/unit/%)
FAKEBIN := $(BUILD)/fakeport
BENCHBIN := $(BUILD)/bench/gen $(BUILD)/bench/standin $(BUILD)/bench/rss
NETPORTS := $(BUILD)/net-ports

# for torsh --version: libedit cannot tell its version at run time
LIBEDIT_VERSION := $(shell pkg-config --modversion libedit 2>/dev/null)
ifneq ($(LIBEDIT_VERSION),)
$(BUILD)/main.o: CFLAGS_ALL += -DTORSH_LIBEDIT_VERSION='"$(LIBEDIT_VERSION)"'
endif

.PHONY: all deps run check unit bats asan fuzz man install uninstall clean bench net-up net-down
GENMAN  := $(BUILD)/gen-commands
all: torsh $(FAKEBIN) $(NETPORTS) $(UNITBIN) $(GENMAN) $(BENCHBIN)

torsh: $(OBJS)
	$(call say,LD,$@)$(CC) $(LDFLAGS_ALL) -o $@ $(OBJS) $(PKG_LIBS)

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(call say,CC,$@)$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/unit/%: tests/unit/%.c $(LIBOBJS) | $(BUILD)/unit
	$(call say,CCLD,$@)$(CC) $(CFLAGS_ALL) -Itests/unit -o $@ $< $(LIBOBJS) $(PKG_LIBS)

$(GENMAN): man/gen-commands.c $(LIBOBJS) | $(BUILD)
	$(call say,CCLD,$@)$(CC) $(CFLAGS_ALL) -o $@ $< $(LIBOBJS) $(PKG_LIBS)

# Splice the command list, generated from the command table, into the man
# page between its BEGIN/END COMMANDS markers.
man: $(GENMAN)
	$(GENMAN) >$(BUILD)/commands.roff
	awk -v f=$(BUILD)/commands.roff '/^\.\\" BEGIN COMMANDS/ { print; while ((getline l < f) > 0) print l; skip = 1; next } \
	  /^\.\\" END COMMANDS/ { skip = 0 } !skip' man/torsh.1 >$(BUILD)/torsh.1.new
	mv $(BUILD)/torsh.1.new man/torsh.1

$(FAKEBIN): tests/fake/fakeport.c | $(BUILD)
	$(call say,CCLD,$@)$(CC) $(CFLAGS_ALL) -o $@ $<

# The benchmark's own programs (tests/bench/): plain C, libc only.
$(BUILD)/bench/%: tests/bench/%.c | $(BUILD)/bench
	$(call say,CCLD,$@)$(CC) $(CFLAGS_ALL) -o $@ $<

# Speed against the raw-socket floor (tests/bench/README.md). Data goes to
# $(BUILD)/bench; BENCH_REPS, BENCH_FLOODS... tune it; BENCH_STRICT=1 makes a
# missed target fail the make.
bench: torsh $(BENCHBIN)
	tests/bench/run

$(NETPORTS): tests/net/ports.c | $(BUILD)
	$(call say,CCLD,$@)$(CC) $(CFLAGS_ALL) -o $@ $<

$(BUILD) $(BUILD)/unit $(BUILD)/bench:
	$(Q)mkdir -p $@

# Debian packages torsh needs to build and test (zsh and fish load the
# completions in the tests). Installs what is missing when
# run as root; otherwise prints the exact command and fails.
DEB_PKGS := gcc clang make pkg-config libedit-dev libssl-dev tor bats bats-assert bats-support socat curl tmux jq time zsh fish
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "make deps: installing$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "make deps: missing packages:$$missing"; \
	  echo "run: sudo apt-get install$$missing"; exit 1; \
	fi

# The prompt comes straight after the build: no line per file here. The
# launched tor gets this repository's backstop on top of DisableNetwork 1: a
# dead loopback authority and no fallbacks, so it stays offline even if told
# to go online (torsh --launch alone can).
BACKSTOP := --tor-option 'DirAuthority dummy 127.0.0.1:1 ffffffffffffffffffffffffffffffffffffffff' \
            --tor-option 'UseDefaultFallbackDirs 0'
run: say = @
run: deps torsh
	@./torsh --launch $(BACKSTOP)

# A unit binary that ends other than by its own verdict (1) crashed: say so
# in TAP, as its own checks may all have passed before.
unit: $(UNITBIN)
	@rc=0; for t in $(UNITBIN); do \
	  $$t || { r=$$?; [ $$r -eq 1 ] || echo "not ok - $$t ended abnormally (status $$r)"; rc=1; }; \
	done; exit $$rc

BATS_TESTS ?= tests
# The net_*.bats files share one private Tor network on 127.0.0.1
# (tests/net/), started before bats when any of them is to run and stopped
# after it, whatever the tests did; if it does not start, their setup fails.
bats: torsh $(FAKEBIN) $(NETPORTS)
	@if ls $(BATS_TESTS) 2>/dev/null | grep -q '\(^\|/\)net_.*\.bats$$'; then \
	  d="$$(mktemp -d /tmp/torsh-net.XXXXXX)"; \
	  trap 'tests/net/net down "$$d"' EXIT; trap 'exit 130' INT TERM; \
	  tests/net/net up "$$d" || true; export TORSH_NET_ENV="$$d/env"; \
	fi; \
	bats --formatter tap $(BATS_TESTS)

# A private network to try torsh on (README, "Try it on a private network").
NET_STATE := $(BUILD)/net.dir
net-up: torsh $(NETPORTS)
	@if [ -s $(NET_STATE) ] && [ -d "$$(cat $(NET_STATE))" ]; then \
	  echo "a network is up already: $$(cat $(NET_STATE))/env (make net-down stops it)"; exit 1; fi
	@d="$$(mktemp -d /tmp/torsh-net.XXXXXX)"; echo "$$d" >$(NET_STATE); \
	tests/net/net up "$$d" || { tests/net/net down "$$d"; rm -f $(NET_STATE); exit 1; }; \
	tests/net/net show "$$d"

net-down:
	@[ ! -s $(NET_STATE) ] || tests/net/net down "$$(cat $(NET_STATE))"
	@rm -f $(NET_STATE)

# Every test's TAP line goes to the screen and to CHECKLOG; tests/tally
# then lists the failed ones again and ends with "N passed, N failed".
CHECKLOG ?= $(BUILD)/check.tap
check: deps
	@mkdir -p $(dir $(CHECKLOG)); rm -f $(CHECKLOG).runners
	@{ if $(MAKE) --no-print-directory all; then \
	    $(MAKE) --no-print-directory unit || echo "make unit" >>$(CHECKLOG).runners; \
	    $(MAKE) --no-print-directory bats || echo "make bats" >>$(CHECKLOG).runners; \
	  else echo "not ok - the build (make all) failed"; fi; } 2>&1 | tee $(CHECKLOG)
	@set --; if [ -f $(CHECKLOG).runners ]; then \
	  while IFS= read -r r; do set -- "$$@" -r "$$r"; done <$(CHECKLOG).runners; fi; \
	tests/tally "$$@" $(CHECKLOG)

# Sanitized objects must not mix with normal ones: clean before and after.
asan:
	$(MAKE) clean
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $(MAKE) check CC=clang OPT="-O1 -g -fno-omit-frame-pointer" SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" \
	  || { $(MAKE) clean; exit 1; }
	$(MAKE) clean

# libFuzzer targets for the tokenizer+parser+serializer, the reply reader,
# the renderers' promises (terminal-safe text, valid UTF-8 JSON), and the
# onion descriptor decoder (tests/fuzz/fuzz_onion.c: each layer).
# FUZZ_SECONDS bounds each run (CI gives each target 30 s).
FUZZ_SECONDS ?= 20
FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -Isrc $(PKG_CFLAGS) \
	-fsanitize=fuzzer,address,undefined
fuzz:
	mkdir -p $(BUILD)/fuzz
	clang $(FUZZ_CFLAGS) -o $(BUILD)/fuzz/fuzz_cmd tests/fuzz/fuzz_cmd.c $(LIBSRCS) $(PKG_LIBS)
	clang $(FUZZ_CFLAGS) -o $(BUILD)/fuzz/fuzz_reply tests/fuzz/fuzz_reply.c $(LIBSRCS) $(PKG_LIBS)
	clang $(FUZZ_CFLAGS) -o $(BUILD)/fuzz/fuzz_render tests/fuzz/fuzz_render.c $(LIBSRCS) $(PKG_LIBS)
	clang $(FUZZ_CFLAGS) -o $(BUILD)/fuzz/fuzz_onion tests/fuzz/fuzz_onion.c $(LIBSRCS) $(PKG_LIBS)
	mkdir -p $(BUILD)/fuzz/corpus-cmd $(BUILD)/fuzz/corpus-reply $(BUILD)/fuzz/corpus-render $(BUILD)/fuzz/corpus-onion
	$(BUILD)/fuzz/fuzz_cmd -max_total_time=$(FUZZ_SECONDS) -max_len=4096 $(BUILD)/fuzz/corpus-cmd tests/fuzz/corpus
	$(BUILD)/fuzz/fuzz_reply -max_total_time=$(FUZZ_SECONDS) -max_len=65536 $(BUILD)/fuzz/corpus-reply tests/fuzz/corpus
	$(BUILD)/fuzz/fuzz_render -max_total_time=$(FUZZ_SECONDS) -max_len=65536 $(BUILD)/fuzz/corpus-render tests/fuzz/corpus
	$(BUILD)/fuzz/fuzz_onion -max_total_time=$(FUZZ_SECONDS) -max_len=60000 $(BUILD)/fuzz/corpus-onion tests/fuzz/corpus-onion

install: torsh
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 0755 torsh $(DESTDIR)$(BINDIR)/torsh
	install -m 0644 man/torsh.1 $(DESTDIR)$(MANDIR)/man1/torsh.1
	install -d $(DESTDIR)$(DATADIR)/bash-completion/completions $(DESTDIR)$(DATADIR)/zsh/site-functions \
	  $(DESTDIR)$(DATADIR)/fish/vendor_completions.d
	install -m 0644 completions/torsh.bash $(DESTDIR)$(DATADIR)/bash-completion/completions/torsh
	install -m 0644 completions/_torsh $(DESTDIR)$(DATADIR)/zsh/site-functions/_torsh
	install -m 0644 completions/torsh.fish $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/torsh.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/torsh $(DESTDIR)$(MANDIR)/man1/torsh.1 \
	  $(DESTDIR)$(DATADIR)/bash-completion/completions/torsh $(DESTDIR)$(DATADIR)/zsh/site-functions/_torsh \
	  $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/torsh.fish

clean:
	rm -rf $(BUILD) torsh

-include $(OBJS:.o=.d) $(UNITBIN:=.d)
