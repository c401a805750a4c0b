#!/usr/bin/env bash
# Installs pgvector into the machine's PostgreSQL 15 (Debian), for the vector memory store.
# Debian 12 ships no pgvector package; Debian 13 ships its source (pgvector 0.8.x), which builds
# against PostgreSQL 15 unchanged. We fetch that source package through apt, from the mirror the
# machine already uses, so apt checks the archive signature and the tarball checksums for us,
# and build it with PGXS. Idempotent: does nothing when the extension is already installed.
set -euo pipefail

# infra/dev runs PostgreSQL 15; infra/dev/prerequisites.ts passes the major it found.
pg_major="${AWP_DEV_PG_MAJOR:-15}"
pg_config="/usr/lib/postgresql/${pg_major}/bin/pg_config"
# Where Debian 13 keeps the source; a later Debian release will do as well.
source_suite="${AWP_PGVECTOR_SOURCE_SUITE:-trixie}"

if [ -f "/usr/share/postgresql/${pg_major}/extension/vector.control" ]; then
  echo "pgvector: already installed for PostgreSQL ${pg_major}"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "pgvector is missing for PostgreSQL ${pg_major}; run $0 as root to build it" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
  "postgresql-server-dev-${pg_major}" build-essential dpkg-dev >/dev/null

# The mirror of the machine's own Debian sources (deb822 or one-line format).
mirror=$(
  {
    cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}'
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
      | awk '/^deb / {for (i = 2; i <= NF; i++) if ($i !~ /^\[/) { print $i; break }}'
  } | awk '!/-security/ && !found {print; found = 1}'
) || true
if [ -z "$mirror" ]; then
  echo "pgvector: no Debian mirror found in /etc/apt/sources.list*" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/sources.d"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $source_suite main" \
  >"$work/sources.list"
# A private apt state: the machine's own sources and package lists stay untouched.
apt_private=(
  -o "Dir::Etc::SourceList=$work/sources.list"
  -o "Dir::Etc::SourceParts=$work/sources.d"
  -o "Dir::State::Lists=$work/lists"
  # Root fetches into the private temp dir, which apt's unprivileged _apt user cannot enter.
  -o "APT::Sandbox::User=root"
)
apt-get "${apt_private[@]}" update -qq
(cd "$work" && apt-get "${apt_private[@]}" source -qq pgvector >/dev/null)

src=$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)
# OPTFLAGS= : no -march=native, so the build runs on any x86-64 machine CI lands on.
make -C "$src" -s PG_CONFIG="$pg_config" OPTFLAGS="" >/dev/null
make -C "$src" -s PG_CONFIG="$pg_config" install >/dev/null
echo "pgvector: installed $(basename "$src") for PostgreSQL ${pg_major}"
