#!/usr/bin/env bash
# Install the servers some tests need (redis-server), when this machine allows it.
# Tests that need a missing server are skipped and name what is missing.
set -u
if ! command -v redis-server >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing redis-server (needed by the distributed-crawl tests)..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >/dev/null 2>&1 \
      || echo "could not install redis-server: the Redis tests will be skipped"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server) >/dev/null 2>&1 \
      || echo "could not install redis-server: the Redis tests will be skipped"
  else
    echo "redis-server is not installed and this user cannot install it:"
    echo "  the Redis tests will be skipped (install it with: apt-get install -y redis-server)"
  fi
fi
exit 0
