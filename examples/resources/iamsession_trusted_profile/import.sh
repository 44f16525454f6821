# The import id is the account id and the profile id, joined by a slash.
terraform import iamsession_trusted_profile.contractors acme-production/Profile-0123456789abcdef0123456789abcdef
