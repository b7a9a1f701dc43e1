import * as assert from "assert";
import { requireNonRoot } from "../../../../policies/rules/security/requireNonRoot";
import { compliantDeployment, inEveryKind, named, POD_KINDS, asKind } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const podSpec = (d: any) => d.spec.template.spec;
const container = (d: any) => d.spec.template.spec.containers[0];
/** The compliant Deployment with no user settings at all, for the pod and container to set one at a time. */
const unset = () =>
    withChange(compliantDeployment(), (x) => {
        delete podSpec(x).securityContext.runAsNonRoot;
        delete podSpec(x).securityContext.runAsUser;
    });
const MAY_BE_ROOT = 'Deployment voting-api/api: container "api" may run as root: set securityContext.runAsNonRoot: true (or a non-zero runAsUser)';
const UID_0 = 'Deployment voting-api/api: container "api" runs as UID 0 (runAsUser: 0); use a non-zero UID';

describe(requireNonRoot.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(requireNonRoot, asKind(k)), [], k);
    });

    it("accepts runAsNonRoot: true alone, and a non-zero runAsUser alone", () => {
        assert.deepStrictEqual(
            violations(
                requireNonRoot,
                withChange(unset(), (x) => (podSpec(x).securityContext.runAsNonRoot = true)),
            ),
            [],
        );
        assert.deepStrictEqual(
            violations(
                requireNonRoot,
                withChange(unset(), (x) => (podSpec(x).securityContext.runAsUser = 65532)),
            ),
            [],
        );
    });

    it("accepts UID 1, the lowest non-root user, and refuses UID 0 and a negative UID", () => {
        const uid = (n: number) =>
            violations(
                requireNonRoot,
                withChange(unset(), (x) => (container(x).securityContext.runAsUser = n)),
            );
        assert.deepStrictEqual(uid(1), []);
        assert.deepStrictEqual(uid(0), [UID_0]);
        assert.deepStrictEqual(uid(-1), [MAY_BE_ROOT]);
    });

    it("refuses UID 0 even when runAsNonRoot is true", () => {
        const d = withChange(compliantDeployment(), (x) => (container(x).securityContext.runAsUser = 0));
        assert.deepStrictEqual(violations(requireNonRoot, d), [UID_0]);
    });

    it("refuses a pod-level UID 0 that the container does not override", () => {
        const d = withChange(unset(), (x) => (podSpec(x).securityContext.runAsUser = 0));
        assert.deepStrictEqual(violations(requireNonRoot, d), [UID_0]);
    });

    it("lets the container's UID win over the pod's, both ways", () => {
        const containerRoot = withChange(compliantDeployment(), (x) => (container(x).securityContext.runAsUser = 0));
        assert.deepStrictEqual(violations(requireNonRoot, containerRoot), [UID_0]);
        const containerUser = withChange(unset(), (x) => {
            podSpec(x).securityContext.runAsUser = 0;
            container(x).securityContext.runAsUser = 1000;
        });
        assert.deepStrictEqual(violations(requireNonRoot, containerUser), []);
    });

    it("lets the container's runAsNonRoot win over the pod's, both ways", () => {
        const containerTrue = withChange(unset(), (x) => {
            podSpec(x).securityContext.runAsNonRoot = false;
            container(x).securityContext.runAsNonRoot = true;
        });
        assert.deepStrictEqual(violations(requireNonRoot, containerTrue), []);
        const containerFalse = withChange(unset(), (x) => {
            podSpec(x).securityContext.runAsNonRoot = true;
            container(x).securityContext.runAsNonRoot = false;
        });
        assert.deepStrictEqual(violations(requireNonRoot, containerFalse), [
            'Deployment voting-api/api: container "api" sets runAsNonRoot: false; set it to true',
        ]);
    });

    it("accepts runAsNonRoot: false when a non-zero UID is set", () => {
        const d = withChange(compliantDeployment(), (x) => (podSpec(x).securityContext.runAsNonRoot = false));
        assert.deepStrictEqual(violations(requireNonRoot, d), []);
    });

    it("refuses a pod that sets neither runAsNonRoot nor a UID, or a UID that is not a number", () => {
        assert.deepStrictEqual(violations(requireNonRoot, unset()), [MAY_BE_ROOT]);
        assert.deepStrictEqual(
            violations(
                requireNonRoot,
                withChange(unset(), (x) => (podSpec(x).securityContext.runAsUser = "1000")),
            ),
            [MAY_BE_ROOT],
        );
        assert.deepStrictEqual(
            violations(
                requireNonRoot,
                withChange(compliantDeployment(), (x) => delete podSpec(x).securityContext),
            ),
            [MAY_BE_ROOT],
        );
    });

    it("reads the pod's settings for a container that has no securityContext of its own", () => {
        const d = withChange(compliantDeployment(), (x) => delete container(x).securityContext);
        assert.deepStrictEqual(violations(requireNonRoot, d), []);
    });

    it("refuses runAsNonRoot: false when the UID is not a number", () => {
        const d = withChange(unset(), (x) => {
            podSpec(x).securityContext.runAsNonRoot = false;
            podSpec(x).securityContext.runAsUser = "1000";
        });
        assert.deepStrictEqual(violations(requireNonRoot, d), [
            'Deployment voting-api/api: container "api" sets runAsNonRoot: false; set it to true',
        ]);
    });

    it("refuses runAsNonRoot: false with a negative UID as runAsNonRoot: false", () => {
        const d = withChange(unset(), (x) => {
            podSpec(x).securityContext.runAsNonRoot = false;
            podSpec(x).securityContext.runAsUser = -1;
        });
        assert.deepStrictEqual(violations(requireNonRoot, d), [
            'Deployment voting-api/api: container "api" sets runAsNonRoot: false; set it to true',
        ]);
    });

    it("checks init and ephemeral containers too", () => {
        const d = withChange(compliantDeployment(), (x) => {
            podSpec(x).initContainers = [{ name: "migrate", image: "i:1", securityContext: { runAsUser: 0 } }];
            podSpec(x).ephemeralContainers = [{ name: "debug", image: "busybox:1.36", securityContext: { runAsUser: 0 } }];
        });
        assert.deepStrictEqual(violations(requireNonRoot, d), [
            'Deployment voting-api/api: init container "migrate" runs as UID 0 (runAsUser: 0); use a non-zero UID',
            'Deployment voting-api/api: ephemeral container "debug" runs as UID 0 (runAsUser: 0); use a non-zero UID',
        ]);
    });

    it("refuses a container running as UID 0 on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.containers[0].securityContext.runAsUser = 0))) {
            assert.deepStrictEqual(violations(requireNonRoot, obj), [
                `${named(obj)}: container "api" runs as UID 0 (runAsUser: 0); use a non-zero UID`,
            ]);
        }
    });

    it("passes over objects that run no pods", () => {
        assert.deepStrictEqual(
            violations(requireNonRoot, { apiVersion: "v1", kind: "Service", metadata: { name: "api", namespace: "voting-api" }, spec: {} }),
            [],
        );
    });
});
