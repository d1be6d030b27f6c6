"""conformance_test: one test source, built over every ring.

NAME_raw links the raw-syscall ring (the real kernel); NAME_fake_seedN link
the simulated kernel, one target per seed (IOCP_FAKE_SEED).
"""

load("@rules_cc//cc:defs.bzl", "cc_test")
load("//tools/build_defs:copts.bzl", "IOCP_TEST_COPTS")

def conformance_test(name, src, fake_seeds = [1, 2, 3], size = "medium"):
    common = dict(
        size = size,
        srcs = [src],
        copts = IOCP_TEST_COPTS,
    )
    cc_test(
        name = name + "_raw",
        deps = [":port_testing", "//ring/raw:default", "@system//:gtest_main"],
        **common
    )
    for seed in fake_seeds:
        cc_test(
            name = "%s_fake_seed%d" % (name, seed),
            env = {"IOCP_FAKE_SEED": str(seed)},
            deps = [":port_testing", "//ring/fake:default", "@system//:gtest_main"],
            **common
        )
