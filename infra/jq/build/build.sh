#!/usr/bin/env bash
# Builds infra/jq/build/jq-awp.wasm: jq 1.8.2 (with its bundled oniguruma and decNumber) and our
# shim jqAwp.c, compiled to wasm32-wasi by zig cc. Reproducible: pinned sources and toolchain,
# checked by sha256, fixed flags and paths; two builds give the same bytes.
#
#   infra/jq/build/build.sh            build unless jq-awp.wasm is already built from these inputs
#   infra/jq/build/build.sh --force    build anyway
#   infra/jq/build/build.sh --verify   build in a scratch directory and compare with jq-awp.wasm
#
# Needs bash, python3 with pip (downloads go through `pip download`, from PyPI), tar, unzip,
# make, sha256sum; x86_64 Linux (the pinned zig wheel). About 3 minutes from scratch (105 MB of
# downloads, zig building its wasi-libc), 50 s with the cache, nothing when up to date (measured on
# 2 busy cores). Downloads and zig's cache are kept in $AWP_JQ_CACHE (default
# ~/.cache/awp-jq-build).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${AWP_JQ_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/awp-jq-build}"
output="$here/jq-awp.wasm"
manifest="$here/jq-awp.manifest.json"

# The PyPI `jq` sdist carries the upstream release tarball, which vendors oniguruma.
jq_sdist_version=1.13.0
jq_sdist_sha256=e62bdddeab3b8a0a404581a7bb6f1e8c4cc6082280870031f746074f4cac52c0
jq_version=1.8.2
jq_tarball_sha256=71b8d6e8f5fe81f6c6d0d110e3892251f6ce76ed095abd315e26e6e1193af3af
zig_version=0.17.1
zig_wheel=ziglang-0.17.1-py3-none-manylinux_2_12_x86_64.manylinux2010_x86_64.musllinux_1_1_x86_64.whl
zig_wheel_sha256=ea6cc5d87b033cf0aedfbc8f9549a908cae6c50ac31f1698188fa48a74524b54

# The shadow stack: jq recurses in C over nested values (freeing, comparing, printing up to its
# limit of 10,000 levels, about 900 bytes a level). It sits below the data, so an overflow traps
# (the host reports a limit) instead of overwriting it.
stack_bytes=$((12 * 1024 * 1024))

mode=build
case "${1:-}" in
  '') ;;
  --force) mode=force ;;
  --verify) mode=verify ;;
  *) echo "usage: $0 [--force | --verify]" >&2; exit 2 ;;
esac

die() { echo "build.sh: $*" >&2; exit 1; }

check_sha256() { # file expected
  local actual
  actual="$(sha256sum "$1" | cut -d' ' -f1)"
  [[ "$actual" == "$2" ]] || die "$1: sha256 $actual, expected $2"
}

# What the wasm is built from: if none of it changed, there is nothing to do.
inputs_digest() {
  {
    echo "$jq_sdist_sha256 $jq_tarball_sha256 $zig_wheel_sha256 $stack_bytes"
    sha256sum "$here/build.sh" "$here/jqAwp.c" | cut -d' ' -f1
  } | sha256sum | cut -d' ' -f1
}

if [[ "$mode" == build && -f "$output" && -f "$manifest" ]] &&
  grep -q "\"inputs\": \"$(inputs_digest)\"" "$manifest" &&
  grep -q "\"sha256\": \"$(sha256sum "$output" | cut -d' ' -f1)\"" "$manifest"; then
  echo "jq-awp.wasm is up to date"
  exit 0
fi

[[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] || die "the pinned zig wheel is for x86_64 Linux"

started=$SECONDS
mkdir -p "$cache"
if [[ ! -f "$cache/jq-$jq_sdist_version.tar.gz" ]]; then
  python3 -m pip download --quiet --no-deps --no-binary :all: "jq==$jq_sdist_version" -d "$cache"
fi
check_sha256 "$cache/jq-$jq_sdist_version.tar.gz" "$jq_sdist_sha256"
if [[ ! -f "$cache/$zig_wheel" ]]; then
  python3 -m pip download --quiet --no-deps --only-binary :all: --platform manylinux2010_x86_64 \
    "ziglang==$zig_version" -d "$cache"
fi
check_sha256 "$cache/$zig_wheel" "$zig_wheel_sha256"
if [[ ! -x "$cache/zig-$zig_version/ziglang/zig" ]]; then
  rm -rf "$cache/zig-$zig_version"
  unzip -q "$cache/$zig_wheel" -d "$cache/zig-$zig_version"
fi
zig="$cache/zig-$zig_version/ziglang/zig"
# zig's compiled wasi-libc is reused between builds; it does not depend on the build directory.
export ZIG_GLOBAL_CACHE_DIR="$cache/zig-cache"

# A fixed path, so that nothing about the machine can reach the binary.
work="${TMPDIR:-/tmp}/awp-jq-build"
rm -rf "$work"
mkdir -p "$work/bin"
trap 'rm -rf "$work"' EXIT
export ZIG_LOCAL_CACHE_DIR="$work/zig-local"
export SOURCE_DATE_EPOCH=0

tar -xzf "$cache/jq-$jq_sdist_version.tar.gz" -C "$work" "jq-$jq_sdist_version/deps/jq-$jq_version.tar.gz"
check_sha256 "$work/jq-$jq_sdist_version/deps/jq-$jq_version.tar.gz" "$jq_tarball_sha256"
tar -xzf "$work/jq-$jq_sdist_version/deps/jq-$jq_version.tar.gz" -C "$work"
src="$work/jq-$jq_version"
[[ -f "$src/vendor/oniguruma/src/regexec.c" ]] || die "the jq tarball has no vendored oniguruma"

cat > "$work/bin/cc" <<EOF
#!/bin/sh
exec "$zig" cc -target wasm32-wasi "\$@"
EOF
cat > "$work/bin/ar" <<EOF
#!/bin/sh
exec "$zig" ar "\$@"
EOF
chmod +x "$work/bin/cc" "$work/bin/ar"

# -Os with link-time optimisation: jq's small jv_* functions get inlined across files, which makes
# parsing, running and printing 40-50 % faster than -Oz (measured); 877 KB against -Oz's 861 KB
# (-O2 -flto: another 10-15 % faster, 1,028 KB). decNumber includes <signal.h>, which wasi-libc
# only offers as an emulation. Asserts stay on, as in jq's own builds: a failed one traps, and the
# host replaces the instance.
cflags="-Os -flto -D_WASI_EMULATED_SIGNAL -ffile-prefix-map=$work=."
(
  cd "$src"
  ./configure --host=wasm32-unknown-wasi CC="$work/bin/cc" AR="$work/bin/ar" RANLIB=true \
    CFLAGS="$cflags" --disable-shared --enable-static --disable-docs --disable-maintainer-mode \
    --with-oniguruma=builtin > "$work/configure.log" 2>&1 ||
    { tail -40 "$work/configure.log" >&2; die "configure failed"; }
  {
    make -C vendor/oniguruma -j"$(nproc)" &&
      make src/builtin.inc src/config_opts.inc src/version.h &&
      make -j"$(nproc)" libjq.la
  } > "$work/make.log" 2>&1 || { grep -i error "$work/make.log" | head -40 >&2; die "make failed"; }
)

cp "$here/jqAwp.c" "$work/jqAwp.c"
# A reactor (no main); memory is imported so that the host chooses its maximum.
(
  cd "$work"
  "$work/bin/cc" $cflags -mexec-model=reactor -I"jq-$jq_version/src" jqAwp.c \
    "jq-$jq_version/.libs/libjq.a" "jq-$jq_version/vendor/oniguruma/src/.libs/libonig.a" \
    -lwasi-emulated-signal -Wl,--import-memory -Wl,-z,stack-size=$stack_bytes -Wl,--strip-all \
    -o jq-awp.wasm
)

built_sha256="$(sha256sum "$work/jq-awp.wasm" | cut -d' ' -f1)"
if [[ "$mode" == verify ]]; then
  committed="$(sha256sum "$output" | cut -d' ' -f1)"
  [[ "$built_sha256" == "$committed" ]] || die "rebuilt $built_sha256, committed $committed"
  echo "jq-awp.wasm reproduced ($built_sha256) in $((SECONDS - started)) s"
  exit 0
fi

install -m 0644 "$work/jq-awp.wasm" "$output"
cat > "$manifest" <<EOF
{
  "jq": "$jq_version",
  "jqSource": "PyPI jq==$jq_sdist_version sdist, deps/jq-$jq_version.tar.gz",
  "jqTarballSha256": "$jq_tarball_sha256",
  "zig": "$zig_version",
  "inputs": "$(inputs_digest)",
  "sha256": "$built_sha256",
  "bytes": $(stat -c %s "$output")
}
EOF
echo "built jq-awp.wasm ($(stat -c %s "$output") bytes, $built_sha256) in $((SECONDS - started)) s"
