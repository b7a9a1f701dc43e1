import * as assert from "assert";
import { applyPatches, patchContainers, runsAsNonRoot } from "../../../policies/lib/fixes";
import { containersOf, podTemplate, type K8sObject } from "../../../policies/lib/k8s";

function deployment(spec: Record<string, unknown>): K8sObject {
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "api", namespace: "voting-api" },
        spec: { template: { metadata: { labels: {} }, spec } },
    } as K8sObject;
}

/** Whether the first container of a pod spec runs as non-root. */
function nonRoot(spec: Record<string, unknown>): boolean {
    const pod = podTemplate(deployment(spec))!;
    return runsAsNonRoot(containersOf(pod.spec)[0], pod);
}

describe("runsAsNonRoot", () => {
    it("is true for a non-zero UID on the container or, when the container sets none, on the pod", () => {
        assert.strictEqual(nonRoot({ containers: [{ name: "a", securityContext: { runAsUser: 1000 } }] }), true);
        assert.strictEqual(nonRoot({ securityContext: {}, containers: [{ name: "a", securityContext: { runAsUser: 1000 } }] }), true);
        assert.strictEqual(nonRoot({ securityContext: { runAsUser: 1000 }, containers: [{ name: "a" }] }), true);
        assert.strictEqual(nonRoot({ securityContext: { runAsUser: 1000 }, containers: [{ name: "a", securityContext: { runAsUser: 0 } }] }), false);
    });

    it("is true for runAsNonRoot: true on the container or the pod, unless the UID is 0", () => {
        assert.strictEqual(nonRoot({ containers: [{ name: "a", securityContext: { runAsNonRoot: true } }] }), true);
        assert.strictEqual(nonRoot({ securityContext: { runAsNonRoot: true }, containers: [{ name: "a" }] }), true);
        assert.strictEqual(nonRoot({ containers: [{ name: "a", securityContext: { runAsNonRoot: true, runAsUser: 0 } }] }), false);
        assert.strictEqual(
            nonRoot({ securityContext: { runAsNonRoot: true }, containers: [{ name: "a", securityContext: { runAsNonRoot: false } }] }),
            false,
        );
    });

    it("is false when nothing says so, or says so with a string", () => {
        assert.strictEqual(nonRoot({ containers: [{ name: "a" }] }), false);
        assert.strictEqual(nonRoot({ containers: [{ name: "a", securityContext: { runAsUser: "1000" } }] }), false);
        assert.strictEqual(nonRoot({ containers: [{ name: "a", securityContext: { runAsNonRoot: "true" } }] }), false);
        assert.strictEqual(nonRoot({ containers: [{ name: "a", securityContext: { runAsUser: -1 } }] }), false);
    });
});

describe("patchContainers", () => {
    it("gives each container the path of its own place in its list", () => {
        const obj = deployment({
            initContainers: [{ name: "init" }],
            containers: [{ name: "a" }, { name: "b" }, { name: "c" }],
        });
        const patches = patchContainers(obj, (_c, _pod, _at, say) => say("securityContext.runAsNonRoot", true));
        assert.deepStrictEqual(
            patches.map((p) => p.path.join(".")),
            [
                "spec.template.spec.containers.0.securityContext.runAsNonRoot",
                "spec.template.spec.containers.1.securityContext.runAsNonRoot",
                "spec.template.spec.containers.2.securityContext.runAsNonRoot",
                "spec.template.spec.initContainers.0.securityContext.runAsNonRoot",
            ],
        );
        assert.strictEqual(patches[0].change, 'Deployment voting-api/api: container "a" gets securityContext.runAsNonRoot: true');
    });

    it("gives no patch for an object without pods", () => {
        assert.deepStrictEqual(
            patchContainers({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } } as K8sObject, (_c, _p, _a, say) => say("x", 1)),
            [],
        );
    });
});

describe("applyPatches", () => {
    it("sets each value at its path, creating objects over missing, null and scalar steps and keeping objects", () => {
        const target: Record<string, any> = { a: { keep: 1 }, b: null, c: "text" };
        applyPatches(target, [
            { path: ["a", "x"], value: 1, change: "" },
            { path: ["b", "y"], value: 2, change: "" },
            { path: ["c", "z"], value: 3, change: "" },
            { path: ["d", "e", "f"], value: 4, change: "" },
        ]);
        assert.deepStrictEqual(target, { a: { keep: 1, x: 1 }, b: { y: 2 }, c: { z: 3 }, d: { e: { f: 4 } } });
    });
});
