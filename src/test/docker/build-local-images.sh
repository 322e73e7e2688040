#!/usr/bin/env bash
# Builds local stand-ins for the public images the compose stack and the tests name, from Debian packages, where
# no registry can be reached (this project's machines). Each is built only when missing from podman's storage.
#   localhost/debian-jre:17           base: Debian 12 (debootstrap) + openjdk-17-jre-headless   (for eclipse-temurin:17-jre)
#   localhost/postgres-debian:15      PostgreSQL 15 with the official image's POSTGRES_* variables (for postgres:16)
#   localhost/haproxy-debian:2.6      HAProxy 2.6 (for haproxy:2.6)
# Usage: src/test/docker/build-local-images.sh   (needs podman and debootstrap; run as root)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"

exists() { podman image exists "$1"; }

if ! exists localhost/debian-jre:17; then
	echo "Building localhost/debian-jre:17 with debootstrap"
	rootfs="$(mktemp -d)"
	mirror="$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
	debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates bookworm "$rootfs" \
		"${mirror:-http://deb.debian.org/debian}" > /dev/null
	rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
	tar -C "$rootfs" -c . | podman import --change 'ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64' - localhost/debian-jre:17
	rm -rf "$rootfs"
fi
if ! exists localhost/postgres-debian:15; then
	echo "Building localhost/postgres-debian:15"
	podman build -q -t localhost/postgres-debian:15 -f "$here/postgres/Containerfile" "$here/postgres"
fi
if ! exists localhost/haproxy-debian:2.6; then
	echo "Building localhost/haproxy-debian:2.6"
	podman build -q -t localhost/haproxy-debian:2.6 -f "$here/haproxy/Containerfile" "$here/haproxy"
fi
