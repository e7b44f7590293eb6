// Everything MailHealth runs on, in one resource group. Identity-only access throughout: the
// storage account takes no shared keys, Application Insights no instrumentation key, and the
// app reads its secrets from Key Vault with its user-assigned identity.

param environmentName string
param location string
param tags object
param principalId string
param schedule string
param monitorInterval string
param retentionDays int
param heloName string
param alertWebhookType string
param alertEmailTo string
param alertEmailFrom string
param smtpHost string
param smtpPort int
param vnetEnabled bool
param maximumInstanceCount int
param instanceMemoryMB int
param entraClientId string

var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var functionAppName = 'func-mailhealth-${token}'
var deploymentContainer = 'app-package'

// Receivers' reports as they arrived (MailHealth:Storage:ReportContainerName), and the queue of
// inputs the API received (MAILHEALTH_REPORT_QUEUE): docs/storage.md, Receivers' reports.
var reportContainer = 'mailhealth-reports'
var reportQueue = 'mailhealth-reports'

// The names of the secrets the app reads through Key Vault references (docs/deploy.md).
var secretNames = {
  webhookUrl: 'alert-webhook-url'
  webhookSigningKey: 'alert-webhook-signing-key'
  smtpUserName: 'smtp-username'
  smtpPassword: 'smtp-password'
}

// The API's own keys, two slots of each kind so a key is rotated without a gap (docs/operations.md).
// Their values are not in this template: the postprovision hook (hooks/api-keys.sh, given these
// names by the output apiKeySecrets) creates each missing secret once with a random value and never
// overwrites one, so `azd up` keeps the keys and a rotated key stays rotated.
var apiReadKeySecrets = [
  'api-read-key-0'
  'api-read-key-1'
]
var apiAdminKeySecrets = [
  'api-admin-key-0'
  'api-admin-key-1'
]

// Built-in role definitions, by id (names in the comments).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault Secrets User
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7' // Key Vault Secrets Officer
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-mailhealth-${token}'
  location: location
  tags: tags
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stmh${token}'
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource packages 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: deploymentContainer
}

resource reports 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: reportContainer
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-mailhealth-${token}'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-mailhealth-${token}'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-mh-${token}'
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

// Optional: outbound through a NAT gateway with one static address (port-25 probes, allow-lists).
resource natIp 'Microsoft.Network/publicIPAddresses@2024-01-01' = if (vnetEnabled) {
  name: 'pip-mailhealth-${token}'
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    publicIPAllocationMethod: 'Static'
  }
}

resource nat 'Microsoft.Network/natGateways@2024-01-01' = if (vnetEnabled) {
  name: 'ng-mailhealth-${token}'
  location: location
  tags: tags
  sku: {
    name: 'Standard'
  }
  properties: {
    idleTimeoutInMinutes: 4
    publicIpAddresses: [
      {
        id: natIp.id
      }
    ]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2024-01-01' = if (vnetEnabled) {
  name: 'vnet-mailhealth-${token}'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        '10.0.0.0/16'
      ]
    }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: '10.0.1.0/24'
          natGateway: {
            id: nat.id
          }
          // Flex Consumption integrates through a subnet delegated to Microsoft.App/environments.
          delegations: [
            {
              name: 'flex'
              properties: {
                serviceName: 'Microsoft.App/environments'
              }
            }
          ]
        }
      }
    ]
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-mailhealth-${token}'
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    virtualNetworkSubnetId: vnetEnabled ? vnet!.properties.subnets[0].id : null
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// A Key Vault reference, resolved by the platform with the app's identity. Versionless: a new
// version of the secret is picked up without a redeploy (within a day, or at once on a refresh).
func secretReference(vaultName string, secretName string) string =>
  '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=${secretName})'

// Every setting the code reads (tests/MailHealth.Functions.Tests compares this list with the code).
var hostSettings = {
  // The triggers' connection, by identity; MailHealth:Storage takes the account from it.
  AzureWebJobsStorage__accountName: storage.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
  MAILHEALTH_SCHEDULE: schedule
  MAILHEALTH_PROBE_QUEUE: 'mailhealth-probes'
  MAILHEALTH_NOTIFICATION_QUEUE: 'mailhealth-notifications'
  MAILHEALTH_REPORT_QUEUE: reportQueue
  MAILHEALTH_ENTRA_SIGN_IN: empty(entraClientId) ? 'false' : 'true'
}

// The keys the app checks itself on every API route (the host's own keys are never handed out).
var apiKeySettings = union(
  toObject(range(0, length(apiReadKeySecrets)), slot => 'MailHealth__Api__ReadKeys__${slot}', slot => secretReference(vault.name, apiReadKeySecrets[slot])),
  toObject(range(0, length(apiAdminKeySecrets)), slot => 'MailHealth__Api__AdminKeys__${slot}', slot => secretReference(vault.name, apiAdminKeySecrets[slot]))
)

var monitorSettings = {
  MailHealth__Storage__TablePrefix: 'mailhealth'
  MailHealth__Storage__ReportContainerName: reports.name
  MailHealth__Monitor__Interval: monitorInterval
  MailHealth__Monitor__RetentionDays: string(retentionDays)
  MailHealth__Checks__HeloName: empty(heloName) ? '${functionAppName}.azurewebsites.net' : heloName
  // The Public Suffix List the build copied beside the app (docs/deploy.md): relative to the app's directory.
  MailHealth__SenderNaming__PublicSuffixListPath: 'public_suffix_list.dat'
}

var webhookSettings = alertWebhookType == 'None' ? {} : union(
  {
    MailHealth__Notifications__Channels__hook__Type: alertWebhookType
    MailHealth__Notifications__Channels__hook__Url: secretReference(vault.name, secretNames.webhookUrl)
  },
  alertWebhookType == 'Webhook'
    ? { MailHealth__Notifications__Channels__hook__Secret: secretReference(vault.name, secretNames.webhookSigningKey) }
    : {}
)

var emailRecipients = filter(map(split(alertEmailTo, ','), to => trim(to)), to => !empty(to))
var emailSettings = empty(emailRecipients) ? {} : union(
  {
    MailHealth__Notifications__Channels__email__Type: 'Email'
    MailHealth__Notifications__Channels__email__Host: smtpHost
    MailHealth__Notifications__Channels__email__Port: string(smtpPort)
    MailHealth__Notifications__Channels__email__From: alertEmailFrom
    MailHealth__Notifications__Channels__email__UserName: secretReference(vault.name, secretNames.smtpUserName)
    MailHealth__Notifications__Channels__email__Password: secretReference(vault.name, secretNames.smtpPassword)
  },
  toObject(range(0, length(emailRecipients)), i => 'MailHealth__Notifications__Channels__email__To__${i}', i => emailRecipients[i])
)

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: union(hostSettings, monitorSettings, apiKeySettings, webhookSettings, emailSettings)
  dependsOn: [
    // The app starts on these settings: its identity must already reach storage, telemetry and the vault.
    blobOwner
    reportsContributor
    queueContributor
    tableContributor
    metricsPublisher
    secretsUser
  ]
}

// Optional Entra ID sign-in in front of the app (App Service Authentication), for the dashboard:
// anonymous requests still reach the app, which checks its keys; a signed-in caller is judged by
// its app roles MailHealth.Read and MailHealth.Admin (docs/deploy.md, Entra ID sign-in). Without a
// client secret the platform signs in with the ID token alone (the registration must issue them).
resource authentication 'Microsoft.Web/sites/config@2024-04-01' = if (!empty(entraClientId)) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: false
      unauthenticatedClientAction: 'AllowAnonymous'
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: entraClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageBlobDataOwner)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The app reads and writes the report inputs with a role of its own on their container, not
// through the account-wide Blob Data Owner the Functions host holds for its deployment package and
// leases: that one may be narrowed without taking the reports with it.
resource reportsContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(reports.id, identity.id, roles.storageBlobDataContributor)
  scope: reports
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource queueContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageQueueDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource tableContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(insights.id, identity.id, roles.monitoringMetricsPublisher)
  scope: insights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The deploying user puts the secrets in the vault and may look at the tables and queues.
resource deployerSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  name: guid(vault.id, principalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: principalId
    principalType: 'User'
  }
}

resource deployerTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(principalId)) {
  name: guid(storage.id, principalId, roles.storageTableDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
    principalId: principalId
    principalType: 'User'
  }
}

output functionAppName string = app.name
output functionAppUrl string = 'https://${app.properties.defaultHostName}'
output keyVaultName string = vault.name
output apiKeySecrets string = join(concat(apiReadKeySecrets, apiAdminKeySecrets), ' ')
output storageAccountName string = storage.name
output natPublicIp string = vnetEnabled ? natIp!.properties.ipAddress : ''
