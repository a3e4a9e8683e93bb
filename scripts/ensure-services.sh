#!/usr/bin/env bash
# Install the servers and tools some tests need (redis-server, chromium), when this
# machine allows it. Tests that need a missing one are skipped and name what is missing.
set -u
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ "${#missing[@]}" -eq 0 ] && exit 0

what="${missing[*]}"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing $what (for the distributed-crawl and report tests)..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null 2>&1 \
    || echo "could not install $what: the tests that need it will be skipped"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null 2>&1 \
    || echo "could not install $what: the tests that need it will be skipped"
else
  echo "$what not installed and this user cannot install it:"
  echo "  the tests that need it will be skipped (install with: apt-get install -y $what)"
fi
exit 0
