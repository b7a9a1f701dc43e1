import * as assert from "assert";
import { sensitiveReason } from "../../../policies/lib/sensitive";

describe("sensitiveReason", () => {
    it("calls every credential-like name with a value a credential, whatever its case and separator", () => {
        const names = [
            "DB_PASSWORD",
            "db_passwd",
            "PassWord",
            "CLIENT_SECRET",
            "GITHUB_TOKEN",
            "API_KEY",
            "api-key",
            "apikey",
            "PRIVATE_KEY",
            "private-key",
            "privatekey",
            "ACCESS_KEY",
            "access-key",
            "accesskey",
            "STORAGE_ACCOUNT_KEY",
            "account-key",
            "accountkey",
            "BATCH_KEY",
            "batch-key",
            "batchkey",
            "SIGNING_KEY",
            "signing-key",
            "signingkey",
            "ENCRYPTION_KEY",
            "encryption-key",
            "encryptionkey",
            "KEY_CONTENT",
            "key-content",
            "keycontent",
            "GOOGLE_CREDENTIALS",
        ];
        for (const n of names) assert.strictEqual(sensitiveReason(n, "v"), "looks like a credential", n);
    });

    it("leaves ordinary names, empty values and values that are not strings alone", () => {
        for (const n of ["LOG_LEVEL", "KEY", "MONKEY", "PASS", "PUBLIC_URL", "HOSTNAME"]) {
            assert.strictEqual(sensitiveReason(n, "v"), undefined, n);
        }
        assert.strictEqual(sensitiveReason("DB_PASSWORD", ""), undefined);
        assert.strictEqual(sensitiveReason("DB_PASSWORD", 1234), undefined);
        assert.strictEqual(sensitiveReason("DB_PASSWORD", undefined), undefined);
    });

    it("finds a private key in the value whatever the key type, under any name", () => {
        for (const header of [
            "-----BEGIN PRIVATE KEY-----",
            "-----BEGIN RSA PRIVATE KEY-----",
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "---BEGIN EC PRIVATE KEY---",
        ]) {
            assert.strictEqual(sensitiveReason("blob", `${header}\nMIIE\n`), "holds a private key", header);
        }
        assert.strictEqual(sensitiveReason("blob", "-----BEGIN CERTIFICATE-----\nMIIE\n"), undefined);
        assert.strictEqual(sensitiveReason("blob", "--BEGIN PRIVATE KEY--"), undefined, "two dashes are not a PEM header");
    });

    it("finds a URL with a password in it, and only with one", () => {
        for (const url of [
            "postgresql://voting:s3cret@db:5432/votes",
            "redis://:pw@redis:6379/0",
            "https://user:pass@example.com",
            "mongodb+srv://u:p@c.example.net",
        ]) {
            assert.strictEqual(sensitiveReason("target", url), "holds a URL with a password in it", url);
        }
        for (const url of [
            "postgresql://voting@db:5432/votes",
            "https://example.com:8443/a@b",
            "redis://redis:6379/0",
            "see postgresql://u:p@db",
            "1http://u:p@h",
        ]) {
            assert.strictEqual(sensitiveReason("target", url), undefined, url);
        }
    });

    it("names a private key before a URL, and a URL before the name", () => {
        assert.strictEqual(sensitiveReason("password", "-----BEGIN PRIVATE KEY-----"), "holds a private key");
        assert.strictEqual(sensitiveReason("password", "redis://:pw@redis:6379"), "holds a URL with a password in it");
    });
});
