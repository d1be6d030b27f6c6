"""Compiler flags for project code, defined once (Abseil style)."""

IOCP_COPTS = [
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wno-missing-field-initializers",
]

IOCP_TEST_COPTS = IOCP_COPTS + [
    "-Wno-sign-compare",
]
