// MailHealth on Azure (azd): a resource group and everything in it (resources.bicep).
// `azd up` provisions this and deploys src/MailHealth.Functions as the service `api`.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('The azd environment name: names the resource group and seeds every resource name.')
param environmentName string

@minLength(1)
@description('Region of every resource. It must offer Flex Consumption (FC1).')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the deploying user: may write Key Vault secrets (the postprovision hook creates the API keys with it) and read the storage data. Empty: none.')
param principalId string = ''

@description('NCRONTAB schedule of the probes (six fields, seconds first). Keep it equal to monitorInterval.')
param schedule string = '0 */5 * * * *'

@description('The schedule slot as a duration (MailHealth:Monitor:Interval): a run id is its target and slot.')
param monitorInterval string = '00:05:00'

@minValue(1)
@maxValue(3650)
@description('Days of history kept (runs, change events, delivered notifications).')
param retentionDays int = 90

@description('The name probes give in EHLO. Empty: the function app host name. With the NAT option, use a name whose A record and PTR match the NAT address.')
param heloName string = ''

@allowed([
  'None'
  'Webhook'
  'Slack'
  'Teams'
])
@description('Alert channel "hook": its URL is the Key Vault secret "alert-webhook-url" (and, for Webhook, its signing key "alert-webhook-signing-key"); put them in the vault first.')
param alertWebhookType string = 'None'

@description('Recipients of alert e-mail (channel "email"), comma-separated. Empty: no e-mail channel. The SMTP user and password are the Key Vault secrets "smtp-username" and "smtp-password".')
param alertEmailTo string = ''

@description('Sender address of alert e-mail.')
param alertEmailFrom string = ''

@description('The submission server alert e-mail goes through.')
param smtpHost string = ''

@allowed([
  587
  465
])
@description('587 (STARTTLS) or 465 (implicit TLS).')
param smtpPort int = 587

@description('Route outbound traffic through a VNet and a NAT gateway with a static public IP, so probes leave Azure from one known address.')
param vnetEnabled bool = false

@minValue(1)
@maxValue(1000)
@description('Flex Consumption: instances the app may scale out to.')
param maximumInstanceCount int = 40

@allowed([
  512
  2048
  4096
])
@description('Flex Consumption: memory of each instance (billed per GB-second while it executes). Probes wait on the network, not memory: 512 costs a quarter of 2048.')
param instanceMemoryMB int = 2048

@description('Entra ID sign-in for the dashboard (App Service Authentication): the client id of an app registration with the app roles MailHealth.Read and MailHealth.Admin (docs/deploy.md). Empty: off; the API takes keys only.')
param entraClientId string = ''

@description('The IMAP host of the mailbox receivers send DMARC and TLS reports to (implicit TLS, port 993; outlook.office365.com for Microsoft 365). Empty: no mailbox is read.')
param reportsMailboxHost string = ''

@description('The reports mailbox\'s login (its address, for Microsoft 365).')
param reportsMailboxUser string = ''

@allowed([
  'Password'
  'OAuth2'
])
@description('Password: the Key Vault secret "reports-mailbox-password". OAuth2 (Microsoft 365): an app registration with IMAP.AccessAsApp, its client secret the Key Vault secret "reports-mailbox-client-secret".')
param reportsMailboxAuth string = 'Password'

@description('OAuth2: the tenant of the app registration. Empty: this deployment\'s tenant.')
param reportsMailboxTenantId string = ''

@description('OAuth2: the app registration\'s client id.')
param reportsMailboxClientId string = ''

var tags = { 'azd-env-name': environmentName }

resource group 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module resources 'resources.bicep' = {
  name: 'mailhealth-resources'
  scope: group
  params: {
    environmentName: environmentName
    location: location
    tags: tags
    principalId: principalId
    schedule: schedule
    monitorInterval: monitorInterval
    retentionDays: retentionDays
    heloName: heloName
    alertWebhookType: alertWebhookType
    alertEmailTo: alertEmailTo
    alertEmailFrom: alertEmailFrom
    smtpHost: smtpHost
    smtpPort: smtpPort
    vnetEnabled: vnetEnabled
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    entraClientId: entraClientId
    reportsMailboxHost: reportsMailboxHost
    reportsMailboxUser: reportsMailboxUser
    reportsMailboxAuth: reportsMailboxAuth
    reportsMailboxTenantId: reportsMailboxTenantId
    reportsMailboxClientId: reportsMailboxClientId
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = group.name
output SERVICE_API_NAME string = resources.outputs.functionAppName
output AZURE_FUNCTION_APP_NAME string = resources.outputs.functionAppName
output AZURE_FUNCTION_APP_URL string = resources.outputs.functionAppUrl
output AZURE_KEY_VAULT_NAME string = resources.outputs.keyVaultName
output API_KEY_SECRETS string = resources.outputs.apiKeySecrets
output AZURE_STORAGE_ACCOUNT_NAME string = resources.outputs.storageAccountName
output NAT_PUBLIC_IP string = resources.outputs.natPublicIp
