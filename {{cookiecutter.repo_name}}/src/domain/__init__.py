"""Domain layer: plain entities and errors; imports nothing from the outer layers or frameworks."""
