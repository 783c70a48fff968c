"""Lambda layers: build them for a target (generate_layer) and diagnose them (inspect_layer)."""
