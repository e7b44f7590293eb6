#!/bin/sh
# azd postprovision hook: gives the API's key secrets in Key Vault (api-read-key-0/1,
# api-admin-key-0/1, read by the app through Key Vault references) a random value the first time,
# and never touches one that exists: `azd up` and `azd provision` keep the keys, and a key rotated
# in the vault stays rotated (docs/operations.md). Values never reach standard output, a log or a
# command line (`ps` shows arguments): each goes from openssl to a private file that az reads.
#
# Needs the Azure CLI signed in as the deploying user (Key Vault Secrets Officer on the vault, from
# the template's principalId) and openssl. azd passes the template's outputs in the environment.
set -eu

vault="${AZURE_KEY_VAULT_NAME:?AZURE_KEY_VAULT_NAME is not set: run this as azd's postprovision hook (azd provision)}"
secrets="${API_KEY_SECRETS:?API_KEY_SECRETS is not set: run this as azd's postprovision hook (the template's output names the secrets)}"
attempts="${MAILHEALTH_HOOK_ATTEMPTS:-12}"
pause="${MAILHEALTH_HOOK_PAUSE:-10}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
umask 077

# Prints "exists" or "missing"; anything else (no permission yet, the vault not reachable) is retried
# and in the end fails: a secret is created only when the vault says it is not there.
state() {
  try=1
  while :; do
    if az keyvault secret show --vault-name "$vault" --name "$1" --query id --output none 2>"$work/error"; then
      echo exists
      return 0
    fi
    if grep -q 'SecretNotFound' "$work/error"; then
      echo missing
      return 0
    fi
    if [ "$try" -ge "$attempts" ]; then
      echo "api-keys: cannot read secret $1 of vault $vault:" >&2
      cat "$work/error" >&2
      return 1
    fi
    # A role assignment made by this provisioning takes a minute or two to apply.
    try=$((try + 1))
    sleep "$pause"
  done
}

created=0
for name in $secrets; do
  case "$(state "$name")" in
    exists)
      echo "api-keys: $name exists in $vault; left as it is"
      ;;
    missing)
      # 32 random bytes as 64 hex characters: no spaces, no quoting, far above the 16 required.
      openssl rand -hex 32 | tr -d '\n' >"$work/value"
      az keyvault secret set --vault-name "$vault" --name "$name" --file "$work/value" --encoding utf-8 --output none
      rm -f "$work/value"
      echo "api-keys: $name created in $vault with a random value"
      created=$((created + 1))
      ;;
    *)
      exit 1
      ;;
  esac
done

# A running app read the references when it started: ask the platform to read them again now
# rather than within the day (a later deployment restarts the app and reads them anyway).
if [ "$created" -gt 0 ] && [ -n "${AZURE_SUBSCRIPTION_ID:-}" ] && [ -n "${AZURE_RESOURCE_GROUP:-}" ] && [ -n "${AZURE_FUNCTION_APP_NAME:-}" ]; then
  site="/subscriptions/$AZURE_SUBSCRIPTION_ID/resourceGroups/$AZURE_RESOURCE_GROUP/providers/Microsoft.Web/sites/$AZURE_FUNCTION_APP_NAME"
  az rest --method post --url "https://management.azure.com$site/config/configreferences/appsettings/refresh?api-version=2022-03-01" --output none \
    || echo "api-keys: the app did not refresh its Key Vault references now; it does within a day, or at its next deployment" >&2
fi

echo "api-keys: read a key with: az keyvault secret show --vault-name $vault --name api-read-key-0 --query value -o tsv"
