#!/usr/bin/env python3
"""A real Docker Engine (Debian's docker.io) runs batchmount's rendered docker arguments, and
`batchmount-resolve --verify` reads the container's `docker inspect`: a correct container
conforms, a container given one extra --mount of the node root is flagged exposes_unselected,
and read-only paths on an engine before API 1.44 are refused or, when accepted, flagged
read_only_not_recursive; containerRunOptions that mount the node root are refused before
anything runs, or, accepted, run (the probe reads an unselected directory through them) and
verify as an accepted exposure and nothing else; harmless run options run with no finding; a
probe inside each container agrees.

The test starts its own dockerd (engine.py: a private socket, exec root, data root and
containerd namespace; storage driver vfs, no iptables, no bridge; containers run with
--network none), imports an image made of Debian's static busybox (no registry), and stops
the daemon by its pid and removes its directories when done.
Usage: test_docker_engine.py PATH_TO_batchmount-resolve
Exit 77 (skipped) without root, dockerd, docker or busybox, unless CI=true, where that is a
failure."""
import json
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
from engine import IMAGE, PrivateEngine  # noqa: E402
from probe import DIRS, read_probe, skip_or_fail  # noqa: E402

BINARY = None
TASK_ARGS = ["--job-id", "job", "--task-id", "task1"]


class Engine(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.engine = PrivateEngine()
        cls.root, cls.api, cls.tmp = cls.engine.root, cls.engine.api, cls.engine.tmp

    @classmethod
    def tearDownClass(cls):
        cls.engine.stop()

    def resolve(self, body, *args):
        return subprocess.run([BINARY, "--node-root", self.root, *TASK_ARGS, "--docker-api-version", self.api, *args,
                               "-"], input=json.dumps(body).encode(), capture_output=True)

    def run_container(self, body, extra_run_args=(), extra_probe=(), resolve_args=()):
        """Runs the rendered arguments; returns (probe lines by kind, env, cwd, verify status, verify report)."""
        p = self.resolve(body, "--format", "docker-args", *resolve_args)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        args = p.stdout.decode().splitlines()
        probe_args = [f"{n}={os.path.join(self.root, rel)}" for n, rel in DIRS.items()] + list(extra_probe)
        output, inspect = self.engine.run_probe([*args, *extra_run_args], probe_args)
        v = self.resolve(body, "--verify", inspect, "--format", "json", *resolve_args)
        self.assertIn(v.returncode, (0, 3), v.stderr.decode())
        seen, env, cwd, _ = read_probe(output)
        return seen, env, cwd, v.returncode, json.loads(v.stdout)

    SHARED_TASK = {"id": "task1", "containerSettings": {"imageName": IMAGE, "containerHostBatchBindMounts": [
        {"source": "Shared"}, {"source": "Task"}]}}

    def test_rendered_container_conforms(self):
        seen, env, cwd, status, report = self.run_container(self.SHARED_TASK)
        self.assertEqual((status, report["violations"]), (0, []))
        self.assertEqual(seen["visible"], {"Shared", "Task"})
        self.assertEqual(seen["writable"], {"Shared", "Task"})
        self.assertEqual(cwd, os.path.join(self.root, DIRS["Task"], "wd"))
        self.assertEqual(env["AZ_BATCH_TASK_DIR"], os.path.join(self.root, DIRS["Task"]))
        self.assertNotIn("AZ_BATCH_NODE_STARTUP_DIR", env)

    def test_extra_mount_of_the_node_root_is_flagged(self):
        seen, _, _, status, report = self.run_container(
            self.SHARED_TASK, ["--mount", f"type=bind,source={self.root},target=/node"], ["Exposed=/node/startup"])
        self.assertEqual(status, 3)
        self.assertEqual([v["class"] for v in report["violations"]], ["exposes_unselected"])
        self.assertIn("Exposed", seen["visible"])  # Startup, not selected, readable in the container

    def test_read_only_on_this_engine(self):
        body = {"id": "task1", "containerSettings": {"imageName": IMAGE, "containerHostBatchBindMounts": [
            {"source": "Task", "isReadOnly": True}]}}
        major, minor = (int(x) for x in self.api.split("."))
        if (major, minor) >= (1, 44):
            seen, _, _, status, report = self.run_container(body)
            self.assertEqual((status, report["violations"]), (0, []))
            self.assertEqual(seen["readonly"], {"Task"})
            return
        refused = self.resolve(body, "--format", "docker-args")
        self.assertEqual(refused.returncode, 1)
        self.assertIn("before 1.44", refused.stderr.decode())
        accepted = self.resolve(body, "--format", "docker-args", "--accept-non-recursive-read-only")
        self.assertIn("warning: ", accepted.stderr.decode())
        seen, _, _, status, report = self.run_container(body, resolve_args=["--accept-non-recursive-read-only"])
        self.assertEqual(status, 3)
        self.assertEqual([v["class"] for v in report["violations"]], ["read_only_not_recursive"])
        self.assertEqual(seen["readonly"], {"Task"})  # read-only at the top, as asked


    def with_run_options(self, options):
        return {"id": "task1", "containerSettings": {"imageName": IMAGE, "containerRunOptions": options,
                                                     "containerHostBatchBindMounts": [{"source": "Task"}]}}

    def test_run_options_that_mount_the_node_root(self):
        body = self.with_run_options(f"-v {self.root}:/n")
        refused = self.resolve(body, "--format", "docker-args")
        self.assertEqual((refused.returncode, refused.stdout), (1, b""))  # refused before anything runs
        self.assertIn("containerRunOptions must not bind", refused.stderr.decode())
        accept = ["--accept-run-option-exposure"]
        accepted = self.resolve(body, "--format", "docker-args", *accept)
        self.assertEqual(accepted.stdout.decode().splitlines()[-2:], ["-v", f"{self.root}:/n"])
        seen, _, _, status, report = self.run_container(body, extra_probe=["Exposed=/n/startup"], resolve_args=accept)
        self.assertIn("Exposed", seen["visible"])  # Startup, not selected, read through the run option's mount
        self.assertEqual(seen["visible"] - {"Exposed"}, {"Task"})
        self.assertEqual((status, report["violations"]), (0, []))
        self.assertEqual([m["containerPath"] for m in report["acceptedExposures"]], ["/n"])
        # The same container verified without accepting: the run option's mount is a violation.
        inspect = self.engine.run_probe(accepted.stdout.decode().splitlines(), [])[1]
        plain = {"id": "task1", "containerSettings": {"imageName": IMAGE, "containerHostBatchBindMounts": [{"source": "Task"}]}}
        v = self.resolve(plain, "--verify", inspect, "--format", "json")
        self.assertEqual(v.returncode, 3)
        self.assertEqual([x["class"] for x in json.loads(v.stdout)["violations"]], ["exposes_unselected"])

    def test_harmless_run_options_run_with_no_finding(self):
        body = self.with_run_options("--rm --cpus 1 --memory 64m -e X=1")
        p = self.resolve(body, "--format", "docker-args")
        self.assertEqual((p.returncode, p.stderr), (0, b""))
        report = json.loads(self.resolve(body).stdout)
        self.assertEqual((report["runOptions"], report["runOptionsOutsideScope"]), ([], []))
        probe_args = [f"{n}={os.path.join(self.root, rel)}" for n, rel in DIRS.items()]
        output, _ = self.engine.run_probe(p.stdout.decode().splitlines(), probe_args, inspect=False)
        seen, env, _, _ = read_probe(output)
        self.assertEqual(seen["visible"], {"Task"})
        self.assertEqual(env["X"], "1")


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv.pop(1))
    for tool, package in (("dockerd", "docker.io"), ("docker", "docker.io"), ("busybox", "busybox-static")):
        if shutil.which(tool) is None:
            skip_or_fail(f"{tool} is not installed (Debian: apt-get install {package})", "Docker Engine")
    if os.geteuid() != 0:
        skip_or_fail("dockerd needs root", "Docker Engine")
    unittest.main(verbosity=2)
