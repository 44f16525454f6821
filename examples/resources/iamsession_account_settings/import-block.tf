import {
  to = iamsession_account_settings.production
  id = "acme-production"
}
