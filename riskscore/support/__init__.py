"""Plumbing every layer uses: collecting problems, the rules every input obeys, safe
file reading and writing, and TOML reading with messages that name file and key.

Depends on nothing in riskscore but ``riskscore.errors``.
"""
