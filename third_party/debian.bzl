"""Repository rules that adapt Debian's packaged Bazel rules and libraries.

The machine has no internet: Bazel's rules and all C++ libraries come from
Debian packages installed by tools/setup.
"""

def _debian_rules_cc_impl(ctx):
    # Debian ships rules_cc 0.0.4, whose two private rules load
    # `use_cpp_toolchain` from @bazel_tools; Bazel 4.2.3 does not have it.
    # Copy the rules and replace the call with the toolchain type it returns.
    src = "/usr/share/bazel/rules/cc"
    result = ctx.execute(["cp", "-r", src + "/.", "."])
    if result.return_code != 0:
        fail("copying %s failed (run tools/setup): %s" % (src, result.stderr))
    for path in [
        "cc/private/rules_impl/compiler_flag.bzl",
        "cc/private/rules_impl/cc_flags_supplier.bzl",
    ]:
        text = ctx.read(path)
        text = text.replace('"find_cpp_toolchain", "use_cpp_toolchain")', '"find_cpp_toolchain")')
        text = text.replace("use_cpp_toolchain()", '["@bazel_tools//tools/cpp:toolchain_type"]')
        ctx.file(path, text)

debian_rules_cc = repository_rule(implementation = _debian_rules_cc_impl)

def _remote_coverage_tools_stub_impl(ctx):
    # `bazel test` wants @remote_coverage_tools, normally downloaded. Coverage
    # is measured outside Bazel (docs/TESTING.md), so empty targets suffice.
    ctx.file("BUILD", """
package(default_visibility = ["//visibility:public"])
filegroup(name = "coverage_report_generator")
filegroup(name = "lcov_merger")
""")

remote_coverage_tools_stub = repository_rule(implementation = _remote_coverage_tools_stub_impl)

def _system_libraries_impl(ctx):
    # Debian's libraries: headers are on the default include path, so each
    # target only carries its link options.
    ctx.file("BUILD", """
package(default_visibility = ["//visibility:public"])

cc_library(name = "liburing", linkopts = ["-luring"])

cc_library(name = "gtest", linkopts = ["-lgtest", "-pthread"])

cc_library(name = "gtest_main", linkopts = ["-lgtest_main", "-lgtest", "-pthread"])

cc_library(name = "gmock", linkopts = ["-lgmock", "-lgtest", "-pthread"])

cc_library(name = "benchmark", linkopts = ["-lbenchmark", "-pthread"])

cc_library(name = "benchmark_main", linkopts = ["-lbenchmark_main", "-lbenchmark", "-pthread"])

cc_library(
    name = "absl_synchronization",
    linkopts = [
        "-labsl_synchronization",
        "-labsl_graphcycles_internal",
        "-labsl_stacktrace",
        "-labsl_symbolize",
        "-labsl_time",
        "-labsl_time_zone",
        "-labsl_civil_time",
        "-labsl_int128",
        "-labsl_malloc_internal",
        "-labsl_debugging_internal",
        "-labsl_demangle_internal",
        "-labsl_base",
        "-labsl_spinlock_wait",
        "-labsl_raw_logging_internal",
        "-labsl_log_severity",
    ],
)

cc_library(name = "absl_strings", linkopts = ["-labsl_str_format_internal", "-labsl_strings", "-labsl_strings_internal", "-labsl_int128", "-labsl_throw_delegate", "-labsl_raw_logging_internal", "-labsl_base", "-labsl_spinlock_wait", "-labsl_log_severity"])
""")

system_libraries = repository_rule(
    implementation = _system_libraries_impl,
    local = True,
)
