#!/usr/bin/env python3
"""Isolation proven in a real runtime: for each request, build a throwaway node tree, render
an OCI bundle with batchmount-resolve, run a probe in it with runc, and check what the
container sees, can write, and has in its environment.
Usage: test_runc.py PATH_TO_batchmount-resolve
Exit 77 (skipped) without runc or root, unless CI=true, where that is a failure."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from probe import DIRS, PROBE, read_probe, skip_or_fail  # noqa: E402

BINARY = None
SUBMOUNT = "fsmounts/blob"  # a tmpfs mounted inside fsmounts, like a blobfuse mount
# Working directories of the kinds the scenarios run (multi-instance subtask 1 of task1).
WORKING = ["startup/wd", "workitems/job/job-1/task1/wd", "workitems/job/job-1/task1/1/wd",
           "workitems/job/job-1/jobpreparation/wd"]
TASK_ARGS = ["--job-id", "job", "--task-id", "task1"]


class Bundle(unittest.TestCase):
    """A throwaway node tree, bundles rendered by batchmount-resolve, and a probe inside."""
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="batchmount-runc-")
        cls.root = os.path.join(cls.tmp, "node root, x")
        for rel in list(DIRS.values()) + WORKING + ["applications/app1", SUBMOUNT]:
            os.makedirs(os.path.join(cls.root, rel), exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", os.path.join(cls.root, SUBMOUNT)],
                       check=True)
        for rel in list(DIRS.values()) + [SUBMOUNT]:
            with open(os.path.join(cls.root, rel, "marker"), "w") as f:
                f.write("x")
        cls.count = 0

    @classmethod
    def tearDownClass(cls):
        subprocess.run(["umount", "-l", os.path.join(cls.root, SUBMOUNT)], check=False)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def resolve(self, body, fmt, args):
        p = subprocess.run([BINARY, "--node-root", self.root, "--app-package", "app:1", *args, "--format", fmt, "-"],
                           input=json.dumps(body).encode(), capture_output=True)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        return json.loads(p.stdout)

    def verify(self, args, body, config_path):
        """batchmount-resolve --verify on a bundle's config.json: (exit status, report)."""
        p = subprocess.run([BINARY, "--node-root", self.root, "--app-package", "app:1", *args, "--format", "json",
                            "--verify", config_path, "-"], input=json.dumps(body).encode(), capture_output=True)
        self.assertIn(p.returncode, (0, 3), p.stderr.decode())
        return p.returncode, json.loads(p.stdout)

    def run_probe(self, body, args, mutate=None, extra_probe=(), verdict=None):
        """Returns (report, {line kind: set of names}, env dict, cwd, cwd writable) from inside runc.
        `mutate(config)` breaks the bundle before it runs; `verdict` (a list) receives what
        --verify says of the bundle that ran."""
        report = self.resolve(body, "json", args)
        oci = self.resolve(body, "oci", args)
        type(self).count += 1
        bundle = os.path.join(self.tmp, f"bundle{self.count}")
        rootfs = os.path.join(bundle, "rootfs")
        os.makedirs(os.path.join(rootfs, "usr"))
        for link in ("bin", "lib", "lib64", "sbin"):
            os.symlink(f"usr/{link}", os.path.join(rootfs, link))
        with open(os.path.join(rootfs, "probe.sh"), "w") as f:
            f.write(PROBE)
        os.chmod(os.path.join(rootfs, "probe.sh"), 0o755)
        subprocess.run(["runc", "spec"], cwd=bundle, check=True)
        with open(os.path.join(bundle, "config.json")) as f:
            config = json.load(f)
        # This machine's runc runs a `runc spec` bundle once the cgroup mount and the
        # resource limits are gone.
        config["mounts"] = [m for m in config["mounts"] if m["type"] != "cgroup"]
        config["linux"].pop("resources", None)
        config["root"] = {"path": "rootfs", "readonly": True}
        config["mounts"].append({"destination": "/usr", "type": "bind", "source": "/usr",
                                 "options": ["rbind", "ro"]})
        config["mounts"] += oci["mounts"]
        probe_args = [f"{name}={os.path.join(self.root, rel)}" for name, rel in DIRS.items()]
        probe_args.append(f"Submount={os.path.join(self.root, SUBMOUNT)}")
        probe_args += list(extra_probe)
        env = list(oci["process"]["env"])
        if not any(e.startswith("PATH=") for e in env):
            env.insert(0, "PATH=/usr/bin:/bin")
        config["process"].update({
            "terminal": False,
            "args": ["/probe.sh", *probe_args],
            "env": env,
            "cwd": oci["process"].get("cwd", "/"),
        })
        if mutate:
            mutate(config)
        with open(os.path.join(bundle, "config.json"), "w") as f:
            json.dump(config, f)
        status, verified = self.verify(args, body, os.path.join(bundle, "config.json"))
        if verdict is not None:
            verdict += [status, verified]
        else:  # a bundle rendered by batchmount verifies clean
            self.assertEqual((status, verified["violations"]), (0, []))
            self.assertEqual([m["hostPath"] for m in verified["outsideScope"]], ["/usr"])
        p = subprocess.run(["runc", "run", f"batchmount-test-{os.getpid()}-{self.count}"], cwd=bundle,
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        seen, env, cwd, cwd_writable = read_probe(p.stdout.decode())
        return report, seen, env, cwd, cwd_writable

    def check(self, body, visible, readonly, cwd_rel, args=TASK_ARGS, user=()):
        report, seen, env, cwd, cwd_writable = self.run_probe(body, args)
        everything = set(DIRS) | {"Submount"}
        self.assertEqual(seen["visible"], set(visible))
        self.assertEqual(seen["hidden"], everything - set(visible))
        self.assertEqual(seen["readonly"], set(readonly))
        self.assertEqual(seen["writable"], set(visible) - set(readonly))
        for name in report["removedEnvironment"]:
            if name in ("HOME", "PWD"):  # removed: the runtime's default applies
                self.assertFalse(env.get(name, "/").startswith(self.root), (name, env.get(name)))
            else:
                self.assertNotIn(name, env)
        for name, value in report["environment"].items():
            self.assertEqual(env.get(name), value)
        self.assertEqual(cwd, os.path.join(self.root, cwd_rel) if cwd_rel else "/")
        if cwd_rel is not None:  # the task's working directory takes writes unless mounted read-only
            self.assertEqual(cwd_writable, not any(cwd_rel.startswith(DIRS[name]) for name in readonly))
        # The invariant: no variable Batch sets names a host directory the container cannot
        # see (the node root's own variable aside; the user's own variables are warned about).
        seen_dirs = [os.path.join(self.root, DIRS[name]) for name in seen["visible"] if name in DIRS]
        for name, value in env.items():
            if name == "AZ_BATCH_NODE_ROOT_DIR" or name in user:
                continue
            for entry in value.split(":"):
                if entry.startswith(self.root + "/"):
                    self.assertTrue(any(entry == d or entry.startswith(d + "/") for d in seen_dirs), (name, entry))
        return report, env

class Runc(Bundle):
    def test_start_task_selecting_only_startup(self):
        report, env = self.check({"startTask": {"commandLine": "x", "containerSettings": {
            "imageName": "x", "workingDirectory": "taskWorkingDirectory",
            "containerHostBatchBindMounts": [{"source": "Startup"}]}}},
            visible={"Startup"}, readonly=set(), cwd_rel="startup/wd", args=[])
        self.assertEqual(env["AZ_BATCH_TASK_DIR"], os.path.join(self.root, "startup"))
        self.assertEqual(env["HOME"], os.path.join(self.root, "startup/wd"))
        self.assertNotIn("AZ_BATCH_JOB_ID", env)

    def test_job_preparation_task(self):
        report, env = self.check({"id": "job", "jobPreparationTask": {"commandLine": "x", "containerSettings": {
            "imageName": "x", "containerHostBatchBindMounts": [{"source": "Task"}, {"source": "Shared", "isReadOnly": True}]}}},
            visible={"JobPrep", "Shared"}, readonly={"Shared"}, cwd_rel="workitems/job/job-1/jobpreparation/wd",
            args=[])
        self.assertEqual(len(report["mounts"]), 2)  # Task and JobPrep are one directory, one mount
        self.assertEqual(env["AZ_BATCH_TASK_DIR"], os.path.join(self.root, DIRS["JobPrep"]))
        self.assertNotIn("AZ_BATCH_JOB_PREP_DIR", env)

    def test_multi_instance_subtask(self):
        report, env = self.check({"id": "task1", "multiInstanceSettings": {"numberOfInstances": 2}, "containerSettings": {
            "imageName": "x", "containerHostBatchBindMounts": [{"source": "Task"}]}},
            visible={"Task"}, readonly=set(), cwd_rel="workitems/job/job-1/task1/1/wd",
            args=["--job-id", "job", "--subtask", "1"])
        self.assertEqual(env["AZ_BATCH_TASK_SHARED_DIR"], os.path.join(self.root, DIRS["Task"]))
        self.assertEqual(env["AZ_BATCH_TASK_DIR"], os.path.join(self.root, DIRS["Task"], "1"))
        self.assertEqual(env["AZ_BATCH_IS_CURRENT_NODE_MASTER"], "false")

    def test_home_and_path_into_unmounted_shared(self):
        shared = os.path.join(self.root, "shared")
        with tempfile.NamedTemporaryFile("w", suffix=".env", delete=False) as f:
            f.write(f"HOME={shared}/home\nPATH=/usr/bin:{shared}/bin:/bin\nAZ_BATCH_NODE_SHARED_DIR={shared}\n"
                    f"MY_INPUT={shared}/in\n")
        try:
            report, env = self.check({"id": "task1", "containerSettings": {"imageName": "x",
                                      "containerHostBatchBindMounts": [{"source": "Task"}]}},
                                     visible={"Task"}, readonly=set(), cwd_rel="workitems/job/job-1/task1/wd",
                                     args=[*TASK_ARGS, "--env-file", f.name], user=("MY_INPUT",))
        finally:
            os.unlink(f.name)
        self.assertIn("HOME", report["removedEnvironment"])
        self.assertEqual(env["HOME"], "/")  # runc's default, not the host's directory
        self.assertEqual(env["PATH"], "/usr/bin:/bin")
        self.assertEqual(env["MY_INPUT"], f"{shared}/in")  # the user's own: kept, and warned about
        self.assertTrue(any(w.startswith("MY_INPUT names a path inside Shared") for w in report["warnings"]))

    def test_null_list_mounts_the_whole_root_read_write(self):
        self.check({"id": "task1", "containerSettings": {"imageName": "x"}},
                   visible=set(DIRS) | {"Submount"}, readonly=set(), cwd_rel="workitems/job/job-1/task1/wd")

    def test_empty_list_mounts_nothing(self):
        report, _ = self.check({"containerSettings": {"containerHostBatchBindMounts": [],
                                                      "workingDirectory": "containerImageDefault"}},
                               visible=set(), readonly=set(), cwd_rel=None)
        self.assertIn("AZ_BATCH_TASK_DIR", report["removedEnvironment"])

    def test_task_read_only(self):
        report, _ = self.check({"containerSettings": {"containerHostBatchBindMounts": [{"source": "Task", "isReadOnly": True}]}},
                               visible={"Task"}, readonly={"Task"}, cwd_rel="workitems/job/job-1/task1/wd")
        self.assertIn("AZ_BATCH_NODE_SHARED_DIR", report["removedEnvironment"])
        self.assertIn("AZ_BATCH_APP_PACKAGE_app_1", report["removedEnvironment"])

    def test_shared_and_task(self):
        self.check({"containerSettings": {"containerHostBatchBindMounts": [{"source": "Shared"}, {"source": "Task"}]}},
                   visible={"Shared", "Task"}, readonly=set(), cwd_rel="workitems/job/job-1/task1/wd")

    def test_vfs_mounts_read_only_covers_the_submount(self):
        self.check({"containerSettings": {"containerHostBatchBindMounts": [{"source": "VfsMounts", "isReadOnly": True}],
                                          "workingDirectory": "containerImageDefault"}},
                   visible={"VfsMounts", "Submount"}, readonly={"VfsMounts", "Submount"}, cwd_rel=None)

    def test_job_prep(self):
        report, _ = self.check({"containerSettings": {"containerHostBatchBindMounts": [{"source": "JobPrep", "isReadOnly": True},
                                                                                       {"source": "Task"}]}},
                               visible={"JobPrep", "Task"}, readonly={"JobPrep"}, cwd_rel="workitems/job/job-1/task1/wd")
        self.assertIn("AZ_BATCH_JOB_PREP_DIR", report["environment"])

    def test_applications(self):
        report, _ = self.check({"containerSettings": {"containerHostBatchBindMounts": [{"source": "Applications", "isReadOnly": True}],
                                                      "workingDirectory": "containerImageDefault"}},
                               visible={"Applications"}, readonly={"Applications"}, cwd_rel=None)
        self.assertEqual(report["environment"]["AZ_BATCH_APP_PACKAGE_app_1"],
                         os.path.join(self.root, "applications/app1"))


class Verify(Bundle):
    """--verify against real bundles: six broken each way, each flagged with exactly its class,
    and the probe inside shows the problem is real."""
    TASK_RO = {"containerSettings": {"containerHostBatchBindMounts": [{"source": "Task", "isReadOnly": True}]}}
    VFS_RO = {"containerSettings": {"containerHostBatchBindMounts": [{"source": "VfsMounts", "isReadOnly": True},
                                                                     {"source": "Task"}]}}
    SHARED_TASK = {"containerSettings": {"containerHostBatchBindMounts": [{"source": "Shared"}, {"source": "Task"}]}}

    def broken(self, body, mutate, want, extra_probe=()):
        verdict = []
        report, seen, env, cwd, _ = self.run_probe(body, TASK_ARGS, mutate, extra_probe, verdict)
        status, verified = verdict
        self.assertEqual(status, 3)
        self.assertEqual({v["class"] for v in verified["violations"]}, {want}, verified["violations"])
        return report, seen, env, cwd, verified

    def mount_of(self, config, rel):
        return next(m for m in config["mounts"] if m.get("source") == os.path.join(self.root, rel))

    def test_correct_bundle_verifies_clean(self):
        self.run_probe(self.VFS_RO, TASK_ARGS)  # run_probe asserts the clean verdict

    def test_node_root_mounted(self):
        def mutate(config):
            config["mounts"].append({"destination": "/node", "type": "bind", "source": self.root, "options": ["rbind"]})
        _, seen, _, _, verified = self.broken(self.TASK_RO, mutate, "exposes_unselected", ["Exposed=/node/shared"])
        self.assertIsNone(verified["violations"][0]["dataPath"])
        self.assertIn("Exposed", seen["visible"])  # another data path, readable in the container

    def test_read_only_path_read_write(self):
        def mutate(config):
            self.mount_of(config, DIRS["Task"])["options"] = ["rbind", "rprivate"]
        _, seen, *_ = self.broken(self.TASK_RO, mutate, "writable")
        self.assertIn("Task", seen["writable"])

    def test_ro_without_rro_over_a_submount(self):
        def mutate(config):
            self.mount_of(config, DIRS["VfsMounts"])["options"] = ["rbind", "rprivate", "ro"]
        _, seen, *_ = self.broken(self.VFS_RO, mutate, "read_only_not_recursive")
        self.assertIn("VfsMounts", seen["readonly"])
        self.assertIn("Submount", seen["writable"])  # the blobfuse-like submount takes a write

    def test_leaked_variable(self):
        shared = os.path.join(self.root, "shared")
        def mutate(config):
            config["process"]["env"].append(f"AZ_BATCH_NODE_SHARED_DIR={shared}")
        _, seen, env, _, verified = self.broken(self.TASK_RO, mutate, "leaked_variable")
        self.assertEqual(verified["violations"][0]["dataPath"], "Shared")
        self.assertEqual(env["AZ_BATCH_NODE_SHARED_DIR"], shared)
        self.assertIn("Shared", seen["hidden"])  # it names a directory the container cannot see

    def test_selected_path_missing(self):
        def mutate(config):
            config["mounts"].remove(self.mount_of(config, DIRS["Shared"]))
        _, seen, *_ = self.broken(self.SHARED_TASK, mutate, "missing")
        self.assertIn("Shared", seen["hidden"])

    def test_wrong_working_directory(self):
        def mutate(config):
            config["process"]["cwd"] = "/"
        _, _, _, cwd, _ = self.broken(self.TASK_RO, mutate, "working_directory")
        self.assertEqual(cwd, "/")


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv.pop(1))
    if shutil.which("runc") is None:
        skip_or_fail("runc is not installed (Debian: apt-get install runc)", "runc")
    if os.geteuid() != 0:
        skip_or_fail("runc bundles here need root", "runc")
    unittest.main(verbosity=2)
