import {
  to = iamsession_enterprise_settings.acme
  id = "acme-enterprise"
}
