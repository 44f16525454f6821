import {
  to = iamsession_trusted_profile.contractors
  id = "acme-production/Profile-0123456789abcdef0123456789abcdef"
}
