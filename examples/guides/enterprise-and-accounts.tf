# An enterprise and two of its accounts, managed together: the enterprise sets the ceiling,
# one account is stricter, and the effective settings show which level wins for each account.
variable "enterprise_id" {
  type    = string
  default = "acme-enterprise"
}

variable "accounts" {
  type    = list(string)
  default = ["acme-production", "acme-staging"]
}

resource "iamsession_enterprise_settings" "acme" {
  enterprise_id                   = var.enterprise_id
  session_expiration_in_seconds   = "28800" # 8 hours at most, in every account
  session_invalidation_in_seconds = "3600"  # 1 hour idle at most
  max_sessions_per_identity       = "NOT_SET"
}

# Production is stricter than the enterprise on idle time and concurrent sessions.
resource "iamsession_account_settings" "production" {
  account_id                      = var.accounts[0]
  session_invalidation_in_seconds = "1800"
  max_sessions_per_identity       = "2"
}

# Staging asks for more than the enterprise allows: the enterprise's limits apply.
resource "iamsession_account_settings" "staging" {
  account_id                      = var.accounts[1]
  session_expiration_in_seconds   = "43200"
  session_invalidation_in_seconds = "NOT_SET"
}

data "iamsession_effective_settings" "account" {
  for_each   = toset(var.accounts)
  account_id = each.value

  # Read after the settings are written.
  depends_on = [
    iamsession_enterprise_settings.acme,
    iamsession_account_settings.production,
    iamsession_account_settings.staging,
  ]
}

output "effective_idle_timeout" {
  value = {
    for id, e in data.iamsession_effective_settings.account :
    id => "${e.session_invalidation_in_seconds.value} s from the ${e.session_invalidation_in_seconds.source} ${coalesce(e.session_invalidation_in_seconds.source_id, "service default")}"
  }
}

output "effective_max_session_time" {
  value = { for id, e in data.iamsession_effective_settings.account : id => e.session_expiration_in_seconds }
}

output "effective_max_sessions" {
  value = { for id, e in data.iamsession_effective_settings.account : id => e.max_sessions_per_identity.value }
}
