# jixia — build, test, install. `make site` and `make test` do everything on
# a fresh Debian machine: missing packages are installed first (as root) or
# named with the exact apt-get line.

PREFIX ?= /usr/local
CC ?= cc
PKGS = libcmark-gfm yaml-0.1 libgit2 libutf8proc zlib icu-i18n libmicrohttpd pangocairo cairo fontconfig
DEBS = libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libgit2-dev \
       libutf8proc-dev zlib1g-dev libicu-dev libmicrohttpd-dev pkg-config tzdata \
       libcairo2-dev libpango1.0-dev fonts-noto-cjk
MUSTACHE_SPEC ?= ../shared/spec/mustache

WARN = -Wall -Wextra -Wpedantic -Wmissing-prototypes -Wstrict-prototypes \
       -Wwrite-strings -Wvla -Werror
OPT ?= -O2 -g
CFLAGS_ALL = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) $(WARN) \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(CFLAGS)
# Loaded when first needed, not linked (util.h's lib_open): libmicrohttpd by jixia serve
# (serve.c), pango and cairo with fontconfig when a picture is drawn (poster.c). glib and
# gobject, which poster.c calls too, stay linked.
LOADED = libmicrohttpd pangocairo cairo fontconfig
LIBS = $(shell pkg-config --libs $(filter-out $(LOADED),$(PKGS)) glib-2.0 gobject-2.0 2>/dev/null) -lpthread -lm
# A build with a sanitizer frees everything before it exits, for the leak
# checks (build.h's exiting: others leave the model to the system).
ifneq (,$(findstring -fsanitize,$(OPT) $(CFLAGS) $(LDFLAGS)))
CFLAGS_ALL += -DJIXIA_FREE_ALL
endif

B ?= build
SRCS = $(sort $(wildcard generator/*.c))
OBJS = $(SRCS:generator/%.c=$(B)/%.o) $(B)/theme_data.o
LIBOBJS = $(filter-out $(B)/main.o,$(OBJS))
UNIT_SRCS = $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS = $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
THEME = $(shell find layouts assets -type f ! -name README.md 2>/dev/null | LC_ALL=C sort)

# The C files `make format` lays out by .clang-format, which is written for
# clang-format 14 (Debian 12's); another version lays some code out
# differently, so `make format` refuses it (CLANG_FORMAT=clang-format-14 picks
# one) and format-check skips with a notice.
FORMAT_SRCS = $(sort $(wildcard generator/*.[ch] tests/unit/*.[ch] tests/fuzz/*.[ch]))
CLANG_FORMAT ?= clang-format
CLANG_FORMAT_VERSION = 14
# 1: `make test` first runs format-check, which fails when `make format` would
# change a file. 0 until the whole tree has been through `make format` once.
FORMAT_CHECK = 1

.PHONY: all deps site test asan test-asan browser-deps test-deps spec-mustache fuzz install clean bench \
	format format-check
all: deps jixia $(B)/jixia.1

# The dependency gate: pkg-config must know every library.
deps:
	@missing=""; for d in $(DEBS); do \
	  dpkg-query -W -f='$${Status}' $$d 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$d"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing:$$missing"; \
	    (apt-get install -y -qq $$missing >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y -qq $$missing >/dev/null)) || exit 2; \
	  else \
	    echo "jixia needs: sudo apt-get install -y$$missing" >&2; exit 2; \
	  fi; \
	fi

jixia: $(B)/jixia
	cp $(B)/jixia jixia

$(B)/jixia: $(OBJS)
	@echo '  LINK $@'
	@$(CC) $(LDFLAGS) -o $@ $(OBJS) $(LIBS)

# The man page is the help's own text (jixia help --man), so the two cannot differ.
$(B)/jixia.1: $(B)/jixia
	@echo '  GEN  $@'
	@$(B)/jixia help --man > $@.tmp && mv $@.tmp $@

$(B)/%.o: generator/%.c generator/*.h | $(B)
	@echo '  CC   $<'
	@$(CC) $(CFLAGS_ALL) -iquote generator -c -o $@ $<

# The default theme is compiled into the binary (see generator/theme.c).
$(B)/theme_data.o: $(B)/theme_data.c
	@echo '  CC   $<'
	@$(CC) $(CFLAGS_ALL) -iquote generator -c -o $@ $<
$(B)/theme_data.c: tests/embed.sh $(THEME) | $(B)
	@echo '  GEN  $@'
	@sh tests/embed.sh $(THEME) > $@

$(B):
	mkdir -p $(B)/tests

$(B)/tests/%: tests/unit/%.c tests/unit/*.h $(LIBOBJS)
	@echo '  TEST $@'
	@$(CC) $(CFLAGS_ALL) $(LDFLAGS) -iquote generator -iquote tests/unit -o $@ $< $(LIBOBJS) $(LIBS)

# The build time is the last commit's, so upcoming events are right and the
# portal is reproducible; without git, jixia leaves the time unknown.
site: all
	SOURCE_DATE_EPOCH=$$(git log -1 --format=%ct 2>/dev/null) ./jixia build . -o public

test: all $(UNIT_BINS) $(B)/tests/incr_driver browser-deps test-deps
	@[ "$(FORMAT_CHECK)" != 1 ] || ($(FORMAT_CHECK_SH))
	@B=$(B) MUSTACHE_SPEC=$(MUSTACHE_SPEC) sh tests/run.sh

# The browser tests need Debian's chromium and the npm packages pinned in
# tests/browser/package-lock.json (no browser download: the system one is used).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing: chromium"; \
	    (apt-get install -y -qq chromium >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)) || true; \
	  else echo "browser tests need: sudo apt-get install -y chromium" >&2; fi; \
	fi
	@if [ ! -d tests/browser/node_modules ] && command -v npm >/dev/null 2>&1; then \
	  echo "installing: tests/browser npm packages"; \
	  npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error >/dev/null || true; \
	fi

# The feed tests validate with xmllint and read feeds and calendars back
# with Debian's feedparser and icalendar (run by /usr/bin/python3);
# format-check needs clang-format; the man page is read back by man-db's man;
# the hostile cases' peak memory is measured by GNU time.
TEST_DEBS = libxml2-utils python3-feedparser python3-icalendar clang-format man-db time
test-deps:
	@missing=""; for d in $(TEST_DEBS); do \
	  dpkg-query -W -f='$${Status}' $$d 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$d"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing:$$missing"; \
	    (apt-get install -y -qq $$missing >/dev/null 2>&1 || \
	     (apt-get update -qq && apt-get install -y -qq $$missing >/dev/null)) || true; \
	  else echo "feed tests need: sudo apt-get install -y$$missing" >&2; fi; \
	fi

spec-mustache: all $(B)/tests/test_spec
	@$(B)/tests/test_spec $(MUSTACHE_SPEC)/*.yml

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer.
asan: deps
	$(MAKE) B=build-asan OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  LDFLAGS="-fsanitize=address,undefined" test-asan
test-asan: $(B)/jixia $(UNIT_BINS) browser-deps test-deps
	@B=$(B) JIXIA=$(B)/jixia MUSTACHE_SPEC=$(MUSTACHE_SPEC) sh tests/run.sh

# libFuzzer harnesses (clang), each run for FUZZ_SECONDS with ASan and
# UBSan; findings are written to build-fuzz/. Seeds: tests/fuzz/seeds/NAME/
# when a harness has them, else the portal's own content and layouts, read
# in place; tests/fuzz/NAME.flags adds libFuzzer options (-max_len=...).
# FUZZ=NAME runs one harness.
FUZZ_SECONDS ?= 60
FUZZ_SRCS = $(filter-out generator/main.c,$(SRCS))
fuzz: deps $(B)/theme_data.c
	@mkdir -p build-fuzz
	@for h in $(if $(FUZZ),tests/fuzz/$(FUZZ).c,$(sort $(wildcard tests/fuzz/fuzz_*.c))); do \
	  n=$$(basename $$h .c); \
	  echo "  FUZZ $$n ($(FUZZ_SECONDS)s)"; \
	  clang -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 \
	    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	    $$(pkg-config --cflags $(PKGS)) -iquote generator -o build-fuzz/$$n $$h \
	    $(FUZZ_SRCS) $(B)/theme_data.c $(LIBS) || exit 1; \
	  mkdir -p build-fuzz/$$n-corpus; \
	  seeds="../content/talks ../content/faq ../layouts"; \
	  [ -d tests/fuzz/seeds/$$n ] && seeds="../tests/fuzz/seeds/$$n"; \
	  flags=; [ -f tests/fuzz/$$n.flags ] && flags=$$(cat tests/fuzz/$$n.flags); \
	  (cd build-fuzz && ./$$n -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 \
	    -timeout=10 $$flags $$n-corpus $$seeds >$$n.log 2>&1); rc=$$?; \
	  grep -E '^(Done|#[0-9]+.*DONE)|ERROR|SUMMARY|artifact' build-fuzz/$$n.log | tail -n 5; \
	  [ $$rc -eq 0 ] || exit 1; \
	done

# Figures, not tests: cold build against rebuilds into the existing output on
# the 10,000-page corpus (tests/bench/build.py: made once from
# ../shared/bench/gen-corpus.py when /work/bench/c10k is not there), then
# serve's latency when tests/bench/serve-latency.* is there. BENCH_ROUNDS=N.
bench: jixia $(B)/tests/incr_driver
	@JIXIA=$(B)/jixia python3 tests/bench/build.py
	@site=$$(python3 tests/bench/build.py --corpus) || exit 1; \
	for s in tests/bench/serve-latency.*; do \
	  case $$s in \
	  *.py) python3 $$s --jixia $(B)/jixia "$$site" || exit 1 ;; \
	  *.sh) JIXIA=$(B)/jixia sh $$s "$$site" || exit 1 ;; \
	  *.mjs) JIXIA=$(B)/jixia node $$s "$$site" || exit 1 ;; \
	  esac; \
	done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 jixia $(DESTDIR)$(PREFIX)/bin/jixia
	install -m 644 $(B)/jixia.1 $(DESTDIR)$(PREFIX)/share/man/man1/jixia.1

CLANG_FORMAT_HAVE = $$($(CLANG_FORMAT) --version 2>/dev/null | sed -n 's/.*version \([0-9][0-9]*\)\..*/\1/p')

format:
	@v=$(CLANG_FORMAT_HAVE); if [ "$$v" != $(CLANG_FORMAT_VERSION) ]; then \
	  echo "make format needs clang-format $(CLANG_FORMAT_VERSION) (found: $${v:-none}): sudo apt-get install -y clang-format, or CLANG_FORMAT=clang-format-$(CLANG_FORMAT_VERSION)" >&2; exit 2; \
	fi
	$(CLANG_FORMAT) -i $(FORMAT_SRCS)

# Changes nothing; fails with the files `make format` would change.
FORMAT_CHECK_SH = v=$(CLANG_FORMAT_HAVE); \
	if [ -z "$$v" ]; then \
	  echo "format-check needs clang-format: sudo apt-get install -y clang-format" >&2; exit 1; \
	elif [ "$$v" != $(CLANG_FORMAT_VERSION) ]; then \
	  echo "format-check skipped: clang-format $$v, and .clang-format is for $(CLANG_FORMAT_VERSION)" >&2; exit 0; \
	fi; \
	out=$$($(CLANG_FORMAT) --dry-run --Werror --ferror-limit=1 $(FORMAT_SRCS) 2>&1) && \
	  { echo "format: $(words $(FORMAT_SRCS)) C files as .clang-format lays them out"; exit 0; }; \
	bad=$$(printf '%s\n' "$$out" | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p'); \
	if [ -z "$$bad" ]; then printf '%s\n' "$$out" >&2; exit 1; fi; \
	echo "format: make format would change these files:" >&2; \
	printf '  %s\n' $$bad >&2; exit 1
format-check:
	@$(FORMAT_CHECK_SH)

clean:
	rm -rf build build-asan build-fuzz jixia public
