format sri-registry-signature 1
registry-sha256 00
