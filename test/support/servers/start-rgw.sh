#!/bin/bash
# One-node Ceph (1 monitor, 1 in-memory OSD, no mgr, auth off) + radosgw on 127.0.0.1:$RGW_PORT, all state under DIR.
# Adapted from the project recipe. Daemons detach; their PIDs are in DIR/run/*.pid (stop-rgw.sh kills those only).
# Usage: RGW_PORT=7480 MON_PORT=3300 start-rgw.sh DIR      (S3 users are created by the caller with radosgw-admin)
set -euo pipefail
DIR=${1:?usage: start-rgw.sh DIR}
RGW_PORT=${RGW_PORT:-7480}
MON_PORT=${MON_PORT:-3300}
rm -rf "$DIR"; mkdir -p "$DIR"/{log,mon,osd,run,rgw}
export CEPH_CONF=$DIR/ceph.conf
# SSE: radosgw 16.2 has no SSE-S3 (AES256); SSE-KMS works with the "testing" KMS backend (static key below, test only).
cat > "$CEPH_CONF" <<CONF
[global]
fsid = $(uuidgen)
mon host = v2:127.0.0.1:$MON_PORT
public addr = 127.0.0.1
public network = 127.0.0.0/8
auth cluster required = none
auth service required = none
auth client required = none
run dir = $DIR/run
pid file = $DIR/run/\$name.pid
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon max pg per osd = 1000
mon data avail crit = 0
ms bind ipv6 = false
ms bind msgr1 = false
[mon.a]
mon data = $DIR/mon
public addrv = v2:127.0.0.1:$MON_PORT
[osd.0]
osd data = $DIR/osd
osd objectstore = memstore
memstore device bytes = 1073741824
osd class load list = *
osd class default list = *
[client.rgw.r]
# tcp_nodelay: without it every small GET waits ~40 ms for a delayed ACK (Nagle); measured 49.6 -> 4.9 ms median.
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT tcp_nodelay=1
rgw dns name = localhost
rgw data = $DIR/rgw
ms mon client mode = crc
rgw crypt require ssl = false
rgw crypt s3 kms backend = testing
rgw crypt s3 kms encryption keys = sandbox-kms-key=MTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTI=
CONF
ceph-mon --id a --mkfs --keyring /dev/null
touch "$DIR/mon/keyring"
ceph-mon --id a
OSD_ID=$(ceph osd create)
ceph osd crush add "osd.$OSD_ID" 1 root=default
# Create radosgw's pools up front, in parallel with the OSD's start (radosgw would create them one by one on start
# and on the first bucket/object). Application tags only silence health warnings, so they are not set.
for pool in .rgw.root default.rgw.log default.rgw.control default.rgw.meta default.rgw.buckets.index default.rgw.buckets.data default.rgw.buckets.non-ec; do
  ceph osd pool create "$pool" 8 8 >/dev/null 2>&1 &
done
ceph-osd --id "$OSD_ID" --mkfs
ceph-osd --id "$OSD_ID"
wait
up=
for i in $(seq 1 120); do ceph osd stat 2>/dev/null | grep -q '1 up' && { up=1; break; }; sleep 0.5; done
[ -n "$up" ] || { echo "start-rgw: OSD did not come up" >&2; exit 1; }
radosgw -n client.rgw.r
# Ready = radosgw answers an anonymous ListBuckets; gives up early if it could not listen (port taken).
for i in $(seq 1 180); do
  curl -fs "http://127.0.0.1:$RGW_PORT/" 2>/dev/null | grep -q ListAllMyBucketsResult && { echo "RGW ready on http://127.0.0.1:$RGW_PORT"; exit 0; }
  if grep -qs 'failed initializing frontend' "$DIR/log/client.rgw.r.log"; then echo "start-rgw: radosgw could not listen on $RGW_PORT" >&2; exit 1; fi
  sleep 0.5
done
echo "start-rgw: radosgw did not answer on port $RGW_PORT" >&2; exit 1
