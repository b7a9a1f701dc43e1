import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ImageRef, PlatformConfig } from "../../config/types";
import type { ResolvedWorkload } from "../../config/workloads";
import { standardLabels, versionLabel } from "../labels";
import { allowedFlows, DENIED, VERIFIED_SOURCES, VERIFY_JOB, VERIFY_JOB_PATTERN } from "../network/trafficMatrix";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../security";
import { imageName } from "../workloads/workload";
import { withEphemeralStorage } from "../ephemeralStorage";

/** One check a verification pod runs from its source workload's identity. */
export interface ConnectivityTest {
    readonly name: string;
    readonly kind: "tcp" | "dns";
    readonly host: string;
    readonly port?: number;
    readonly expect: "open" | "closed";
}

const host = (w: ResolvedWorkload) => `${w.name}.${w.namespace}.svc.cluster.local`;

/**
 * The checklist's connectivity tests (8.2), per source workload: its declared flows to platform services
 * must connect, the three denied flows must not, and names must resolve.
 */
export function connectivityTests(cfg: Pick<PlatformConfig, "features">, workloads: readonly ResolvedWorkload[]): Map<string, ConnectivityTest[]> {
    const byName = new Map<string, ResolvedWorkload>(workloads.map((w) => [w.name, w]));
    const tests = new Map<string, ConnectivityTest[]>();
    const add = (source: string, t: ConnectivityTest) => {
        if (!tests.has(source)) tests.set(source, []);
        tests.get(source)!.push(t);
    };
    for (const f of allowedFlows(cfg)) {
        if (!("platform" in f.from) || !("platform" in f.to) || !(VERIFIED_SOURCES as readonly string[]).includes(f.from.platform)) continue;
        const src = byName.get(f.from.platform);
        const dst = byName.get(f.to.platform);
        if (!src || !dst) continue;
        add(src.name, { name: `${src.name} -> ${dst.name}:${f.port}`, kind: "tcp", host: host(dst), port: f.port, expect: "open" });
    }
    for (const d of DENIED) {
        const dst = byName.get(d.to)!;
        add(d.from, { name: `${d.from} -> ${d.to}:${dst.port}`, kind: "tcp", host: host(dst), port: dst.port, expect: "closed" });
    }
    for (const source of ["api", "consumer"]) {
        add(source, { name: `${source} -> kube-dns:53`, kind: "dns", host: "kubernetes.default.svc.cluster.local", expect: "open" });
    }
    return tests;
}

/**
 * A bash script (the Redis image's Debian bash, timeout and getent: no netcat needed) that runs the tests
 * and exits non-zero when any result differs from what the matrix declares. Open ports are retried while
 * policies settle; a denied connection is tried once and must time out or be refused.
 */
export function connectivityScript(tests: readonly ConnectivityTest[]): string {
    const q = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;
    const lines = tests.map((t) => (t.kind === "dns" ? `dns ${q(t.name)} ${q(t.host)}` : `tcp ${q(t.name)} ${q(t.host)} ${t.port} ${t.expect}`));
    return `set -u
failed=0
connects() { timeout "\${TIMEOUT:-3}" bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }
report() { if [ "$2" = "$3" ]; then echo "ok    $1 ($2)"; else echo "FAIL  $1: $2, expected $3"; failed=$((failed + 1)); fi; }
tcp() {
  tries=1; [ "$4" = open ] && tries="\${ATTEMPTS:-5}"
  got=closed; i=0
  while [ "$i" -lt "$tries" ]; do
    i=$((i + 1))
    if connects "$2" "$3"; then got=open; break; fi
    [ "$i" -lt "$tries" ] && sleep "\${RETRY_SECONDS:-2}"
  done
  report "$1" "$got" "$4"
}
dns() { if getent hosts "$2" >/dev/null; then report "$1" open open; else report "$1" closed open; fi; }
${lines.join("\n")}
echo "$failed of ${tests.length} connectivity test(s) differ from the traffic matrix"
[ "$failed" -eq 0 ]
`;
}

export interface ConnectivityJobArgs {
    readonly source: ResolvedWorkload;
    readonly stack: string;
    /** `releaseSuffix(cfg)`: a new name each release, so every `pulumi up` creates the Jobs and waits for them. */
    readonly release: string;
    readonly image: ImageRef;
    readonly imagePullSecret?: string;
    readonly tests: readonly ConnectivityTest[];
}

/**
 * The verification Jobs as the pack config names them (`ns/verify-connectivity-*`): replaced each release,
 * so `require-job-limits` asks them for no TTL.
 */
export function releaseJobPatterns(cfg: Pick<PlatformConfig, "features">, workloads: readonly ResolvedWorkload[]): string[] {
    if (!cfg.features.verificationJobs) return [];
    return [...connectivityTests(cfg, workloads).keys()].map(
        (source) => `${workloads.find((w) => w.name === source)!.namespace}/${VERIFY_JOB_PATTERN}`,
    );
}

/** Checklist 6.5.3: the verification pods' own identity in a namespace, with no API token. */
export function buildConnectivityServiceAccount(namespace: string, stack: string): k8s.types.input.core.v1.ServiceAccount {
    return {
        metadata: { name: VERIFY_JOB, namespace, labels: standardLabels({ name: VERIFY_JOB, component: "verification" }, stack) },
        automountServiceAccountToken: false,
    };
}

/**
 * A Job in the source's namespace whose pod carries the source workload's name label, so the same
 * NetworkPolicies apply to it, as an instance of its own (`<source>-verify-connectivity-<stack>`): the
 * source's Deployment, HPA, PodDisruptionBudget and spread select by name and instance, so none of them
 * counts the check's pod, and a drain during the check may not take one more of the source's pods. It
 * declares no ports, so no Service routes traffic to it.
 *
 * Named per release: Pulumi replaces it on every update (create the new Job, wait for it to succeed,
 * delete the last release's). It sets no ttlSecondsAfterFinished on purpose: the finished Job and its
 * log stay until the next release replaces them, and Pulumi's state never finds it deleted behind its
 * back (a TTL would make every `pulumi refresh` report it gone and the next `pulumi up` run it again).
 */
export function buildConnectivityJob(a: ConnectivityJobArgs): k8s.types.input.batch.v1.Job {
    const w = a.source;
    const podLabels = {
        ...standardLabels({ name: w.name, component: w.component, variant: VERIFY_JOB }, a.stack),
        ...versionLabel(a.image.tag),
        "voting-platform.io/verification": "connectivity",
    };
    return {
        metadata: {
            name: `${VERIFY_JOB}-${a.release}`,
            namespace: w.namespace,
            labels: { ...standardLabels({ name: VERIFY_JOB, component: "verification" }, a.stack), ...versionLabel(a.image.tag) },
        },
        spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: 300,
            template: {
                metadata: { labels: podLabels },
                spec: {
                    restartPolicy: "Never",
                    serviceAccountName: VERIFY_JOB,
                    automountServiceAccountToken: false,
                    securityContext: restrictedPodSecurityContext(999),
                    ...(a.imagePullSecret ? { imagePullSecrets: [{ name: a.imagePullSecret }] } : {}),
                    containers: [
                        {
                            name: VERIFY_JOB,
                            image: imageName(a.image),
                            imagePullPolicy: a.image.digest ? "IfNotPresent" : "Always",
                            command: ["/bin/bash", "-c", connectivityScript(a.tests)],
                            resources: withEphemeralStorage(
                                { requests: { cpu: "50m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
                                [],
                            ),
                            securityContext: restrictedContainerSecurityContext(),
                        },
                    ],
                },
            },
        },
    };
}

/** Checklist 1.2.5, 7.4.5, 8.2: after `pulumi up`, the live cluster is tested against the traffic matrix. */
export class ConnectivityVerification extends pulumi.ComponentResource {
    constructor(
        name: string,
        args: {
            config: Pick<PlatformConfig, "features" | "stack">;
            /** `releaseSuffix(cfg)`. */
            release: string;
            workloads: readonly ResolvedWorkload[];
            image: ImageRef;
            imagePullSecret?: string;
        },
        opts?: pulumi.ComponentResourceOptions,
    ) {
        super("voting:verify:ConnectivityVerification", name, {}, opts);
        for (const [source, tests] of connectivityTests(args.config, args.workloads)) {
            const w = args.workloads.find((x) => x.name === source)!;
            const sa = new k8s.core.v1.ServiceAccount(`${name}-${source}-sa`, buildConnectivityServiceAccount(w.namespace, args.config.stack), {
                parent: this,
            });
            new k8s.batch.v1.Job(
                `${name}-${source}`,
                buildConnectivityJob({
                    source: w,
                    stack: args.config.stack,
                    release: args.release,
                    image: args.image,
                    imagePullSecret: args.imagePullSecret,
                    tests,
                }),
                { parent: this, dependsOn: [sa] },
            );
        }
        this.registerOutputs({});
    }
}
