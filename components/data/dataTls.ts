import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ICertificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import type { IIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer";

/**
 * A private CA in the data namespace and a server certificate per store, issued by cert-manager and
 * renewed by it (checklist 1.4.3, 6.2.3): a self-signed issuer signs the CA, the CA signs the servers.
 */
export function buildDataTls(namespace: string, servers: readonly string[]): { issuers: IIssuer[]; certificates: ICertificate[] } {
    const meta = (name: string) => ({ name, namespace });
    return {
        issuers: [
            { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: meta("selfsigned"), spec: { selfSigned: {} } },
            { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: meta("data-ca"), spec: { ca: { secretName: "data-ca" } } },
        ],
        certificates: [
            {
                apiVersion: "cert-manager.io/v1",
                kind: "Certificate",
                metadata: meta("data-ca"),
                spec: {
                    isCA: true,
                    commonName: `${namespace} CA`,
                    secretName: "data-ca",
                    duration: "87600h",
                    privateKey: { algorithm: "ECDSA", size: 256 },
                    issuerRef: { name: "selfsigned", kind: "Issuer", group: "cert-manager.io" },
                },
            },
            ...servers.map(
                (s): ICertificate => ({
                    apiVersion: "cert-manager.io/v1",
                    kind: "Certificate",
                    metadata: meta(`${s}-tls`),
                    spec: {
                        secretName: `${s}-tls`,
                        dnsNames: [s, `${s}.${namespace}.svc`, `${s}.${namespace}.svc.cluster.local`, `*.${s}.${namespace}.svc.cluster.local`],
                        duration: "2160h",
                        renewBefore: "360h",
                        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
                        issuerRef: { name: "data-ca", kind: "Issuer", group: "cert-manager.io" },
                    },
                }),
            ),
        ],
    };
}

/** The data layer's CA and server certificates, as custom resources. */
export class DataTls extends pulumi.ComponentResource {
    public readonly ready: pulumi.Resource[] = [];

    constructor(name: string, args: { namespace: string; servers: readonly string[] }, opts?: pulumi.ComponentResourceOptions) {
        super("voting:data:DataTls", name, {}, opts);
        const { issuers, certificates } = buildDataTls(args.namespace, args.servers);
        const made: pulumi.Resource[] = [];
        for (const obj of [issuers[0], certificates[0], issuers[1], ...certificates.slice(1)]) {
            made.push(
                new k8s.apiextensions.CustomResource(`${name}-${obj.kind.toLowerCase()}-${obj.metadata!.name}`, obj, {
                    parent: this,
                    dependsOn: [...made],
                }),
            );
        }
        this.ready = made;
        this.registerOutputs({});
    }
}
