"""Pure science models: numbers in, numbers out, units in names, no widgets, no plotting."""
