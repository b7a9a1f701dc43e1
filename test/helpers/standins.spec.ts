import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import type { K8sObject } from "../../policies/lib/k8s";
import { expandVars, repositoryOf } from "./rehearsal";
import { requireBinary } from "./servers";
import { externalSecrets, issueCertificates, queryEscape, renderTemplate, type SecretStore } from "./standins";

describe("rehearsal stand-ins", () => {
    describe("External Secrets templates", () => {
        it("escapes as Go's url.QueryEscape does", () => {
            assert.strictEqual(queryEscape("p@ss:w/rd%+?# x!*'()~._-é"), "p%40ss%3Aw%2Frd%25%2B%3F%23+x%21%2A%27%28%29~._-%C3%A9");
        });

        it("renders a value and the urlquery pipeline that keeps a space as %20", () => {
            const out = renderTemplate('u:{{ .pw | urlquery | replace "+" "%20" }}@h {{ .pw }}', { pw: "a b+c" });
            assert.strictEqual(out, "u:a%20b%2Bc@h a b+c");
        });

        it("renders a registry auth: printf of two values, base64-encoded", () => {
            const out = renderTemplate('{{ printf "%s:%s" .username .password | b64enc }}', { username: "AWS", password: "t0ken" });
            assert.strictEqual(out, Buffer.from("AWS:t0ken").toString("base64"));
        });

        it("refuses a template function it does not implement", () => {
            assert.throws(() => renderTemplate("{{ .pw | b64dec }}", { pw: "x" }), { message: "unsupported template function b64dec" });
        });

        it("refuses a template that names a value the ExternalSecret does not fetch", () => {
            assert.throws(() => renderTemplate("{{ .other }}", { pw: "x" }), {
                message: "template names .other, which the ExternalSecret does not fetch",
            });
        });

        it("creates the target Secret from the secret manager's entry", () => {
            const es: K8sObject = {
                kind: "ExternalSecret",
                metadata: { name: "auth", namespace: "ns" },
                spec: {
                    target: { name: "auth-secret", template: { engineVersion: "v2", data: { url: "x://{{ .pw | urlquery }}" } } },
                    data: [{ secretKey: "pw", remoteRef: { key: "voting/prod/redis", property: "password" } }],
                },
            };
            const store: SecretStore = new Map();
            externalSecrets([es], { "voting/prod/redis": { password: "a@b" } }, store);
            assert.deepStrictEqual([...store], [["ns/auth-secret", { url: "x://a%40b" }]]);
        });
    });

    describe("cert-manager", () => {
        let dir: string;
        before(function () {
            requireBinary(this, "openssl", "openssl");
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "pki-"));
        });
        const issuer = (name: string, spec: object): K8sObject => ({ kind: "Issuer", metadata: { name, namespace: "ns" }, spec });
        const cert = (name: string, spec: object): K8sObject => ({
            kind: "Certificate",
            metadata: { name, namespace: "ns" },
            spec: { secretName: name, privateKey: { algorithm: "ECDSA", size: 256 }, ...spec },
        });
        const ca = cert("ca", { isCA: true, commonName: "test CA", issuerRef: { name: "self", kind: "Issuer" } });
        const server = cert("srv", {
            dnsNames: ["db.ns.svc.cluster.local"],
            usages: ["digital signature", "server auth"],
            issuerRef: { name: "ca", kind: "Issuer" },
        });
        const verify = (secret: Record<string, string>, host: string) => {
            fs.writeFileSync(path.join(dir, "ca.pem"), secret["ca.crt"]);
            fs.writeFileSync(path.join(dir, "crt.pem"), secret["tls.crt"]);
            const r = spawnSync("openssl", ["verify", "-CAfile", "ca.pem", "-purpose", "sslserver", "-verify_hostname", host, "crt.pem"], {
                cwd: dir,
                encoding: "utf8",
            });
            return `${r.stdout}${r.stderr}`.trim();
        };

        it("issues a CA Issuer's certificate after the CA it waits for, with the requested names", () => {
            const store: SecretStore = new Map();
            const out = issueCertificates([server, issuer("ca", { ca: { secretName: "ca" } }), ca, issuer("self", { selfSigned: {} })], dir, store);
            assert.deepStrictEqual(out, { issued: ["ns/ca", "ns/srv"], skipped: [] });
            assert.strictEqual(verify(store.get("ns/srv")!, "db.ns.svc.cluster.local"), "crt.pem: OK");
            assert.strictEqual(store.get("ns/srv")!["ca.crt"], store.get("ns/ca")!["tls.crt"]);
            assert.match(verify(store.get("ns/srv")!, "other.ns.svc.cluster.local"), /hostname mismatch/);
        });

        it("refuses a client-auth certificate as a server certificate", () => {
            const store: SecretStore = new Map();
            const client = cert("client", {
                commonName: "client",
                usages: ["digital signature", "client auth"],
                issuerRef: { name: "ca", kind: "Issuer" },
            });
            issueCertificates([ca, issuer("self", { selfSigned: {} }), issuer("ca", { ca: { secretName: "ca" } }), client], dir, store);
            assert.match(verify(store.get("ns/client")!, "client"), /unsuitable certificate purpose/);
        });

        it("leaves a certificate of an ACME issuer to cert-manager and says so", () => {
            const acme = cert("web", { dnsNames: ["voting.example.com"], issuerRef: { name: "letsencrypt", kind: "ClusterIssuer" } });
            const le: K8sObject = { kind: "ClusterIssuer", metadata: { name: "letsencrypt" }, spec: { acme: {} } };
            assert.deepStrictEqual(issueCertificates([acme, le], dir, new Map()), { issued: [], skipped: ["ns/web (ClusterIssuer letsencrypt)"] });
        });

        it("fails when a CA Issuer's Secret is never issued", () => {
            assert.throws(() => issueCertificates([server, issuer("ca", { ca: { secretName: "ca" } })], dir, new Map()), {
                message: "never issued, their CA Secret does not exist: ns/srv",
            });
        });
    });

    describe("pod specs", () => {
        it("expands $(VAR) as the kubelet does, leaving $$ and unknown names", () => {
            assert.strictEqual(expandVars("--requirepass $(PW) $$(PW) $(NOPE)", { PW: "s3cret" }), "--requirepass s3cret $(PW) $(NOPE)");
        });

        it("reads an image's repository without its tag or digest", () => {
            assert.deepStrictEqual(
                ["docker.io/library/redis:7.4.1-bookworm", "registry:5000/voting/api:1.0@sha256:ab", "postgres"].map(repositoryOf),
                ["docker.io/library/redis", "registry:5000/voting/api", "postgres"],
            );
        });
    });
});
