#!/usr/bin/env bash
# The full test suite: formatting, lints, every test, and a short fuzzing run over each
# fuzz target's corpus. Installs what it needs when it is missing. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

for tool in cargo rustfmt cargo-clippy; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool：请先安装 Rust 工具链（含 rustfmt、clippy）" >&2; exit 1; }
done

# What the tests open outputs with: LibreOffice converts legacy .doc/.xls in the import tests
# and every exported .docx/.xlsx to PDF; poppler-utils measures the PDFs and renders pages to
# PNG; the free CJK TrueType faces (宋体/楷体 AR PL UMing/UKai, 黑体 WenQuanYi Zen Hei) are what
# the native PDF writer embeds.
missing=()
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui libreoffice-calc-nogui)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
# Scans (images, PDFs without a text layer) are read by tesseract with its Chinese data.
command -v tesseract >/dev/null || missing+=(tesseract-ocr)
[ -n "$(ls /usr/share/tesseract-ocr/*/tessdata/chi_sim.traineddata 2>/dev/null)" ] || missing+=(tesseract-ocr-chi-sim)
[ -e /usr/share/fonts/truetype/arphic/uming.ttc ] || missing+=(fonts-arphic-uming)
[ -e /usr/share/fonts/truetype/arphic/ukai.ttc ] || missing+=(fonts-arphic-ukai)
[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
# The browser tests (e2e/): Debian's chromium, driven by playwright-core under Node.js.
[ -x /usr/bin/chromium ] || missing+=(chromium chromium-driver)
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
# The package test (scripts/package.sh): dpkg-dev for cargo deb's dependency list, adduser for
# the package's own, curl to sign in, script (bsdutils) for the progress test's terminal.
command -v dpkg-shlibdeps >/dev/null || missing+=(dpkg-dev)
command -v adduser >/dev/null || missing+=(adduser)
command -v curl >/dev/null || missing+=(curl)
command -v script >/dev/null || missing+=(bsdutils)
# Debian's postgresql: the integration tests also run on a throw-away PostgreSQL cluster.
. scripts/pg.sh
jixiao_pg_bindir >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  step "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# 仿宋 for the native PDF writer: the Fandol faces, unpacked from Debian's texlive-lang-chinese
# into Jixiao's font cache (no TeX installed).
step "fonts (FandolFang 仿宋 …)"
bash scripts/fonts.sh

# Tests that need a tool (LibreOffice, poppler-utils, the CJK and Fandol fonts) skip only
# outside CI; the script installs every tool above, so here every such test must run: CI=1
# makes a missing tool a failure, never a silent pass.
export CI="${CI:-1}"

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo doc -D warnings"
# Every public item is documented (missing_docs) and every doc link resolves.
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked

# Integration tests run on SQLite and on PostgreSQL: a throw-away cluster started here
# (scripts/pg.sh) and stopped after the tests or whenever the script exits.
scratch=""
cleanup() {
  jixiao_pg_stop
  if [ -n "$scratch" ]; then rm -rf "$scratch"; fi
}
trap cleanup EXIT

step "starting a throw-away PostgreSQL cluster"
jixiao_pg_start
export JIXIAO_TEST_PG_URL
export JIXIAO_REQUIRE_PG=1

step "cargo test"
cargo test --workspace --locked
jixiao_pg_stop

# End-to-end tests in a real browser: `jixiao serve --demo` on a fresh SQLite file, driven
# through a whole review workflow in headless chromium, with axe-core on the main pages.
# Screenshots of each step are kept in target/e2e/.
step "browser tests (e2e/: chromium, playwright-core, axe-core)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "e2e: playwright-core needs Node.js 20 or later, found $(node --version)" >&2
  exit 1
fi
if [ ! -d e2e/node_modules/playwright-core ] || [ ! -d e2e/node_modules/axe-core ]; then
  (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
cargo build -p jixiao --locked
JIXIAO_BIN="$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/debug/jixiao"
export JIXIAO_BIN
(cd e2e && node --test)

step "Debian package (cargo deb, dpkg -i, the service user, sign-in, backup)"
bash scripts/package.sh

step "fuzz smoke run (corpus + ${FUZZ_SECONDS:=10}s per target)"
if ! command -v cargo-fuzz >/dev/null; then
  cargo install cargo-fuzz --locked
fi
# A target is fuzzed again only when something it reaches changed since it last passed in this
# checkout (scripts/fuzz-inputs.py hashes its source, the crates it depends on and its seeds;
# the hashes of passed runs are kept under target/). A fresh checkout, as in CI, fuzzes every
# target; JIXIAO_FUZZ_ALL=1 does too.
passed_dir="${CARGO_TARGET_DIR:-target}/fuzz-passed"
mkdir -p "$passed_dir"
scratch=$(mktemp -d)
ran=0
skipped=0
for target in money target_value form_json read_docx read_xlsx read_text read_pdf flat_text rules_toml write_forms prose ocr_rebuild; do
  mkdir -p "$scratch/$target"
  # The reader targets also start from every real document in testdata (libFuzzer reads
  # seed folders recursively: testdata/corpus gives every */source.txt).
  extra=()
  case "$target" in
    read_text) extra=(testdata/fixtures testdata/seeds testdata/corpus) ;;
    read_pdf) extra=(testdata/pdf) ;;
    read_*) extra=(testdata/fixtures testdata/seeds) ;;
    flat_text | prose) extra=(testdata/corpus) ;;
  esac
  inputs=$(python3 scripts/fuzz-inputs.py "$target" "${extra[@]}")
  if [ "${JIXIAO_FUZZ_ALL:-0}" != 1 ] && [ "$(cat "$passed_dir/$target" 2>/dev/null)" = "$inputs" ]; then
    echo "$target: unchanged since it last passed here, not fuzzed again"
    skipped=$((skipped + 1))
    continue
  fi
  # cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP allows them on the stable toolchain.
  log="$scratch/$target.log"
  if ! RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$target" \
      "$scratch/$target" "fuzz/corpus/$target" "${extra[@]}" -- -max_total_time="$FUZZ_SECONDS" >"$log" 2>&1; then
    tail -40 "$log" >&2
    echo "fuzz target $target failed" >&2
    exit 1
  fi
  echo "$inputs" >"$passed_dir/$target"
  ran=$((ran + 1))
  echo "$target: $(grep -E 'DONE' "$log" | tail -1)"
done
if [ "$skipped" -gt 0 ]; then
  echo "fuzz: $ran passed, 0 failed, $skipped skipped"
else
  echo "fuzz: $ran passed, 0 failed"
fi
