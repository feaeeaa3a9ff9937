#!/usr/bin/env python3
"""A real containerd (Debian's containerd 1.6, with runc) runs batchmount's CRI rendering, and
`batchmount-resolve --verify` reads the container's `crictl inspect` document: a read/write
selection conforms; a read-only one is refused for this runtime (before containerd 2.0) or,
when accepted, flagged read_only_not_recursive, and a probe inside shows that a submount below
it really takes a write; a container given one extra mount of the node root is flagged
exposes_unselected. The probe inside each container checks what it sees: the selected paths
with their modes, the others absent, the environment and the working directory.

The test starts its own containerd (containerd.py: a private root, state, sockets and runc
root; a host-network pod, so no CNI; an image made of Debian's static busybox), talks CRI to
it through stubs compiled at test time, and stops it by its pid and removes everything.
Usage: test_containerd.py PATH_TO_batchmount-resolve
Runs under /usr/bin/python3 (Debian's python3-grpcio). Exit 77 (skipped) without root,
containerd, runc, ctr, busybox, protoc, grpc_python_plugin or python3-grpcio, unless CI=true,
where that is a failure."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
from probe import DIRS, read_probe, skip_or_fail  # noqa: E402

BINARY = None
TASK_ARGS = ["--job-id", "job", "--task-id", "task1"]


class Containerd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from containerd import PrivateContainerd
        cls.ctrd = PrivateContainerd()
        cls.root = cls.ctrd.root
        cls.version = cls.ctrd.version.runtime_version

    @classmethod
    def tearDownClass(cls):
        cls.ctrd.stop()

    def resolve(self, body, *args):
        return subprocess.run([BINARY, "--node-root", self.root, *TASK_ARGS, "--cri-runtime-version", self.version,
                               *args, "-"], input=json.dumps(body).encode(), capture_output=True)

    def run_container(self, body, resolve_args=(), extra_mounts=(), extra_probe=()):
        """Runs the probe in a container made from the CRI rendering; returns (probe lines by
        kind, env, cwd, cwd writable, the inspect document, verify status, verify report)."""
        p = self.resolve(body, "--format", "cri", *resolve_args)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        config = self.ctrd.config_from_json(p.stdout.decode())
        mounts = [self.ctrd.pb.Mount(container_path=c, host_path=h) for c, h in extra_mounts]
        probe_args = [f"{n}={os.path.join(self.root, rel)}" for n, rel in DIRS.items()] + list(extra_probe)
        output, inspect = self.ctrd.run_probe(config, probe_args, mounts)
        with tempfile.NamedTemporaryFile("w", suffix=".json", dir=self.ctrd.tmp, delete=False) as f:
            json.dump(inspect, f)
        v = self.resolve(body, "--verify", f.name, "--format", "json", *resolve_args)
        self.assertIn(v.returncode, (0, 3), v.stderr.decode())
        seen, env, cwd, cwd_writable = read_probe(output)
        return seen, env, cwd, cwd_writable, inspect, v.returncode, json.loads(v.stdout)

    TASK = {"id": "task1", "containerSettings": {"imageName": "probe", "containerHostBatchBindMounts": [
        {"source": "Shared"}, {"source": "Task"}]}}

    def test_read_write_selection_conforms(self):
        seen, env, cwd, cwd_writable, inspect, status, report = self.run_container(self.TASK)
        self.assertEqual((status, report["violations"], report["processChecked"]), (0, [], True))
        self.assertEqual(seen["visible"], {"Shared", "Task"})
        self.assertEqual(seen["hidden"], {"Applications", "Startup", "VfsMounts", "JobPrep"})
        self.assertEqual(seen["writable"], {"Shared", "Task"})
        task = os.path.join(self.root, DIRS["Task"])
        self.assertEqual((cwd, cwd_writable), (os.path.join(task, "wd"), True))
        self.assertEqual(env["AZ_BATCH_TASK_DIR"], task)
        self.assertEqual(env["AZ_BATCH_NODE_SHARED_DIR"], os.path.join(self.root, DIRS["Shared"]))
        for gone in ("AZ_BATCH_NODE_STARTUP_DIR", "AZ_BATCH_JOB_PREP_DIR", "AZ_BATCH_APP_PACKAGE"):
            self.assertFalse(any(n.startswith(gone) for n in env), gone)
        # The runtime really generated binds, read/write, private.
        spec_mounts = {m["destination"]: m for m in inspect["info"]["runtimeSpec"]["mounts"]}
        self.assertIn("rw", spec_mounts[task]["options"])
        self.assertIn("rprivate", spec_mounts[task]["options"])

    def test_read_only_on_this_runtime(self):
        body = {"id": "task1", "containerSettings": {"imageName": "probe", "containerHostBatchBindMounts": [
            {"source": "VfsMounts", "isReadOnly": True}, {"source": "Task"}]}}
        self.assertTrue(self.version.startswith("1."), f"this proof is written for containerd 1.x, got {self.version}")
        refused = self.resolve(body, "--format", "cri")
        self.assertEqual(refused.returncode, 1)
        self.assertIn("before containerd 2.0", refused.stderr.decode())
        self.assertEqual(refused.stdout, b"")
        accepted = self.resolve(body, "--format", "cri", "--accept-non-recursive-read-only")
        self.assertIn("warning: ", accepted.stderr.decode())
        self.assertNotIn("recursiveReadOnly", accepted.stdout.decode())
        self.ctrd.mount_tmpfs(os.path.join(DIRS["VfsMounts"], "blob"))
        seen, _, _, _, inspect, status, report = self.run_container(
            body, ["--accept-non-recursive-read-only"], extra_probe=["Submount=" + os.path.join(
                self.root, DIRS["VfsMounts"], "blob")])
        self.assertEqual(status, 3)
        self.assertEqual([v["class"] for v in report["violations"]], ["read_only_not_recursive"])
        self.assertEqual(report["violations"][0]["dataPath"], "VfsMounts")
        self.assertIn("VfsMounts", seen["readonly"])  # read-only at the top, as asked
        self.assertIn("Submount", seen["writable"])  # and the submount below it takes a write
        fsmounts = os.path.join(self.root, DIRS["VfsMounts"])
        options = {m["destination"]: m["options"] for m in inspect["info"]["runtimeSpec"]["mounts"]}[fsmounts]
        self.assertIn("ro", options)
        self.assertNotIn("rro", options)

    def test_extra_mount_of_the_node_root_is_flagged(self):
        seen, _, _, _, _, status, report = self.run_container(
            self.TASK, extra_mounts=[("/node", self.root)], extra_probe=["Exposed=/node/startup"])
        self.assertEqual(status, 3)
        self.assertEqual([v["class"] for v in report["violations"]], ["exposes_unselected"])
        self.assertIn("Exposed", seen["visible"])  # Startup, not selected, readable in the container

    def test_status_alone_checks_the_mounts(self):
        _, _, _, _, inspect, _, _ = self.run_container(self.TASK)
        with tempfile.NamedTemporaryFile("w", suffix=".json", dir=self.ctrd.tmp, delete=False) as f:
            json.dump({"status": inspect["status"]}, f)
        v = self.resolve(self.TASK, "--verify", f.name, "--format", "json")
        self.assertEqual(v.returncode, 0, v.stdout.decode() + v.stderr.decode())
        report = json.loads(v.stdout)
        self.assertEqual((report["violations"], report["processChecked"]), ([], False))


def missing():
    """Why the proof cannot run here, or None."""
    for tool, package in (("containerd", "containerd"), ("ctr", "containerd"), ("runc", "runc"),
                          ("busybox", "busybox-static"), ("protoc", "protobuf-compiler"),
                          ("grpc_python_plugin", "protobuf-compiler-grpc")):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian: apt-get install {package})"
    try:
        import grpc  # noqa: F401
        import google.protobuf  # noqa: F401
    except ImportError:
        return f"{sys.executable} cannot import grpc (Debian: apt-get install python3-grpcio, run by /usr/bin/python3)"
    if os.geteuid() != 0:
        return "containerd needs root"
    return None


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv.pop(1))
    reason = missing()
    if reason:
        skip_or_fail(reason, "containerd")
    unittest.main(verbosity=2)
