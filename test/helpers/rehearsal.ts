import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { K8sObject } from "../../policies/lib/k8s";
import { ClusterNetwork, requireSandbox, type Background, type Exit, type Launch, type Mount } from "./sandbox";
import { ciRequiresTools, postgresBinDir, requireBinary } from "./servers";
import { externalSecrets, issueCertificates, plainSecrets, secretKey, type RemoteSecrets, type SecretStore } from "./standins";

/**
 * A rehearsal of rendered objects on this machine: their Secrets made as the cluster's controllers
 * would, their StatefulSets started and their Jobs run as their pod specs say, each container in the
 * sandbox (see sandbox.ts). Where an image's own content matters, a stand-in from this machine's
 * Debian packages takes its place (IMAGES).
 */

/** What the rehearsal takes from an image: its PATH, its entrypoint, the user its passwd names. */
interface ImageStandIn {
    readonly path: string;
    readonly entrypoint?: readonly string[];
    readonly user: string;
}

const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/**
 * Stands in for the official postgres image's docker-entrypoint.sh: on an empty PGDATA it runs initdb
 * with POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_INITDB_ARGS, allows host connections with the
 * server's password_encryption method, creates POSTGRES_DB on a socket-only temporary server, then
 * execs postgres with the container's args.
 */
export const POSTGRES_ENTRYPOINT = `set -eu
case "\${1:-}" in -*) set -- postgres "$@" ;; esac
if [ "$1" = postgres ] && [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"; chmod 0700 "$PGDATA"
  printf '%s\\n' "$POSTGRES_PASSWORD" >/tmp/.pwfile
  initdb --username="$POSTGRES_USER" --pwfile=/tmp/.pwfile $POSTGRES_INITDB_ARGS >/dev/null
  rm -f /tmp/.pwfile
  shift; method=$(postgres -C password_encryption "$@"); set -- postgres "$@"
  printf '\\nhost all all all %s\\n' "$method" >>"$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start >/dev/null
  if [ "$POSTGRES_DB" != postgres ]; then
    PGPASSWORD="$POSTGRES_PASSWORD" psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres -q -c "CREATE DATABASE \\"$POSTGRES_DB\\""
  fi
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
fi
exec "$@"
`;

function images(): Record<string, ImageStandIn> {
    const pgBin = postgresBinDir();
    return {
        "docker.io/library/postgres": {
            path: `${pgBin ? `${pgBin}:` : ""}${DEFAULT_PATH}`,
            entrypoint: ["/bin/sh", "-c", POSTGRES_ENTRYPOINT, "docker-entrypoint.sh"],
            user: "postgres",
        },
        "docker.io/library/redis": { path: DEFAULT_PATH, user: "redis" },
        "docker.io/rclone/rclone": { path: DEFAULT_PATH, entrypoint: ["rclone"], user: "rclone" },
    };
}

/** This machine's client tools (psql, redis-cli, python3 with redis-py, openssl), for images the rehearsal cannot run. */
function clientTools(): ImageStandIn {
    const pgBin = postgresBinDir();
    return { path: `${pgBin ? `${pgBin}:` : ""}${DEFAULT_PATH}`, user: "app" };
}

/** Debian's python3, with python3-redis: the apps' Redis client (redis-py) stands in for their image. */
export const PYTHON = "/usr/bin/python3";

/** The prefix of the variables that define rclone's `backup` remote. */
const REMOTE_PREFIX = "RCLONE_CONFIG_BACKUP_";

/** `registry/repo:tag@digest` → `registry/repo`. */
export function repositoryOf(image: string): string {
    const noDigest = image.split("@")[0];
    const slash = noDigest.lastIndexOf("/");
    const colon = noDigest.lastIndexOf(":");
    return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/**
 * Kubernetes' `$(VAR)` expansion (command, args and env values): a defined variable is replaced,
 * `$$` is a literal `$`, and an undefined reference stays as written.
 */
export function expandVars(s: string, vars: Readonly<Record<string, string>>): string {
    return s.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (m, name: string | undefined) => {
        if (m === "$$") return "$";
        return name !== undefined && name in vars ? vars[name] : m;
    });
}

/** A running pod of a StatefulSet. */
export interface ServerPod {
    readonly name: string;
    readonly namespace: string;
    readonly ip: string;
    readonly containers: Map<string, Background>;
    /** `kubectl exec`: runs argv in the named container's environment and mounts. */
    exec(container: string, argv: readonly string[]): Promise<Exit>;
}

/** The exit of each container of a pod run to completion, init containers first. */
export interface PodRun {
    readonly containers: { readonly name: string; readonly init: boolean; readonly exit: Exit }[];
    /** True when every container exited 0. */
    readonly succeeded: boolean;
}

interface PodContext {
    readonly name: string;
    readonly namespace: string;
    readonly ip: string;
    readonly spec: any;
    readonly dir: string;
    /** Volume name → claim name, for a StatefulSet's volumeClaimTemplates. */
    readonly claims: Map<string, string>;
    /** Volume name → host directory. */
    readonly volumes: Map<string, string>;
}

export interface RehearsalOptions {
    /** Values the secret manager holds, for the ExternalSecrets. */
    readonly remote?: RemoteSecrets;
}

export class Rehearsal {
    readonly secrets: SecretStore = new Map();
    readonly configMaps = new Map<string, Record<string, string>>();
    /** Certificates the cert-manager stand-in issued. */
    readonly certificates: string[];
    /**
     * The object store's stand-in: rclone's `backup` remote becomes a local remote on this directory,
     * mounted at `/$BUCKET` in each container that defines the remote.
     */
    readonly bucketDir: string;
    /** The RCLONE_CONFIG_BACKUP_* settings each container had before the local remote replaced them. */
    readonly replacedRemotes: Record<string, string>[] = [];
    /** Running pods; only servers (StatefulSet pods) back Services, as only they declare the Services' target ports. */
    private readonly pods = new Map<string, { ip: string; namespace: string; labels: Record<string, string>; serving: boolean }>();
    private readonly serviceIps = new Map<string, string>();
    private nextPodIp = 10;
    private readonly claims = new Map<string, string>();
    private readonly imageTable = images();

    private constructor(
        readonly objects: readonly K8sObject[],
        readonly workDir: string,
        readonly network: ClusterNetwork,
        opts: RehearsalOptions,
    ) {
        plainSecrets(objects, this.secrets);
        externalSecrets(objects, opts.remote ?? {}, this.secrets);
        this.certificates = issueCertificates(objects, path.join(workDir, "pki"), this.secrets).issued;
        for (const cm of objects.filter((o) => o.kind === "ConfigMap")) {
            this.configMaps.set(secretKey(cm.metadata!.namespace!, cm.metadata!.name!), { ...(cm.data ?? {}) });
        }
        this.bucketDir = path.join(workDir, "bucket");
        fs.mkdirSync(this.bucketDir, { mode: 0o777 });
        fs.chmodSync(this.bucketDir, 0o777);
        let n = 2;
        for (const svc of objects.filter((o) => o.kind === "Service"))
            this.serviceIps.set(secretKey(svc.metadata!.namespace!, svc.metadata!.name!), `10.96.0.${n++}`);
    }

    static async start(objects: readonly K8sObject[], opts: RehearsalOptions = {}): Promise<Rehearsal> {
        const workDir = fs.mkdtempSync(path.join(os.tmpdir(), "rehearsal-"));
        fs.mkdirSync(path.join(workDir, "pki"));
        fs.chmodSync(workDir, 0o755);
        const network = await ClusterNetwork.create(workDir);
        return new Rehearsal(objects, workDir, network, opts);
    }

    find(kind: string, namespace: string, name: string): K8sObject {
        const o = this.objects.find((x) => x.kind === kind && x.metadata?.namespace === namespace && x.metadata?.name === name);
        if (!o) throw new Error(`no ${kind} ${namespace}/${name} among the rendered objects`);
        return o;
    }

    /** /etc/hosts as kube-dns would answer a pod in `namespace`: Services backed by a rehearsed pod resolve to it. */
    hostsFor(namespace: string, podName: string, podIp: string): string {
        const lines = [
            "127.0.0.1 localhost",
            "::1 localhost ip6-localhost ip6-loopback",
            `${podIp} ${podName}`,
            "10.96.0.1 kubernetes.default.svc.cluster.local kubernetes.default.svc",
        ];
        for (const svc of this.objects.filter((o) => o.kind === "Service")) {
            const ns = svc.metadata!.namespace!;
            const name = svc.metadata!.name!;
            const selector: Record<string, string> = svc.spec?.selector ?? {};
            const backing = [...this.pods.values()].find(
                (p) =>
                    p.serving &&
                    p.namespace === ns &&
                    Object.keys(selector).length > 0 &&
                    Object.entries(selector).every(([k, v]) => p.labels[k] === v),
            );
            const ip = backing?.ip ?? this.serviceIps.get(secretKey(ns, name))!;
            lines.push(`${ip} ${name}.${ns}.svc.cluster.local ${name}.${ns}.svc${ns === namespace ? ` ${name}` : ""}`);
        }
        return `${lines.join("\n")}\n`;
    }

    /** The host directory behind one volume of a pod, made as the kubelet would (fsGroup ownership, Secret file modes). */
    private volumeDir(pod: PodContext, v: any, fsGroup: number | undefined): string {
        const dir = path.join(pod.dir, "volumes", v.name);
        const group = fsGroup ?? 0;
        const files = (source: Record<string, string> | undefined, what: string, items: any[] | undefined, mode: number, optional: boolean) => {
            fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
            if (!source) {
                if (optional) return;
                throw new Error(`pod ${pod.namespace}/${pod.name}: ${what} does not exist; the pod would not start`);
            }
            const chosen = items ?? Object.keys(source).map((key) => ({ key, path: key }));
            for (const item of chosen) {
                if (!(item.key in source)) throw new Error(`pod ${pod.namespace}/${pod.name}: ${what} has no key ${item.key}`);
                const file = path.join(dir, item.path);
                fs.mkdirSync(path.dirname(file), { recursive: true });
                fs.writeFileSync(file, source[item.key]);
                fs.chownSync(file, 0, group);
                fs.chmodSync(file, item.mode ?? mode);
            }
        };
        if (v.emptyDir) {
            fs.mkdirSync(dir, { recursive: true });
            fs.chownSync(dir, 0, group);
            fs.chmodSync(dir, fsGroup !== undefined ? 0o2777 : 0o777);
            return dir;
        }
        if (v.secret) {
            const s = v.secret;
            const data = this.secrets.get(secretKey(pod.namespace, s.secretName));
            files(data, `Secret ${pod.namespace}/${s.secretName}`, s.items, s.defaultMode ?? 0o644, s.optional === true);
            return dir;
        }
        if (v.configMap) {
            const c = v.configMap;
            files(
                this.configMaps.get(secretKey(pod.namespace, c.name)),
                `ConfigMap ${pod.namespace}/${c.name}`,
                c.items,
                c.defaultMode ?? 0o644,
                c.optional === true,
            );
            return dir;
        }
        const claim: string | undefined = v.persistentVolumeClaim?.claimName ?? pod.claims.get(v.name);
        if (claim) {
            const key = secretKey(pod.namespace, claim);
            if (!this.claims.has(key)) {
                const claimDir = path.join(this.workDir, "claims", pod.namespace, claim);
                fs.mkdirSync(claimDir, { recursive: true });
                this.claims.set(key, claimDir);
            }
            const claimDir = this.claims.get(key)!;
            fs.chownSync(claimDir, 0, group);
            fs.chmodSync(claimDir, fsGroup !== undefined ? 0o2775 : 0o755);
            return claimDir;
        }
        throw new Error(`pod ${pod.namespace}/${pod.name}: volume ${v.name} is of a type the rehearsal does not support`);
    }

    /** A pod's directory and its volumes, made once for all its containers. */
    private preparePod(namespace: string, name: string, spec: any, labels: Record<string, string>, claims?: Map<string, string>): PodContext {
        const ip = `10.244.0.${this.nextPodIp++}`;
        this.network.addAddress(ip);
        this.pods.set(secretKey(namespace, name), { ip, namespace, labels, serving: claims !== undefined });
        claims ??= new Map<string, string>();
        const dir = path.join(this.workDir, "pods", namespace, name);
        fs.mkdirSync(dir, { recursive: true });
        const pod: PodContext = { name, namespace, ip, spec, dir, claims, volumes: new Map() };
        const fsGroup: number | undefined = spec.securityContext?.fsGroup;
        for (const v of [...(spec.volumes ?? []), ...[...claims.keys()].map((n) => ({ name: n }))])
            pod.volumes.set(v.name, this.volumeDir(pod, v, fsGroup));
        return pod;
    }

    /** Resolves env as the kubelet does: literal values, Secret and ConfigMap keys, the downward API, `$(VAR)`. */
    private resolveEnv(podName: string, namespace: string, c: any, podIp: string, base: Record<string, string>): Record<string, string> {
        const env: Record<string, string> = { ...base };
        for (const from of c.envFrom ?? []) {
            const ref = from.secretRef ?? from.configMapRef;
            const store = from.secretRef ? this.secrets : this.configMaps;
            const data = store.get(secretKey(namespace, ref.name));
            if (!data) throw new Error(`pod ${podName}: envFrom names ${ref.name}, which does not exist`);
            for (const [k, v] of Object.entries(data)) env[`${from.prefix ?? ""}${k}`] = v;
        }
        for (const e of c.env ?? []) {
            if (e.value !== undefined) env[e.name] = expandVars(String(e.value), env);
            else if (e.valueFrom?.secretKeyRef || e.valueFrom?.configMapKeyRef) {
                const ref = e.valueFrom.secretKeyRef ?? e.valueFrom.configMapKeyRef;
                const kind = e.valueFrom.secretKeyRef ? "Secret" : "ConfigMap";
                const data = (e.valueFrom.secretKeyRef ? this.secrets : this.configMaps).get(secretKey(namespace, ref.name));
                if (!data || !(ref.key in data)) {
                    if (ref.optional) continue;
                    throw new Error(`pod ${podName}: env ${e.name} needs ${kind} ${namespace}/${ref.name} key ${ref.key}, which does not exist`);
                }
                env[e.name] = data[ref.key];
            } else if (e.valueFrom?.fieldRef) {
                const field = e.valueFrom.fieldRef.fieldPath;
                const known: Record<string, string> = { "metadata.name": podName, "metadata.namespace": namespace, "status.podIP": podIp };
                if (!(field in known)) throw new Error(`pod ${podName}: env ${e.name} reads ${field}, which the rehearsal does not provide`);
                env[e.name] = known[field];
            } else {
                throw new Error(`pod ${podName}: env ${e.name} has a source the rehearsal does not support`);
            }
        }
        return env;
    }

    /** Everything one container of a pod needs to run in the sandbox. */
    private launch(pod: PodContext, c: any, argvOverride?: readonly string[], imageOverride?: ImageStandIn): Launch {
        const spec = pod.spec;
        const image = imageOverride ?? this.imageTable[repositoryOf(c.image)];
        if (!image) throw new Error(`container ${c.name}: no stand-in for image ${c.image}`);
        const psc = spec.securityContext ?? {};
        const csc = c.securityContext ?? {};
        const uid: number | undefined = csc.runAsUser ?? psc.runAsUser;
        const gid: number = csc.runAsGroup ?? psc.runAsGroup ?? uid ?? 0;
        if (uid === undefined) throw new Error(`container ${c.name}: no runAsUser; the rehearsal does not know the image's user`);
        if ((csc.runAsNonRoot ?? psc.runAsNonRoot) && uid === 0)
            throw new Error(`container ${c.name}: runAsNonRoot with UID 0; the kubelet would refuse it`);
        const fsGroup: number | undefined = psc.fsGroup;
        const mounts: Mount[] = (c.volumeMounts ?? []).map((m: any) => {
            if (m.subPath || m.subPathExpr) throw new Error(`container ${c.name}: subPath mounts are not supported`);
            const hostPath = pod.volumes.get(m.name);
            if (!hostPath) throw new Error(`container ${c.name}: mounts volume ${m.name}, which the pod does not declare`);
            return { hostPath, mountPath: m.mountPath, readOnly: m.readOnly === true };
        });
        const env = this.resolveEnv(pod.name, pod.namespace, c, pod.ip, { PATH: image.path, HOSTNAME: pod.name, HOME: "/" });
        if (`${REMOTE_PREFIX}TYPE` in env) {
            if (!env.BUCKET) throw new Error(`container ${c.name}: defines rclone's backup remote but no BUCKET`);
            const replaced = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith(REMOTE_PREFIX)));
            this.replacedRemotes.push(replaced);
            for (const k of Object.keys(replaced)) delete env[k];
            env[`${REMOTE_PREFIX}TYPE`] = "local";
            mounts.push({ hostPath: this.bucketDir, mountPath: `/${env.BUCKET}`, readOnly: false });
        }
        const expand = (xs: string[] | undefined) => xs?.map((x) => expandVars(x, env));
        const command = expand(c.command);
        const args = expand(c.args);
        let argv: readonly string[];
        if (argvOverride) argv = argvOverride;
        else if (command) argv = [...command, ...(args ?? [])];
        else if (image.entrypoint) argv = [...image.entrypoint, ...(args ?? [])];
        else throw new Error(`container ${c.name}: no command and no stand-in entrypoint for ${c.image}`);
        return {
            argv,
            env,
            uid,
            gid,
            groups: [...(fsGroup !== undefined ? [fsGroup] : []), ...(psc.supplementalGroups ?? [])],
            mounts,
            readOnlyRootFilesystem: csc.readOnlyRootFilesystem === true,
            etc: {
                hosts: this.hostsFor(pod.namespace, pod.name, pod.ip),
                passwd: `root:x:0:0:root:/root:/bin/sh\n${image.user}:x:${uid}:${gid}:${image.user}:/:/bin/sh\n`,
                group: `root:x:0:\n${image.user}:x:${gid}:\n${fsGroup !== undefined && fsGroup !== gid ? `fsgroup:x:${fsGroup}:\n` : ""}`,
            },
        };
    }

    /** Runs a pod template to completion, as a Job's pod: init containers in order, then the containers. */
    async runPod(namespace: string, podName: string, template: any, timeoutMs = 120_000): Promise<PodRun> {
        const pod = this.preparePod(namespace, podName, template.spec, template.metadata?.labels ?? {});
        const containers: PodRun["containers"] = [];
        try {
            for (const c of template.spec.initContainers ?? []) {
                const exit = await this.network.run(this.launch(pod, c), timeoutMs);
                containers.push({ name: c.name, init: true, exit });
                if (exit.code !== 0) return { containers, succeeded: false };
            }
            const exits = await Promise.all(template.spec.containers.map((c: any) => this.network.run(this.launch(pod, c), timeoutMs)));
            template.spec.containers.forEach((c: any, i: number) => containers.push({ name: c.name, init: false, exit: exits[i] }));
            return { containers, succeeded: containers.every((c) => c.exit.code === 0) };
        } finally {
            this.pods.delete(secretKey(namespace, podName));
        }
    }

    /** Runs a Job's pod once. */
    runJob(namespace: string, name: string): Promise<PodRun> {
        const job = this.find("Job", namespace, name);
        return this.runPod(namespace, `${name}-rehearsal`, job.spec.template);
    }

    /** Runs a CronJob's job template once, as `kubectl create job --from=cronjob/<name>` does. */
    runCronJob(namespace: string, name: string): Promise<PodRun> {
        const cron = this.find("CronJob", namespace, name);
        return this.runPod(namespace, `${name}-manual`, cron.spec.jobTemplate.spec.template);
    }

    /**
     * Runs `argv` with the env, volumes, user and hosts a Deployment's pod would give `container`, with
     * this machine's client tools in place of the image (as `kubectl debug --copy-to` with a tools image):
     * how the app's connection strings are exercised without the app's image.
     */
    async runInPodOf(namespace: string, deployment: string, container: string, argv: readonly string[]): Promise<Exit> {
        const template = this.find("Deployment", namespace, deployment).spec.template;
        const c = template.spec.containers.find((x: any) => x.name === container);
        if (!c) throw new Error(`Deployment ${namespace}/${deployment} has no container ${container}`);
        const podName = `${deployment}-debug-${this.nextPodIp}`;
        const pod = this.preparePod(namespace, podName, template.spec, template.metadata?.labels ?? {});
        try {
            return await this.network.run(this.launch(pod, c, argv, clientTools()), 60_000);
        } finally {
            this.pods.delete(secretKey(namespace, podName));
        }
    }

    /**
     * Runs `argv` with this machine's client tools in a bare pod of `namespace` (UID 65532, read-only
     * root), `files` mounted read-only under /work: how a controller outside the platform (KEDA) is
     * stood in for when it connects to a data server.
     */
    async runTools(namespace: string, argv: readonly string[], files: Record<string, string> = {}): Promise<Exit> {
        const podName = `tools-${this.nextPodIp}`;
        const secretName = `${podName}-files`;
        this.secrets.set(secretKey(namespace, secretName), files);
        const spec = {
            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 },
            volumes: [{ name: "work", secret: { secretName, defaultMode: 0o440 } }],
        };
        const c = {
            name: "tools",
            volumeMounts: [{ name: "work", mountPath: "/work", readOnly: true }],
            securityContext: { readOnlyRootFilesystem: true },
        };
        const pod = this.preparePod(namespace, podName, spec, {});
        try {
            return await this.network.run(this.launch(pod, c, argv, clientTools()), 60_000);
        } finally {
            this.pods.delete(secretKey(namespace, podName));
            this.secrets.delete(secretKey(namespace, secretName));
        }
    }

    /**
     * Starts pod 0 of a StatefulSet: its claims from volumeClaimTemplates, its containers in the
     * background, and waits until the readiness probe's command succeeds in each container.
     */
    async startStatefulSet(namespace: string, name: string, timeoutMs = 60_000): Promise<ServerPod> {
        const sts = this.find("StatefulSet", namespace, name);
        const podName = `${name}-0`;
        const template = sts.spec.template;
        const claims = new Map<string, string>(
            (sts.spec.volumeClaimTemplates ?? []).map((t: any) => [t.metadata.name, `${t.metadata.name}-${podName}`]),
        );
        const pod = this.preparePod(namespace, podName, template.spec, template.metadata?.labels ?? {}, claims);
        for (const c of template.spec.initContainers ?? []) {
            const exit = await this.network.run(this.launch(pod, c));
            if (exit.code !== 0) throw new Error(`init container ${c.name} of ${podName} exited ${exit.code}: ${exit.stderr}`);
        }
        const containers = new Map<string, Background>();
        for (const c of template.spec.containers) containers.set(c.name, this.network.start(this.launch(pod, c)));
        const exec = (container: string, argv: readonly string[]) => {
            const c = template.spec.containers.find((x: any) => x.name === container);
            if (!c) throw new Error(`${podName} has no container ${container}`);
            return this.network.run(this.launch(pod, c, argv), 30_000);
        };
        const until = Date.now() + timeoutMs;
        for (const c of template.spec.containers) {
            const probe = c.readinessProbe?.exec?.command;
            if (!probe) throw new Error(`container ${c.name} of ${podName} has no exec readiness probe to wait on`);
            for (;;) {
                const bg = containers.get(c.name)!;
                if (!bg.running) throw new Error(`container ${c.name} of ${podName} exited:\n${bg.log()}`);
                const r = await exec(c.name, probe);
                if (r.code === 0) break;
                if (Date.now() > until) throw new Error(`container ${c.name} of ${podName} never became ready: ${r.stdout}${r.stderr}\n${bg.log()}`);
                await new Promise((res) => setTimeout(res, 250));
            }
        }
        return { name: podName, namespace, ip: pod.ip, containers, exec };
    }

    /** Stops every pod and the network, and removes the work directory. */
    async stop(): Promise<void> {
        await this.network.close();
        spawnSync("rm", ["-rf", "--one-file-system", this.workDir]);
    }
}

/**
 * What the secret manager holds for prod, standing in for AWS Secrets Manager. The passwords carry
 * characters a URL reserves (and a space), as generated passwords may.
 */
export const PROD_REMOTE = {
    "voting/prod/postgres": { password: "pg p@ss:w/rd%+?#&'x" },
    "voting/prod/redis": { password: "r3d!s p@ss/w:rd%+?#x" },
    // The alert receivers' credentials (Alertmanager's PagerDuty routing key, Slack webhook URL).
    "voting/prod/alerting": { "oncall-pagerduty": "pd-routing-key-rehearsal", "team-slack": "https://hooks.slack.example/services/rehearsal" },
};

/** Skips (or, under CI, fails) when a tool the rehearsal runs is missing. */
export function requireRehearsalTools(ctx: Mocha.Context): void {
    requireSandbox(ctx);
    if (!postgresBinDir()) requireBinary(ctx, "initdb", "postgresql");
    for (const [bin, pkg] of [
        ["redis-server", "redis-server"],
        ["redis-cli", "redis-tools"],
        ["psql", "postgresql-client"],
        ["pg_dump", "postgresql-client"],
        ["rclone", "rclone"],
        ["openssl", "openssl"],
    ]) {
        requireBinary(ctx, bin, pkg);
    }
    // Debian's python3, which the rehearsal runs as the apps' Python, must have redis-py.
    if (spawnSync(PYTHON, ["-c", "import redis"]).status !== 0) {
        if (ciRequiresTools()) throw new Error(`${PYTHON} cannot import redis; .ci/run installs python3-redis`);
        console.log(`      skipped: ${PYTHON} cannot import redis (apt-get install python3-redis)`);
        ctx.skip();
    }
}

/** What each container of a pod printed, for an assertion message. */
export const transcript = (run: PodRun) =>
    run.containers.map((c) => `--- ${c.name} exited ${c.exit.code}\n${c.exit.stdout}${c.exit.stderr}`).join("\n");
