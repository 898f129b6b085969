# p4p: a load-testing and conformance harness for Livefyre's Ping for Pull.
GO       ?= go
BIN      ?= bin/p4p
# A count, not a duration: Go 1.26's fuzz coordinator can report a spurious
# "context deadline exceeded" when a duration budget expires while a worker
# is busy (golang/go#75804, fixed in Go 1.27). `make fuzz FUZZTIME=1m` still
# works for a longer local run.
FUZZTIME ?= 20000x

# Native fuzz targets, as package:Target; `make fuzz` runs each for FUZZTIME.
FUZZ_TARGETS := \
	.:FuzzParseNetwork .:FuzzNetworkPattern .:FuzzParseUserID .:FuzzTemplate .:FuzzDecodeJSON .:FuzzPullID .:FuzzRedactURL .:FuzzParseSize \
	./token:FuzzValidate ./token:FuzzRoundTrip ./token:FuzzNearMisses \
	./profile:FuzzCheck ./profile:FuzzDecode ./profile:FuzzFastCheck ./load:FuzzReadResponse \
	./livefyre:FuzzSSE ./refapp:FuzzHook \
	.:FuzzParseDelay ./mockserver:FuzzParseBody \
	./mockserver:FuzzPing ./mockserver:FuzzRegister ./mockserver:FuzzParseListing ./mockserver:FuzzParseAdminQuery ./mockserver:FuzzSessionCookie ./livefyre:FuzzNextLink ./mockserver:FuzzParseEventID \
	./cmd/p4p:FuzzMockFlags ./cmd/p4p:FuzzConformanceFlags \
	./reports:FuzzReadConformance ./reports:FuzzWriteJUnit \
	./refapp:FuzzFaultToken ./conformance:FuzzScrub ./conformance:FuzzUserTokenOf \
	./load/slo:FuzzParse ./load:FuzzDecodeScenario ./load:FuzzParseRate ./load:FuzzDuration ./profile:FuzzDecodeUsers \
	./livefyre:FuzzQueueDepth ./cmd/p4p:FuzzLoadFlags ./reports:FuzzReadLoad ./reports:FuzzWriteLoadJUnit \
	./mockserver:FuzzEncodeJob ./mockserver:FuzzDecodeArticleID ./mockserver:FuzzCheckCallback ./mockserver:FuzzParseBootstrapPath \
	./load:FuzzParseShard ./load:FuzzReadShardFile ./cmd/p4p:FuzzMergeArgs

.PHONY: all build conformance load load-nightly demo test unit fuzz vet cross bench interop-deps clean image image-check deploy-check

all: build

# The revision reports name as the harness version.
VERSION  ?= $(shell git describe --always --dirty 2>/dev/null || echo devel)

build:
	$(GO) build -ldflags '-X main.version=$(VERSION)' -o $(BIN) ./cmd/p4p

# Certify a Pull endpoint; with no PULL_URL, the embedded default (the
# reference endpoint and the mock Livefyre, in-process), which must pass.
# Variables: PULL_URL, NETWORK, NETWORK_KEY, USER_ID (ids, comma-separated),
# UPDATE_HOOK, LIVEFYRE, FAULT, REPORT_DIR, and ARGS for any other flag.
# The key goes to p4p through the environment, so that make does not echo it.
REPORT_DIR ?= reports/latest
ifdef NETWORK_KEY
export P4P_NETWORK_KEY := $(NETWORK_KEY)
endif
conformance: build
	$(BIN) conformance --report-dir '$(REPORT_DIR)' \
		$(if $(PULL_URL),--pull-url '$(PULL_URL)') $(if $(NETWORK),--network '$(NETWORK)') \
		$(if $(USER_ID),--user '$(USER_ID)') $(if $(UPDATE_HOOK),--update-hook '$(UPDATE_HOOK)') \
		$(if $(USER_TOKEN_URL),--user-token-url '$(USER_TOKEN_URL)') \
		$(if $(LIVEFYRE),--livefyre '$(LIVEFYRE)') $(if $(FAULT),--fault '$(FAULT)') $(ARGS)

# A short run of each load scenario on the embedded default (the reference
# endpoint, and for propagation the mock too, in-process), gated by SLOs;
# reports in $(LOAD_DIR)/{pull,propagation,soak}. The propagation run plays
# Livefyre's minutes at 120 to 1 (the 10-minute promise is 5 s): the delay
# of up to 9 minutes then leaves the pipeline 0.5 s of headroom, which a
# busy CI machine does not eat (at 600 to 1 it was 0.1 s, and 2 of 1,000
# updates once arrived late on a loaded machine).
LOAD_DIR ?= reports/load
load: build
	$(BIN) load pull --rate 200/s --duration 10s --user-count 1000 \
		--slo 'success>=99.9%' --slo 'p99<250ms' --slo 'invalid==0' --report-dir '$(LOAD_DIR)/pull'
	$(BIN) load propagation --rate 100/s --duration 10s --user-count 200 --delay 1m-9m --time-scale 120 \
		--slo 'lost==0' --slo 'within_promise>=99.9%' --slo 'visible_within_promise>=99%' --slo 'not_visible==0' \
		--report-dir '$(LOAD_DIR)/propagation'
	$(BIN) load soak --rate 100/s --duration 20s --window 5s \
		--slo 'success>=99.9%' --slo 'error_drift<=0.1%' --slo 'p99_drift<10' --report-dir '$(LOAD_DIR)/soak'

# The nightly job: the scenario files in load/scenarios, one report
# directory each under reports/nightly. Every scenario runs; the job fails
# if any breached its SLOs.
NIGHTLY_DIR ?= reports/nightly
load-nightly: build
	@status=0; for f in load/scenarios/*.yaml; do \
		name=$$(basename $$f .yaml); \
		echo "== $$name"; \
		$(BIN) load --scenario $$f --report-dir '$(NIGHTLY_DIR)'/$$name || status=1; \
	done; exit $$status

# The main job on the embedded default: the mock and the reference
# integrator in-process, and one update propagating through the pipeline.
demo:
	$(GO) run ./cmd/p4p demo

# Everything CI runs: vet, the unit and integration tests with the race
# detector, and a short run of every fuzz target.
test: vet unit fuzz

# staticcheck, pinned here alone: 2026.2.2 (module version v0.8.2), a
# release that supports Go 1.26. go run fetches and builds it once, through
# the module proxy, so a fresh machine needs nothing else.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2
vet:
	$(GO) vet ./...
	$(GO) run $(STATICCHECK) ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }

# Every platform p4p builds for, built and vetted without cgo; vet
# type-checks the test files too. -trimpath as make image builds, so that
# the image's build finds linux/amd64 compiled already.
PLATFORMS := linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64 windows/arm64

cross:
	@set -e; for p in $(PLATFORMS); do \
		echo "cross $$p"; \
		CGO_ENABLED=0 GOOS=$${p%/*} GOARCH=$${p#*/} $(GO) build -trimpath ./...; \
		CGO_ENABLED=0 GOOS=$${p%/*} GOARCH=$${p#*/} $(GO) vet -trimpath ./...; \
	done

# The container image, built without a Docker daemon or a base image: a
# static p4p on an empty base, written as a tarball that docker load,
# podman load and kind load image-archive take (deploy/image, a module of
# its own so that p4p's go.mod stays lean). The same commit makes the same
# digest; SOURCE_DATE_EPOCH sets the files' times (default the Unix epoch).
IMAGE_ARCH ?= amd64
IMAGE      ?= bin/p4p-image$(if $(filter-out amd64,$(IMAGE_ARCH)),-$(IMAGE_ARCH)).tar
IMAGE_BIN  := bin/p4p-linux-$(IMAGE_ARCH)
image:
	CGO_ENABLED=0 GOOS=linux GOARCH=$(IMAGE_ARCH) $(GO) build -trimpath -ldflags '-s -w -X main.version=$(VERSION)' -o $(IMAGE_BIN) ./cmd/p4p
	cd deploy && $(GO) run ./image -bin ../$(IMAGE_BIN) -arch $(IMAGE_ARCH) -version '$(VERSION)' -o ../$(IMAGE)

# The image read back: its entrypoint, user and port, the binary in its
# layer (run when the machine can), and a second build byte for byte equal.
image-check: image
	cd deploy && P4P_IMAGE=$(CURDIR)/$(IMAGE) P4P_BIN=$(CURDIR)/$(IMAGE_BIN) P4P_IMAGE_ARCH=$(IMAGE_ARCH) $(GO) test -count=1 ./image
	cd deploy && $(GO) run ./image -bin ../$(IMAGE_BIN) -arch $(IMAGE_ARCH) -version '$(VERSION)' -o ../$(IMAGE).again
	cmp $(IMAGE) $(IMAGE).again && rm $(IMAGE).again

# The Kubernetes manifests in deploy/k8s, decoded strictly into the
# Kubernetes API's types and checked against each other and p4p's flags;
# and the deploy module vetted.
deploy-check:
	cd deploy && $(GO) vet ./... && $(GO) run $(STATICCHECK) ./... && $(GO) test -count=1 ./...
	$(GO) test -count=1 -run '^TestManifest' ./cmd/p4p

unit: interop-deps
	$(GO) test -race -count=1 ./...

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; fn=$${t##*:}; \
		echo "fuzz $$pkg $$fn ($(FUZZTIME))"; \
		$(GO) test -run='^$$' -fuzz="^$$fn$$" -fuzztime=$(FUZZTIME) $$pkg; \
	done

interop-deps: interop/node/node_modules/livefyre/package.json

interop/node/node_modules/livefyre/package.json: interop/node/package.json interop/node/package-lock.json
	cd interop/node && npm ci --no-audit --no-fund

# Benchmarks with peers measured in the same run; see docs/BENCHMARKS.md.
# Vegeta, a peer of p4p load, is a tool dependency in go.mod (so that
# go mod tidy keeps what its CLI needs), built at go.mod's version, which
# -version then reports.
VEGETA   ?= bin/vegeta
VEGETA_MOD := github.com/tsenart/vegeta/v12
bench: build
	@command -v wrk >/dev/null || { echo "make bench needs wrk (apt-get install wrk)"; exit 1; }
	$(GO) build -ldflags "-X main.Version=$$($(GO) list -m -f '{{.Version}}' $(VEGETA_MOD))" -o $(VEGETA) $(VEGETA_MOD)
	$(GO) test -run='^$$' -bench=. -benchmem -count=5 ./token ./profile
	$(GO) test -run='^$$' -bench=Users -benchmem -count=5 ./mockserver
	$(GO) test -run='^$$' -bench='SyncAlways|PingReplicated' -benchtime=3000x -count=3 ./mockserver
	@mkdir -p reports
	$(GO) run ./internal/bench -p4p $(BIN) -vegeta $(VEGETA) | tee reports/bench.md

clean:
	rm -rf bin reports/latest reports/load reports/nightly interop/node/node_modules
