#!/bin/bash
# Stops the daemons started by start-rgw.sh for DIR (by their PID files only) and waits until they are gone.
DIR=${1:?usage: stop-rgw.sh DIR}
for n in client.rgw.r osd.0 mon.a; do
  f=$DIR/run/$n.pid; [ -f "$f" ] || continue
  pid=$(cat "$f"); kill "$pid" 2>/dev/null || continue
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
  echo "stopped $n"
done
