"""Training the compact recognizer (needs the `[train]` extra: PyTorch)."""
