#!/usr/bin/env python3
"""The real docker CLI reads batchmount's --mount/--env/--workdir arguments into exactly the
ContainerCreate request batchmount's Engine API renderer produces. No engine is needed: a
capture endpoint on a unix socket records what the client sends.
Usage: test_docker_cli.py PATH_TO_batchmount-resolve
Exit 77 (skipped) without the docker CLI, unless CI=true, where that is a failure."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from docker_capture import CaptureEndpoint  # noqa: E402

BINARY = None
SKIP = 77


def normalized_mounts(mounts):
    """The client omits zero values (ReadOnly false, empty BindOptions): compare with them filled."""
    out = []
    for m in mounts or []:
        m = dict(m)
        m.setdefault("ReadOnly", False)
        if not m.get("BindOptions"):
            m.pop("BindOptions", None)
        out.append(m)
    return out


class DockerCli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="batchmount-docker-")
        self.socket = os.path.join(self.tmp, "docker.sock")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def resolve(self, body, *args):
        p = subprocess.run([BINARY, "--job-id", "job", "--task-id", "task1", *args, "-"],
                           input=json.dumps(body).encode(), capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        return p.stdout

    def captured_create(self, docker_args):
        env = dict(os.environ, DOCKER_HOST=f"unix://{self.socket}", DOCKER_CONFIG=self.tmp)
        with CaptureEndpoint(self.socket) as endpoint:
            p = subprocess.run(["docker", "run", *docker_args, "example/image:1", "true"],
                               env=env, capture_output=True, timeout=60)
        self.assertEqual(len(endpoint.bodies), 1, p.stderr.decode())
        self.assertIn(b"captured by the test endpoint", p.stderr)
        return endpoint.bodies[0]

    def check(self, body, *args):
        args_nul = self.resolve(body, *args, "--format", "docker-args", "-0")
        docker_args = [a.decode() for a in args_nul.split(b"\0")[:-1]]
        expected = json.loads(self.resolve(body, *args, "--format", "docker-api"))
        sent = self.captured_create(docker_args)
        self.assertEqual(normalized_mounts(sent["HostConfig"].get("Mounts")),
                         normalized_mounts(expected["HostConfig"]["Mounts"]))
        # The client may reorder Env (it round-trips it through its own option list); the
        # engine reads it as a set of distinct names, so compare it as one.
        self.assertEqual(sorted(sent.get("Env") or []), sorted(expected["Env"]))
        self.assertEqual(sent.get("WorkingDir", ""), expected.get("WorkingDir", ""))
        return sent, expected

    def test_task_read_only_and_shared_on_an_awkward_root(self):
        body = {"containerSettings": {"containerHostBatchBindMounts": [
            {"source": "Shared"}, {"source": "Task", "isReadOnly": True}]}}
        sent, expected = self.check(body, "--node-root", '/srv/node, "root" =x:y/tasks')
        self.assertEqual(sent["HostConfig"]["Mounts"][0]["Source"], '/srv/node, "root" =x:y/tasks/shared')
        self.assertTrue(sent["HostConfig"]["Mounts"][1]["BindOptions"]["ReadOnlyForceRecursive"])
        self.assertEqual(sent["WorkingDir"], '/srv/node, "root" =x:y/tasks/workitems/job/job-1/task1/wd')

    def test_null_list_and_env_file_values_with_commas_and_quotes(self):
        env_file = os.path.join(self.tmp, "host.env")
        with open(env_file, "w") as f:
            f.write("AZ_BATCH_NODE_ROOT_DIR=/mnt/batch/tasks\nPLAIN=a b,c\"d\n")
        self.check({"containerSettings": {"imageName": "x"}}, "--env-file", env_file)

    def test_empty_list_image_default(self):
        sent, _ = self.check({"containerSettings": {"containerHostBatchBindMounts": [],
                                                    "workingDirectory": "containerImageDefault"}})
        self.assertFalse(sent["HostConfig"].get("Mounts"))
        self.assertEqual(sent.get("WorkingDir", ""), "")

    def test_every_data_path_with_non_ascii(self):
        body = {"containerSettings": {"containerHostBatchBindMounts": [
            {"source": s, "isReadOnly": ro} for s, ro in
            [("Shared", False), ("Applications", True), ("Startup", True), ("VfsMounts", True),
             ("JobPrep", False), ("Task", False)]]}}
        self.check(body, "--node-root", "/srv/b\u00e4tch \u20ac/tasks", "--app-package", "app:1.0")


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv.pop(1))
    reason = None
    if shutil.which("docker") is None:
        reason = "the docker CLI is not installed"
    else:
        # --mount bind-recursive=readonly needs a docker CLI of version 25 or later.
        version = subprocess.run(["docker", "--version"], capture_output=True, text=True).stdout
        major = version.split("version ")[-1].split(".")[0] if "version " in version else ""
        if not major.isdigit() or int(major) < 25:
            reason = f"the docker CLI is older than 25 ({version.strip()}): it has no bind-recursive"
    if reason:
        if os.environ.get("CI") == "true":
            print(f"FAIL: {reason} (CI=true: the docker tests must run)")
            sys.exit(1)
        print(f"SKIP: {reason}")
        sys.exit(SKIP)
    unittest.main(verbosity=2)
