// Replaced by the config module.
