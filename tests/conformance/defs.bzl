"""conformance_test: one test source, built over every ring.

NAME_raw links the raw-syscall ring (the real kernel); NAME_fake_seedN link
the simulated kernel, one target per seed (IOCP_FAKE_SEED); with sqpoll,
NAME_raw_sqpoll runs the raw build again with the ports' kernel submission
thread on (IOCP_SQPOLL=1), idling 1 ms so it sleeps and is woken often.
"""

load("@rules_cc//cc:defs.bzl", "cc_test")
load("//tools/build_defs:copts.bzl", "IOCP_TEST_COPTS")

def conformance_test(name, src, fake_seeds = [1, 2, 3], size = "medium", sqpoll = False):
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
    if sqpoll:
        cc_test(
            name = name + "_raw_sqpoll",
            env = {"IOCP_SQPOLL": "1", "IOCP_SQPOLL_IDLE_MS": "1"},
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
