# The two commands the README starts with:
#   make serve   set up, build the embedded example site, serve it at http://127.0.0.1:4000
#   make test    set up (Python packages and Debian packages) and run the whole test suite
VENV ?= .venv
PY := $(VENV)/bin/python
APT_PACKAGES := jekyll ruby-jekyll-feed ruby-jekyll-sitemap ruby-jekyll-archives \
	ruby-jekyll-paginate ruby-jekyll-seo-tag chromium fonts-noto-cjk

.PHONY: setup setup-test serve build test test-fast system-deps bench clean

$(PY):
	python3 -m venv $(VENV)

setup: $(PY)
	$(PY) -m pip install -q -e .

setup-test: $(PY)
	$(PY) -m pip install -q -e '.[test]'

build: setup
	$(VENV)/bin/blogkit build

# builds the example site into _site/ and serves it with live reload
serve: setup
	$(VENV)/bin/blogkit serve --host 127.0.0.1 --port 4000

# Debian packages the differential and browser tests use: the real Jekyll and Chromium.
system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages:$$missing (run as root or install them; their tests will skip)"; fi; \
	fi

test: system-deps setup-test
	$(PY) -m pytest -q -p no:cacheprovider

test-fast: setup-test
	$(PY) -m pytest -q -p no:cacheprovider -m "not jekyll and not browser"

bench: setup-test
	$(PY) benchmarks/bench_build.py 1000

clean:
	rm -rf _site .blogkit-cache $(VENV)
