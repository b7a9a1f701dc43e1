import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requirePodDisruptionBudget } from "../../../../policies/rules/reliability/requirePodDisruptionBudget";
import { asKind, compliantDeployment, named } from "../../../helpers/fixtures";
import { violations } from "../../../helpers/policy";

const pdb = (namespace = "voting-api", selector: unknown = { matchLabels: { "app.kubernetes.io/name": "api" } }): K8sObject => ({
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "api", namespace },
    spec: { minAvailable: 2, selector },
});

describe(requirePodDisruptionBudget.name, () => {
    it("accepts a budget in the workload's namespace whose selector matches its pods", () => {
        assert.deepStrictEqual(violations(requirePodDisruptionBudget, [compliantDeployment(), pdb()]), []);
        assert.deepStrictEqual(violations(requirePodDisruptionBudget, [compliantDeployment(), pdb("voting-frontend"), pdb()]), []);
    });

    it("refuses no budget, a budget in another namespace, one selecting other pods, or one with no selector", () => {
        for (const set of [[], [pdb("voting-frontend")], [pdb("voting-api", { matchLabels: { app: "api" } })], [pdb("voting-api", null)]]) {
            assert.deepStrictEqual(violations(requirePodDisruptionBudget, [compliantDeployment(), ...set]), [
                "Deployment voting-api/api: no PodDisruptionBudget selects its pods",
            ]);
        }
    });

    it("refuses an uncovered StatefulSet too, and asks nothing of the other kinds", () => {
        const sts = asKind("StatefulSet");
        assert.deepStrictEqual(violations(requirePodDisruptionBudget, [sts]), [`${named(sts)}: no PodDisruptionBudget selects its pods`]);
        for (const k of ["Pod", "DaemonSet", "ReplicaSet", "ReplicationController", "Job", "CronJob"] as const) {
            assert.deepStrictEqual(violations(requirePodDisruptionBudget, [asKind(k)]), [], k);
        }
    });

    it("refuses an uncovered Argo Rollout, and accepts a covered one", () => {
        const rollout: K8sObject = { ...compliantDeployment(), apiVersion: "argoproj.io/v1alpha1", kind: "Rollout" };
        assert.deepStrictEqual(violations(requirePodDisruptionBudget, [rollout]), [
            "Rollout voting-api/api: no PodDisruptionBudget selects its pods",
        ]);
        assert.deepStrictEqual(violations(requirePodDisruptionBudget, [rollout, pdb()]), []);
    });
});
