import type { K8sObject } from "../../../../policies/lib/k8s";
import { compliantDeployment } from "../../../helpers/fixtures";
import { withChange } from "../../../helpers/policy";

export const hpa = (): K8sObject => ({
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: { name: "api", namespace: "voting-api" },
    spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
        minReplicas: 3,
        maxReplicas: 10,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }],
    },
});
export const consumer = () =>
    withChange(compliantDeployment(), (x) => {
        x.metadata!.name = "consumer";
        x.metadata!.namespace = "voting-consumer";
        delete x.spec.replicas;
    });
export const scaledObject = (): K8sObject => ({
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: "consumer", namespace: "voting-consumer" },
    spec: {
        scaleTargetRef: { name: "consumer" },
        minReplicaCount: 2,
        triggers: [
            {
                type: "redis-streams",
                metadata: { stream: "votes", consumerGroup: "vote-processors", pendingEntriesCount: "100" },
                authenticationRef: { name: "consumer-redis" },
            },
        ],
    },
});
export const triggerAuth = (namespace = "voting-consumer", name = "consumer-redis"): K8sObject => ({
    apiVersion: "keda.sh/v1alpha1",
    kind: "TriggerAuthentication",
    metadata: { name, namespace },
    spec: {},
});
export const noReplicas = () => withChange(compliantDeployment(), (x) => delete x.spec.replicas);
