# Sign users out after 30 minutes without a request, end every session after 12 hours,
# and leave the concurrent-session limit to the service default.
resource "iamsession_account_settings" "production" {
  account_id                      = "acme-production"
  session_invalidation_in_seconds = "1800"
  session_expiration_in_seconds   = "43200"
  max_sessions_per_identity       = "NOT_SET"
}
