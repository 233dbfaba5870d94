"""The answer loop: route -> tools -> retrieve -> generate -> verify."""
