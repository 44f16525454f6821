# Contractors sign in through their own identity provider and assume this profile;
# their sessions last at most 2 hours.
resource "iamsession_trusted_profile" "contractors" {
  account_id                  = "acme-production"
  name                        = "contractors"
  session_duration_in_seconds = "7200"
}
