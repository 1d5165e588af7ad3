# linux.vnet — build and test harness.  `make test` is what CI runs (via .ci/run).
#
#   make deps         apt packages (as root, only when missing) + .venv from tests/requirements.txt
#   make collection   fresh copy of the tracked (and untracked, not ignored) files at
#                     .build/collections/ansible_collections/linux/vnet
#   make lint         ruff check + ruff format --check
#   make unit         pytest tests/unit (imports the collection from the copy)
#   make artifact     the built tarball: file list, installed into an empty collections path and smoke-tested
#                     on the oldest (.venv-216, made here) and newest (.venv) ansible-core, EE metadata
#                     (ansible-builder), changelog (antsibull-changelog)
#   make sanity       ansible-test sanity (local, Python 3.11) in the copy
#   make integration  real-kernel integration targets (root), two lanes: venv + Debian python
#   make molecule     the roles' molecule scenarios (extensions/molecule/*, root), each on its own lab of
#                     simulated hosts; MOLECULE_SCENARIOS='a b' picks some
#   make test-kernel  the full-kernel lane (tests/kernel): ipvlan, dummy and the openvswitch datapath, which this
#                     kernel lacks, tested in one QEMU boot of the stock Debian kernel (root; 3-6 minutes);
#                     VNET_SKIP_KERNEL_LANE=<reason> skips it, saying so
#   make test         all of the above, in that order, stopping at the first failure, between a snapshot
#                     of this machine's namespaces, host links, netns/lab mounts and suite daemons and a
#                     check that fails if the suite left any new one behind (tools/leak_guard.py)
#   make format       ruff format + ruff check --fix (developer convenience, not part of test)
#   make bench        benchmarks (root), measured, never asserted, not part of test: the table of
#                     docs/benchmarks.md, within about 10 minutes (BENCH_BUDGET, BENCH_ARGS)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := test
# The targets of `make test` must run in order, one at a time, even under `make -j`.
.NOTPARALLEL:

PYTHON ?= python3
# Targets use random prefixes and touch nothing else, so two run side by side (one per core).
INTEGRATION_WORKERS ?= 2
SANITY_PYTHON ?= 3.11
VENV := .venv
VPY := $(VENV)/bin/python
BUILD := .build
COLLECTIONS := $(BUILD)/collections
COLL := $(COLLECTIONS)/ansible_collections/linux/vnet
REQS := tests/requirements.txt
REQ_HASH := $(shell sha256sum $(REQS) 2>/dev/null | cut -c1-16)
VENV_STAMP := $(VENV)/.requirements-$(REQ_HASH)

APT_PACKAGES := python3-pyroute2 python3-openvswitch openvswitch-switch python3-venv iproute2 iputils-ping ethtool rsync git shellcheck
LINT_DIRS = $(wildcard plugins tests benchmarks tools)

.PHONY: leak-baseline leak-check demo test deps system-deps venv collection lint format unit sanity integration molecule clean distclean artifact venv-oldest

LEAK_BASELINE := $(BUILD)/leak-baseline.json

test: deps leak-baseline collection lint unit artifact sanity integration molecule test-kernel leak-check

leak-baseline:
	@mkdir -p $(BUILD)
	$(VPY) tools/leak_guard.py baseline $(LEAK_BASELINE)

leak-check:
	$(VPY) tools/leak_guard.py check $(LEAK_BASELINE)

# Three simulated hosts, two tenants over VXLAN, the reachability matrix, a topology drawing,
# teardown. `make demo DEMO_ARGS='-e demo_keep=true'` keeps the lab up to explore.
demo: deps collection
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/$(COLLECTIONS) ANSIBLE_PIPELINING=true ANSIBLE_NOCOLOR=1 \
	  $(VENV)/bin/ansible-playbook -i localhost, -e ansible_python_interpreter=/usr/bin/python3 \
	  playbooks/demo.yml $(DEMO_ARGS)

deps: system-deps venv

system-deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" != 0 ]; then echo "missing Debian packages:$$missing (run 'make deps' as root)" >&2; exit 1; fi; \
	  echo "installing:$$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq; \
	  apt-get install -y -qq --no-install-recommends $$missing; \
	fi

venv: $(VENV_STAMP)

$(VENV_STAMP): $(REQS)
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --disable-pip-version-check -r $(REQS)
	@rm -f $(VENV)/.requirements-*
	@touch $@

collection:
	@rm -rf $(COLL)
	@mkdir -p $(COLL)
	git ls-files -z -co --exclude-standard | rsync -a --from0 --files-from=- --ignore-missing-args ./ $(COLL)/
	@# The copy is its own git work tree: otherwise ansible-test finds /work/main's repo, where .build/
	@# is ignored, and skips every target.
	@git -C $(COLL) init -q
	@echo "collection copy: $(COLL)"

lint: venv
	$(VENV)/bin/ruff check $(LINT_DIRS)
	$(VENV)/bin/ruff format --check $(LINT_DIRS)
	$(VENV)/bin/ansible-lint --nocolor roles playbooks

format: venv
	$(VENV)/bin/ruff format $(LINT_DIRS)
	$(VENV)/bin/ruff check --fix $(LINT_DIRS)

unit: venv collection
	@if [ -d tests/unit ]; then \
	  PYTHONPATH=$(CURDIR)/$(COLLECTIONS) $(VPY) -m pytest tests/unit -q -p no:cacheprovider; \
	else \
	  echo "unit: no tests/unit directory yet, nothing to run"; \
	fi

# The collection as shipped (tests/artifact/test_artifact.py): built from a clean copy with a developer's
# caches planted in it, its file list checked, installed into an empty collections path and smoke-tested
# (tests/artifact/smoke.yml, root) with each ansible-core of the matrix: the oldest that meta/runtime.yml's
# requires_ansible allows, in its own venv (made here once, from PyPI), and the newest, the .venv's.
# Then ansible-builder introspect/create (no container engine) and an antsibull-changelog release in a copy.
VENV_OLDEST := .venv-216
ANSIBLE_OLDEST := ansible-core>=2.16,<2.17
ANSIBLE_MATRIX := 2.16=$(VENV_OLDEST) 2.19=$(VENV)

venv-oldest: $(VENV_OLDEST)/.stamp-2.16

$(VENV_OLDEST)/.stamp-2.16:
	@test -x $(VENV_OLDEST)/bin/python || $(PYTHON) -m venv $(VENV_OLDEST)
	$(VENV_OLDEST)/bin/python -m pip install -q --disable-pip-version-check '$(ANSIBLE_OLDEST)'
	@touch $@

artifact: venv venv-oldest
	VNET_ARTIFACT_VENVS='$(ANSIBLE_MATRIX)' $(VPY) -m pytest tests/artifact -q -p no:cacheprovider \
	  --durations=0 --durations-min=10

# ansible-test needs its cwd to be a real path ending in ansible_collections/linux/vnet, hence
# the copy.  --local runs with the .venv python; --requirements lets ansible-test install what
# each sanity test needs (it keeps per-test virtualenvs under ~/.ansible/test/venv).  Those
# virtualenvs get pip from a get-pip.py that ansible-test downloads from a host we cannot reach;
# tools/ansible_test_get_pip.py stands in for it (ensurepip + the package index).
sanity: venv collection
	$(VPY) tools/ansible_test_get_pip.py --install-into-cache
	cd $(COLL) && PATH=$(CURDIR)/$(VENV)/bin:$$PATH \
	  $(CURDIR)/$(VENV)/bin/ansible-test sanity --local --python $(SANITY_PYTHON) --requirements --color no

integration: venv collection
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/$(COLLECTIONS) \
	  $(VPY) -m pytest tests/integration -q -p no:cacheprovider --durations=0 --durations-min=30 \
	  -n $(INTEGRATION_WORKERS) --dist load

# Each scenario runs `molecule test` (its own test_sequence, ending in destroy) from the collection
# copy, against that copy (ANSIBLE_COLLECTIONS_PATH), with a fresh ephemeral directory: the lab's
# random name lives there, so two runs side by side never share a lab, and one run's scenarios
# never share state (which `--all` with MOLECULE_EPHEMERAL_DIRECTORY set would do). The scenarios'
# inventories give the simulated hosts ansible_python_interpreter=/usr/bin/python3 (Debian's pyroute2).
MOLECULE_SCENARIOS ?= $(sort $(notdir $(patsubst %/molecule.yml,%,$(wildcard extensions/molecule/*/molecule.yml))))

molecule: venv collection
	@for scenario in $(MOLECULE_SCENARIOS); do \
	  eph=$$(mktemp -d /tmp/molecule-$$scenario.XXXXXX); \
	  echo "== molecule scenario $$scenario (ephemeral directory $$eph)"; \
	  start=$$(date +%s); \
	  if ! (cd $(COLL) && PATH=$(abspath $(VENV))/bin:$$PATH ANSIBLE_COLLECTIONS_PATH=$(abspath $(COLLECTIONS)) \
	        MOLECULE_EPHEMERAL_DIRECTORY=$$eph NO_COLOR=1 PY_COLORS=0 \
	        $(abspath $(VENV))/bin/molecule test -s $$scenario); then \
	    rm -rf $$eph; echo "molecule scenario $$scenario failed" >&2; exit 1; \
	  fi; \
	  rm -rf $$eph; \
	  echo "== molecule scenario $$scenario passed in $$(( $$(date +%s) - start )) s"; \
	done

# Benchmarks: P1 engine vs `ip -batch`, P2 ansible-playbook (vnet_topology vs per-object modules vs
# `command: ip`), P3 the VXLAN overlay role on 3/10/20 simulated hosts. One step at a time, with the
# load average next to every figure; everything made under a random prefix and removed even on failure.
# What does not fit the budget (seconds, default 570) is skipped and the table says so.
# BENCH_ARGS goes to benchmarks/run.py, e.g. BENCH_ARGS='--only p1 --p1-sizes 200 --budget 1800'.
BENCH_BUDGET ?= 570
.PHONY: bench
bench: venv collection
	$(VPY) benchmarks/run.py --collections $(abspath $(COLLECTIONS)) --budget $(BENCH_BUDGET) $(BENCH_ARGS)

# The full-kernel lane (tests/kernel/lane.py): the kernel linux-image-amd64 depends on is downloaded
# (apt-get download) and cached under .build/kernel/; one QEMU guest (TCG, no network) sees this machine's
# root read-only over 9p and runs the tests of tests/kernel/guest_playbook.yml. A lane that cannot run
# fails; only VNET_SKIP_KERNEL_LANE (1, or a reason) skips it, and says so.
KERNEL_APT_PACKAGES := qemu-system-x86 busybox-static kmod
.PHONY: test-kernel
ifneq ($(filter-out 0,$(VNET_SKIP_KERNEL_LANE)),)
test-kernel:
	@echo "test-kernel: SKIPPED (VNET_SKIP_KERNEL_LANE=$(VNET_SKIP_KERNEL_LANE)): ipvlan, dummy and the openvswitch datapath were not tested on a full kernel" >&2
else
test-kernel: venv collection
	@$(MAKE) --no-print-directory system-deps APT_PACKAGES='$(KERNEL_APT_PACKAGES)'
	ANSIBLE_COLLECTIONS_PATH=$(CURDIR)/$(COLLECTIONS) $(VPY) -m pytest tests/kernel -q -p no:cacheprovider
endif

clean:
	rm -rf $(BUILD) tests/output .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(VENV_OLDEST)
