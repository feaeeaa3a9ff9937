#!/usr/bin/env python3
"""The real docker CLI reads batchmount's --mount/--env/--workdir arguments into exactly the
ContainerCreate request batchmount's Engine API renderer produces. No engine is needed for
that: a capture endpoint on a unix socket records what the client sends.

Every docker CLI on PATH is tried (Debian's docker.io is 20.10; other images add a newer one).
A CLI of version 25 or later has `--mount bind-recursive=readonly`. An older one is proven at
the level it allows: the arguments are rendered for its API version with non-recursive
read-only explicitly accepted, the capture shows that is what it sends, and on a private
Docker Engine (engine.py) a tmpfs submount under a read-only path takes a write inside the
container while `--verify` of its `docker inspect` reports exactly read_only_not_recursive.
Usage: test_docker_cli.py PATH_TO_batchmount-resolve
Exit 77 (skipped) without a docker CLI (or, for an older CLI, without dockerd, busybox or
root), unless CI=true, where that is a failure."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ left in the source tree
from docker_capture import CaptureEndpoint  # noqa: E402
from probe import DIRS, read_probe, skip_or_fail  # noqa: E402

BINARY = None
SUBMOUNT = "fsmounts/blob"  # a tmpfs inside fsmounts, like a blobfuse mount


def docker_clis():
    """Each docker CLI on PATH once (by real path), with its version's major and its API version."""
    seen, clis = set(), []
    for directory in os.environ.get("PATH", "").split(os.pathsep):
        path = os.path.join(directory, "docker")
        if not (os.path.isfile(path) and os.access(path, os.X_OK)) or os.path.realpath(path) in seen:
            continue
        seen.add(os.path.realpath(path))
        version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
        major = version.split("version ")[-1].split(".")[0] if "version " in version else ""
        # Without a daemon `docker version` fails, but still prints the client's part first.
        api = subprocess.run([path, "version", "--format", "{{.Client.APIVersion}}"], capture_output=True, text=True,
                             env=dict(os.environ, DOCKER_HOST="unix:///nonexistent/docker.sock")).stdout.strip()
        if major.isdigit() and api:
            clis.append((path, int(major), api))
    return clis


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


class DockerCli:
    """The capture checks for one CLI; subclassed once per CLI found (DOCKER, MAJOR, API set)."""
    DOCKER, MAJOR, API = "docker", 0, ""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="batchmount-docker-")
        self.socket = os.path.join(self.tmp, "docker.sock")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def level_args(self):
        """A CLI before 25 gets arguments for its own API version, non-recursive read-only accepted."""
        return [] if self.MAJOR >= 25 else ["--docker-api-version", self.API, "--accept-non-recursive-read-only"]

    def resolve(self, body, *args):
        p = subprocess.run([BINARY, "--job-id", "job", "--task-id", "task1", *self.level_args(), *args, "-"],
                           input=json.dumps(body).encode(), capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        return p.stdout

    def captured_create(self, docker_args):
        env = dict(os.environ, DOCKER_HOST=f"unix://{self.socket}", DOCKER_CONFIG=self.tmp)
        with CaptureEndpoint(self.socket) as endpoint:
            p = subprocess.run([self.DOCKER, "run", *docker_args, "example/image:1", "true"],
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
        task = sent["HostConfig"]["Mounts"][1]
        self.assertTrue(task["ReadOnly"])
        # Recursive where the CLI can say so; before 25 it cannot, and was told to accept that.
        self.assertEqual(task.get("BindOptions", {}).get("ReadOnlyForceRecursive", False), self.MAJOR >= 25)
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


class OlderCliOnAnEngine:
    """A CLI before 25 on a real engine: what it can render is read-only at the top only, and
    both the probe and verify say so."""
    DOCKER, API = "docker", ""

    @classmethod
    def setUpClass(cls):
        from engine import PrivateEngine
        cls.engine = PrivateEngine(docker=cls.DOCKER)
        cls.engine.mount_tmpfs(SUBMOUNT)

    @classmethod
    def tearDownClass(cls):
        cls.engine.stop()

    def resolve(self, body, *args):
        api = min((self.API, self.engine.api), key=lambda v: tuple(int(x) for x in v.split(".")))
        return subprocess.run([BINARY, "--node-root", self.engine.root, "--job-id", "job", "--task-id", "task1",
                               "--docker-api-version", api, *args, "-"], input=json.dumps(body).encode(),
                              capture_output=True)

    def test_submount_under_a_read_only_path_takes_a_write(self):
        from engine import IMAGE
        body = {"id": "task1", "containerSettings": {"imageName": IMAGE, "containerHostBatchBindMounts": [
            {"source": "VfsMounts", "isReadOnly": True}, {"source": "Task"}]}}
        refused = self.resolve(body, "--format", "docker-args")
        self.assertEqual(refused.returncode, 1, refused.stderr.decode())
        self.assertIn("before 1.44", refused.stderr.decode())
        p = self.resolve(body, "--format", "docker-args", "--accept-non-recursive-read-only")
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertIn("warning: ", p.stderr.decode())
        root = self.engine.root
        probe_args = [f"{n}={os.path.join(root, rel)}" for n, rel in DIRS.items()]
        output, inspect = self.engine.run_probe(p.stdout.decode().splitlines(),
                                                [*probe_args, f"Submount={os.path.join(root, SUBMOUNT)}"])
        seen, _, _, _ = read_probe(output)
        self.assertEqual(seen["visible"], {"VfsMounts", "Task", "Submount"})
        self.assertIn("VfsMounts", seen["readonly"])  # read-only at the top, as asked
        self.assertIn("Submount", seen["writable"])  # the submount below it is not
        v = self.resolve(body, "--verify", inspect, "--format", "json", "--accept-non-recursive-read-only")
        self.assertEqual(v.returncode, 3, v.stderr.decode())
        report = json.loads(v.stdout)
        self.assertEqual([x["class"] for x in report["violations"]], ["read_only_not_recursive"])


def load_tests(loader, standard_tests, pattern):
    suite = unittest.TestSuite()
    for index, (path, major, api) in enumerate(CLIS):
        name = f"Cli{index}_v{major}"
        fields = {"DOCKER": path, "MAJOR": major, "API": api}
        suite.addTests(loader.loadTestsFromTestCase(type(name, (DockerCli, unittest.TestCase), fields)))
        if major < 25:
            on_engine = type(name + "_engine", (OlderCliOnAnEngine, unittest.TestCase), fields)
            suite.addTests(loader.loadTestsFromTestCase(on_engine))
    return suite


CLIS = []

if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv.pop(1))
    CLIS = docker_clis()
    if not CLIS:
        skip_or_fail("the docker CLI is not installed (Debian: apt-get install docker.io)", "docker")
    for path, major, _ in CLIS:
        print(f"docker CLI {path}: version {major}")
    if any(major < 25 for _, major, _ in CLIS):
        for tool, package in (("dockerd", "docker.io"), ("busybox", "busybox-static")):
            if shutil.which(tool) is None:
                skip_or_fail(f"a docker CLI older than 25 is proven on an engine: {tool} is not installed "
                             f"(Debian: apt-get install {package})", "docker")
        if os.geteuid() != 0:
            skip_or_fail("a docker CLI older than 25 is proven on an engine, and dockerd needs root", "docker")
    unittest.main(verbosity=2)
