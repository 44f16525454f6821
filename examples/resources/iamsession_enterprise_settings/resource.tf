# Cap every account of the enterprise: no session longer than 8 hours, sign-out after
# one hour idle, and at most 3 sessions per identity. Accounts may be stricter still.
resource "iamsession_enterprise_settings" "acme" {
  enterprise_id                   = "acme-enterprise"
  session_expiration_in_seconds   = "28800"
  session_invalidation_in_seconds = "3600"
  max_sessions_per_identity       = "3"
}
