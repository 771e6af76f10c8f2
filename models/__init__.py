"""The model files bundled with gametheory_ukraine (data only: YAML, loaded by name)."""
