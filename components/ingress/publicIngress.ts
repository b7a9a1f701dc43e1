import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ICertificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import type { IClusterIssuer as ClusterIssuerModel } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";
import type { IngressConfig } from "../../config/types";
import type { ResolvedWorkload } from "../../config/workloads";
import { standardLabels } from "../labels";

/** HSTS for a year (checklist 6.2.1) plus the usual hardening headers, served by ingress-nginx's custom-headers. */
export const SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
};

export interface PublicIngressArgs {
    readonly ingress: IngressConfig;
    /** The frontend: the Ingress's only backend. It proxies /api to the API itself (traffic matrix: frontend → API:8000). */
    readonly frontend: ResolvedWorkload;
    readonly stack: string;
    /** Largest request body accepted at the edge (checklist 1.3.1), as an nginx size. */
    readonly requestSizeLimit: string;
}

const TLS_SECRET = "voting-tls";
const HEADERS = "security-headers";

const labels = (a: PublicIngressArgs) => standardLabels({ name: "ingress", component: "edge" }, a.stack);

export function buildSecurityHeaders(a: PublicIngressArgs): k8s.types.input.core.v1.ConfigMap {
    return { metadata: { name: HEADERS, namespace: a.frontend.namespace, labels: labels(a) }, data: { ...SECURITY_HEADERS } };
}

/** The certificate for the host, issued by the configured cert-manager ClusterIssuer. */
export function buildCertificate(a: PublicIngressArgs): ICertificate {
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: TLS_SECRET, namespace: a.frontend.namespace, labels: labels(a) },
        spec: {
            secretName: TLS_SECRET,
            dnsNames: [a.ingress.host],
            issuerRef: { kind: "ClusterIssuer", name: a.ingress.tlsIssuer, group: "cert-manager.io" },
            privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
            renewBefore: "720h",
        },
    };
}

/**
 * The HTTP-01 solver names its IngressClass with `ingressClassName` (cert-manager 1.12 and later); the
 * cert-manager models that support Node 20 predate the field.
 */
type IClusterIssuer = ClusterIssuerModel & { spec: { acme: { solvers: { http01: { ingress: { ingressClassName: string } } }[] } } };

/** An ACME ClusterIssuer solving HTTP-01 through the same IngressClass, when the stack asks the program to own it. */
export function buildClusterIssuer(a: PublicIngressArgs): IClusterIssuer {
    const acme = a.ingress.acme!;
    return {
        apiVersion: "cert-manager.io/v1",
        kind: "ClusterIssuer",
        metadata: { name: a.ingress.tlsIssuer, labels: labels(a) },
        spec: {
            acme: {
                email: acme.email,
                server: acme.server,
                privateKeySecretRef: { name: `${a.ingress.tlsIssuer}-account` },
                solvers: [{ http01: { ingress: { ingressClassName: a.ingress.className } } }],
            },
        },
    };
}

/** Host from config, TLS, HTTP→HTTPS redirect, HSTS, a 1 MB body limit and per-client rate limits. */
export function buildIngress(a: PublicIngressArgs): k8s.types.input.networking.v1.Ingress {
    const ns = a.frontend.namespace;
    return {
        metadata: {
            name: "voting",
            namespace: ns,
            labels: labels(a),
            annotations: {
                "nginx.ingress.kubernetes.io/ssl-redirect": "true",
                "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
                "nginx.ingress.kubernetes.io/proxy-body-size": a.requestSizeLimit,
                "nginx.ingress.kubernetes.io/limit-rps": String(a.ingress.rateLimitRps),
                "nginx.ingress.kubernetes.io/limit-burst-multiplier": "5",
                "nginx.ingress.kubernetes.io/limit-connections": String(a.ingress.rateLimitRps),
                "nginx.ingress.kubernetes.io/custom-headers": `${ns}/${HEADERS}`,
            },
        },
        spec: {
            ingressClassName: a.ingress.className,
            tls: [{ hosts: [a.ingress.host], secretName: TLS_SECRET }],
            rules: [
                {
                    host: a.ingress.host,
                    http: {
                        paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: a.frontend.name, port: { name: "http" } } } }],
                    },
                },
            ],
        },
    };
}

/** The public entry point: Ingress, certificate, security headers and (optionally) the ACME ClusterIssuer. */
export class PublicIngress extends pulumi.ComponentResource {
    public readonly url: string;

    constructor(name: string, args: PublicIngressArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:ingress:PublicIngress", name, {}, opts);
        const deps: pulumi.Resource[] = [];
        if (args.ingress.acme) deps.push(new k8s.apiextensions.CustomResource(`${name}-issuer`, buildClusterIssuer(args), { parent: this }));
        deps.push(new k8s.apiextensions.CustomResource(`${name}-certificate`, buildCertificate(args), { parent: this, dependsOn: [...deps] }));
        deps.push(new k8s.core.v1.ConfigMap(`${name}-headers`, buildSecurityHeaders(args), { parent: this }));
        new k8s.networking.v1.Ingress(`${name}-ingress`, buildIngress(args), { parent: this, dependsOn: deps });
        this.url = `https://${args.ingress.host}`;
        this.registerOutputs({ url: this.url });
    }
}
