# The import id is the account id.
terraform import iamsession_account_settings.production acme-production
