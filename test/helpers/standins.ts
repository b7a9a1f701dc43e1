import { spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { K8sObject } from "../../policies/lib/k8s";

/**
 * Stand-ins for the controllers that turn rendered custom resources into Secrets on a real cluster:
 * cert-manager (Certificate → `kubernetes.io/tls` Secret, issued with openssl by the issuer the
 * Certificate names) and External Secrets (ExternalSecret → Secret, its template filled with test
 * values in place of the cloud secret manager's). What they do not support, they refuse by name.
 */

/** Secrets by `namespace/name`, each key's value as text. */
export type SecretStore = Map<string, Record<string, string>>;

export const secretKey = (namespace: string, name: string) => `${namespace}/${name}`;

/** The namespace cert-manager reads ClusterIssuer CA Secrets from (its `--cluster-resource-namespace`). */
export const CLUSTER_RESOURCE_NAMESPACE = "cert-manager";

/** Secrets as the API server stores them: `data` is base64, `stringData` is merged over it. */
export function plainSecrets(objects: readonly K8sObject[], into: SecretStore): void {
    for (const o of objects.filter((x) => x.kind === "Secret")) {
        const data: Record<string, string> = {};
        for (const [k, v] of Object.entries((o.data ?? {}) as Record<string, string>)) data[k] = Buffer.from(v, "base64").toString("utf8");
        Object.assign(data, o.stringData ?? {});
        into.set(secretKey(o.metadata!.namespace!, o.metadata!.name!), data);
    }
}

/** Go's url.QueryEscape, which text/template's `urlquery` applies. */
export function queryEscape(s: string): string {
    return [...Buffer.from(s, "utf8")]
        .map((b) => {
            const c = String.fromCharCode(b);
            if (/[A-Za-z0-9\-_.~]/.test(c)) return c;
            return c === " " ? "+" : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
        })
        .join("");
}

/**
 * Renders an External Secrets v2 template value. Supported: `{{ .key }}` and the pipeline
 * `{{ .key | urlquery | replace "+" "%20" }}`; any other action is refused so a template this
 * stand-in cannot render never passes by accident.
 */
export function renderTemplate(template: string, values: Record<string, string>): string {
    return template.replace(/\{\{(.*?)\}\}/g, (_, body: string) => {
        const [head, ...filters] = body.split("|").map((s) => s.trim());
        const value = (field: string): string => {
            const m = /^\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(field);
            if (!m) throw new Error(`unsupported template action {{${body}}}`);
            if (!(m[1] in values)) throw new Error(`template names .${m[1]}, which the ExternalSecret does not fetch`);
            return values[m[1]];
        };
        // `printf "%s:%s" .a .b`, the one printf form the program uses (registry auth).
        const printf = /^printf "%s:%s" (\S+) (\S+)$/.exec(head);
        let v = printf ? `${value(printf[1])}:${value(printf[2])}` : value(head);
        for (const f of filters) {
            if (f === "urlquery") v = queryEscape(v);
            else if (f === 'replace "+" "%20"') v = v.split("+").join("%20");
            else if (f === "b64enc") v = Buffer.from(v, "utf8").toString("base64");
            else throw new Error(`unsupported template function ${f}`);
        }
        return v;
    });
}

const REGISTRY_TOKEN_KINDS: readonly unknown[] = ["ECRAuthorizationToken", "GCRAccessToken", "ACRAccessToken"];

/** Remote secret-manager entries, by key then property, standing in for the cloud's secret manager. */
export type RemoteSecrets = Record<string, Record<string, string>>;

/** Fills every ExternalSecret from `remote` as the operator would, creating its target Secret. */
export function externalSecrets(objects: readonly K8sObject[], remote: RemoteSecrets, into: SecretStore): void {
    for (const es of objects.filter((o) => o.kind === "ExternalSecret")) {
        const where = `ExternalSecret ${es.metadata!.namespace}/${es.metadata!.name}`;
        const values: Record<string, string> = {};
        for (const source of es.spec.dataFrom ?? []) {
            const kind = source?.sourceRef?.generatorRef?.kind;
            // A registry-token generator's output, as External Secrets names its keys.
            if (!REGISTRY_TOKEN_KINDS.includes(kind))
                throw new Error(`${where}: dataFrom other than a registry-token generator is not supported by the stand-in`);
            Object.assign(values, {
                username: kind === "ECRAuthorizationToken" ? "AWS" : "00000000-0000-0000-0000-000000000000",
                password: "stand-in-registry-token",
            });
        }
        for (const d of es.spec.data ?? []) {
            const entry = remote[d.remoteRef.key];
            const v = d.remoteRef.property ? entry?.[d.remoteRef.property] : undefined;
            if (v === undefined) throw new Error(`${where}: the secret manager has no ${d.remoteRef.key} property ${d.remoteRef.property}`);
            values[d.secretKey] = v;
        }
        const template: Record<string, string> | undefined = es.spec.target?.template?.data;
        if (template && es.spec.target.template.engineVersion !== "v2") throw new Error(`${where}: only template engine v2 is supported`);
        const data = template ? Object.fromEntries(Object.entries(template).map(([k, t]) => [k, renderTemplate(t, values)])) : values;
        into.set(secretKey(es.metadata!.namespace!, es.spec.target?.name ?? es.metadata!.name!), data);
    }
}

/** cert-manager's key usages, as openssl extension names. */
const KEY_USAGES: Record<string, string> = {
    "digital signature": "digitalSignature",
    signing: "digitalSignature",
    "content commitment": "nonRepudiation",
    "key encipherment": "keyEncipherment",
    "key agreement": "keyAgreement",
    "data encipherment": "dataEncipherment",
    "cert sign": "keyCertSign",
    "crl sign": "cRLSign",
};
const EXTENDED_USAGES: Record<string, string> = { "server auth": "serverAuth", "client auth": "clientAuth" };

function openssl(cwd: string, args: string[]): void {
    const r = spawnSync("openssl", args, { cwd, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${r.stderr}`);
}

/** The days a cert-manager duration (`2160h`, `87600h0m0s`) lasts, rounded up. */
function durationDays(duration: string | undefined): number {
    if (!duration) return 90;
    const m = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(duration);
    if (!m || !m[0]) throw new Error(`unsupported duration ${duration}`);
    const hours = Number(m[1] ?? 0) + Number(m[2] ?? 0) / 60 + Number(m[3] ?? 0) / 3600;
    return Math.max(1, Math.ceil(hours / 24));
}

function generateKey(cwd: string, file: string, pk: { algorithm?: string; size?: number } | undefined): void {
    const algorithm = pk?.algorithm ?? "RSA";
    if (algorithm === "ECDSA") {
        const curve = { 256: "prime256v1", 384: "secp384r1", 521: "secp521r1" }[pk?.size ?? 256];
        if (!curve) throw new Error(`unsupported ECDSA size ${pk?.size}`);
        openssl(cwd, ["ecparam", "-name", curve, "-genkey", "-noout", "-out", file]);
    } else if (algorithm === "RSA") {
        openssl(cwd, ["genrsa", "-out", file, String(pk?.size ?? 2048)]);
    } else if (algorithm === "Ed25519") {
        openssl(cwd, ["genpkey", "-algorithm", "ed25519", "-out", file]);
    } else {
        throw new Error(`unsupported private key algorithm ${algorithm}`);
    }
}

/** The X.509 extensions cert-manager would put in the certificate the Certificate requests. */
function extensions(spec: any): string {
    const usages: string[] = spec.usages ?? ["digital signature", "key encipherment"];
    const all = spec.isCA && !usages.includes("cert sign") ? [...usages, "cert sign"] : usages;
    const unknown = all.filter((u) => !KEY_USAGES[u] && !EXTENDED_USAGES[u]);
    if (unknown.length > 0) throw new Error(`unsupported usages ${unknown.join(", ")}`);
    const ku = [...new Set(all.filter((u) => KEY_USAGES[u]).map((u) => KEY_USAGES[u]))];
    const eku = all.filter((u) => EXTENDED_USAGES[u]).map((u) => EXTENDED_USAGES[u]);
    const san = [
        ...(spec.dnsNames ?? []).map((d: string) => `DNS:${d}`),
        ...(spec.ipAddresses ?? []).map((i: string) => `IP:${i}`),
        ...(spec.uris ?? []).map((u: string) => `URI:${u}`),
    ];
    return [
        "[v3]",
        `basicConstraints = critical, CA:${spec.isCA ? "TRUE" : "FALSE"}`,
        ...(ku.length > 0 ? [`keyUsage = critical, ${ku.join(", ")}`] : []),
        ...(eku.length > 0 ? [`extendedKeyUsage = ${eku.join(", ")}`] : []),
        ...(san.length > 0 ? [`subjectAltName = ${spec.commonName ? "" : "critical, "}${san.join(", ")}`] : []),
        "subjectKeyIdentifier = hash",
        ...(spec.issuer === "self" ? [] : ["authorityKeyIdentifier = keyid"]),
        "",
    ].join("\n");
}

/** Signs what a Certificate requests: with its own key (selfSigned) or with a CA's tls.crt and tls.key. */
export function issue(workDir: string, spec: any, signer: { crt: string; key: string } | "self"): Record<string, string> {
    const dir = fs.mkdtempSync(path.join(workDir, "cert-"));
    generateKey(dir, "tls.key", spec.privateKey);
    const subject = spec.commonName ? `/CN=${spec.commonName.replace(/\//g, "\\/")}` : "/";
    openssl(dir, ["req", "-new", "-key", "tls.key", "-subj", subject, "-out", "tls.csr"]);
    fs.writeFileSync(path.join(dir, "ext.cnf"), extensions({ ...spec, issuer: signer === "self" ? "self" : "ca" }));
    const common = ["-in", "tls.csr", "-out", "tls.crt", "-days", String(durationDays(spec.duration)), "-extfile", "ext.cnf", "-extensions", "v3"];
    const serial = ["-set_serial", `0x${crypto.randomBytes(16).toString("hex")}`];
    if (signer === "self") {
        openssl(dir, ["x509", "-req", ...common, ...serial, "-key", "tls.key"]);
    } else {
        fs.writeFileSync(path.join(dir, "ca.crt"), signer.crt);
        fs.writeFileSync(path.join(dir, "ca.key"), signer.key);
        openssl(dir, ["x509", "-req", ...common, ...serial, "-CA", "ca.crt", "-CAkey", "ca.key"]);
    }
    const crt = fs.readFileSync(path.join(dir, "tls.crt"), "utf8");
    return { "tls.crt": crt, "tls.key": fs.readFileSync(path.join(dir, "tls.key"), "utf8"), "ca.crt": signer === "self" ? crt : signer.crt };
}

export interface Issued {
    /** `namespace/name` of each Certificate issued. */
    readonly issued: string[];
    /** Certificates left to an issuer the stand-in does not run (ACME), with the issuer named. */
    readonly skipped: string[];
}

/**
 * Issues every Certificate whose issuer is a selfSigned or CA Issuer or ClusterIssuer among `objects`,
 * in dependency order (a CA Issuer waits for its CA Secret), into `into`. A Certificate whose CA
 * Secret never appears is an error, as it would stay un-issued on the cluster.
 */
export function issueCertificates(objects: readonly K8sObject[], workDir: string, into: SecretStore): Issued {
    const issuers = new Map<string, K8sObject>();
    for (const o of objects.filter((x) => x.kind === "Issuer")) issuers.set(`Issuer/${o.metadata!.namespace}/${o.metadata!.name}`, o);
    for (const o of objects.filter((x) => x.kind === "ClusterIssuer")) issuers.set(`ClusterIssuer/${o.metadata!.name}`, o);
    const pending = objects.filter((o) => o.kind === "Certificate");
    const issued: string[] = [];
    const skipped: string[] = [];
    while (pending.length > 0) {
        let progressed = false;
        for (const cert of [...pending]) {
            const ns = cert.metadata!.namespace!;
            const ref = cert.spec.issuerRef;
            const kind = ref.kind ?? "Issuer";
            const issuer = issuers.get(kind === "ClusterIssuer" ? `ClusterIssuer/${ref.name}` : `Issuer/${ns}/${ref.name}`);
            const id = secretKey(ns, cert.metadata!.name!);
            let signer: { crt: string; key: string } | "self" | undefined;
            if (!issuer || (!issuer.spec.selfSigned && !issuer.spec.ca)) {
                skipped.push(`${id} (${kind} ${ref.name})`);
                pending.splice(pending.indexOf(cert), 1);
                continue;
            }
            if (issuer.spec.selfSigned) signer = "self";
            else {
                const caNamespace = kind === "ClusterIssuer" ? CLUSTER_RESOURCE_NAMESPACE : ns;
                const ca = into.get(secretKey(caNamespace, issuer.spec.ca.secretName));
                if (ca) signer = { crt: ca["tls.crt"], key: ca["tls.key"] };
            }
            if (!signer) continue;
            into.set(secretKey(ns, cert.spec.secretName), issue(workDir, cert.spec, signer));
            issued.push(id);
            pending.splice(pending.indexOf(cert), 1);
            progressed = true;
        }
        if (!progressed && pending.length > 0) {
            throw new Error(
                `never issued, their CA Secret does not exist: ${pending.map((c) => `${c.metadata!.namespace}/${c.metadata!.name}`).join(", ")}`,
            );
        }
    }
    return { issued, skipped };
}
