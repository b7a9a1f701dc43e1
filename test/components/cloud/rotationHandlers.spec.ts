import * as assert from "assert";
import * as crypto from "crypto";
import * as vm from "vm";
import { AZURE_ROTATION_HANDLER_SOURCE } from "../../../components/cloud/azure/rotationHandler";
import { GCP_ROTATION_ENTRY_POINT, GCP_ROTATION_HANDLER_SOURCE } from "../../../components/cloud/gcp/rotationHandler";

/** Loads a handler's source as its runtime would, with `require` answering only what the source may ask for. */
function load(source: string, env: Record<string, string> = {}) {
    const module = { exports: {} as any };
    const registered: Record<string, (event: object) => Promise<void>> = {};
    const require = (id: string) => {
        if (id === "crypto") return crypto;
        if (id === "@google-cloud/functions-framework") return { cloudEvent: (name: string, fn: any) => (registered[name] = fn) };
        throw new Error(`the handler requires ${id}, which its archive does not carry`);
    };
    const logs: string[] = [];
    vm.runInNewContext(source, {
        module,
        exports: module.exports,
        require,
        process: { env },
        Buffer,
        fetch: () => Promise.reject(new Error("no network in tests")),
        console: { log: (line: string) => logs.push(line) },
    });
    return { exports: module.exports, registered, logs };
}

/** Bytes 0, 1, 2, … : the password is the alphabet in order, so its value can be asserted exactly. */
const counting = () => {
    let next = 0;
    return (n: number) => Buffer.from(Array.from({ length: n }, () => next++ % 256));
};
const PASSWORD_FROM_COUNTING = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";

describe("the Secret Manager rotation function (6.1.3, GCP)", () => {
    const SECRET = "projects/123456789012/secrets/voting-prod-postgres";
    const ALLOWED = ["voting-prod-postgres", "voting-prod-redis"];
    const event = (attributes: Record<string, string>, publishTime = "2025-04-01T00:00:05.123456Z") => ({
        id: "m-1",
        data: { message: { messageId: "m-1", publishTime, attributes } },
    });
    const rotateEvent = event({ eventType: "SECRET_ROTATE", secretId: SECRET });

    /** A Secret Manager stand-in: versions per secret with their create time, and the writes it received. */
    class FakeSecretManager {
        readonly added: { secret: string; data: string }[] = [];
        latest: { name: string; createTime: string } | undefined = { name: `${SECRET}/versions/1`, createTime: "2025-01-01T00:00:00.000000001Z" };
        failWrite = false;
        async latestVersion(secret: string) {
            assert.strictEqual(secret, SECRET);
            return this.latest;
        }
        async addVersion(secret: string, data: string) {
            if (this.failWrite) throw new Error(`Secret Manager POST ${secret}:addVersion: HTTP 403 Permission denied`);
            this.added.push({ secret, data });
            return { name: `${secret}/versions/${this.added.length + 1}` };
        }
    }

    it("adds the version {password} of 32 letters and digits to the secret a SECRET_ROTATE message names", async () => {
        const sm = new FakeSecretManager();
        const { rotate } = load(GCP_ROTATION_HANDLER_SOURCE).exports;
        assert.strictEqual(await rotate(sm, rotateEvent, ALLOWED, counting()), `added ${SECRET}/versions/2`);
        assert.deepStrictEqual(sm.added, [{ secret: SECRET, data: JSON.stringify({ password: PASSWORD_FROM_COUNTING }) }]);
    });

    it("draws each password from crypto.randomBytes: 32 characters of [A-Za-z0-9], a different one each time", () => {
        const { generatePassword } = load(GCP_ROTATION_HANDLER_SOURCE).exports;
        const passwords = Array.from({ length: 50 }, () => generatePassword(crypto.randomBytes) as string);
        for (const p of passwords) assert.match(p, /^[A-Za-z0-9]{32}$/);
        assert.strictEqual(new Set(passwords).size, 50);
        // Bytes of 248 and above would bias the alphabet: they are skipped.
        assert.strictEqual(
            generatePassword(() => Buffer.from([255, 248, 61, ...Array(61).fill(0)])),
            "9" + "A".repeat(31),
        );
    });

    it("ignores SECRET_VERSION_ADD and other event types, and messages without attributes, writing nothing", async () => {
        const sm = new FakeSecretManager();
        const { rotate } = load(GCP_ROTATION_HANDLER_SOURCE).exports;
        assert.deepStrictEqual(
            [
                await rotate(sm, event({ eventType: "SECRET_VERSION_ADD", secretId: SECRET }), ALLOWED, counting()),
                await rotate(sm, event({ eventType: "SECRET_UPDATE", secretId: SECRET }), ALLOWED, counting()),
                await rotate(sm, { data: { message: {} } }, ALLOWED, counting()),
            ],
            ["ignored event SECRET_VERSION_ADD", "ignored event SECRET_UPDATE", "ignored event (none)"],
        );
        assert.deepStrictEqual(sm.added, []);
    });

    it("ignores a SECRET_ROTATE of a secret that is not the platform's, or of a malformed name", async () => {
        const sm = new FakeSecretManager();
        const { rotate } = load(GCP_ROTATION_HANDLER_SOURCE).exports;
        const other = "projects/123456789012/secrets/voting-prod-alerting";
        assert.deepStrictEqual(
            [
                await rotate(sm, event({ eventType: "SECRET_ROTATE", secretId: other }), ALLOWED, counting()),
                await rotate(sm, event({ eventType: "SECRET_ROTATE", secretId: "voting-prod-postgres" }), ALLOWED, counting()),
            ],
            [`ignored secret ${other}`, "ignored secret voting-prod-postgres"],
        );
        assert.deepStrictEqual(sm.added, []);
    });

    it("writes once for a redelivered message: a version created after the message was published means it is done", async () => {
        const sm = new FakeSecretManager();
        const { rotate } = load(GCP_ROTATION_HANDLER_SOURCE).exports;
        await rotate(sm, rotateEvent, ALLOWED, counting());
        sm.latest = { name: `${SECRET}/versions/2`, createTime: "2025-04-01T00:00:05.124000001Z" };
        assert.strictEqual(await rotate(sm, rotateEvent, ALLOWED, counting()), `already rotated by ${SECRET}/versions/2`);
        assert.strictEqual(sm.added.length, 1);
        // The next period's message, published later, writes again.
        assert.strictEqual(
            await rotate(sm, event({ eventType: "SECRET_ROTATE", secretId: SECRET }, "2025-06-30T00:00:00Z"), ALLOWED, counting()),
            `added ${SECRET}/versions/3`,
        );
    });

    it("adds a version to a secret that has none yet", async () => {
        const sm = new FakeSecretManager();
        sm.latest = undefined;
        const { rotate } = load(GCP_ROTATION_HANDLER_SOURCE).exports;
        assert.strictEqual(await rotate(sm, rotateEvent, ALLOWED, counting()), `added ${SECRET}/versions/2`);
    });

    it("lets a failed write surface, so that Pub/Sub delivers the message again", async () => {
        const sm = new FakeSecretManager();
        sm.failWrite = true;
        const { rotate } = load(GCP_ROTATION_HANDLER_SOURCE).exports;
        await assert.rejects(rotate(sm, rotateEvent, ALLOWED, counting()), {
            message: `Secret Manager POST ${SECRET}:addVersion: HTTP 403 Permission denied`,
        });
    });

    it("registers one CloudEvent function under its entry point, reading the allowed secrets from ROTATED_SECRETS", async () => {
        const { registered } = load(GCP_ROTATION_HANDLER_SOURCE, { ROTATED_SECRETS: ALLOWED.join(",") });
        assert.deepStrictEqual(Object.keys(registered), [GCP_ROTATION_ENTRY_POINT]);
        // An event it must ignore finishes without calling the (absent) network.
        await registered[GCP_ROTATION_ENTRY_POINT](event({ eventType: "SECRET_UPDATE", secretId: SECRET }));
        await assert.rejects(registered[GCP_ROTATION_ENTRY_POINT](rotateEvent), /no network in tests/);
    });

    it("calls the REST API with the metadata server's token, base64 payload, and surfaces an HTTP error with its status", async () => {
        const calls: [string, any][] = [];
        const fetch = async (url: string, init: any) => {
            calls.push([url, init]);
            if (url.startsWith("http://metadata.google.internal/")) return { ok: true, status: 200, json: async () => ({ access_token: "t0k" }) };
            if (url.endsWith("/versions/latest")) return { ok: false, status: 404, text: async () => "not found" };
            return { ok: false, status: 403, text: async () => "denied" };
        };
        const client = load(GCP_ROTATION_HANDLER_SOURCE).exports.restClient(fetch);
        assert.strictEqual(await client.latestVersion(SECRET), undefined);
        await assert.rejects(client.addVersion(SECRET, '{"password":"x"}'), {
            message: `Secret Manager POST ${SECRET}:addVersion: HTTP 403 denied`,
        });
        const add = calls[calls.length - 1];
        assert.deepStrictEqual(
            [add[0], add[1].method, add[1].headers.authorization, JSON.parse(add[1].body)],
            [
                `https://secretmanager.googleapis.com/v1/${SECRET}:addVersion`,
                "POST",
                "Bearer t0k",
                { payload: { data: Buffer.from('{"password":"x"}').toString("base64") } },
            ],
        );
        assert.deepStrictEqual({ ...calls[0][1].headers }, { "Metadata-Flavor": "Google" });
    });
});

describe("the Key Vault rotation function (6.1.3, Azure)", () => {
    const NOW = Date.UTC(2025, 3, 1, 12, 0, 0);
    const SETTINGS = { vault: "voting-prod", secrets: ["voting-prod-postgres", "voting-prod-redis"], rotationDays: 90 };
    const OLD_EXP = Math.floor(Date.UTC(2025, 3, 30) / 1000);
    const nearExpiry = (data: Record<string, unknown> = {}, eventType = "Microsoft.KeyVault.SecretNearExpiry") => ({
        id: "e-1",
        eventType,
        data: {
            VaultName: "voting-prod",
            ObjectType: "Secret",
            ObjectName: "voting-prod-redis",
            Version: "v1",
            NBF: OLD_EXP - 90 * 86400,
            EXP: OLD_EXP,
            ...data,
        },
    });

    /** A Key Vault stand-in: each secret's versions' metadata, and the writes it received. */
    class FakeKeyVault {
        readonly written: { secret: string; body: any }[] = [];
        versionsOf: Record<string, { id: string; attributes: { enabled: boolean; nbf: number; exp: number } }[]> = {
            "voting-prod-redis": [
                {
                    id: "https://voting-prod.vault.azure.net/secrets/voting-prod-redis/v1",
                    attributes: { enabled: true, nbf: OLD_EXP - 90 * 86400, exp: OLD_EXP },
                },
            ],
        };
        failWrite = false;
        readonly read: string[] = [];
        values: Record<string, { value: string; contentType: string }> = {
            "voting-prod-logs": { value: '{"app":"InstrumentationKey=a","audit":"InstrumentationKey=b"}', contentType: "application/json" },
        };
        async versions(secret: string) {
            return this.versionsOf[secret] ?? [];
        }
        async getSecret(secret: string) {
            this.read.push(secret);
            return { id: `https://voting-prod.vault.azure.net/secrets/${secret}/v1`, ...this.values[secret] };
        }
        async setSecret(secret: string, body: any) {
            if (this.failWrite) throw new Error(`Key Vault PUT https://voting-prod.vault.azure.net/secrets/${secret}: HTTP 403 Forbidden`);
            this.written.push({ secret, body });
            const id = `https://voting-prod.vault.azure.net/secrets/${secret}/v${this.written.length + 1}`;
            (this.versionsOf[secret] ??= []).push({ id, attributes: { enabled: true, nbf: body.attributes.nbf, exp: body.attributes.exp } });
            return { id };
        }
    }

    it("writes the next version {password} of 32 letters and digits, valid from now for exactly secrets.rotationDays", async () => {
        const kv = new FakeKeyVault();
        const { rotate } = load(AZURE_ROTATION_HANDLER_SOURCE).exports;
        assert.strictEqual(
            await rotate(kv, nearExpiry(), SETTINGS, NOW, counting()),
            "wrote https://voting-prod.vault.azure.net/secrets/voting-prod-redis/v2",
        );
        assert.deepStrictEqual(JSON.parse(JSON.stringify(kv.written)), [
            {
                secret: "voting-prod-redis",
                body: {
                    value: JSON.stringify({ password: PASSWORD_FROM_COUNTING }),
                    contentType: "application/json",
                    attributes: { enabled: true, nbf: NOW / 1000, exp: NOW / 1000 + 90 * 86400 },
                },
            },
        ]);
        assert.match(JSON.parse(kv.written[0].body.value).password, /^[A-Za-z0-9]{32}$/);
    });

    it("ignores SecretNewVersionCreated, SecretExpired and other event types, writing nothing", async () => {
        const kv = new FakeKeyVault();
        const { rotate } = load(AZURE_ROTATION_HANDLER_SOURCE).exports;
        assert.deepStrictEqual(
            [
                await rotate(kv, nearExpiry({}, "Microsoft.KeyVault.SecretNewVersionCreated"), SETTINGS, NOW, counting()),
                await rotate(kv, nearExpiry({}, "Microsoft.KeyVault.SecretExpired"), SETTINGS, NOW, counting()),
                await rotate(kv, {}, SETTINGS, NOW, counting()),
            ],
            ["ignored event Microsoft.KeyVault.SecretNewVersionCreated", "ignored event Microsoft.KeyVault.SecretExpired", "ignored event (none)"],
        );
        assert.deepStrictEqual(kv.written, []);
    });

    it("ignores another secret of the vault (the log connection strings) and a secret of another vault", async () => {
        const kv = new FakeKeyVault();
        const { rotate } = load(AZURE_ROTATION_HANDLER_SOURCE).exports;
        assert.deepStrictEqual(
            [
                await rotate(kv, nearExpiry({ ObjectName: "voting-prod-logs" }), SETTINGS, NOW, counting()),
                await rotate(kv, nearExpiry({ VaultName: "someone-else" }), SETTINGS, NOW, counting()),
            ],
            ["ignored secret voting-prod/voting-prod-logs", "ignored secret someone-else/voting-prod-redis"],
        );
        assert.deepStrictEqual(kv.written, []);
    });

    it("renews a secret of RENEWED_SECRETS: its current value and content type again, valid from now for rotationDays", async () => {
        const kv = new FakeKeyVault();
        const { rotate } = load(AZURE_ROTATION_HANDLER_SOURCE).exports;
        const settings = { ...SETTINGS, renewed: ["voting-prod-logs"] };
        const logs = nearExpiry({ ObjectName: "voting-prod-logs" });
        assert.strictEqual(
            await rotate(kv, logs, settings, NOW, counting()),
            "renewed https://voting-prod.vault.azure.net/secrets/voting-prod-logs/v2",
        );
        assert.deepStrictEqual(JSON.parse(JSON.stringify(kv.written)), [
            {
                secret: "voting-prod-logs",
                body: {
                    value: '{"app":"InstrumentationKey=a","audit":"InstrumentationKey=b"}',
                    contentType: "application/json",
                    attributes: { enabled: true, nbf: NOW / 1000, exp: NOW / 1000 + 90 * 86400 },
                },
            },
        ]);
        // Redelivered: the renewed version expires after the event's, so nothing is read or written again.
        assert.strictEqual(
            await rotate(kv, logs, settings, NOW + 60_000, counting()),
            "already renewed by https://voting-prod.vault.azure.net/secrets/voting-prod-logs/v2",
        );
        assert.deepStrictEqual([kv.read, kv.written.length], [["voting-prod-logs"], 1]);
        // A rotated secret's value is never read, and a secret in both lists gets a new password.
        const both = { ...SETTINGS, renewed: ["voting-prod-redis"] };
        assert.strictEqual(
            await rotate(kv, nearExpiry(), both, NOW, counting()),
            "wrote https://voting-prod.vault.azure.net/secrets/voting-prod-redis/v3",
        );
        assert.deepStrictEqual(kv.read, ["voting-prod-logs"]);
        assert.deepStrictEqual(JSON.parse(kv.written[1].body.value), { password: PASSWORD_FROM_COUNTING });
    });

    it("writes once for a redelivered event: a version expiring after the event's one means it is done", async () => {
        const kv = new FakeKeyVault();
        const { rotate } = load(AZURE_ROTATION_HANDLER_SOURCE).exports;
        await rotate(kv, nearExpiry(), SETTINGS, NOW, counting());
        assert.strictEqual(
            await rotate(kv, nearExpiry(), SETTINGS, NOW + 60_000, counting()),
            "already rotated by https://voting-prod.vault.azure.net/secrets/voting-prod-redis/v2",
        );
        assert.strictEqual(kv.written.length, 1);
        // A disabled later version does not count: the secret still needs a usable next value.
        kv.versionsOf["voting-prod-redis"][1].attributes.enabled = false;
        assert.strictEqual(
            await rotate(kv, nearExpiry(), SETTINGS, NOW, counting()),
            "wrote https://voting-prod.vault.azure.net/secrets/voting-prod-redis/v3",
        );
    });

    it("lets a failed write surface, so that Event Grid delivers the event again, and refuses a missing ROTATION_DAYS", async () => {
        const kv = new FakeKeyVault();
        kv.failWrite = true;
        const { rotate } = load(AZURE_ROTATION_HANDLER_SOURCE).exports;
        await assert.rejects(rotate(kv, nearExpiry(), SETTINGS, NOW, counting()), {
            message: "Key Vault PUT https://voting-prod.vault.azure.net/secrets/voting-prod-redis: HTTP 403 Forbidden",
        });
        await assert.rejects(rotate(new FakeKeyVault(), nearExpiry(), { ...SETTINGS, rotationDays: NaN }, NOW, counting()), {
            message: "ROTATION_DAYS is NaN, not a number of days",
        });
    });

    it("reads every page of versions, and a renewed secret's value, with the token of the app's user-assigned identity for Key Vault", async () => {
        const urls: string[] = [];
        const fetch = async (url: string, init: any) => {
            urls.push(`${init.method ?? "GET"} ${url}`);
            if (url.startsWith("http://localhost:8081/msi/token")) {
                assert.deepStrictEqual({ ...init.headers }, { "X-IDENTITY-HEADER": "h" });
                return { ok: true, status: 200, json: async () => ({ access_token: "t0k" }) };
            }
            assert.strictEqual(init.headers.authorization, "Bearer t0k");
            if (url.includes("skiptoken")) return { ok: true, status: 200, json: async () => ({ value: [{ id: "v2" }] }) };
            return {
                ok: true,
                status: 200,
                json: async () => ({ value: [{ id: "v1" }], nextLink: "https://voting-prod.vault.azure.net/secrets/s/versions?skiptoken=x" }),
            };
        };
        const client = load(AZURE_ROTATION_HANDLER_SOURCE).exports.restClient(fetch, "voting-prod", {
            IDENTITY_ENDPOINT: "http://localhost:8081/msi/token",
            IDENTITY_HEADER: "h",
            AZURE_CLIENT_ID: "client-1",
        });
        assert.deepStrictEqual([...(await client.versions("s"))], [{ id: "v1" }, { id: "v2" }]);
        assert.deepStrictEqual(
            { ...(await client.getSecret("logs")) },
            { value: [{ id: "v1" }], nextLink: "https://voting-prod.vault.azure.net/secrets/s/versions?skiptoken=x" },
        );
        assert.deepStrictEqual(
            urls.filter((u) => !u.includes("msi")),
            [
                "GET https://voting-prod.vault.azure.net/secrets/s/versions?api-version=7.4&maxresults=25",
                "GET https://voting-prod.vault.azure.net/secrets/s/versions?skiptoken=x",
                "GET https://voting-prod.vault.azure.net/secrets/logs?api-version=7.4",
            ],
        );
        assert.strictEqual(
            urls[0],
            "GET http://localhost:8081/msi/token?api-version=2019-08-01&resource=https%3A%2F%2Fvault.azure.net&client_id=client-1",
        );
    });

    it("is the module's export, run by the Functions host with the app's settings", async () => {
        const { exports } = load(AZURE_ROTATION_HANDLER_SOURCE, {
            VAULT_NAME: "voting-prod",
            ROTATED_SECRETS: SETTINGS.secrets.join(","),
            ROTATION_DAYS: "90",
        });
        assert.strictEqual(typeof exports, "function");
        const logged: string[] = [];
        await exports({ log: (l: string) => logged.push(l) }, nearExpiry({ ObjectName: "voting-prod-logs" }));
        assert.deepStrictEqual(logged, [JSON.stringify({ event: "e-1", result: "ignored secret voting-prod/voting-prod-logs" })]);
        await assert.rejects(exports({ log: () => undefined }, nearExpiry()), /no network in tests/);
        const renewing = load(AZURE_ROTATION_HANDLER_SOURCE, {
            VAULT_NAME: "voting-prod",
            ROTATED_SECRETS: SETTINGS.secrets.join(","),
            RENEWED_SECRETS: "voting-prod-logs",
            ROTATION_DAYS: "90",
        }).exports;
        await assert.rejects(renewing({ log: () => undefined }, nearExpiry({ ObjectName: "voting-prod-logs" })), /no network in tests/);
    });
});
