"""What the runtime proofs share: the node tree's data paths, the probe that runs inside a
container, how its output is read, and how a proof skips (or, under CI=true, fails)."""
import os
import sys

SKIP = 77

# Data path -> directory under the node root (job "job", task "task1", job prep "jobpreparation").
DIRS = {
    "Shared": "shared",
    "Applications": "applications",
    "Startup": "startup",
    "VfsMounts": "fsmounts",
    "JobPrep": "workitems/job/job-1/jobpreparation",
    "Task": "workitems/job/job-1/task1",
}

# Arguments NAME=PATH: whether PATH/marker is visible, and whether PATH takes a write; then
# the working directory, whether it takes a write, and the environment.
PROBE = r"""#!/bin/sh
for d in "$@"; do
  name=${d%%=*}; path=${d#*=}
  if [ -e "$path/marker" ]; then echo "visible $name"; else echo "hidden $name"; fi
  if [ -e "$path/marker" ]; then
    if touch "$path/probe-write" 2>/dev/null; then echo "writable $name"; rm -f "$path/probe-write"
    else echo "readonly $name"; fi
  fi
done
echo "cwd $(pwd)"
if touch ./probe-cwd 2>/dev/null; then echo "cwd-writable yes"; rm -f ./probe-cwd; else echo "cwd-writable no"; fi
env | sed 's/^/env /'
"""


def read_probe(output):
    """({visible|hidden|writable|readonly: set of names}, env dict, cwd, cwd writable)."""
    seen = {"visible": set(), "hidden": set(), "writable": set(), "readonly": set()}
    env, cwd, cwd_writable = {}, None, None
    for line in output.splitlines():
        kind, _, rest = line.partition(" ")
        if kind in seen:
            seen[kind].add(rest)
        elif kind == "env":
            name, _, value = rest.partition("=")
            env[name] = value
        elif kind == "cwd":
            cwd = rest
        elif kind == "cwd-writable":
            cwd_writable = rest == "yes"
    return seen, env, cwd, cwd_writable


def skip_or_fail(reason, what):
    if os.environ.get("CI") == "true":
        print(f"FAIL: {reason} (CI=true: the {what} tests must run)")
        sys.exit(1)
    print(f"SKIP: {reason}")
    sys.exit(SKIP)
