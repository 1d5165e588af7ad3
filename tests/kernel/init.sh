#!/bin/sh
# shellcheck shell=sh
# /init of the full-kernel lane's initramfs (busybox sh, PID 1 in the QEMU guest).
#
# Loads the kernel modules listed in /modules.list (insmod, dependency order), mounts the host's
# root file system read-only over 9p (tag "hostroot") at /newroot with fresh tmpfs/proc/sys/dev
# on top, mounts the writable scratch share (tag "out") at /newroot/tmp/vnet-out, and runs the
# guest agent ($VNET_PYTHON $VNET_AGENT: kernel command line parameters, so in our environment)
# chrooted into /newroot. Its exit status goes to out/rc; the guest then powers off (QEMU runs
# with -no-reboot, so a kernel panic ends it too). The host's files are only read: its root is
# shared read-only, and only the scratch share is writable.
PATH=/bin
export PATH

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

say() { echo "vnet-init: $*" > /dev/console; }

failed_modules=""
while read -r module; do
  [ -n "$module" ] || continue
  insmod "/lib/modules/$module" 2> /dev/null || failed_modules="$failed_modules ${module##*/}"
done < /modules.list

NEWROOT=/newroot
OPTS=trans=virtio,version=9p2000.L,msize=512000
if ! mount -t 9p -o "$OPTS,ro,cache=loose" hostroot "$NEWROOT"; then
  say "cannot mount the host root over 9p (modules not loaded:$failed_modules)"
  poweroff -f
fi
mount -t proc proc "$NEWROOT/proc"
mount -t sysfs sysfs "$NEWROOT/sys"
mount -t devtmpfs devtmpfs "$NEWROOT/dev"
mkdir -p "$NEWROOT/dev/pts" "$NEWROOT/dev/shm"
mount -t devpts devpts "$NEWROOT/dev/pts"
mount -t tmpfs -o mode=1777 tmpfs "$NEWROOT/dev/shm"
# The checkout (with its .venv) may live under /tmp or /run, which the fresh tmpfs below would
# hide: keep a bind of it and put that back on top.
REPO=${VNET_AGENT%/tests/kernel/guest_agent.py}
case "$REPO" in
  /tmp/*|/run/*)
    mkdir -p /repo
    mount -o bind "$NEWROOT$REPO" /repo || say "cannot keep $REPO"
    ;;
  *) REPO="" ;;
esac
mount -t tmpfs -o mode=1777 tmpfs "$NEWROOT/tmp"
mount -t tmpfs -o mode=755 tmpfs "$NEWROOT/run"
if [ -n "$REPO" ]; then
  mkdir -p "$NEWROOT$REPO"
  mount -o bind /repo "$NEWROOT$REPO" || say "cannot show $REPO in the guest"
fi
mkdir -p "$NEWROOT/tmp/vnet-out"
if ! mount -t 9p -o "$OPTS" out "$NEWROOT/tmp/vnet-out"; then
  say "cannot mount the scratch share"
  poweroff -f
fi
OUT="$NEWROOT/tmp/vnet-out"
echo "$failed_modules" > "$OUT/modules-failed"
cat /proc/uptime > "$OUT/uptime-boot"

mkdir -p "$NEWROOT/tmp/home"
if [ -z "${VNET_PYTHON:-}" ] || [ -z "${VNET_AGENT:-}" ]; then
  say "VNET_PYTHON and VNET_AGENT must be on the kernel command line"
  echo 127 > "$OUT/rc"
else
  say "starting $VNET_AGENT"
  chroot "$NEWROOT" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/tmp/home LANG=C.UTF-8 TERM=dumb PYTHONDONTWRITEBYTECODE=1 \
    "$VNET_PYTHON" "$VNET_AGENT" /tmp/vnet-out < /dev/null > "$OUT/agent.stdout" 2> "$OUT/agent.stderr"
  echo "$?" > "$OUT/rc"
fi
cat /proc/uptime > "$OUT/uptime-end"
sync
umount "$OUT" 2> /dev/null
poweroff -f
