module podmates.local/airgap/pause

go 1.24
