# The import id is the enterprise id.
terraform import iamsession_enterprise_settings.acme acme-enterprise
