"""merged_archive: one static archive from a set of cc_library targets.

Bazel 4 has no cc_static_library. This rule walks the link inputs of `deps`
(transitively), takes each library's position-independent archive (the PIC
objects link both into shared libraries and into PIE executables), and merges
them with an `ar -M` script into one archive: libiocp.a. It also provides the
archive as an alwayslink CcInfo, so a `cc_binary(linkshared = 1)` depending on
it links every object (every exported Win32 function), whether or not anything
in the link refers to it.

Libraries from other repositories (@system: liburing, gtest, ...) carry only
link options; they are never merged, and a dependency on liburing is an error.
"""

load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")

def _archive_of(library):
    if library.pic_static_library != None:
        return library.pic_static_library
    return library.static_library

def _merged_archive_impl(ctx):
    archives = []
    seen = {}
    link_flags = []
    for dep in ctx.attr.deps:
        for linker_input in dep[CcInfo].linking_context.linker_inputs.to_list():
            for flag in linker_input.user_link_flags:
                if "uring" in flag:
                    fail("%s links %s: the installed library must not need liburing" %
                         (linker_input.owner, flag))
                if flag not in link_flags:
                    link_flags.append(flag)
            if linker_input.owner.workspace_name != "":
                continue
            for library in linker_input.libraries:
                archive = _archive_of(library)
                if archive == None:
                    if library.pic_objects or library.objects:
                        fail("%s has objects but no archive" % linker_input.owner)
                    continue
                if archive.path not in seen:
                    seen[archive.path] = True
                    archives.append(archive)

    cc_toolchain = find_cpp_toolchain(ctx)
    out = ctx.outputs.out
    script = ctx.actions.declare_file(ctx.label.name + ".mri")
    lines = ["CREATE " + out.path]
    lines += ["ADDLIB " + a.path for a in archives]
    lines += ["SAVE", "END"]
    ctx.actions.write(script, "\n".join(lines) + "\n")
    ctx.actions.run_shell(
        inputs = depset([script] + archives, transitive = [cc_toolchain.all_files]),
        outputs = [out],
        command = 'rm -f "$2" && "$1" -M < "$3" && "$1" s "$2"',
        arguments = [cc_toolchain.ar_executable, out.path, script.path],
        mnemonic = "MergeArchives",
        progress_message = "Merging %d archives into %s" % (len(archives), out.short_path),
    )

    feature_configuration = cc_common.configure_features(
        ctx = ctx,
        cc_toolchain = cc_toolchain,
        requested_features = ctx.features,
        unsupported_features = ctx.disabled_features,
    )
    library = cc_common.create_library_to_link(
        actions = ctx.actions,
        feature_configuration = feature_configuration,
        cc_toolchain = cc_toolchain,
        static_library = out,
        pic_static_library = out,
        alwayslink = True,
    )
    linker_input = cc_common.create_linker_input(
        owner = ctx.label,
        libraries = depset([library]),
        user_link_flags = depset(link_flags),
    )
    return [
        DefaultInfo(files = depset([out])),
        CcInfo(linking_context = cc_common.create_linking_context(
            linker_inputs = depset([linker_input]),
        )),
        OutputGroupInfo(mri_script = depset([script])),
    ]

merged_archive = rule(
    implementation = _merged_archive_impl,
    attrs = {
        "deps": attr.label_list(providers = [CcInfo], mandatory = True),
        "out": attr.output(mandatory = True),
        "_cc_toolchain": attr.label(default = "@bazel_tools//tools/cpp:current_cc_toolchain"),
    },
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
    fragments = ["cpp"],
    incompatible_use_toolchain_transition = True,
)
