import { spawn, spawnSync, type ChildProcess } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ciRequiresTools, have } from "./servers";

/**
 * Runs a process as a container would: in its own mount namespace, chrooted into a root made of this
 * machine's /usr and /etc (read-only) with the pod's volumes mounted at their mountPaths, as the pod's
 * UID and groups, inside one network namespace that stands in for the cluster network. Commands run
 * unmodified: `/tls/ca.crt` and `postgres.voting-data.svc.cluster.local` resolve as in the pod.
 */

/** The tools the sandbox needs, with the Debian package of each. */
const TOOLS: [string, string][] = [
    ["unshare", "util-linux"],
    ["nsenter", "util-linux"],
    ["mount", "mount"],
    ["chroot", "coreutils"],
    ["ip", "iproute2"],
];

/** Why namespaces cannot be used here, or undefined when they can. */
function sandboxUnavailable(): string | undefined {
    if (process.platform !== "linux") return "Linux namespaces need Linux";
    if (process.getuid?.() !== 0) return "mount and network namespaces need root";
    const missing = TOOLS.filter(([bin]) => !have(bin));
    if (missing.length > 0) return `${missing.map(([b]) => b).join(", ")} not installed (apt-get install ${missing.map(([, p]) => p).join(" ")})`;
    const probe = spawnSync("unshare", ["--mount", "--net", "--", "/bin/sh", "-c", "mount -t tmpfs probe /mnt && ip link set lo up"], {
        encoding: "utf8",
    });
    if (probe.status !== 0) return `unshare --mount --net failed here: ${(probe.stderr || probe.stdout).trim()}`;
    return undefined;
}

/** Skips the suite with the reason when namespaces are unavailable; under CI that is a failure. */
export function requireSandbox(ctx: Mocha.Context): void {
    const reason = sandboxUnavailable();
    if (!reason) return;
    if (ciRequiresTools()) throw new Error(`the rehearsal sandbox cannot run: ${reason}`);
    console.log(`      skipped: the rehearsal sandbox cannot run: ${reason}`);
    ctx.skip();
}

/** A directory mounted into the container. */
export interface Mount {
    readonly hostPath: string;
    readonly mountPath: string;
    readonly readOnly: boolean;
}

/** Everything a container process needs, already resolved from its pod spec. */
export interface Launch {
    readonly argv: readonly string[];
    readonly env: Readonly<Record<string, string>>;
    readonly uid: number;
    readonly gid: number;
    readonly groups: readonly number[];
    readonly mounts: readonly Mount[];
    readonly readOnlyRootFilesystem: boolean;
    /** Contents of /etc/hosts, /etc/passwd and /etc/group inside the container. */
    readonly etc: { readonly hosts: string; readonly passwd: string; readonly group: string };
}

export interface Exit {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/**
 * The shell that builds the container's root inside a fresh mount namespace, then execs the command
 * through chroot as the pod's user. Absolute paths only: PATH is the container's, not this machine's.
 */
export function rootScript(root: string, etcDir: string, l: Launch): string {
    const r = q(root);
    const lines = [
        "set -eu",
        `/usr/bin/mount -t tmpfs -o mode=0755,size=64m container-root ${r}`,
        `/usr/bin/mkdir ${r}/usr ${r}/etc ${r}/dev ${r}/proc`,
        `/usr/bin/mount --rbind /usr ${r}/usr`,
        `/usr/bin/mount -o remount,bind,ro ${r}/usr`,
        `/usr/bin/mount --rbind /etc ${r}/etc`,
        ...["hosts", "passwd", "group", "resolv.conf"].map((f) => `/usr/bin/mount --bind ${q(path.join(etcDir, f))} ${r}/etc/${f}`),
        `/usr/bin/mount -o remount,bind,ro ${r}/etc`,
        `/usr/bin/mount --rbind /dev ${r}/dev`,
        `/usr/bin/mount -t proc proc ${r}/proc`,
        ...["bin", "lib", "lib64", "sbin"].map((d) => `/usr/bin/ln -s usr/${d} ${r}/${d}`),
    ];
    for (const m of l.mounts) {
        const target = `${r}${q(m.mountPath)}`;
        lines.push(`/usr/bin/mkdir -p ${target}`, `/usr/bin/mount --bind ${q(m.hostPath)} ${target}`);
        if (m.readOnly) lines.push(`/usr/bin/mount -o remount,bind,ro ${target}`);
    }
    if (l.readOnlyRootFilesystem) lines.push(`/usr/bin/mount -o remount,ro ${r}`);
    const groups = [...new Set([l.gid, ...l.groups])].join(",");
    lines.push(`exec /usr/sbin/chroot --userspec=${l.uid}:${l.gid} --groups=${groups} ${r} ${l.argv.map(q).join(" ")}`);
    return lines.join("\n");
}

/** One network namespace with a loopback that carries every pod's address: the cluster network's stand-in. */
export class ClusterNetwork {
    private readonly holder: ChildProcess;
    private readonly processes = new Set<ChildProcess>();
    private counter = 0;

    private constructor(
        holder: ChildProcess,
        private readonly workDir: string,
    ) {
        this.holder = holder;
    }

    /** The holder exits when its stdin closes, so the namespace never outlives the test process. */
    static async create(workDir: string): Promise<ClusterNetwork> {
        const holder = spawn("unshare", ["--net", "--", "/bin/sh", "-c", "ip link set lo up && echo up && read _"], {
            stdio: ["pipe", "pipe", "pipe"],
        });
        await new Promise<void>((resolve, reject) => {
            holder.stdout!.once("data", () => resolve());
            holder.once("exit", (code) => reject(new Error(`the network namespace holder exited with ${code}`)));
        });
        return new ClusterNetwork(holder, workDir);
    }

    private get nsenter(): string[] {
        return ["nsenter", `--net=/proc/${this.holder.pid}/ns/net`, "--"];
    }

    /** Gives the namespace's loopback another address, as a pod IP. */
    addAddress(ip: string): void {
        const [cmd, ...args] = [...this.nsenter, "ip", "addr", "add", `${ip}/32`, "dev", "lo"];
        const r = spawnSync(cmd, args, { encoding: "utf8" });
        if (r.status !== 0) throw new Error(`ip addr add ${ip} failed: ${r.stderr}`);
    }

    private spawnContainer(l: Launch): { child: ChildProcess; dir: string } {
        const dir = fs.mkdtempSync(path.join(this.workDir, `c${++this.counter}-`));
        const root = path.join(dir, "root");
        const etc = path.join(dir, "etc");
        fs.mkdirSync(root);
        fs.mkdirSync(etc);
        fs.writeFileSync(path.join(etc, "hosts"), l.etc.hosts);
        fs.writeFileSync(path.join(etc, "passwd"), l.etc.passwd);
        fs.writeFileSync(path.join(etc, "group"), l.etc.group);
        fs.writeFileSync(path.join(etc, "resolv.conf"), "# no DNS server: cluster names come from /etc/hosts\n");
        const [cmd, ...args] = [...this.nsenter, "unshare", "--mount", "--", "/bin/sh", "-c", rootScript(root, etc, l)];
        const child = spawn(cmd, args, { env: { ...l.env }, stdio: ["ignore", "pipe", "pipe"], detached: true });
        this.processes.add(child);
        child.once("exit", () => this.processes.delete(child));
        return { child, dir };
    }

    /** Runs a container to completion; a process still running after `timeoutMs` is killed. */
    run(l: Launch, timeoutMs = 120_000): Promise<Exit> {
        const { child } = this.spawnContainer(l);
        let stdout = "";
        let stderr = "";
        child.stdout!.on("data", (d) => (stdout += d));
        child.stderr!.on("data", (d) => (stderr += d));
        return new Promise((resolve) => {
            const timer = setTimeout(() => killGroup(child, "SIGKILL"), timeoutMs);
            child.once("close", (code) => {
                clearTimeout(timer);
                resolve({ code, stdout, stderr });
            });
        });
    }

    /** Starts a long-running container; its output goes to a log file. */
    start(l: Launch): Background {
        const { child, dir } = this.spawnContainer(l);
        const log = path.join(dir, "log");
        const out = fs.createWriteStream(log);
        child.stdout!.pipe(out);
        child.stderr!.pipe(out);
        return new Background(child, log);
    }

    /** Stops every process still running in the namespace, then the namespace itself. */
    async close(): Promise<void> {
        await Promise.all([...this.processes].map((p) => stopProcess(p, 10_000)));
        this.holder.stdin!.end();
        await new Promise((r) => (this.holder.exitCode !== null ? r(undefined) : this.holder.once("exit", r)));
    }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
        if (child.pid) process.kill(-child.pid, signal);
    } catch {
        // already gone
    }
}

/** SIGTERM, as the kubelet sends, then SIGKILL after the grace period. */
async function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    killGroup(child, "SIGTERM");
    const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
    await exited;
    clearTimeout(timer);
}

/** A server container running in the background. */
export class Background {
    constructor(
        private readonly child: ChildProcess,
        readonly logFile: string,
    ) {}

    get running(): boolean {
        return this.child.exitCode === null && this.child.signalCode === null;
    }

    log(): string {
        return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, "utf8") : "";
    }

    stop(graceMs = 10_000): Promise<void> {
        return stopProcess(this.child, graceMs);
    }
}
