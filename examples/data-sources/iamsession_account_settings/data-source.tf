data "iamsession_account_settings" "production" {
  account_id = "acme-production"
}

output "idle_timeout" {
  value = data.iamsession_account_settings.production.session_invalidation_in_seconds
}
