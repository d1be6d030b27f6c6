"""dependency_test: asserts whether a label occurs in a target's dependency graph.

Used to prove that the production ring (//ring/raw) never pulls in liburing,
and, as its control, that the liburing backend does.
"""

_DepsInfo = provider(fields = ["labels"])

def _collect_impl(target, ctx):
    transitive = []
    for attr in ["deps", "implementation_deps"]:
        for dep in getattr(ctx.rule.attr, attr, []):
            if _DepsInfo in dep:
                transitive.append(dep[_DepsInfo].labels)
    return [_DepsInfo(labels = depset([str(target.label)], transitive = transitive))]

_collect = aspect(implementation = _collect_impl, attr_aspects = ["deps", "implementation_deps"])

def _dependency_test_impl(ctx):
    labels = ctx.attr.target[_DepsInfo].labels.to_list()
    found = [label for label in labels if label in ctx.attr.labels]
    wanted = ctx.attr.expect_present
    ok = (len(found) == len(ctx.attr.labels)) if wanted else (len(found) == 0)
    verdict = "present" if wanted else "absent"
    lines = ["echo 'dependency graph of %s (%d targets):'" % (ctx.attr.target.label, len(labels))]
    for label in sorted(labels):
        lines.append("echo '  %s'" % label)
    lines.append("echo 'expected %s: %s; found: %s'" % (verdict, ", ".join(ctx.attr.labels), ", ".join(found) or "none"))
    lines.append("exit %d" % (0 if ok else 1))
    ctx.actions.write(ctx.outputs.executable, "#!/bin/sh\n" + "\n".join(lines) + "\n", is_executable = True)
    return [DefaultInfo(executable = ctx.outputs.executable)]

dependency_test = rule(
    implementation = _dependency_test_impl,
    test = True,
    attrs = {
        "target": attr.label(aspects = [_collect], mandatory = True),
        "labels": attr.string_list(mandatory = True),
        "expect_present": attr.bool(default = False),
    },
)
