/** The function's entry point, registered with the Functions Framework as a CloudEvent function. */
export const GCP_ROTATION_ENTRY_POINT = "rotate";

/**
 * The rotation function of the platform's Secret Manager secrets, as the CommonJS source the nodejs20
 * runtime of Cloud Functions (2nd gen) runs. Secret Manager publishes `SECRET_ROTATE` on the rotation
 * topic every `secrets.rotationDays`; the function adds the next version `{"password": …}` of the secret
 * named in the message, if it is one of `ROTATED_SECRETS`, and ignores every other message.
 *
 * Pub/Sub delivers at least once: a message whose secret already has a version created after the
 * message was published is acknowledged without a second write. A failed write throws, so the trigger
 * (retry on failure) delivers the message again.
 *
 * It calls the Secret Manager REST API with the runtime's own token (metadata server), so the archive
 * needs no client library. As on AWS, the new password reaches PostgreSQL and Redis through External
 * Secrets and a restart (docs/runbooks/rotate-credentials.md).
 */
export const GCP_ROTATION_HANDLER_SOURCE = `"use strict";
const crypto = require("crypto");

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

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

/** Milliseconds of an RFC 3339 time with up to nanoseconds (Date keeps milliseconds). */
const millis = (t) => Date.parse(String(t).replace(/(\\.\\d{3})\\d+/, "$1"));

/**
 * Handles one CloudEvent of the rotation topic. client: { latestVersion(secret), addVersion(secret, data) };
 * allowed: the secret ids the function may rotate.
 */
async function rotate(client, event, allowed, randomBytes) {
    const message = (event && event.data && event.data.message) || {};
    const attributes = message.attributes || {};
    if (attributes.eventType !== "SECRET_ROTATE") return "ignored event " + (attributes.eventType || "(none)");
    const secret = String(attributes.secretId || "");
    const id = secret.split("/").pop();
    if (!/^projects\\/[^/]+\\/secrets\\/[^/]+$/.test(secret) || !allowed.includes(id)) return "ignored secret " + (secret || "(none)");
    const latest = await client.latestVersion(secret);
    const published = millis(message.publishTime);
    if (latest && !Number.isNaN(published) && millis(latest.createTime) >= published) return "already rotated by " + latest.name;
    const version = await client.addVersion(secret, JSON.stringify({ password: generatePassword(randomBytes) }));
    return "added " + version.name;
}

/** Secret Manager over REST with the token of the function's service account. */
function restClient(fetch) {
    const api = "https://secretmanager.googleapis.com/v1/";
    const token = async () => {
        const res = await fetch("http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token", {
            headers: { "Metadata-Flavor": "Google" },
        });
        if (!res.ok) throw new Error("metadata server token: HTTP " + res.status);
        return (await res.json()).access_token;
    };
    const call = async (method, path, body) => {
        const res = await fetch(api + path, {
            method,
            headers: { authorization: "Bearer " + (await token()), "content-type": "application/json" },
            body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (res.status === 404 && method === "GET") return undefined;
        if (!res.ok) throw new Error("Secret Manager " + method + " " + path + ": HTTP " + res.status + " " + (await res.text()));
        return res.json();
    };
    return {
        latestVersion: (secret) => call("GET", secret + "/versions/latest"),
        addVersion: (secret, data) => call("POST", secret + ":addVersion", { payload: { data: Buffer.from(data).toString("base64") } }),
    };
}

exports.generatePassword = generatePassword;
exports.rotate = rotate;
exports.restClient = restClient;

const allowed = String(process.env.ROTATED_SECRETS || "").split(",").filter(Boolean);
require("@google-cloud/functions-framework").cloudEvent("${GCP_ROTATION_ENTRY_POINT}", async (event) => {
    const result = await rotate(restClient(fetch), event, allowed, crypto.randomBytes);
    console.log(JSON.stringify({ event: event.id, result }));
});
`;

/** The archive's package.json: the Functions Framework the source registers with, nothing else. */
export const GCP_ROTATION_PACKAGE_JSON = JSON.stringify(
    {
        name: "voting-rotate-credentials",
        version: "1.0.0",
        private: true,
        main: "index.js",
        engines: { node: "20" },
        dependencies: { "@google-cloud/functions-framework": "5.0.5" },
    },
    null,
    4,
);
