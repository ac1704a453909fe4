#!/bin/sh
# Runs a command in a private D-Bus session whose secret service is in a chosen state:
#   with-keyring.sh unlocked|locked|none COMMAND [ARGS...]
# unlocked: gnome-keyring's secret service with an unlocked login keyring (fed a password);
# locked:   the same keyring, then locked through the Secret Service API;
# none:     a session bus with no secret service at all (no D-Bus activation either).
# Each run gets its own HOME, so it never touches the keyring of the person running the tests.
set -eu

lock_login_keyring() {
  dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets \
    org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null
}
login_keyring_locked() {
  dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets/collection/login \
    org.freedesktop.DBus.Properties.Get string:org.freedesktop.Secret.Collection string:Locked | grep -q 'boolean true'
}

# Inside a session: `with-keyring.sh --lock` locks the login keyring (and checks it did).
if [ "${1:-}" = "--lock" ]; then
  lock_login_keyring
  login_keyring_locked || { echo 'with-keyring: the login keyring did not lock' >&2; exit 92; }
  exit 0
fi

if [ "${1:-}" = "--inside" ]; then
  shift
  mode=$1
  shift
  if [ "$mode" != none ]; then
    printf 'latchkey-test-password' | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
    owned=no
    for _ in $(seq 1 50); do
      if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
        owned=yes
        break
      fi
      sleep 0.1
    done
    [ "$owned" = yes ] || { echo 'with-keyring: the secret service did not start' >&2; exit 90; }
    if login_keyring_locked; then echo 'with-keyring: the login keyring did not unlock' >&2; exit 91; fi
    if [ "$mode" = locked ]; then "$0" --lock; fi
  fi
  exec "$@"
fi

mode=$1
shift
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
# KEYRING_HOME keeps the keyring file between runs (the same password unlocks it again).
home="${KEYRING_HOME:-$scratch/home}"
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CACHE_HOME="$home/.cache"
export XDG_CONFIG_HOME="$home/.config" XDG_RUNTIME_DIR="$scratch/run"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL

config=""
if [ "$mode" = none ]; then
  config="$scratch/no-services.conf"
  cat >"$config" <<'CONF'
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
  dbus-run-session --config-file="$config" -- sh "$0" --inside "$mode" "$@"
else
  dbus-run-session -- sh "$0" --inside "$mode" "$@"
fi
