// Replaced by the simulation harness.
