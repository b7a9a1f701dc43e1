import { containersOf, describe, namespaceOf, podTemplate, record, records, str, text, type K8sObject } from "../../lib/k8s";
import { resourceSet } from "../../lib/resourceSet";
import { defineRule, type Finding } from "../../lib/rule";

/** PostgreSQL and Redis connection URLs inside a value (a URL may sit in a longer string, a template or a config file). */
const DATA_URL = /\b(postgres(?:ql)?|rediss?):\/\/[^\s"'`]+/g;

/** The query parameters of a URL, lower-cased names; a template placeholder before `?` does not disturb them. */
function queryOf(url: string): Map<string, string> {
    const q = url.includes("?") ? url.slice(url.indexOf("?") + 1) : "";
    const out = new Map<string, string>();
    for (const pair of q.split("&").filter(Boolean)) {
        const [k, v = ""] = pair.split("=");
        let value = v;
        try {
            value = decodeURIComponent(v);
        } catch {
            // A malformed escape is kept as written.
        }
        out.set(k.toLowerCase(), value.toLowerCase());
    }
    return out;
}

/** libpq's sslmode values that may connect without TLS; `require` and `verify-ca` use TLS without checking the name. */
const PLAINTEXT_SSLMODES = ["disable", "allow", "prefer"];

export interface DataTlsSettings {
    plaintextAllowed: boolean;
}

/** Why libpq's sslmode (URL or PGSSLMODE) is not enough, if it is not. */
function judgeSslmode(mode: string | undefined, cfg: DataTlsSettings): string | undefined {
    if (mode === "verify-full") return undefined;
    if (cfg.plaintextAllowed && (mode === undefined || PLAINTEXT_SSLMODES.includes(mode))) return undefined;
    return `sslmode=${mode ?? "unset (prefer)"}`;
}

/** What is wrong with one connection URL, if anything. */
function judgeUrl(url: string, cfg: DataTlsSettings): string | undefined {
    const scheme = url.slice(0, url.indexOf(":")).toLowerCase();
    const q = queryOf(url);
    if (scheme.startsWith("postgres")) {
        const wrong = judgeSslmode(q.get("sslmode"), cfg);
        if (!wrong) return undefined;
        return `connects to PostgreSQL with ${wrong}; use sslmode=verify-full with sslrootcert naming the CA, which checks the server's certificate and name`;
    }
    if (scheme === "redis") {
        return cfg.plaintextAllowed ? undefined : "connects to Redis over plain TCP (redis://); use rediss:// and verify the server against its CA";
    }
    if (["none", "optional"].includes(q.get("ssl_cert_reqs") ?? ""))
        return `turns Redis certificate checks off (ssl_cert_reqs=${q.get("ssl_cert_reqs")}); require them`;
    if (q.get("ssl_check_hostname") === "false") return "turns the Redis host name check off (ssl_check_hostname=false); set it to true";
    return undefined;
}

function judgeText(where: string, text: unknown, cfg: DataTlsSettings): string[] {
    if (typeof text !== "string") return [];
    // A template action ({{ .password | urlquery }}) stands for one value of the URL; it may hold spaces and quotes.
    const plain = text.replace(/\{\{.*?\}\}/g, "VALUE");
    return [...plain.matchAll(DATA_URL)].map((m) => judgeUrl(m[0], cfg)).flatMap((why) => (why ? [`${where} ${why}`] : []));
}

const decode = (v: unknown) => (typeof v === "string" ? Buffer.from(v, "base64").toString("utf8") : undefined);

/**
 * Checklist 1.4.3, 6.2.3: connections to PostgreSQL and Redis use TLS and verify the server. A URL with
 * `sslmode=require` encrypts but accepts any certificate, so a man in the middle goes unnoticed. A stack
 * on plain TCP by design (staging) sets `plaintextAllowed`: TLS it does use must still verify.
 */
export const requireVerifiedDataTls = defineRule<DataTlsSettings>({
    scope: "stack",
    name: "require-verified-data-tls",
    description:
        "Connections to PostgreSQL and Redis use TLS and verify the server: every postgres:// URL and PGSSLMODE uses sslmode=verify-full, no redis:// URL is plain or turns certificate or host name checks off, and KEDA's Redis triggers enable TLS without unsafeSsl.",
    severity: "high",
    enforcementLevel: "mandatory",
    remediationSteps:
        'Use sslmode=verify-full&sslrootcert=<CA file> in PostgreSQL URLs and PGSSLMODE=verify-full with PGSSLROOTCERT; use rediss:// with the CA (ssl_ca_certs, redis-cli --cacert) and the host name check on; set enableTLS "true" on KEDA Redis triggers and give their TriggerAuthentication the CA (parameter ca); mount the CA certificate where the settings name it.',
    checklist: ["1.4.3", "6.2.3"],
    settings: {
        plaintextAllowed: {
            type: "boolean",
            description:
                "Whether connections may skip TLS altogether (a staging stack on plain TCP). TLS that a connection uses must still verify the server.",
            default: false,
        },
    },
    check: (objects, cfg) => {
        const out: Finding[] = [];
        const say = (object: K8sObject, messages: string[]) => messages.forEach((m) => out.push({ object, message: `${describe(object)}: ${m}` }));
        for (const obj of objects) {
            const pod = podTemplate(obj);
            if (pod) {
                for (const c of containersOf(pod.spec)) {
                    for (const e of records(c.container.env)) {
                        say(obj, judgeText(`${c.label} env ${text(e.name)}`, e.value, cfg));
                        if (e.name === "PGSSLMODE" && typeof e.value === "string" && judgeSslmode(e.value.toLowerCase(), cfg)) {
                            say(obj, [`${c.label} sets PGSSLMODE=${e.value}; use verify-full with PGSSLROOTCERT naming the CA`]);
                        }
                    }
                }
            }
            if (obj.kind === "Secret") {
                for (const [k, v] of Object.entries(record(obj.stringData))) say(obj, judgeText(`key ${k}`, v, cfg));
                for (const [k, v] of Object.entries(record(obj.data))) say(obj, judgeText(`key ${k}`, decode(v), cfg));
            }
            if (obj.kind === "ConfigMap") for (const [k, v] of Object.entries(record(obj.data))) say(obj, judgeText(`key ${k}`, v, cfg));
            if (obj.kind === "ExternalSecret" || obj.kind === "ClusterExternalSecret") {
                // A ClusterExternalSecret stamps its externalSecretSpec into every namespace it selects.
                const spec = obj.kind === "ExternalSecret" ? record(obj.spec) : record(record(obj.spec).externalSecretSpec);
                for (const [k, v] of Object.entries(record(record(record(spec.target).template).data))) {
                    say(obj, judgeText(`template key ${k}`, v, cfg));
                }
            }
            if (obj.kind === "ScaledObject" || obj.kind === "ScaledJob") {
                for (const t of records(record(obj.spec).triggers)) {
                    const type = str(t.type) ?? "";
                    if (!/^redis/.test(type)) continue;
                    const ref = record(t.authenticationRef);
                    const set = resourceSet(objects);
                    const name = str(ref.name);
                    const kind = ref.kind ?? "TriggerAuthentication";
                    // A ClusterTriggerAuthentication of that name serves any namespace.
                    const auth =
                        name === undefined
                            ? undefined
                            : ((typeof kind === "string" ? set.find(kind, namespaceOf(obj), name) : undefined) ??
                              set.find("ClusterTriggerAuthentication", undefined, name));
                    const authParams = records(record(auth?.spec).secretTargetRef).map((r) => r.parameter);
                    const metadata = record(t.metadata);
                    const tls = (str(metadata.enableTLS) ?? "").toLowerCase() === "true" || authParams.includes("tls");
                    if (!tls && !cfg.plaintextAllowed)
                        say(obj, [
                            `${type} trigger speaks plain TCP to Redis; set enableTLS "true" and give its TriggerAuthentication the CA (parameter ca)`,
                        ]);
                    if ((str(metadata.unsafeSsl) ?? "").toLowerCase() === "true")
                        say(obj, [`${type} trigger sets unsafeSsl, which skips verifying Redis's certificate`]);
                }
            }
        }
        return out;
    },
});
