/**
 * The rotation Lambda of the platform's Secrets Manager entries (`{"password": …}`), as the CommonJS
 * source the function runs on the nodejs20.x runtime, whose AWS SDK v3 it uses. Secrets Manager calls
 * it four times per rotation (createSecret, setSecret, testSecret, finishSecret) with the new version's
 * token; each step is idempotent, as the service requires.
 *
 * setSecret changes nothing: PostgreSQL and Redis run in the cluster, out of the Lambda's reach. The new
 * password reaches them and their clients through External Secrets and a restart
 * (docs/runbooks/rotate-credentials.md).
 */
export const ROTATION_HANDLER_SOURCE = `"use strict";
const sdk = require("@aws-sdk/client-secrets-manager");

/** One rotation step; send(command, input) calls Secrets Manager. */
async function rotate(send, event) {
    const id = event.SecretId;
    const token = event.ClientRequestToken;
    const meta = await send("DescribeSecretCommand", { SecretId: id });
    if (!meta.RotationEnabled) throw new Error("rotation is not enabled on " + id);
    const versions = meta.VersionIdsToStages || {};
    const stages = versions[token];
    if (!stages) throw new Error("version " + token + " of " + id + " is not staged for rotation");
    if (stages.includes("AWSCURRENT")) return "already current";
    if (!stages.includes("AWSPENDING")) throw new Error("version " + token + " of " + id + " is not AWSPENDING");
    switch (event.Step) {
        case "createSecret": {
            try {
                await send("GetSecretValueCommand", { SecretId: id, VersionId: token, VersionStage: "AWSPENDING" });
                return "pending version exists";
            } catch (e) {
                if (e.name !== "ResourceNotFoundException") throw e;
            }
            const current = JSON.parse((await send("GetSecretValueCommand", { SecretId: id, VersionStage: "AWSCURRENT" })).SecretString);
            const generated = await send("GetRandomPasswordCommand", { PasswordLength: 32, ExcludePunctuation: true });
            await send("PutSecretValueCommand", {
                SecretId: id,
                ClientRequestToken: token,
                SecretString: JSON.stringify(Object.assign({}, current, { password: generated.RandomPassword })),
                VersionStages: ["AWSPENDING"],
            });
            return "created";
        }
        case "setSecret":
            return "applied by the platform on restart";
        case "testSecret": {
            const pending = JSON.parse((await send("GetSecretValueCommand", { SecretId: id, VersionId: token, VersionStage: "AWSPENDING" })).SecretString);
            if (typeof pending.password !== "string" || pending.password.length < 16) throw new Error("pending version of " + id + " has no password of 16 characters or more");
            return "tested";
        }
        case "finishSecret": {
            const current = Object.keys(versions).find((v) => versions[v].includes("AWSCURRENT"));
            await send("UpdateSecretVersionStageCommand", { SecretId: id, VersionStage: "AWSCURRENT", MoveToVersionId: token, RemoveFromVersionId: current });
            return "finished";
        }
        default:
            throw new Error("unknown rotation step " + event.Step);
    }
}

let client;
exports.rotate = rotate;
exports.handler = async (event) => {
    client = client || new sdk.SecretsManagerClient({});
    const result = await rotate((command, input) => client.send(new sdk[command](input)), event);
    console.log(JSON.stringify({ secret: event.SecretId, step: event.Step, result }));
};
`;
