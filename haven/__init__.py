"""Haven: online mental-health peer support."""
