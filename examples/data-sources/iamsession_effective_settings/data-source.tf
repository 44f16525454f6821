# What really applies to an account: the stricter of its own and its enterprise's limits.
data "iamsession_effective_settings" "production" {
  account_id = "acme-production"
}

# What really applies to a person in several accounts: the lowest over all of them.
data "iamsession_effective_settings" "alice" {
  iam_id = "IBMid-alice"
}

output "production_idle_timeout" {
  # For example { value = "1800", source = "enterprise", source_id = "acme-enterprise", account_id = "acme-production" }
  value = data.iamsession_effective_settings.production.session_invalidation_in_seconds
}

output "alice_idle_timeout_from" {
  value = "${data.iamsession_effective_settings.alice.session_invalidation_in_seconds.value} s, set by the ${data.iamsession_effective_settings.alice.session_invalidation_in_seconds.source} of account ${data.iamsession_effective_settings.alice.session_invalidation_in_seconds.account_id}"
}
