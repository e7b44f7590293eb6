// Parameters for `azd up`: azd sets these environment variables from the azd environment
// (`azd env set ALERT_WEBHOOK_TYPE Slack`); the rest keep main.bicep's defaults.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'mailhealth')
param location = readEnvironmentVariable('AZURE_LOCATION', 'westeurope')
param principalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
param schedule = readEnvironmentVariable('MAILHEALTH_SCHEDULE', '0 */5 * * * *')
param alertWebhookType = readEnvironmentVariable('ALERT_WEBHOOK_TYPE', 'None')
param alertEmailTo = readEnvironmentVariable('ALERT_EMAIL_TO', '')
param alertEmailFrom = readEnvironmentVariable('ALERT_EMAIL_FROM', '')
param smtpHost = readEnvironmentVariable('SMTP_HOST', '')
param vnetEnabled = bool(readEnvironmentVariable('VNET_ENABLED', 'false'))
param entraClientId = readEnvironmentVariable('ENTRA_CLIENT_ID', '')
param reportsMailboxHost = readEnvironmentVariable('REPORTS_MAILBOX_HOST', '')
param reportsMailboxUser = readEnvironmentVariable('REPORTS_MAILBOX_USER', '')
param reportsMailboxAuth = readEnvironmentVariable('REPORTS_MAILBOX_AUTH', 'Password')
param reportsMailboxClientId = readEnvironmentVariable('REPORTS_MAILBOX_CLIENT_ID', '')
