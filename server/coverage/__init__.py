"""The seed coverage report: which seed sentences the graph represents (see coverage/README.md)."""
