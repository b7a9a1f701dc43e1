import * as assert from "assert";
import type { K8sObject } from "../../../../policies/lib/k8s";
import { requireIngressBackends } from "../../../../policies/rules/ingress/requireIngressBackends";
import { requireIngressHsts } from "../../../../policies/rules/ingress/requireIngressHsts";
import { requireIngressTls } from "../../../../policies/rules/ingress/requireIngressTls";
import { violations, withChange } from "../../../helpers/policy";

function compliantIngress(): K8sObject {
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: {
            name: "voting",
            namespace: "voting-frontend",
            annotations: {
                "nginx.ingress.kubernetes.io/ssl-redirect": "true",
                "nginx.ingress.kubernetes.io/custom-headers": "voting-frontend/security-headers",
            },
        },
        spec: {
            ingressClassName: "nginx",
            tls: [{ hosts: ["voting.example.com"], secretName: "voting-tls" }],
            rules: [
                {
                    host: "voting.example.com",
                    http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "frontend", port: { name: "http" } } } }] },
                },
            ],
        },
    };
}
const headers = (hsts: string): K8sObject => ({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "security-headers", namespace: "voting-frontend" },
    data: { "Strict-Transport-Security": hsts },
});
const service = (name: string, namespace: string): K8sObject => ({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace },
    spec: { selector: { app: name }, ports: [{ name: "http", port: 8080 }] },
});

describe("ingress policies (1.2.6, 6.2.1, P.2)", () => {
    it("require-ingress-tls accepts TLS for every host with the redirect left on", () => {
        assert.deepStrictEqual(violations(requireIngressTls, compliantIngress()), []);
    });

    it("require-ingress-tls refuses plain HTTP, an uncovered host, a tls entry without a certificate and a disabled redirect", () => {
        assert.deepStrictEqual(
            violations(
                requireIngressTls,
                withChange(compliantIngress(), (x) => delete x.spec.tls),
            ),
            ["Ingress voting-frontend/voting: serves plain HTTP only; add spec.tls with a certificate Secret"],
        );
        const gaps = withChange(compliantIngress(), (x) => {
            x.spec.rules.push({ host: "admin.example.org" });
            delete x.spec.tls[0].secretName;
            x.metadata!.annotations!["nginx.ingress.kubernetes.io/ssl-redirect"] = "false";
        });
        assert.deepStrictEqual(violations(requireIngressTls, gaps), [
            "Ingress voting-frontend/voting: host admin.example.org has no tls entry; add it to spec.tls[].hosts",
            "Ingress voting-frontend/voting: a tls entry has no secretName; name the certificate Secret",
            'Ingress voting-frontend/voting: turns off the HTTP→HTTPS redirect; remove nginx.ingress.kubernetes.io/ssl-redirect: "false"',
        ]);
    });

    it("require-ingress-hsts reads max-age from the custom-headers ConfigMap or a configuration snippet", () => {
        assert.deepStrictEqual(violations(requireIngressHsts, [compliantIngress(), headers("max-age=31536000; includeSubDomains")]), []);
        const snippet = withChange(compliantIngress(), (x) => {
            delete x.metadata!.annotations!["nginx.ingress.kubernetes.io/custom-headers"];
            x.metadata!.annotations!["nginx.ingress.kubernetes.io/configuration-snippet"] =
                'more_set_headers "Strict-Transport-Security: max-age=63072000";';
        });
        assert.deepStrictEqual(violations(requireIngressHsts, [snippet]), []);
    });

    it("require-ingress-hsts reports no header and a short max-age", () => {
        assert.deepStrictEqual(violations(requireIngressHsts, [compliantIngress()]), [
            "Ingress voting-frontend/voting: sends no Strict-Transport-Security header; add one with max-age=31536000",
        ]);
        assert.deepStrictEqual(violations(requireIngressHsts, [compliantIngress(), headers("max-age=15724800")]), [
            "Ingress voting-frontend/voting: HSTS max-age=15724800 is under 31536000; raise it",
        ]);
    });

    it("require-ingress-backends accepts a Service of the Ingress's namespace on an exposed port", () => {
        assert.deepStrictEqual(violations(requireIngressBackends, [compliantIngress(), service("frontend", "voting-frontend")]), []);
    });

    it("require-ingress-backends catches the original chart's cross-namespace /api backend", () => {
        const chart = withChange(compliantIngress(), (x) =>
            x.spec.rules[0].http.paths.push({ path: "/api", pathType: "Prefix", backend: { service: { name: "api", port: { number: 8000 } } } }),
        );
        assert.deepStrictEqual(violations(requireIngressBackends, [chart, service("frontend", "voting-frontend"), service("api", "voting-api")]), [
            "Ingress voting-frontend/voting: path voting.example.com/api routes to Service api, which does not exist in voting-frontend (a Service api exists in voting-api, which an Ingress cannot route to)",
        ]);
    });

    it("require-ingress-backends reports a port the Service does not expose", () => {
        const wrongPort = withChange(compliantIngress(), (x) => (x.spec.rules[0].http.paths[0].backend.service.port = { number: 80 }));
        assert.deepStrictEqual(violations(requireIngressBackends, [wrongPort, service("frontend", "voting-frontend")]), [
            "Ingress voting-frontend/voting: path voting.example.com/ uses port 80, which Service frontend does not expose",
        ]);
    });

    it("require-ingress-backends refuses a backend Service that is absent from the resource set, default backend included", () => {
        const ing = {
            apiVersion: "networking.k8s.io/v1",
            kind: "Ingress",
            metadata: { name: "web", namespace: "voting-frontend" },
            spec: {
                defaultBackend: { service: { name: "fallback", port: { number: 80 } } },
                rules: [
                    {
                        host: "vote.example.com",
                        http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "frontend", port: { number: 80 } } } }] },
                    },
                ],
            },
        };
        assert.deepStrictEqual(violations(requireIngressBackends, [ing]), [
            "Ingress voting-frontend/web: default backend routes to Service fallback, which does not exist in voting-frontend",
            "Ingress voting-frontend/web: path vote.example.com/ routes to Service frontend, which does not exist in voting-frontend",
        ]);
    });
});
