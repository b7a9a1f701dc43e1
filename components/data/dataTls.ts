import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ICertificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import type { IClusterIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/ClusterIssuer";
import type { IIssuer } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Issuer";
import type { PlatformConfig } from "../../config/types";
import { standardLabels } from "../labels";

/** Prod talks to PostgreSQL and Redis over TLS with verified certificates; staging over plain TCP. */
export const dataTlsEnabled = (cfg: Pick<PlatformConfig, "environment">): boolean => cfg.environment === "prod";

/**
 * Where cert-manager reads a ClusterIssuer's CA Secret from: its `--cluster-resource-namespace`, which
 * defaults to the namespace cert-manager runs in.
 */
export const CERT_MANAGER_NAMESPACE = "cert-manager";

/** The ClusterIssuer that signs every data-layer certificate, server and client bundle alike. */
export const DATA_CA_ISSUER = "voting-data-ca";

/**
 * How a client pod trusts the data CA: the `ca.crt` of its namespace's bundle Secret, mounted read-only
 * at `mountPath`. Connection strings name `file` (`sslrootcert`, `ssl_ca_certs`, `redis-cli --cacert`).
 */
export const DATA_CA_BUNDLE = { secretName: "data-ca-bundle", volumeName: "data-ca", mountPath: "/tls", file: "/tls/ca.crt" } as const;

/** The volume that carries only the CA certificate of the bundle Secret (its client key stays unmounted). */
export function dataCaVolume(): k8s.types.input.core.v1.Volume {
    return {
        name: DATA_CA_BUNDLE.volumeName,
        secret: { secretName: DATA_CA_BUNDLE.secretName, items: [{ key: "ca.crt", path: "ca.crt" }], defaultMode: 0o444 },
    };
}

export function dataCaMount(): k8s.types.input.core.v1.VolumeMount {
    return { name: DATA_CA_BUNDLE.volumeName, mountPath: DATA_CA_BUNDLE.mountPath, readOnly: true };
}

export interface DataTlsArgs {
    readonly stack: string;
    /** Namespace of the servers; their Services' DNS names go into their certificates. */
    readonly dataNamespace: string;
    readonly servers: readonly string[];
    /** Namespaces whose pods connect to the servers: each gets a bundle Secret carrying the CA certificate. */
    readonly clientNamespaces: readonly string[];
}

/**
 * The data layer's private CA (checklist 1.4.3, 6.2.3), kept by cert-manager: a self-signed CA in
 * cert-manager's namespace behind the ClusterIssuer `voting-data-ca`, which signs a server certificate per
 * store and, in each client namespace, a client certificate whose Secret carries `ca.crt`: the way the
 * CA certificate reaches pods in other namespaces (docs/adr/0003-data-layer-trust.md). The CA keeps its
 * key on renewal, so every bundle already handed out keeps verifying the servers.
 */
export function buildDataTls(a: DataTlsArgs): { issuers: (IIssuer | IClusterIssuer)[]; certificates: ICertificate[] } {
    const labels = (name: string) => standardLabels({ name, component: "data-tls" }, a.stack);
    const meta = (name: string, namespace: string) => ({ name, namespace, labels: labels(name) });
    const byCa = { name: DATA_CA_ISSUER, kind: "ClusterIssuer", group: "cert-manager.io" };
    const leaf = { duration: "2160h", renewBefore: "360h" };
    return {
        issuers: [
            {
                apiVersion: "cert-manager.io/v1",
                kind: "Issuer",
                metadata: meta("voting-data-selfsigned", CERT_MANAGER_NAMESPACE),
                spec: { selfSigned: {} },
            },
            {
                apiVersion: "cert-manager.io/v1",
                kind: "ClusterIssuer",
                metadata: { name: DATA_CA_ISSUER, labels: labels(DATA_CA_ISSUER) },
                spec: { ca: { secretName: DATA_CA_ISSUER } },
            },
        ],
        certificates: [
            {
                apiVersion: "cert-manager.io/v1",
                kind: "Certificate",
                metadata: meta(DATA_CA_ISSUER, CERT_MANAGER_NAMESPACE),
                spec: {
                    isCA: true,
                    commonName: `voting ${a.stack} data CA`,
                    secretName: DATA_CA_ISSUER,
                    duration: "87600h",
                    privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Never" },
                    issuerRef: { name: "voting-data-selfsigned", kind: "Issuer", group: "cert-manager.io" },
                },
            },
            ...a.servers.map(
                (s): ICertificate => ({
                    apiVersion: "cert-manager.io/v1",
                    kind: "Certificate",
                    metadata: meta(`${s}-tls`, a.dataNamespace),
                    spec: {
                        secretName: `${s}-tls`,
                        dnsNames: [
                            s,
                            `${s}.${a.dataNamespace}.svc`,
                            `${s}.${a.dataNamespace}.svc.cluster.local`,
                            `*.${s}.${a.dataNamespace}.svc.cluster.local`,
                        ],
                        ...leaf,
                        usages: ["digital signature", "server auth"],
                        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
                        issuerRef: byCa,
                    },
                }),
            ),
            ...a.clientNamespaces.map(
                (ns): ICertificate => ({
                    apiVersion: "cert-manager.io/v1",
                    kind: "Certificate",
                    metadata: meta(DATA_CA_BUNDLE.secretName, ns),
                    spec: {
                        secretName: DATA_CA_BUNDLE.secretName,
                        commonName: `${ns} data client`,
                        ...leaf,
                        // Client auth only: this key can never pass for a data server.
                        usages: ["digital signature", "client auth"],
                        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
                        issuerRef: byCa,
                    },
                }),
            ),
        ],
    };
}

/** The data layer's CA, server certificates and client CA bundles, as custom resources in dependency order. */
export class DataTls extends pulumi.ComponentResource {
    public readonly ready: pulumi.Resource[] = [];

    constructor(name: string, args: DataTlsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("voting:data:DataTls", name, {}, opts);
        const { issuers, certificates } = buildDataTls(args);
        const made: pulumi.Resource[] = [];
        for (const obj of [issuers[0], certificates[0], issuers[1], ...certificates.slice(1)]) {
            // Bundles share one name across namespaces; the servers keep the resource names they always had.
            const id = obj.metadata!.name === DATA_CA_BUNDLE.secretName ? `${obj.metadata!.namespace}-${obj.metadata!.name}` : obj.metadata!.name;
            made.push(
                new k8s.apiextensions.CustomResource(`${name}-${obj.kind.toLowerCase()}-${id}`, obj, {
                    parent: this,
                    dependsOn: [...made],
                }),
            );
        }
        this.ready = made;
        this.registerOutputs({});
    }
}
