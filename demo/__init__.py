"""Demo content for load_demo."""
