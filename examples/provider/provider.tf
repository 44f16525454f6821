terraform {
  required_providers {
    iamsession = {
      source = "iamsession/iamsession"
    }
  }
}

# The endpoint and the API key come from IAMSESSION_ENDPOINT and IAMSESSION_TOKEN,
# so that no secret is written in configuration.
provider "iamsession" {
  timeout_seconds = 30
  max_retries     = 3
}
