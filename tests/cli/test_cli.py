#!/usr/bin/env python3
"""The batchmount-resolve contract, option by option and exit status by exit status.
Usage: test_cli.py PATH_TO_batchmount-resolve"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

BINARY = None
HERE = os.path.dirname(os.path.abspath(__file__))
ARTICLE = os.path.join(HERE, "..", "..", "examples", "article-task.json")


def run(*args, stdin=None):
    return subprocess.run([BINARY, *args], input=stdin, capture_output=True)


class Resolved(unittest.TestCase):
    def ok(self, *args, stdin=None):
        p = run(*args, stdin=stdin)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        self.assertEqual(p.stderr, b"")
        return p.stdout

    def test_json_is_the_documented_report(self):
        out = json.loads(self.ok("--job-id", "myJob", ARTICLE))
        self.assertEqual(set(out), {"os", "mounts", "environment", "removedEnvironment",
                                    "workingDirectory", "warnings"})
        self.assertEqual(out["os"], "linux")
        task = "/mnt/batch/tasks/workitems/myJob/job-1/taskId"
        self.assertEqual(out["mounts"], [{"source": "Task", "hostPath": task,
                                          "containerPath": task, "readOnly": True}])
        self.assertEqual(out["environment"]["AZ_BATCH_TASK_DIR"], task)
        self.assertEqual(out["environment"]["AZ_BATCH_TASK_ID"], "taskId")
        self.assertIn("AZ_BATCH_NODE_SHARED_DIR", out["removedEnvironment"])
        self.assertNotIn("AZ_BATCH_NODE_SHARED_DIR", out["environment"])
        self.assertEqual(out["workingDirectory"], task + "/wd")
        self.assertEqual(len(out["warnings"]), 1)

    def test_stdin_dash_or_absent_and_bare_container_settings(self):
        settings = b'{"containerHostBatchBindMounts": [], "workingDirectory": "containerImageDefault"}'
        for args in (["-"], []):
            out = json.loads(self.ok("--job-id", "j", "--task-id", "t", *args, stdin=settings))
            self.assertEqual(out["mounts"], [])
            self.assertIsNone(out["workingDirectory"])

    def test_null_list_is_the_whole_root(self):
        out = json.loads(self.ok("--job-id", "j", "--task-id", "t", stdin=b'{"imageName": "x"}'))
        self.assertEqual(out["mounts"], [{"source": None, "hostPath": "/mnt/batch/tasks",
                                          "containerPath": "/mnt/batch/tasks", "readOnly": False}])
        self.assertEqual(out["removedEnvironment"], [])

    def test_task_id_option_overrides_the_body(self):
        out = json.loads(self.ok("--job-id", "j", "--task-id", "other", ARTICLE))
        self.assertTrue(out["mounts"][0]["hostPath"].endswith("/workitems/j/job-1/other"))

    def test_windows_node_root_schedule_and_job_prep(self):
        body = json.dumps({"id": "t1", "containerSettings": {"imageName": "x",
                           "containerHostBatchBindMounts": [{"source": "JobPrep"}, {"source": "Task"}]}})
        out = json.loads(self.ok("--os", "windows", "--node-root", "e:/data//", "--job-id", "job7",
                                 "--job-schedule-id", "nightly", "--job-prep-task-id", "prep",
                                 stdin=body.encode()))
        self.assertEqual(out["os"], "windows")
        self.assertEqual([m["hostPath"] for m in out["mounts"]],
                         ["E:\\data\\workitems\\nightly\\job7\\prep", "E:\\data\\workitems\\nightly\\job7\\t1"])
        self.assertEqual(out["mounts"][1]["containerPath"], "C:\\data\\workitems\\nightly\\job7\\t1")
        self.assertEqual(out["environment"]["AZ_BATCH_JOB_PREP_DIR"], "C:\\data\\workitems\\nightly\\job7\\prep")

    def test_app_packages_are_synthesized(self):
        body = b'{"id": "t", "containerSettings": {"containerHostBatchBindMounts": [{"source": "Applications"}, {"source": "Task"}]}}'
        out = json.loads(self.ok("--job-id", "j", "--app-package", "blender:2.79", "--app-package", "ffmpeg",
                                 stdin=body))
        self.assertEqual(out["environment"]["AZ_BATCH_APP_PACKAGE_blender_2_79"],
                         "/mnt/batch/tasks/applications/blender2.79")
        self.assertEqual(out["environment"]["AZ_BATCH_APP_PACKAGE_ffmpeg"], "/mnt/batch/tasks/applications/ffmpeg")
        hidden = json.loads(self.ok("--job-id", "j", "--app-package", "FFmpeg", ARTICLE))
        self.assertIn("AZ_BATCH_APP_PACKAGE_ffmpeg", hidden["removedEnvironment"])
        self.assertIn("AZ_BATCH_APP_PACKAGE_FFmpeg", hidden["removedEnvironment"])

    def test_env_file_is_the_host_environment(self):
        with tempfile.NamedTemporaryFile("w", suffix=".env", delete=False) as f:
            f.write("# comment\nPATH=/usr/bin\n\nAZ_BATCH_NODE_SHARED_DIR=/mnt/batch/tasks/shared\n"
                    "AZ_BATCH_TASK_DIR=/mnt/batch/tasks/workitems/myJob/job-1/taskId\nEQ=a=b\n")
        try:
            out = json.loads(self.ok("--job-id", "myJob", "--env-file", f.name, ARTICLE))
        finally:
            os.unlink(f.name)
        self.assertEqual(out["environment"], {"PATH": "/usr/bin", "EQ": "a=b",
                                              "AZ_BATCH_TASK_DIR": "/mnt/batch/tasks/workitems/myJob/job-1/taskId"})
        self.assertEqual(out["removedEnvironment"], ["AZ_BATCH_NODE_SHARED_DIR"])

    def test_oci_and_docker_api_are_json(self):
        oci = json.loads(self.ok("--job-id", "myJob", "--format", "oci", ARTICLE))
        self.assertEqual(oci["mounts"][0]["options"], ["rbind", "rprivate", "rro"])
        self.assertTrue(oci["process"]["cwd"].endswith("/taskId/wd"))
        api = json.loads(self.ok("--job-id", "myJob", "--format", "docker-api", ARTICLE))
        self.assertEqual(api["HostConfig"]["Mounts"][0]["BindOptions"]["ReadOnlyForceRecursive"], True)
        self.assertIn("AZ_BATCH_TASK_ID=taskId", api["Env"])

    def test_cri_is_proto3_json_for_the_runtime_version(self):
        cri = json.loads(self.ok("--job-id", "myJob", "--format", "cri", ARTICLE))
        task = "/mnt/batch/tasks/workitems/myJob/job-1/taskId"
        self.assertEqual(cri["mounts"], [{"containerPath": task, "hostPath": task, "readonly": True,
                                          "propagation": "PROPAGATION_PRIVATE", "recursiveReadOnly": True}])
        self.assertIn({"key": "AZ_BATCH_TASK_ID", "value": "taskId"}, cri["envs"])
        self.assertEqual(cri["workingDir"], task + "/wd")
        self.assertEqual(json.loads(self.ok("--job-id", "myJob", "--format", "cri", "--cri-runtime-version", "v2.0.0",
                                            ARTICLE)), cri)
        # containerd 1.6 ignores recursiveReadOnly: the read-only Task is refused, or accepted with a warning.
        p = run("--job-id", "myJob", "--format", "cri", "--cri-runtime-version", "1.6.20~ds1", ARTICLE)
        self.assertEqual((p.returncode, p.stdout), (1, b""))
        self.assertIn(b"before containerd 2.0", p.stderr)
        p = run("--job-id", "myJob", "--format", "cri", "--cri-runtime-version=1.6.20~ds1",
                "--accept-non-recursive-read-only", ARTICLE)
        self.assertEqual(p.returncode, 0)
        self.assertIn(b"warning: mount " + task.encode(), p.stderr)
        accepted = json.loads(p.stdout)
        self.assertEqual(accepted["mounts"][0]["readonly"], True)
        self.assertNotIn("recursiveReadOnly", accepted["mounts"][0])

    def test_verify_reads_crictl_inspect(self):
        cri = json.loads(self.ok("--job-id", "myJob", "--format", "cri", ARTICLE))
        status = {"id": "c", "mounts": [{k: m[k] for k in ("containerPath", "hostPath", "readonly", "recursiveReadOnly")}
                                        for m in cri["mounts"]]}
        spec = {"mounts": [{"destination": m["containerPath"], "source": m["hostPath"], "type": "bind",
                            "options": ["rbind", "rprivate", "rro"]} for m in cri["mounts"]],
                "process": {"env": [f"{e['key']}={e['value']}" for e in cri["envs"]], "cwd": cri["workingDir"]}}
        with tempfile.TemporaryDirectory() as d:
            def verify(document):
                path = os.path.join(d, "inspect.json")
                with open(path, "w") as f:
                    json.dump(document, f)
                p = run("--job-id", "myJob", "--verify", path, "--format", "json", ARTICLE)
                return p.returncode, json.loads(p.stdout)
            self.assertEqual(verify({"status": status, "info": {"runtimeSpec": spec}}), (0, {
                "conforms": True, "violations": [], "outsideScope": [], "alsoMounted": [], "processChecked": True,
                "acceptedExposures": []}))
            code, report = verify({"status": status})
            self.assertEqual((code, report["conforms"], report["processChecked"]), (0, True, False))
            text = run("--job-id", "myJob", "--verify", os.path.join(d, "inspect.json"), ARTICLE).stdout.decode()
            self.assertIn("not checked: the document reports no environment", text)
            spec["mounts"][0]["options"] = ["rbind", "rprivate", "ro"]
            code, report = verify({"status": status, "info": {"runtimeSpec": spec}})
            self.assertEqual((code, [v["class"] for v in report["violations"]]), (3, ["read_only_not_recursive"]))

    def test_run_options_are_judged(self):
        def body(options):
            return json.dumps({"id": "t", "containerSettings": {"imageName": "x", "containerRunOptions": options,
                                                                 "containerHostBatchBindMounts": [{"source": "Task"}]}}).encode()
        p = run("--job-id", "j", "--format", "docker-args", "-", stdin=body("-v /mnt/batch/tasks:/n"))
        self.assertEqual((p.returncode, p.stdout), (1, b""))
        self.assertIn(b"containerRunOptions must not bind", p.stderr)
        self.assertIn(b'got "-v /mnt/batch/tasks:/n"', p.stderr)
        p = run("--job-id", "j", "--format", "docker-args", "--accept-run-option-exposure", "-",
                stdin=body("-v /mnt/batch/tasks:/n"))
        self.assertEqual(p.returncode, 0)
        self.assertEqual(p.stdout.decode().splitlines()[-2:], ["-v", "/mnt/batch/tasks:/n"])
        self.assertIn(b"warning: -v /mnt/batch/tasks:/n: mounts /mnt/batch/tasks", p.stderr)
        report = json.loads(run("--job-id", "j", "--accept-run-option-exposure", "-", stdin=body("-v /mnt/batch/tasks:/n")).stdout)
        self.assertEqual([(f["class"], f["option"]) for f in report["runOptions"]],
                         [("mount_exposes_unselected", "-v /mnt/batch/tasks:/n")])
        text = self.ok("--job-id", "j", "--format", "explain", "-", stdin=body("--rm -v /etc/ssl:/ssl")).decode()
        self.assertIn("outside the node root (not judged): -v /etc/ssl:/ssl", text)
        p = run("--job-id", "j", "--format", "oci", "-", stdin=body("--rm --cpus 1"))
        self.assertEqual(p.returncode, 0)
        self.assertIn(b"not carried by this output (pass them yourself, as judged): --rm --cpus 1", p.stderr)
        p = run("--job-id", "j", "-", stdin=body("--rm 'open"))
        self.assertEqual(p.returncode, 1)
        self.assertIn(b"containerRunOptions must read as docker create options", p.stderr)
        self.assertEqual(json.loads(self.ok("--job-id", "j", "-", stdin=body("--rm -e X=1")))["runOptions"], [])

    def test_docker_args_one_per_line_or_nul(self):
        lines = self.ok("--job-id", "myJob", "--format", "docker-args", ARTICLE).decode().split("\n")
        self.assertEqual(lines[-1], "")
        self.assertEqual(lines[0], "--mount")
        self.assertIn("readonly", lines[1].split(","))
        self.assertEqual(lines[-3:-1], ["--workdir", "/mnt/batch/tasks/workitems/myJob/job-1/taskId/wd"])
        nul = self.ok("--job-id", "myJob", "--format", "docker-args", "-0", ARTICLE).split(b"\0")
        self.assertEqual([x.decode() for x in nul], lines[:-1] + [""])
        # The documented recipe: mapfile -t reads one argument a line.
        script = f'mapfile -t a < <("{BINARY}" --job-id myJob --format docker-args "{ARTICLE}"); echo "${{#a[@]}} ${{a[0]}}"'
        p = subprocess.run(["bash", "-c", script], capture_output=True, text=True)
        self.assertEqual(p.stdout.strip(), f"{len(lines) - 1} --mount")

    def test_env_and_explain(self):
        env = self.ok("--job-id", "myJob", "--format", "env", ARTICLE).decode()
        self.assertIn("AZ_BATCH_TASK_ID=taskId\n", env)
        self.assertNotIn("AZ_BATCH_NODE_SHARED_DIR", env)
        self.assertEqual(self.ok("--job-id", "myJob", "--format", "env", "--null", ARTICLE).count(b"\0"),
                         env.count("\n"))
        text = self.ok("--job-id", "myJob", "--format", "explain", ARTICLE).decode()
        self.assertIn("Task: mounted read-only because of entry #0", text)
        self.assertIn("AZ_BATCH_NODE_SHARED_DIR removed", text)
        self.assertIn("warning: Task is mounted read-only", text)

    def test_help_lists_every_option_and_exit_status(self):
        text = self.ok("--help").decode()
        for option in ("--os", "--node-root", "--kind", "--subtask", "--job-id", "--job-schedule-id",
                       "--job-prep-task-id", "--job-release-task-id", "--task-id", "--app-package",
                       "--env-file", "--env-rule", "--format", "--null", "--version", "--help",
                       "--docker-api-version", "--cri-runtime-version", "--accept-non-recursive-read-only",
                       "--accept-run-option-exposure"):
            self.assertIn(option, text)
        for status in ("0 resolved", "1 the request breaks a rule", "2 usage error"):
            self.assertIn(status, text)

    def test_version_is_the_library_version(self):
        with open(os.path.join(HERE, "..", "..", "include", "batchmount", "version.hpp")) as f:
            header = f.read()
        parts = [line.split()[-1] for line in header.splitlines()
                 if line.startswith("#define BATCHMOUNT_VERSION_") and line.split()[1][-5:] in ("MAJOR", "MINOR", "PATCH")]
        self.assertEqual(self.ok("--version").decode(), "batchmount-resolve " + ".".join(parts) + "\n")


JOB = {"id": "myJob", "poolInfo": {"poolId": "p"},
       "jobManagerTask": {"id": "manager", "commandLine": "x", "containerSettings": {
           "imageName": "i", "containerHostBatchBindMounts": [{"source": "Task"}]}},
       "jobPreparationTask": {"id": "prep", "commandLine": "x", "containerSettings": {
           "imageName": "i", "containerHostBatchBindMounts": [{"source": "JobPrep"}, {"source": "Shared", "isReadOnly": True}]}},
       "jobReleaseTask": {"commandLine": "x", "containerSettings": {
           "imageName": "i", "containerHostBatchBindMounts": [{"source": "Task"}, {"source": "JobPrep", "isReadOnly": True}]}}}
START = {"commandLine": "x", "containerSettings": {"imageName": "i", "workingDirectory": "taskWorkingDirectory",
                                                  "containerHostBatchBindMounts": [{"source": "Startup"}]}}
ROOT = "/mnt/batch/tasks"


class Documents(unittest.TestCase):
    """Every place container settings live, and how the kind is chosen."""
    def ok(self, *args, stdin=None):
        p = run(*args, stdin=stdin)
        self.assertEqual(p.returncode, 0, p.stderr.decode())
        return json.loads(p.stdout)

    def test_job_body_each_kind(self):
        body = json.dumps(JOB).encode()
        manager = self.ok("--kind", "job-manager", stdin=body)  # the job's id serves as job id
        self.assertEqual(manager["mounts"][0]["hostPath"], ROOT + "/workitems/myJob/job-1/manager")
        self.assertIn("AZ_BATCH_JOB_PREP_DIR", manager["removedEnvironment"])  # the job has one; not mounted
        prep = self.ok("--kind", "job-preparation", stdin=body)
        self.assertEqual([m["hostPath"] for m in prep["mounts"]],
                         [ROOT + "/shared", ROOT + "/workitems/myJob/job-1/prep"])
        self.assertEqual(prep["workingDirectory"], ROOT + "/workitems/myJob/job-1/prep/wd")
        self.assertEqual(prep["environment"]["AZ_BATCH_TASK_ID"], "prep")
        self.assertNotIn("AZ_BATCH_JOB_PREP_DIR", prep["environment"])
        release = self.ok("--kind", "job-release", "--job-id", "other", stdin=body)
        self.assertEqual([m["hostPath"] for m in release["mounts"]],
                         [ROOT + "/workitems/other/job-1/jobrelease", ROOT + "/workitems/other/job-1/prep"])

    def test_job_without_preparation_task_warns_on_job_prep(self):
        job = {"id": "j", "jobManagerTask": {"id": "m", "containerSettings": {
            "imageName": "i", "containerHostBatchBindMounts": [{"source": "Task"}, {"source": "JobPrep"}]}}}
        out = self.ok(stdin=json.dumps(job).encode())  # one kind: inferred
        self.assertTrue(any("no job preparation task" in w for w in out["warnings"]), out["warnings"])
        self.assertNotIn("AZ_BATCH_JOB_PREP_DIR", out["environment"])
        job["jobReleaseTask"] = {"containerSettings": {"imageName": "i"}}
        p = run("--kind", "job-release", stdin=json.dumps(job).encode())
        self.assertEqual(p.returncode, 1)
        self.assertIn("job preparation task", p.stderr.decode())

    def test_pool_and_arm_pool_start_task(self):
        for doc in ({"id": "pool", "startTask": START},
                    {"properties": {"startTask": dict(START, containerSettings=dict(
                        START["containerSettings"], workingDirectory="TaskWorkingDirectory"))}}):
            out = self.ok(stdin=json.dumps(doc).encode())  # no --job-id asked for
            self.assertEqual(out["mounts"], [{"source": "Startup", "hostPath": ROOT + "/startup",
                                              "containerPath": ROOT + "/startup", "readOnly": False}])
            self.assertEqual(out["workingDirectory"], ROOT + "/startup/wd")
            self.assertEqual(out["environment"]["AZ_BATCH_TASK_DIR"], ROOT + "/startup")
            self.assertNotIn("AZ_BATCH_JOB_ID", out["environment"])
            self.assertNotIn("AZ_BATCH_TASK_ID", out["environment"])
        # Job options passed for every kind are ignored for a start task: it has no job.
        same = self.ok("--job-id", "j", "--task-id", "t", stdin=json.dumps({"startTask": START}).encode())
        self.assertEqual(same, out)

    def test_multi_instance_primary_and_subtask(self):
        body = json.dumps({"id": "mpi", "multiInstanceSettings": {"numberOfInstances": 3}, "containerSettings": {
            "imageName": "i", "containerHostBatchBindMounts": [{"source": "Task"}]}}).encode()
        primary = self.ok("--job-id", "j", stdin=body)
        task_root = ROOT + "/workitems/j/job-1/mpi"
        self.assertEqual(primary["workingDirectory"], task_root + "/wd")
        self.assertEqual(primary["environment"]["AZ_BATCH_IS_CURRENT_NODE_MASTER"], "true")
        sub = self.ok("--job-id", "j", "--subtask", "2", stdin=body)
        self.assertEqual(sub["mounts"][0]["hostPath"], task_root)
        self.assertEqual(sub["workingDirectory"], task_root + "/2/wd")
        self.assertEqual(sub["environment"]["AZ_BATCH_TASK_SHARED_DIR"], task_root)
        self.assertEqual(sub["environment"]["AZ_BATCH_TASK_DIR"], task_root + "/2")
        p = run("--job-id", "j", "--subtask", "2", ARTICLE)
        self.assertEqual(p.returncode, 2)
        self.assertIn("multiInstanceSettings", p.stderr.decode())

    def test_task_id_names_a_job_preparation_or_release_task(self):
        settings = json.dumps({"containerHostBatchBindMounts": [{"source": "Task"}]}).encode()
        prep = self.ok("--kind", "job-preparation", "--job-id", "j", "--task-id", "setup", stdin=settings)
        self.assertEqual(prep["mounts"][0]["hostPath"], ROOT + "/workitems/j/job-1/setup")
        self.assertEqual(prep["environment"]["AZ_BATCH_TASK_ID"], "setup")
        release = self.ok("--kind", "job-release", "--job-id", "j", "--task-id", "cleanup", stdin=settings)
        self.assertEqual(release["mounts"][0]["hostPath"], ROOT + "/workitems/j/job-1/cleanup")
        p = run("--kind", "job-preparation", "--job-id", "j", "--task-id", "a", "--job-prep-task-id", "b", stdin=settings)
        self.assertEqual(p.returncode, 1)
        self.assertIn("job preparation or job release task's id", p.stderr.decode())

    def test_bare_container_settings_take_the_kind_given(self):
        settings = json.dumps({"containerHostBatchBindMounts": [{"source": "Startup", "isReadOnly": True}]}).encode()
        out = self.ok("--kind", "start", stdin=settings)
        self.assertEqual(out["workingDirectory"], ROOT + "/startup/wd")
        self.assertEqual(len(out["warnings"]), 1)  # read-only own directory, task working directory

    def test_environment_settings_are_user_variables(self):
        body = json.dumps({"id": "t", "environmentSettings": [{"name": "INPUT", "value": ROOT + "/shared/in"}],
                           "containerSettings": {"imageName": "i",
                                                 "containerHostBatchBindMounts": [{"source": "Task"}]}}).encode()
        out = self.ok("--job-id", "j", stdin=body)
        self.assertEqual(out["environment"]["INPUT"], ROOT + "/shared/in")
        self.assertIn("INPUT names a path inside Shared, which is not mounted: the container cannot see it",
                      out["warnings"])
        self.assertNotIn("HOME", out["removedEnvironment"])
        self.assertEqual(out["environment"]["PATH"].split(":")[-1], ROOT + "/workitems/j/job-1/t/wd")
        self.assertNotIn(ROOT + "/shared", out["environment"]["PATH"].split(":"))

    def test_env_rule_literal_keeps_home_and_path(self):
        settings = b'{"containerHostBatchBindMounts": [], "workingDirectory": "containerImageDefault"}'
        literal = self.ok("--job-id", "j", "--task-id", "t", "--env-rule", "literal", stdin=settings)
        self.assertEqual(literal["environment"]["HOME"], ROOT + "/workitems/j/job-1/t/wd")
        self.assertTrue(literal["warnings"])
        invariant = self.ok("--job-id", "j", "--task-id", "t", stdin=settings)
        self.assertIn("HOME", invariant["removedEnvironment"])
        self.assertIn("PWD", invariant["removedEnvironment"])

    def test_explain_shows_the_kind_and_the_warning(self):
        body = json.dumps({"id": "t", "environmentSettings": [{"name": "DATA", "value": ROOT + "/fsmounts/x"}],
                           "containerSettings": {"containerHostBatchBindMounts": [{"source": "Task"}]}}).encode()
        p = run("--job-id", "j", "--format", "explain", stdin=body)
        text = p.stdout.decode()
        self.assertIn("kind: task", text)
        self.assertIn("DATA kept: names a path inside a data path that is not mounted", text)
        self.assertIn("warning: DATA names a path inside VfsMounts", text)


class Failures(unittest.TestCase):
    def fails(self, status, *args, stdin=b"", contains=()):
        p = run(*args, stdin=stdin)
        self.assertEqual(p.returncode, status, p.stderr.decode())
        self.assertEqual(p.stdout, b"")
        err = p.stderr.decode()
        self.assertTrue(err.startswith("error: "), err)
        for c in contains:
            self.assertIn(c, err)

    def test_rule_violations_exit_1(self):
        bad_source = b'{"id": "t", "containerSettings": {"containerHostBatchBindMounts": [{"source": "Task"}, {"source": "Tmp"}]}}'
        self.fails(1, "--job-id", "j", stdin=bad_source, contains=("source must be one of", "entry #1", '"Tmp"'))
        self.fails(1, "--job-id", "..", ARTICLE, contains=("job id", '".."'))
        self.fails(1, "--job-id", "j", "--task-id", "a/b", ARTICLE, contains=("task id",))
        self.fails(1, "--job-id", "j", "--node-root", "relative", ARTICLE, contains=("absolute",))
        self.fails(1, "--job-id", "j", "--task-id", "t", stdin=b'{"containerHostBatchBindMounts": []}',
                   contains=("containerImageDefault",))
        self.fails(1, "--job-id", "j", stdin=b'{"id": "t", "containerSettings": {"containerHostBatchBindMounts": [{"source": "Task", "isReadOnly": "yes"}]}}',
                   contains=("isReadOnly (string)", "entry #0"))
        self.fails(1, "--job-id", "j", "--app-package", "../x", ARTICLE, contains=("application id",))
        conflict = b'{"id": "t", "containerSettings": {"containerHostBatchBindMounts": [{"source": "Task"}, {"source": "task", "isReadOnly": true}]}}'
        self.fails(1, "--job-id", "j", stdin=conflict, contains=("isReadOnly", "entry #1"))

    def test_carriage_return_in_line_output_exit_1(self):
        # A "\r" inside a value: one-per-line output refuses it, -0 carries it.
        with tempfile.NamedTemporaryFile("wb", delete=False) as f:
            f.write(b"X=a\rb\n")
        try:
            for fmt in ("env", "docker-args"):
                self.fails(1, "--job-id", "myJob", "--env-file", f.name, "--format", fmt, ARTICLE,
                           contains=("NUL-separated", "X=a\\x0db"))
                p = run("--job-id", "myJob", "--env-file", f.name, "--format", fmt, "-0", ARTICLE)
                self.assertEqual(p.returncode, 0)
                self.assertIn(b"X=a\rb\0", p.stdout)
        finally:
            os.unlink(f.name)

    def test_crlf_env_file_reads_as_the_same_lines(self):
        # A file written on Windows: the CR before each newline is not part of the value, so
        # Shared's variable still names Shared (removed), and --format env writes it cleanly.
        lines = [b"AZ_BATCH_NODE_SHARED_DIR=/mnt/batch/tasks/shared",
                 b"AZ_BATCH_TASK_DIR=/mnt/batch/tasks/workitems/myJob/job-1/taskId", b"", b"# note", b"X=1"]
        results = {}
        for name, ending in (("lf", b"\n"), ("crlf", b"\r\n"), ("crlf-no-final-newline", None)):
            body = b"\r\n".join(lines) if ending is None else ending.join(lines) + ending
            with tempfile.NamedTemporaryFile("wb", delete=False) as f:
                f.write(body)
            try:
                results[name] = json.loads(Resolved.ok(self, "--job-id", "myJob", "--env-file", f.name, ARTICLE))
                env = Resolved.ok(self, "--job-id", "myJob", "--env-file", f.name, "--format", "env", ARTICLE)
                self.assertNotIn(b"\r", env)
                self.assertIn(b"X=1\n", env)
            finally:
                os.unlink(f.name)
        self.assertIn("AZ_BATCH_NODE_SHARED_DIR", results["crlf"]["removedEnvironment"])
        self.assertEqual(results["crlf"]["environment"]["X"], "1")
        self.assertEqual(results["crlf"], results["lf"])
        self.assertEqual(results["crlf-no-final-newline"], results["lf"])
        self.assertIn("CRLF", run("--help").stdout.decode())

    def test_non_utf8_in_json_output_exit_1(self):
        # Found by fuzz_environment: a removed variable with a non-UTF-8 name crashed --format json.
        with tempfile.NamedTemporaryFile("wb", delete=False) as f:
            f.write(b"AZ_BATCH_AP\xa4=/mnt/batch/tasks/applications/a\n")
        try:
            self.fails(1, "--job-id", "myJob", "--env-file", f.name, ARTICLE, contains=("UTF-8",))
            p = run("--job-id", "myJob", "--env-file", f.name, "--format", "env", ARTICLE)
            self.assertEqual(p.returncode, 0)
        finally:
            os.unlink(f.name)

    def test_document_errors_name_the_file_and_field(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"id": "j", "jobPreparationTask": {"containerSettings": {"containerHostBatchBindMounts": [
                {"source": "JobPrep", "isReadOnly": 1}]}}}, f)
        try:
            self.fails(1, f.name, contains=(f.name + ": ", "jobPreparationTask.containerSettings.containerHostBatchBindMounts[0].isReadOnly (number)", "entry #0"))
        finally:
            os.unlink(f.name)

    def test_ambiguous_or_missing_kind_exit_2(self):
        body = json.dumps(JOB).encode()
        self.fails(2, stdin=body, contains=("choose one with --kind", "job-manager (jobManagerTask)",
                                            "job-preparation (jobPreparationTask)", "job-release (jobReleaseTask)"))
        self.fails(2, "--kind", "start", stdin=body, contains=("--kind start", "holds no such task"))
        self.fails(2, "--kind", "manager", stdin=body, contains=("--kind must be task, job-manager",))
        self.fails(2, "--subtask", "x", stdin=body, contains=("--subtask must be a number",))
        self.fails(2, "--env-rule", "loose", stdin=body, contains=("--env-rule must be",))
        self.fails(1, stdin=b'{"id": "j", "jobManagerTask": {"id": "m"}}', contains=("none of whose tasks",))

    def test_usage_errors_exit_2(self):
        p = run("--job-id", "j", "--bogus", ARTICLE)
        self.assertEqual(p.stderr.decode().count("\n"), 2)  # the error and a one-line hint
        self.fails(2, ARTICLE, contains=("--job-id is required",))
        self.fails(2, "--job-id", "j", "--bogus", ARTICLE, contains=("unknown option --bogus",))
        self.fails(2, "--job-id", "j", "--os", "macos", ARTICLE, contains=("--os must be",))
        self.fails(2, "--job-id", "j", "--format", "yaml", ARTICLE, contains=("--format must be",))
        self.fails(2, "--job-id", "j", "--cri-runtime-version", "1.x", ARTICLE, contains=("--cri-runtime-version must be",))
        self.fails(2, "--job-id", contains=("--job-id needs a value",))
        self.fails(2, "--job-id", "j", "/nonexistent/task.json", contains=("cannot read",))
        self.fails(2, "--job-id", "j", stdin=b"{not json", contains=("not valid JSON",))
        self.fails(2, "--job-id", "j", stdin=b'{"containerSettings": {}}', contains=("--task-id is required",))
        self.fails(2, "--job-id", "j", ARTICLE, ARTICLE, contains=("only one DOCUMENT",))
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write("NOEQUALS\n")
        try:
            self.fails(2, "--job-id", "j", "--env-file", f.name, ARTICLE, contains=("line 1 is not NAME=VALUE",))
        finally:
            os.unlink(f.name)
        self.fails(2, "--job-id", "j", "--env-file", "/nonexistent", ARTICLE, contains=("cannot read --env-file",))


class CommandLine(unittest.TestCase):
    """The conventions of tools people keep: --opt=VALUE, --, where bad JSON stops, write failures."""

    def test_attached_values_are_the_same_as_separate_ones(self):
        separate = run("--job-id", "myJob", "--os", "windows", "--format", "docker-args", ARTICLE)
        attached = run("--job-id=myJob", "--os=windows", "--format=docker-args", ARTICLE)
        self.assertEqual(separate.returncode, 0, separate.stderr)
        self.assertEqual(attached.stdout, separate.stdout)
        # An attached value may itself hold '=' (a node root), and be empty (then it is checked).
        p = run("--job-id=myJob", "--node-root=/srv/a=b/tasks", ARTICLE)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("/srv/a=b/tasks/workitems", json.loads(p.stdout)["workingDirectory"])
        p = run("--job-id=", ARTICLE)
        self.assertEqual(p.returncode, 1)
        for flag in ("--null=1", "--help=x", "--accept-non-recursive-read-only=yes"):
            p = run("--job-id", "j", flag, ARTICLE)
            self.assertEqual(p.returncode, 2, flag)
            self.assertIn(b"takes no value", p.stderr)

    def test_double_dash_ends_the_options(self):
        with tempfile.TemporaryDirectory() as d:
            with open(ARTICLE, "rb") as src, open(os.path.join(d, "-task.json"), "wb") as dst:
                dst.write(src.read())
            p = subprocess.run([BINARY, "--job-id", "myJob", "--", "-task.json"], cwd=d, capture_output=True)
            self.assertEqual(p.returncode, 0, p.stderr)
            self.assertEqual(p.stdout, run("--job-id", "myJob", ARTICLE).stdout)
            p = subprocess.run([BINARY, "--job-id", "myJob", "-task.json"], cwd=d, capture_output=True)
            self.assertEqual(p.returncode, 2)
            self.assertIn(b"unknown option -task.json", p.stderr)

    def test_explain_is_not_a_verify_format(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump({"ociVersion": "1.0.2", "process": {"env": [], "cwd": "/"}, "mounts": []}, f)
        try:
            p = run("--job-id", "myJob", "--verify", f.name, "--format", "explain", ARTICLE)
            self.assertEqual(p.returncode, 2)
            self.assertIn(b"--verify prints json or text", p.stderr)
            self.assertEqual(run("--job-id", "myJob", "--verify", f.name, ARTICLE).returncode, 3)
        finally:
            os.unlink(f.name)

    def test_invalid_json_says_where(self):
        p = run("--job-id", "j", stdin=b'{\n "a": [1,\n  2,,]}')
        self.assertEqual(p.returncode, 2)
        self.assertIn(b"(stdin) is not valid JSON: at byte 17 (line 3, column 5)", p.stderr)
        p = run("--job-id", "j", stdin=b'{"a": ')  # ends early: the byte past the end
        self.assertIn(b"at byte 7 (line 1, column 7)", p.stderr)
        with tempfile.NamedTemporaryFile("wb", suffix=".json", delete=False) as f:
            f.write(b"[\n\n x")
        try:
            p = run("--job-id", "myJob", "--verify", f.name, ARTICLE)
            self.assertEqual(p.returncode, 2)
            self.assertIn(f"{f.name} is not valid JSON: at byte 5 (line 3, column 2)".encode(), p.stderr)
        finally:
            os.unlink(f.name)

    def test_a_failed_write_is_not_a_usage_error(self):
        with open("/dev/full", "wb") as full:
            p = subprocess.run([BINARY, "--job-id", "myJob", ARTICLE], stdout=full, stderr=subprocess.PIPE)
        self.assertEqual(p.returncode, 4)
        self.assertIn(b"the output could not be written", p.stderr)
        self.assertNotIn(b"--help", p.stderr)

    def test_the_readme_lists_every_option_as_help_does(self):
        with open(os.path.join(HERE, "..", "..", "README.md"), encoding="utf-8") as f:
            readme = f.read().split("\n")
        start = readme.index("    usage: batchmount-resolve [OPTIONS] [--] [DOCUMENT]  DOCUMENT: a file, or - / absent for stdin")
        block = []
        for line in readme[start:]:
            if not line.startswith("    "):
                break
            block.append(line[4:])
        help_text = run("--help").stdout.decode()
        self.assertEqual("\n".join(block) + "\n", help_text)


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=1)
