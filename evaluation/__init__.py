"""The workflow that carries each application from submission to decision."""
