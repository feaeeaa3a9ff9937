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
        self.assertEqual(out["environment"]["AZ_BATCH_APP_PACKAGE_BLENDER_2_79"],
                         "/mnt/batch/tasks/applications/blender#2.79")
        self.assertEqual(out["environment"]["AZ_BATCH_APP_PACKAGE_ffmpeg"], "/mnt/batch/tasks/applications/ffmpeg")
        hidden = json.loads(self.ok("--job-id", "j", "--app-package", "ffmpeg", ARTICLE))
        self.assertIn("AZ_BATCH_APP_PACKAGE_FFMPEG", hidden["removedEnvironment"])

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

    def test_help(self):
        self.assertIn(b"--job-id ID", self.ok("--help"))


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
        # A CRLF env file leaves "\r" in the value: one-per-line output refuses it, -0 carries it.
        with tempfile.NamedTemporaryFile("wb", delete=False) as f:
            f.write(b"X=a\r\n")
        try:
            for fmt in ("env", "docker-args"):
                self.fails(1, "--job-id", "myJob", "--env-file", f.name, "--format", fmt, ARTICLE,
                           contains=("NUL-separated", "X=a\\x0d"))
                p = run("--job-id", "myJob", "--env-file", f.name, "--format", fmt, "-0", ARTICLE)
                self.assertEqual(p.returncode, 0)
                self.assertIn(b"X=a\r\0", p.stdout)
        finally:
            os.unlink(f.name)

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

    def test_usage_errors_exit_2(self):
        self.fails(2, ARTICLE, contains=("--job-id is required",))
        self.fails(2, "--job-id", "j", "--bogus", ARTICLE, contains=("unknown option --bogus",))
        self.fails(2, "--job-id", "j", "--os", "macos", ARTICLE, contains=("--os must be",))
        self.fails(2, "--job-id", "j", "--format", "yaml", ARTICLE, contains=("--format must be",))
        self.fails(2, "--job-id", contains=("--job-id needs a value",))
        self.fails(2, "--job-id", "j", "/nonexistent/task.json", contains=("cannot read",))
        self.fails(2, "--job-id", "j", stdin=b"{not json", contains=("not valid JSON",))
        self.fails(2, "--job-id", "j", stdin=b'{"containerSettings": {}}', contains=("--task-id is required",))
        self.fails(2, "--job-id", "j", ARTICLE, ARTICLE, contains=("only one TASK_JSON",))
        with tempfile.NamedTemporaryFile("w", delete=False) as f:
            f.write("NOEQUALS\n")
        try:
            self.fails(2, "--job-id", "j", "--env-file", f.name, ARTICLE, contains=("line 1 is not NAME=VALUE",))
        finally:
            os.unlink(f.name)
        self.fails(2, "--job-id", "j", "--env-file", "/nonexistent", ARTICLE, contains=("cannot read --env-file",))


if __name__ == "__main__":
    BINARY = os.path.abspath(sys.argv.pop(1))
    unittest.main(verbosity=1)
