import * as assert from "assert";
import { requireHeadlessServiceForStatefulSet } from "../../../../policies/rules/hygiene/requireHeadlessServiceForStatefulSet";
import { kubernetesObjects } from "../../../../tools/lib/render";
import { rendered } from "../../../helpers/render";
import { violations, withChange } from "../../../helpers/policy";

describe("require-headless-service-for-statefulset (P.6)", () => {
    it("accepts the data layer's StatefulSets and their headless Services", async () => {
        assert.deepStrictEqual(violations(requireHeadlessServiceForStatefulSet, kubernetesObjects(await rendered("prod"))), []);
    });

    it("reports a missing, non-headless or non-matching Service", async () => {
        const objs = kubernetesObjects(await rendered("prod"));
        const pg = objs.find((o) => o.kind === "StatefulSet" && o.metadata?.name === "postgres")!;
        const svc = objs.find((o) => o.kind === "Service" && o.metadata?.name === "postgres")!;
        assert.deepStrictEqual(violations(requireHeadlessServiceForStatefulSet, [pg]), [
            "StatefulSet voting-data/postgres: serviceName postgres names no Service in voting-data",
        ]);
        assert.deepStrictEqual(violations(requireHeadlessServiceForStatefulSet, [pg, withChange(svc, (x) => delete x.spec.clusterIP)]), [
            "StatefulSet voting-data/postgres: Service postgres is not headless; set clusterIP: None",
        ]);
        assert.deepStrictEqual(violations(requireHeadlessServiceForStatefulSet, [pg, withChange(svc, (x) => (x.spec.selector = { app: "pg" }))]), [
            "StatefulSet voting-data/postgres: Service postgres does not select its pods",
        ]);
    });
});
