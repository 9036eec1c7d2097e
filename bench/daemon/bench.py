"""Measures the devspaces daemon against `dotnet --version` started in the same run (stdlib only)."""
import argparse
import json
import os
import resource
import sys
import statistics
import subprocess
import tempfile
import time


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_frame(stream):
    header = b""
    while not header.endswith(b"\r\n\r\n"):
        byte = stream.read(1)
        if not byte:
            raise RuntimeError("daemon closed stdout")
        header += byte
    length = next(int(line.split(b":")[1]) for line in header.split(b"\r\n") if line.lower().startswith(b"content-length"))
    return json.loads(stream.read(length))


def read_response(stream, request_id):
    while True:
        message = read_frame(stream)
        if message.get("id") == request_id:
            if "error" in message:
                raise RuntimeError(f"request {request_id} failed: {message['error']}")
            return message


def start_daemon(exe, workspace, kubeconfig):
    args = [exe, "daemon", "--stdio", "--client-pid", str(os.getpid()), "--log-dir", os.path.join(workspace, "logs")]
    if kubeconfig:
        args += ["--kubeconfig", kubeconfig]
    return subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(os.environ["BENCH_STDERR"], "a") if os.environ.get("BENCH_STDERR") else subprocess.DEVNULL)


def stop_daemon(daemon):
    daemon.stdin.write(frame({"jsonrpc": "2.0", "id": 999999, "method": "shutdown"}))
    daemon.stdin.flush()
    read_response(daemon.stdout, 999999)
    daemon.wait(timeout=30)


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def private_dirty_kib(pid):
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            if line.startswith("Private_Dirty:"):
                return int(line.split()[1])
    return 0


def rss_by_mapping_kib(pid):
    """Resident KiB per mapped file (or [anon], [heap], /memfd:...), largest first."""
    sizes = {}
    name = None
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            fields = line.split()
            if "-" in fields[0] and ":" not in fields[0]:
                name = os.path.basename(fields[5]) if len(fields) > 5 else "[anon]"
            elif fields[0] == "Rss:":
                sizes[name] = sizes.get(name, 0) + int(fields[1])
    return sorted(sizes.items(), key=lambda item: -item[1])


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_kib_of(command):
    """Peak RSS of one run of command, measured in a fresh process whose only child it is."""
    probe = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True); "
             "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    return int(subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True).stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exe", required=True)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--mappings", type=int, default=0, help="also print the N largest mappings of the idle daemon")
    parser.add_argument("--kubeconfig", default=os.environ.get("DEVSPACES_TEST_KUBECONFIG") or os.environ.get("KUBECONFIG"))
    options = parser.parse_args()
    if not os.path.exists(options.exe):
        raise SystemExit(f"{options.exe} is missing: dotnet build DevSpaces.sln -c Release")

    # Baseline: the .NET host starting and answering `dotnet --version`.
    subprocess.run(["dotnet", "--version"], stdout=subprocess.DEVNULL, check=True)  # warm the file cache
    baseline = []
    for _ in range(options.runs):
        began = time.perf_counter()
        subprocess.run(["dotnet", "--version"], stdout=subprocess.DEVNULL, check=True)
        baseline.append(time.perf_counter() - began)
    baseline_start = statistics.median(baseline)
    baseline_rss = peak_rss_kib_of(["dotnet", "--version"])

    with tempfile.TemporaryDirectory() as workspace:
        startup = []
        for run in range(options.runs + 1):
            began = time.perf_counter()
            daemon = start_daemon(options.exe, workspace, options.kubeconfig)
            daemon.stdin.write(frame({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"clientName": "bench", "workspaceFolder": workspace}}))
            daemon.stdin.flush()
            read_response(daemon.stdout, 1)
            elapsed = time.perf_counter() - began
            if run > 0:  # the first run warms the file cache
                startup.append(elapsed)
            if run < options.runs:
                stop_daemon(daemon)

        # The spaces the Dev Spaces view shows (with a cluster: a list call, and the space watch keeps running).
        daemon.stdin.write(frame({"jsonrpc": "2.0", "id": 2, "method": "space/list"}))
        daemon.stdin.flush()
        try:
            read_response(daemon.stdout, 2)
        except RuntimeError:
            if options.kubeconfig:
                raise

        # Round trips on the last daemon: space/current reads the workspace state and kubeconfig.
        for i in range(50):
            daemon.stdin.write(frame({"jsonrpc": "2.0", "id": 10 + i, "method": "space/current"}))
            daemon.stdin.flush()
            read_response(daemon.stdout, 10 + i)
        trips = []
        for i in range(options.calls):
            request_id = 1000 + i
            began = time.perf_counter()
            daemon.stdin.write(frame({"jsonrpc": "2.0", "id": request_id, "method": "space/current"}))
            daemon.stdin.flush()
            read_response(daemon.stdout, request_id)
            trips.append(time.perf_counter() - began)

        # Idle: no requests for a while, watches running if a cluster is configured.
        idle_cpu = cpu_seconds(daemon.pid)
        time.sleep(3)
        idle_cpu = cpu_seconds(daemon.pid) - idle_cpu
        idle_rss = rss_kib(daemon.pid)
        idle_private = private_dirty_kib(daemon.pid)
        mappings = rss_by_mapping_kib(daemon.pid)
        began = time.perf_counter()
        daemon.stdin.write(frame({"jsonrpc": "2.0", "id": 3, "method": "space/current"}))
        daemon.stdin.flush()
        read_response(daemon.stdout, 3)
        after_idle = time.perf_counter() - began
        stop_daemon(daemon)

    start = statistics.median(startup)
    p50, p99 = percentile(trips, 50), percentile(trips, 99)
    print(f"baseline: dotnet --version start-up (median of {options.runs}): {baseline_start * 1000:.1f} ms, peak RSS {baseline_rss / 1024:.1f} MiB")
    print(f"daemon start -> initialize answered (median of {options.runs}): {start * 1000:.1f} ms = {start / baseline_start:.2f}x dotnet --version")
    print(f"rpc round-trip space/current over stdio ({options.calls} calls): p50 {p50 * 1000:.3f} ms = {p50 / baseline_start:.4f}x, p99 {p99 * 1000:.3f} ms = {p99 / baseline_start:.4f}x dotnet --version start-up")
    print(f"daemon idle RSS: {idle_rss / 1024:.1f} MiB = {idle_rss / baseline_rss:.2f}x dotnet --version peak RSS"
          f" (of which private dirty {idle_private / 1024:.1f} MiB; the rest is mostly runtime files shared with other .NET processes)")
    print(f"daemon CPU in those 3 idle seconds: {idle_cpu * 1000:.0f} ms; first space/current after them: {after_idle * 1000:.3f} ms = {after_idle / p50:.1f}x the p50 round-trip")
    if options.mappings:
        print(f"idle daemon's largest mappings (of {len(mappings)}): " + ", ".join(f"{name} {kib / 1024:.1f}" for name, kib in mappings[:options.mappings]) + " MiB")
        print(f"KubernetesClient.dll mapped: {'yes' if any(name == 'KubernetesClient.dll' for name, _ in mappings) else 'no'};"
              f" YamlDotNet.dll mapped: {'yes' if any(name == 'YamlDotNet.dll' for name, _ in mappings) else 'no'}")
    print(f"cluster: {'kubeconfig ' + options.kubeconfig if options.kubeconfig else 'none (no kubeconfig: watches idle in back-off)'}")


if __name__ == "__main__":
    main()
