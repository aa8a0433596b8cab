"""The sub-commands of `meldcode`, one module each; every module has `register(subparsers)`."""
