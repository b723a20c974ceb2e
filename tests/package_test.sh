#!/usr/bin/env bash
# Builds the .deb, unpacks it into a staging root (no container needed), validates the
# desktop entry and AppStream metadata, and runs the installed programs from there.
set -euo pipefail
build_dir=$1
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

cd "$build_dir"
cpack -G DEB -B "$stage/out" > "$stage/cpack.log" 2>&1 || { cat "$stage/cpack.log"; exit 1; }
deb=$(ls "$stage"/out/loadlab_*.deb)
echo "package: $(basename "$deb")"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libqt6charts6 libqt6widgets6 libqt6svg6 libfmt9 libzstd1; do
  [[ $depends == *"$lib"* ]] || { echo "Depends lacks $lib"; exit 1; }
done

dpkg-deb -x "$deb" "$stage/root"
root=$stage/root/usr
for f in bin/loadlab bin/loadlab-cli share/applications/io.github.loadlab.LoadLab.desktop \
         share/metainfo/io.github.loadlab.LoadLab.metainfo.xml \
         share/icons/hicolor/scalable/apps/io.github.loadlab.LoadLab.svg \
         share/man/man1/loadlab.1.gz share/man/man1/loadlab-cli.1.gz share/loadlab/presets/weights-5-3-1.json \
         share/loadlab/sweeps/latency-vs-load.json; do
  [[ -e $root/$f ]] || { echo "missing /usr/$f"; exit 1; }
done
desktop-file-validate "$root/share/applications/io.github.loadlab.LoadLab.desktop"
appstreamcli validate --no-net "$root/share/metainfo/io.github.loadlab.LoadLab.metainfo.xml"

"$root/bin/loadlab-cli" --version | grep -q "loadlab-cli $(dpkg-deb -f "$deb" Version)"
"$root/bin/loadlab-cli" run "$root/share/loadlab/presets/weights-5-3-1.json" --requests 300 --rate 20000 --csv "$stage/csv" > /dev/null
head -1 "$stage/csv/summary.csv" | grep -q '^node,weight,expected_share'
# The installed program runs a built-in sweep preset, and the installed copy of it as a file.
"$root/bin/loadlab-cli" sweep --preset latency-vs-load --seeds 1 --requests 2000 -q --csv "$stage/preset.csv"
"$root/bin/loadlab-cli" sweep --preset "$root/share/loadlab/sweeps/latency-vs-load.json" --seeds 1 --requests 2000 -q \
  --csv "$stage/preset-file.csv"
cmp -s "$stage/preset.csv" "$stage/preset-file.csv" || { echo "preset by name and by file differ"; exit 1; }
QT_QPA_PLATFORM=offscreen "$root/bin/loadlab" --preset slow-node --autostart --quit-after 1.5 \
  --screenshot "$stage/shot.png" 2> /dev/null
file "$stage/shot.png" | grep -q "PNG image data"
echo "installed loadlab-cli and loadlab ran from the package"
