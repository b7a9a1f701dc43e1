import { annotationsOf, describe } from "../../lib/k8s";
import { defineRule } from "../../lib/rule";

/** The annotation that tells Pulumi's Kubernetes provider not to wait for an object to become ready. */
export const SKIP_AWAIT = "pulumi.com/skipAwait";

/**
 * Checklist 7.5.1: `pulumi up` succeeds only once every Deployment's pods are running and ready, because
 * the Kubernetes provider waits for each rollout (and each Service's endpoints, each Job's completion).
 * `pulumi.com/skipAwait: "true"` turns that wait off, and an update then reports success over pods that
 * crash-loop. The provider reads the annotation as the string "true"; other values leave the wait on.
 */
export const requireAwaitedRollout = defineRule({
    scope: "resource",
    name: "require-awaited-rollout",
    description: `No object carries ${SKIP_AWAIT}: "true", so pulumi up waits until every rollout is ready, every Service has endpoints and every Job has completed.`,
    severity: "medium",
    enforcementLevel: "mandatory",
    remediationSteps: `Remove the ${SKIP_AWAIT} annotation; if a rollout needs longer, raise pulumi.com/timeoutSeconds instead.`,
    checklist: ["7.5.1"],
    check: (obj) =>
        annotationsOf(obj)[SKIP_AWAIT] === "true"
            ? [`${describe(obj)}: sets ${SKIP_AWAIT}: "true", so pulumi up reports success without waiting for it to be ready`]
            : [],
});
