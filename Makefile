# xinfang — the two commands: `make run` and `make test`. Everything else is a step they use.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
WEB_INSTALLED := web/node_modules/.installed
WEB_SOURCES := $(shell find web/src web/index.html web/vite.config.ts web/codegen.ts web/tsconfig.json -type f -not -path 'web/src/graphql/*' 2>/dev/null) graphql/schema.graphql

.PHONY: typecheck run test venv services tools stop migrate demo schema web browser lint format perf faults cluster backup restore clean

# A developer's machine runs with DEBUG on and the local default secrets (with DEBUG off they
# stop start-up: see README, Production). The tests do not need it.
run migrate demo schema: export DJANGO_DEBUG = 1

# One Celery worker per queue (settings.XINFANG_QUEUES), so no kind of work waits behind another's
# backlog; docker-compose.yml and deploy/k8s/worker.yaml run the same set.
QUEUES := xinfang xinfang.index xinfang.checks xinfang.notices xinfang.scans

run: venv services migrate demo web  ## everything: services, migrations, demo data, web, a worker per queue, beat
	@echo "==> xinfang is starting. Open the workbench (信访工作台) of an office:"
	@echo "    http://zhejiang.localhost:8000/  (省 province)"
	@echo "    http://hangzhou.localhost:8000/  http://ningbo.localhost:8000/  (市 city)"
	@echo "    http://xihu.localhost:8000/  http://yuhang.localhost:8000/  http://yinzhou.localhost:8000/  (县 county)"
	@echo "    GraphQL: http://xihu.localhost:8000/graphql/  admin: http://xihu.localhost:8000/admin/  health: http://localhost:8000/healthz"
	@echo "    demo officers: see README (password: xinfang-demo)"
	@trap 'kill 0' INT TERM EXIT; \
	for queue in $(QUEUES); do \
	  $(VENV)/bin/celery -A xinfang.platform.celery worker -l info -Q $$queue -n $$queue@%h --concurrency 1 & \
	done; \
	$(VENV)/bin/celery -A xinfang.platform.celery beat -l info -s .data/celerybeat-schedule & \
	$(MANAGE) runserver 0.0.0.0:8000

test: venv services tools web browser  ## every set-up step, then the whole suite (browser tests included)
	cd web && npx vitest run
	$(VENV)/bin/pytest

venv: $(STAMP)
$(STAMP): pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $(STAMP)

services:
	deploy/services.sh start

tools:  ## kubeconform (the Kubernetes manifests' validator), built from the Go module proxy
	deploy/tools.sh

web: web/dist/index.html  ## the workbench: npm ci, typed documents from the schema, type check, build
web/dist/index.html: $(WEB_INSTALLED) $(WEB_SOURCES)
	cd web && npm run build
$(WEB_INSTALLED): web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

browser:  ## Debian's Chromium and CJK fonts (browser tests, printed notices)
	deploy/browser.sh

stop:
	deploy/services.sh stop

migrate: venv services
	$(MANAGE) migrate_schemas --shared -v 0
	$(MANAGE) migrate_offices -v 0
	$(MANAGE) load_holidays -v 0
	$(MANAGE) search_index upgrade

demo: venv services
	$(MANAGE) seed_demo

schema: venv  ## regenerate the committed GraphQL schema
	$(MANAGE) graphql_schema --schema xinfang.graphql.schema.schema --out graphql/schema.graphql

lint: venv typecheck
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# mypy reads the import package through links (package-dir maps the folders only at install time).
MYPY_SRC := .data/mypy-src/xinfang
typecheck: venv  ## mypy with django-stubs over services, selectors and models
	@mkdir -p $(MYPY_SRC)
	@for d in platform tenants search graphql; do ln -sfn ../../../$$d $(MYPY_SRC)/$$d; done
	$(VENV)/bin/mypy

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

perf: venv services  ## the benchmarks in tests/perf (not part of `make test`)
	$(VENV)/bin/pytest tests/perf -s -p no:cacheprovider --override-ini addopts=

# The fault suite stops and restarts services: it gets its own (ports, data directory, database,
# index prefix), never the ones `make run` and the tests share. Private ports stay below the
# kernel's ephemeral range (32768-60999), where any client socket may be holding one (59200 was,
# once, and Elasticsearch could not bind it).
FAULT_PORTS := XINFANG_PG_PORT=25432 XINFANG_REDIS_PORT=26379 XINFANG_ES_PORT=29200
FAULT_ENV := $(FAULT_PORTS) XINFANG_DATA_DIR=$(CURDIR)/.data/faults XINFANG_INSTANCE=faults \
	DATABASE_URL=postgres://xinfang:xinfang@127.0.0.1:25432/xinfang \
	REDIS_URL=redis://127.0.0.1:26379/0 ELASTICSEARCH_URL=http://127.0.0.1:29200

faults: venv  ## the fault suite (tests/faults) on a private set of services, stopped afterwards
	$(FAULT_ENV) deploy/services.sh start
	$(FAULT_ENV) $(VENV)/bin/pytest tests/faults -p no:cacheprovider --override-ini addopts= -s; \
	rc=$$?; $(FAULT_ENV) deploy/services.sh stop; exit $$rc

# The scale-out suite kills Elasticsearch nodes and the PostgreSQL primary: a private set of
# services again, Elasticsearch as a 3-node cluster (small heaps) and PostgreSQL with a
# synchronous streaming replica, built afresh for every run.
CLUSTER_ENV := XINFANG_PG_PORT=27432 XINFANG_REDIS_PORT=27379 XINFANG_ES_PORT=27200 \
	XINFANG_ES_TRANSPORT_PORT=27300 XINFANG_ES_NODES=3 XINFANG_ES_HEAP=256m XINFANG_ES_SHARDS=3 \
	XINFANG_DATA_DIR=$(CURDIR)/.data/cluster XINFANG_INSTANCE=cluster XINFANG_PG_REPLICA=1 \
	DATABASE_URL=postgres://xinfang:xinfang@127.0.0.1:27432/xinfang \
	XINFANG_REPLICA_URL=postgres://xinfang:xinfang@127.0.0.1:27433/xinfang REDIS_URL=redis://127.0.0.1:27379/0 \
	ELASTICSEARCH_URL=http://127.0.0.1:27200,http://127.0.0.1:27201,http://127.0.0.1:27202

cluster: venv  ## the scale-out suite (tests/cluster): private 3-node Elasticsearch, PostgreSQL + replica
	$(CLUSTER_ENV) deploy/services.sh stop
	rm -rf .data/cluster
	$(CLUSTER_ENV) deploy/services.sh start
	$(CLUSTER_ENV) $(VENV)/bin/pytest tests/cluster -p no:cacheprovider --override-ini addopts= -s; \
	rc=$$?; $(CLUSTER_ENV) deploy/services.sh stop; exit $$rc

backup: venv  ## the whole platform, pg_dump custom format, into .data/backups/
	$(MANAGE) backup_platform

restore: venv  ## make restore BACKUP=.data/backups/xinfang-….dump (web, worker, beat stopped)
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=<file>"; exit 2; }
	$(MANAGE) restore_platform $(BACKUP)

clean:
	rm -rf $(VENV) .data
