import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireIngressBackends } from "../../../../policies/rules/ingress/requireIngressBackends";
import { violations, withChange } from "../../../helpers/policy";
import { compliantIngress, service } from "./fixtures";

const I = "Ingress voting-frontend/voting";
const FRONTEND = service("frontend", "voting-frontend");
const backend = (b: unknown) => withChange(compliantIngress(), (x) => (x.spec.rules[0].http.paths[0].backend = b));
const check = (...objs: K8sObject[]) => violations(requireIngressBackends, objs);

describe(requireIngressBackends.name, () => {
    it("accepts a Service of the Ingress's namespace on a port it exposes, by name or number", () => {
        assert.deepStrictEqual(check(compliantIngress(), FRONTEND), []);
        assert.deepStrictEqual(check(backend({ service: { name: "frontend", port: { number: 8080 } } }), FRONTEND), []);
    });

    it("catches the original chart's cross-namespace /api backend, naming where the Service is", () => {
        const chart = withChange(compliantIngress(), (x) =>
            x.spec.rules[0].http.paths.push({ path: "/api", pathType: "Prefix", backend: { service: { name: "api", port: { number: 8000 } } } }),
        );
        assert.deepStrictEqual(check(chart, FRONTEND, service("api", "voting-api")), [
            `${I}: path voting.example.com/api routes to Service api, which does not exist in voting-frontend (a Service api exists in voting-api, which an Ingress cannot route to)`,
        ]);
        assert.deepStrictEqual(check(chart, FRONTEND), [
            `${I}: path voting.example.com/api routes to Service api, which does not exist in voting-frontend`,
        ]);
    });

    it("refuses a port number or name the Service does not expose", () => {
        assert.deepStrictEqual(check(backend({ service: { name: "frontend", port: { number: 80 } } }), FRONTEND), [
            `${I}: path voting.example.com/ uses port 80, which Service frontend does not expose`,
        ]);
        assert.deepStrictEqual(check(backend({ service: { name: "frontend", port: { name: "https" } } }), FRONTEND), [
            `${I}: path voting.example.com/ uses port "https", which Service frontend does not expose`,
        ]);
        assert.deepStrictEqual(check(backend({ service: { name: "frontend" } }), FRONTEND), [
            `${I}: path voting.example.com/ uses port undefined, which Service frontend does not expose`,
        ]);
    });

    it("judges the default backend, and paths of rules with no host or no path", () => {
        const d = withChange(compliantIngress(), (x) => {
            x.spec.defaultBackend = { service: { name: "missing", port: { number: 80 } } };
            x.spec.rules.push({ http: { paths: [{ backend: { service: { name: "gone", port: { number: 80 } } } }] } });
        });
        assert.deepStrictEqual(check(d, FRONTEND), [
            `${I}: default backend routes to Service missing, which does not exist in voting-frontend`,
            `${I}: path */ routes to Service gone, which does not exist in voting-frontend`,
        ]);
    });

    it("passes over backends that name no Service (resource backends), and rules without paths", () => {
        const d = withChange(backend({ resource: { apiGroup: "k8s.example.com", kind: "StorageBucket", name: "static" } }), (x) =>
            x.spec.rules.push({ host: "a.example.com" }, null),
        );
        assert.deepStrictEqual(check(d), []);
    });

    it("judges only Ingresses, and takes only a Service for the backend, wherever it is", () => {
        const lookalike = { ...compliantIngress(), kind: "Lookalike" };
        assert.deepStrictEqual(check(lookalike), []);
        const deployment: K8sObject = {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "frontend", namespace: "voting-frontend" },
            spec: {},
        };
        assert.deepStrictEqual(check(compliantIngress(), deployment, FRONTEND), []);
        assert.deepStrictEqual(check(compliantIngress(), deployment), [
            `${I}: path voting.example.com/ routes to Service frontend, which does not exist in voting-frontend`,
        ]);
        const elsewhere: K8sObject = { ...deployment, metadata: { name: "frontend", namespace: "voting-api" } };
        assert.deepStrictEqual(check(compliantIngress(), elsewhere), [
            `${I}: path voting.example.com/ routes to Service frontend, which does not exist in voting-frontend`,
        ]);
    });

    it("finds the backend's port among several ports of the Service", () => {
        const two = {
            ...FRONTEND,
            spec: {
                ...FRONTEND.spec,
                ports: [
                    { name: "metrics", port: 9090 },
                    { name: "http", port: 8080 },
                ],
            },
        };
        assert.deepStrictEqual(check(compliantIngress(), two), []);
        assert.deepStrictEqual(check(backend({ service: { name: "frontend", port: { number: 8080 } } }), two), []);
    });

    it("refuses a backend Service that has no spec, as exposing no port", () => {
        assert.deepStrictEqual(check(compliantIngress(), { ...FRONTEND, spec: undefined }), [
            `${I}: path voting.example.com/ uses port "http", which Service frontend does not expose`,
        ]);
    });
});
