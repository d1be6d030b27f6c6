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

# C programs written as a Windows program would be (tools/bench's servers,
# the allocation counter): the language level is the target's choice.
IOCP_C_WARNINGS = [
    "-Wall",
    "-Wextra",
    "-Werror",
]
