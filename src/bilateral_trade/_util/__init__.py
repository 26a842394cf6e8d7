"""_util layer."""
