import * as assert from "assert";
import { requireValidTopologySpread } from "../../../../policies/rules/reliability/requireValidTopologySpread";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

describe("require-valid-topology-spread", () => {
    const ok = {
        maxSkew: 1,
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: "ScheduleAnyway",
        labelSelector: { matchLabels: { "app.kubernetes.io/name": "api" } },
    };
    const spread = (...constraints: unknown[]) =>
        withChange(compliantDeployment(), (d: any) => (d.spec.template.spec.topologySpreadConstraints = constraints));
    const at = (i: number, m: string) => `Deployment voting-api/api: topologySpreadConstraints[${i}] ${m}`;

    it("accepts valid constraints, and a pod with none (require-pod-spread judges whether it spreads)", () => {
        assert.deepStrictEqual(violations(requireValidTopologySpread, compliantDeployment()), []);
        assert.deepStrictEqual(
            violations(
                requireValidTopologySpread,
                spread(ok, { ...ok, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", minDomains: 1 }),
            ),
            [],
        );
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread()), []);
    });

    it("refuses maxSkew below 1 or not a whole number", () => {
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread({ ...ok, maxSkew: 0 }), {}), [
            at(0, "has maxSkew 0; it must be an integer of at least 1"),
        ]);
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread({ ...ok, maxSkew: 1.5 })), [
            at(0, "has maxSkew 1.5; it must be an integer of at least 1"),
        ]);
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread({ ...ok, maxSkew: undefined })), [
            at(0, "has maxSkew null; it must be an integer of at least 1"),
        ]);
    });

    it("refuses an unknown whenUnsatisfiable", () => {
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread({ ...ok, whenUnsatisfiable: "DoNotScheduleAnyway" })), [
            at(0, 'has whenUnsatisfiable "DoNotScheduleAnyway"; use DoNotSchedule or ScheduleAnyway'),
        ]);
    });

    it("refuses a constraint without a topologyKey or without a labelSelector object", () => {
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread({ ...ok, topologyKey: "" })), [
            at(0, "has no topologyKey; spread over topology.kubernetes.io/zone or kubernetes.io/hostname"),
        ]);
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread({ ...ok, labelSelector: undefined })), [
            at(0, "has no labelSelector, so it counts no pods and spreads nothing; select the pod's own labels"),
        ]);
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread({ ...ok, labelSelector: "app.kubernetes.io/name=api" })), [
            at(0, "has no labelSelector, so it counts no pods and spreads nothing; select the pod's own labels"),
        ]);
    });

    it("refuses minDomains below 1, and minDomains with ScheduleAnyway", () => {
        const strict = { ...ok, whenUnsatisfiable: "DoNotSchedule" };
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread({ ...strict, minDomains: 0 })), [
            at(0, "has minDomains 0; it must be an integer of at least 1"),
        ]);
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread({ ...ok, minDomains: 2 })), [
            at(0, "sets minDomains with whenUnsatisfiable ScheduleAnyway; minDomains applies only to DoNotSchedule"),
        ]);
    });

    it("refuses an unknown node affinity or taints policy and the same key and mode twice", () => {
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread({ ...ok, nodeTaintsPolicy: "Respect" })), [
            at(0, 'has nodeTaintsPolicy "Respect"; use Honor or Ignore'),
        ]);
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread({ ...ok, nodeAffinityPolicy: "Always" })), [
            at(0, 'has nodeAffinityPolicy "Always"; use Honor or Ignore'),
        ]);
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread(ok, { ...ok, maxSkew: 2 })), [
            at(1, "repeats topologyKey topology.kubernetes.io/zone with whenUnsatisfiable ScheduleAnyway; merge the two constraints"),
        ]);
    });

    it("refuses list entries that are not constraints, and judges the others", () => {
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread(null, "zone", ok)), [
            at(0, "is not a constraint"),
            at(1, "is not a constraint"),
        ]);
    });

    it("refuses a topologyKey that is not a string, and does not call two missing keys a repeat", () => {
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread({ ...ok, topologyKey: 5 })), [
            at(0, "has no topologyKey; spread over topology.kubernetes.io/zone or kubernetes.io/hostname"),
        ]);
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread({ ...ok, topologyKey: undefined }, { ...ok, topologyKey: undefined })), [
            at(0, "has no topologyKey; spread over topology.kubernetes.io/zone or kubernetes.io/hostname"),
            at(1, "has no topologyKey; spread over topology.kubernetes.io/zone or kubernetes.io/hostname"),
        ]);
    });

    it("reads minDomains null as unset, and names an unset whenUnsatisfiable beside minDomains", () => {
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread({ ...ok, minDomains: null })), []);
        assert.deepStrictEqual(violations(requireValidTopologySpread, spread({ ...ok, whenUnsatisfiable: undefined, minDomains: 2 })), [
            at(0, "has whenUnsatisfiable null; use DoNotSchedule or ScheduleAnyway"),
            at(0, "sets minDomains with whenUnsatisfiable unset; minDomains applies only to DoNotSchedule"),
        ]);
    });
});
