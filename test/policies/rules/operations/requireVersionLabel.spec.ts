import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireVersionLabel } from "../../../../policies/rules/operations/requireVersionLabel";
import { asKind, compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

/** The compliant Deployment, labelled with the release it runs (its image is voting/api:0.5.1). */
function versioned(): K8sObject {
    return withChange(compliantDeployment(), (x) => {
        x.metadata!.labels = { ...x.metadata!.labels, "app.kubernetes.io/version": "0.5.1" };
        x.spec.template.metadata.labels = { ...x.spec.template.metadata.labels, "app.kubernetes.io/version": "0.5.1" };
    });
}

describe("require-version-label", () => {
    it("accepts a workload and pods labelled with the tag they run, on every pod-bearing kind", () => {
        assert.deepStrictEqual(violations(requireVersionLabel, versioned()), []);
        for (const kind of ["Pod", "Job", "CronJob", "StatefulSet", "DaemonSet"] as const) {
            assert.deepStrictEqual(violations(requireVersionLabel, asKind(kind, versioned())), [], kind);
        }
    });

    it("refuses a Deployment without the label, on the object and its pod template", () => {
        const unlabelled = withChange(compliantDeployment(), (x) => {
            delete x.metadata!.labels!["app.kubernetes.io/version"];
            delete x.spec.template.metadata.labels["app.kubernetes.io/version"];
        });
        assert.deepStrictEqual(violations(requireVersionLabel, unlabelled), [
            "Deployment voting-api/api: lacks the app.kubernetes.io/version label; set it to the image tag the release deploys",
            "Deployment voting-api/api: its pod template lacks the app.kubernetes.io/version label",
        ]);
    });

    it("refuses a label that names another release than the image runs", () => {
        const stale = withChange(versioned(), (x) => {
            x.spec.template.spec.containers[0].image = "registry.example.com/voting/api:0.6.0";
        });
        assert.deepStrictEqual(violations(requireVersionLabel, stale), [
            'Deployment voting-api/api: labels version "0.5.1" but runs images tagged 0.6.0; label the release it runs',
        ]);
    });

    it("refuses a pod template labelled with another version than its workload", () => {
        const split = withChange(versioned(), (x) => (x.spec.template.metadata.labels["app.kubernetes.io/version"] = "0.5.0"));
        assert.deepStrictEqual(violations(requireVersionLabel, split), [
            'Deployment voting-api/api: labels version "0.5.1" but its pod template "0.5.0"',
        ]);
    });

    it("accepts the tag of any container, a tag trimmed to the label grammar, and any label when matching is off", () => {
        const sidecar = withChange(versioned(), (x) => {
            x.spec.template.spec.containers[0].image = "registry.example.com/voting/api:0.6.0";
            x.spec.template.spec.initContainers = [{ name: "migrate", image: "docker.io/library/postgres:0.5.1" }];
        });
        assert.deepStrictEqual(violations(requireVersionLabel, sidecar), []);
        const digest = withChange(
            versioned(),
            (x) => (x.spec.template.spec.containers[0].image = `registry.example.com/voting/api:0.5.1@sha256:${"a".repeat(64)}`),
        );
        assert.deepStrictEqual(violations(requireVersionLabel, digest), []);
        const other = withChange(versioned(), (x) => (x.spec.template.spec.containers[0].image = "registry.example.com/voting/api:0.9.9"));
        assert.deepStrictEqual(violations(requireVersionLabel, other, { matchImageTag: false }), []);
    });

    it("asks a Pod, its own template, for the label once", () => {
        const pod = withChange(asKind("Pod", versioned()), (x) => delete x.metadata!.labels!["app.kubernetes.io/version"]);
        assert.deepStrictEqual(violations(requireVersionLabel, pod), [
            "Pod voting-api/api-pod: lacks the app.kubernetes.io/version label; set it to the image tag the release deploys",
        ]);
    });

    it("refuses a label on the workload alone, without comparing it with the template's", () => {
        const workloadOnly = withChange(versioned(), (x) => delete x.spec.template.metadata.labels["app.kubernetes.io/version"]);
        assert.deepStrictEqual(violations(requireVersionLabel, workloadOnly), [
            "Deployment voting-api/api: its pod template lacks the app.kubernetes.io/version label",
        ]);
    });

    it("matches a tag cut to 63 characters and trimmed to a letter or digit at both ends, as a label must be", () => {
        const tagged = (tag: string, label: string) =>
            withChange(versioned(), (x) => {
                x.metadata!.labels!["app.kubernetes.io/version"] = label;
                x.spec.template.metadata.labels["app.kubernetes.io/version"] = label;
                x.spec.template.spec.containers[0].image = `registry.example.com/voting/api:${tag}`;
            });
        const long = `0.5.1-${"a".repeat(70)}`;
        assert.deepStrictEqual(violations(requireVersionLabel, tagged(long, long.slice(0, 63))), []);
        assert.deepStrictEqual(violations(requireVersionLabel, tagged("__0.5.1__", "0.5.1")), []);
    });

    it("lists every tag the pods run when none matches, and says when they run none", () => {
        const two = withChange(versioned(), (x) => {
            x.spec.template.spec.containers[0].image = "registry.example.com/voting/api:0.6.0";
            x.spec.template.spec.initContainers = [{ name: "migrate", image: "registry.example.com/voting/migrate:0.6.1" }];
        });
        assert.deepStrictEqual(violations(requireVersionLabel, two), [
            'Deployment voting-api/api: labels version "0.5.1" but runs images tagged 0.6.0, 0.6.1; label the release it runs',
        ]);
        const untagged = withChange(
            versioned(),
            (x) => (x.spec.template.spec.containers[0].image = `registry.example.com/voting/api@sha256:${"a".repeat(64)}`),
        );
        assert.deepStrictEqual(violations(requireVersionLabel, untagged), [
            'Deployment voting-api/api: labels version "0.5.1" but runs images tagged (none); label the release it runs',
        ]);
    });

    it("finds every workload of the rendered stacks labelled", async () => {
        const { rendered } = await import("../../../helpers/render");
        const { kubernetesObjects } = await import("../../../../tools/lib/render");
        for (const stack of ["prod", "staging"]) {
            const objs = kubernetesObjects(await rendered(stack));
            assert.deepStrictEqual(
                objs.flatMap((o) => violations(requireVersionLabel, o)),
                [],
                stack,
            );
        }
    });
});
