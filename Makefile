# mgw — make help lists the targets.
SHELL := /bin/bash
GO ?= go
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
LDFLAGS := -s -w -X github.com/mgwio/mgw/internal/buildinfo.version=$(VERSION) -X github.com/mgwio/mgw/internal/buildinfo.commit=$(COMMIT)
FUZZTIME ?= 10s
PREFIX ?= /usr/local
# make bench's load comparison: the scenarios with targets (gateway, gateway-secured, gateway-validation)
# and the front doors side by side (the gateway on h1, net/http and fasthttp servers); bare-fasthttp and
# bare-fasthttp-post are the floor of a Go proxy under the GET and the POST load; gateway-post is
# gateway-validation's load with validation off, the gateway's own path for those POSTs.
LOAD_TARGETS ?= direct,nginx,bare,bare-fasthttp,gateway,gateway-secured,gateway-nethttp-server,gateway-fasthttp-server,nginx-post,bare-fasthttp-post,gateway-post,gateway-validation

.PHONY: help generate build install test lint fuzz bench demo clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

generate: ## copy the gateway runtime's third-party module zips from the module cache for mgw to embed
	$(GO) generate ./internal/runtimedeps

build: generate ## build a static bin/mgw (and bin/apimsim, the API Manager simulator)
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/mgw ./cmd/mgw
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o bin/apimsim ./cmd/apimsim

install: build ## install mgw into $(PREFIX)/bin
	install -m 0755 bin/mgw $(PREFIX)/bin/mgw

test: generate ## run every test with the race detector, end-to-end scripts included
	$(GO) test -race -timeout 25m ./...
	$(GO) test -race -tags mgw_otel -run Tracing ./pkg/gateway

lint: generate ## gofmt and go vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags mgw_otel ./pkg/gateway

fuzz: generate ## run each fuzz target for FUZZTIME (default 10s)
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 1s $$pkg; \
	  done; \
	done

bench: generate ## Go benchmarks, build-time table, load comparison (needs: apt-get install wrk nginx-light)
	$(GO) test -run '^$$' -bench . -benchmem ./...
	$(GO) run ./internal/benchmark/buildtime
	$(GO) run ./internal/benchmark/load -rounds 5 -targets $(LOAD_TARGETS)

demo: build ## start the API Manager simulator, set up and build label "demo", run and call the gateway
	$(GO) run ./internal/demo --mgw bin/mgw --apimsim bin/apimsim

clean: ## remove build output and the generated runtime modules
	rm -rf bin dist
	find internal/runtimedeps/modules -type f ! -name README.md -delete
