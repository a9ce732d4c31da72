"""Services layer: use cases over the domain; depends on repository abstractions only."""
