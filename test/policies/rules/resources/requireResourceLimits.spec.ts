import * as assert from "assert";
import { requireResourceLimits } from "../../../../policies/rules/resources/requireResourceLimits";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const sized = (requests: Record<string, string> | undefined, limits: Record<string, string> | undefined) =>
    withChange(compliantDeployment(), (x) => (x.spec.template.spec.containers[0].resources = { requests, limits }));
const api = (m: string) => `Deployment voting-api/api: container "api" ${m}`;

describe(requireResourceLimits.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(requireResourceLimits, asKind(k)), [], k);
    });

    it("refuses a missing CPU limit, and a missing memory limit, each on its own", () => {
        assert.deepStrictEqual(violations(requireResourceLimits, sized({ cpu: "100m", memory: "1Gi" }, { memory: "1Gi" })), [
            api("has no cpu limit: set resources.limits.cpu"),
        ]);
        assert.deepStrictEqual(violations(requireResourceLimits, sized({ cpu: "100m", memory: "1Gi" }, { cpu: "100m" })), [
            api("has no memory limit: set resources.limits.memory"),
        ]);
    });

    it("refuses a zero limit, or one that does not parse, as no limit", () => {
        assert.deepStrictEqual(violations(requireResourceLimits, sized(undefined, { cpu: "0", memory: "x" })), [
            api("has no cpu limit: set resources.limits.cpu"),
            api("has no memory limit: set resources.limits.memory"),
        ]);
    });

    it("accepts a limit equal to its request, and refuses one just below it", () => {
        assert.deepStrictEqual(violations(requireResourceLimits, sized({ cpu: "200m", memory: "256Mi" }, { cpu: "200m", memory: "256Mi" })), []);
        assert.deepStrictEqual(violations(requireResourceLimits, sized({ cpu: "200m", memory: "256Mi" }, { cpu: "199m", memory: "268435455" })), [
            api("has a cpu limit below its request: raise resources.limits.cpu to at least the request"),
            api("has a memory limit below its request: raise resources.limits.memory to at least the request"),
        ]);
    });

    it("accepts a limit at the configured ratio of its request, and refuses one just over it, saying by how much", () => {
        const cfg = { maxLimitToRequestRatio: 2 };
        assert.deepStrictEqual(violations(requireResourceLimits, sized({ cpu: "200m", memory: "256Mi" }, { cpu: "400m", memory: "512Mi" }), cfg), []);
        assert.deepStrictEqual(violations(requireResourceLimits, sized({ cpu: "200m", memory: "256Mi" }, { cpu: "401m", memory: "513Mi" }), cfg), [
            api("has a cpu limit 2.01× its request; keep it within 2×"),
            api("has a memory limit 2.01× its request; keep it within 2×"),
        ]);
    });

    it("uses a ratio of 4 by default", () => {
        assert.deepStrictEqual(violations(requireResourceLimits, sized({ cpu: "100m", memory: "256Mi" }, { cpu: "400m", memory: "1Gi" })), []);
        assert.deepStrictEqual(violations(requireResourceLimits, sized({ cpu: "100m", memory: "256Mi" }, { cpu: "500m", memory: "1Gi" })), [
            api("has a cpu limit 5× its request; keep it within 4×"),
        ]);
    });

    it("does not divide by a zero request", () => {
        assert.deepStrictEqual(violations(requireResourceLimits, sized({ cpu: "0", memory: "0" }, { cpu: "1", memory: "1Gi" })), []);
    });

    it("asks nothing of ephemeral containers", () => {
        const d = withChange(compliantDeployment(), (x) => (x.spec.template.spec.ephemeralContainers = [{ name: "debug", image: "d:1" }]));
        assert.deepStrictEqual(violations(requireResourceLimits, d), []);
    });

    it("refuses a container without limits on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => delete s.containers[0].resources.limits)) {
            assert.deepStrictEqual(violations(requireResourceLimits, obj), [
                `${named(obj)}: container "api" has no cpu limit: set resources.limits.cpu`,
                `${named(obj)}: container "api" has no memory limit: set resources.limits.memory`,
            ]);
        }
    });
});
