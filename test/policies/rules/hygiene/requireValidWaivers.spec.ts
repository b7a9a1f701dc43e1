import * as assert from "assert";
import { setToday } from "../../../../policies/lib/clock";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { RULES } from "../../../../policies/rules";
import { compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const rule = RULES.find((r) => r.name === "require-valid-waivers")!;
const annotated = (annotations: Record<string, string>): K8sObject =>
    withChange(compliantDeployment(), (d) => (d.metadata!.annotations = annotations));
const W = "waiver.voting-platform.io/";
const D = "Deployment voting-api/api";

describe("require-valid-waivers", () => {
    before(() => setToday("2026-06-15"));
    after(() => setToday(undefined));

    it("accepts a waiver of a policy of the pack with a reason, with or without an expiry", () => {
        assert.deepStrictEqual(violations(rule, compliantDeployment()), []);
        assert.deepStrictEqual(violations(rule, annotated({ [`${W}require-read-only-root-filesystem`]: "nginx writes its pid to /" })), []);
        assert.deepStrictEqual(violations(rule, annotated({ [`${W}require-pod-spread`]: "a single primary (expires 2026-06-15)" })), []);
    });

    it("refuses a waiver of a policy the pack does not have, suggesting the nearest name", () => {
        assert.deepStrictEqual(violations(rule, annotated({ [`${W}require-non-rot`]: "legacy image" })), [
            `${D}: waives "require-non-rot", which is not a policy of this pack (did you mean require-non-root?)`,
        ]);
        assert.deepStrictEqual(violations(rule, annotated({ [`${W}runAsRootAllowed`]: "legacy image" })), [
            `${D}: waives "runAsRootAllowed", which is not a policy of this pack; npm run check -- --list-policies lists them`,
        ]);
    });

    it("suggests every policy up to three edits away, and none further", () => {
        assert.deepStrictEqual(violations(rule, annotated({ [`${W}require-pod-spreadxyz`]: "legacy image" })), [
            `${D}: waives "require-pod-spreadxyz", which is not a policy of this pack (did you mean require-pod-spread?)`,
        ]);
        assert.deepStrictEqual(violations(rule, annotated({ [`${W}require-pod-spreadwxyz`]: "legacy image" })), [
            `${D}: waives "require-pod-spreadwxyz", which is not a policy of this pack; npm run check -- --list-policies lists them`,
        ]);
        assert.deepStrictEqual(violations(rule, annotated({ [`${W}disallow-host-port`]: "node exporter" })), [
            `${D}: waives "disallow-host-port", which is not a policy of this pack (did you mean disallow-host-path or disallow-host-ports?)`,
        ]);
    });

    it("refuses a waiver without a reason, or with a peer tool's flag for one", () => {
        assert.deepStrictEqual(violations(rule, annotated({ [`${W}require-pod-spread`]: "true" })), [
            `${D}: waives require-pod-spread without a reason; write why as the value of ${W}require-pod-spread`,
        ]);
    });

    it("refuses a waiver whose expiry is no date or has passed", () => {
        assert.deepStrictEqual(violations(rule, annotated({ [`${W}require-pod-spread`]: "single primary (expires 2026-13-01)" })), [
            `${D}: waives require-pod-spread until "2026-13-01", which is not a date; write (expires YYYY-MM-DD)`,
        ]);
        assert.deepStrictEqual(violations(rule, annotated({ [`${W}require-pod-spread`]: "single primary (expires 2026-06-14)" })), [
            `${D}: waives require-pod-spread until 2026-06-14, which has passed; fix the findings or renew the waiver with a new date`,
        ]);
    });

    it("refuses a waiver of itself", () => {
        assert.deepStrictEqual(violations(rule, annotated({ [`${W}require-valid-waivers`]: "we know" })), [
            `${D}: waives require-valid-waivers, which no object may waive; remove ${W}require-valid-waivers`,
        ]);
    });

    it("with maxDays, wants an expiry at most that many days ahead", () => {
        const cfg = { maxDays: 90 };
        assert.deepStrictEqual(violations(rule, annotated({ [`${W}require-pod-spread`]: "single primary (expires 2026-09-13)" }), cfg), []);
        assert.deepStrictEqual(violations(rule, annotated({ [`${W}require-pod-spread`]: "single primary (expires 2026-09-14)" }), cfg), [
            `${D}: waives require-pod-spread until 2026-09-14, more than 90 days ahead; waive it until 2026-09-13 at the latest`,
        ]);
        assert.deepStrictEqual(violations(rule, annotated({ [`${W}require-pod-spread`]: "single primary" }), cfg), [
            `${D}: waives require-pod-spread with no expiry; this stack wants one at most 90 days ahead: add (expires YYYY-MM-DD)`,
        ]);
    });

    it("without maxDays (0, the default), accepts an expiry however far ahead", () => {
        const far = annotated({ [`${W}require-pod-spread`]: "single primary (expires 2030-01-01)" });
        assert.deepStrictEqual(violations(rule, far), []);
        assert.deepStrictEqual(violations(rule, far, { maxDays: 0 }), []);
    });

    it("judges every waiver of an object, and ignores other annotations", () => {
        const obj = annotated({
            "polaris.fairwinds.com/exempt": "true",
            [`${W}require-pod-spread`]: "",
            [`${W}require-replicas`]: "scaled by hand during the migration",
        });
        assert.deepStrictEqual(violations(rule, obj), [
            `${D}: waives require-pod-spread without a reason; write why as the value of ${W}require-pod-spread`,
        ]);
    });
});
