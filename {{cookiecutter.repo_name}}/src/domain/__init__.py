"""Domain layer: plain entities with their rules; imports nothing from the outer layers or frameworks."""
