#!/usr/bin/env bash
# 仿宋 for Jixiao's native PDF writer: the Fandol faces (FandolFang 仿宋, FandolSong 宋, FandolHei
# 黑, FandolKai 楷; OpenType/CFF, GPL with the font exception) from Debian's texlive-lang-chinese,
# unpacked into Jixiao's font cache without installing TeX. The writer looks there (and in
# the instance's font folders, docs/configuration.md, and the system's fonts). Does nothing when they are already there.
set -euo pipefail

dest="${XDG_CACHE_HOME:-$HOME/.cache}/jixiao/fonts/fandol"
[ -e "$dest/FandolFang-Regular.otf" ] && exit 0
command -v apt-get >/dev/null && command -v dpkg >/dev/null || {
  echo "fonts.sh：需要 apt-get 和 dpkg（Debian/Ubuntu）来取得 texlive-lang-chinese 中的 Fandol 字体" >&2
  exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
# A machine whose package lists were never fetched knows no package yet.
if ! apt-get download texlive-lang-chinese >/dev/null 2>&1; then
  apt-get update -qq
  apt-get download texlive-lang-chinese >/dev/null
fi
dpkg -x texlive-lang-chinese_*.deb x
mkdir -p "$dest"
src=x/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol
cp "$src"/FandolFang-Regular.otf "$src"/FandolSong-Regular.otf "$src"/FandolSong-Bold.otf \
  "$src"/FandolHei-Regular.otf "$src"/FandolHei-Bold.otf "$src"/FandolKai-Regular.otf "$dest/"
cp x/usr/share/doc/texlive-doc/fonts/fandol/README "$dest/README" 2>/dev/null || true
echo "Fandol 字体已放入 $dest"
