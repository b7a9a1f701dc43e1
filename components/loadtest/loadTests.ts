import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ImageRef } from "../../config/types";
import type { ResolvedWorkload } from "../../config/workloads";
import { withEphemeralStorage } from "../ephemeralStorage";
import { standardLabels, versionLabel } from "../labels";
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from "../security";
import { imageName } from "../workloads/workload";
import { K6_SCRIPT, k6Options, LOAD_PROFILES } from "./profiles";

export const LOAD_TEST = "load-test";
export const loadTestName = (profile: string) => `${LOAD_TEST}-${profile}`;
export const PROFILE_NAMES = Object.keys(LOAD_PROFILES);

/** k6's scratch (its HOME): the emptyDir that the container's ephemeral-storage limit covers. */
const TMP_SIZE = "64Mi";

export interface LoadTestsArgs {
    readonly namespace: string;
    readonly stack: string;
    readonly image: ImageRef;
    readonly frontend: ResolvedWorkload;
    readonly imagePullSecret?: string;
}

export function buildLoadTestConfigMap(a: LoadTestsArgs): k8s.types.input.core.v1.ConfigMap {
    return {
        metadata: { name: LOAD_TEST, namespace: a.namespace, labels: standardLabels({ name: LOAD_TEST, component: "load-test" }, a.stack) },
        data: { "script.js": K6_SCRIPT, "profiles.json": JSON.stringify(k6Options(), null, 2) },
    };
}

/**
 * A suspended CronJob per profile, run on demand:
 * `kubectl -n voting-api create job --from=cronjob/load-test-baseline load-test-$(date +%s)`.
 * It loads the frontend Service, in the cluster: the edge's per-client rate limit would cap one client
 * far below the SLO's rates.
 */
export function buildLoadTestCronJob(a: LoadTestsArgs, profile: string): k8s.types.input.batch.v1.CronJob {
    const name = loadTestName(profile);
    const labels = { ...standardLabels({ name, component: "load-test" }, a.stack), ...versionLabel(a.image.tag) };
    const soak = profile === "soak";
    return {
        metadata: { name, namespace: a.namespace, labels },
        spec: {
            schedule: "0 0 31 2 *",
            suspend: true,
            concurrencyPolicy: "Forbid",
            startingDeadlineSeconds: 300,
            successfulJobsHistoryLimit: 3,
            failedJobsHistoryLimit: 3,
            jobTemplate: {
                spec: {
                    backoffLimit: 0,
                    activeDeadlineSeconds: soak ? 4500 : 1800,
                    ttlSecondsAfterFinished: 604800,
                    template: {
                        metadata: { labels },
                        spec: {
                            restartPolicy: "Never",
                            serviceAccountName: name,
                            automountServiceAccountToken: false,
                            securityContext: restrictedPodSecurityContext(999),
                            ...(a.imagePullSecret ? { imagePullSecrets: [{ name: a.imagePullSecret }] } : {}),
                            containers: [
                                {
                                    name: "k6",
                                    image: imageName(a.image),
                                    imagePullPolicy: a.image.digest ? "IfNotPresent" : "Always",
                                    command: ["k6", "run", "--quiet", "--no-usage-report", "/scripts/script.js"],
                                    env: [
                                        { name: "PROFILE", value: profile },
                                        {
                                            name: "TARGET_URL",
                                            value: `http://${a.frontend.name}.${a.frontend.namespace}.svc.cluster.local:${a.frontend.port}`,
                                        },
                                        { name: "RUN_ID", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
                                        { name: "HOME", value: "/tmp" },
                                    ],
                                    resources: withEphemeralStorage(
                                        { requests: { cpu: "500m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
                                        [TMP_SIZE],
                                    ),
                                    securityContext: restrictedContainerSecurityContext(),
                                    volumeMounts: [
                                        { name: "scripts", mountPath: "/scripts", readOnly: true },
                                        { name: "tmp", mountPath: "/tmp" },
                                    ],
                                },
                            ],
                            volumes: [
                                { name: "scripts", configMap: { name: LOAD_TEST } },
                                { name: "tmp", emptyDir: { sizeLimit: TMP_SIZE } },
                            ],
                        },
                    },
                },
            },
        },
    };
}

/** Checklist 5.3.1, 5.3.4, 9.3: k6 baseline, ramp, spike and soak with the SLO as thresholds, on demand. */
export class LoadTests extends pulumi.ComponentResource {
    constructor(name: string, args: LoadTestsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:loadtest:LoadTests", name, {}, opts);
        const config = new k8s.core.v1.ConfigMap(`${name}-scripts`, buildLoadTestConfigMap(args), { parent: this });
        for (const profile of PROFILE_NAMES) {
            // Each profile runs as its own identity (checklist 6.5.3), without an API token.
            const sa = new k8s.core.v1.ServiceAccount(
                `${name}-${profile}-sa`,
                {
                    metadata: {
                        name: loadTestName(profile),
                        namespace: args.namespace,
                        labels: standardLabels({ name: loadTestName(profile), component: "load-test" }, args.stack),
                    },
                    automountServiceAccountToken: false,
                },
                { parent: this },
            );
            new k8s.batch.v1.CronJob(`${name}-${profile}`, buildLoadTestCronJob(args, profile), { parent: this, dependsOn: [sa, config] });
        }
        this.registerOutputs({});
    }
}
