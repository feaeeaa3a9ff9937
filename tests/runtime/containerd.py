"""A private containerd for the CRI proof: Debian's containerd 1.6 with its own root, state,
sockets and runc root under one temporary directory, its CRI plugin serving a host-network pod
(no CNI is ever called), and an image made of Debian's static busybox and the probe, imported
as a docker archive (there is no registry). The tests talk CRI to it through stubs generated
by protoc from cri/runtime_v1.proto into the same temporary directory, and read a container's
`crictl inspect` document as crictl prints it: {"status": ContainerStatus as proto3 JSON,
"info": the runtime's verbose info}. `stop()` removes what it started, by pid, and every
directory it made.

Needs /usr/bin/python3 with python3-grpcio, and protoc with grpc_python_plugin
(protobuf-compiler, protobuf-compiler-grpc)."""
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time

from probe import DIRS, PROBE

IMAGE = "docker.io/library/batchmount-probe:1"
PROTO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cri")


def _config(tmp):
    """containerd's configuration (version 2): everything under tmp, the CRI plugin on runc."""
    return f"""version = 2
root = "{tmp}/root"
state = "{tmp}/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.tracing.processor.v1.otlp", "io.containerd.internal.v1.tracing"]
[grpc]
  address = "{tmp}/containerd.sock"
[ttrpc]
  address = "{tmp}/containerd.sock.ttrpc"
[debug]
  address = "{tmp}/debug.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "{IMAGE}"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "native"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "{tmp}/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "{tmp}/cni/bin"
    conf_dir = "{tmp}/cni/conf"
"""


def _image_archive(path):
    """A docker archive: one layer with busybox, its applets and the probe; the image sleeps."""
    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w") as t:
        def add_dir(name):
            info = tarfile.TarInfo(name)
            info.type, info.mode = tarfile.DIRTYPE, 0o755
            t.addfile(info)
        for d in ("bin", "tmp", "proc", "sys", "dev", "etc"):
            add_dir(d)
        t.add(shutil.which("busybox"), "bin/busybox")
        for tool in ("sh", "sed", "env", "touch", "rm", "cat", "ls", "pwd", "mkdir", "sleep"):
            info = tarfile.TarInfo("bin/" + tool)
            info.type, info.linkname = tarfile.SYMTYPE, "busybox"
            t.addfile(info)
        data = PROBE.encode()
        info = tarfile.TarInfo("probe.sh")
        info.mode, info.size = 0o755, len(data)
        t.addfile(info, io.BytesIO(data))
    layer_bytes = layer.getvalue()
    diff_id = "sha256:" + hashlib.sha256(layer_bytes).hexdigest()
    config = json.dumps({"architecture": "amd64", "os": "linux",
                         "config": {"Cmd": ["/bin/sleep", "3600"], "Env": ["PATH=/bin"]},
                         "rootfs": {"type": "layers", "diff_ids": [diff_id]}}).encode()
    manifest = json.dumps([{"Config": "config.json", "RepoTags": [IMAGE], "Layers": ["layer.tar"]}]).encode()
    with tarfile.open(path, mode="w") as t:
        for name, data in (("layer.tar", layer_bytes), ("config.json", config), ("manifest.json", manifest)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))


class PrivateContainerd:
    def __init__(self):
        self.tmp = tempfile.mkdtemp(prefix="bm-ctrd-", dir="/tmp")  # short: unix socket paths
        self.socket = os.path.join(self.tmp, "containerd.sock")
        for d in ("cni/bin", "cni/conf", "logs"):
            os.makedirs(os.path.join(self.tmp, d))
        with open(os.path.join(self.tmp, "config.toml"), "w") as f:
            f.write(_config(self.tmp))
        self.log_path = os.path.join(self.tmp, "containerd.log")
        self.log = open(self.log_path, "w")
        self.daemon = subprocess.Popen(["containerd", "--config", os.path.join(self.tmp, "config.toml")],
                                       stdout=self.log, stderr=subprocess.STDOUT)
        self.submounts = []
        self.sandbox = None
        self.count = 0
        try:
            self._load_stubs()
            self._wait()
            self._import_image()
            self.root = os.path.join(self.tmp, "node")
            for rel in list(DIRS.values()) + ["workitems/job/job-1/task1/wd"]:
                os.makedirs(os.path.join(self.root, rel), exist_ok=True)
                with open(os.path.join(self.root, rel, "marker"), "w") as f:
                    f.write("x")
            self.sandbox_config = self.pb.PodSandboxConfig(
                metadata=self.pb.PodSandboxMetadata(name="batchmount-proof", uid=f"bm-{os.getpid()}",
                                                    namespace="batchmount"),
                log_directory=os.path.join(self.tmp, "logs"),
                linux=self.pb.LinuxPodSandboxConfig(security_context=self.pb.LinuxSandboxSecurityContext(
                    namespace_options=self.pb.NamespaceOption(network=self.pb.NODE, pid=self.pb.POD))))
            self.sandbox = self._call("RunPodSandbox", self.pb.RunPodSandboxRequest(config=self.sandbox_config),
                                      timeout=60).pod_sandbox_id
        except BaseException:
            self.stop()
            raise

    def _load_stubs(self):
        out = os.path.join(self.tmp, "stubs")
        os.makedirs(out)
        subprocess.run(["protoc", "-I", PROTO_DIR, f"--python_out={out}", f"--grpc_python_out={out}",
                        "--plugin=protoc-gen-grpc_python=" + shutil.which("grpc_python_plugin"),
                        os.path.join(PROTO_DIR, "runtime_v1.proto")], check=True)
        sys.path.insert(0, out)
        import grpc  # noqa: E402  (python3-grpcio)
        import runtime_v1_pb2  # noqa: E402
        import runtime_v1_pb2_grpc  # noqa: E402
        from google.protobuf import json_format  # noqa: E402
        self.grpc, self.pb, self.json_format = grpc, runtime_v1_pb2, json_format
        self.channel = grpc.insecure_channel("unix://" + self.socket)
        self.runtime = runtime_v1_pb2_grpc.RuntimeServiceStub(self.channel)

    def _call(self, name, request, timeout=30):
        return getattr(self.runtime, name)(request, timeout=timeout)

    def _wait(self):
        deadline = time.time() + 60
        while True:
            try:
                self.version = self._call("Version", self.pb.VersionRequest(version="v1"), timeout=2)
                return
            except self.grpc.RpcError:
                if time.time() > deadline or self.daemon.poll() is not None:
                    raise RuntimeError("containerd did not start: " + self.log_tail())
                time.sleep(0.3)

    def log_tail(self):
        with open(self.log_path) as log:
            return log.read()[-3000:]

    def _import_image(self):
        archive = os.path.join(self.tmp, "image.tar")
        _image_archive(archive)
        p = subprocess.run(["ctr", "--address", self.socket, "--namespace", "k8s.io", "images", "import",
                            "--snapshotter", "native", archive], capture_output=True)
        if p.returncode != 0:
            raise RuntimeError(f"ctr images import failed: {p.stderr.decode()}\ncontainerd: {self.log_tail()}")

    def mount_tmpfs(self, rel):
        """A tmpfs below a node directory (as blobfuse or NFS would be under fsmounts)."""
        path = os.path.join(self.root, rel)
        os.makedirs(path, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", path], check=True)
        self.submounts.append(path)
        with open(os.path.join(path, "marker"), "w") as f:
            f.write("x")
        return path

    def config_from_json(self, text):
        """A ContainerConfig from batchmount's CRI output (proto3 JSON), as crictl create reads it."""
        config = self.pb.ContainerConfig()
        self.json_format.Parse(text, config)
        return config

    def run_probe(self, config, probe_args, extra_mounts=()):
        """Runs the probe in a container made from `config` (with image, command, log path and
        the given extra Mounts added); returns (its output, its `crictl inspect` document)."""
        self.count += 1
        name = f"probe-{self.count}"
        config.metadata.name = name
        config.image.image = IMAGE
        config.command[:] = ["/probe.sh"]
        config.args[:] = list(probe_args)
        config.log_path = name + ".log"
        config.linux.security_context.namespace_options.pid = self.pb.CONTAINER
        config.mounts.extend(extra_mounts)
        cid = self._call("CreateContainer", self.pb.CreateContainerRequest(
            pod_sandbox_id=self.sandbox, config=config, sandbox_config=self.sandbox_config), timeout=60).container_id
        try:
            self._call("StartContainer", self.pb.StartContainerRequest(container_id=cid), timeout=60)
            deadline = time.time() + 60
            while True:
                status = self._call("ContainerStatus", self.pb.ContainerStatusRequest(container_id=cid, verbose=True))
                if status.status.state == self.pb.CONTAINER_EXITED:
                    break
                if time.time() > deadline:
                    raise RuntimeError("the probe did not exit: " + self.log_tail())
                time.sleep(0.1)
            inspect = {"status": self.json_format.MessageToDict(status.status),
                       "info": json.loads(status.info["info"]) if "info" in status.info else {}}
            lines = []
            with open(os.path.join(self.tmp, "logs", name + ".log")) as log:
                for line in log:  # "<time> stdout F <text>"
                    parts = line.rstrip("\n").split(" ", 3)
                    if len(parts) == 4 and parts[1] == "stdout":
                        lines.append(parts[3])
            return "\n".join(lines), inspect
        finally:
            self._call("RemoveContainer", self.pb.RemoveContainerRequest(container_id=cid), timeout=60)

    def stop(self):
        try:
            if self.sandbox:
                self._call("StopPodSandbox", self.pb.StopPodSandboxRequest(pod_sandbox_id=self.sandbox), timeout=60)
                self._call("RemovePodSandbox", self.pb.RemovePodSandboxRequest(pod_sandbox_id=self.sandbox), timeout=60)
        except Exception as e:  # still stop the daemon and clean up
            print(f"warning: removing the sandbox failed: {e}", file=sys.stderr)
        if self.daemon.poll() is None:
            self.daemon.send_signal(signal.SIGTERM)
            try:
                self.daemon.wait(30)
            except subprocess.TimeoutExpired:
                self.daemon.kill()
                self.daemon.wait()
        self.log.close()
        for path in reversed(self.submounts):
            subprocess.run(["umount", path], check=False)
        # Anything containerd left mounted under its directory (a snapshot, the sandbox's shm).
        with open("/proc/self/mounts") as mounts:
            below = [line.split()[1] for line in mounts if line.split()[1].startswith(self.tmp + "/")]
        for path in sorted(below, key=len, reverse=True):
            subprocess.run(["umount", "-l", path], check=False)
        subprocess.run(["rm", "-rf", "--one-file-system", self.tmp], check=False)
