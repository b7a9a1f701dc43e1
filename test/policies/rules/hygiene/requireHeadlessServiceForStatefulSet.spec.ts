import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireHeadlessServiceForStatefulSet } from "../../../../policies/rules/hygiene/requireHeadlessServiceForStatefulSet";
import { asKind } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const S = "StatefulSet voting-api/api-statefulset";
const sts = (serviceName: string | null = "api") =>
    withChange(asKind("StatefulSet"), (x) => {
        if (serviceName !== null) x.spec.serviceName = serviceName;
    });
const headless = (spec: Record<string, unknown> = {}, namespace = "voting-api", name = "api"): K8sObject => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace },
    spec: { clusterIP: "None", selector: { "app.kubernetes.io/name": "api" }, ports: [{ port: 8000 }], ...spec },
});
const check = (...objs: K8sObject[]) => violations(requireHeadlessServiceForStatefulSet, objs);

describe(requireHeadlessServiceForStatefulSet.name, () => {
    it("accepts a StatefulSet whose serviceName names a headless Service of its namespace selecting its pods", () => {
        assert.deepStrictEqual(check(sts(), headless()), []);
    });

    it("refuses a StatefulSet with no serviceName, or an empty one", () => {
        for (const name of [null, ""]) assert.deepStrictEqual(check(sts(name), headless()), [`${S}: sets no serviceName; name its headless Service`]);
    });

    it("refuses a serviceName that names no Service of the StatefulSet's namespace", () => {
        const missing = `${S}: serviceName api names no Service in voting-api`;
        assert.deepStrictEqual(check(sts()), [missing]);
        assert.deepStrictEqual(check(sts(), headless({}, "voting-data")), [missing]);
        assert.deepStrictEqual(check(sts(), headless({}, "voting-api", "other")), [missing]);
    });

    it("refuses a Service that is not headless, or that selects other pods", () => {
        assert.deepStrictEqual(check(sts(), headless({ clusterIP: undefined })), [`${S}: Service api is not headless; set clusterIP: None`]);
        assert.deepStrictEqual(check(sts(), headless({ clusterIP: "10.0.0.1" })), [`${S}: Service api is not headless; set clusterIP: None`]);
        assert.deepStrictEqual(check(sts(), headless({ selector: { app: "pg" } })), [`${S}: Service api does not select its pods`]);
    });

    it("refuses a selecting Service of a StatefulSet without a pod template, whose pods it cannot select", () => {
        const bare = withChange(sts(), (x) => delete x.spec.template);
        assert.deepStrictEqual(check(bare, headless()), [`${S}: Service api does not select its pods`]);
    });

    it("accepts a headless Service without a selector as selecting every pod", () => {
        assert.deepStrictEqual(check(sts(), headless({ selector: undefined })), []);
    });

    it("judges only StatefulSets", () => {
        for (const k of ["Deployment", "DaemonSet", "ReplicaSet"] as const) assert.deepStrictEqual(check(asKind(k)), [], k);
    });

    it("takes only a Service for the serviceName, and refuses one without a spec as not headless", () => {
        const cm: K8sObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "api", namespace: "voting-api" } };
        assert.deepStrictEqual(check(sts(), cm, headless()), []);
        assert.deepStrictEqual(check(sts(), { ...headless(), spec: undefined }), [`${S}: Service api is not headless; set clusterIP: None`]);
    });
});
