#!/usr/bin/env bash
# Builds the .deb with cpack, checks its Depends come from dpkg-shlibdeps, unpacks it into a
# temporary root with `dpkg -x` and runs the installed imuwb from there, as a user would after
# `apt install ./imuwb_*.deb`. Needs imuwb and imuwb-gui built (make build does that).
# usage: deb-install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build="$(cd "$1" && pwd)"
source_dir="$(cd "$2" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/imuwb-deb-XXXXXX")"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

for binary in imuwb imuwb-gui; do
  [[ -x "$build/bin/$binary" ]] || fail "$build/bin/$binary not built; run make build first"
done
(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; fail "cpack -G DEB failed"; }
deb="$(find "$work/out" -maxdepth 1 -name '*.deb' | head -n 1)"
[[ -n "$deb" ]] || { cat "$work/cpack.log"; fail "cpack made no .deb"; }
echo "package: $(basename "$deb") ($(du -h "$deb" | cut -f1))"

depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
# The runtime libraries the binaries link, as dpkg-shlibdeps names them (Debian 12 sonames).
for needed in libc6 libstdc++6 libhdf5 libprotobuf libqt6core6 libqt6widgets6 libqt6charts6; do
  grep -q "$needed" <<<"$depends" || fail "Depends lacks $needed: dpkg-shlibdeps did not run or the link changed"
done

root="$work/root"
dpkg -x "$deb" "$root"
for installed in usr/bin/imuwb usr/bin/imuwb-gui usr/share/applications/imuwb.desktop \
  usr/share/icons/hicolor/scalable/apps/imuwb.svg usr/share/doc/imuwb/README.md \
  usr/share/doc/imuwb/manifest.md usr/share/imuwb/samples/sessions/dog_2min_collar.h5 \
  usr/share/imuwb/samples/models/tcn_encoder/manifest.json; do
  [[ -e "$root/$installed" ]] || fail "/$installed missing from the package"
done
grep -q '^Exec=imuwb-gui' "$root/usr/share/applications/imuwb.desktop" || fail "desktop file does not start imuwb-gui"

# Run from the unpacked root, away from the build tree, so nothing can come from it.
cd "$work"
version="$("$root/usr/bin/imuwb" version)" || fail "installed imuwb version exited $?"
echo "imuwb version: $version"
package_version="$(dpkg-deb -f "$deb" Version)"
grep -qF "$package_version" <<<"$version" || fail "imuwb version does not print the package version $package_version"
info="$("$root/usr/bin/imuwb" info "$root/usr/share/imuwb/samples/sessions/dog_2min_collar.h5")" ||
  fail "installed imuwb info on the packaged sample exited $?"
echo "$info" | head -n 8
grep -qi 'collar' <<<"$info" || fail "imuwb info does not name the sample's collar device"
# The packaged TCN encoder bundle loads (its findings make check exit 1; 2 would be a load error).
set +e
check="$("$root/usr/bin/imuwb" check "$root/usr/share/imuwb/samples/models/tcn_encoder" 2>&1)"
check_status=$?
set -e
((check_status <= 1)) && grep -q 'opset 11' <<<"$check" ||
  fail "imuwb check on the packaged tcn_encoder bundle exited $check_status: $check"
gui_version="$(QT_QPA_PLATFORM=offscreen "$root/usr/bin/imuwb-gui" --version)" ||
  fail "installed imuwb-gui --version exited $?"
echo "imuwb-gui --version: $gui_version"
echo "ok: the .deb installs imuwb, imuwb-gui, desktop file, icon, docs and samples, and runs from a dpkg -x root"
