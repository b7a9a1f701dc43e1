import * as assert from "assert";
import { requireDistinctValidProbes } from "../../../../policies/rules/reliability/requireDistinctValidProbes";
import { asKind, compliantDeployment, inEveryKind, named, POD_KINDS } from "../../../helpers/fixtures";
import { violations, withChange } from "../../../helpers/policy";

const container = (d: any) => d.spec.template.spec.containers[0];
const undeclared = (kind: string, port: unknown) =>
    `Deployment voting-api/api: container "api" has a ${kind} on port ${JSON.stringify(port)}, which the container does not declare`;
const IDENTICAL =
    "runs the same check for liveness and readiness (httpGet /health on port 8000): whatever takes the pod out of rotation also gets it restarted; let liveness check only that the process answers";

describe(requireDistinctValidProbes.name, () => {
    it("accepts the compliant pod on every kind that runs pods", () => {
        for (const k of POD_KINDS) assert.deepStrictEqual(violations(requireDistinctValidProbes, asKind(k)), [], k);
    });

    it("refuses identical liveness and readiness probes", () => {
        const same = withChange(compliantDeployment(), (x) => (container(x).readinessProbe = { ...container(x).livenessProbe }));
        assert.deepStrictEqual(violations(requireDistinctValidProbes, same), [`Deployment voting-api/api: container "api" ${IDENTICAL}`]);
    });

    it("accepts a liveness probe alone, or a readiness probe alone", () => {
        assert.deepStrictEqual(
            violations(
                requireDistinctValidProbes,
                withChange(compliantDeployment(), (x) => delete container(x).readinessProbe),
            ),
            [],
        );
        assert.deepStrictEqual(
            violations(
                requireDistinctValidProbes,
                withChange(compliantDeployment(), (x) => delete container(x).livenessProbe),
            ),
            [],
        );
    });

    it("refuses a probe on a port name or number the container does not declare, for each kind of probe", () => {
        const d = withChange(compliantDeployment(), (x) => {
            container(x).livenessProbe.httpGet.port = "metrics";
            container(x).readinessProbe = { tcpSocket: { port: 9000 } };
            container(x).startupProbe = { grpc: { port: "9001" } };
        });
        assert.deepStrictEqual(violations(requireDistinctValidProbes, d), [
            undeclared("livenessProbe", "metrics"),
            undeclared("readinessProbe", 9000),
            undeclared("startupProbe", "9001"),
        ]);
    });

    it("accepts a probe on a declared port, by name, by number or by a number written as a string", () => {
        for (const port of ["http", 8000, "8000"]) {
            const d = withChange(compliantDeployment(), (x) => (container(x).readinessProbe.httpGet.port = port));
            assert.deepStrictEqual(violations(requireDistinctValidProbes, d), [], String(port));
        }
    });

    it("accepts a numbered probe port on a container that declares no ports, and refuses a named one", () => {
        const d = withChange(compliantDeployment(), (x) => {
            delete container(x).ports;
            container(x).livenessProbe.httpGet.port = 8000;
        });
        assert.deepStrictEqual(violations(requireDistinctValidProbes, d), [undeclared("readinessProbe", "http")]);
    });

    it("refuses identical probes on every kind that runs pods", () => {
        for (const obj of inEveryKind((s) => (s.containers[0].readinessProbe = { ...s.containers[0].livenessProbe }))) {
            assert.deepStrictEqual(violations(requireDistinctValidProbes, obj), [`${named(obj)}: container "api" ${IDENTICAL}`]);
        }
    });

    it("accepts exec probes, which name no port, and a container with no probes at all", () => {
        const d = withChange(compliantDeployment(), (x) => {
            container(x).livenessProbe = { exec: { command: ["/bin/true"] } };
            container(x).readinessProbe = { exec: { command: ["/bin/ready"] } };
        });
        assert.deepStrictEqual(violations(requireDistinctValidProbes, d), []);
        const none = withChange(compliantDeployment(), (x) => {
            delete container(x).livenessProbe;
            delete container(x).readinessProbe;
        });
        assert.deepStrictEqual(violations(requireDistinctValidProbes, none), []);
    });

    it("reads a port name that starts or ends with digits as a name", () => {
        for (const port of ["http8", "8http"]) {
            const d = withChange(compliantDeployment(), (x) => {
                delete container(x).ports;
                delete container(x).readinessProbe;
                container(x).livenessProbe.httpGet.port = port;
            });
            assert.deepStrictEqual(violations(requireDistinctValidProbes, d), [undeclared("livenessProbe", port)], port);
        }
    });

    it("finds a numbered probe port among several declared ports", () => {
        const d = withChange(compliantDeployment(), (x) => {
            container(x).ports.push({ name: "metrics", containerPort: 9090 });
            container(x).livenessProbe.httpGet.port = 9090;
        });
        assert.deepStrictEqual(violations(requireDistinctValidProbes, d), []);
    });

    it("passes over port entries that are not objects", () => {
        const d = withChange(compliantDeployment(), (x) => {
            container(x).ports = [null, { name: "http", containerPort: 8000 }];
            container(x).livenessProbe.httpGet.port = 8000;
        });
        assert.deepStrictEqual(violations(requireDistinctValidProbes, d), []);
    });

    it("compares a named port by the number the container declares for it, and names an undeclared one as written", () => {
        const same = (live: unknown, ready: unknown, ports = [{ name: "http", containerPort: 8000 }]) =>
            withChange(compliantDeployment(), (x) => {
                container(x).ports = ports;
                container(x).livenessProbe = { httpGet: { path: "/health", port: live } };
                container(x).readinessProbe = { httpGet: { path: "/health", port: ready } };
            });
        const identical = (port: string) =>
            `Deployment voting-api/api: container "api" runs the same check for liveness and readiness (httpGet /health on port ${port}): whatever takes the pod out of rotation also gets it restarted; let liveness check only that the process answers`;
        for (const name of ["http8", "8http"]) {
            const d = same(name, 8000, [{ name, containerPort: 8000 }]);
            assert.deepStrictEqual(violations(requireDistinctValidProbes, d), [identical("8000")], name);
        }
        assert.deepStrictEqual(violations(requireDistinctValidProbes, same("8000", 8000)), [identical("8000")]);
        const two = [
            { name: "http", containerPort: 8000 },
            { name: "metrics", containerPort: 9090 },
        ];
        assert.deepStrictEqual(violations(requireDistinctValidProbes, same("metrics", 9090, two)), [identical("9090")]);
        assert.deepStrictEqual(violations(requireDistinctValidProbes, same("admin", "admin")), [
            identical('"admin"'),
            undeclared("livenessProbe", "admin"),
            undeclared("readinessProbe", "admin"),
        ]);
    });

    it("names the scheme and host of an httpGet check, an exec check without a command, and a grpc check without a service", () => {
        const both = (probe: unknown) =>
            withChange(compliantDeployment(), (x) => {
                container(x).livenessProbe = probe;
                container(x).readinessProbe = JSON.parse(JSON.stringify(probe));
            });
        const identical = (check: string) =>
            `Deployment voting-api/api: container "api" runs the same check for liveness and readiness (${check}): whatever takes the pod out of rotation also gets it restarted; let liveness check only that the process answers`;
        assert.deepStrictEqual(
            violations(requireDistinctValidProbes, both({ httpGet: { scheme: "HTTPS", host: "10.0.0.1", path: "/health", port: 8000 } })),
            [identical("httpGet HTTPS //10.0.0.1/health on port 8000")],
        );
        assert.deepStrictEqual(violations(requireDistinctValidProbes, both({ exec: {} })), [identical("exec []")]);
        assert.deepStrictEqual(violations(requireDistinctValidProbes, both({ grpc: { port: 8000 } })), [identical("grpc on port 8000")]);
    });

    it("reads a handler set to null as unset", () => {
        const both = (probe: unknown) =>
            withChange(compliantDeployment(), (x) => {
                container(x).livenessProbe = probe;
                container(x).readinessProbe = JSON.parse(JSON.stringify(probe));
            });
        assert.deepStrictEqual(violations(requireDistinctValidProbes, both({ httpGet: null, exec: null, tcpSocket: null, grpc: { port: 8000 } })), [
            'Deployment voting-api/api: container "api" runs the same check for liveness and readiness (grpc on port 8000): whatever takes the pod out of rotation also gets it restarted; let liveness check only that the process answers',
        ]);
        assert.deepStrictEqual(violations(requireDistinctValidProbes, both({ httpGet: null, exec: null, tcpSocket: null, grpc: null })), []);
    });
});
