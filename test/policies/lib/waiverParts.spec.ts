import * as assert from "assert";
import type { K8sObject } from "../../../policies/lib/k8s";
import { isDate, judge, parseWaiver, waiverAnnotations } from "../../../policies/lib/waivers";

const ANNOTATION = "policies.voting-platform.io/waive-require-pod-spread";
const obj = (annotations?: Record<string, string>): K8sObject => ({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "api", namespace: "voting-api", ...(annotations ? { annotations } : {}) },
});

describe("waiver parts", () => {
    it("isDate takes a calendar day written YYYY-MM-DD and nothing around it", () => {
        assert.deepStrictEqual(["2026-02-28", "2028-02-29", "2026-02-30", "x2026-01-01", "2026-01-01x", "2026-1-01", "26-01-01"].map(isDate), [
            true,
            true,
            false,
            false,
            false,
            false,
            false,
        ]);
    });

    it("parseWaiver trims the reason and the expiry, and holds until a future expiry", () => {
        assert.deepStrictEqual(parseWaiver("require-pod-spread", ANNOTATION, "  one zone in staging   (expires  2026-12-31 ) ", "2026-06-01"), {
            policy: "require-pod-spread",
            annotation: ANNOTATION,
            reason: "one zone in staging",
            expires: "2026-12-31",
        });
    });

    it("parseWaiver gives a waiver without a value no reason, and says so", () => {
        assert.deepStrictEqual(parseWaiver("require-pod-spread", ANNOTATION, undefined, "2026-06-01"), {
            policy: "require-pod-spread",
            annotation: ANNOTATION,
            reason: "",
            problem: `waives require-pod-spread without a reason; write why as the value of ${ANNOTATION}`,
        });
    });

    it("waiverAnnotations reads nothing from an object without annotations", () => {
        assert.deepStrictEqual(waiverAnnotations(obj()), []);
        assert.deepStrictEqual(waiverAnnotations({ kind: "Deployment", metadata: { name: "a", annotations: null } } as unknown as K8sObject), []);
        assert.deepStrictEqual(waiverAnnotations({ kind: "Deployment", metadata: { name: "a", annotations: "x" } } as unknown as K8sObject), []);
    });

    it("judge exempts by the pack config only an entry that names something the object matches", () => {
        const exempt = (e: Record<string, string>) => judge("require-pod-spread", { exempt: [{ reason: "r", ...e }] as never }, obj(), "2026-06-01");
        assert.deepStrictEqual(exempt({}), {});
        assert.deepStrictEqual(exempt({ namespace: "voting-frontend" }), {});
        assert.deepStrictEqual(exempt({ namespace: "voting-api", kind: "StatefulSet" }), {});
        assert.deepStrictEqual(exempt({ namespace: "voting-api", kind: "Deployment" }), { waived: { source: "pack config", reason: "r" } });
        assert.deepStrictEqual(exempt({ kind: "Deployment" }), { waived: { source: "pack config", reason: "r" } });
    });
});
