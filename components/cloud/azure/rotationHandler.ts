/** The function's name in the app: Event Grid delivers to `<app id>/functions/<name>`. */
export const AZURE_ROTATION_FUNCTION = "rotate";

/**
 * The rotation function of the platform's Key Vault secrets, as the CommonJS source the Node 20 runtime
 * of Azure Functions runs (an Event Grid trigger, declared in function.json). Key Vault raises
 * `Microsoft.KeyVault.SecretNearExpiry` before a version's `expires`; for a secret of `ROTATED_SECRETS`
 * in the vault `VAULT_NAME` the function writes the next version `{"password": …}`, valid from now until
 * `ROTATION_DAYS` later. A secret of `RENEWED_SECRETS` holds values the platform cannot change (the log
 * service's connection strings, which Azure issues once per Application Insights resource): its current
 * value is written again as a new version with the next window, so it never lapses between updates.
 * Every other event is ignored.
 *
 * Event Grid delivers at least once: when the secret already has a version that expires later than the
 * one the event names, the event is acknowledged without a second write. A failed write throws, so Event
 * Grid delivers the event again.
 *
 * It calls the Key Vault REST API with the token of the app's identity (IDENTITY_ENDPOINT, AZURE_CLIENT_ID), so the
 * archive needs no client library. It reads versions' metadata, and a value only of a secret it renews.
 */
export const AZURE_ROTATION_HANDLER_SOURCE = `"use strict";
const crypto = require("crypto");

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const NEAR_EXPIRY = "Microsoft.KeyVault.SecretNearExpiry";

/** 32 letters and digits, each drawn uniformly (bytes of 248 and above are discarded). */
function generatePassword(randomBytes) {
    let out = "";
    while (out.length < 32) {
        for (const b of randomBytes(64)) {
            if (b < 248 && out.length < 32) out += ALPHABET[b % 62];
        }
    }
    return out;
}

/**
 * Handles one Event Grid event. client: { versions(secret), getSecret(secret), setSecret(secret, body) };
 * settings: { vault, secrets, renewed, rotationDays }; now: milliseconds since the epoch.
 */
async function rotate(client, event, settings, now, randomBytes) {
    if (!(settings.rotationDays > 0)) throw new Error("ROTATION_DAYS is " + settings.rotationDays + ", not a number of days");
    if (!event || event.eventType !== NEAR_EXPIRY) return "ignored event " + ((event && event.eventType) || "(none)");
    const data = event.data || {};
    const name = String(data.ObjectName || "");
    const rotated = settings.secrets.includes(name);
    const renewed = !rotated && (settings.renewed || []).includes(name);
    if (data.VaultName !== settings.vault || !(rotated || renewed))
        return "ignored secret " + (data.VaultName || "(none)") + "/" + (name || "(none)");
    const versions = await client.versions(name);
    const later = versions.find((v) => v.attributes && v.attributes.enabled !== false && v.attributes.exp > Number(data.EXP));
    if (later) return (renewed ? "already renewed by " : "already rotated by ") + later.id;
    const nbf = Math.floor(now / 1000);
    const attributes = { enabled: true, nbf, exp: nbf + settings.rotationDays * 86400 };
    if (renewed) {
        const current = await client.getSecret(name);
        const written = await client.setSecret(name, { value: current.value, contentType: current.contentType, attributes });
        return "renewed " + written.id;
    }
    const written = await client.setSecret(name, {
        value: JSON.stringify({ password: generatePassword(randomBytes) }),
        contentType: "application/json",
        attributes,
    });
    return "wrote " + written.id;
}

/** Key Vault over REST with the token of the app's system-assigned identity. */
function restClient(fetch, vault, env) {
    const base = "https://" + vault + ".vault.azure.net/secrets/";
    // The app's user-assigned identity is named by its client id.
    const clientId = env.AZURE_CLIENT_ID ? "&client_id=" + encodeURIComponent(env.AZURE_CLIENT_ID) : "";
    const token = async () => {
        const res = await fetch(env.IDENTITY_ENDPOINT + "?api-version=2019-08-01&resource=https%3A%2F%2Fvault.azure.net" + clientId, {
            headers: { "X-IDENTITY-HEADER": env.IDENTITY_HEADER },
        });
        if (!res.ok) throw new Error("managed identity token: HTTP " + res.status);
        return (await res.json()).access_token;
    };
    const call = async (method, url, body) => {
        const res = await fetch(url, {
            method,
            headers: { authorization: "Bearer " + (await token()), "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (!res.ok) throw new Error("Key Vault " + method + " " + url.split("?")[0] + ": HTTP " + res.status + " " + (await res.text()));
        return res.json();
    };
    return {
        versions: async (secret) => {
            const out = [];
            let url = base + secret + "/versions?api-version=7.4&maxresults=25";
            while (url) {
                const page = await call("GET", url);
                out.push(...(page.value || []));
                url = page.nextLink;
            }
            return out;
        },
        getSecret: (secret) => call("GET", base + secret + "?api-version=7.4"),
        setSecret: (secret, body) => call("PUT", base + secret + "?api-version=7.4", body),
    };
}

exports.generatePassword = generatePassword;
exports.rotate = rotate;
exports.restClient = restClient;

module.exports = async function (context, event) {
    const settings = {
        vault: process.env.VAULT_NAME,
        secrets: String(process.env.ROTATED_SECRETS || "").split(",").filter(Boolean),
        renewed: String(process.env.RENEWED_SECRETS || "").split(",").filter(Boolean),
        rotationDays: Number(process.env.ROTATION_DAYS),
    };
    const result = await rotate(restClient(fetch, settings.vault, process.env), event, settings, Date.now(), crypto.randomBytes);
    context.log(JSON.stringify({ event: event.id, result }));
};
Object.assign(module.exports, exports);
`;

/** function.json of the v3 programming model: one Event Grid trigger, no output binding. */
export const AZURE_ROTATION_FUNCTION_JSON = JSON.stringify({ bindings: [{ type: "eventGridTrigger", name: "event", direction: "in" }] }, null, 4);

/** host.json: the extension bundle that carries the Event Grid trigger. */
export const AZURE_ROTATION_HOST_JSON = JSON.stringify(
    { version: "2.0", extensionBundle: { id: "Microsoft.Azure.Functions.ExtensionBundle", version: "[4.*, 5.0.0)" } },
    null,
    4,
);
