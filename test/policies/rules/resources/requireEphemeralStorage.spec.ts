import * as assert from "assert";
import { requireEphemeralStorage } from "../../../../policies/rules/resources/requireEphemeralStorage";
import { asKind, compliantDeployment } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const resources = (d: any) => d.spec.template.spec.containers[0].resources;
const C = 'Deployment voting-api/api: container "api"';

describe("require-ephemeral-storage", () => {
    it("accepts a container that requests and limits ephemeral-storage, on every pod-bearing kind", () => {
        assert.deepStrictEqual(violations(requireEphemeralStorage, compliantDeployment()), []);
        for (const kind of ["Pod", "Job", "CronJob", "StatefulSet", "DaemonSet"] as const)
            assert.deepStrictEqual(violations(requireEphemeralStorage, asKind(kind)), [], kind);
    });

    it("reports a container with neither", () => {
        const d = withChange(compliantDeployment(), (x) => {
            delete resources(x).requests["ephemeral-storage"];
            delete resources(x).limits["ephemeral-storage"];
        });
        assert.deepStrictEqual(violations(requireEphemeralStorage, d), [
            `${C} requests no ephemeral-storage: set resources.requests.ephemeral-storage`,
            `${C} has no ephemeral-storage limit: set resources.limits.ephemeral-storage`,
        ]);
    });

    it("counts a limit as the request when only the limit is set, as Kubernetes does", () => {
        const d = withChange(compliantDeployment(), (x) => delete resources(x).requests["ephemeral-storage"]);
        assert.deepStrictEqual(violations(requireEphemeralStorage, d), []);
    });

    it("reports a limit below the request, and accepts one equal to it", () => {
        const below = withChange(compliantDeployment(), (x) => (resources(x).limits["ephemeral-storage"] = "64Mi"));
        assert.deepStrictEqual(violations(requireEphemeralStorage, below), [
            `${C} has an ephemeral-storage limit below its request: raise resources.limits.ephemeral-storage to at least the request`,
        ]);
        const equal = withChange(compliantDeployment(), (x) => (resources(x).limits["ephemeral-storage"] = "128Mi"));
        assert.deepStrictEqual(violations(requireEphemeralStorage, equal), []);
    });

    it("reads a request or limit of 0 as none", () => {
        const noRequest = withChange(compliantDeployment(), (x) => (resources(x).requests["ephemeral-storage"] = "0"));
        assert.deepStrictEqual(violations(requireEphemeralStorage, noRequest), [
            `${C} requests no ephemeral-storage: set resources.requests.ephemeral-storage`,
        ]);
        const noLimit = withChange(compliantDeployment(), (x) => (resources(x).limits["ephemeral-storage"] = "0"));
        assert.deepStrictEqual(violations(requireEphemeralStorage, noLimit), [
            `${C} has no ephemeral-storage limit: set resources.limits.ephemeral-storage`,
        ]);
    });

    it("asks nothing of an ephemeral debug container, which may not set resources", () => {
        const debug = withChange(
            compliantDeployment(),
            (x) => (x.spec.template.spec.ephemeralContainers = [{ name: "debug", image: "busybox:1.36" }]),
        );
        assert.deepStrictEqual(violations(requireEphemeralStorage, debug), []);
    });
});
