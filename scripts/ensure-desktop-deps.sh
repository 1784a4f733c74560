#!/usr/bin/env bash
# Installs the Debian packages the desktop console needs to build, run and be
# tested (WebKitGTK, tray, Xvfb, the WebKit WebDriver, a session bus, CJK
# fonts, Python D-Bus bindings for the test notification server), and
# tauri-driver. Does nothing when everything is there.
set -euo pipefail

PACKAGES=(
    build-essential pkg-config
    libwebkit2gtk-4.1-dev libxdo-dev libssl-dev libayatana-appindicator3-dev librsvg2-dev
    xvfb xauth webkit2gtk-driver dbus dbus-bin dbus-x11 fonts-noto-cjk
    python3 python3-dbus python3-gi
)
TAURI_DRIVER_VERSION=2.1.0

missing=()
for p in "${PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if ((${#missing[@]})); then
    echo "installing Debian packages: ${missing[*]}"
    SUDO=()
    if [ "$(id -u)" -ne 0 ]; then SUDO=(sudo); fi
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$cargo_bin/tauri-driver" ]; then
    echo "installing tauri-driver $TAURI_DRIVER_VERSION"
    cargo install tauri-driver --locked --version "$TAURI_DRIVER_VERSION"
fi
