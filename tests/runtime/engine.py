"""A private Docker Engine for the runtime proofs: Debian's dockerd on its own socket, exec root,
data root and containerd namespace (storage driver vfs, no iptables, no bridge; containers run
with --network none), an image made of Debian's static busybox and the probe (no registry),
and a node tree with a marker in every data path. `stop()` ends the daemon by its pid and
removes everything it made."""
import os
import shutil
import signal
import subprocess
import tempfile
import time

from probe import DIRS, PROBE

IMAGE = "batchmount-probe:1"


class PrivateEngine:
    def __init__(self, docker="docker", extra_dirs=()):
        self.docker = docker
        self.tmp = tempfile.mkdtemp(prefix="bm-dk-", dir="/tmp")  # short: unix socket paths
        self.socket = os.path.join(self.tmp, "docker.sock")
        self.env = dict(os.environ, DOCKER_HOST=f"unix://{self.socket}", DOCKER_CONFIG=self.tmp)
        # A namespace of its own in whatever containerd dockerd uses, so that a system Docker
        # daemon sharing that containerd never sees (and logs errors about) these containers.
        namespace = f"batchmount-test-{os.getpid()}"
        self.log_path = os.path.join(self.tmp, "dockerd.log")
        self.log = open(self.log_path, "w")
        self.daemon = subprocess.Popen(
            ["dockerd", "--host", f"unix://{self.socket}", "--data-root", os.path.join(self.tmp, "data"),
             "--exec-root", os.path.join(self.tmp, "exec"), "--pidfile", os.path.join(self.tmp, "docker.pid"),
             "--containerd-namespace", namespace, "--containerd-plugins-namespace", namespace + "-plugins",
             "--storage-driver", "vfs", "--iptables=false", "--ip6tables=false", "--bridge=none"],
            stdout=self.log, stderr=subprocess.STDOUT)
        self.submounts = []
        try:
            self.api = self._wait_for_api()
            self._import_image()
            self.root = os.path.join(self.tmp, "node")
            for rel in list(DIRS.values()) + ["workitems/job/job-1/task1/wd", *extra_dirs]:
                os.makedirs(os.path.join(self.root, rel), exist_ok=True)
            for rel in DIRS.values():
                self.put_marker(rel)
        except BaseException:
            self.stop()
            raise
        self.count = 0

    def _wait_for_api(self):
        deadline = time.time() + 60
        while True:
            p = self.run(["version", "--format", "{{.Server.APIVersion}}"])
            if p.returncode == 0:
                return p.stdout.decode().strip()
            if time.time() > deadline or self.daemon.poll() is not None:
                with open(self.log_path) as log:
                    raise RuntimeError("dockerd did not start: " + log.read()[-2000:])
            time.sleep(0.5)

    def _import_image(self):
        image = os.path.join(self.tmp, "image")
        os.makedirs(os.path.join(image, "bin"))
        shutil.copy(shutil.which("busybox"), os.path.join(image, "bin", "busybox"))
        for tool in ("sh", "sed", "env", "touch", "rm", "cat", "ls", "pwd", "mkdir"):
            os.symlink("busybox", os.path.join(image, "bin", tool))
        with open(os.path.join(image, "probe.sh"), "w") as f:
            f.write(PROBE)
        os.chmod(os.path.join(image, "probe.sh"), 0o755)
        tar = subprocess.Popen(["tar", "-C", image, "-c", "."], stdout=subprocess.PIPE)
        imported = subprocess.run([self.docker, "import", "-", IMAGE], stdin=tar.stdout, env=self.env,
                                  capture_output=True)
        tar.stdout.close()
        tar.wait()
        if imported.returncode != 0:
            with open(self.log_path) as log:
                raise RuntimeError(f"docker import failed: {imported.stderr.decode()}\ndockerd: {log.read()[-2000:]}")

    def put_marker(self, rel):
        with open(os.path.join(self.root, rel, "marker"), "w") as f:
            f.write("x")

    def mount_tmpfs(self, rel):
        """A tmpfs at rel under the node root (like a blobfuse mount inside fsmounts), with a marker."""
        path = os.path.join(self.root, rel)
        os.makedirs(path, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", path], check=True)
        self.submounts.append(path)
        self.put_marker(rel)
        return path

    def run(self, args, **kwargs):
        return subprocess.run([self.docker, *args], env=self.env, capture_output=True, **kwargs)

    def run_probe(self, run_args, probe_args, inspect=True):
        """Runs the probe in a container made from run_args; returns (probe output, docker inspect
        path, or None when not asked for: a container run with --rm is gone when it exits)."""
        self.count += 1
        name = f"batchmount-{os.getpid()}-{self.count}"
        run = self.run(["run", "--name", name, "--network", "none", *run_args, IMAGE, "/probe.sh", *probe_args],
                       timeout=120)
        if run.returncode != 0:
            raise AssertionError(f"docker run failed: {run.stderr.decode()}")
        if not inspect:
            return run.stdout.decode(), None
        path = os.path.join(self.tmp, f"{name}.json")
        with open(path, "wb") as f:
            f.write(self.run(["inspect", name], check=True).stdout)
        self.run(["rm", name])
        return run.stdout.decode(), path

    def stop(self):
        self.run(["rm", "-f", *self.run(["ps", "-aq"]).stdout.decode().split()])
        self.daemon.send_signal(signal.SIGTERM)  # stopped by its pid, as it was started
        try:
            self.daemon.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.daemon.kill()
            self.daemon.wait()
        self.log.close()
        for path in reversed(self.submounts):
            subprocess.run(["umount", "-l", path], capture_output=True)
        subprocess.run(["umount", "-R", os.path.join(self.tmp, "exec")], capture_output=True)
        shutil.rmtree(self.tmp, ignore_errors=True)
