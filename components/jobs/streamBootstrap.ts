import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ImageRef } from "../../config/types";
import { dataCaMount, dataCaVolume, DATA_CA_BUNDLE } from "../data/dataTls";
import { standardLabels, versionLabel } from "../labels";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../security";
import { imageName } from "../workloads/workload";
import { withEphemeralStorage } from "../ephemeralStorage";

/**
 * Creates the stream and its consumer group, idempotently: BUSYGROUP (the group exists) counts as done,
 * Redis not answering yet is retried for a minute, and the group is read back before the Job succeeds.
 * Reads REDIS_URL (redis:// or rediss://), STREAM and GROUP from the environment; with rediss://,
 * REDIS_CACERT names the CA certificate the server's must chain to (redis-cli checks the chain, not the
 * name: the data CA signs server certificates for the data layer only).
 */
export const STREAM_BOOTSTRAP_SCRIPT = `set -eu
tls=""
case "$REDIS_URL" in
  rediss://*)
    [ -r "\${REDIS_CACERT:-}" ] || { echo "REDIS_URL is rediss:// but REDIS_CACERT names no readable CA certificate" >&2; exit 2; }
    tls="--tls --cacert $REDIS_CACERT" ;;
esac
cli() { redis-cli $tls --no-auth-warning -u "$REDIS_URL" "$@"; }
attempt=0
while :; do
  out=$(cli XGROUP CREATE "$STREAM" "$GROUP" '$' MKSTREAM 2>&1) || true
  case "$out" in
    OK) echo "created stream $STREAM with consumer group $GROUP"; break ;;
    *BUSYGROUP*) echo "consumer group $GROUP already exists on stream $STREAM"; break ;;
  esac
  attempt=$((attempt + 1))
  if [ "$attempt" -ge "\${ATTEMPTS:-30}" ]; then echo "redis did not accept XGROUP CREATE: $out" >&2; exit 1; fi
  sleep "\${RETRY_SECONDS:-2}"
done
if ! cli XINFO GROUPS "$STREAM" | grep -qx "$GROUP"; then
  echo "consumer group $GROUP is missing from stream $STREAM after creation" >&2
  exit 1
fi
`;

export interface StreamBootstrapArgs {
    readonly namespace: string;
    readonly stack: string;
    readonly image: ImageRef;
    readonly stream: string;
    readonly group: string;
    /** Secret in `namespace` holding REDIS_URL. */
    readonly connectionSecret: string;
    readonly imagePullSecret?: string;
    /** UID the Redis image's user runs as. @default 999 */
    readonly runAsUser?: number;
    /** Mount the data CA bundle and verify Redis's certificate with it (REDIS_URL is rediss://). */
    readonly tls?: boolean;
}

export const STREAM_BOOTSTRAP_NAME = "stream-bootstrap";

/** Checklist 6.5.3: the Job's own identity, with no API token. */
export function buildStreamBootstrapServiceAccount(a: StreamBootstrapArgs): k8s.types.input.core.v1.ServiceAccount {
    return {
        metadata: {
            name: STREAM_BOOTSTRAP_NAME,
            namespace: a.namespace,
            labels: standardLabels({ name: STREAM_BOOTSTRAP_NAME, component: "init" }, a.stack),
        },
        automountServiceAccountToken: false,
    };
}

export function buildStreamBootstrapJob(a: StreamBootstrapArgs): k8s.types.input.batch.v1.Job {
    const labels = { ...standardLabels({ name: STREAM_BOOTSTRAP_NAME, component: "init" }, a.stack), ...versionLabel(a.image.tag) };
    return {
        metadata: { name: STREAM_BOOTSTRAP_NAME, namespace: a.namespace, labels },
        spec: {
            backoffLimit: 4,
            activeDeadlineSeconds: 300,
            ttlSecondsAfterFinished: 86400,
            template: {
                metadata: { labels },
                spec: {
                    restartPolicy: "Never",
                    serviceAccountName: STREAM_BOOTSTRAP_NAME,
                    automountServiceAccountToken: false,
                    securityContext: restrictedPodSecurityContext(a.runAsUser ?? 999),
                    ...(a.imagePullSecret ? { imagePullSecrets: [{ name: a.imagePullSecret }] } : {}),
                    containers: [
                        {
                            name: STREAM_BOOTSTRAP_NAME,
                            image: imageName(a.image),
                            imagePullPolicy: a.image.digest ? "IfNotPresent" : "Always",
                            command: ["/bin/sh", "-c", STREAM_BOOTSTRAP_SCRIPT],
                            env: [
                                { name: "STREAM", value: a.stream },
                                { name: "GROUP", value: a.group },
                                { name: "REDIS_URL", valueFrom: { secretKeyRef: { name: a.connectionSecret, key: "REDIS_URL" } } },
                                ...(a.tls ? [{ name: "REDIS_CACERT", value: DATA_CA_BUNDLE.file }] : []),
                            ],
                            resources: withEphemeralStorage({ requests: { cpu: "50m", memory: "32Mi" }, limits: { cpu: "100m", memory: "64Mi" } }, [
                                "16Mi",
                            ]),
                            securityContext: restrictedContainerSecurityContext(),
                            volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, ...(a.tls ? [dataCaMount()] : [])],
                        },
                    ],
                    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "16Mi" } }, ...(a.tls ? [dataCaVolume()] : [])],
                },
            },
        },
    };
}

/** Checklist 7.3.1 and 7.3.2: the stream `votes` and group `vote-processors` exist before the consumer starts. */
export class StreamBootstrap extends pulumi.ComponentResource {
    public readonly job: k8s.batch.v1.Job;

    constructor(name: string, args: StreamBootstrapArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:jobs:StreamBootstrap", name, {}, opts);
        const sa = new k8s.core.v1.ServiceAccount(`${name}-sa`, buildStreamBootstrapServiceAccount(args), { parent: this });
        this.job = new k8s.batch.v1.Job(`${name}-job`, buildStreamBootstrapJob(args), { parent: this, dependsOn: [sa] });
        this.registerOutputs({});
    }
}
