# Azurite: Azure Table, Queue and Blob storage emulator on $MH_NET.0.100 (blob 10000, queue 10001,
# table 10002), data under $MH_STATE/azurite. Installed from npm (`azurite`) when missing.
# --skipApiVersionCheck: current Azure SDKs send an API version newer than Azurite knows.
# --loose: ignore headers Azurite does not implement instead of refusing the request.
# Azurite does not enforce the Table service limits; MailHealth.Storage does (docs/storage.md).
AZURITE_IP_SUFFIX=0.100

azurite_start() {
  mh_need npm nodejs npm
  if ! command -v azurite >/dev/null 2>&1; then
    mh_log "installing azurite (npm)"
    npm install -g --no-audit --no-fund --loglevel=error azurite >/dev/null
  fi
  local dir="$MH_STATE/azurite" ip="$MH_NET.$AZURITE_IP_SUFFIX"
  azurite_stop
  mkdir -p "$dir"
  azurite --silent --location "$dir" \
    --blobHost "$ip" --blobPort 10000 --queueHost "$ip" --queuePort 10001 --tableHost "$ip" --tablePort 10002 \
    --skipApiVersionCheck --disableTelemetry --loose >"$dir/azurite.log" 2>&1 &
  echo $! >"$dir/azurite.pid"
  local port
  for port in 10000 10001 10002; do
    mh_wait_port "$ip" "$port" 30 || { cat "$dir/azurite.log" >&2; return 1; }
  done
}

azurite_stop() {
  mh_stop_pidfile "$MH_STATE/azurite/azurite.pid"
}
