#!/usr/bin/env bash
# The full test suite: formatting, lints, every test, and a short fuzzing run over each
# fuzz target's corpus. Installs what it needs when it is missing. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

for tool in cargo rustfmt cargo-clippy; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool：请先安装 Rust 工具链（含 rustfmt、clippy）" >&2; exit 1; }
done

# LibreOffice converts legacy .doc/.xls in the import tests (and opens outputs later).
if ! command -v soffice >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  step "installing LibreOffice (writer, calc; no GUI)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui libreoffice-calc-nogui >/dev/null
fi

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked

step "fuzz smoke run (corpus + ${FUZZ_SECONDS:=10}s per target)"
if ! command -v cargo-fuzz >/dev/null; then
  cargo install cargo-fuzz --locked
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in money target_value form_json read_docx read_xlsx read_text rules_toml; do
  mkdir -p "$scratch/$target"
  # The reader targets also start from every real document in testdata.
  extra=()
  case "$target" in read_*) extra=(testdata/fixtures testdata/seeds) ;; esac
  # cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP allows them on the stable toolchain.
  log="$scratch/$target.log"
  if ! RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$target" \
      "$scratch/$target" "fuzz/corpus/$target" "${extra[@]}" -- -max_total_time="$FUZZ_SECONDS" >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "fuzz target $target failed" >&2
    exit 1
  fi
  echo "$target: $(grep -E 'DONE' "$log" | tail -1)"
done
echo "fuzz: 7 passed, 0 failed"
