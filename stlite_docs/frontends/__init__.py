"""The front-ends: each translates its docs tool's events and syntax into the core's calls, and
the core's results into its tool's nodes, messages and files. They never import each other."""
