#!/usr/bin/env python3
"""A real Docker Engine (Debian's docker.io) runs batchmount's rendered docker arguments, and
`batchmount-resolve --verify` reads the container's `docker inspect`: a correct container
conforms, a container given one extra --mount of the node root is flagged exposes_unselected,
and read-only paths on an engine before API 1.44 are refused or, when accepted, flagged
read_only_not_recursive; a probe inside each container agrees.

The test starts its own dockerd on a private socket, exec root and data root (storage
driver vfs, no iptables, no bridge; containers run with --network none), imports an image
made of Debian's static busybox (no registry), and stops the daemon by its pid and removes
its directories when done.
Usage: test_docker_engine.py PATH_TO_batchmount-resolve
Exit 77 (skipped) without root, dockerd, docker or busybox, unless CI=true, where that is a
failure."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from probe import DIRS, PROBE, read_probe, skip_or_fail  # noqa: E402

BINARY = None
IMAGE = "batchmount-probe:1"
TASK_ARGS = ["--job-id", "job", "--task-id", "task1"]


class Engine(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="bm-dk-", dir="/tmp")  # short: unix socket paths
        cls.socket = os.path.join(cls.tmp, "docker.sock")
        cls.env = dict(os.environ, DOCKER_HOST=f"unix://{cls.socket}")
        cls.log = open(os.path.join(cls.tmp, "dockerd.log"), "w")
        cls.daemon = subprocess.Popen(
            ["dockerd", "--host", f"unix://{cls.socket}", "--data-root", os.path.join(cls.tmp, "data"),
             "--exec-root", os.path.join(cls.tmp, "exec"), "--pidfile", os.path.join(cls.tmp, "docker.pid"),
             "--storage-driver", "vfs", "--iptables=false", "--ip6tables=false", "--bridge=none"],
            stdout=cls.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while True:
            p = subprocess.run(["docker", "version", "--format", "{{.Server.APIVersion}}"], env=cls.env,
                               capture_output=True, text=True)
            if p.returncode == 0:
                cls.api = p.stdout.strip()
                break
            if time.time() > deadline or cls.daemon.poll() is not None:
                cls.tearDownClass()
                raise RuntimeError("dockerd did not start: " + open(os.path.join(cls.tmp, "dockerd.log")).read()[-2000:])
            time.sleep(0.5)
        # An image of static busybox and the probe, imported from a directory.
        image = os.path.join(cls.tmp, "image")
        os.makedirs(os.path.join(image, "bin"))
        shutil.copy(shutil.which("busybox"), os.path.join(image, "bin", "busybox"))
        for tool in ("sh", "sed", "env", "touch", "rm", "cat", "ls", "pwd", "mkdir"):
            os.symlink("busybox", os.path.join(image, "bin", tool))
        with open(os.path.join(image, "probe.sh"), "w") as f:
            f.write(PROBE)
        os.chmod(os.path.join(image, "probe.sh"), 0o755)
        tar = subprocess.Popen(["tar", "-C", image, "-c", "."], stdout=subprocess.PIPE)
        subprocess.run(["docker", "import", "-", IMAGE], stdin=tar.stdout, env=cls.env, check=True,
                       capture_output=True)
        tar.stdout.close()
        tar.wait()
        # The node tree, a marker in every data path.
        cls.root = os.path.join(cls.tmp, "node")
        for rel in list(DIRS.values()) + ["workitems/job/job-1/task1/wd"]:
            os.makedirs(os.path.join(cls.root, rel), exist_ok=True)
        for rel in DIRS.values():
            with open(os.path.join(cls.root, rel, "marker"), "w") as f:
                f.write("x")
        cls.count = 0

    @classmethod
    def tearDownClass(cls):
        subprocess.run("docker ps -aq | xargs -r docker rm -f", shell=True, env=cls.env, capture_output=True)
        cls.daemon.send_signal(signal.SIGTERM)  # stopped by its pid, as it was started
        try:
            cls.daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            cls.daemon.kill()
            cls.daemon.wait()
        cls.log.close()
        subprocess.run(["umount", "-R", os.path.join(cls.tmp, "exec")], capture_output=True)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def resolve(self, body, *args):
        return subprocess.run([BINARY, "--node-root", self.root, *TASK_ARGS, "--docker-api-version", self.api, *args,
                               "-"], input=json.dumps(body).encode(), capture_output=True)

    def run_container(self, body, extra_run_args=(), extra_probe=(), resolve_args=()):
        """Runs the rendered arguments; returns (probe lines by kind, env, cwd, verify status, verify report)."""
        p = self.resolve(body, "--format", "docker-args", *resolve_args)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        args = p.stdout.decode().splitlines()
        type(self).count += 1
        name = f"batchmount-{os.getpid()}-{self.count}"
        probe_args = [f"{n}={os.path.join(self.root, rel)}" for n, rel in DIRS.items()] + list(extra_probe)
        run = subprocess.run(["docker", "run", "--name", name, "--network", "none", *args, *extra_run_args, IMAGE,
                              "/probe.sh", *probe_args], env=self.env, capture_output=True, timeout=120)
        self.assertEqual(run.returncode, 0, run.stderr.decode())
        inspect = os.path.join(self.tmp, f"{name}.json")
        with open(inspect, "wb") as f:
            f.write(subprocess.run(["docker", "inspect", name], env=self.env, capture_output=True, check=True).stdout)
        subprocess.run(["docker", "rm", name], env=self.env, capture_output=True)
        v = self.resolve(body, "--verify", inspect, "--format", "json", *resolve_args)
        self.assertIn(v.returncode, (0, 3), v.stderr.decode())
        seen, env, cwd, _ = read_probe(run.stdout.decode())
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


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv.pop(1))
    for tool, package in (("dockerd", "docker.io"), ("docker", "docker.io"), ("busybox", "busybox-static")):
        if shutil.which(tool) is None:
            skip_or_fail(f"{tool} is not installed (Debian: apt-get install {package})", "Docker Engine")
    if os.geteuid() != 0:
        skip_or_fail("dockerd needs root", "Docker Engine")
    unittest.main(verbosity=2)
