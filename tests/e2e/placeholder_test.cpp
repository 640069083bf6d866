// replaced by the CLI tests
