"""iocp_fuzzer: a libFuzzer target plus a test that replays its corpus.

  bazel build --config=fuzz //fuzz:NAME   a libFuzzer binary (clang, ASan, UBSan)
  bazel test //fuzz:NAME_corpus_test      every corpus file, without libFuzzer
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_test")
load("//tools/build_defs:copts.bzl", "IOCP_TEST_COPTS")

def iocp_fuzzer(name, srcs, deps):
    """NAME (ending in _fuzzer) and its corpus, fuzz/corpus/NAME-without-_fuzzer/."""
    corpus = name + "_corpus"
    native.filegroup(
        name = corpus,
        srcs = native.glob(["corpus/%s/*" % name[:-len("_fuzzer")]]),
    )
    cc_binary(
        name = name,
        srcs = srcs + select({
            "//fuzz:libfuzzer": [],
            "//conditions:default": ["replay_main.cc"],
        }),
        copts = IOCP_TEST_COPTS,
        linkopts = select({
            "//fuzz:libfuzzer": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        deps = deps,
    )
    cc_test(
        name = name + "_corpus_test",
        size = "medium",
        srcs = srcs + ["replay_main.cc"],
        copts = IOCP_TEST_COPTS,
        args = ["$(locations :%s)" % corpus],
        data = [":" + corpus],
        deps = deps,
    )
